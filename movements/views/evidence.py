"""Pages of evidence and of amendments to approved pledges."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.redirects import local_path
from members import access_log
from members.access import Action, policy
from members.forms import add_service_errors
from members.models import AccessKind
from members.selectors import visible_ancestors, working_unit
from movements import selectors, services
from movements.forms import (
    AmendmentForm,
    EvidenceForm,
    RejectForm,
)
from movements.models import (
    Evidence,
    EvidenceFile,
    EvidenceState,
    PledgeAmendment,
)
from movements.uploads import stored_file_response
from movements.views.base import (
    get_pledge,
)
from reports.caching import CachedCountPaginator
from reports.page_cache import kept_for_reader


def _get_evidence(user, action: Action, pk) -> Evidence:
    try:
        evidence = Evidence.objects.select_related("pledge__commitment__member__unit").get(pk=pk)
    except (Evidence.DoesNotExist, ValueError):
        raise Http404 from None
    policy.decide_on_member(user, action, evidence.pledge.commitment.member)
    return evidence


@login_required
@require_http_methods(["GET", "POST"])
def evidence_create(request, pk):
    pledge = get_pledge(request.user, Action.EDIT_OWN_COMMITMENT, pk)
    if pledge.commitment.member.user_id != request.user.pk:
        # Evidence is the member's own account of their work; nobody logs it on their behalf.
        raise PermissionDenied
    form = EvidenceForm(request.POST or None, request.FILES or None, pledge=pledge,
                        initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(actor=request.user, pledge=pledge, done_on=form.cleaned_data["done_on"],
                                  description=form.cleaned_data["description"],
                                  value_reached=form.cleaned_data.get("value_reached"),
                                  files=form.cleaned_data["files"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your evidence was logged; your secretary will verify it."))
            return redirect("movements:my_commitment")
    return render(request, "movements/evidence_form.html", {"form": form, "pledge": pledge})


@login_required
@require_GET
@kept_for_reader
def evidence_list(request):
    unit = working_unit(request, Action.VIEW_COMMITMENTS)
    state = request.GET.get("state", EvidenceState.PENDING)
    evidence = selectors.evidence_of_unit(request.user, unit).filter(state=state)
    page = CachedCountPaginator(evidence, 30).get_page(request.GET.get("page"))
    return render(request, "movements/evidence_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "page": page, "state": state,
        "states": EvidenceState.choices, "query": urlencode({"state": state}),
        "may_review": policy.can(request.user, Action.REVIEW_COMMITMENTS, unit),
    })


def _back(request, evidence: Evidence) -> str:
    return local_path(request, request.POST.get("next")) or reverse("movements:commitment",
                                                                    args=[evidence.pledge.commitment_id])


@login_required
@require_POST
def evidence_verify(request, pk):
    evidence = _get_evidence(request.user, Action.REVIEW_COMMITMENTS, pk)
    try:
        services.evidence_verify(actor=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evidence was verified."))
    return redirect(_back(request, evidence))


@login_required
@require_POST
def evidence_reject(request, pk):
    evidence = _get_evidence(request.user, Action.REVIEW_COMMITMENTS, pk)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the evidence is rejected."))
        services.evidence_reject(actor=request.user, evidence=evidence, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evidence was rejected; the member sees your reason."))
    return redirect(_back(request, evidence))


@login_required
@require_GET
def evidence_file(request, pk):
    try:
        stored = EvidenceFile.objects.select_related("evidence__pledge__commitment__member__unit").get(pk=pk)
    except (EvidenceFile.DoesNotExist, ValueError):
        raise Http404 from None
    member = stored.evidence.pledge.commitment.member
    policy.decide_on_member(request.user, Action.VIEW_COMMITMENTS, member)
    response = stored_file_response(stored.file, content_type=stored.content_type, name=stored.original_name)
    access_log.record_view(request.user, member, AccessKind.EVIDENCE_FILE)  # once the file is there to read
    return response


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk):
    pledge = get_pledge(request.user, Action.EDIT_OWN_COMMITMENT, pk)
    if pledge.commitment.member.user_id != request.user.pk:
        raise PermissionDenied
    initial = {name: getattr(pledge, name) for name in services.AMENDED_FIELDS}
    form = AmendmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_request(actor=request.user, pledge=pledge, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your change was sent to your secretary."))
            return redirect("movements:my_commitment")
    return render(request, "movements/amendment_form.html", {"form": form, "pledge": pledge})


def _get_amendment(user, pk) -> PledgeAmendment:
    try:
        amendment = PledgeAmendment.objects.select_related("pledge__commitment__member__unit").get(pk=pk)
    except (PledgeAmendment.DoesNotExist, ValueError):
        raise Http404 from None
    policy.decide_on_member(user, Action.REVIEW_COMMITMENTS, amendment.pledge.commitment.member)
    return amendment


@login_required
@require_POST
def amendment_decide(request, pk, accept: bool):
    amendment = _get_amendment(request.user, pk)
    note = request.POST.get("note", "")
    try:
        if accept:
            services.amendment_accept(actor=request.user, amendment=amendment, note=note)
        else:
            services.amendment_refuse(actor=request.user, amendment=amendment, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The change was accepted.") if accept else _("The change was refused."))
    return redirect("movements:commitment", pk=amendment.pledge.commitment_id)
