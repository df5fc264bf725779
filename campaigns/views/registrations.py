"""Pages of a registration: registering against the targets, its page with figures and progress, the moves of
approval, and the progress reports with their evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.forms import ProgressForm, RegistrationForm, target_values
from campaigns.models import CampaignState, ProgressReport, RegistrationState
from campaigns.standings import campaign_standings
from campaigns.views.base import get_campaign, get_registration
from members.forms import add_service_errors
from movements.uploads import stored_file_response

__all__ = [
    "progress_create",
    "progress_file",
    "registration_create",
    "registration_detail",
    "registration_edit",
    "registration_move",
]


def _registration_form_page(request, campaign, *, registration=None):
    targets = list(campaign.targets.all())
    choices = None
    if registration is None:
        choices = selectors.registrant_choices(request.user, campaign)
        if not choices:
            raise PermissionDenied(_("There is no one left that you may register for this campaign: your unit and "
                                     "you are registered already, or the campaign takes registrations from others."))
    initial_figures = ({figure.target_id: figure.pledged for figure in registration.figures.all()}
                       if registration else None)
    form = RegistrationForm(request.POST or None, targets=targets, choices=choices, initial_figures=initial_figures,
                            initial={"note": registration.note if registration else ""})
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            registration = services.registration_save(
                actor=request.user, campaign=campaign, registration=registration, note=form.cleaned_data["note"],
                pledges=target_values(form, targets), submit=submit,
                **(form.registrant_values() if choices is not None else {}))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The registration was sent for approval.") if submit
                             else _("The registration was saved as a draft; send it when it is ready."))
            return redirect("campaigns:registration", pk=registration.pk)
    return render(request, "campaigns/registration_form.html", {
        "form": form, "campaign": campaign, "registration": registration,
        "ancestors": selectors.crumbs(request.user, campaign.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request, pk):
    campaign = get_campaign(request.user, pk)
    if campaign.state != CampaignState.LAUNCHED or timezone.localdate() > campaign.last_registration_day:
        messages.error(request, _("Registration for this campaign is not open."))
        return redirect("campaigns:campaign", pk=campaign.pk)
    return _registration_form_page(request, campaign)


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, pk):
    registration = get_registration(request.user, pk)
    if not services.may_act_for(request.user, registration):
        raise PermissionDenied
    if not services.registration_may_change(request.user, registration):
        messages.error(request, _("This registration cannot be changed now: it has been sent, or registration "
                                  "has closed."))
        return redirect("campaigns:registration", pk=registration.pk)
    return _registration_form_page(request, registration.campaign, registration=registration)


@login_required
@require_GET
def registration_detail(request, pk):
    registration = get_registration(request.user, pk)
    campaign = registration.campaign
    standing = None
    if registration.state == RegistrationState.APPROVED:
        targets, standings = campaign_standings(campaign, today=timezone.localdate())
        standing = next((s for s in standings if s.registration.pk == registration.pk), None)
    else:
        targets = list(campaign.targets.all())
    acts_for = services.may_act_for(request.user, registration)
    return render(request, "campaigns/registration_detail.html", {
        "registration": registration, "campaign": campaign,
        "ancestors": selectors.crumbs(request.user, campaign.unit),
        "figures": [] if standing else registration.figures.select_related("target"),
        "standing": standing, "targets": targets,
        "reports": registration.progress_reports.select_related("stage").prefetch_related("figures__target"),
        "moves": services.registration_moves_allowed(request.user, registration),
        "may_edit": services.registration_may_change(request.user, registration),
        "may_report": acts_for and registration.state == RegistrationState.APPROVED
        and campaign.state == CampaignState.LAUNCHED,
        "inspections": registration.inspections.all(), "support_actions": registration.support_actions.all(),
        "timeline": selectors.timeline(request.user, registration),
    })


@login_required
@require_POST
def registration_move(request, pk, name):
    registration = get_registration(request.user, pk)
    if name not in services.REGISTRATION_MOVES:
        raise Http404
    try:
        moved = services.registration_move(actor=request.user, registration=registration, name=name,
                                           note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: the registration is now “%(state)s”.") % {"state": moved.get_state_display()})
    return redirect("campaigns:registration", pk=registration.pk)


@login_required
@require_http_methods(["GET", "POST"])
def progress_create(request, pk):
    registration = get_registration(request.user, pk)
    if not services.may_act_for(request.user, registration):
        raise PermissionDenied
    campaign = registration.campaign
    if campaign.state != CampaignState.LAUNCHED or registration.state != RegistrationState.APPROVED:
        messages.error(request, _("Progress is reported on an approved registration while the campaign runs."))
        return redirect("campaigns:registration", pk=registration.pk)
    targets = list(campaign.targets.all())
    form = ProgressForm(request.POST or None, request.FILES or None, targets=targets, stages=campaign.stages.all(),
                        initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(actor=request.user, registration=registration, reported_on=data["reported_on"],
                                     text=data["text"], figures=target_values(form, targets),
                                     stage=data.get("stage"), upload=data.get("file"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The progress report was added."))
            return redirect("campaigns:registration", pk=registration.pk)
    return render(request, "campaigns/progress_form.html", {
        "form": form, "registration": registration, "campaign": campaign,
        "ancestors": selectors.crumbs(request.user, campaign.unit),
    })


@login_required
@require_GET
def progress_file(request, pk):
    try:
        report = ProgressReport.objects.select_related("registration").get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError):
        raise Http404 from None
    get_registration(request.user, report.registration_id)
    if not report.file:
        raise Http404
    return stored_file_response(report.file, content_type=report.content_type, name=report.original_name)
