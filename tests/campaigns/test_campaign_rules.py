"""The rules a second look found worth proving: nobody approves what they sent, a union's own registration does
not hold up its forwarding, awards cite what supports them, dates stay inside the stages, and a page shows each
reader only the follow-ups about registrants they may see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import AwardTitle, Campaign, ReviewKind
from members.models import Member, Role
from movements.models import Collective, CollectiveModel
from tests.campaigns.conftest import DAY, TARGETS, make_campaign, pledges, register_unit, report
from tests.conftest import client_for
from tests.factories import RoleAssignmentFactory


def test_a_union_above_does_not_register_in_a_branchs_name(campaign, grassroots_committee, tree):
    with pytest.raises(PermissionDenied):
        register_unit(grassroots_committee, campaign, tree.branch_a)


def test_who_sent_a_registration_never_approves_it(campaign, secretary, tree):
    RoleAssignmentFactory(user=secretary, unit=tree.g1, role=Role.COMMITTEE)  # also on the committee above
    registration = register_unit(secretary, campaign, tree.branch_a)
    assert services.registration_moves_allowed(secretary, registration) == []
    with pytest.raises(PermissionDenied):
        services.registration_move(actor=secretary, registration=registration, name="approve")


def test_a_collectives_registration_is_decided_above_its_branch(grassroots_committee, secretary, tree):
    campaign = make_campaign(grassroots_committee, tree.g1, open_to_collectives=True)
    collective = Collective.objects.create(unit=tree.branch_a, year=campaign.starts_on.year, name="Phòng khám trẻ",
                                           model=CollectiveModel.objects.first(), commitments="Cam kết")
    registration = services.registration_save(actor=secretary, campaign=campaign, kind="collective",
                                              collective=collective, pledges=pledges(campaign, 5, 1), submit=True)
    with pytest.raises(PermissionDenied):
        services.registration_move(actor=secretary, registration=registration, name="approve")
    services.registration_move(actor=grassroots_committee, registration=registration, name="approve")


def test_registration_opens_with_the_launch(grassroots_committee, secretary, tree):
    today = timezone.localdate()
    campaign = make_campaign(grassroots_committee, tree.g1, launch=False, stages=False)
    services.campaign_endorse(actor=grassroots_committee, campaign=campaign, endorsed_by="Đảng ủy", endorsed_on=today)
    services.campaign_launch(actor=grassroots_committee, campaign=campaign, launched_on=today + 2 * DAY,
                             launch_place="Hội trường")
    with pytest.raises(ValidationError):
        register_unit(secretary, campaign, tree.branch_a)


def test_a_pledge_of_nothing_on_a_higher_is_better_target_is_refused(campaign, secretary, tree):
    with pytest.raises(ValidationError) as refusal:
        register_unit(secretary, campaign, tree.branch_a, 0, 5)
    assert f"target_{campaign.targets.first().pk}" in refusal.value.error_dict


def test_editing_a_draft_keeps_the_endorsement_unless_the_targets_change(grassroots_committee, tree):
    campaign = make_campaign(grassroots_committee, tree.g1, launch=False)
    services.campaign_endorse(actor=grassroots_committee, campaign=campaign, endorsed_by="Đảng ủy",
                              endorsed_on=timezone.localdate())
    services.campaign_update(actor=grassroots_committee, campaign=campaign, targets=TARGETS, title="Tên mới",
                             stages=[])
    assert Campaign.objects.get(pk=campaign.pk).endorsed_by == "Đảng ủy"


def test_a_unions_own_registration_does_not_hold_up_its_forwarding(city_committee, grassroots_committee,
                                                                   secretary, tree):
    campaign = make_campaign(city_committee, tree.sector, registration_ends_on=timezone.localdate())
    register_unit(grassroots_committee, campaign, tree.g1)  # waits for the sector
    branch = register_unit(secretary, campaign, tree.branch_a)
    services.registration_move(actor=grassroots_committee, registration=branch, name="approve")
    forwarding = services.registration_forward(actor=grassroots_committee, campaign=campaign, unit=tree.g1)
    assert forwarding.registrations == 1


def test_progress_dates_stay_in_the_campaign_and_its_stages(approved_a, secretary):
    campaign = approved_a.campaign
    second = campaign.stages.get(number=2)
    with pytest.raises(ValidationError) as refusal:
        services.progress_report(actor=secretary, registration=approved_a, reported_on=timezone.localdate(),
                                 text="x", figures=pledges(campaign, 1, 0), stage=second)
    assert "stage" in refusal.value.error_dict


def test_reviews_come_after_their_stage_and_in_order(grassroots_committee, secretary, tree):
    today = timezone.localdate()
    staged = make_campaign(grassroots_committee, tree.g1, title="Có chặng")
    registration = register_unit(secretary, staged, tree.branch_a)
    services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
    second = staged.stages.get(number=2)
    with pytest.raises(ValidationError) as refusal:
        services.review_take(actor=grassroots_committee, campaign=staged, kind=ReviewKind.INTERIM, stage=second,
                             held_on=today)
    assert "held_on" in refusal.value.error_dict
    services.review_take(actor=grassroots_committee, campaign=staged, kind=ReviewKind.INTERIM,
                         stage=staged.stages.get(number=1), held_on=today)
    with pytest.raises(ValidationError):
        services.review_take(actor=grassroots_committee, campaign=staged, kind=ReviewKind.FINAL,
                             held_on=today - DAY)
    assert staged.reviews.count() == 1


def test_awards_cite_only_what_supports_them(campaign, approved_a, secretary, sibling_secretary,
                                             grassroots_committee, member_user, movement_year, tree):
    from movements.models import Commitment
    from tests.movements.helpers import make_commitment

    title = AwardTitle.objects.get(name="Giấy khen của Ban Chấp hành Đoàn cơ sở")
    with pytest.raises(ValidationError):  # a union's own award comes from the level above
        services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                               achievements="x", unit=tree.g1)
    member = Member.objects.get(user=member_user)
    unconfirmed = make_commitment(member, movement_year)
    with pytest.raises(ValidationError):
        services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                               achievements="x", member=member, commitment=unconfirmed)
    Commitment.objects.filter(pk=unconfirmed.pk).update(state="confirmed", classification="good")
    unconfirmed.refresh_from_db()
    services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                           achievements="x", member=member, commitment=unconfirmed)
    behind = register_unit(sibling_secretary, campaign, tree.branch_b)
    services.registration_move(actor=grassroots_committee, registration=behind, name="approve")
    report(secretary, approved_a, 200, 0)
    review = services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.FINAL,
                                  held_on=timezone.localdate())
    loser = review.entries.get(registration=behind)
    winner = review.entries.get(registration=approved_a)
    with pytest.raises(ValidationError):  # not achieved
        services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                               achievements="x", unit=tree.branch_b, review_entry=loser)
    with pytest.raises(ValidationError):  # about someone else
        services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                               achievements="x", unit=tree.branch_b, review_entry=winner)
    services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title, year=2026,
                           achievements="x", unit=tree.branch_a, review_entry=winner)


def test_a_member_sees_no_findings_about_other_branches(campaign, approved_a, sibling_secretary,
                                                        grassroots_committee, member_user, tree):
    other = register_unit(sibling_secretary, campaign, tree.branch_b)
    services.registration_move(actor=grassroots_committee, registration=other, name="approve")
    services.inspection_record(actor=grassroots_committee, campaign=campaign, registration=other,
                               visited_on=timezone.localdate(), inspectors="Thường trực",
                               findings="Sổ theo dõi của Khoa Ngoại còn thiếu")
    page = client_for(member_user).get(reverse("campaigns:campaign", args=[campaign.pk]))
    assert "Khoa Ngoại còn thiếu" not in page.content.decode()
    assert list(page.context["timeline"]) == []
    committee_page = client_for(grassroots_committee).get(reverse("campaigns:campaign", args=[campaign.pk]))
    assert "Khoa Ngoại còn thiếu" in committee_page.content.decode()
