"""Self-assessment, the branch's evaluation with a suggested classification, the committee's confirmation,
and the year's closing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry
from movements import services
from movements.classification import excellent_share, suggest
from movements.models import Classification, Commitment, CommitmentState, MovementYear, YearState
from movements.scorecard import scorecard
from tests.conftest import client_for
from tests.factories import MemberFactory
from tests.movements.helpers import make_commitment


@pytest.fixture
def approved(secretary, submitted_commitment):
    return services.commitment_approve(actor=secretary, commitment=submitted_commitment)


@pytest.fixture
def evaluation_open(movement_year):
    today = timezone.localdate()
    MovementYear.objects.filter(pk=movement_year.pk).update(evaluation_opens=today,
                                                            evaluation_closes=today + timezone.timedelta(days=10))


def _all(commitment, result):
    return {pledge.pk: result for pledge in commitment.pledges.all()}


def test_the_whole_evaluation(member_user, secretary, grassroots_committee, approved, evaluation_open):
    services.commitment_self_assess(actor=member_user, commitment=approved, results=_all(approved, "achieved"),
                                    classification=Classification.GOOD, comment="Hoàn thành các cam kết")
    services.commitment_evaluate(actor=secretary, commitment=approved, classification=Classification.GOOD,
                                 comment="Tích cực")
    services.commitment_confirm(actor=grassroots_committee, commitment=approved)
    approved.refresh_from_db()
    assert (approved.state, approved.self_classification, approved.proposed_classification,
            approved.classification) == (CommitmentState.CONFIRMED, "good", "good", "good")
    assert set(approved.pledges.values_list("self_result", flat=True)) == {"achieved"}
    assert list(AuditEntry.objects.filter(action__in=[services.COMMITMENT_SELF_ASSESSED, services.COMMITMENT_EVALUATED,
                                                      services.COMMITMENT_CONFIRMED]).order_by("id")
                .values_list("action", flat=True)) == ["commitment.self_assessed", "commitment.evaluated",
                                                      "commitment.confirmed"]


def test_self_assessment_waits_for_the_evaluation_window(member_user, approved):
    with pytest.raises(ValidationError):
        services.commitment_self_assess(actor=member_user, commitment=approved, results=_all(approved, "achieved"),
                                        classification=Classification.GOOD)
    assert Commitment.objects.get(pk=approved.pk).state == CommitmentState.APPROVED


def test_every_pledge_must_be_self_assessed(member_user, approved, evaluation_open):
    results = _all(approved, "partly")
    results.popitem()
    with pytest.raises(ValidationError):
        services.commitment_self_assess(actor=member_user, commitment=approved, results=results,
                                        classification=Classification.COMPLETE)
    assert not approved.pledges.exclude(self_result="").exists()


def test_the_branch_may_evaluate_without_a_self_assessment(secretary, approved, evaluation_open):
    services.commitment_evaluate(actor=secretary, commitment=approved, classification=Classification.COMPLETE)
    assert Commitment.objects.get(pk=approved.pk).state == CommitmentState.EVALUATED


def test_a_secretary_cannot_confirm(secretary, approved, evaluation_open):
    services.commitment_evaluate(actor=secretary, commitment=approved, classification=Classification.COMPLETE)
    with pytest.raises(PermissionDenied):
        services.commitment_confirm(actor=secretary, commitment=approved)


def test_a_changed_classification_needs_a_reason(secretary, grassroots_committee, approved, evaluation_open):
    services.commitment_evaluate(actor=secretary, commitment=approved, classification=Classification.EXCELLENT)
    with pytest.raises(ValidationError) as error:
        services.commitment_confirm(actor=grassroots_committee, commitment=approved,
                                    classification=Classification.GOOD)
    assert "reason" in error.value.message_dict
    services.commitment_confirm(actor=grassroots_committee, commitment=approved, classification=Classification.GOOD,
                                reason="Chưa có minh chứng cho 2 cam kết")
    approved.refresh_from_db()
    assert (approved.proposed_classification, approved.classification) == ("excellent", "good")
    assert AuditEntry.objects.get(action=services.COMMITMENT_CONFIRMED).note == "Chưa có minh chứng cho 2 cam kết"


def test_bulk_confirmation(secretary, grassroots_committee, movement_year, evaluation_open, tree):
    evaluated = []
    for _ in range(3):
        commitment = make_commitment(MemberFactory(unit=tree.branch_a), movement_year, CommitmentState.APPROVED)
        evaluated.append(services.commitment_evaluate(actor=secretary, commitment=commitment,
                                                      classification=Classification.GOOD))
    not_ready = make_commitment(MemberFactory(unit=tree.branch_a), movement_year, CommitmentState.APPROVED)
    confirmed, refused = services.commitments_confirm_many(actor=grassroots_committee,
                                                           commitments=[*evaluated, not_ready])
    assert len(confirmed) == 3 and [c.pk for c, _ in refused] == [not_ready.pk]


def test_the_suggestion_follows_the_years_rules(member_user, secretary, approved):
    year = approved.movement_year
    card = scorecard(approved)
    nothing = suggest(year, card)
    assert (nothing.classification, nothing.overall_percent) == (Classification.INCOMPLETE, 0)
    for pledge in approved.pledges.all():
        evidence = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(),
                                         description="Xong", value_reached=Decimal(10))
        services.evidence_verify(actor=secretary, evidence=evidence)
    everything = suggest(year, scorecard(approved))
    assert (everything.classification, everything.overall_percent, everything.evidenced) == (
        Classification.EXCELLENT, 100, 3)
    assert any("100%" in reason for reason in everything.reasons)


def test_the_excellent_share_warns_above_the_limit(secretary, movement_year, evaluation_open, tree):
    first = make_commitment(MemberFactory(unit=tree.branch_a), movement_year, CommitmentState.APPROVED)
    services.commitment_evaluate(actor=secretary, commitment=first, classification=Classification.EXCELLENT)
    second = make_commitment(MemberFactory(unit=tree.branch_a), movement_year, CommitmentState.APPROVED)
    share = excellent_share(second, proposing=Classification.EXCELLENT)
    assert (share.excellent, share.members, share.over_limit) == (2, 2, True)
    assert not excellent_share(second, proposing=Classification.GOOD).percent == 100


def test_a_closed_year_is_read_only(member_user, secretary, superuser, approved, evaluation_open, movement_year):
    services.year_close(actor=superuser, movement_year=movement_year)
    assert MovementYear.objects.get(pk=movement_year.pk).state == YearState.CLOSED
    with pytest.raises(ValidationError):
        services.commitment_evaluate(actor=secretary, commitment=approved, classification=Classification.GOOD)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=member_user, pledge=approved.pledges.first(), done_on=timezone.localdate(),
                              description="x")
    assert client_for(member_user).get(reverse("movements:my_commitment")).status_code == 200


def test_only_the_committee_closes_a_year(secretary, movement_year):
    with pytest.raises(PermissionDenied):
        services.year_close(actor=secretary, movement_year=movement_year)


def test_evaluating_through_the_page(secretary, approved, evaluation_open):
    client = client_for(secretary)
    page = client.get(reverse("movements:commitment", args=[approved.pk]))
    assert page.context["evaluation"]["suggestion"].classification == Classification.INCOMPLETE
    response = client.post(reverse("movements:commitment_evaluate", args=[approved.pk]),
                           {"classification": "complete", "comment": "Cố gắng hơn"})
    assert response.status_code == 302
    assert Commitment.objects.get(pk=approved.pk).proposed_classification == "complete"


def test_confirming_through_the_list(secretary, grassroots_committee, approved, evaluation_open):
    services.commitment_evaluate(actor=secretary, commitment=approved, classification=Classification.GOOD)
    client = client_for(grassroots_committee)
    listing = client.get(reverse("movements:classifications"))
    assert approved in listing.context["waiting"]
    client.post(reverse("movements:classifications_confirm"), {"commitment": [approved.pk]})
    assert Commitment.objects.get(pk=approved.pk).classification == "good"


def test_self_assessing_through_the_page(member_user, approved, evaluation_open):
    client = client_for(member_user)
    form = client.get(reverse("movements:my_commitment")).context["self_form"]
    data = {f"result_{pledge.pk}": "achieved" for pledge in form.pledges}
    response = client.post(reverse("movements:self_assess"), {**data, "classification": "good", "comment": ""})
    assert response.status_code == 302
    assert Commitment.objects.get(pk=approved.pk).state == CommitmentState.SELF_ASSESSED


def test_the_first_excellent_of_a_large_branch_is_no_warning(secretary, movement_year, evaluation_open, tree):
    commitments = [make_commitment(MemberFactory(unit=tree.branch_a), movement_year, CommitmentState.APPROVED)
                   for _ in range(10)]
    share = excellent_share(commitments[0], proposing=Classification.EXCELLENT)
    assert (share.excellent, share.members, share.over_limit) == (1, 10, False)
