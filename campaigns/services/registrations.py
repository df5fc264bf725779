"""Registrations against a campaign's targets, their approval, the combined forwarding upward, and progress.

States follow the public-sector emulation modules: Chưa gửi → Chờ duyệt → Đã duyệt, or Từ chối with a reason
and sent again. A branch's or union's own registration is approved by the level above it; a member's or a
collective's by the officers of its unit.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.models import (
    Campaign,
    CampaignState,
    Direction,
    Forwarding,
    ProgressFigure,
    ProgressReport,
    RecipientKind,
    Registration,
    RegistrationFigure,
    RegistrationState,
    Review,
    ReviewKind,
    Stage,
)
from campaigns.services.campaigns import locked_campaign
from members import audit
from members.access import Action, policy
from members.models import Member, Unit
from members.notifications import notify
from members.services import lock_row
from movements.models import Collective
from movements.services.base import today
from movements.uploads import recognise, removed_on_failure

__all__ = [
    "may_act_for",
    "may_review",
    "progress_report",
    "registration_forward",
    "registration_may_change",
    "registration_move",
    "registration_moves_allowed",
    "registration_save",
]

REGISTRATION_SAVED = audit.register_action("campaign.registration_saved", gettext_lazy("Campaign registration saved"))
REGISTRATION_SUBMITTED = audit.register_action("campaign.registration_submitted",
                                               gettext_lazy("Campaign registration sent for approval"))
REGISTRATION_APPROVED = audit.register_action("campaign.registration_approved",
                                              gettext_lazy("Campaign registration approved"))
REGISTRATION_RETURNED = audit.register_action("campaign.registration_returned",
                                              gettext_lazy("Campaign registration returned"))
REGISTRATIONS_FORWARDED = audit.register_action("campaign.registrations_forwarded",
                                                gettext_lazy("Registrations combined and forwarded upward"))
PROGRESS_REPORTED = audit.register_action("campaign.progress_reported", gettext_lazy("Campaign progress reported"))

REGISTRANT, REVIEWER = "registrant", "reviewer"


@dataclass(frozen=True)
class RegistrationMove:
    sources: frozenset[str]
    target: str
    audit_action: str
    by: str
    needs_note: bool = False


R = RegistrationState
REGISTRATION_MOVES = {
    "submit": RegistrationMove(frozenset({R.DRAFT, R.RETURNED}), R.SUBMITTED, REGISTRATION_SUBMITTED, REGISTRANT),
    "approve": RegistrationMove(frozenset({R.SUBMITTED}), R.APPROVED, REGISTRATION_APPROVED, REVIEWER),
    "return": RegistrationMove(frozenset({R.SUBMITTED}), R.RETURNED, REGISTRATION_RETURNED, REVIEWER,
                               needs_note=True),
}


def may_act_for(user, registration: Registration) -> bool:
    """The registrant: the member themselves, or the officers of the registering unit (or of the collective's
    unit) in their own office; the unions above decide, they do not register in a branch's name."""
    if registration.kind == RecipientKind.MEMBER:
        return registration.member.user_id is not None and registration.member.user_id == user.pk
    return policy.held_units(user, Action.REGISTER_FOR_CAMPAIGNS).filter(pk=registration.unit_id).exists()


def may_review(user, registration: Registration) -> bool:
    """The level above the registrant, never the one who sent it: the union above a unit or a collective's
    unit; the unit's officers for a member."""
    if registration.submitted_by_id is not None and registration.submitted_by_id == user.pk:
        return False
    if registration.kind == RecipientKind.MEMBER:
        return registration.member.user_id != user.pk and policy.can(user, Action.REVIEW_REGISTRATIONS,
                                                                     registration.unit)
    return policy.can_above(user, Action.REVIEW_REGISTRATIONS, registration.unit)


def _open_refusal(campaign: Campaign, *, returned: bool = False) -> str | None:
    """Why a registration cannot be sent now, or None. A returned one may be sent again until the campaign ends,
    since it was sent in time."""
    if campaign.state != CampaignState.LAUNCHED:
        return _("Registration is open only while the campaign is launched.")
    if campaign.launched_on and today() < campaign.launched_on:
        return _("Registration opens with the launch ceremony on %(day)s.") % {
            "day": campaign.launched_on.strftime("%d/%m/%Y")}
    last_day = campaign.ends_on if returned else campaign.last_registration_day
    if today() > last_day:
        return _("Registration closed on %(day)s.") % {"day": last_day.strftime("%d/%m/%Y")}
    return None


def _check_open(campaign: Campaign, *, returned: bool = False) -> None:
    refusal = _open_refusal(campaign, returned=returned)
    if refusal:
        raise ValidationError(refusal)


def registration_may_change(user, registration: Registration) -> bool:
    """Whether the registrant may still change and send it: not sent yet or returned, and within the window."""
    return (registration.state in (R.DRAFT, R.RETURNED) and may_act_for(user, registration)
            and _open_refusal(registration.campaign, returned=registration.state == R.RETURNED) is None)


def registration_moves_allowed(user, registration: Registration) -> list[str]:
    if registration.campaign.state != CampaignState.LAUNCHED:
        return []
    moves = []
    for name, move in REGISTRATION_MOVES.items():
        if registration.state not in move.sources:
            continue
        if move.by == REGISTRANT:
            if registration_may_change(user, registration):
                moves.append(name)
        elif may_review(user, registration):
            moves.append(name)
    return moves


def _registrant_unit(campaign: Campaign, kind: str, unit: Unit | None, collective: Collective | None,
                     member: Member | None) -> Unit:
    if kind not in campaign.registrant_kinds():
        raise ValidationError(_("This campaign does not take registrations of this kind."))
    if kind == RecipientKind.UNIT:
        registrant_unit = unit
    elif kind == RecipientKind.COLLECTIVE:
        registrant_unit = collective.unit
    else:
        registrant_unit = member.unit
    if registrant_unit is None or not registrant_unit.is_within(campaign.unit) or (
            kind == RecipientKind.UNIT and registrant_unit.pk == campaign.unit_id):
        raise ValidationError(_("Only the units and people under %(unit)s take part in its campaign.")
                              % {"unit": campaign.unit})
    return registrant_unit


def _checked_figures(campaign: Campaign, values: dict, *, pledging: bool) -> dict:
    """A figure for every target, 0 or more; a pledge above 0 on each higher-is-better target, since every
    target counts in the score."""
    figures, errors = {}, {}
    for target in campaign.targets.all():
        value = values.get(target.pk)
        if value is None or value < 0:
            errors[f"target_{target.pk}"] = _("Give a figure of 0 or more.")
        elif pledging and target.direction == Direction.HIGHER and value == 0:
            errors[f"target_{target.pk}"] = _("Pledge more than 0: every target counts in the score.")
        else:
            figures[target] = Decimal(value)
    if errors:
        raise ValidationError(errors)
    return figures


def registration_save(*, actor, campaign: Campaign, pledges: dict, note: str = "", submit: bool = False,
                      registration: Registration | None = None, kind: str = RecipientKind.UNIT,
                      unit: Unit | None = None, collective: Collective | None = None,
                      member: Member | None = None) -> Registration:
    """Create a registration, or change one that is not sent or was returned; ``submit`` sends it at once."""
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        if registration is None:
            _check_open(campaign)
            registration = Registration(
                campaign=campaign, kind=kind, unit=_registrant_unit(campaign, kind, unit, collective, member),
                collective=collective if kind == RecipientKind.COLLECTIVE else None,
                member=member if kind == RecipientKind.MEMBER else None, created_by=actor)
            if Registration.objects.filter(campaign=campaign, kind=kind, unit=registration.unit,
                                           collective=registration.collective, member=registration.member).exists():
                raise ValidationError(_("%(name)s is already registered for this campaign.")
                                      % {"name": registration.registrant_name})
        else:
            registration = lock_row(Registration, registration.pk, "unit", "member", "collective")
            if registration.state not in (R.DRAFT, R.RETURNED):
                raise ValidationError(_("A registration is changed only before it is sent or after it is returned."))
            _check_open(campaign, returned=registration.state == R.RETURNED)
        if not may_act_for(actor, registration):
            raise PermissionDenied(_("You cannot register for %(name)s.") % {"name": registration.registrant_name})
        figures = _checked_figures(campaign, pledges, pledging=True)
        previous = registration.state
        registration.note = note
        if submit:
            registration.state, registration.submitted_at, registration.submitted_by = R.SUBMITTED, timezone.now(), actor
        registration.full_clean(exclude=["created_by", "submitted_by", "campaign", "unit", "member", "collective"])
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # Someone registered the same party a moment ago.
            raise ValidationError(_("%(name)s is already registered for this campaign.")
                                  % {"name": registration.registrant_name}) from None
        for target, pledged in figures.items():
            RegistrationFigure.objects.update_or_create(registration=registration, target=target,
                                                        defaults={"pledged": pledged})
        audit.record(action=REGISTRATION_SUBMITTED if submit else REGISTRATION_SAVED, actor=actor,
                     unit=registration.unit, target=registration, before={"state": previous} if previous else None,
                     after={"state": registration.state,
                            **{target.name: str(pledged) for target, pledged in figures.items()}})
    return registration


def registration_move(*, actor, registration: Registration, name: str, note: str = "") -> Registration:
    move = REGISTRATION_MOVES[name]
    if move.needs_note and not note.strip():
        raise ValidationError({"note": _("Give the reason.")})
    with transaction.atomic():
        registration = lock_row(Registration, registration.pk, "campaign__unit", "unit", "member", "collective")
        allowed = may_act_for if move.by == REGISTRANT else may_review
        if not allowed(actor, registration):
            raise PermissionDenied(_("Your role does not allow this on the registration of %(name)s.")
                                   % {"name": registration.registrant_name})
        if registration.campaign.state != CampaignState.LAUNCHED or registration.state not in move.sources:
            raise ValidationError(_("This registration is “%(state)s”; that is not possible now.")
                                  % {"state": registration.get_state_display()})
        if name == "submit":
            _check_open(registration.campaign, returned=registration.state == R.RETURNED)
        previous = registration.state
        registration.state = move.target
        now = timezone.now()
        if name == "submit":
            registration.submitted_at, registration.submitted_by = now, actor
        else:
            registration.decided_at = now
            registration.return_note = note.strip() if name == "return" else ""
        registration.save()
        audit.record(action=move.audit_action, actor=actor, unit=registration.unit, target=registration,
                     before={"state": previous}, after={"state": registration.state}, note=note.strip())
        if move.by == REVIEWER and registration.created_by_id and registration.created_by_id != actor.pk:
            url = reverse("campaigns:registration", args=[registration.pk])
            message = (_("The registration of %(name)s for “%(campaign)s” was approved.") if name == "approve"
                       else _("The registration of %(name)s for “%(campaign)s” was returned: %(reason)s"))
            notify(user=registration.created_by, url=url,
                   message=message % {"name": registration.registrant_name, "campaign": registration.campaign,
                                      "reason": note.strip()})
    return registration


def registration_forward(*, actor, campaign: Campaign, unit: Unit, note: str = "") -> Forwarding:
    """A union combines the approved registrations of its subtree and sends the whole to the union above."""
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        if not policy.held_units(actor, Action.REGISTER_FOR_CAMPAIGNS).filter(pk=unit.pk).exists():
            raise PermissionDenied(_("Only the officers of %(unit)s forward its registrations.") % {"unit": unit})
        if not unit.is_within(campaign.unit) or unit.pk == campaign.unit_id:
            raise ValidationError(_("%(unit)s is not under the union that launched the campaign.") % {"unit": unit})
        # Combining comes after registration closes as often as before it; only a finished campaign is too late.
        if campaign.state != CampaignState.LAUNCHED:
            raise ValidationError(_("The campaign is not running."))
        if Forwarding.objects.filter(campaign=campaign, unit=unit).exists():
            raise ValidationError(_("%(unit)s has already forwarded its registrations.") % {"unit": unit})
        below = Registration.objects.filter(campaign=campaign).filter(unit.subtree_q("unit__path"))
        # The union's own registration is decided above it: it does not hold up the forwarding.
        waiting = below.filter(state=R.SUBMITTED).exclude(kind=RecipientKind.UNIT, unit=unit).count()
        if waiting:
            raise ValidationError(ngettext(
                "%(count)s registration still waits for approval: decide it first.",
                "%(count)s registrations still wait for approval: decide them first.", waiting) % {"count": waiting})
        approved = below.filter(state=R.APPROVED)
        count = approved.count()
        if not count:
            raise ValidationError(_("There is no approved registration to forward yet."))
        totals = dict(RegistrationFigure.objects.filter(registration__in=approved).order_by()
                      .values_list("target_id").annotate(total=Sum("pledged")))
        forwarding = Forwarding.objects.create(
            campaign=campaign, unit=unit, registrations=count, note=note, forwarded_by=actor,
            totals={str(target_id): str(total) for target_id, total in totals.items()})
        audit.record(action=REGISTRATIONS_FORWARDED, actor=actor, unit=unit, target=campaign,
                     after={"registrations": count, "totals": forwarding.totals}, note=note)
    return forwarding


def _stage_for(campaign: Campaign, stage: Stage | None, reported_on) -> Stage | None:
    """The stage of the report's date; a stage chosen must be that one, and not one already reviewed, whose
    figures are frozen."""
    stages = list(campaign.stages.all())
    of_the_day = next((s for s in stages if s.starts_on <= reported_on <= s.ends_on), None)
    if stage is not None and (stage.campaign_id != campaign.pk or stage != of_the_day):
        raise ValidationError({"stage": _("The date does not fall in this stage.")})
    reviewed_until = (Review.objects.filter(campaign=campaign, kind=ReviewKind.INTERIM)
                      .aggregate(day=Max("stage__ends_on"))["day"])
    if reviewed_until and reported_on <= reviewed_until:
        raise ValidationError({"reported_on": _("The stages up to %(day)s are reviewed and their figures frozen: "
                                                "report what was reached after it.")
                               % {"day": reviewed_until.strftime("%d/%m/%Y")}})
    return of_the_day


def progress_report(*, actor, registration: Registration, reported_on, text: str, figures: dict,
                    stage: Stage | None = None, upload=None) -> ProgressReport:
    """What the registrant reached since its last report, with the figures per target and a file if it has one."""
    kind = recognise(upload) if upload else None
    with removed_on_failure() as written, transaction.atomic():
        registration = lock_row(Registration, registration.pk, "campaign__unit", "unit", "member", "collective")
        campaign = locked_campaign(registration.campaign)
        if not may_act_for(actor, registration):
            raise PermissionDenied(_("Only the registrant reports its progress."))
        if campaign.state != CampaignState.LAUNCHED or registration.state != R.APPROVED:
            raise ValidationError(_("Progress is reported on an approved registration while the campaign runs."))
        if reported_on > min(today(), campaign.ends_on) or reported_on < campaign.starts_on:
            raise ValidationError({"reported_on": _("Give a date within the campaign, and not after today.")})
        checked = _checked_figures(campaign, figures, pledging=False)
        report = ProgressReport(registration=registration, reported_on=reported_on, text=text, created_by=actor,
                                stage=_stage_for(campaign, stage, reported_on))
        report.full_clean(exclude=["created_by", "file"])
        if upload:
            report.stored_name = f"{uuid.uuid4().hex}.{kind.extension}"
            report.original_name, report.content_type = upload.name[:200], kind.content_type
            report.file.save(report.stored_name, upload, save=False)
            written.append(report)
        report.save()
        ProgressFigure.objects.bulk_create(ProgressFigure(report=report, target=target, value=value)
                                           for target, value in checked.items())
        audit.record(action=PROGRESS_REPORTED, actor=actor, unit=registration.unit, target=registration,
                     after={target.name: str(value) for target, value in checked.items()}, note=text[:200])
    return report
