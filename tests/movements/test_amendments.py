"""A member asks to change an approved pledge; the secretary accepts or refuses; both versions stay."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import AuditEntry
from movements import services
from movements.models import AmendmentState, Pledge
from tests.conftest import client_for


@pytest.fixture
def pledge(secretary, submitted_commitment):
    services.commitment_approve(actor=secretary, commitment=submitted_commitment)
    return submitted_commitment.pledges.order_by("id").first()


def _proposal(pledge, **changes):
    values = {"text": pledge.text, "target_kind": pledge.target_kind, "target_value": pledge.target_value,
              "target_unit": pledge.target_unit, "due_date": pledge.due_date}
    return {**values, **changes}


def test_an_accepted_change_updates_the_pledge_and_keeps_the_old_version(member_user, secretary, pledge):
    old_text = pledge.text
    amendment = services.amendment_request(actor=member_user, pledge=pledge, reason="Đổi khoa công tác",
                                           **_proposal(pledge, text="Cam kết mới", target_value=6))
    assert Pledge.objects.get(pk=pledge.pk).text == old_text
    services.amendment_accept(actor=secretary, amendment=amendment)
    pledge.refresh_from_db()
    amendment.refresh_from_db()
    assert (pledge.text, pledge.target_value) == ("Cam kết mới", 6)
    assert (amendment.state, amendment.previous["text"]) == (AmendmentState.ACCEPTED, old_text)
    assert [a.action for a in AuditEntry.objects.filter(action__startswith="pledge.").order_by("id")] == [
        "pledge.amendment_requested", "pledge.amendment_accepted"]


def test_a_refused_change_leaves_the_pledge_and_needs_a_reason(member_user, secretary, pledge):
    amendment = services.amendment_request(actor=member_user, pledge=pledge, reason="Bận",
                                           **_proposal(pledge, due_date=datetime.date(2099, 1, 1)))
    with pytest.raises(ValidationError):
        services.amendment_refuse(actor=secretary, amendment=amendment, note="")
    services.amendment_refuse(actor=secretary, amendment=amendment, note="Hạn quá xa")
    assert Pledge.objects.get(pk=pledge.pk).due_date == pledge.due_date
    assert pledge.amendments.get().state == AmendmentState.REFUSED


def test_one_waiting_change_per_pledge(member_user, pledge):
    services.amendment_request(actor=member_user, pledge=pledge, reason="a", **_proposal(pledge, text="b"))
    with pytest.raises(ValidationError):
        services.amendment_request(actor=member_user, pledge=pledge, reason="c", **_proposal(pledge, text="d"))


def test_a_pledge_not_yet_approved_is_edited_directly_not_amended(member_user, submitted_commitment):
    with pytest.raises(ValidationError):
        services.amendment_request(actor=member_user, pledge=submitted_commitment.pledges.first(), reason="x",
                                   **_proposal(submitted_commitment.pledges.first()))


def test_only_the_branch_line_answers(member_user, sibling_secretary, pledge):
    amendment = services.amendment_request(actor=member_user, pledge=pledge, reason="a",
                                           **_proposal(pledge, text="b"))
    with pytest.raises(PermissionDenied):
        services.amendment_accept(actor=sibling_secretary, amendment=amendment)
    with pytest.raises(PermissionDenied):
        services.amendment_accept(actor=member_user, amendment=amendment)


def test_asking_and_answering_through_the_pages(member_user, secretary, pledge):
    response = client_for(member_user).post(reverse("movements:amendment_create", args=[pledge.pk]), {
        "text": "Cam kết đã sửa", "target_kind": "number", "target_value": "8", "target_unit": "buổi",
        "due_date": "2026-12-20", "reason": "Thay đổi lịch trực"})
    assert response.status_code == 302
    amendment = pledge.amendments.get()
    client_for(secretary).post(reverse("movements:amendment_accept", args=[amendment.pk]))
    assert Pledge.objects.get(pk=pledge.pk).text == "Cam kết đã sửa"


def test_a_waiting_change_is_closed_by_the_evaluation(member_user, secretary, pledge):
    from django.utils import timezone

    from movements.models import Classification, MovementYear

    amendment = services.amendment_request(actor=member_user, pledge=pledge, reason="a",
                                           **_proposal(pledge, text="b"))
    today = timezone.localdate()
    MovementYear.objects.filter(pk=pledge.commitment.movement_year_id).update(
        evaluation_opens=today, evaluation_closes=today + datetime.timedelta(days=5))
    services.commitment_evaluate(actor=secretary, commitment=pledge.commitment, classification=Classification.GOOD)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.REFUSED
    with pytest.raises(ValidationError):
        services.amendment_accept(actor=secretary, amendment=amendment)
    assert Pledge.objects.get(pk=pledge.pk).text != "b"
