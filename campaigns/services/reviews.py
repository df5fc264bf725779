"""Interim (sơ kết) and final (tổng kết) reviews: the standings of that day, frozen into entries.

A review's entries never change once taken (ReviewEntry refuses it); the conclusions and each entry's note stay
editable. The final review ends the campaign."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, CampaignState, Outcome, Review, ReviewEntry, ReviewKind, Stage
from campaigns.services.campaigns import check_manager, locked_campaign
from campaigns.standings import campaign_standings
from members import audit
from movements.services.base import today

__all__ = ["default_outcome", "review_entry_note_update", "review_note_update", "review_take"]

REVIEW_TAKEN = audit.register_action("campaign.review_taken", gettext_lazy("Campaign review held"))
REVIEW_NOTE_UPDATED = audit.register_action("campaign.review_note_updated", gettext_lazy("Review notes changed"))


def default_outcome(standing) -> str:
    return Outcome.ACHIEVED if standing.met else Outcome.NOT_ACHIEVED


def review_take(*, actor, campaign: Campaign, kind: str, held_on, note: str = "", stage: Stage | None = None,
                outcomes: dict | None = None, small_awards: dict | None = None) -> Review:
    """Freeze the standings: for an interim review, from the reports dated up to the end of its stage.

    ``outcomes`` (final review) and ``small_awards`` map registration ids to the committee's choices; an
    outcome not given is "achieved" when every target is met, else "not achieved"."""
    outcomes, small_awards = outcomes or {}, small_awards or {}
    with transaction.atomic():
        campaign = locked_campaign(campaign)
        check_manager(actor, campaign.unit)
        if campaign.state != CampaignState.LAUNCHED:
            raise ValidationError(_("Only a running campaign is reviewed."))
        if held_on > today():
            raise ValidationError({"held_on": _("The date cannot be in the future.")})
        if kind == ReviewKind.INTERIM:
            if stage is None or stage.campaign_id != campaign.pk:
                raise ValidationError({"stage": _("Choose a stage of this campaign.")})
            if held_on < stage.ends_on:
                raise ValidationError({"held_on": _("A stage is reviewed once it has ended, on %(day)s or after.")
                                       % {"day": stage.ends_on.strftime("%d/%m/%Y")}})
            if Review.objects.filter(campaign=campaign, stage=stage).exists():
                raise ValidationError({"stage": _("%(stage)s has already been reviewed.") % {"stage": stage}})
            until = stage.ends_on
        else:
            stage, until = None, None
            if held_on < campaign.starts_on:
                raise ValidationError({"held_on": _("The final review comes after the campaign has begun.")})
        last_review = campaign.reviews.order_by("-held_on").first()
        if last_review and held_on < last_review.held_on:
            raise ValidationError({"held_on": _("A review cannot come before the one held on %(day)s.")
                                   % {"day": last_review.held_on.strftime("%d/%m/%Y")}})
        _targets, standings = campaign_standings(campaign, until=until)
        if not standings:
            raise ValidationError(_("No registration has been approved: there is nothing to review."))
        review = Review.objects.create(campaign=campaign, kind=kind, stage=stage, held_on=held_on, note=note,
                                       created_by=actor)
        entries = []
        for standing in standings:
            registration = standing.registration
            outcome = ""
            if kind == ReviewKind.FINAL:
                outcome = outcomes.get(registration.pk) or default_outcome(standing)
                if outcome not in Outcome.values:
                    raise ValidationError({f"outcome_{registration.pk}": _("Choose an outcome.")})
                if outcome == Outcome.PROPOSED_HIGHER and not standing.met:
                    raise ValidationError({f"outcome_{registration.pk}": _(
                        "%(name)s has not met every target and cannot be proposed for a higher award.")
                        % {"name": registration.registrant_name}})
            entries.append(ReviewEntry(
                review=review, registration=registration, registrant_kind=registration.kind,
                registrant_name=registration.registrant_name[:200], unit_name=registration.unit.name[:200],
                rank=standing.rank, score=standing.score, outcome=outcome,
                small_award=(small_awards.get(registration.pk) or "").strip()[:200],
                figures={str(figure.target_id): {"pledged": str(figure.pledged),
                                                 "reached": None if figure.reached is None else str(figure.reached),
                                                 "direction": figure.direction}
                         for figure in standing.figures}))
        ReviewEntry.objects.bulk_create(entries)
        if kind == ReviewKind.FINAL:
            campaign.state = CampaignState.REVIEWED
            campaign.save(update_fields=["state"])
        audit.record(action=REVIEW_TAKEN, actor=actor, unit=campaign.unit, target=campaign,
                     before={"state": CampaignState.LAUNCHED},
                     after={"state": campaign.state, "review": kind, "stage": str(stage or ""),
                            "entries": len(entries)}, note=note[:200])
    return review


def review_note_update(*, actor, review: Review, note: str) -> Review:
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).select_related("campaign__unit").get(pk=review.pk)
        check_manager(actor, review.campaign.unit)
        before = review.note
        review.note = note
        review.full_clean(exclude=["created_by", "stage"])
        review.save(update_fields=["note"])
        audit.record(action=REVIEW_NOTE_UPDATED, actor=actor, unit=review.campaign.unit, target=review.campaign,
                     before={"note": before}, after={"note": note})
    return review


def review_entry_note_update(*, actor, entry: ReviewEntry, note: str) -> ReviewEntry:
    with transaction.atomic():
        entry = (ReviewEntry.objects.select_for_update(of=("self",)).select_related("review__campaign__unit")
                 .get(pk=entry.pk))
        check_manager(actor, entry.review.campaign.unit)
        before = entry.note
        entry.note = note
        entry.save(update_fields=["note"])
        audit.record(action=REVIEW_NOTE_UPDATED, actor=actor, unit=entry.review.campaign.unit,
                     target=entry.review.campaign, before={"note": before}, after={"note": entry.note},
                     note=entry.registrant_name)
    return entry
