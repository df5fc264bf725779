"""Races on PostgreSQL: the same transition or edit tried by several people at the same moment, many times over.
One wins, the others get a clear refusal, no update is lost and no rule is broken; each winner leaves exactly one
audit entry."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import AwardKind, AwardLevel, AwardTitle, Feedback, FeedbackPointKind, Registration
from members import life
from members import services as member_services
from members.models import AuditEntry, Member, MemberStatus
from movements import services as movement_services
from movements.models import Commitment, Evidence
from reports.services import next_document_number
from tests.campaigns.conftest import register_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks need a server database; SQLite serialises every writer anyway"),
]
ROUNDS = 4


def race(*calls):
    """Run the calls at the same moment, each in its own thread and connection: 'done', or the refusal's text."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[index] = "done"
        except ValidationError as refusal:
            outcomes[index] = " ".join(refusal.messages)
        except Exception as error:  # noqa: BLE001 (reported below as a failure of the race)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Nobody hung, and nobody failed with anything but a refusal.
    assert all(isinstance(outcome, str) for outcome in outcomes), outcomes
    return outcomes


def one_winner(outcomes):
    assert outcomes.count("done") == 1, outcomes
    assert all(outcome for outcome in outcomes if outcome != "done")  # the losers were told why
    return outcomes.index("done")


def test_the_register_gives_each_of_many_issuers_its_own_number(tree):
    numbers = []

    def take():
        with transaction.atomic():
            numbers.append(next_document_number(tree.g1, "BC", 2026))

    for _round in range(ROUNDS):
        assert race(*[take] * 6) == ["done"] * 6
    assert sorted(numbers) == list(range(1, 6 * ROUNDS + 1))


def test_deciding_and_refusing_an_award_at_once(grassroots_committee, city_committee, tree, member_in_a):
    # The catalogue comes from a data migration, which an earlier transactional test's flush has emptied.
    title, _created = AwardTitle.objects.get_or_create(name="Thanh niên tiên tiến làm theo lời Bác", defaults={
        "kind": AwardKind.TITLE, "level": AwardLevel.GRASSROOTS, "for_collectives": False})
    for index in range(ROUNDS):
        award = campaign_services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title,
                                                year=2020 + index, achievements="Tận tụy", member=member_in_a)
        outcomes = race(
            lambda award=award: campaign_services.award_move(actor=grassroots_committee, award=award, name="decide",
                                                             decision_number="7-QĐ", decided_on=timezone.localdate(),
                                                             issuing_body="BCH"),
            lambda award=award: campaign_services.award_move(actor=city_committee, award=award, name="not_grant",
                                                             note="Chưa đủ tiêu chuẩn"))
        winner = one_winner(outcomes)
        award.refresh_from_db()
        assert award.state == ("decided", "not_granted")[winner]
        moves = AuditEntry.objects.filter(target_id=str(award.pk), action__in=["award.decided", "award.not_granted"])
        assert moves.count() == 1


def test_two_reviewers_on_one_registration(grassroots_committee, city_committee, tree, member_in_a, member_user):
    for _round in range(ROUNDS):
        registration = register_member(grassroots_committee, tree.g1, member_in_a, member_user, submit=True)
        outcomes = race(
            lambda r=registration: campaign_services.registration_move(actor=grassroots_committee, registration=r,
                                                                       name="approve"),
            lambda r=registration: campaign_services.registration_move(actor=city_committee, registration=r,
                                                                       name="return", note="Bổ sung chỉ tiêu"))
        winner = one_winner(outcomes)
        assert Registration.objects.get(pk=registration.pk).state == ("approved", "returned")[winner]


def test_verifying_and_rejecting_one_piece_of_evidence(secretary, grassroots_committee, member_user, commitment_in_a):
    Commitment.objects.filter(pk=commitment_in_a.pk).update(state="approved")
    pledge = commitment_in_a.pledges.first()
    for index in range(ROUNDS):
        evidence = Evidence.objects.create(pledge=pledge, done_on=timezone.localdate(), description=f"Lần {index}",
                                           value_reached=Decimal(1))
        outcomes = race(
            lambda e=evidence: movement_services.evidence_verify(actor=secretary, evidence=e),
            lambda e=evidence: movement_services.evidence_reject(actor=grassroots_committee, evidence=e,
                                                                 reason="Thiếu xác nhận"))
        winner = one_winner(outcomes)
        evidence.refresh_from_db()
        assert evidence.state == ("verified", "rejected")[winner]
        assert evidence.review_reason == ("", "Thiếu xác nhận")[winner]  # the loser wrote nothing


def test_moving_and_closing_a_member_at_once_leaves_one_true_story(secretary, grassroots_committee, tree):
    from tests.factories import MemberFactory

    for _round in range(ROUNDS):
        member = MemberFactory(unit=tree.branch_a)
        race(lambda m=member: member_services.member_transfer(actor=grassroots_committee, member=m,
                                                              to_unit=tree.branch_b),
             lambda m=member: life.member_close(actor=grassroots_committee, member=m, status=MemberStatus.LEFT,
                                                closed_on=timezone.localdate(), note="Nghỉ việc"))
        final = Member.objects.get(pk=member.pk)
        moved = AuditEntry.objects.filter(target_id=str(member.pk), action="member.transferred").exists()
        closed = AuditEntry.objects.filter(target_id=str(member.pk), action="member.closed").exists()
        assert closed == (final.status == MemberStatus.LEFT)
        assert moved == (final.unit == tree.branch_b)
        assert closed or moved


def test_reviewing_a_registration_while_its_member_moves(grassroots_committee, tree, member_in_a, member_user):
    """The move takes the registration to the new branch while the review waits for its lock: the review still
    finds it (a lock taken with a join would lose the row on PostgreSQL's recheck)."""
    for index in range(ROUNDS):
        member = Member.objects.get(pk=member_in_a.pk)
        if member.unit_id != tree.branch_a.pk:
            member_services.member_transfer(actor=grassroots_committee, member=member, to_unit=tree.branch_a)
        registration = register_member(grassroots_committee, tree.g1, member, member_user, submit=True)
        outcomes = race(
            lambda r=registration: campaign_services.registration_move(actor=grassroots_committee, registration=r,
                                                                       name="return", note=f"Vòng {index}"),
            lambda m=member: member_services.member_transfer(actor=grassroots_committee, member=m,
                                                             to_unit=tree.branch_b))
        assert outcomes[1] == "done"
        final = Registration.objects.get(pk=registration.pk)
        assert final.state == ("returned" if outcomes[0] == "done" else "submitted")


def test_a_crowd_posting_at_once_gets_exactly_the_points_limit(secretary, tree, settings):
    settings.FEEDBACK_LIMIT_PER_POINT = 3
    settings.FEEDBACK_LIMIT_PER_ADDRESS = 100
    point = campaign_services.point_create(actor=secretary, unit=tree.branch_a, kind=FeedbackPointKind.DESK,
                                           name="Bàn hướng dẫn", invitation="Mời góp ý", questions=["Thái độ"])
    question = point.questions.get().pk

    def post(index):
        try:
            campaign_services.feedback_submit(point=point, scores={question: 5}, sender_address=f"10.0.{index}.1")
        except campaign_services.FeedbackRefused as refusal:
            raise ValidationError(str(refusal)) from None

    outcomes = ["done" if outcome == "done" else "refused" for outcome in race(
        *[lambda index=index: post(index) for index in range(8)])]
    assert sorted(outcomes) == ["done"] * 3 + ["refused"] * 5
    assert Feedback.objects.filter(point=point).count() == 3


def test_one_sender_posting_to_several_points_at_once_gets_exactly_the_senders_limit(secretary, tree, settings):
    settings.FEEDBACK_LIMIT_PER_POINT = 100
    settings.FEEDBACK_LIMIT_PER_ADDRESS = 2
    points = [campaign_services.point_create(actor=secretary, unit=tree.branch_a, kind=FeedbackPointKind.DESK,
                                             name=f"Bàn {index}", invitation="Mời góp ý", questions=["Thái độ"])
              for index in range(6)]

    def post(point):
        try:
            campaign_services.feedback_submit(point=point, scores={point.questions.get().pk: 5},
                                              sender_address="203.0.113.5")
        except campaign_services.FeedbackRefused as refusal:
            raise ValidationError(str(refusal)) from None

    outcomes = ["done" if outcome == "done" else "refused" for outcome in race(
        *[lambda point=point: post(point) for point in points])]
    assert sorted(outcomes) == ["done"] * 2 + ["refused"] * 4
    assert Feedback.objects.count() == 2
