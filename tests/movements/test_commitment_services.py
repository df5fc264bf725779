"""The commitment's state machine: every allowed move with its audit entry, every refused one changing nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.models import AuditEntry
from movements import services
from movements.models import Commitment, CommitmentState, Criterion, MovementYear, YearState
from tests.movements.helpers import make_commitment, pledge_values, year_dates


def _actions(commitment):
    return list(AuditEntry.objects.filter(target_id=str(commitment.pk), action__startswith="commitment.")
                .order_by("id").values_list("action", flat=True))


def test_opening_a_year_starts_from_the_catalogue_then_from_the_previous_year(superuser, tree):
    today = timezone.localdate()
    first = services.year_open(actor=superuser, unit=tree.g1, year=today.year - 1, **year_dates(today))
    assert first.criteria.count() >= 15
    assert set(first.criteria.values_list("responsibility", flat=True)) == {"work", "people", "self"}
    Criterion.objects.filter(movement_year=first, responsibility="work").update(title="Tiêu chí riêng")
    second = services.year_open(actor=superuser, unit=tree.g1, year=today.year, **year_dates(today))
    assert second.criteria.filter(title="Tiêu chí riêng").exists()
    assert AuditEntry.objects.filter(action=services.YEAR_OPENED).count() == 2


def test_only_the_committee_opens_a_year(secretary, grassroots_committee, tree):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.year_open(actor=secretary, unit=tree.branch_a, year=today.year, **year_dates(today))
    with pytest.raises(PermissionDenied):
        services.year_open(actor=grassroots_committee, unit=tree.sector, year=today.year, **year_dates(today))
    assert not MovementYear.objects.exists()


def test_windows_must_be_in_order(superuser, tree):
    today = timezone.localdate()
    dates = year_dates(today)
    dates["registration_closes"] = dates["registration_opens"] - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.year_open(actor=superuser, unit=tree.g1, year=today.year, **dates)
    assert "registration_closes" in error.value.message_dict


def test_publishing_twice_is_refused(superuser, movement_year):
    with pytest.raises(ValidationError):
        services.year_publish(actor=superuser, movement_year=movement_year)


def test_the_full_way_submit_return_resubmit_approve(member_user, secretary, movement_year):
    commitment = services.commitment_save(actor=member_user, movement_year=movement_year,
                                          pledges=pledge_values(movement_year))
    assert commitment.state == CommitmentState.DRAFT
    services.commitment_submit(actor=member_user, commitment=commitment)
    pledge = commitment.pledges.first()
    services.commitment_return(actor=secretary, commitment=commitment, comment="Cần cụ thể hơn",
                               pledge_comments={pledge.pk: "Chỉ tiêu chưa đo được"})
    commitment.refresh_from_db()
    pledge.refresh_from_db()
    assert (commitment.state, commitment.review_comment, pledge.review_comment) == (
        CommitmentState.RETURNED, "Cần cụ thể hơn", "Chỉ tiêu chưa đo được")
    changed = pledge_values(movement_year)
    changed[0] = {**changed[0], "id": pledge.pk, "text": "Giải quyết đúng hạn 100% hồ sơ"}
    services.commitment_save(actor=member_user, movement_year=movement_year, pledges=changed[:1] + changed[1:])
    services.commitment_submit(actor=member_user, commitment=commitment)
    services.commitment_approve(actor=secretary, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.APPROVED
    assert commitment.reviewed_by == secretary
    assert _actions(commitment) == [
        "commitment.saved", "commitment.submitted", "commitment.returned", "commitment.saved",
        "commitment.submitted", "commitment.approved"]
    entry = AuditEntry.objects.get(action="commitment.returned")
    assert (entry.before, entry.after, entry.note) == ({"state": "submitted"}, {"state": "returned"},
                                                      "Cần cụ thể hơn")


def test_a_responsibility_without_a_pledge_is_named(member_user, movement_year):
    commitment = services.commitment_save(actor=member_user, movement_year=movement_year,
                                          pledges=pledge_values(movement_year)[:2])
    with pytest.raises(ValidationError) as error:
        services.commitment_submit(actor=member_user, commitment=commitment)
    assert movement_year.self_label in " ".join(error.value.messages)
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.DRAFT


@pytest.mark.parametrize("state", [CommitmentState.DRAFT, CommitmentState.RETURNED, CommitmentState.APPROVED])
def test_only_a_submitted_commitment_is_reviewed(state, secretary, member_in_a, movement_year):
    commitment = make_commitment(member_in_a, movement_year, state)
    for review in (lambda: services.commitment_approve(actor=secretary, commitment=commitment),
                   lambda: services.commitment_return(actor=secretary, commitment=commitment, comment="x",
                                                      pledge_comments={})):
        with pytest.raises(ValidationError):
            review()
    commitment.refresh_from_db()
    assert commitment.state == state
    assert _actions(commitment) == []


def test_an_approved_commitment_cannot_be_submitted_or_edited(member_user, secretary, submitted_commitment,
                                                             movement_year):
    services.commitment_approve(actor=secretary, commitment=submitted_commitment)
    with pytest.raises(ValidationError):
        services.commitment_submit(actor=member_user, commitment=submitted_commitment)
    with pytest.raises(ValidationError):
        services.commitment_save(actor=member_user, movement_year=movement_year, pledges=[])
    assert submitted_commitment.pledges.count() == 3


def test_a_return_needs_a_comment(secretary, submitted_commitment):
    with pytest.raises(ValidationError):
        services.commitment_return(actor=secretary, commitment=submitted_commitment, comment=" ",
                                   pledge_comments={})
    submitted_commitment.refresh_from_db()
    assert submitted_commitment.state == CommitmentState.SUBMITTED


@pytest.mark.parametrize("persona", ["sibling_secretary", "outsider", "member_user"])
def test_only_the_branch_line_reviews(persona, personas, submitted_commitment):
    with pytest.raises(PermissionDenied):
        services.commitment_approve(actor=personas[persona], commitment=submitted_commitment)
    submitted_commitment.refresh_from_db()
    assert submitted_commitment.state == CommitmentState.SUBMITTED


def test_the_grassroots_committee_may_review_too(grassroots_committee, submitted_commitment):
    services.commitment_approve(actor=grassroots_committee, commitment=submitted_commitment)
    assert Commitment.objects.get(pk=submitted_commitment.pk).state == CommitmentState.APPROVED


def test_someone_else_cannot_submit_a_members_commitment(secretary, member_user, movement_year):
    commitment = services.commitment_save(actor=member_user, movement_year=movement_year,
                                          pledges=pledge_values(movement_year))
    with pytest.raises(PermissionDenied):
        services.commitment_submit(actor=secretary, commitment=commitment)


def test_registration_outside_the_window_is_refused(member_user, superuser, tree):
    today = timezone.localdate()
    year = services.year_open(actor=superuser, unit=tree.sector, year=today.year,
                              **year_dates(today, registration_open=False))
    services.year_publish(actor=superuser, movement_year=year)
    with pytest.raises(ValidationError):
        services.commitment_save(actor=member_user, movement_year=year, pledges=pledge_values(year))
    assert not Commitment.objects.exists()


def test_a_criterion_of_another_sector_is_refused(member_user, movement_year):
    administrative_only = Criterion.objects.filter(movement_year=movement_year, applies_to="administrative").first()
    pledges = pledge_values(movement_year)
    pledges[0]["criterion"] = administrative_only
    with pytest.raises(ValidationError):
        services.commitment_save(actor=member_user, movement_year=movement_year, pledges=pledges)
    assert not Commitment.objects.filter(pledges__isnull=False).exists()


def test_bulk_approval_reports_what_it_could_not_do(secretary, member_in_a, movement_year, tree):
    from tests.factories import MemberFactory

    ready = [make_commitment(MemberFactory(unit=tree.branch_a), movement_year) for _ in range(3)]
    draft = make_commitment(member_in_a, movement_year, CommitmentState.DRAFT)
    approved, refused = services.commitments_approve_many(actor=secretary, commitments=[*ready, draft])
    assert len(approved) == 3 and [c.pk for c, _ in refused] == [draft.pk]


def test_a_closed_year_refuses_every_change(secretary, submitted_commitment, movement_year):
    MovementYear.objects.filter(pk=movement_year.pk).update(state=YearState.CLOSED)
    with pytest.raises(ValidationError):
        services.commitment_approve(actor=secretary, commitment=submitted_commitment)


def test_criteria_are_edited_while_the_year_is_prepared(superuser, tree):
    today = timezone.localdate()
    year = services.year_open(actor=superuser, unit=tree.g1, year=today.year, **year_dates(today))
    kept = year.criteria.order_by("id").first()
    values = [{"id": kept.pk, "responsibility": kept.responsibility, "title": "Tiêu chí sửa", "guidance": "",
               "weight": 5, "applies_to": "both", "position": 0},
              {"responsibility": "people", "title": "Tiêu chí mới", "guidance": "Hướng dẫn", "weight": 2,
               "applies_to": "health", "position": 1}]
    services.criteria_save(actor=superuser, movement_year=year, criteria=values)
    assert sorted(year.criteria.values_list("title", flat=True)) == ["Tiêu chí mới", "Tiêu chí sửa"]
    assert AuditEntry.objects.get(action=services.CRITERIA_CHANGED).after == {"criteria": 2}
    with pytest.raises(ValidationError):
        services.year_publish(actor=superuser, movement_year=year)  # no criterion for "self" any more


def test_criteria_are_fixed_once_published(superuser, movement_year):
    with pytest.raises(ValidationError):
        services.criteria_save(actor=superuser, movement_year=movement_year, criteria=[])
    assert movement_year.criteria.exists()


def test_the_committee_sets_the_years_rules(superuser, movement_year):
    services.year_update(actor=superuser, movement_year=movement_year, excellent_threshold=95, excellent_limit=10)
    movement_year.refresh_from_db()
    assert (movement_year.excellent_threshold, movement_year.excellent_limit) == (95, 10)
    assert AuditEntry.objects.get(action=services.YEAR_UPDATED).after == {"excellent_threshold": 95,
                                                                          "excellent_limit": 10}
    with pytest.raises(ValidationError):
        services.year_update(actor=superuser, movement_year=movement_year, good_threshold=99)


def test_a_year_cannot_be_opened_twice_on_one_line_of_the_tree(superuser, movement_year, tree):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.year_open(actor=superuser, unit=tree.g1, year=movement_year.year, **year_dates(today))
    assert "year" in error.value.message_dict
    services.year_open(actor=superuser, unit=tree.g1, year=movement_year.year + 1, **year_dates(today))


def test_a_draft_year_is_seen_only_by_its_committee(superuser, grassroots_committee, member_user, tree):
    from movements.selectors import years_for

    today = timezone.localdate()
    draft = services.year_open(actor=superuser, unit=tree.g1, year=today.year, **year_dates(today))
    assert draft in years_for(grassroots_committee)
    assert draft not in years_for(member_user)


def test_a_returned_commitment_can_be_fixed_after_registration_closed(member_user, secretary, submitted_commitment):
    services.commitment_return(actor=secretary, commitment=submitted_commitment, comment="Sửa", pledge_comments={})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    MovementYear.objects.filter(pk=submitted_commitment.movement_year_id).update(
        registration_opens=yesterday - datetime.timedelta(days=30), registration_closes=yesterday)
    year = MovementYear.objects.get(pk=submitted_commitment.movement_year_id)
    services.commitment_save(actor=member_user, movement_year=year, pledges=pledge_values(year))
    services.commitment_submit(actor=member_user, commitment=submitted_commitment)
    assert Commitment.objects.get(pk=submitted_commitment.pk).state == CommitmentState.SUBMITTED
