"""The member's life in the union: admission, closing a record (moved out, came of age, left), the list of those
coming of age, and the transfer note."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members import life
from members.models import AuditEntry, Member, MemberStatus, Role
from tests.conftest import client_for
from tests.factories import MemberFactory, RoleAssignmentFactory

TODAY = timezone.localdate()


def born(years_ago: int) -> datetime.date:
    return datetime.date(TODAY.year - years_ago, 6, 1)


def test_a_youth_is_admitted_by_the_grassroots_union(secretary, tree):
    youth = MemberFactory(unit=tree.branch_a, is_union_member=False, joined_union_on=None, birth_date=born(20))
    life.member_admit(actor=secretary, member=youth, admitted_on=TODAY, deciding_unit=tree.g1,
                      decision_number=" 12-QĐ/ĐTN ")
    youth.refresh_from_db()
    assert (youth.is_union_member, youth.joined_union_on, youth.admitted_by, youth.admission_decision) == (
        True, TODAY, tree.g1, "12-QĐ/ĐTN")
    assert AuditEntry.objects.get(action="member.admitted").after["admitted_by"] == tree.g1.name


@pytest.mark.parametrize("case", ["already", "sibling_unit", "future", "too_young"])
def test_an_admission_the_rules_refuse_changes_nothing(secretary, tree, case):
    youth = MemberFactory(unit=tree.branch_a, is_union_member=case == "already", joined_union_on=None,
                          birth_date=born(15 if case == "too_young" else 20))
    kwargs = {"admitted_on": TODAY + datetime.timedelta(days=1) if case == "future" else TODAY,
              "deciding_unit": tree.branch_b if case == "sibling_unit" else tree.g1}
    with pytest.raises(ValidationError):
        life.member_admit(actor=secretary, member=youth, **kwargs)
    youth.refresh_from_db()
    assert youth.admitted_by is None and not AuditEntry.objects.filter(action="member.admitted").exists()


def test_a_member_who_moves_out_is_closed_with_a_note_and_cannot_sign_in(secretary, member_user, tree):
    member = Member.objects.get(user=member_user)
    with pytest.raises(ValidationError) as refused:
        life.member_close(actor=secretary, member=member, status=MemberStatus.MOVED_OUT, closed_on=TODAY, note="")
    assert "note" in refused.value.message_dict
    life.member_close(actor=secretary, member=member, status=MemberStatus.MOVED_OUT, closed_on=TODAY,
                      note="Đoàn Bệnh viện Chợ Rẫy")
    member.refresh_from_db()
    member_user.refresh_from_db()
    assert (member.status, member.closed_on, member.closing_note) == (MemberStatus.MOVED_OUT, TODAY,
                                                                      "Đoàn Bệnh viện Chợ Rẫy")
    assert not member_user.is_active
    with pytest.raises(ValidationError):
        life.member_close(actor=secretary, member=member, status=MemberStatus.LEFT, closed_on=TODAY, note="x")
    assert AuditEntry.objects.filter(action="member.closed").count() == 1


def test_the_transfer_note_is_a_pdf_in_the_union_form(secretary, member_in_a, tmp_path):
    life.member_close(actor=secretary, member=member_in_a, status=MemberStatus.MOVED_OUT, closed_on=TODAY,
                      note="Đoàn Bệnh viện Chợ Rẫy")
    response = client_for(secretary).get(reverse("members:transfer_note", args=[member_in_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (tmp_path / "note.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "note.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "GIẤY GIỚI THIỆU SINH HOẠT ĐOÀN" in text and member_in_a.full_name in text
    assert "Đoàn Bệnh viện Chợ Rẫy" in text and "ĐOÀN TNCS HỒ CHÍ MINH" in text


def test_the_coming_of_age_list_and_marking_together(secretary, sibling_secretary, tree):
    older = MemberFactory(unit=tree.branch_a, birth_date=born(31))
    turning = MemberFactory(unit=tree.branch_a, birth_date=born(30))
    younger = MemberFactory(unit=tree.branch_a, birth_date=born(29))
    elsewhere = MemberFactory(unit=tree.branch_b, birth_date=born(32))
    listed = list(life.coming_of_age(secretary, tree.branch_a, TODAY.year))
    assert older in listed and turning in listed and younger not in listed and elsewhere not in listed
    client = client_for(secretary)
    refused = client.post(reverse("members:coming_of_age"), {"members": [older.pk, younger.pk],
                                                            "closed_on": TODAY.isoformat()})
    assert refused.status_code == 200  # the younger one is not on the list: nothing is marked
    assert Member.objects.filter(status=MemberStatus.MATURED).count() == 0
    response = client.post(reverse("members:coming_of_age"), {"members": [older.pk, turning.pk],
                                                             "closed_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert set(Member.objects.filter(status=MemberStatus.MATURED)) == {older, turning}


def test_the_coming_of_age_list_is_shown_a_page_at_a_time_and_marks_from_any_page(secretary, tree, monkeypatch):
    from members import views

    monkeypatch.setattr(views, "COMING_OF_AGE_PAGE_SIZE", 2)
    for age in (33, 32, 31):
        MemberFactory(unit=tree.branch_a, birth_date=born(age))
    listed = list(life.coming_of_age(secretary, tree.branch_a, TODAY.year))
    client = client_for(secretary)
    first = client.get(reverse("members:coming_of_age"))
    second = client.get(reverse("members:coming_of_age"), {"page": 2})
    assert len(listed) >= 3 and list(first.context["page"].object_list) == listed[:2]
    assert list(second.context["page"].object_list) == listed[2:4]
    assert "page=2" in first.content.decode()
    on_second_page = listed[2]
    response = client.post(f"{reverse('members:coming_of_age')}?page=2", {"members": [on_second_page.pk],
                                                                          "closed_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert list(Member.objects.filter(status=MemberStatus.MATURED)) == [on_second_page]


def test_marking_is_all_or_nothing(secretary, tree):
    older = MemberFactory(unit=tree.branch_a, birth_date=born(31))
    younger = MemberFactory(unit=tree.branch_a, birth_date=born(25))
    with pytest.raises(ValidationError):
        life.members_mature(actor=secretary, members=[older, younger], closed_on=TODAY)
    assert not Member.objects.filter(status=MemberStatus.MATURED).exists()


def test_another_branch_cannot_close_a_record(sibling_secretary, member_in_a):
    with pytest.raises(PermissionDenied):
        life.member_close(actor=sibling_secretary, member=member_in_a, status=MemberStatus.LEFT, closed_on=TODAY,
                          note="Không được")
    assert Member.objects.get(pk=member_in_a.pk).status == MemberStatus.ACTIVE


def _registered(member, user, committee, tree, *, submit=False):
    from tests.campaigns.conftest import register_member

    return register_member(committee, tree.g1, member, user, submit=submit)


def _proposed(member, committee, tree):
    from campaigns import services as campaign_services
    from campaigns.models import AwardTitle

    return campaign_services.award_propose(
        actor=committee, proposing_unit=tree.g1, year=TODAY.year, achievements="Tận tụy",
        title=AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác"), member=member)


def test_after_a_move_the_old_branch_no_longer_finds_the_member(secretary, grassroots_committee, member_in_a,
                                                                commitment_in_a, tree, member_user):
    from members import services

    registration = _registered(member_in_a, member_user, grassroots_committee, tree)
    award = _proposed(member_in_a, grassroots_committee, tree)
    services.member_transfer(actor=grassroots_committee, member=member_in_a, to_unit=tree.branch_b)
    client = client_for(secretary)
    for url in (reverse("members:detail", args=[member_in_a.pk]), reverse("members:edit", args=[member_in_a.pk]),
                reverse("members:close", args=[member_in_a.pk]),
                reverse("movements:commitment", args=[commitment_in_a.pk]),
                reverse("campaigns:registration", args=[registration.pk]),
                reverse("campaigns:award", args=[award.pk])):
        assert client.get(url).status_code == 404, url
    # The new branch follows the member: the running campaign's registration and the pending proposal are its own.
    new_secretary = client_for(RoleAssignmentFactory(unit=tree.branch_b, role=Role.SECRETARY).user)
    for url in (reverse("members:detail", args=[member_in_a.pk]),
                reverse("movements:commitment", args=[commitment_in_a.pk]),
                reverse("campaigns:registration", args=[registration.pk]),
                reverse("campaigns:award", args=[award.pk])):
        assert new_secretary.get(url).status_code == 200, url
    moved = AuditEntry.objects.get(action="member.transferred")
    assert moved.after == {"unit": str(tree.branch_b), "registrations_moved": 1, "award_proposals_moved": 1}
    # Each row that followed says so in its own history.
    for action, row in (("campaign.registration_followed_member", registration), ("award.followed_member", award)):
        entry = AuditEntry.objects.get(action=action)
        assert (entry.target_id, entry.after, entry.actor) == (str(row.pk), {"unit": str(tree.branch_b)},
                                                              grassroots_committee)


def test_an_approved_registration_and_a_decided_award_stay_where_they_were_made(
        grassroots_committee, member_in_a, tree, member_user):
    from campaigns import services as campaign_services
    from campaigns.models import Award, Registration
    from members import services

    registration = _registered(member_in_a, member_user, grassroots_committee, tree, submit=True)
    campaign_services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
    award = _proposed(member_in_a, grassroots_committee, tree)
    campaign_services.award_move(actor=grassroots_committee, award=award, name="decide", decision_number="1-QĐ",
                                 decided_on=TODAY, issuing_body="BCH Đoàn cơ sở")
    services.member_transfer(actor=grassroots_committee, member=member_in_a, to_unit=tree.branch_b)
    assert Registration.objects.get(pk=registration.pk).unit == tree.branch_a
    assert Award.objects.get(pk=award.pk).unit == tree.branch_a
    assert AuditEntry.objects.get(action="member.transferred").after == {"unit": str(tree.branch_b)}


def test_a_move_outside_a_campaign_leaves_its_registration_with_the_unit_where_it_was_made(
        grassroots_committee, city_committee, member_in_a, tree, member_user):
    from campaigns.models import Registration
    from members import services

    registration = _registered(member_in_a, member_user, grassroots_committee, tree)
    services.member_transfer(actor=city_committee, member=member_in_a, to_unit=tree.branch_c)
    assert Registration.objects.get(pk=registration.pk).unit == tree.branch_a
    assert "registrations_moved" not in AuditEntry.objects.get(action="member.transferred").after


def test_the_branch_itself_does_not_admit(secretary, tree):
    youth = MemberFactory(unit=tree.branch_a, is_union_member=False, joined_union_on=None, birth_date=born(20))
    with pytest.raises(ValidationError):
        life.member_admit(actor=secretary, member=youth, admitted_on=TODAY, deciding_unit=tree.branch_a)


def test_a_single_close_checks_the_age_and_the_date(secretary, member_in_a):
    Member.objects.filter(pk=member_in_a.pk).update(birth_date=born(25))
    member_in_a.refresh_from_db()
    with pytest.raises(ValidationError):
        life.member_close(actor=secretary, member=member_in_a, status=MemberStatus.MATURED, closed_on=TODAY)
    with pytest.raises(ValidationError):
        life.member_close(actor=secretary, member=member_in_a, status=MemberStatus.LEFT,
                          closed_on=datetime.date(2015, 1, 1), note="Gõ nhầm năm")
    assert Member.objects.get(pk=member_in_a.pk).status == MemberStatus.ACTIVE


def test_a_birthday_on_29_february_is_handled(secretary, tree):
    youth = MemberFactory(unit=tree.branch_a, is_union_member=False, joined_union_on=None,
                          birth_date=datetime.date(2004, 2, 29))
    life.member_admit(actor=secretary, member=youth, admitted_on=TODAY, deciding_unit=tree.g1)
    assert life.years_after(datetime.date(2004, 2, 29), 1) == datetime.date(2005, 2, 28)


def test_a_closed_record_is_not_moved_and_its_page_offers_no_move(secretary, grassroots_committee, member_in_a,
                                                                  tree):
    from members import services

    life.member_close(actor=secretary, member=member_in_a, status=MemberStatus.LEFT, closed_on=TODAY, note="Nghỉ")
    response = client_for(grassroots_committee).post(reverse("members:transfer", args=[member_in_a.pk]),
                                                     {"to_unit": tree.branch_b.pk, "reason": "Điều động"})
    assert response.status_code == 200 and "to_unit" in response.context["form"].errors
    assert Member.objects.get(pk=member_in_a.pk).unit == tree.branch_a
    with pytest.raises(ValidationError):
        services.member_transfer(actor=grassroots_committee, member=member_in_a, to_unit=tree.branch_b)
    page = client_for(secretary).get(reverse("members:detail", args=[member_in_a.pk])).content.decode()
    assert reverse("members:transfer", args=[member_in_a.pk]) not in page
    # The history reads the closing date as a date.
    assert f"<ins>{TODAY:%d/%m/%Y}</ins>" in page and f"<ins>{TODAY.isoformat()}</ins>" not in page
