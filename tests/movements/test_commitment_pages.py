import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from movements.models import Commitment, CommitmentState, Criterion
from tests.conftest import client_for
from tests.factories import MemberFactory
from tests.movements.helpers import make_commitment


def _pledge_post(movement_year, *, rows):
    """The formset as a phone would post it: ``rows`` is a list of (criterion, text) to fill."""
    data = {"pledges-TOTAL_FORMS": str(len(rows) + 1), "pledges-INITIAL_FORMS": "0",
            "pledges-MIN_NUM_FORMS": "0", "pledges-MAX_NUM_FORMS": "1000"}
    for index, (criterion, text) in enumerate(rows):
        data.update({f"pledges-{index}-criterion": criterion.pk, f"pledges-{index}-text": text,
                     f"pledges-{index}-target_kind": "number", f"pledges-{index}-target_value": "12",
                     f"pledges-{index}-target_unit": "buổi", f"pledges-{index}-due_date": f"{movement_year.year}-12-01"})
    return data


def _one_per_responsibility(movement_year):
    return [Criterion.objects.filter(movement_year=movement_year, responsibility=r, applies_to__in=["both", "health"])
            .first() for r in ("work", "people", "self")]


def test_a_member_registers_and_submits_from_the_page(member_user, movement_year):
    client = client_for(member_user)
    criteria = _one_per_responsibility(movement_year)
    data = _pledge_post(movement_year, rows=[(c, f"Cam kết {c.responsibility}") for c in criteria])
    response = client.post(reverse("movements:my_commitment"), {**data, "submit": "1"})
    assert response.status_code == 302
    commitment = Commitment.objects.get(member__user=member_user)
    assert commitment.state == CommitmentState.SUBMITTED
    assert commitment.pledges.count() == 3
    page = client.get(reverse("movements:my_commitment")).content.decode()
    assert "Cam kết people" in page


def test_a_missing_responsibility_is_named_and_the_draft_kept(member_user, movement_year):
    client = client_for(member_user)
    criteria = _one_per_responsibility(movement_year)[:2]
    data = _pledge_post(movement_year, rows=[(c, "Cam kết") for c in criteria])
    response = client.post(reverse("movements:my_commitment"), {**data, "submit": "1"}, follow=True)
    assert movement_year.self_label in response.content.decode()
    commitment = Commitment.objects.get(member__user=member_user)
    assert (commitment.state, commitment.pledges.count()) == (CommitmentState.DRAFT, 2)


def test_a_bad_row_keeps_what_was_typed(member_user, movement_year):
    criteria = _one_per_responsibility(movement_year)
    data = _pledge_post(movement_year, rows=[(c, "Viết dở") for c in criteria])
    data["pledges-0-target_value"] = ""
    response = client_for(member_user).post(reverse("movements:my_commitment"), {**data, "save": "1"})
    assert response.status_code == 200
    assert "target_value" in response.context["formset"].forms[0].errors
    assert response.content.decode().count("Viết dở") == 3
    assert not Commitment.objects.exists()


def test_the_secretary_returns_one_pledge_with_a_comment(secretary, submitted_commitment):
    pledge = submitted_commitment.pledges.first()
    response = client_for(secretary).post(reverse("movements:commitment_return", args=[submitted_commitment.pk]),
                                          {"comment": "", f"pledge_{pledge.pk}": "Ghi rõ số buổi"})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.review_comment == "Ghi rõ số buổi"
    assert Commitment.objects.get(pk=submitted_commitment.pk).state == CommitmentState.RETURNED


def test_a_return_without_any_comment_is_refused_at_the_field(secretary, submitted_commitment):
    response = client_for(secretary).post(reverse("movements:commitment_return", args=[submitted_commitment.pk]),
                                          {"comment": ""})
    assert response.status_code == 200
    assert "comment" in response.context["return_form"].errors
    assert Commitment.objects.get(pk=submitted_commitment.pk).state == CommitmentState.SUBMITTED


def test_bulk_approval_from_the_list(secretary, movement_year, tree):
    commitments = [make_commitment(MemberFactory(unit=tree.branch_a), movement_year) for _ in range(3)]
    response = client_for(secretary).post(reverse("movements:commitments_approve"),
                                          {"commitment": [c.pk for c in commitments[:2]]})
    assert response.status_code == 302
    states = dict(Commitment.objects.values_list("pk", "state"))
    assert [states[c.pk] for c in commitments] == ["approved", "approved", "submitted"]


def test_bulk_approval_ignores_commitments_outside_the_unit(secretary, commitment_in_c):
    client_for(secretary).post(reverse("movements:commitments_approve"), {"commitment": [commitment_in_c.pk]})
    assert Commitment.objects.get(pk=commitment_in_c.pk).state == CommitmentState.SUBMITTED


def test_the_list_counts_states_and_members_without_a_commitment(secretary, movement_year, tree, member_in_a):
    make_commitment(MemberFactory(unit=tree.branch_a), movement_year)
    make_commitment(MemberFactory(unit=tree.branch_a), movement_year, CommitmentState.APPROVED)
    response = client_for(secretary).get(reverse("movements:commitments"), {"state": "none"})
    tabs = {value: count for value, label, count in response.context["tabs"]}
    # member_in_a and the secretary themself have not registered yet.
    assert (tabs["submitted"], tabs["approved"], tabs["none"]) == (1, 1, 2)
    assert member_in_a in response.context["without"]


def test_the_home_page_tells_what_waits(secretary, member_user, commitment_in_a):
    assert "chờ bạn duyệt" in client_for(secretary).get(reverse("home")).content.decode()
    assert "Đăng ký cam kết" in client_for(member_user).get(reverse("home")).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("state", ["submitted", "none"])
def test_the_commitment_list_costs_the_same_for_5_and_50_members(state, secretary, movement_year, tree):
    client = client_for(secretary)
    url = f"{reverse('movements:commitments')}?state={state}"
    for _ in range(5):
        member = MemberFactory(unit=tree.branch_a)
        if state == "submitted":
            make_commitment(member, movement_year)
    client.get(url)
    few = _queries(client, url)
    for _ in range(45):
        member = MemberFactory(unit=tree.branch_a)
        if state == "submitted":
            make_commitment(member, movement_year)
    assert _queries(client, url) == few
