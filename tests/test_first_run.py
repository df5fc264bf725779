"""The guided first run of a new secretary and the help page: each step ticks itself from what the unit holds,
the guide leaves once all three are done, and the help opens the reader's own part."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import Member
from movements import services as movement_services
from movements.models import MovementYear, YearState
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.movements.helpers import year_dates

pytestmark = pytest.mark.django_db


def _guide(client):
    return client.get(reverse("home")).context["first_steps"]


def test_the_guide_ticks_each_step_from_what_the_unit_holds_and_then_goes(secretary, superuser, tree):
    client = client_for(secretary)
    steps = _guide(client)
    assert [(step["key"], step["done"]) for step in steps] == [("members", False), ("year", False),
                                                               ("invite", False)]
    page = client.get(reverse("home")).content.decode()
    assert "Bắt đầu với đơn vị của bạn" in page and "Đoàn cấp trên mở năm phong trào" in page

    member = member_services.member_create(actor=secretary, unit=tree.branch_a, full_name="Lê Văn Tám",
                                           gender="male", is_union_member=True)
    assert [step["done"] for step in _guide(client)] == [True, False, False]

    today = timezone.localdate()
    last = movement_services.year_open(actor=superuser, unit=tree.sector, year=today.year - 1,
                                       **year_dates(today.replace(year=today.year - 1)))
    MovementYear.objects.filter(pk=last.pk).update(state=YearState.CLOSED)  # last year's, over
    assert [step["done"] for step in _guide(client)] == [True, False, False]

    # the sector opens this year
    year = movement_services.year_open(actor=superuser, unit=tree.sector, year=today.year, **year_dates(today))
    movement_services.year_publish(actor=superuser, movement_year=year)
    assert [step["done"] for step in _guide(client)] == [True, True, False]

    Member.objects.filter(pk=member.pk).update(user=UserFactory())  # the member signs in for the first time
    assert _guide(client) is None
    assert "Bắt đầu với đơn vị của bạn" not in client.get(reverse("home")).content.decode()


def test_a_member_sees_no_guide(member_user):
    assert _guide(client_for(member_user)) is None


@pytest.mark.parametrize(("persona", "open_parts"), [
    ("member_user", ["member"]), ("secretary", ["member", "secretary"]),
    ("grassroots_committee", ["member", "committee"])])
def test_the_help_opens_the_readers_own_parts(request, persona, open_parts):
    page = client_for(request.getfixturevalue(persona)).get(reverse("help"))
    assert page.status_code == 200
    text = page.content.decode()
    for part in ("member", "secretary", "committee"):
        tag = text.split(f'id="{part}"', 1)[1].split(">", 1)[0]
        assert ("open" in tag) == (part in open_parts), part
    assert "Dành cho Bí thư chi đoàn" in text and "Hướng dẫn" in text
