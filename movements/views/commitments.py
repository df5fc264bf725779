"""Pages of a commitment: the member's own, the branch's review and evaluation, the committee's confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.selectors import member_feedback
from members import access_log
from members.access import Action, policy
from members.audit import entries_for
from members.forms import add_service_errors, posted_keys
from members.models import AccessKind
from members.selectors import own_member_record, visible_ancestors, working_unit
from movements import selectors, services
from movements.classification import excellent_share, suggest
from movements.forms import (
    ConfirmForm,
    EvaluationForm,
    PledgeFormSet,
    ReturnForm,
    SelfAssessmentForm,
    criteria_for,
)
from movements.models import (
    APPROVED_STATES,
    CommitmentState,
    Responsibility,
    YearState,
)
from movements.scorecard import scorecard
from movements.views.base import (
    criteria_by_responsibility,
    get_commitment,
    requested_year,
    submitted_list,
)
from reports.page_cache import kept_for_reader


@login_required
@require_http_methods(["GET", "POST"])
@kept_for_reader
def my_commitment(request):
    member = own_member_record(request.user)
    movement_year = selectors.year_applying_to(member.unit, year=requested_year(request)) if member else None
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
                   criteria_by_responsibility(movement_year, list(criteria))],
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


@login_required
@require_GET
@kept_for_reader
def commitment_list(request):
    unit = working_unit(request, Action.VIEW_COMMITMENTS)
    movement_year = selectors.year_applying_to(unit, year=requested_year(request))
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


def _bulk(request, *, action, run, done, nothing, next_url):
    """Ticked commitments of the working unit and year, each moved on its own; refusals are reported by name."""
    unit = working_unit(request, action)
    movement_year = selectors.year_applying_to(unit, year=requested_year(request))
    chosen = selectors.commitments_of_unit(request.user, unit, movement_year).filter(
        pk__in=posted_keys(request, "commitment"))
    moved, refused = run(actor=request.user, commitments=chosen)
    if moved:
        messages.success(request, done % {"count": len(moved)})
    for commitment, reason in refused:
        messages.error(request, f"{commitment.member}: {reason}")
    if not moved and not refused:
        messages.info(request, nothing)
    return redirect(next_url)


@login_required
@require_POST
def commitment_approve_many(request):
    return _bulk(request, action=Action.REVIEW_COMMITMENTS, run=services.commitments_approve_many,
                 done=_("%(count)d commitments approved."), nothing=_("Tick the commitments to approve first."),
                 next_url=submitted_list())


def _review_page(request, commitment, return_form=None, evaluation_form=None, confirm_form=None):
    pledges = list(commitment.pledges.select_related("criterion"))
    return_form = return_form or ReturnForm(pledges=pledges)
    may_review = policy.can(request.user, Action.REVIEW_COMMITMENTS, commitment.member.unit)
    card = scorecard(commitment) if commitment.state in APPROVED_STATES else None
    year = commitment.movement_year
    evaluation = None
    if card is not None and may_review and commitment.state in (CommitmentState.APPROVED,
                                                                CommitmentState.SELF_ASSESSED):
        suggestion = suggest(year, card, selectors.member_participation(commitment.member, year.year))
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
        # A confirmed classification is where the year's awards come from.
        "people_feedback": member_feedback(request.user, commitment.member, year.year) if card is not None else None,
        "may_propose_award": commitment.state == CommitmentState.CONFIRMED and bool(commitment.classification)
        and policy.can(request.user, Action.MANAGE_AWARDS, commitment.member.unit),
    })


@login_required
@require_GET
def commitment_detail(request, pk):
    commitment = get_commitment(request.user, Action.VIEW_COMMITMENTS, pk)
    access_log.record_view(request.user, commitment.member, AccessKind.EVALUATION)
    return _review_page(request, commitment)


@login_required
@require_POST
def commitment_approve(request, pk):
    commitment = get_commitment(request.user, Action.REVIEW_COMMITMENTS, pk)
    try:
        services.commitment_approve(actor=request.user, commitment=commitment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("movements:commitment", pk=commitment.pk)
    messages.success(request, _("The commitment of %(member)s was approved.") % {"member": commitment.member})
    return redirect(submitted_list())


def _review_action(request, pk, *, action, form, run, done, next_url, form_name):
    """A form posted on a commitment's page: the service runs with the form's data, or the page comes back
    with the refusal at the field it concerns and what was typed kept."""
    commitment = get_commitment(request.user, action, pk)
    bound = form(commitment)
    if bound.is_valid():
        try:
            run(commitment, bound)
        except ValidationError as error:
            add_service_errors(bound, error)
        else:
            messages.success(request, done % {"member": commitment.member})
            return redirect(next_url(commitment))
    return _review_page(request, commitment, **{form_name: bound})


@login_required
@require_POST
def commitment_return(request, pk):
    return _review_action(
        request, pk, action=Action.REVIEW_COMMITMENTS, form_name="return_form",
        form=lambda commitment: ReturnForm(request.POST, pledges=commitment.pledges.select_related("criterion")),
        run=lambda commitment, form: services.commitment_return(
            actor=request.user, commitment=commitment, comment=form.cleaned_data["comment"],
            pledge_comments=form.pledge_comments()),
        done=_("The commitment was returned to %(member)s."), next_url=lambda commitment: submitted_list())


@login_required
@require_POST
def commitment_evaluate(request, pk):
    return _review_action(
        request, pk, action=Action.REVIEW_COMMITMENTS, form_name="evaluation_form",
        form=lambda commitment: EvaluationForm(request.POST),
        run=lambda commitment, form: services.commitment_evaluate(
            actor=request.user, commitment=commitment, classification=form.cleaned_data["classification"],
            comment=form.cleaned_data["comment"]),
        done=_("The evaluation of %(member)s was sent to the committee."),
        next_url=lambda commitment: reverse("movements:commitment", args=[commitment.pk]))


@login_required
@require_POST
def commitment_confirm(request, pk):
    return _review_action(
        request, pk, action=Action.CONFIRM_CLASSIFICATION, form_name="confirm_form",
        form=lambda commitment: ConfirmForm(request.POST),
        run=lambda commitment, form: services.commitment_confirm(
            actor=request.user, commitment=commitment, classification=form.cleaned_data["classification"],
            reason=form.cleaned_data["reason"]),
        done=_("The classification of %(member)s is confirmed."),
        next_url=lambda commitment: reverse("movements:classifications"))


@login_required
@require_GET
@kept_for_reader
def classification_list(request):
    unit = working_unit(request, Action.CONFIRM_CLASSIFICATION)
    movement_year = selectors.year_applying_to(unit, year=requested_year(request))
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
    return _bulk(request, action=Action.CONFIRM_CLASSIFICATION, run=services.commitments_confirm_many,
                 done=_("%(count)d classifications confirmed."),
                 nothing=_("Tick the classifications to confirm first."),
                 next_url=reverse("movements:classifications"))
