"""Two reviewers acting on one commitment at the same moment: one wins, the other is refused, nothing is lost."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from members.models import AuditEntry
from movements import services
from movements.models import Commitment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks need a server database; SQLite serialises every writer anyway"),
]


def test_two_secretaries_at_once_lose_no_update(secretary, grassroots_committee, submitted_commitment):
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[name] = "done"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("approve", lambda: services.commitment_approve(
            actor=secretary, commitment=submitted_commitment))),
        threading.Thread(target=act, args=("return", lambda: services.commitment_return(
            actor=grassroots_committee, commitment=submitted_commitment, comment="Sửa lại", pledge_comments={}))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["done", "refused"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    final = Commitment.objects.get(pk=submitted_commitment.pk)
    assert final.state == {"approve": "approved", "return": "returned"}[winner]
    reviews = AuditEntry.objects.filter(action__in=["commitment.approved", "commitment.returned"])
    assert list(reviews.values_list("action", flat=True)) == [f"commitment.{final.state}"]

