"""Campaign services: every transition allowed and refused, with its audit entry; a refused one changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns import services
from campaigns.catalogue import TEMPLATES_BY_KEY
from campaigns.models import (
    Campaign,
    CampaignState,
    Forwarding,
    Outcome,
    ProgressReport,
    RecipientKind,
    Registration,
    RegistrationState,
    Review,
    ReviewEntry,
    ReviewKind,
)
from campaigns.standings import campaign_standings
from members.models import AuditEntry, Member, Notification
from tests.campaigns.conftest import (
    DAY,
    TARGETS,
    make_campaign,
    pledges,
    register_unit,
    report,
    stages_around,
)


def _audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


class TestPreparingAndLaunching:
    def test_a_committee_creates_a_campaign_with_targets_and_stages(self, grassroots_committee, tree):
        campaign = make_campaign(grassroots_committee, tree.g1, launch=False)
        assert campaign.state == CampaignState.DRAFT
        assert [t.name for t in campaign.targets.all()] == [t["name"] for t in TARGETS]
        assert [s.number for s in campaign.stages.all()] == [1, 2]
        entry = _audit("campaign.created")
        assert entry.actor == grassroots_committee and entry.after["targets"] == 2

    def test_a_branch_secretary_cannot_create_one(self, secretary, tree):
        with pytest.raises(PermissionDenied):
            make_campaign(secretary, tree.branch_a, launch=False)
        assert not Campaign.objects.exists()

    def test_stages_must_lie_inside_the_campaign_and_not_overlap(self, grassroots_committee, tree):
        today = timezone.localdate()
        base = {"title": "T", "purpose": "P", "content": "C", "starts_on": today, "ends_on": today + 9 * DAY}
        outside = [{"name": "", "starts_on": today, "ends_on": today + 30 * DAY}]
        overlapping = [{"name": "", "starts_on": today, "ends_on": today + 5 * DAY},
                       {"name": "", "starts_on": today + 5 * DAY, "ends_on": today + 9 * DAY}]
        for stages in (outside, overlapping):
            with pytest.raises(ValidationError) as refusal:
                services.campaign_create(actor=grassroots_committee, unit=tree.g1, targets=TARGETS, stages=stages,
                                         **base)
            assert "stages" in refusal.value.error_dict
        with pytest.raises(ValidationError):
            services.campaign_create(actor=grassroots_committee, unit=tree.g1, targets=TARGETS + TARGETS[:1], **base)
        assert not Campaign.objects.exists()

    def test_every_template_fills_a_campaign_that_saves(self, grassroots_committee, tree):
        today = timezone.localdate()
        for template in TEMPLATES_BY_KEY.values():
            starts_on, ends_on = template.dates(today)
            campaign = services.campaign_create(
                actor=grassroots_committee, unit=tree.g1, template_key=template.key, title=template.title,
                purpose=template.purpose, content=template.content, starts_on=starts_on, ends_on=ends_on,
                targets=template.target_rows(), stages=template.stage_rows(today))
            assert campaign.targets.count() == len(template.targets)

    def test_launch_needs_the_endorsement_first(self, grassroots_committee, tree):
        campaign = make_campaign(grassroots_committee, tree.g1, launch=False)
        with pytest.raises(ValidationError):
            services.campaign_launch(actor=grassroots_committee, campaign=campaign,
                                     launched_on=timezone.localdate(), launch_place="Hội trường")
        assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.DRAFT
        services.campaign_endorse(actor=grassroots_committee, campaign=campaign, endorsed_by="Đảng ủy",
                                  endorsed_on=timezone.localdate())
        assert _audit("campaign.endorsed").after["endorsed_by"] == "Đảng ủy"
        launched = services.campaign_launch(actor=grassroots_committee, campaign=campaign,
                                            launched_on=timezone.localdate(), launch_place="Hội trường")
        assert launched.state == CampaignState.LAUNCHED
        assert _audit("campaign.launched").after["launch_place"] == "Hội trường"

    def test_a_launched_campaign_is_not_edited(self, campaign, grassroots_committee):
        with pytest.raises(ValidationError):
            services.campaign_update(actor=grassroots_committee, campaign=campaign, targets=TARGETS, title="Khác")
        assert Campaign.objects.get(pk=campaign.pk).title == "Tháng Thanh niên"

    def test_editing_a_draft_asks_for_the_endorsement_again(self, grassroots_committee, tree):
        campaign = make_campaign(grassroots_committee, tree.g1, launch=False)
        services.campaign_endorse(actor=grassroots_committee, campaign=campaign, endorsed_by="Đảng ủy",
                                  endorsed_on=timezone.localdate())
        services.campaign_update(actor=grassroots_committee, campaign=campaign, targets=TARGETS[:1],
                                 title="Tháng Thanh niên 2027")
        campaign.refresh_from_db()
        assert campaign.endorsed_on is None and campaign.targets.count() == 1
        assert _audit("campaign.updated").after["title"] == "Tháng Thanh niên 2027"


class TestRegistration:
    def test_a_branch_registers_and_the_union_above_approves(self, campaign, secretary, grassroots_committee,
                                                              tree):
        registration = register_unit(secretary, campaign, tree.branch_a, submit=False)
        assert registration.state == RegistrationState.DRAFT
        assert {f.target.name: f.pledged for f in registration.figures.all()} == {
            "Lượt khám miễn phí": Decimal(100), "Phản ánh của người bệnh": Decimal(10)}
        submitted = services.registration_move(actor=secretary, registration=registration, name="submit")
        assert submitted.state == RegistrationState.SUBMITTED
        with pytest.raises(PermissionDenied):
            services.registration_move(actor=secretary, registration=registration, name="approve")
        assert Registration.objects.get(pk=registration.pk).state == RegistrationState.SUBMITTED
        approved = services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
        assert approved.state == RegistrationState.APPROVED
        assert _audit("campaign.registration_approved").actor == grassroots_committee
        assert Notification.objects.filter(user=secretary).exists()

    def test_returning_needs_a_reason_and_the_branch_may_send_again(self, campaign, secretary,
                                                                     grassroots_committee, tree):
        registration = register_unit(secretary, campaign, tree.branch_a)
        with pytest.raises(ValidationError):
            services.registration_move(actor=grassroots_committee, registration=registration, name="return")
        returned = services.registration_move(actor=grassroots_committee, registration=registration,
                                              name="return", note="Chỉ tiêu khám quá thấp")
        assert returned.return_note == "Chỉ tiêu khám quá thấp"
        changed = services.registration_save(actor=secretary, campaign=campaign, registration=returned,
                                             pledges=pledges(campaign, 150, 5), submit=True)
        assert changed.state == RegistrationState.SUBMITTED
        assert changed.figures.get(target__direction="higher").pledged == 150
        with pytest.raises(ValidationError):
            services.registration_move(actor=secretary, registration=changed, name="submit")
        with pytest.raises(PermissionDenied):  # the union above decides; it does not send in the branch's name
            services.registration_move(actor=grassroots_committee, registration=changed, name="submit")

    def test_nobody_registers_for_a_unit_they_do_not_run_or_twice(self, campaign, secretary, sibling_secretary,
                                                                   tree):
        with pytest.raises(PermissionDenied):
            register_unit(sibling_secretary, campaign, tree.branch_a)
        register_unit(secretary, campaign, tree.branch_a)
        with pytest.raises(ValidationError):
            register_unit(secretary, campaign, tree.branch_a)
        with pytest.raises(ValidationError):
            register_unit(secretary, campaign, tree.branch_c)
        assert Registration.objects.count() == 1

    def test_registration_closes_on_its_day(self, grassroots_committee, secretary, tree):
        today = timezone.localdate()
        campaign = make_campaign(grassroots_committee, tree.g1, stages=False, starts_on=today - 20 * DAY,
                                 registration_ends_on=today - DAY)
        with pytest.raises(ValidationError):
            register_unit(secretary, campaign, tree.branch_a)

    def test_a_member_registers_themselves_and_the_branch_approves(self, campaign, member_user, secretary):
        member = Member.objects.get(user=member_user)
        registration = services.registration_save(actor=member_user, campaign=campaign, kind=RecipientKind.MEMBER,
                                                  member=member, pledges=pledges(campaign, 20, 1), submit=True)
        assert registration.unit == member.unit
        with pytest.raises(PermissionDenied):
            services.registration_move(actor=member_user, registration=registration, name="approve")
        approved = services.registration_move(actor=secretary, registration=registration, name="approve")
        assert approved.state == RegistrationState.APPROVED

    def test_a_kind_the_campaign_does_not_take_is_refused(self, grassroots_committee, member_user, tree):
        campaign = make_campaign(grassroots_committee, tree.g1, open_to_members=False)
        with pytest.raises(ValidationError):
            services.registration_save(actor=member_user, campaign=campaign, kind=RecipientKind.MEMBER,
                                       member=Member.objects.get(user=member_user), pledges=pledges(campaign, 1, 1))

    def test_a_missing_figure_is_named_at_its_field(self, campaign, secretary, tree):
        values = pledges(campaign, 1, 1)
        values[campaign.targets.last().pk] = None
        with pytest.raises(ValidationError) as refusal:
            services.registration_save(actor=secretary, campaign=campaign, kind=RecipientKind.UNIT,
                                       unit=tree.branch_a, pledges=values)
        assert f"target_{campaign.targets.last().pk}" in refusal.value.error_dict
        assert not Registration.objects.exists()


class TestForwarding:
    def test_a_union_forwards_its_branches_combined(self, grassroots_committee, city_committee, secretary,
                                                     sibling_secretary, tree):
        campaign = make_campaign(city_committee, tree.sector)
        first = register_unit(secretary, campaign, tree.branch_a, 100, 10)
        second = register_unit(sibling_secretary, campaign, tree.branch_b, 50, 4)
        with pytest.raises(ValidationError):
            services.registration_forward(actor=grassroots_committee, campaign=campaign, unit=tree.g1)
        for registration in (first, second):
            services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
        with pytest.raises(PermissionDenied):
            services.registration_forward(actor=secretary, campaign=campaign, unit=tree.g1)
        forwarding = services.registration_forward(actor=grassroots_committee, campaign=campaign, unit=tree.g1)
        higher, lower = campaign.targets.all()
        assert forwarding.registrations == 2
        assert {k: Decimal(v) for k, v in forwarding.totals.items()} == {str(higher.pk): 150, str(lower.pk): 14}
        with pytest.raises(ValidationError):
            services.registration_forward(actor=grassroots_committee, campaign=campaign, unit=tree.g1)
        assert Forwarding.objects.count() == 1
        assert _audit("campaign.registrations_forwarded").after["registrations"] == 2


class TestProgressAndFollowUp:
    def test_progress_is_reported_on_an_approved_registration(self, campaign, secretary, grassroots_committee,
                                                              tree):
        registration = register_unit(secretary, campaign, tree.branch_a)
        with pytest.raises(ValidationError):
            report(secretary, registration, 10, 1)
        services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
        first = report(secretary, registration, 10, 1)
        assert first.stage.number == 1
        with pytest.raises(ValidationError):
            report(secretary, registration, 1, 1, on=timezone.localdate() + DAY)
        assert ProgressReport.objects.count() == 1
        assert _audit("campaign.progress_reported").after["Lượt khám miễn phí"] == "10"

    def test_a_report_takes_a_pdf_and_refuses_a_disguised_file(self, approved_a, secretary):
        values = pledges(approved_a.campaign, 5, 0)
        stored = services.progress_report(actor=secretary, registration=approved_a, reported_on=timezone.localdate(),
                                          text="Có biên bản", figures=values,
                                          upload=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF"))
        assert stored.content_type == "application/pdf" and stored.file.read().startswith(b"%PDF")
        with pytest.raises(ValidationError):
            services.progress_report(actor=secretary, registration=approved_a, reported_on=timezone.localdate(),
                                     text="x", figures=values, upload=SimpleUploadedFile("a.pdf", b"MZ\x90\x00"))
        assert ProgressReport.objects.count() == 1

    def test_the_standing_unit_records_inspections_and_follow_ups(self, campaign, approved_a, secretary,
                                                                  sibling_secretary, grassroots_committee):
        with pytest.raises(PermissionDenied):
            services.inspection_record(actor=sibling_secretary, campaign=campaign, visited_on=timezone.localdate(),
                                       inspectors="Ban Thường vụ", findings="Tốt")
        campaign.standing_members.add(Member.objects.get(user=sibling_secretary))
        inspection = services.inspection_record(actor=sibling_secretary, campaign=campaign, registration=approved_a,
                                                visited_on=timezone.localdate(), inspectors="Thường trực thi đua",
                                                findings="Thiếu sổ theo dõi", support_promised="Cấp sổ mẫu")
        with pytest.raises(ValidationError):
            services.inspection_follow_up(actor=grassroots_committee, inspection=inspection,
                                          done_on=timezone.localdate(), note="")
        services.inspection_follow_up(actor=grassroots_committee, inspection=inspection,
                                      done_on=timezone.localdate(), note="Đã cấp sổ mẫu")
        inspection.refresh_from_db()
        assert inspection.follow_up_note == "Đã cấp sổ mẫu"
        services.support_record(actor=grassroots_committee, campaign=campaign, registration=approved_a,
                                given_on=timezone.localdate(), description="Tập huấn báo cáo")
        assert [e.action for e in AuditEntry.objects.filter(action__startswith="campaign.inspection").order_by("id")] == [
            "campaign.inspection_recorded", "campaign.inspection_followed_up"]
        assert _audit("campaign.support_recorded") is not None

    def test_the_pace_flag_marks_those_behind(self, campaign, approved_a, secretary, sibling_secretary,
                                              grassroots_committee, tree):
        ahead = register_unit(sibling_secretary, campaign, tree.branch_b, 100, 10)
        services.registration_move(actor=grassroots_committee, registration=ahead, name="approve")
        report(sibling_secretary, ahead, 60, 1)
        report(secretary, approved_a, 5, 12)  # a third of the time gone, 5 % of the pledge, over the allowance
        _, standings = campaign_standings(campaign, today=timezone.localdate())
        lagging = {s.registration.pk: s.lagging for s in standings}
        assert len(lagging[approved_a.pk]) == 2 and lagging[ahead.pk] == ()


class TestReviews:
    def test_an_interim_review_freezes_scores_and_ranks_with_ties(self, campaign, approved_a, secretary,
                                                                   sibling_secretary, grassroots_committee, tree):
        tied = register_unit(sibling_secretary, campaign, tree.branch_b, 100, 10)
        services.registration_move(actor=grassroots_committee, registration=tied, name="approve")
        report(secretary, approved_a, 50, 10)
        report(sibling_secretary, tied, 50, 10)
        stage = campaign.stages.get(number=1)
        review = services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.INTERIM,
                                      stage=stage, held_on=timezone.localdate(),
                                      small_awards={approved_a.pk: "Giấy khen chặng 1"})
        entries = list(review.entries.all())
        assert [e.rank for e in entries] == [1, 1]
        assert {e.score for e in entries} == {Decimal("66.67")}
        assert next(e for e in entries if e.registration_id == approved_a.pk).small_award == "Giấy khen chặng 1"
        with pytest.raises(ValidationError):
            services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.INTERIM, stage=stage,
                                 held_on=timezone.localdate())
        assert _audit("campaign.review_taken").after["entries"] == 2

    def test_a_snapshot_never_changes_but_its_notes_do(self, campaign, approved_a, secretary, grassroots_committee):
        report(secretary, approved_a, 50, 10)
        review = services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.INTERIM,
                                      stage=campaign.stages.first(), held_on=timezone.localdate())
        entry = review.entries.get()
        frozen = ReviewEntry.objects.values().get(pk=entry.pk)
        with pytest.raises(ValidationError):  # the reviewed stage's figures are frozen too
            report(secretary, approved_a, 50, 0)
        entry.score = Decimal(100)
        with pytest.raises(ValidationError):
            entry.save()
        with pytest.raises(ValidationError):
            ReviewEntry.objects.filter(pk=entry.pk).update(rank=9)
        with pytest.raises(ValidationError):
            ReviewEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(ValidationError):
            entry.delete()
        with pytest.raises(ValidationError):
            ReviewEntry._base_manager.filter(pk=entry.pk).update(score=1)
        with pytest.raises(ValidationError):
            ReviewEntry.objects.bulk_create([entry], update_conflicts=True, update_fields=["score"],
                                            unique_fields=["review", "registration"])
        review.held_on = review.held_on - DAY
        with pytest.raises(ValidationError):
            review.save()
        services.review_entry_note_update(actor=grassroots_committee, entry=entry, note="Cần cố gắng")
        services.review_note_update(actor=grassroots_committee, review=review, note="Kết luận")
        after = ReviewEntry.objects.values().get(pk=entry.pk)
        assert after == {**frozen, "note": "Cần cố gắng"}
        assert Review.objects.get(pk=review.pk).note == "Kết luận"
        with pytest.raises(PermissionDenied):
            services.review_entry_note_update(actor=secretary, entry=entry, note="x")

    def test_the_final_review_ranks_records_outcomes_and_ends_the_campaign(
            self, campaign, approved_a, secretary, sibling_secretary, grassroots_committee, tree):
        behind = register_unit(sibling_secretary, campaign, tree.branch_b, 100, 10)
        services.registration_move(actor=grassroots_committee, registration=behind, name="approve")
        report(secretary, approved_a, 120, 2)   # met both: 1.2 and 1.5 (capped)
        report(sibling_secretary, behind, 40, 20)  # 0.4 and 0.5
        with pytest.raises(ValidationError) as refusal:
            services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.FINAL,
                                 held_on=timezone.localdate(), outcomes={behind.pk: Outcome.PROPOSED_HIGHER})
        assert f"outcome_{behind.pk}" in refusal.value.error_dict
        assert not Review.objects.exists()
        assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.LAUNCHED
        review = services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.FINAL,
                                      held_on=timezone.localdate(), outcomes={approved_a.pk: Outcome.PROPOSED_HIGHER})
        first, second = review.entries.order_by("rank")
        assert (first.registration_id, first.rank, first.outcome) == (approved_a.pk, 1, Outcome.PROPOSED_HIGHER)
        assert first.score == Decimal("130.00")  # (1.2 × 2 + 1.5 × 1) ÷ 3
        assert (second.rank, second.outcome) == (2, Outcome.NOT_ACHIEVED)
        assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.REVIEWED
        with pytest.raises(ValidationError):
            report(secretary, approved_a, 1, 0)
        with pytest.raises(ValidationError):
            services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.FINAL,
                                 held_on=timezone.localdate())

    def test_only_the_committee_holds_a_review(self, campaign, approved_a, secretary):
        with pytest.raises(PermissionDenied):
            services.review_take(actor=secretary, campaign=campaign, kind=ReviewKind.FINAL,
                                 held_on=timezone.localdate())
        assert not Review.objects.exists()


def test_stages_around_today_are_valid():
    assert stages_around(timezone.localdate())[0]["ends_on"] == timezone.localdate()
