"""Campaigns for the tests: launched by the grassroots union G1 (over branches A and B) unless told otherwise."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.models import RecipientKind

DAY = datetime.timedelta(days=1)

TARGETS = [
    {"name": "Lượt khám miễn phí", "measure": "lượt", "direction": "higher", "weight": 2},
    {"name": "Phản ánh của người bệnh", "measure": "lượt", "direction": "lower", "weight": 1},
]


def stages_around(today):
    return [{"name": "Chặng 1", "starts_on": today - 10 * DAY, "ends_on": today},
            {"name": "Chặng 2", "starts_on": today + DAY, "ends_on": today + 20 * DAY}]


def make_campaign(actor, unit, *, launch=True, stages=True, **fields):
    today = timezone.localdate()
    values = {"title": "Tháng Thanh niên", "purpose": "Phát huy vai trò xung kích", "content": "Ra quân công trình",
              "starts_on": today - 10 * DAY, "ends_on": today + 20 * DAY, "open_to_units": True,
              "open_to_members": True, **fields}
    campaign = services.campaign_create(actor=actor, unit=unit, targets=TARGETS,
                                        stages=stages_around(today) if stages else [], **values)
    if launch:
        services.campaign_endorse(actor=actor, campaign=campaign, endorsed_by="Đảng ủy Bệnh viện",
                                  endorsed_on=today - 12 * DAY)
        campaign = services.campaign_launch(actor=actor, campaign=campaign, launched_on=today - 10 * DAY,
                                            launch_place="Hội trường A")
    return campaign


def pledges(campaign, *values):
    return {target.pk: Decimal(value) for target, value in zip(campaign.targets.all(), values, strict=True)}


def register_unit(actor, campaign, unit, *values, submit=True):
    return services.registration_save(actor=actor, campaign=campaign, kind=RecipientKind.UNIT, unit=unit,
                                      pledges=pledges(campaign, *(values or (100, 10))), submit=submit)


def register_member(committee, unit, member, user, *, submit=False):
    """``user`` becomes the member's account and registers them in a new campaign ``committee`` launched at
    ``unit``, pledging 1 for every target."""
    from members.models import Member

    Member.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
    Member.objects.filter(pk=member.pk).update(user=user)
    member.refresh_from_db()
    campaign = make_campaign(committee, unit)
    return services.registration_save(actor=user, campaign=campaign, kind=RecipientKind.MEMBER, member=member,
                                      pledges=pledges(campaign, *[1] * campaign.targets.count()), submit=submit)


def report(actor, registration, *values, on=None):
    campaign = registration.campaign
    return services.progress_report(actor=actor, registration=registration,
                                    reported_on=on or timezone.localdate(), text="Đã thực hiện",
                                    figures=pledges(campaign, *values))


@pytest.fixture
def campaign(grassroots_committee, tree):
    return make_campaign(grassroots_committee, tree.g1)


@pytest.fixture
def approved_a(campaign, secretary, grassroots_committee, tree):
    registration = register_unit(secretary, campaign, tree.branch_a)
    return services.registration_move(actor=grassroots_committee, registration=registration, name="approve")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
