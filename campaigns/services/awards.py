"""Awards (khen thưởng): proposed by a committee for a member, a collective or a unit under it, from a campaign's
outcome or the year's classification, then decided with a number, a date and an issuing body, or not granted.
A decided award may be published on the public honour board with a citation."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Award, AwardState, AwardTitle, Outcome, RecipientKind, ReviewEntry
from members import audit
from members.access import Action, policy
from members.models import Member, Unit
from members.notifications import notify
from members.services import lock_row
from movements.models import Collective, Commitment, CommitmentState

__all__ = ["award_move", "award_moves_allowed", "award_propose", "award_publish", "award_unpublish",
           "may_decide_award"]

AWARD_PROPOSED = audit.register_action("award.proposed", gettext_lazy("Award proposed"))
AWARD_DECIDED = audit.register_action("award.decided", gettext_lazy("Award decided"))
AWARD_NOT_GRANTED = audit.register_action("award.not_granted", gettext_lazy("Award not granted"))
AWARD_PUBLISHED = audit.register_action("award.published", gettext_lazy("Award put on the honour board"))
AWARD_UNPUBLISHED = audit.register_action("award.unpublished", gettext_lazy("Award taken off the honour board"))

DECISION_FIELDS = ("decision_number", "decided_on", "issuing_body")


@dataclass(frozen=True)
class AwardMove:
    target: str
    audit_action: str


AWARD_MOVES = {"decide": AwardMove(AwardState.DECIDED, AWARD_DECIDED),
               "not_grant": AwardMove(AwardState.NOT_GRANTED, AWARD_NOT_GRANTED)}


def _recipient(*, member: Member | None, collective: Collective | None, unit: Unit | None):
    if member is not None:
        return RecipientKind.MEMBER, member.unit, member.full_name
    if collective is not None:
        return RecipientKind.COLLECTIVE, collective.unit, collective.name
    if unit is not None:
        return RecipientKind.UNIT, unit, unit.name
    raise ValidationError(_("Say who the award is for."))


def award_propose(*, actor, proposing_unit: Unit, title: AwardTitle, year: int, achievements: str,
                  member: Member | None = None, collective: Collective | None = None, unit: Unit | None = None,
                  review_entry: ReviewEntry | None = None, commitment: Commitment | None = None) -> Award:
    kind, recipient_unit, name = _recipient(member=member, collective=collective, unit=unit)
    if not policy.held_units(actor, Action.MANAGE_AWARDS).filter(pk=proposing_unit.pk).exists():
        raise PermissionDenied(_("Only the committee of %(unit)s proposes its awards.") % {"unit": proposing_unit})
    if not recipient_unit.is_within(proposing_unit) or (kind == RecipientKind.UNIT
                                                        and recipient_unit.pk == proposing_unit.pk):
        raise ValidationError(_("%(name)s is not under %(unit)s.") % {"name": name, "unit": proposing_unit})
    _check_source(kind, member=member, collective=collective, unit=unit, review_entry=review_entry,
                  commitment=commitment)
    if not title.is_active:
        raise ValidationError({"title": _("This award is no longer given.")})
    if kind == RecipientKind.MEMBER and not title.for_people:
        raise ValidationError({"title": _("This award is for collectives and units, not for a person.")})
    if kind != RecipientKind.MEMBER and not title.for_collectives:
        raise ValidationError({"title": _("This award is for a person, not for a collective or unit.")})
    award = Award(title=title, recipient_kind=kind, unit=recipient_unit, member=member, collective=collective,
                  recipient_name=name[:200], proposing_unit=proposing_unit, year=year, achievements=achievements,
                  review_entry=review_entry, commitment=commitment, proposed_by=actor,
                  issuing_body=title.issuing_body)
    award.full_clean(exclude=["proposed_by"], validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                award.save()
        except IntegrityError:
            raise ValidationError(_("%(name)s is already proposed for “%(title)s” in %(year)s.")
                                  % {"name": name, "title": title, "year": year}) from None
        audit.record(action=AWARD_PROPOSED, actor=actor, unit=recipient_unit, target=award,
                     after={"title": str(title), "recipient": name, "year": year,
                            "proposed_by": str(proposing_unit)}, note=achievements[:200])
    return award


def _check_source(kind, *, member, collective, unit, review_entry, commitment) -> None:
    """A proposal that cites a review or a classification cites one about its recipient that supports it."""
    if commitment is not None and (commitment.member_id != getattr(member, "pk", None)
                                   or commitment.state != CommitmentState.CONFIRMED or not commitment.classification):
        raise ValidationError(_("Only a confirmed classification of the member supports a proposal."))
    if review_entry is not None:
        registration = review_entry.registration
        party = {RecipientKind.UNIT: (registration.unit_id, getattr(unit, "pk", None)),
                 RecipientKind.COLLECTIVE: (registration.collective_id, getattr(collective, "pk", None)),
                 RecipientKind.MEMBER: (registration.member_id, getattr(member, "pk", None))}[registration.kind]
        if registration.kind != kind or party[0] != party[1]:
            raise ValidationError(_("The review cited is not about this recipient."))
        if review_entry.outcome == Outcome.NOT_ACHIEVED:
            raise ValidationError(_("The review found the targets not achieved: it does not support an award."))


def may_decide_award(user, award: Award) -> bool:
    return policy.can(user, Action.MANAGE_AWARDS, award.proposing_unit)


def award_moves_allowed(user, award: Award) -> list[str]:
    return list(AWARD_MOVES) if award.state == AwardState.PROPOSED and may_decide_award(user, award) else []


def _locked(award: Award) -> Award:
    return lock_row(Award, award.pk, "proposing_unit", "unit", "member__user", "title")


def award_move(*, actor, award: Award, name: str, decision_number: str = "", decided_on=None,
               issuing_body: str = "", note: str = "") -> Award:
    move = AWARD_MOVES[name]
    if name == "decide":
        missing = {field: _("Give the decision's %(field)s.") % {"field": Award._meta.get_field(field).verbose_name}
                   for field, value in (("decision_number", decision_number.strip()), ("decided_on", decided_on),
                                        ("issuing_body", issuing_body.strip())) if not value}
        if missing:
            raise ValidationError(missing)
    elif not note.strip():
        raise ValidationError({"note": _("Give the reason.")})
    with transaction.atomic():
        award = _locked(award)
        if not may_decide_award(actor, award):
            raise PermissionDenied(_("Only the committee that proposed the award records its decision."))
        if award.state != AwardState.PROPOSED:
            raise ValidationError(_("This award is “%(state)s”; that is not possible now.")
                                  % {"state": award.get_state_display()})
        award.state = move.target
        if name == "decide":
            award.decision_number, award.decided_on = decision_number.strip(), decided_on
            award.issuing_body = issuing_body.strip()
        else:
            award.refusal_note = note.strip()
        award.full_clean(exclude=["proposed_by"])
        award.save()
        audit.record(action=move.audit_action, actor=actor, unit=award.unit, target=award,
                     before={"state": AwardState.PROPOSED},
                     after={"state": award.state, **(audit.snapshot(award, DECISION_FIELDS) if name == "decide"
                                                     else {})}, note=note.strip())
        if name == "decide" and award.member_id and award.member.user_id:
            notify(user=award.member.user, url=reverse("members:profile"),
                   message=_("You were awarded “%(title)s” (decision %(number)s).")
                   % {"title": award.title, "number": award.decision_number})
    return award


def award_publish(*, actor, award: Award, citation: str) -> Award:
    if not citation.strip():
        raise ValidationError({"citation": _("Say in a few lines what they did.")})
    with transaction.atomic():
        award = _locked(award)
        if not may_decide_award(actor, award):
            raise PermissionDenied(_("Only the committee that proposed the award publishes it."))
        if award.state != AwardState.DECIDED:
            raise ValidationError(_("Only a decided award goes on the honour board."))
        award.is_published, award.citation = True, citation.strip()
        award.save(update_fields=["is_published", "citation"])
        audit.record(action=AWARD_PUBLISHED, actor=actor, unit=award.unit, target=award,
                     after={"citation": award.citation})
    return award


def award_unpublish(*, actor, award: Award) -> Award:
    with transaction.atomic():
        award = _locked(award)
        if not may_decide_award(actor, award):
            raise PermissionDenied(_("Only the committee that proposed the award publishes it."))
        if not award.is_published:
            raise ValidationError(_("This award is not on the honour board."))
        award.is_published = False
        award.save(update_fields=["is_published"])
        audit.record(action=AWARD_UNPUBLISHED, actor=actor, unit=award.unit, target=award,
                     before={"is_published": True}, after={"is_published": False})
    return award
