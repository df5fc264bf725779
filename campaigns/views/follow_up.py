"""Pages of monitoring and support: recording an inspection visit, its follow-up, and support given."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns import selectors, services
from campaigns.forms import FollowUpForm, InspectionForm, SupportForm
from campaigns.models import CampaignState, Inspection, RegistrationState
from campaigns.views.base import get_campaign
from members.forms import add_service_errors

__all__ = ["inspection_create", "inspection_follow_up", "support_create"]


def _followed_campaign(user, pk):
    campaign = get_campaign(user, pk)
    if not services.may_follow(user, campaign):
        raise PermissionDenied
    return campaign


def _follow_up_page(request, campaign, form_class, *, record, heading, success):
    if campaign.state != CampaignState.LAUNCHED:
        messages.error(request, _("The campaign is not running."))
        return redirect("campaigns:campaign", pk=campaign.pk)
    registrations = selectors.registrations_for(request.user, campaign).exclude(state=RegistrationState.DRAFT)
    form = form_class(request.POST or None, registrations=registrations, initial={
        "visited_on": timezone.localdate(), "given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("campaigns:campaign", pk=campaign.pk)
    return render(request, "campaigns/follow_up_form.html", {
        "form": form, "campaign": campaign, "heading": heading,
        "ancestors": selectors.crumbs(request.user, campaign.unit)})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request, pk):
    return _follow_up_page(request, _followed_campaign(request.user, pk), InspectionForm,
                           record=services.inspection_record, heading=_("Record an inspection visit"),
                           success=_("The inspection was recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request, pk):
    return _follow_up_page(request, _followed_campaign(request.user, pk), SupportForm,
                           record=services.support_record, heading=_("Record support given"),
                           success=_("The support was recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def inspection_follow_up(request, pk):
    try:
        inspection = Inspection.objects.select_related("campaign", "registration").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError):
        raise Http404 from None
    campaign = _followed_campaign(request.user, inspection.campaign_id)
    if inspection.follow_up_done_on or campaign.state != CampaignState.LAUNCHED:
        messages.error(request, _("The follow-up of this inspection is already recorded.") if inspection.follow_up_done_on
                       else _("The campaign is not running."))
        return redirect("campaigns:campaign", pk=campaign.pk)
    form = FollowUpForm(request.POST or None, initial={"follow_up_done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_follow_up(actor=request.user, inspection=inspection,
                                          done_on=form.cleaned_data["follow_up_done_on"],
                                          note=form.cleaned_data["follow_up_note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("campaigns:campaign", pk=campaign.pk)
    return render(request, "campaigns/follow_up_form.html", {
        "form": form, "campaign": campaign, "inspection": inspection, "heading": _("Follow up an inspection"),
        "ancestors": selectors.crumbs(request.user, campaign.unit)})
