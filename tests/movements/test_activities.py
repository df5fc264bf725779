"""Professional development activities: QR check-in at the event, marking by the secretary, participation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry, Member
from movements import services
from movements.models import Activity, Attendance
from movements.selectors import member_participation
from tests.conftest import client_for
from tests.factories import MemberFactory


@pytest.fixture
def activity(secretary, tree):
    return services.activity_create(actor=secretary, unit=tree.branch_a, year=timezone.localdate().year,
                                    kind="seminar", title="Hội thảo an toàn người bệnh", starts_at=timezone.now(),
                                    place="Hội trường A")


def test_a_member_checks_in_once_with_the_qr_code(member_user, activity):
    first = services.attendance_check_in(actor=member_user, activity=activity, token=activity.checkin_token)
    second = services.attendance_check_in(actor=member_user, activity=activity, token=activity.checkin_token)
    assert first is not None and second is None
    assert Attendance.objects.filter(activity=activity).count() == 1
    assert AuditEntry.objects.filter(action=services.ATTENDANCE_CHECKED_IN).count() == 1


def test_an_old_qr_code_stops_working(member_user, secretary, activity):
    old = activity.checkin_token
    services.activity_renew_token(actor=secretary, activity=activity)
    with pytest.raises(ValidationError):
        services.attendance_check_in(actor=member_user, activity=Activity.objects.get(pk=activity.pk), token=old)


def test_check_in_only_on_the_day(member_user, activity):
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.attendance_check_in(actor=member_user, activity=Activity.objects.get(pk=activity.pk),
                                     token=activity.checkin_token)


def test_a_member_of_another_branch_cannot_check_in(sibling_secretary, activity):
    with pytest.raises(ValidationError):
        services.attendance_check_in(actor=sibling_secretary, activity=activity, token=activity.checkin_token)


def test_the_secretary_marks_members_present(secretary, activity, tree, member_in_a):
    assert services.attendance_mark(actor=secretary, activity=activity, members=[member_in_a]) == 1
    assert services.attendance_mark(actor=secretary, activity=activity, members=[member_in_a]) == 0
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=secretary, activity=activity, members=[MemberFactory(unit=tree.branch_b)])


def test_participation_counts_the_activities_of_the_branch_and_above(member_user, secretary, grassroots_committee,
                                                                     activity, tree):
    services.activity_create(actor=grassroots_committee, unit=tree.g1, year=activity.year, kind="talk",
                             title="Báo cáo chuyên đề", starts_at=timezone.now() - datetime.timedelta(hours=2))
    services.activity_create(actor=grassroots_committee, unit=tree.branch_b, year=activity.year, kind="talk",
                             title="Của chi đoàn khác", starts_at=timezone.now() - datetime.timedelta(hours=2))
    services.attendance_check_in(actor=member_user, activity=activity, token=activity.checkin_token)
    participation = member_participation(Member.objects.get(user=member_user), activity.year)
    assert (participation.attended, participation.expected, participation.percent) == (1, 2, 50)


def test_the_qr_code_and_the_check_in_pages(member_user, secretary, activity):
    image = client_for(secretary).get(reverse("movements:activity_qr_image", args=[activity.pk]))
    assert image["Content-Type"] == "image/svg+xml" and b"<svg" in image.content
    client = client_for(member_user)
    page = client.get(reverse("movements:checkin", args=[activity.checkin_token]))
    assert activity.title in page.content.decode()
    response = client.post(reverse("movements:checkin", args=[activity.checkin_token]))
    assert response.status_code == 302
    assert Attendance.objects.filter(activity=activity, member__user=member_user).exists()
    assert client.get(reverse("movements:checkin", args=["not-a-token"])).status_code == 404
    mine = client.get(reverse("movements:my_activities"))
    assert mine.context["participation"].attended == 1
