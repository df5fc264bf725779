"""Pages of reviews: holding an interim or the final review from the live standings, and the frozen result with
its editable notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.forms import EntryNoteForm, NoteForm, ReviewForm
from campaigns.models import CampaignState, Review, ReviewEntry, ReviewKind
from campaigns.standings import campaign_standings
from campaigns.views.base import get_campaign, get_campaign_to_manage
from members.access import Action, policy
from members.forms import add_service_errors
from reports.page_cache import kept_for_reader

__all__ = ["review_create", "review_detail", "review_entry_note", "review_note"]


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request, pk):
    campaign = get_campaign_to_manage(request.user, pk)
    if campaign.state != CampaignState.LAUNCHED:
        messages.error(request, _("Only a running campaign is reviewed."))
        return redirect("campaigns:campaign", pk=campaign.pk)
    stage = None
    stage_id = request.GET.get("stage", "")
    if stage_id:
        stage = campaign.stages.filter(pk=stage_id if stage_id.isdigit() else 0).first()
        if stage is None:
            raise Http404
        if campaign.reviews.filter(stage=stage).exists():
            messages.error(request, _("%(stage)s has already been reviewed.") % {"stage": stage})
            return redirect("campaigns:campaign", pk=campaign.pk)
    final = stage is None
    _targets, standings = campaign_standings(campaign, until=None if final else stage.ends_on)
    form = ReviewForm(request.POST or None, standings=standings, final=final,
                      initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_take(
                actor=request.user, campaign=campaign, kind=ReviewKind.FINAL if final else ReviewKind.INTERIM,
                stage=stage, held_on=form.cleaned_data["held_on"], note=form.cleaned_data["note"],
                outcomes=form.choices_by_registration("outcome_"),
                small_awards=form.choices_by_registration("small_award_"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review is recorded; its figures and ranking are now frozen."))
            return redirect("campaigns:review", pk=review.pk)
    return render(request, "campaigns/review_form.html", {
        "form": form, "campaign": campaign, "stage": stage, "final": final,
        "ancestors": selectors.crumbs(request.user, campaign.unit),
    })


def _get_review(user, pk) -> Review:
    try:
        review = Review.objects.select_related("stage").get(pk=pk)
    except (Review.DoesNotExist, ValueError):
        raise Http404 from None
    review.campaign = get_campaign(user, review.campaign_id)
    return review


@login_required
@require_GET
@kept_for_reader
def review_detail(request, pk):
    review = _get_review(request.user, pk)
    campaign = review.campaign
    entries = list(review.entries.all())
    targets = list(campaign.targets.all())
    visible = selectors.visible_registration_ids(request.user, (entry.registration_id for entry in entries))
    rows = [(entry, [(target, entry.figures.get(str(target.pk))) for target in targets])
            for entry in entries if entry.registration_id in visible]
    return render(request, "campaigns/review_detail.html", {
        "review": review, "campaign": campaign, "rows": rows, "targets": targets, "field_size": len(entries),
        "ancestors": selectors.crumbs(request.user, campaign.unit),
        "manages": policy.can(request.user, Action.MANAGE_CAMPAIGNS, campaign.unit),
        "may_propose": policy.can(request.user, Action.MANAGE_AWARDS, campaign.unit),
        "may_export": policy.can(request.user, Action.VIEW_REPORTS, campaign.unit),
        "note_form": NoteForm(initial={"note": review.note}),
    })


@login_required
@require_POST
def review_note(request, pk):
    review = _get_review(request.user, pk)
    get_campaign_to_manage(request.user, review.campaign.pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.review_note_update(actor=request.user, review=review, note=form.cleaned_data["note"])
        messages.success(request, _("The conclusions were saved."))
    else:
        messages.error(request, " ".join(form.errors["note"]))
    return redirect("campaigns:review", pk=review.pk)


@login_required
@require_POST
def review_entry_note(request, pk):
    try:
        entry = ReviewEntry.objects.select_related("review").get(pk=pk)
    except (ReviewEntry.DoesNotExist, ValueError):
        raise Http404 from None
    get_campaign_to_manage(request.user, entry.review.campaign_id)
    form = EntryNoteForm(request.POST)
    if form.is_valid():
        services.review_entry_note_update(actor=request.user, entry=entry, note=form.cleaned_data["note"])
        messages.success(request, _("The note on %(name)s was saved.") % {"name": entry.registrant_name})
    else:
        messages.error(request, " ".join(form.errors["note"]))
    return redirect("campaigns:review", pk=entry.review_id)
