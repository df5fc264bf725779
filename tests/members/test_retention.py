"""Retention: a closed record loses the person's details when its union's period ends; the figures stay."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Award, AwardTitle, Feedback, FeedbackPointKind
from members import access_log, life, retention, services
from members.models import AccessEntry, AccessKind, AuditEntry, Member, MemberStatus, Notification, Role
from reports.figures import unit_figures
from tests.conftest import client_for

TODAY = timezone.localdate()


def close(secretary, member, years_ago: int):
    life.member_close(actor=secretary, member=member, status=MemberStatus.LEFT, closed_on=TODAY, note="Nghỉ việc")
    Member.objects.filter(pk=member.pk).update(closed_on=TODAY.replace(year=TODAY.year - years_ago))
    member.refresh_from_db()
    return member


def test_a_record_is_due_when_its_unions_period_ends(secretary, grassroots_committee, member_in_a, member_user, tree,
                                                     settings):
    settings.RETENTION_YEARS = 5
    old = close(secretary, member_in_a, 3)
    recent = close(secretary, Member.objects.get(user=member_user), 1)
    assert retention.due_for_pseudonymising() == []
    retention.unit_set_retention(actor=grassroots_committee, unit=tree.g1, years=2)
    assert retention.retention_for(tree.branch_a) == 2
    assert retention.due_for_pseudonymising() == [old]
    assert recent not in retention.due_for_pseudonymising()
    assert AuditEntry.objects.get(action="unit.retention_set").after == {"retention_years": 2}


def test_only_the_unions_own_committee_sets_its_period(secretary, city_committee, tree):
    with pytest.raises(PermissionDenied):
        retention.unit_set_retention(actor=secretary, unit=tree.branch_a, years=1)
    with pytest.raises(PermissionDenied):  # the city sets its own, not its grassroots unions'
        retention.unit_set_retention(actor=city_committee, unit=tree.g1, years=1)
    tree.g1.refresh_from_db()
    assert tree.g1.retention_years is None


def test_pseudonymising_removes_the_person_everywhere_and_keeps_every_figure(
        secretary, grassroots_committee, city_committee, member_user, commitment_in_a, tree, superuser):
    member = commitment_in_a.member
    Member.objects.filter(user=member_user).exclude(pk=member.pk).update(user=None)
    member.user = member_user
    member.phone, member.email, member.consents_to_feedback_naming = "0903123456", "khoa@example.org", True
    member.save()
    name, card = member.full_name, member.card_number
    title = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")
    campaign_services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                                    achievements="Tận tình", member=member)
    point = campaign_services.point_create(actor=secretary, unit=tree.branch_a, kind=FeedbackPointKind.DESK,
                                           name="Bàn hướng dẫn", invitation="Mời", questions=["Thái độ"])
    campaign_services.feedback_submit(point=point, scores={point.questions.get().pk: 5}, served_by_name=name)
    access_log.record_view(secretary, member, AccessKind.PROFILE)
    client_for(secretary).post(reverse("members:edit", args=[member.pk]), {})  # whatever it records
    # The login name copied elsewhere: a role once held, the admin's log, the sign-in logs.
    login_name = member_user.username = card
    member_user.save()
    services.role_revoke(actor=superuser, assignment=services.role_assign(actor=superuser, user=member_user,
                                                                          unit=tree.branch_a, role=Role.SECRETARY))
    LogEntry.objects.log_actions(user_id=superuser.pk, queryset=[member, member_user, *Award.objects.filter(
        member=member)], action_flag=CHANGE)
    Notification.objects.create(user=secretary, message=f"Bản đăng ký thi đua của {name} đã được duyệt.")
    Notification.objects.create(user=member_user, message="Bản đăng ký thi đua của bạn đã được duyệt.")
    access_log.record_export(secretary, tree.branch_a, f"Danh sách đoàn viên (Excel) q: {card}")
    access_log.record_export(secretary, tree.branch_a, f"Danh sách đoàn viên (Excel) q: {name}n")  # another name
    AccessFailureLog.objects.create(username=login_name, ip_address="127.0.0.1", user_agent="x",
                                    attempt_time=timezone.now())
    AccessLog.objects.create(username=login_name, ip_address="127.0.0.1", user_agent="x", attempt_time=timezone.now())
    AccessAttempt.objects.create(username=login_name, ip_address="127.0.0.1", user_agent="x", failures_since_start=2,
                                 attempt_time=timezone.now())
    close(secretary, member, 10)
    before = unit_figures(city_committee, tree.city, commitment_in_a.movement_year.year)

    assert retention.pseudonymise_due() == 1
    member.refresh_from_db()
    member_user.refresh_from_db()
    alias = f"Đoàn viên #{member.pk}"
    assert member.full_name == alias and member.pseudonymised_at is not None
    assert (member.birth_date, member.card_number, member.phone, member.email, member.user) == (None, "", "", "",
                                                                                               None)
    assert not member_user.is_active and member_user.username == f"an-danh-{member.pk}"
    assert Award.objects.get(member=member).recipient_name == alias
    assert Feedback.objects.get().served_by_name == "" and Feedback.objects.get().member == member
    for entry in AuditEntry.objects.all():
        text = f"{entry.target_repr} {entry.before} {entry.after} {entry.note} {entry.actor_name}"
        assert name not in text and card not in text and "0903123456" not in text, entry.action
    assert not AccessEntry.objects.filter(user_name=name).exists()
    for text in [*LogEntry.objects.values_list("object_repr", flat=True),
                 *Notification.objects.values_list("message", flat=True),
                 *AccessEntry.objects.values_list("what", flat=True)]:
        assert name not in text.replace(f"{name}n", "") and card not in text, text
    assert LogEntry.objects.filter(object_repr=alias).count() == 2
    assert not Notification.objects.filter(user=member_user).exists()
    assert AccessEntry.objects.filter(what__endswith=f"q: {name}n").exists()  # another person's name stays
    assert not AccessLog.objects.filter(username=login_name).exists()
    assert not AccessFailureLog.objects.filter(username=login_name).exists()
    assert not AccessAttempt.objects.filter(username=login_name).exists()
    after = unit_figures(city_committee, tree.city, commitment_in_a.movement_year.year)
    assert after == before
    assert retention.pseudonymise_due() == 0  # once


def test_an_active_record_is_never_pseudonymised(member_in_a):
    with pytest.raises(Exception):
        retention.member_pseudonymise(member_in_a)
    assert Member.objects.get(pk=member_in_a.pk).full_name == member_in_a.full_name


def test_the_command_lists_then_pseudonymises(secretary, member_in_a, capsys):
    close(secretary, member_in_a, 20)
    call_command("pseudonymise_closed_members", "--dry-run")
    assert "1 records are due." in capsys.readouterr().out
    assert Member.objects.get(pk=member_in_a.pk).pseudonymised_at is None
    call_command("pseudonymise_closed_members")
    assert Member.objects.get(pk=member_in_a.pk).pseudonymised_at is not None


def test_the_committee_sets_the_period_on_the_units_page(grassroots_committee, tree):
    client = client_for(grassroots_committee)
    assert client.post(reverse("members:unit_retention", args=[tree.g1.pk]), {"retention_years": "3"}).status_code == 302
    tree.g1.refresh_from_db()
    assert tree.g1.retention_years == 3
    client.post(reverse("members:unit_retention", args=[tree.g1.pk]), {"retention_years": "abc"})
    tree.g1.refresh_from_db()
    assert tree.g1.retention_years == 3
    assert "3" in client.get(reverse("members:unit", args=[tree.g1.pk])).content.decode()


def test_a_review_row_keeps_its_figures_and_loses_the_name(secretary, grassroots_committee, tree, member_user):
    from campaigns.models import ReviewEntry, ReviewKind
    from tests.campaigns.conftest import make_campaign

    member_in_a = Member.objects.get(user=member_user)
    campaign = make_campaign(grassroots_committee, tree.g1)
    registration = campaign_services.registration_save(
        actor=member_user, campaign=campaign, kind="member", member=member_in_a,
        pledges={target.pk: 1 for target in campaign.targets.all()}, submit=True)
    campaign_services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
    review = campaign_services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.INTERIM,
                                           stage=campaign.stages.first(), held_on=TODAY)
    entry = ReviewEntry.objects.get(review=review, registration=registration)
    close(secretary, member_in_a, 30)
    retention.pseudonymise_due()
    entry_after = ReviewEntry.objects.get(pk=entry.pk)
    assert entry_after.registrant_name == f"Đoàn viên #{member_in_a.pk}"
    assert (entry_after.score, entry_after.rank) == (entry.score, entry.rank)


def test_a_deactivated_record_is_never_pseudonymised_and_can_be_reopened(secretary, member_in_a, settings):
    from members import services

    settings.RETENTION_YEARS = 1
    services.member_deactivate(actor=secretary, member=member_in_a, reason="Nghỉ thai sản")
    Member.objects.filter(pk=member_in_a.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3650))
    assert retention.due_for_pseudonymising() == []
    services.member_reactivate(actor=secretary, member=member_in_a)
    assert Member.objects.get(pk=member_in_a.pk).status == MemberStatus.ACTIVE


def test_an_account_that_holds_an_office_is_kept(secretary, tree):
    member = Member.objects.get(user=secretary)
    close(secretary, member, 20)
    retention.pseudonymise_due()
    secretary.refresh_from_db()
    member.refresh_from_db()
    assert member.user is None and member.full_name.startswith("Đoàn viên #")
    assert secretary.is_active and secretary.username == "bithu"


def test_a_pseudonymised_record_cannot_be_reopened(secretary, member_in_a):
    from django.core.exceptions import ValidationError

    from members import services

    close(secretary, member_in_a, 20)
    retention.pseudonymise_due()
    with pytest.raises(ValidationError):
        services.member_reactivate(actor=secretary, member=Member.objects.get(pk=member_in_a.pk))


def test_closing_a_record_leaves_the_years_figures_as_they_were(secretary, city_committee, commitment_in_a, tree):
    year = commitment_in_a.movement_year.year
    before = unit_figures(city_committee, tree.city, year)
    life.member_close(actor=secretary, member=commitment_in_a.member, status=MemberStatus.LEFT, closed_on=TODAY,
                      note="Nghỉ việc")
    after = unit_figures(city_committee, tree.city, year)
    assert (after.registered, after.approved, after.evaluated) == (before.registered, before.approved,
                                                                   before.evaluated)
