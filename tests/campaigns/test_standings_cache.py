"""The ranking kept in the cache is shown to each reader through the same access policy as the registrations
themselves: row for row, what campaigns.selectors.registrations_for lets them read, members' own included."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign, CampaignState, RecipientKind, Registration, RegistrationState
from campaigns.selectors import registrations_for
from campaigns.standings import reader_page, readers_laggards
from members.models import Member
from reports import caching
from tests.campaigns.conftest import report
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
            _targets, _field, page = reader_page(user, campaign, 1, page_size=10_000)
            shown = {standing.registration.pk for standing in page.object_list}
            readable = set(registrations_for(user, campaign).filter(state=RegistrationState.APPROVED)
                           .values_list("pk", flat=True))
            assert shown == readable, (username, campaign.title)
            seen[username, campaign.pk] = len(shown)
    member_campaign = member_registered.pk
    # The walk compares real rows: the city sees every one, a member sees their own and no other member's.
    assert seen["thanhdoan", member_campaign] > seen["doanvien", member_campaign] > 0


def test_the_readers_page_of_a_ranking_comes_from_the_cache(campaign, approved_a, secretary, grassroots_committee,
                                                             outsider):
    report(secretary, approved_a, 1, 40)
    caching.new_version()
    targets, field_size, page = reader_page(grassroots_committee, campaign, 1, page_size=10)
    assert field_size == 1 and [standing.registration.pk for standing in page.object_list] == [approved_a.pk]
    assert page.paginator.count == 1 and page.number == 1 and targets
    with CaptureQueriesContext(connection) as queries:
        _targets, _size, again = reader_page(grassroots_committee, campaign, 1, page_size=10)
        behind_count, behind = readers_laggards(grassroots_committee, campaign, 10)
        behind_count, behind = readers_laggards(grassroots_committee, campaign, 10)
    assert [standing.registration.pk for standing in again.object_list] == [approved_a.pk]
    assert behind_count == 1 and [standing.registration.pk for standing in behind] == [approved_a.pk]
    assert not [query for query in queries if '"campaigns_' in query["sql"]]  # the ranking was not run again
    # Another reader's page is their own: a stranger to the unit reads no row of it.
    assert reader_page(outsider, campaign, 1, page_size=10)[2].object_list == []
    assert readers_laggards(outsider, campaign, 10) == (0, [])
