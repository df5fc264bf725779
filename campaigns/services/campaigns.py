"""A campaign from draft to launch: created from scratch or a template, its targets endorsed, then launched."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, CampaignState, Stage, Target
from members import audit
from members.access import Action, policy
from members.models import Unit

__all__ = ["campaign_create", "campaign_endorse", "campaign_launch", "campaign_update", "locked_campaign"]

CAMPAIGN_CREATED = audit.register_action("campaign.created", gettext_lazy("Campaign created"))
CAMPAIGN_UPDATED = audit.register_action("campaign.updated", gettext_lazy("Campaign updated"))
CAMPAIGN_ENDORSED = audit.register_action("campaign.endorsed", gettext_lazy("Campaign targets endorsed"))
CAMPAIGN_LAUNCHED = audit.register_action("campaign.launched", gettext_lazy("Campaign launched"))

CAMPAIGN_FIELDS = ("title", "purpose", "content", "starts_on", "ends_on", "registration_ends_on", "open_to_units",
                   "open_to_collectives", "open_to_members", "coordination_rule")
TARGET_FIELDS = ("name", "measure", "direction", "weight")
STAGE_FIELDS = ("name", "starts_on", "ends_on")


def locked_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("unit").get(pk=campaign.pk)


def check_manager(actor, campaign_unit: Unit) -> None:
    if not policy.can(actor, Action.MANAGE_CAMPAIGNS, campaign_unit):
        raise PermissionDenied(_("Only the committee of %(unit)s runs its campaigns.") % {"unit": campaign_unit})


def _built_targets(campaign: Campaign, targets: list[dict]) -> list[Target]:
    if not targets:
        raise ValidationError({"targets": _("Give the campaign at least one measurable target.")})
    names = [target["name"].strip().casefold() for target in targets]
    if len(set(names)) != len(names):
        raise ValidationError({"targets": _("Two targets have the same name.")})
    built = []
    for order, values in enumerate(targets):
        target = Target(campaign=campaign, order=order, **{name: values[name] for name in TARGET_FIELDS})
        target.full_clean(exclude=["campaign"])
        built.append(target)
    return built


def _built_stages(campaign: Campaign, stages: list[dict]) -> list[Stage]:
    """Stages in date order, inside the campaign's dates and not overlapping."""
    ordered = sorted(stages, key=lambda values: values["starts_on"])
    built = []
    for number, values in enumerate(ordered, start=1):
        stage = Stage(campaign=campaign, number=number, **{name: values[name] for name in STAGE_FIELDS})
        stage.full_clean(exclude=["campaign"])
        if stage.starts_on < campaign.starts_on or stage.ends_on > campaign.ends_on:
            raise ValidationError({"stages": _("Stage %(number)s must lie within the campaign's dates.")
                                   % {"number": number}})
        if built and stage.starts_on <= built[-1].ends_on:
            raise ValidationError({"stages": _("Stage %(number)s starts before the stage before it ends.")
                                   % {"number": number}})
        built.append(stage)
    return built


def _members_in(campaign: Campaign, standing_members) -> list:
    outside = [member for member in standing_members if not member.unit.is_within(campaign.unit)]
    if outside:
        raise ValidationError({"standing_members": _("%(name)s is not in %(unit)s.")
                               % {"name": outside[0].full_name, "unit": campaign.unit}})
    return list(standing_members)


def _write_parts(campaign, targets, stages, standing_members):
    built_targets = _built_targets(campaign, targets)
    built_stages = _built_stages(campaign, stages)
    members = _members_in(campaign, standing_members)
    campaign.targets.all().delete()
    campaign.stages.all().delete()
    Target.objects.bulk_create(built_targets)
    Stage.objects.bulk_create(built_stages)
    campaign.standing_members.set(members)


def campaign_create(*, actor, unit: Unit, targets: list[dict], stages: list[dict] = (), standing_members=(),
                    template_key: str = "", **fields) -> Campaign:
    check_manager(actor, unit)
    campaign = Campaign(unit=unit, template_key=template_key, created_by=actor,
                        **{name: fields[name] for name in CAMPAIGN_FIELDS if name in fields})
    campaign.full_clean(exclude=["created_by"])
    with transaction.atomic():
        campaign.save()
        _write_parts(campaign, targets, list(stages), standing_members)
        audit.record(action=CAMPAIGN_CREATED, actor=actor, unit=unit, target=campaign,
                     after={**audit.snapshot(campaign, ("title", "starts_on", "ends_on")), "targets": len(targets),
                            "stages": len(stages), "template": template_key})
    return campaign


def campaign_update(*, actor, campaign: Campaign, targets: list[dict], stages: list[dict] = (), standing_members=(),
                    **fields) -> Campaign:
    """A campaign is edited while it is being prepared; once launched its targets are what people registered to."""
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        check_manager(actor, campaign.unit)
        if campaign.state != CampaignState.DRAFT:
            raise ValidationError(_("A launched campaign cannot be changed."))
        before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
        for name in CAMPAIGN_FIELDS:
            if name in fields:
                setattr(campaign, name, fields[name])
        # Changed targets need the leadership's endorsement again; other edits keep it.
        targets_before = [[t.name, t.measure, t.direction, t.weight] for t in campaign.targets.all()]
        targets_changed = targets_before != [[t[name] for name in TARGET_FIELDS] for t in targets]
        endorsement_before = audit.snapshot(campaign, ("endorsed_by", "endorsed_on"))
        if targets_changed:
            campaign.endorsed_on, campaign.endorsed_by = None, ""
        campaign.full_clean(exclude=["created_by"])
        campaign.save()
        _write_parts(campaign, targets, list(stages), standing_members)
        changed_before, changed_after = audit.changed_fields(
            {**before, **endorsement_before},
            audit.snapshot(campaign, (*CAMPAIGN_FIELDS, "endorsed_by", "endorsed_on")))
        audit.record(action=CAMPAIGN_UPDATED, actor=actor, unit=campaign.unit, target=campaign,
                     before=changed_before, after={**changed_after, "targets": len(targets), "stages": len(stages)})
    return campaign


def campaign_endorse(*, actor, campaign: Campaign, endorsed_by: str, endorsed_on, note: str = "") -> Campaign:
    """The Party and professional leadership agree to the targets (được lãnh đạo đồng tình); recorded, not signed."""
    if not endorsed_by.strip():
        raise ValidationError({"endorsed_by": _("Say who endorsed the targets.")})
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        check_manager(actor, campaign.unit)
        if campaign.state != CampaignState.DRAFT:
            raise ValidationError(_("The campaign is already launched."))
        if not campaign.targets.exists():
            raise ValidationError(_("Give the campaign its targets before they are endorsed."))
        campaign.endorsed_by, campaign.endorsed_on, campaign.endorsement_note = endorsed_by.strip(), endorsed_on, note
        campaign.save(update_fields=["endorsed_by", "endorsed_on", "endorsement_note"])
        audit.record(action=CAMPAIGN_ENDORSED, actor=actor, unit=campaign.unit, target=campaign,
                     after=audit.snapshot(campaign, ("endorsed_by", "endorsed_on")), note=note)
    return campaign


def campaign_launch(*, actor, campaign: Campaign, launched_on, launch_place: str) -> Campaign:
    """The launch ceremony (lễ phát động) opens registration."""
    if not launch_place.strip():
        raise ValidationError({"launch_place": _("Say where the launch ceremony is held.")})
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        check_manager(actor, campaign.unit)
        if campaign.state != CampaignState.DRAFT:
            raise ValidationError(_("The campaign is already launched."))
        if campaign.endorsed_on is None:
            raise ValidationError(_("The leadership must endorse the targets before the launch."))
        if launched_on > campaign.last_registration_day:
            raise ValidationError({"launched_on": _("The launch must come before registration closes.")})
        campaign.launched_on, campaign.launch_place = launched_on, launch_place.strip()
        campaign.state = CampaignState.LAUNCHED
        campaign.save(update_fields=["launched_on", "launch_place", "state"])
        audit.record(action=CAMPAIGN_LAUNCHED, actor=actor, unit=campaign.unit, target=campaign,
                     before={"state": CampaignState.DRAFT},
                     after={"state": campaign.state, **audit.snapshot(campaign, ("launched_on", "launch_place"))})
    return campaign
