"""Every write of the movement year: opening a year, members' commitments and their review.

A state change goes through ``_transition``: it locks the row, checks the current state against
``COMMITMENT_TRANSITIONS`` (the one table of allowed moves), the year's window and the actor's right,
saves, and records the audit entry, all in one transaction; a refusal changes nothing.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Member, Unit
from members.notifications import notify
from movements.catalogue import CRITERIA
from movements.models import (
    AmendmentState,
    Classification,
    Commitment,
    CommitmentState,
    Criterion,
    Evidence,
    EvidenceFile,
    EvidenceState,
    MovementYear,
    Pledge,
    PledgeAmendment,
    Responsibility,
    TargetKind,
    YearState,
)
from movements.uploads import recognise

YEAR_OPENED = audit.register_action("year.opened", gettext_lazy("Movement year opened"))
YEAR_PUBLISHED = audit.register_action("year.published", gettext_lazy("Movement year published"))
COMMITMENT_SAVED = audit.register_action("commitment.saved", gettext_lazy("Commitment saved"))
COMMITMENT_SUBMITTED = audit.register_action("commitment.submitted", gettext_lazy("Commitment submitted"))
COMMITMENT_RETURNED = audit.register_action("commitment.returned", gettext_lazy("Commitment returned for changes"))
COMMITMENT_APPROVED = audit.register_action("commitment.approved", gettext_lazy("Commitment approved"))

YEAR_DATE_FIELDS = (
    "registration_opens", "registration_closes", "evidence_opens", "evidence_closes",
    "evaluation_opens", "evaluation_closes",
)
PLEDGE_FIELDS = ("criterion", "text", "target_kind", "target_value", "target_unit", "due_date")


def _today() -> datetime.date:
    return timezone.localdate()


# Years


def year_open(*, actor, unit: Unit, year: int, options: dict | None = None, **dates) -> MovementYear:
    """Open a year for the unit's subtree, starting from the unit's previous criteria or the catalogue.

    ``options`` are the year's other settings (wording of the responsibilities, classification rules)."""
    if not policy.can(actor, Action.MANAGE_YEAR, unit):
        raise PermissionDenied(_("Only the committee of %(unit)s can open a year for it.") % {"unit": unit})
    movement_year = MovementYear(unit=unit, year=year, **(options or {}),
                                 **{name: dates[name] for name in YEAR_DATE_FIELDS})
    movement_year.full_clean()
    step = Unit.steplen
    above = [unit.path[:end] for end in range(step, len(unit.path), step)]
    overlapping = MovementYear.objects.filter(Q(unit__path__in=above) | Q(unit__path__startswith=unit.path),
                                              year=year).exclude(unit=unit).select_related("unit").first()
    if overlapping is not None:
        # Two years of the same number on one line of the tree would split its members between them.
        raise ValidationError({"year": _("%(unit)s has already opened %(year)s for part of this subtree.")
                               % {"unit": overlapping.unit, "year": year}})
    previous = MovementYear.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    with transaction.atomic():
        movement_year.save()
        if previous is not None:
            criteria = [
                Criterion(movement_year=movement_year, responsibility=c.responsibility, title=c.title,
                          guidance=c.guidance, weight=c.weight, applies_to=c.applies_to, position=c.position)
                for c in previous.criteria.all()
            ]
        else:
            criteria = [
                Criterion(movement_year=movement_year, responsibility=responsibility, title=title, guidance=guidance,
                          weight=weight, applies_to=applies_to, position=position)
                for position, (responsibility, title, guidance, weight, applies_to) in enumerate(CRITERIA)
            ]
        Criterion.objects.bulk_create(criteria)
        audit.record(action=YEAR_OPENED, actor=actor, unit=unit, target=movement_year,
                     after={"year": year, "criteria": len(criteria)},
                     note=_("Criteria taken from %(source)s.")
                     % {"source": previous if previous is not None else _("the movement's catalogue")})
    return movement_year


YEAR_UPDATED = audit.register_action("year.updated", gettext_lazy("Movement year settings changed"))
YEAR_SETTING_FIELDS = (
    *YEAR_DATE_FIELDS, "work_label", "people_label", "self_label", "excellent_threshold", "good_threshold",
    "complete_threshold", "excellent_evidence_share", "excellent_limit",
)


def year_update(*, actor, movement_year: MovementYear, **fields) -> MovementYear:
    """Change a year's windows, wording and classification rules while it is not closed."""
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state == YearState.CLOSED:
            raise ValidationError(_("The movement year is closed."))
        before = audit.snapshot(movement_year, YEAR_SETTING_FIELDS)
        for name, value in fields.items():
            if name in YEAR_SETTING_FIELDS:
                setattr(movement_year, name, value)
        movement_year.full_clean()
        before, after = audit.changed_fields(before, audit.snapshot(movement_year, YEAR_SETTING_FIELDS))
        if after:
            movement_year.save()
            audit.record(action=YEAR_UPDATED, actor=actor, unit=movement_year.unit, target=movement_year,
                         before=before, after=after)
    return movement_year


def year_publish(*, actor, movement_year: MovementYear) -> MovementYear:
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state != YearState.DRAFT:
            raise ValidationError(_("This year has already been published."))
        present = set(movement_year.criteria.values_list("responsibility", flat=True))
        missing = [movement_year.label_for(r) for r in Responsibility.values if r not in present]
        if missing:
            raise ValidationError(_("Add at least one criterion under: %(missing)s.") % {"missing": ", ".join(missing)})
        movement_year.state = YearState.OPEN
        movement_year.save(update_fields=["state"])
        audit.record(action=YEAR_PUBLISHED, actor=actor, unit=movement_year.unit, target=movement_year,
                     before={"state": YearState.DRAFT}, after={"state": YearState.OPEN})
    return movement_year


# Commitments


COMMITMENT_SELF_ASSESSED = audit.register_action("commitment.self_assessed",
                                                  gettext_lazy("Self-assessment submitted"))
COMMITMENT_EVALUATED = audit.register_action("commitment.evaluated", gettext_lazy("Commitment evaluated by the branch"))
COMMITMENT_CONFIRMED = audit.register_action("commitment.confirmed", gettext_lazy("Classification confirmed"))
YEAR_CLOSED = audit.register_action("year.closed", gettext_lazy("Movement year closed"))

OWNER = None  # a transition that only the member who owns the commitment may make


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    audit_action: str
    right: Action | None  # the right needed on the member's unit, or OWNER
    notice: Promise | None = None  # told to the member when someone else makes the move


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


def _check_actor(actor, commitment: Commitment, *, right: Action | None) -> None:
    if right is OWNER:
        if commitment.member.user_id != actor.pk:
            raise PermissionDenied(_("Only the member can do this with their own commitment."))
    elif not policy.can(actor, right, commitment.member.unit):
        raise PermissionDenied(_("Your role does not allow this on %(member)s's commitment.")
                               % {"member": commitment.member})


def _locked_commitment(commitment: Commitment) -> Commitment:
    return (Commitment.objects.select_for_update(of=("self",))
            .select_related("member__unit", "movement_year__unit").get(pk=commitment.pk))


def _transition(*, actor, commitment: Commitment, name: str, note: str = "", apply=None) -> Commitment:
    transition = COMMITMENT_TRANSITIONS[name]
    with transaction.atomic():
        commitment = _locked_commitment(commitment)
        _check_actor(actor, commitment, right=transition.right)
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
    if not may_change_commitment(movement_year, state, _today()):
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
        commitment = _locked_commitment(commitment)
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
    return _each(lambda commitment: commitment_approve(actor=actor, commitment=commitment), commitments)


# Evidence

EVIDENCE_ADDED = audit.register_action("evidence.added", gettext_lazy("Evidence logged"))
EVIDENCE_VERIFIED = audit.register_action("evidence.verified", gettext_lazy("Evidence verified"))
EVIDENCE_REJECTED = audit.register_action("evidence.rejected", gettext_lazy("Evidence rejected"))

EVIDENCE_TRANSITIONS = {
    "verify": Transition(frozenset({EvidenceState.PENDING}), EvidenceState.VERIFIED, EVIDENCE_VERIFIED,
                         Action.REVIEW_COMMITMENTS),
    "reject": Transition(frozenset({EvidenceState.PENDING}), EvidenceState.REJECTED, EVIDENCE_REJECTED,
                         Action.REVIEW_COMMITMENTS, gettext_lazy("A piece of your evidence was not accepted.")),
}


def evidence_add(*, actor, pledge: Pledge, done_on, description: str, value_reached=None, files=()) -> Evidence:
    """A member logs what they did towards one of their approved pledges, during the evidence period."""
    kinds = [recognise(upload) for upload in files]
    written: list[EvidenceFile] = []
    try:
        return _evidence_add(actor=actor, pledge=pledge, done_on=done_on, description=description,
                             value_reached=value_reached, uploads=list(zip(files, kinds)), written=written)
    except Exception:
        # The rows are rolled back with the transaction; the files on disk must go too.
        for stored in written:
            stored.file.delete(save=False)
        raise


def _evidence_add(*, actor, pledge, done_on, description, value_reached, uploads, written) -> Evidence:
    with transaction.atomic():
        commitment = _locked_commitment(pledge.commitment)
        _check_actor(actor, commitment, right=OWNER)
        if commitment.state != CommitmentState.APPROVED:
            raise ValidationError(_("Evidence is logged against an approved commitment."))
        year = commitment.movement_year
        if year.state != YearState.OPEN or not year.evidence_opens <= _today() <= year.evidence_closes:
            raise ValidationError(_("Evidence for %(year)s is logged between %(start)s and %(end)s.")
                                  % {"year": year.year, "start": f"{year.evidence_opens:%d/%m/%Y}",
                                     "end": f"{year.evidence_closes:%d/%m/%Y}"})
        if done_on > _today() or done_on < year.registration_opens:
            raise ValidationError({"done_on": _("The date must be between %(start)s and today.")
                                   % {"start": f"{year.registration_opens:%d/%m/%Y}"}})
        if pledge.target_kind == TargetKind.NUMBER and value_reached is None:
            raise ValidationError({"value_reached": _("Give how much this adds to your target.")})
        evidence = Evidence(pledge=pledge, done_on=done_on, description=description, value_reached=value_reached)
        evidence.full_clean()
        evidence.save()
        for upload, kind in uploads:
            stored = EvidenceFile(evidence=evidence, stored_name=f"{uuid.uuid4().hex}.{kind.extension}",
                                  original_name=upload.name[:200], content_type=kind.content_type, size=upload.size)
            stored.file.save(stored.stored_name, upload, save=False)
            written.append(stored)
            stored.save()
        audit.record(action=EVIDENCE_ADDED, actor=actor, unit=commitment.member.unit, target=evidence,
                     after={"description": description[:200], "value_reached": str(value_reached)
                         if value_reached is not None else None, "files": len(uploads)})
    return evidence


def _evidence_transition(*, actor, evidence: Evidence, name: str, reason: str = "") -> Evidence:
    transition = EVIDENCE_TRANSITIONS[name]
    with transaction.atomic():
        evidence = (Evidence.objects.select_for_update(of=("self",))
                    .select_related("pledge__commitment__member__unit", "pledge__commitment__movement_year")
                    .get(pk=evidence.pk))
        commitment = evidence.pledge.commitment
        _check_actor(actor, commitment, right=transition.right)
        if evidence.state not in transition.sources:
            raise ValidationError(_("This evidence is already “%(state)s”.") % {"state": evidence.get_state_display()})
        if commitment.movement_year.state == YearState.CLOSED:
            raise ValidationError(_("The movement year is closed."))
        if commitment.state not in (CommitmentState.APPROVED, CommitmentState.SELF_ASSESSED):
            # Once the branch has evaluated, the scorecard it judged must not move.
            raise ValidationError(_("The commitment has been evaluated; its evidence can no longer change."))
        previous = evidence.state
        evidence.state = transition.target
        evidence.review_reason = reason
        evidence.reviewed_by, evidence.reviewed_at = actor, timezone.now()
        evidence.save()
        audit.record(action=transition.audit_action, actor=actor, unit=commitment.member.unit, target=evidence,
                     before={"state": previous}, after={"state": transition.target}, note=reason)
        if transition.notice:
            notify(user=commitment.member.user, message=transition.notice, url=reverse("movements:my_commitment"))
    return evidence


def evidence_verify(*, actor, evidence: Evidence) -> Evidence:
    return _evidence_transition(actor=actor, evidence=evidence, name="verify")


def evidence_reject(*, actor, evidence: Evidence, reason: str) -> Evidence:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the evidence is rejected.")})
    return _evidence_transition(actor=actor, evidence=evidence, name="reject", reason=reason.strip())


# Evaluation and classification


def _close_pending_amendments(commitment: Commitment) -> None:
    """Pledges are settled once the evaluation starts: a change still waiting is closed, not lost."""
    PledgeAmendment.objects.filter(pledge__commitment=commitment, state=AmendmentState.PENDING).update(
        state=AmendmentState.REFUSED, decided_at=timezone.now(),
        decision_note=str(pgettext_lazy("amendment", "Closed by the evaluation of the year.")))


def _require_evaluation_window(commitment: Commitment) -> None:
    year = commitment.movement_year
    if not year.evaluation_is_open(_today()):
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
        if _today() < locked.movement_year.evaluation_opens:
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
    return _each(lambda commitment: commitment_confirm(actor=actor, commitment=commitment), commitments)


def _each(action, commitments) -> tuple[list[Commitment], list[tuple[Commitment, str]]]:
    done, refused = [], []
    for commitment in commitments:
        try:
            done.append(action(commitment))
        except (ValidationError, PermissionDenied) as error:
            refused.append((commitment, " ".join(getattr(error, "messages", [str(error)]))))
    return done, refused


def year_close(*, actor, movement_year: MovementYear) -> MovementYear:
    """From now on the year's commitments, evidence and classifications are read-only."""
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state != YearState.OPEN:
            raise ValidationError(_("Only an open year can be closed."))
        movement_year.state = YearState.CLOSED
        movement_year.save(update_fields=["state"])
        audit.record(action=YEAR_CLOSED, actor=actor, unit=movement_year.unit, target=movement_year,
                     before={"state": YearState.OPEN}, after={"state": YearState.CLOSED})
    return movement_year


CRITERIA_CHANGED = audit.register_action("year.criteria_changed", gettext_lazy("Criteria of the year changed"))
CRITERION_FIELDS = ("responsibility", "title", "guidance", "weight", "applies_to", "position")


def criteria_save(*, actor, movement_year: MovementYear, criteria: list[dict]) -> MovementYear:
    """Replace the year's criteria with the list given (an ``id`` keeps a criterion), while it is being prepared."""
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state != YearState.DRAFT:
            raise ValidationError(_("The criteria are fixed once the year is published."))
        existing = {criterion.pk: criterion for criterion in movement_year.criteria.all()}
        before = len(existing)
        kept = set()
        for values in criteria:
            criterion = existing.get(values.get("id")) or Criterion(movement_year=movement_year)
            for name in CRITERION_FIELDS:
                setattr(criterion, name, values[name])
            criterion.full_clean(exclude=["movement_year"])
            criterion.save()
            kept.add(criterion.pk)
        removed = movement_year.criteria.exclude(pk__in=kept)
        removed_count = removed.count()
        removed.delete()
        audit.record(action=CRITERIA_CHANGED, actor=actor, unit=movement_year.unit, target=movement_year,
                     before={"criteria": before}, after={"criteria": len(kept)},
                     note=_("%(removed)d removed.") % {"removed": removed_count} if removed_count else "")
    return movement_year


# Amendments of approved pledges

AMENDMENT_REQUESTED = audit.register_action("pledge.amendment_requested", gettext_lazy("Pledge amendment requested"))
AMENDMENT_ACCEPTED = audit.register_action("pledge.amendment_accepted", gettext_lazy("Pledge amendment accepted"))
AMENDMENT_REFUSED = audit.register_action("pledge.amendment_refused", gettext_lazy("Pledge amendment refused"))
AMENDED_FIELDS = ("text", "target_kind", "target_value", "target_unit", "due_date")


def amendment_request(*, actor, pledge: Pledge, reason: str, **proposed) -> PledgeAmendment:
    with transaction.atomic():
        commitment = _locked_commitment(pledge.commitment)
        _check_actor(actor, commitment, right=OWNER)
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
        commitment = _locked_commitment(amendment.pledge.commitment)
        amendment = (PledgeAmendment.objects.select_for_update(of=("self",)).select_related("pledge")
                     .get(pk=amendment.pk))
        pledge = amendment.pledge
        _check_actor(actor, commitment, right=Action.REVIEW_COMMITMENTS)
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
