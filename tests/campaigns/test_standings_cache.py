"""The ranking kept in the cache is shown to each reader through the same access policy as the registrations
themselves: row for row, what campaigns.selectors.registrations_for lets them read, members' own included."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from campaigns.models import Campaign, CampaignState, RecipientKind, Registration, RegistrationState
from campaigns.selectors import registrations_for
from campaigns.standings import standings_today
from campaigns.views.base import visible_standings
from members.models import Member
from tests.test_crawl import demo  # noqa: F401 (the fixture)

PERSONAS = ["admin", "thanhdoan", "thuongvu", "bithu", "bithu2", "doanvien"]


@pytest.fixture
def member_registered(demo):  # noqa: F811
    """A member's own registration beside the branches', so that every kind of row is ranked."""
    campaign = (Campaign.objects.filter(state=CampaignState.LAUNCHED).annotate(registered=Count("registrations"))
                .order_by("-registered", "pk").first())
    member = Member.objects.get(user__username="doanvien")
    Registration.objects.create(campaign=campaign, kind=RecipientKind.MEMBER, member=member, unit=member.unit,
                                state=RegistrationState.APPROVED)
    return campaign


def test_each_reader_sees_the_rows_the_policy_lets_them_read(member_registered):
    seen = {}
    for username in PERSONAS:
        user = get_user_model().objects.get(username=username)
        for campaign in Campaign.objects.exclude(state=CampaignState.DRAFT):
            _targets, standings = standings_today(campaign)
            shown = {standing.registration.pk for standing in visible_standings(user, standings)}
            readable = set(registrations_for(user, campaign).filter(state=RegistrationState.APPROVED)
                           .values_list("pk", flat=True))
            assert shown == readable, (username, campaign.title)
            seen[username, campaign.pk] = len(shown)
    member_campaign = member_registered.pk
    # The walk compares real rows: the city sees every one, a member sees their own and no other member's.
    assert seen["thanhdoan", member_campaign] > seen["doanvien", member_campaign] > 0
