"""Pages of campaigns: the list, creating one (from scratch or a template), its page, endorsing and launching,
the leaderboard, and the registrations of a union combined and forwarded upward."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.catalogue import COORDINATION_RULE, TEMPLATES, TEMPLATES_BY_KEY
from campaigns.forms import CampaignForm, EndorseForm, LaunchForm, StageFormSet, TargetFormSet
from campaigns.models import CampaignState, RegistrationState, ReviewKind
from campaigns.services import CAMPAIGN_FIELDS, may_follow
from campaigns.standings import reader_page, readers_laggards
from campaigns.views.base import get_campaign, get_campaign_to_manage
from members.access import Action, policy
from members.forms import add_service_errors
from members.selectors import current_unit, visible_ancestors, working_unit
from reports.caching import CachedCountPaginator
from reports.page_cache import kept_for_reader

__all__ = [
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_endorse",
    "campaign_forward",
    "campaign_launch",
    "campaign_leaderboard",
    "campaign_list",
    "campaign_registrations",
]

LEADERBOARD_PAGE_SIZE = 100
BEHIND_SHOWN = 10


@login_required
@require_GET
@kept_for_reader
def campaign_list(request):
    unit = working_unit(request, Action.VIEW_CAMPAIGNS)
    campaigns = selectors.campaigns_of_unit(request.user, unit)
    state = request.GET.get("state", "")
    if state in CampaignState.values:
        campaigns = campaigns.filter(state=state)
    page = CachedCountPaginator(campaigns, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/campaign_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "page": page, "state": state,
        "states": CampaignState.choices, "query": f"state={state}" if state else "",
        "may_create": policy.can(request.user, Action.MANAGE_CAMPAIGNS, unit),
    })


def _campaign_form_page(request, *, unit, campaign=None, template=None):
    standing_choices = selectors.standing_member_choices(request.user, unit)
    if campaign is not None:
        initial = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
        initial["standing_members"] = list(campaign.standing_members.values_list("pk", flat=True))
        target_rows = [{"name": t.name, "measure": t.measure, "direction": t.direction, "weight": t.weight}
                       for t in campaign.targets.all()]
        stage_rows = [{"name": s.name, "starts_on": s.starts_on, "ends_on": s.ends_on} for s in campaign.stages.all()]
    elif template is not None:
        today = timezone.localdate()
        starts_on, ends_on = template.dates(today)
        initial = {"title": f"{template.title} năm {starts_on.year}", "purpose": template.purpose,
                   "content": template.content, "starts_on": starts_on, "ends_on": ends_on,
                   "coordination_rule": COORDINATION_RULE,
                   "open_to_units": "units" in template.open_to,
                   "open_to_collectives": "collectives" in template.open_to,
                   "open_to_members": "members" in template.open_to}
        target_rows, stage_rows = template.target_rows(), template.stage_rows(today)
    else:
        initial, target_rows, stage_rows = {"open_to_units": True}, [], []
    form = CampaignForm(request.POST or None, initial=initial, standing_choices=standing_choices)
    targets = TargetFormSet(request.POST or None, initial=target_rows, prefix="targets")
    stages = StageFormSet(request.POST or None, initial=stage_rows, prefix="stages")
    if request.method == "POST" and form.is_valid() and targets.is_valid() and stages.is_valid():
        data = form.cleaned_data
        parts = {"targets": targets.rows(), "stages": stages.rows(), "standing_members": data["standing_members"],
                 **{name: data[name] for name in CAMPAIGN_FIELDS}}
        try:
            if campaign is None:
                campaign = services.campaign_create(actor=request.user, unit=unit,
                                                    template_key=template.key if template else "", **parts)
            else:
                services.campaign_update(actor=request.user, campaign=campaign, **parts)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field in ("targets", "stages"):
                    for message in error.error_dict.pop(field, []):
                        messages.error(request, " ".join(message.messages))
            add_service_errors(form, error)
        else:
            messages.success(request, _("The campaign was saved. Next: have its targets endorsed, then launch it."))
            return redirect("campaigns:campaign", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {
        "form": form, "targets": targets, "stages": stages, "unit": unit, "campaign": campaign,
        "template": template, "templates": TEMPLATES if campaign is None else (),
        "ancestors": visible_ancestors(request.user, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    unit = working_unit(request, Action.MANAGE_CAMPAIGNS)
    template = TEMPLATES_BY_KEY.get(request.GET.get("template", ""))
    return _campaign_form_page(request, unit=unit, template=template)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = get_campaign_to_manage(request.user, pk)
    if campaign.state != CampaignState.DRAFT:
        messages.error(request, _("A launched campaign cannot be changed."))
        return redirect("campaigns:campaign", pk=campaign.pk)
    return _campaign_form_page(request, unit=campaign.unit, campaign=campaign)


def _campaign_page(request, campaign, *, endorse_form=None, launch_form=None):
    user = request.user
    manages = policy.can(user, Action.MANAGE_CAMPAIGNS, campaign.unit)
    today = timezone.localdate()
    running = campaign.state == CampaignState.LAUNCHED
    stages = list(campaign.stages.all())
    behind_count, behind_shown = readers_laggards(user, campaign, BEHIND_SHOWN) if running else (0, [])
    registrations = selectors.registrations_for(user, campaign)
    reviews = list(campaign.reviews.select_related("stage"))
    reviewed_stage_ids = {review.stage_id for review in reviews}
    inspections, support_actions = selectors.follow_ups_for(user, campaign)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "ancestors": selectors.crumbs(user, campaign.unit),
        "targets": list(campaign.targets.all()), "stages": stages, "reviews": reviews,
        "standing_members": campaign.standing_members.select_related("unit"),
        # Those behind on the most targets first, the lower score first among them, a few: a city-wide campaign
        # may have hundreds behind on some target.
        # Those behind on the most targets first: a city-wide campaign may have hundreds behind on some target.
        "behind_count": behind_count, "behind_shown": behind_shown,
        "my_registrations": selectors.registrations_acted_for(user, campaign),
        "counts": dict(registrations.order_by().values_list("state").annotate(n=Count("pk"))),
        "inspections": inspections[:10], "support_actions": support_actions[:10],
        "forwardings": selectors.forwardings_for(user, campaign),
        "manages": manages, "follows": running and may_follow(user, campaign),
        "may_register": running and today <= campaign.last_registration_day
        and bool(selectors.registrant_choices(user, campaign)),
        "stages_to_review": [stage for stage in stages if stage.pk not in reviewed_stage_ids
                             and stage.ends_on <= today] if manages and running else [],
        "may_final_review": manages and running and today >= campaign.starts_on,
        "endorse_form": endorse_form or (EndorseForm(initial={"endorsed_on": today})
                                         if manages and campaign.state == CampaignState.DRAFT else None),
        "launch_form": launch_form or (LaunchForm(initial={"launched_on": today})
                                       if manages and campaign.state == CampaignState.DRAFT
                                       and campaign.endorsed_on else None),
        "timeline": selectors.timeline(user, campaign), "final": ReviewKind.FINAL,
    })


@login_required
@require_GET
def campaign_detail(request, pk):
    return _campaign_page(request, get_campaign(request.user, pk))


@login_required
@require_POST
def campaign_endorse(request, pk):
    campaign = get_campaign_to_manage(request.user, pk)
    form = EndorseForm(request.POST)
    if not form.is_valid():
        return _campaign_page(request, campaign, endorse_form=form)
    data = form.cleaned_data
    try:
        services.campaign_endorse(actor=request.user, campaign=campaign, endorsed_by=data["endorsed_by"],
                                  endorsed_on=data["endorsed_on"], note=data["endorsement_note"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _campaign_page(request, campaign, endorse_form=form)
    messages.success(request, _("The endorsement of the targets was recorded. The campaign can now be launched."))
    return redirect("campaigns:campaign", pk=campaign.pk)


@login_required
@require_POST
def campaign_launch(request, pk):
    campaign = get_campaign_to_manage(request.user, pk)
    form = LaunchForm(request.POST)
    if not form.is_valid():
        return _campaign_page(request, campaign, launch_form=form)
    try:
        services.campaign_launch(actor=request.user, campaign=campaign, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _campaign_page(request, campaign, launch_form=form)
    messages.success(request, _("The campaign is launched: the units under it can register now."))
    return redirect("campaigns:campaign", pk=campaign.pk)


@login_required
@require_GET
@kept_for_reader
def campaign_leaderboard(request, pk):
    campaign = get_campaign(request.user, pk)
    today = timezone.localdate()
    # A city-wide campaign ranks hundreds of branches: a page at a time, each row with its rank in the whole field.
    targets, field_size, page = reader_page(request.user, campaign, request.GET.get("page"), LEADERBOARD_PAGE_SIZE)
    return render(request, "campaigns/leaderboard.html", {
        "campaign": campaign, "ancestors": selectors.crumbs(request.user, campaign.unit), "targets": targets,
        "standings": page.object_list, "page": page, "field_size": field_size, "today": today,
        "running": campaign.state == CampaignState.LAUNCHED,
    })


def _forward_unit(request, campaign):
    """The union the reader works in, if it may combine and forward its registrations for this campaign."""
    unit = current_unit(request)
    if unit is None:
        return None
    return selectors.forwarding_units(request.user, campaign).filter(pk=unit.pk).first()


@login_required
@require_GET
@kept_for_reader
def campaign_registrations(request, pk):
    return _registrations_page(request, get_campaign(request.user, pk))


def _registrations_page(request, campaign, typed_note=""):
    registrations = selectors.registrations_for(request.user, campaign).order_by("unit__path", "kind", "id")
    state = request.GET.get("state", "")
    if state in RegistrationState.values:
        registrations = registrations.filter(state=state)
    forward_unit = _forward_unit(request, campaign)
    combined = None
    if forward_unit is not None:
        combined = selectors.combined_figures(campaign, forward_unit)
    page = CachedCountPaginator(registrations, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/registration_list.html", {
        "campaign": campaign, "ancestors": selectors.crumbs(request.user, campaign.unit), "page": page,
        "state": state, "states": RegistrationState.choices, "query": f"state={state}" if state else "",
        "forward_unit": forward_unit, "combined": combined,
        "forwarded": forward_unit is not None and campaign.forwardings.filter(unit=forward_unit).first(),
        "running": campaign.state == CampaignState.LAUNCHED, "typed_note": typed_note,
    })


@login_required
@require_POST
def campaign_forward(request, pk):
    campaign = get_campaign(request.user, pk)
    unit = _forward_unit(request, campaign)
    if unit is None:
        raise PermissionDenied
    try:
        services.registration_forward(actor=request.user, campaign=campaign, unit=unit,
                                      note=request.POST.get("note", "")[:2000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _registrations_page(request, campaign, typed_note=request.POST.get("note", ""))
    else:
        messages.success(request, _("The combined registrations of %(unit)s were forwarded to %(above)s.")
                         % {"unit": unit, "above": campaign.unit})
    return redirect("campaigns:registrations", pk=campaign.pk)
