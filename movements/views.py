from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import Action, policy
from members.audit import entries_for
from members.forms import add_service_errors
from members.selectors import current_unit, own_member_record, visible_ancestors, working_unit
from movements import selectors, services
from movements.classification import excellent_share, suggest
from movements.forms import (
    AmendmentForm,
    ConfirmForm,
    CriterionFormSet,
    EvaluationForm,
    EvidenceForm,
    MovementYearForm,
    PledgeFormSet,
    RejectForm,
    ReturnForm,
    SelfAssessmentForm,
    criteria_for,
)
from movements.models import (
    APPROVED_STATES,
    Commitment,
    CommitmentState,
    Evidence,
    EvidenceFile,
    EvidenceState,
    MovementYear,
    Pledge,
    PledgeAmendment,
    Responsibility,
    YearState,
)
from movements.scorecard import scorecard


def _get_year(user, pk) -> MovementYear:
    try:
        return selectors.years_for(user).get(pk=pk)
    except (MovementYear.DoesNotExist, ValueError):
        raise Http404 from None


def _get_year_to_manage(user, pk) -> MovementYear:
    """A year the user can see (else 404) and whose committee they sit on (else 403)."""
    movement_year = _get_year(user, pk)
    if not policy.can(user, Action.MANAGE_YEAR, movement_year.unit):
        raise PermissionDenied
    return movement_year


def _get_commitment(user, action: Action, pk) -> Commitment:
    try:
        commitment = (Commitment.objects.select_related("member__unit", "member__user", "movement_year__unit")
                      .get(pk=pk))
    except (Commitment.DoesNotExist, ValueError):
        raise Http404 from None
    policy.decide_on_member(user, action, commitment.member)
    return commitment


def _requested_year(request) -> int | None:
    """The year asked for in the address (?year=2025) or by a form, so that closed years stay browsable."""
    value = request.POST.get("year", "") if request.method == "POST" else request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def _criteria_by_responsibility(movement_year, criteria):
    return [(movement_year.label_for(r), [c for c in criteria if c.responsibility == r]) for r in Responsibility.values]


# Years


@login_required
@require_GET
def year_list(request):
    unit = current_unit(request)
    years = selectors.years_for(request.user)
    return render(request, "movements/year_list.html", {
        "years": years,
        "unit": unit,
        "ancestors": visible_ancestors(request.user, unit) if unit else [],
        "may_open": unit is not None and policy.can(request.user, Action.MANAGE_YEAR, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request):
    unit = working_unit(request, Action.MANAGE_YEAR)
    today = timezone.localdate()
    form = MovementYearForm(request.POST or None, initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {name: data[name] for name in services.YEAR_SETTING_FIELDS if name not in services.YEAR_DATE_FIELDS}
        dates = {name: data[name] for name in services.YEAR_DATE_FIELDS}
        try:
            movement_year = services.year_open(actor=request.user, unit=unit, year=data["year"], options=options,
                                               **dates)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The year was opened with its criteria. Check them, then publish it."))
            return redirect("movements:year", pk=movement_year.pk)
    return render(request, "movements/year_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


@login_required
@require_GET
def year_detail(request, pk):
    movement_year = _get_year(request.user, pk)
    criteria = list(movement_year.criteria.all())
    return render(request, "movements/year_detail.html", {
        "year": movement_year,
        "groups": _criteria_by_responsibility(movement_year, criteria),
        "may_manage": policy.can(request.user, Action.MANAGE_YEAR, movement_year.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request, pk):
    movement_year = _get_year_to_manage(request.user, pk)
    form = MovementYearForm(request.POST or None, instance=movement_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(actor=request.user, movement_year=movement_year,
                                 **{name: form.cleaned_data[name] for name in services.YEAR_SETTING_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("movements:year", pk=movement_year.pk)
    return render(request, "movements/year_form.html", {"form": form, "year": movement_year,
                                                        "unit": movement_year.unit})


@login_required
@require_http_methods(["GET", "POST"])
def year_criteria(request, pk):
    movement_year = _get_year_to_manage(request.user, pk)
    if movement_year.state != YearState.DRAFT:
        messages.info(request, _("The criteria are fixed once the year is published."))
        return redirect("movements:year", pk=movement_year.pk)
    initial = [{"id": c.pk, **{name: getattr(c, name) for name in services.CRITERION_FIELDS}}
               for c in movement_year.criteria.all()]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")
    if request.method == "POST" and formset.is_valid():
        try:
            services.criteria_save(actor=request.user, movement_year=movement_year, criteria=formset.criteria())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The criteria were saved."))
            return redirect("movements:year", pk=movement_year.pk)
    return render(request, "movements/year_criteria.html", {"year": movement_year, "formset": formset})


@login_required
@require_POST
def year_publish(request, pk):
    movement_year = _get_year_to_manage(request.user, pk)
    try:
        services.year_publish(actor=request.user, movement_year=movement_year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year is published: members can register their commitments."))
    return redirect("movements:year", pk=movement_year.pk)


# A member's own commitment


@login_required
@require_http_methods(["GET", "POST"])
def my_commitment(request):
    member = own_member_record(request.user)
    movement_year = selectors.year_applying_to(member.unit, year=_requested_year(request)) if member else None
    if member is None or movement_year is None:
        return render(request, "movements/my_commitment.html", {"member": member, "year": None})
    commitment = selectors.own_commitment(member, movement_year)
    editable = services.may_change_commitment(movement_year, commitment.state if commitment else None,
                                              timezone.localdate())
    criteria = criteria_for(movement_year, member.unit.sector)
    formset = None
    if editable:
        initial = [
            {"id": p.pk, "criterion": p.criterion_id, "text": p.text, "target_kind": p.target_kind,
             "target_value": p.target_value, "target_unit": p.target_unit, "due_date": p.due_date,
             "review_comment": p.review_comment}
            for p in (commitment.pledges.all() if commitment else [])
        ]
        formset = PledgeFormSet(request.POST or None, initial=initial, criteria=criteria,
                                movement_year=movement_year, prefix="pledges")
        if request.method == "POST" and formset.is_valid():
            saved = None
            try:
                saved = services.commitment_save(actor=request.user, movement_year=movement_year,
                                                 pledges=formset.pledges())
                if "submit" in request.POST:
                    services.commitment_submit(actor=request.user, commitment=saved)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                if saved is not None:
                    # The draft is saved and only the submission was refused: show the saved pledges again.
                    return redirect("movements:my_commitment")
            else:
                messages.success(request, _("Your commitment was submitted to your branch secretary.")
                                 if "submit" in request.POST else _("Your draft was saved."))
                return redirect("movements:my_commitment")
    elif request.method == "POST":
        messages.error(request, _("This commitment can no longer be changed."))
        return redirect("movements:my_commitment")
    pledges = list(commitment.pledges.select_related("criterion")) if commitment else []
    approved = commitment is not None and commitment.state in APPROVED_STATES
    may_self_assess = (approved and commitment.state == CommitmentState.APPROVED
                       and movement_year.evaluation_is_open(timezone.localdate()))
    return render(request, "movements/my_commitment.html", {
        "member": member, "year": movement_year, "commitment": commitment, "formset": formset,
        "other_years": selectors.years_applying_to(member.unit),
        "card": scorecard(commitment) if approved else None,
        "self_form": SelfAssessmentForm(pledges=pledges) if may_self_assess else None,
        "evidence_open": movement_year.evidence_opens <= timezone.localdate() <= movement_year.evidence_closes,
        "groups": [(label, [p for p in pledges if p.criterion in group]) for label, group in
                   _criteria_by_responsibility(movement_year, list(criteria))],
    })


@login_required
@require_POST
def self_assess(request):
    member = own_member_record(request.user)
    movement_year = selectors.year_applying_to(member.unit) if member else None
    commitment = selectors.own_commitment(member, movement_year) if movement_year else None
    if commitment is None:
        raise Http404
    form = SelfAssessmentForm(request.POST, pledges=commitment.pledges.all())
    if not form.is_valid():
        messages.error(request, _("Assess every pledge and choose your proposed classification."))
        return redirect("movements:my_commitment")
    try:
        services.commitment_self_assess(actor=request.user, commitment=commitment, results=form.results(),
                                        classification=form.cleaned_data["classification"],
                                        comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your self-assessment was sent to your branch."))
    return redirect("movements:my_commitment")


# Review by the branch


@login_required
@require_GET
def commitment_list(request):
    unit = working_unit(request, Action.VIEW_COMMITMENTS)
    movement_year = selectors.year_applying_to(unit, year=_requested_year(request))
    context = {"unit": unit, "ancestors": visible_ancestors(request.user, unit), "year": movement_year,
               "other_years": selectors.years_applying_to(unit)}
    if movement_year is not None:
        state = request.GET.get("state", CommitmentState.SUBMITTED)
        commitments = selectors.commitments_of_unit(request.user, unit, movement_year)
        counts = selectors.state_counts(request.user, unit, movement_year)
        context.update({
            "state": state,
            "tabs": [(value, label, counts.get(value, 0)) for value, label in CommitmentState.choices]
            + [("none", _("Not registered"), counts["none"])],
            "commitments": commitments.filter(state=state) if state != "none" else None,
            "without": selectors.members_without_commitment(request.user, unit, movement_year)
            if state == "none" else None,
            "may_review": policy.can(request.user, Action.REVIEW_COMMITMENTS, unit),
        })
    return render(request, "movements/commitment_list.html", context)


@login_required
@require_POST
def commitment_approve_many(request):
    unit = working_unit(request, Action.REVIEW_COMMITMENTS)
    movement_year = selectors.year_applying_to(unit, year=_requested_year(request))
    chosen = selectors.commitments_of_unit(request.user, unit, movement_year).filter(
        pk__in=[pk for pk in request.POST.getlist("commitment") if pk.isdigit()])
    approved, refused = services.commitments_approve_many(actor=request.user, commitments=chosen)
    if approved:
        messages.success(request, _("%(count)d commitments approved.") % {"count": len(approved)})
    for commitment, reason in refused:
        messages.error(request, f"{commitment.member}: {reason}")
    if not approved and not refused:
        messages.info(request, _("Tick the commitments to approve first."))
    return redirect(_submitted_list())


def _review_page(request, commitment, return_form=None, evaluation_form=None, confirm_form=None):
    pledges = list(commitment.pledges.select_related("criterion"))
    return_form = return_form or ReturnForm(pledges=pledges)
    may_review = policy.can(request.user, Action.REVIEW_COMMITMENTS, commitment.member.unit)
    card = scorecard(commitment) if commitment.state in APPROVED_STATES else None
    year = commitment.movement_year
    evaluation = None
    if card is not None and may_review and commitment.state in (CommitmentState.APPROVED,
                                                                CommitmentState.SELF_ASSESSED):
        suggestion = suggest(year, card)
        form = evaluation_form or EvaluationForm(initial={"classification": suggestion.classification})
        chosen = form["classification"].value()
        evaluation = {"suggestion": suggestion, "form": form, "share": excellent_share(commitment, proposing=chosen),
                      "open": year.evaluation_is_open(timezone.localdate())}
    confirmation = None
    if commitment.state == CommitmentState.EVALUATED and policy.can(
            request.user, Action.CONFIRM_CLASSIFICATION, commitment.member.unit):
        confirmation = confirm_form or ConfirmForm(initial={"classification": commitment.proposed_classification})
    return render(request, "movements/commitment_detail.html", {
        "commitment": commitment,
        "card": card,
        "evaluation": evaluation,
        "confirmation": confirmation,
        "reviewer": may_review and year.state == YearState.OPEN,
        "year": commitment.movement_year,
        "rows": [(label, [(p, return_form.comment_field(p)) for p in pledges if p.criterion.responsibility == r])
                 for r, label in ((r, commitment.movement_year.label_for(r)) for r in Responsibility.values)],
        "return_form": return_form,
        "may_review": may_review and commitment.state == CommitmentState.SUBMITTED,
        "ancestors": visible_ancestors(request.user, commitment.member.unit),
        "history": entries_for(policy.audit_entries(request.user), commitment)[:30] if may_review else [],
    })


@login_required
@require_GET
def commitment_detail(request, pk):
    commitment = _get_commitment(request.user, Action.VIEW_COMMITMENTS, pk)
    return _review_page(request, commitment)


@login_required
@require_POST
def commitment_approve(request, pk):
    commitment = _get_commitment(request.user, Action.REVIEW_COMMITMENTS, pk)
    try:
        services.commitment_approve(actor=request.user, commitment=commitment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("movements:commitment", pk=commitment.pk)
    messages.success(request, _("The commitment of %(member)s was approved.") % {"member": commitment.member})
    return redirect(_submitted_list())


@login_required
@require_POST
def commitment_return(request, pk):
    commitment = _get_commitment(request.user, Action.REVIEW_COMMITMENTS, pk)
    form = ReturnForm(request.POST, pledges=commitment.pledges.select_related("criterion"))
    if form.is_valid():
        try:
            services.commitment_return(actor=request.user, commitment=commitment,
                                       comment=form.cleaned_data["comment"], pledge_comments=form.pledge_comments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment was returned to %(member)s.") % {"member": commitment.member})
            return redirect(_submitted_list())
    return _review_page(request, commitment, return_form=form)


@login_required
@require_POST
def commitment_evaluate(request, pk):
    commitment = _get_commitment(request.user, Action.REVIEW_COMMITMENTS, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_evaluate(actor=request.user, commitment=commitment,
                                         classification=form.cleaned_data["classification"],
                                         comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation of %(member)s was sent to the committee.")
                             % {"member": commitment.member})
            return redirect("movements:commitment", pk=commitment.pk)
    return _review_page(request, commitment, evaluation_form=form)


@login_required
@require_POST
def commitment_confirm(request, pk):
    commitment = _get_commitment(request.user, Action.CONFIRM_CLASSIFICATION, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_confirm(actor=request.user, commitment=commitment,
                                        classification=form.cleaned_data["classification"],
                                        reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The classification of %(member)s is confirmed.")
                             % {"member": commitment.member})
            return redirect("movements:classifications")
    return _review_page(request, commitment, confirm_form=form)


@login_required
@require_GET
def classification_list(request):
    unit = working_unit(request, Action.CONFIRM_CLASSIFICATION)
    movement_year = selectors.year_applying_to(unit, year=_requested_year(request))
    context = {"unit": unit, "ancestors": visible_ancestors(request.user, unit), "year": movement_year,
               "other_years": selectors.years_applying_to(unit)}
    if movement_year is not None:
        commitments = selectors.commitments_of_unit(request.user, unit, movement_year)
        context.update({
            "waiting": commitments.filter(state=CommitmentState.EVALUATED),
            "levels": selectors.classification_counts(request.user, unit, movement_year),
        })
    return render(request, "movements/classification_list.html", context)


@login_required
@require_POST
def classification_confirm_many(request):
    unit = working_unit(request, Action.CONFIRM_CLASSIFICATION)
    movement_year = selectors.year_applying_to(unit, year=_requested_year(request))
    chosen = selectors.commitments_of_unit(request.user, unit, movement_year).filter(
        pk__in=[pk for pk in request.POST.getlist("commitment") if pk.isdigit()])
    confirmed, refused = services.commitments_confirm_many(actor=request.user, commitments=chosen)
    if confirmed:
        messages.success(request, _("%(count)d classifications confirmed.") % {"count": len(confirmed)})
    for commitment, reason in refused:
        messages.error(request, f"{commitment.member}: {reason}")
    if not confirmed and not refused:
        messages.info(request, _("Tick the classifications to confirm first."))
    return redirect("movements:classifications")


@login_required
@require_POST
def year_close(request, pk):
    movement_year = _get_year_to_manage(request.user, pk)
    try:
        services.year_close(actor=request.user, movement_year=movement_year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year is closed: its records are now read-only."))
    return redirect("movements:year", pk=movement_year.pk)


def _submitted_list() -> str:
    return f"{reverse('movements:commitments')}?state={CommitmentState.SUBMITTED}"


# Evidence


def _get_pledge(user, action: Action, pk) -> Pledge:
    try:
        pledge = Pledge.objects.select_related("criterion", "commitment__member__unit",
                                               "commitment__movement_year").get(pk=pk)
    except (Pledge.DoesNotExist, ValueError):
        raise Http404 from None
    policy.decide_on_member(user, action, pledge.commitment.member)
    return pledge


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
    pledge = _get_pledge(request.user, Action.EDIT_OWN_COMMITMENT, pk)
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
def evidence_list(request):
    unit = working_unit(request, Action.VIEW_COMMITMENTS)
    state = request.GET.get("state", EvidenceState.PENDING)
    evidence = selectors.evidence_of_unit(request.user, unit).filter(state=state)
    page = Paginator(evidence, 30).get_page(request.GET.get("page"))
    return render(request, "movements/evidence_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "page": page, "state": state,
        "states": EvidenceState.choices, "query": urlencode({"state": state}),
        "may_review": policy.can(request.user, Action.REVIEW_COMMITMENTS, unit),
    })


def _back(request, evidence: Evidence) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return reverse("movements:commitment", args=[evidence.pledge.commitment_id])


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
    policy.decide_on_member(request.user, Action.VIEW_COMMITMENTS, stored.evidence.pledge.commitment.member)
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type,
                            as_attachment=stored.content_type == "application/pdf", filename=stored.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


# Amendments


@login_required
@require_http_methods(["GET", "POST"])
def amendment_create(request, pk):
    pledge = _get_pledge(request.user, Action.EDIT_OWN_COMMITMENT, pk)
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
