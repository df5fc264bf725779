"""A member's commitment from draft to confirmed classification, and amendments of its pledges.

A state change goes through ``_transition``: it locks the row, checks the current state against
``COMMITMENT_TRANSITIONS`` (the one table of allowed moves), the year's window and the actor's right,
saves, records the audit entry and tells the member, all in one transaction; a refusal changes nothing.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from members import audit
from members.access import Action
from members.models import Member
from members.notifications import notify
from movements.models import (
    AmendmentState,
    Classification,
    Commitment,
    CommitmentState,
    MovementYear,
    Pledge,
    PledgeAmendment,
    Responsibility,
    YearState,
)
from movements.services.base import (
    OWNER,
    Transition,
    check_actor,
    each_reporting_refusals,
    locked_commitment,
    today,
)

COMMITMENT_SAVED = audit.register_action("commitment.saved", gettext_lazy("Commitment saved"))
COMMITMENT_SUBMITTED = audit.register_action("commitment.submitted", gettext_lazy("Commitment submitted"))
COMMITMENT_RETURNED = audit.register_action("commitment.returned", gettext_lazy("Commitment returned for changes"))
COMMITMENT_APPROVED = audit.register_action("commitment.approved", gettext_lazy("Commitment approved"))
PLEDGE_FIELDS = ("criterion", "text", "target_kind", "target_value", "target_unit", "due_date")
COMMITMENT_SELF_ASSESSED = audit.register_action("commitment.self_assessed",
                                                  gettext_lazy("Self-assessment submitted"))
COMMITMENT_EVALUATED = audit.register_action("commitment.evaluated", gettext_lazy("Commitment evaluated by the branch"))
COMMITMENT_CONFIRMED = audit.register_action("commitment.confirmed", gettext_lazy("Classification confirmed"))
S = CommitmentState


COMMITMENT_TRANSITIONS = {
    "submit": Transition(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, COMMITMENT_SUBMITTED, OWNER),
    "return": Transition(frozenset({S.SUBMITTED}), S.RETURNED, COMMITMENT_RETURNED, Action.REVIEW_COMMITMENTS,
                         gettext_lazy("Your commitment was returned for changes.")),
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, COMMITMENT_APPROVED, Action.REVIEW_COMMITMENTS,
                          gettext_lazy("Your commitment was approved.")),
    "self_assess": Transition(frozenset({S.APPROVED}), S.SELF_ASSESSED, COMMITMENT_SELF_ASSESSED, OWNER),
    "evaluate": Transition(frozenset({S.APPROVED, S.SELF_ASSESSED}), S.EVALUATED, COMMITMENT_EVALUATED,
                           Action.REVIEW_COMMITMENTS, gettext_lazy("Your branch has evaluated your year.")),
    "confirm": Transition(frozenset({S.EVALUATED}), S.CONFIRMED, COMMITMENT_CONFIRMED,
                          Action.CONFIRM_CLASSIFICATION, gettext_lazy("Your classification for the year is confirmed.")),
}


def _transition(*, actor, commitment: Commitment, name: str, note: str = "", apply=None) -> Commitment:
    transition = COMMITMENT_TRANSITIONS[name]
    with transaction.atomic():
        commitment = locked_commitment(commitment)
        check_actor(actor, commitment, right=transition.right)
        if commitment.state not in transition.sources:
            raise ValidationError(_("This commitment is “%(state)s”: it cannot be %(action)s now.")
                                  % {"state": commitment.get_state_display(), "action": _ACTION_WORDS[name]})
        if commitment.movement_year.state != YearState.OPEN:
            raise ValidationError(_("The movement year is not open."))
        previous = commitment.state
        if apply is not None:
            apply(commitment)
        commitment.state = transition.target
        commitment.save()
        audit.record(action=transition.audit_action, actor=actor, unit=commitment.member.unit, target=commitment,
                     before={"state": previous}, after={"state": transition.target}, note=note)
        if transition.notice:
            notify(user=commitment.member.user, message=transition.notice, url=reverse("movements:my_commitment"))
    return commitment


_ACTION_WORDS = {
    "submit": pgettext_lazy("what is done to a commitment", "submitted"),
    "return": pgettext_lazy("what is done to a commitment", "returned"),
    "approve": pgettext_lazy("what is done to a commitment", "approved"),
    "self_assess": pgettext_lazy("what is done to a commitment", "self-assessed"),
    "evaluate": pgettext_lazy("what is done to a commitment", "evaluated"),
    "confirm": pgettext_lazy("what is done to a commitment", "confirmed"),
}


def may_change_commitment(movement_year: MovementYear, state: str | None, today: datetime.date) -> bool:
    """A new or draft commitment is written in the registration window; one returned by the secretary can be
    fixed until the evaluation opens, so that a late review never leaves a member unable to answer."""
    if state in (None, CommitmentState.DRAFT):
        return movement_year.registration_is_open(today)
    if state == CommitmentState.RETURNED:
        return movement_year.state == YearState.OPEN and today < movement_year.evaluation_opens
    return False


def _require_may_change(movement_year: MovementYear, state: str | None) -> None:
    if not may_change_commitment(movement_year, state, today()):
        if state in (None, CommitmentState.DRAFT):
            raise ValidationError(_("Registration for %(year)s is closed.") % {"year": movement_year.year})
        raise ValidationError(_("This commitment can no longer be changed."))


def _own_member(actor) -> Member:
    member = Member.objects.select_related("unit").filter(user=actor).first()
    if member is None or not member.is_active:
        raise PermissionDenied(_("Your account is not linked to an active member record."))
    return member


def commitment_save(*, actor, movement_year: MovementYear, pledges: list[dict]) -> Commitment:
    """Create or change the member's own commitment while it is a draft or returned, within the window.

    ``pledges`` is the whole list the member wants: an entry with an ``id`` changes that pledge, one without
    adds a pledge, and a pledge not listed is removed. Secretary comments stay on the pledges that remain.
    """
    member = _own_member(actor)
    existing_state = (Commitment.objects.filter(member=member, movement_year=movement_year)
                      .values_list("state", flat=True).first())
    _require_may_change(movement_year, existing_state)
    with transaction.atomic():
        commitment, created = Commitment.objects.get_or_create(member=member, movement_year=movement_year)
        commitment = locked_commitment(commitment)
        if commitment.state not in (CommitmentState.DRAFT, CommitmentState.RETURNED):
            raise ValidationError(_("This commitment is “%(state)s” and can no longer be changed.")
                                  % {"state": commitment.get_state_display()})
        existing = {pledge.pk: pledge for pledge in commitment.pledges.all()}
        kept = set()
        for values in pledges:
            criterion = values["criterion"]
            if criterion.movement_year_id != movement_year.pk or not criterion.applies_to_sector(member.unit.sector):
                raise ValidationError({"criterion": _("This criterion is not one of your unit's for the year.")})
            pledge = existing.get(values.get("id")) or Pledge(commitment=commitment)
            for name in PLEDGE_FIELDS:
                setattr(pledge, name, values.get(name))
            pledge.target_unit = pledge.target_unit or ""
            pledge.full_clean(exclude=["review_comment"])
            pledge.save()
            kept.add(pledge.pk)
        commitment.pledges.exclude(pk__in=kept).delete()
        audit.record(action=COMMITMENT_SAVED, actor=actor, unit=member.unit, target=commitment,
                     after={"pledges": len(kept)})
    return commitment


def commitment_submit(*, actor, commitment: Commitment) -> Commitment:
    def check_complete(locked: Commitment):
        _require_may_change(locked.movement_year, locked.state)
        present = set(locked.pledges.values_list("criterion__responsibility", flat=True))
        missing = [locked.movement_year.label_for(r) for r in Responsibility.values if r not in present]
        if missing:
            raise ValidationError(_("Add at least one pledge under: %(missing)s.") % {"missing": ", ".join(missing)})
        locked.submitted_at = timezone.now()

    return _transition(actor=actor, commitment=commitment, name="submit", apply=check_complete)


def commitment_return(*, actor, commitment: Commitment, comment: str, pledge_comments: dict[int, str]) -> Commitment:
    """Send a commitment back with a comment, on the whole and on the pledges concerned."""
    pledge_comments = {pk: text.strip() for pk, text in pledge_comments.items() if text and text.strip()}
    if not comment.strip() and not pledge_comments:
        raise ValidationError({"comment": _("Say what the member should change.")})

    def write_comments(locked: Commitment):
        locked.review_comment = comment.strip()
        locked.reviewed_at, locked.reviewed_by = timezone.now(), actor
        for pledge in locked.pledges.all():
            pledge.review_comment = pledge_comments.get(pledge.pk, "")
            pledge.save(update_fields=["review_comment"])

    return _transition(actor=actor, commitment=commitment, name="return", apply=write_comments,
                       note=comment.strip())


def commitment_approve(*, actor, commitment: Commitment) -> Commitment:
    def stamp(locked: Commitment):
        locked.reviewed_at, locked.reviewed_by = timezone.now(), actor

    return _transition(actor=actor, commitment=commitment, name="approve", apply=stamp)


def commitments_approve_many(*, actor, commitments) -> tuple[list[Commitment], list[tuple[Commitment, str]]]:
    """Approve each commitment on its own; one refusal does not stop the others, and is reported."""
    return each_reporting_refusals(lambda commitment: commitment_approve(actor=actor, commitment=commitment), commitments)


def _close_pending_amendments(commitment: Commitment) -> None:
    """Pledges are settled once the evaluation starts: a change still waiting is closed, not lost."""
    PledgeAmendment.objects.filter(pledge__commitment=commitment, state=AmendmentState.PENDING).update(
        state=AmendmentState.REFUSED, decided_at=timezone.now(),
        decision_note=str(pgettext_lazy("amendment", "Closed by the evaluation of the year.")))


def _require_evaluation_window(commitment: Commitment) -> None:
    year = commitment.movement_year
    if not year.evaluation_is_open(today()):
        raise ValidationError(_("The evaluation of %(year)s runs from %(start)s to %(end)s.")
                              % {"year": year.year, "start": f"{year.evaluation_opens:%d/%m/%Y}",
                                 "end": f"{year.evaluation_closes:%d/%m/%Y}"})


def commitment_self_assess(*, actor, commitment: Commitment, results: dict[int, str], classification: str,
                           comment: str = "") -> Commitment:
    """The member says, pledge by pledge, how far they got, and proposes their own classification."""
    def record_results(locked: Commitment):
        _require_evaluation_window(locked)
        pledges = list(locked.pledges.all())
        missing = [p for p in pledges if not results.get(p.pk)]
        if missing:
            raise ValidationError(_("Assess every pledge: %(count)d left.") % {"count": len(missing)})
        for pledge in pledges:
            pledge.self_result = results[pledge.pk]
            pledge.full_clean(exclude=["commitment", "criterion"])
            pledge.save(update_fields=["self_result"])
        _close_pending_amendments(locked)
        locked.self_classification, locked.self_comment = classification, comment.strip()
        locked.full_clean(exclude=["member", "movement_year", "reviewed_by", "evaluated_by", "confirmed_by"])

    return _transition(actor=actor, commitment=commitment, name="self_assess", apply=record_results,
                       note=comment.strip())


def commitment_evaluate(*, actor, commitment: Commitment, classification: str, comment: str = "") -> Commitment:
    """The branch evaluates the member and proposes a classification to the committee."""
    def record(locked: Commitment):
        _require_evaluation_window(locked)
        if classification not in Classification.values:
            raise ValidationError({"classification": _("Choose a classification.")})
        locked.proposed_classification, locked.evaluation_comment = classification, comment.strip()
        locked.evaluated_by = actor
        _close_pending_amendments(locked)

    return _transition(actor=actor, commitment=commitment, name="evaluate", apply=record, note=comment.strip())


def commitment_confirm(*, actor, commitment: Commitment, classification: str | None = None,
                       reason: str = "") -> Commitment:
    """The committee confirms the proposed classification, or sets another one and says why."""
    def record(locked: Commitment):
        if today() < locked.movement_year.evaluation_opens:
            raise ValidationError(_("Classifications are confirmed once the evaluation has opened."))
        chosen = classification or locked.proposed_classification
        if chosen not in Classification.values:
            raise ValidationError({"classification": _("Choose a classification.")})
        if chosen != locked.proposed_classification and not reason.strip():
            raise ValidationError({"reason": _("Say why the classification differs from the branch's proposal.")})
        locked.classification, locked.classification_note = chosen, reason.strip()
        locked.confirmed_by, locked.confirmed_at = actor, timezone.now()

    return _transition(actor=actor, commitment=commitment, name="confirm", apply=record, note=reason.strip())


def commitments_confirm_many(*, actor, commitments) -> tuple[list[Commitment], list[tuple[Commitment, str]]]:
    """Confirm each proposal as it stands; a refusal is reported and does not stop the others."""
    return each_reporting_refusals(lambda commitment: commitment_confirm(actor=actor, commitment=commitment), commitments)


AMENDMENT_REQUESTED = audit.register_action("pledge.amendment_requested", gettext_lazy("Pledge amendment requested"))
AMENDMENT_ACCEPTED = audit.register_action("pledge.amendment_accepted", gettext_lazy("Pledge amendment accepted"))
AMENDMENT_REFUSED = audit.register_action("pledge.amendment_refused", gettext_lazy("Pledge amendment refused"))
AMENDED_FIELDS = ("text", "target_kind", "target_value", "target_unit", "due_date")


def amendment_request(*, actor, pledge: Pledge, reason: str, **proposed) -> PledgeAmendment:
    with transaction.atomic():
        commitment = locked_commitment(pledge.commitment)
        check_actor(actor, commitment, right=OWNER)
        if commitment.state != CommitmentState.APPROVED or commitment.movement_year.state != YearState.OPEN:
            raise ValidationError(_("Only a pledge of an approved commitment, in an open year, can be amended."))
        if pledge.amendments.filter(state=AmendmentState.PENDING).exists():
            raise ValidationError(_("This pledge already has a change waiting for the secretary."))
        amendment = PledgeAmendment(pledge=pledge, reason=reason.strip(),
                                    previous=audit.snapshot(pledge, AMENDED_FIELDS),
                                    **{name: proposed.get(name) for name in AMENDED_FIELDS})
        amendment.target_unit = amendment.target_unit or ""
        amendment.full_clean()
        amendment.save()
        audit.record(action=AMENDMENT_REQUESTED, actor=actor, unit=commitment.member.unit, target=pledge,
                     before=amendment.previous, after=audit.snapshot(amendment, AMENDED_FIELDS), note=reason.strip())
    return amendment


def _decide_amendment(*, actor, amendment: PledgeAmendment, accept: bool, note: str) -> PledgeAmendment:
    with transaction.atomic():
        commitment = locked_commitment(amendment.pledge.commitment)
        amendment = (PledgeAmendment.objects.select_for_update(of=("self",)).select_related("pledge")
                     .get(pk=amendment.pk))
        pledge = amendment.pledge
        check_actor(actor, commitment, right=Action.REVIEW_COMMITMENTS)
        if amendment.state != AmendmentState.PENDING:
            raise ValidationError(_("This change was already answered."))
        if commitment.state != CommitmentState.APPROVED or commitment.movement_year.state != YearState.OPEN:
            raise ValidationError(_("Only a pledge of an approved commitment, in an open year, can be amended."))
        if accept:
            for name in AMENDED_FIELDS:
                setattr(pledge, name, getattr(amendment, name))
            pledge.full_clean(exclude=["commitment", "criterion"])
            pledge.save()
        amendment.state = AmendmentState.ACCEPTED if accept else AmendmentState.REFUSED
        amendment.decision_note, amendment.decided_by, amendment.decided_at = note.strip(), actor, timezone.now()
        amendment.save()
        audit.record(action=AMENDMENT_ACCEPTED if accept else AMENDMENT_REFUSED, actor=actor,
                     unit=commitment.member.unit, target=pledge, before=amendment.previous,
                     after=audit.snapshot(pledge, AMENDED_FIELDS), note=note.strip())
        notify(user=commitment.member.user, url=reverse("movements:my_commitment"),
               message=gettext_lazy("Your change to a pledge was accepted.") if accept
               else gettext_lazy("Your change to a pledge was refused."))
    return amendment


def amendment_accept(*, actor, amendment: PledgeAmendment, note: str = "") -> PledgeAmendment:
    return _decide_amendment(actor=actor, amendment=amendment, accept=True, note=note)


def amendment_refuse(*, actor, amendment: PledgeAmendment, note: str) -> PledgeAmendment:
    if not note.strip():
        raise ValidationError({"note": _("Say why the change is refused.")})
    return _decide_amendment(actor=actor, amendment=amendment, accept=False, note=note)
