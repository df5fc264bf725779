"""Monitoring and support (đeo bám, kiểm tra, hỗ trợ): the standing emulation unit's visits and help."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, CampaignState, Inspection, Registration, SupportAction
from campaigns.services.campaigns import locked_campaign
from members import audit
from members.access import Action, policy
from movements.services.base import today

__all__ = ["inspection_follow_up", "inspection_record", "may_follow", "support_record"]

INSPECTION_RECORDED = audit.register_action("campaign.inspection_recorded", gettext_lazy("Inspection recorded"))
INSPECTION_FOLLOWED_UP = audit.register_action("campaign.inspection_followed_up",
                                               gettext_lazy("Inspection followed up"))
SUPPORT_RECORDED = audit.register_action("campaign.support_recorded", gettext_lazy("Support recorded"))


def may_follow(user, campaign: Campaign) -> bool:
    """The committee and the standing emulation unit above, and the people named to the campaign's standing unit."""
    if policy.can(user, Action.FOLLOW_CAMPAIGNS, campaign.unit):
        return True
    return getattr(user, "is_authenticated", False) and campaign.standing_members.filter(user=user).exists()


def _check(actor, campaign: Campaign, registration: Registration | None, day, field: str) -> None:
    """Called inside the write's transaction, on the campaign locked by it."""
    if not may_follow(actor, campaign):
        raise PermissionDenied(_("Only the standing emulation unit of the campaign records this."))
    if campaign.state != CampaignState.LAUNCHED:
        raise ValidationError(_("The campaign is not running."))
    if registration is not None and registration.campaign_id != campaign.pk:
        raise ValidationError({"registration": _("Choose a registrant of this campaign.")})
    if day > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def inspection_record(*, actor, campaign: Campaign, visited_on, inspectors: str, findings: str,
                      support_promised: str = "", registration: Registration | None = None) -> Inspection:
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        _check(actor, campaign, registration, visited_on, "visited_on")
        inspection = Inspection(campaign=campaign, registration=registration, visited_on=visited_on,
                                inspectors=inspectors, findings=findings, support_promised=support_promised,
                                recorded_by=actor)
        inspection.full_clean(exclude=["recorded_by"])
        inspection.save()
        audit.record(action=INSPECTION_RECORDED, actor=actor,
                     unit=registration.unit if registration else campaign.unit, target=registration or campaign,
                     after={"visited_on": visited_on.isoformat(), "inspectors": inspectors,
                            "registrant": registration.registrant_name if registration else ""},
                     note=findings[:200])
    return inspection


def inspection_follow_up(*, actor, inspection: Inspection, done_on, note: str) -> Inspection:
    if not note.strip():
        raise ValidationError({"follow_up_note": _("Say what was done.")})
    with transaction.atomic():
        inspection = (Inspection.objects.select_for_update(of=("self",))
                      .select_related("campaign__unit", "registration__unit").get(pk=inspection.pk))
        _check(actor, locked_campaign(inspection.campaign), None, done_on, "follow_up_done_on")
        if inspection.follow_up_done_on:
            raise ValidationError(_("The follow-up of this inspection is already recorded."))
        if done_on < inspection.visited_on:
            raise ValidationError({"follow_up_done_on": _("The follow-up cannot come before the visit.")})
        before = audit.snapshot(inspection, ("follow_up_done_on", "follow_up_note"))
        inspection.follow_up_done_on, inspection.follow_up_note = done_on, note.strip()
        inspection.save(update_fields=["follow_up_done_on", "follow_up_note"])
        audit.record(action=INSPECTION_FOLLOWED_UP, actor=actor,
                     unit=inspection.registration.unit if inspection.registration else inspection.campaign.unit,
                     target=inspection.registration or inspection.campaign, before=before,
                     after=audit.snapshot(inspection, ("follow_up_done_on", "follow_up_note")))
    return inspection


def support_record(*, actor, campaign: Campaign, given_on, description: str,
                   registration: Registration | None = None) -> SupportAction:
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        _check(actor, campaign, registration, given_on, "given_on")
        support = SupportAction(campaign=campaign, registration=registration, given_on=given_on,
                                description=description, recorded_by=actor)
        support.full_clean(exclude=["recorded_by"])
        support.save()
        audit.record(action=SUPPORT_RECORDED, actor=actor,
                     unit=registration.unit if registration else campaign.unit, target=registration or campaign,
                     after={"given_on": given_on.isoformat(),
                            "registrant": registration.registrant_name if registration else ""},
                     note=description[:200])
    return support
