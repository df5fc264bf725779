"""Lookups the campaign pages share: each fetches through the access policy (404 outside, 403 without the right)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaigns import selectors
from campaigns.models import Award, Campaign, Registration
from members.access import Action, policy


def get_campaign(user, pk) -> Campaign:
    try:
        return selectors.campaigns_for(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError):
        raise Http404 from None


def get_campaign_to_manage(user, pk) -> Campaign:
    campaign = get_campaign(user, pk)
    if not policy.can(user, Action.MANAGE_CAMPAIGNS, campaign.unit):
        raise PermissionDenied
    return campaign


def get_registration(user, pk) -> Registration:
    """A registration the user may read; one of a member they may not see does not exist for them."""
    try:
        return selectors.registrations_for(user).get(pk=pk)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None


def get_award(user, pk) -> Award:
    """The award's recipient sees it; the officers over the recipient's unit see it; for others it does not exist
    (outside their reach) or is refused (inside it, without the right)."""
    try:
        award = Award.objects.select_related("title", "unit", "proposing_unit", "member__user", "collective",
                                             "review_entry__review__campaign", "review_entry__review__stage").get(pk=pk)
    except (Award.DoesNotExist, ValueError):
        raise Http404 from None
    if award.member_id and award.member.user_id == user.pk:
        return award
    policy.check(user, Action.VIEW_AWARDS, award.unit)
    return award
