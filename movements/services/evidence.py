"""Evidence a member logs against an approved pledge, and its verification by the branch."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action
from members.notifications import notify
from movements.models import (
    CommitmentState,
    Evidence,
    EvidenceFile,
    EvidenceState,
    Pledge,
    TargetKind,
    YearState,
)
from movements.services.base import OWNER, Transition, check_actor, locked_commitment, today
from movements.uploads import recognise, removed_on_failure

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
    with removed_on_failure() as written:
        return _evidence_add(actor=actor, pledge=pledge, done_on=done_on, description=description,
                             value_reached=value_reached, uploads=list(zip(files, kinds, strict=True)),
                             written=written)


def _evidence_add(*, actor, pledge, done_on, description, value_reached, uploads, written) -> Evidence:
    with transaction.atomic():
        commitment = locked_commitment(pledge.commitment)
        check_actor(actor, commitment, right=OWNER)
        if commitment.state != CommitmentState.APPROVED:
            raise ValidationError(_("Evidence is logged against an approved commitment."))
        year = commitment.movement_year
        if year.state != YearState.OPEN or not year.evidence_opens <= today() <= year.evidence_closes:
            raise ValidationError(_("Evidence for %(year)s is logged between %(start)s and %(end)s.")
                                  % {"year": year.year, "start": f"{year.evidence_opens:%d/%m/%Y}",
                                     "end": f"{year.evidence_closes:%d/%m/%Y}"})
        if done_on > today() or done_on < year.registration_opens:
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
        check_actor(actor, commitment, right=transition.right)
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
