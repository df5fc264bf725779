"""Personal data: the notice at first sign-in, the consents, and "My data" with its downloads."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from campaigns import services as campaign_services
from campaigns.models import Award, AwardTitle, FeedbackPointKind, ReviewEntry, ReviewKind
from members import privacy
from members.models import AccessEntry, AccessKind, AuditEntry, Member
from movements.models import (
    Activity,
    Attendance,
    Collective,
    CollectiveModel,
    Commitment,
    CommitmentState,
    Evidence,
    EvidenceFile,
    Initiative,
    PledgeAmendment,
    YouthProject,
)
from movements.services import evidence_reject
from tests.campaigns.conftest import make_campaign
from tests.conftest import client_for
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def newcomer(tree):
    """A member signing in for the first time: the notice is not agreed yet."""
    user = UserFactory(username="moi")
    MemberFactory(user=user, unit=tree.branch_a, full_name="Phan Thị Mới", notice_accepted_at=None)
    return user


def test_a_member_reads_the_notice_before_any_page(newcomer):
    client = client_for(newcomer)
    response = client.get(reverse("movements:my_commitment"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('members:privacy_notice')}?next=%2Fcommitment%2F"
    # The public pages and signing out stay open.
    assert client.get(reverse("campaigns:honour_board")).status_code == 200


def test_agreeing_records_the_consents_chosen_and_goes_on(newcomer):
    client = client_for(newcomer)
    response = client.post(reverse("members:privacy_notice"),
                           {"agree": "on", "public_display": "on", "next": "/commitment/"})
    assert response.status_code == 302 and response["Location"] == "/commitment/"
    member = Member.objects.get(user=newcomer)
    assert member.notice_accepted_at is not None
    assert (member.consents_to_public_display, member.consents_to_feedback_naming) == (True, False)
    entry = AuditEntry.objects.get(action="privacy.notice_accepted")
    assert entry.actor == newcomer and entry.after["consents_to_public_display"] is True
    assert client.get(reverse("movements:my_commitment")).status_code == 200


def test_not_ticking_the_agreement_keeps_the_choices_and_saves_nothing(newcomer):
    response = client_for(newcomer).post(reverse("members:privacy_notice"), {"public_display": "on"})
    assert response.status_code == 200 and response.context["form"].errors["agree"]
    assert response.context["form"]["public_display"].value() is True
    assert Member.objects.get(user=newcomer).notice_accepted_at is None


def test_a_next_address_elsewhere_is_ignored(newcomer):
    response = client_for(newcomer).post(reverse("members:privacy_notice"),
                                         {"agree": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_an_officer_without_a_member_record_is_not_asked(grassroots_committee):
    assert client_for(grassroots_committee).get(reverse("home")).status_code == 200


def test_withdrawing_the_public_consent_takes_the_member_off_the_honour_board(member_user, grassroots_committee,
                                                                             tree):
    member = Member.objects.get(user=member_user)
    title = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")
    award = campaign_services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title,
                                            year=2026, achievements="Tận tình", member=member)
    campaign_services.award_move(actor=grassroots_committee, award=award, name="decide",
                                 decision_number="1-QĐ/ĐTN", decided_on=timezone.localdate(), issuing_body="BCH")
    campaign_services.award_publish(actor=grassroots_committee, award=award, citation="Tận tình với người bệnh")
    client = client_for(member_user)
    client.post(reverse("members:my_data"), {"public_display": "on"})
    assert member.full_name in client_for(None).get(reverse("campaigns:honour_board")).content.decode()
    client.post(reverse("members:my_data"), {})
    assert member.full_name not in client_for(None).get(reverse("campaigns:honour_board")).content.decode()
    changes = AuditEntry.objects.filter(action="privacy.consents_changed").order_by("id")
    assert [entry.after for entry in changes] == [{"consents_to_public_display": True},
                                                  {"consents_to_public_display": False}]


def test_only_the_member_changes_their_consents(member_user, secretary):
    member = Member.objects.get(user=member_user)
    with pytest.raises(PermissionError):
        privacy.consents_update(actor=secretary, member=member, public_display=True, feedback_naming=True)
    assert not Member.objects.get(pk=member.pk).consents_to_public_display


def test_my_data_holds_everything_about_the_member_in_every_app(member_user, secretary, grassroots_committee,
                                                                 tree, commitment_in_a, settings, tmp_path,
                                                                 superuser):
    settings.MEDIA_ROOT = tmp_path
    member = commitment_in_a.member
    member.user = member_user
    Member.objects.filter(user=member_user).exclude(pk=member.pk).update(user=None)
    member.consents_to_feedback_naming = True
    member.save()
    Commitment.objects.filter(pk=commitment_in_a.pk).update(state=CommitmentState.APPROVED)
    pledge = commitment_in_a.pledges.first()
    evidence = Evidence.objects.create(pledge=pledge, done_on=timezone.localdate(), description="Trực bàn hướng dẫn")
    EvidenceFile.objects.create(evidence=evidence, file="evidence/x.pdf", stored_name="x.pdf",
                                original_name="giay-xac-nhan.pdf", content_type="application/pdf", size=10)
    evidence_reject(actor=secretary, evidence=evidence, reason="Thiếu chữ ký xác nhận")
    PledgeAmendment.objects.create(pledge=pledge, text="Cam kết mới", target_kind=pledge.target_kind,
                                   due_date=pledge.due_date, reason="Đổi khoa công tác", previous={"text": pledge.text})
    activity = Activity.objects.create(unit=tree.branch_a, year=2026, kind="talk", title="Tọa đàm y đức",
                                       starts_at=timezone.now())
    Attendance.objects.create(activity=activity, member=member, method="qr")
    project = YouthProject.objects.create(unit=tree.branch_a, year=2026, kind="community", title="Xuân tình nguyện",
                                          goal="Mục tiêu", starts_on=timezone.localdate(), ends_on=timezone.localdate())
    project.members.add(member)
    initiative = Initiative.objects.create(unit=tree.branch_a, year=2026, kind="initiative", title="Sáng kiến số",
                                           problem="Vấn đề", solution="Giải pháp", submitted_by=member)
    initiative.authors.add(member)
    Collective.objects.create(unit=tree.branch_a, year=2026, model=CollectiveModel.objects.first(), name="Tổ tư vấn",
                              commitments="Cam kết").members.add(member)
    title = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")
    campaign_services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                                    achievements="Tận tình", member=member)
    point = campaign_services.point_create(actor=secretary, unit=tree.branch_a, kind=FeedbackPointKind.DESK,
                                           name="Bàn hướng dẫn", invitation="Mời góp ý", questions=["Thái độ"])
    campaign_services.feedback_submit(point=point, scores={point.questions.get().pk: 5},
                                      served_by_name=member.full_name, comment="Rất tận tình")

    campaign = make_campaign(grassroots_committee, tree.g1)
    registration = campaign_services.registration_save(
        actor=member_user, campaign=campaign, kind="member", member=member,
        pledges={target.pk: 1 for target in campaign.targets.all()}, submit=True)
    campaign_services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
    campaign_services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.INTERIM,
                                  stage=campaign.stages.first(), held_on=timezone.localdate())

    # A role held for a while and revoked: its row is gone, its history is theirs.
    from members import services as member_services
    from members.models import Role

    member_services.role_revoke(actor=superuser, assignment=member_services.role_assign(
        actor=superuser, user=member_user, unit=tree.branch_a, role=Role.SECRETARY))

    privacy.consents_update(actor=member_user, member=member, public_display=True, feedback_naming=True)
    client = client_for(member_user)
    data = json.loads(client.get(reverse("members:my_data_download", args=["json"])).content)
    sections = data["sections"]

    def vi(header):
        with translation.override("vi"):
            return gettext(header)

    rows = {key: len(section["rows"]) for key, section in sections.items()}
    assert rows["commitments"] == Commitment.objects.filter(member=member).count() == 1
    assert rows["pledges"] == commitment_in_a.pledges.count() + Evidence.objects.filter(
        pledge__commitment__member=member).count()
    rejected = next(row for row in sections["pledges"]["rows"] if row[vi("Evidence")] == "Trực bàn hướng dẫn")
    assert rejected[vi("Files")] == "giay-xac-nhan.pdf" and rejected[vi("Reason")] == "Thiếu chữ ký xác nhận"
    assert [row[vi("Why the change")] for row in sections["amendments"]["rows"]] == ["Đổi khoa công tác"]
    assert [row[vi("Rank")] for row in sections["reviews"]["rows"]] == list(ReviewEntry.objects.filter(
        registration__member=member).values_list("rank", flat=True)) and rows["reviews"] == 1
    assert rows["activities"] == 1 and rows["work"] == 3 and rows["awards"] == Award.objects.filter(
        member=member).count() == 1
    assert rows["feedback"] == 1 and list(sections["feedback"]["rows"][0].values())[-1] == "Rất tận tình"
    profile = [list(row.values())[1] for row in sections["profile"]["rows"]]
    assert member.full_name in profile and member.card_number in profile and member.phone in profile
    history = sections["history"]["rows"]
    changed = {row[vi("Action")]: row[vi("What changed")] for row in history}
    about = {(type(row)._meta.label, str(row.pk)) for row in [
        member, commitment_in_a, *commitment_in_a.pledges.all(), evidence, registration,
        *Award.objects.filter(member=member)]}
    assert len(history) == sum((entry.target_type.model_class()._meta.label, entry.target_id) in about
                               for entry in AuditEntry.objects.exclude(target_type=None)
                               ) + AuditEntry.objects.filter(action__startswith="role.").count() >= 7
    assert changed["Không xác nhận minh chứng"] == "Trạng thái: Chờ xác nhận → Không được xác nhận"
    assert {"role.assigned", "role.revoked"} <= {e.action for e in AuditEntry.objects.filter(
        action__startswith="role.")} and len([row for row in history if row[vi("Action")] in (
            vi("Role assigned"), vi("Role revoked"))]) == 2
    assert changed["Duyệt bản đăng ký thi đua"] == "Trạng thái: Chờ duyệt → Đã duyệt"
    assert {"privacy.consents_changed", "award.proposed"} <= set(AuditEntry.objects.filter(
        target_id__in=[str(member.pk)] + [str(a.pk) for a in Award.objects.filter(member=member)]).values_list(
        "action", flat=True))
    workbook = load_workbook(io.BytesIO(client.get(reverse("members:my_data_download", args=["xlsx"])).content))
    assert len(workbook.sheetnames) == len(sections)
    page = client.get(reverse("members:my_data"))
    assert "Rất tận tình" in page.content.decode() and "Tọa đàm y đức" in page.content.decode()


def test_another_extension_is_not_found(member_user):
    assert client_for(member_user).get(reverse("members:my_data_download", args=["csv"])).status_code == 404


def test_lists_mask_card_numbers_and_birth_dates_and_the_members_page_shows_them(secretary, member_in_a):
    listing = client_for(secretary).get(reverse("members:list")).content.decode()
    assert member_in_a.full_name in listing
    assert member_in_a.card_number not in listing
    assert f"{member_in_a.card_number[:2]}••••••{member_in_a.card_number[-2:]}" in listing
    assert f"••/••/{member_in_a.birth_date.year}" in listing
    detail = client_for(secretary).get(reverse("members:detail", args=[member_in_a.pk])).content.decode()
    assert member_in_a.card_number in detail


def test_opening_a_profile_or_an_evaluation_is_logged_and_the_member_sees_who(member_user, secretary, tree):
    member = Member.objects.get(user=member_user)
    client_for(secretary).get(reverse("members:detail", args=[member.pk]))
    client_for(member_user).get(reverse("members:detail", args=[member.pk]))  # one's own: not logged
    [entry] = AccessEntry.objects.all()
    assert (entry.user, entry.member, entry.kind, entry.unit) == (secretary, member, AccessKind.PROFILE,
                                                                  tree.branch_a)
    page = client_for(member_user).get(reverse("members:my_data"))
    assert list(page.context["looked_at"]) == [entry]
    assert (secretary.get_full_name() or secretary.get_username()) in page.content.decode()


def test_the_committee_sees_the_export_log_of_its_subtree_and_nobody_elses(secretary, grassroots_committee,
                                                                          sibling_secretary, outsider, tree):
    client_for(secretary).get(reverse("members:export"))
    [entry] = AccessEntry.objects.filter(kind=AccessKind.EXPORT)
    assert entry.user == secretary and entry.unit == tree.branch_a
    log = client_for(grassroots_committee).get(reverse("members:access_log"))
    assert list(log.context["page"].object_list) == [entry]
    assert list(client_for(sibling_secretary).get(reverse("members:access_log")).context["page"].object_list) == []
    assert list(client_for(outsider).get(reverse("members:access_log")).context["page"].object_list) == []


def test_an_htmx_request_is_sent_to_the_notice_as_a_whole_page(newcomer):
    response = client_for(newcomer).get(reverse("members:list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("members:privacy_notice"))


def test_withdrawing_the_naming_consent_takes_opinions_out_of_the_evidence(member_user, secretary, tree):
    member = Member.objects.get(user=member_user)
    privacy.consents_update(actor=member_user, member=member, public_display=False, feedback_naming=True)
    point = campaign_services.point_create(actor=secretary, unit=tree.branch_a, kind=FeedbackPointKind.DESK,
                                           name="Bàn hướng dẫn", invitation="Mời", questions=["Thái độ"])
    campaign_services.feedback_submit(point=point, scores={point.questions.get().pk: 5},
                                      served_by_name=member.full_name, comment="Tận tình")
    from campaigns.selectors import member_feedback

    assert member_feedback(secretary, member, TODAY_YEAR)["summary"]["count"] == 1
    privacy.consents_update(actor=member_user, member=member, public_display=False, feedback_naming=False)
    assert member_feedback(secretary, Member.objects.get(pk=member.pk), TODAY_YEAR)["summary"]["count"] == 0


TODAY_YEAR = timezone.localdate().year
