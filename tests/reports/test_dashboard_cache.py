"""The dashboard's figures come from the cache until the portal's data changes, and never outlive the change:
a write through a model, a queryset update or a bulk insert draws a new data version at its commit (for
everybody), and the writing transaction draws one when it looks again (to read its own changes)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import AuditEntry
from movements.models import Commitment, CommitmentState
from reports import caching
from tests.conftest import client_for
from tests.factories import MemberFactory, make_unit
from tests.movements.helpers import make_commitment


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return response.context["figures"], len(queries)


def test_the_figures_are_kept_until_a_commitment_changes_them(grassroots_committee, tree, data):
    client = client_for(grassroots_committee)
    first, computed = _dashboard(client)
    again, from_cache = _dashboard(client)
    assert (again.registered, again.members) == (first.registered, first.members) == (1, first.members)
    assert from_cache < computed - 10  # the subtree's aggregates were not run again

    make_commitment(MemberFactory(unit=tree.branch_b), data)
    changed, recomputed = _dashboard(client)
    assert (changed.registered, changed.members) == (2, first.members + 1)
    assert recomputed > from_cache + 10


def test_a_queryset_update_changes_the_figures_too(grassroots_committee, tree, data):
    client = client_for(grassroots_committee)
    assert _dashboard(client)[0].approved == 0
    Commitment.objects.filter(member__unit=tree.branch_a).update(state=CommitmentState.APPROVED)
    assert _dashboard(client)[0].approved == 1


def test_only_writes_to_the_data_draw_a_new_version(grassroots_committee, tree, data):
    before = caching.data_version()
    AuditEntry.objects.filter(pk__lt=0).delete()  # the audit log changes on every action: not a figure
    Commitment.objects.filter(pk__lt=0).values_list("pk")  # a read
    assert caching.data_version() == before
    Commitment.objects.filter(pk__lt=0).update(review_comment="")
    assert caching.data_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_draws_a_version_when_it_reads_after_writing_and_one_at_its_commit():
    before = caching.data_version()
    with transaction.atomic():
        unit = make_unit(parent=None, code="cache-branch", kind="branch", name="Chi đoàn Khoa Dược")
        MemberFactory.create_batch(3, unit=unit)
        hooked = [hook for _savepoints, hook, _robust in connection.run_on_commit if hook is caching.new_version]
        assert len(hooked) == 1  # one for the whole transaction, not one per statement
        during = caching.data_version()
        assert during != before
        assert caching.data_version() == during  # nothing written since the last look
    assert caching.data_version() not in (before, during)


def test_the_count_of_a_long_list_is_kept_until_the_list_changes(secretary, tree, member_in_a):
    client = client_for(secretary)
    url = reverse("members:list")
    assert client.get(url).context["page"].paginator.count == 2  # the secretary and member_in_a
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not any("COUNT(" in query["sql"] and "members_member" in query["sql"] for query in queries)
    MemberFactory(unit=tree.branch_a)
    assert client.get(url).context["page"].paginator.count == 3
