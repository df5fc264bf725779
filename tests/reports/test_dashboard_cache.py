"""The dashboard's figures come from the cache until the portal's data changes, and never outlive the change:
a write through a model, a queryset update, a bulk insert or a many-to-many add draws new versions of its tables at
its commit, and the writing transaction reads its figures afresh without keeping them.

Tests run inside a transaction that never commits: ``commit()`` runs what a commit would, and
``caching.new_version()`` stands for the commit of what the fixtures wrote."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.access import policy
from members.models import AuditEntry, Member, Role
from movements.models import Commitment, CommitmentState, YouthProject
from reports import caching, views
from tests.conftest import client_for
from tests.factories import MemberFactory, RoleAssignmentFactory, UserFactory, make_unit
from tests.movements.helpers import make_commitment

UserModel = get_user_model()


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return response.context["figures"], len(queries)


def test_the_figures_are_kept_until_a_commitment_changes_them(grassroots_committee, tree, data,
                                                              django_capture_on_commit_callbacks):
    caching.new_version()
    client = client_for(grassroots_committee)
    first, computed = _dashboard(client)
    again, from_cache = _dashboard(client)
    assert (again.registered, again.members) == (first.registered, first.members) == (1, first.members)
    assert from_cache < computed - 10  # the subtree's aggregates were not run again

    with django_capture_on_commit_callbacks(execute=True):
        make_commitment(MemberFactory(unit=tree.branch_b), data)
    changed, recomputed = _dashboard(client)
    assert (changed.registered, changed.members) == (2, first.members + 1)
    assert recomputed > from_cache + 10


def test_a_transaction_that_wrote_reads_its_own_figures_and_keeps_none(grassroots_committee, tree, data):
    caching.new_version()
    client = client_for(grassroots_committee)
    assert _dashboard(client)[0].approved == 0
    version = caching.data_version()
    Commitment.objects.filter(member__unit=tree.branch_a).update(state=CommitmentState.APPROVED)
    assert _dashboard(client)[0].approved == 1  # not the cached 0
    assert caching.data_version() == version  # others keep the committed figures until the commit
    assert caching.cached("probe", (), lambda: "fresh") == "fresh"
    assert cache.get(f"probe:{version}:vi") is None


def test_only_writes_that_change_the_data_draw_a_new_version(tree, data, django_capture_on_commit_callbacks):
    before = caching.new_version()
    with django_capture_on_commit_callbacks(execute=True):
        AuditEntry.objects.filter(pk__lt=0).delete()  # the audit log changes on every action: not a figure
        Commitment.objects.filter(pk__lt=0).update(review_comment="")  # matches nothing
        Commitment.objects.values_list("pk").first()  # a read
    assert caching.data_version() == before
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="")
    assert caching.data_version() != before


def test_a_many_to_many_add_draws_a_new_version(tree, data, member_in_a, django_capture_on_commit_callbacks):
    project = YouthProject.objects.get(unit=tree.branch_a)
    before = caching.new_version()
    with django_capture_on_commit_callbacks(execute=True):
        project.members.add(member_in_a)  # INSERT OR IGNORE on SQLite, INSERT … ON CONFLICT on PostgreSQL
    assert caching.data_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_draws_one_version_at_its_commit_and_none_at_a_rollback():
    before = caching.data_version()
    with transaction.atomic():
        unit = make_unit(parent=None, code="cache-branch", kind="branch", name="Chi đoàn Khoa Dược")
        MemberFactory.create_batch(3, unit=unit)
        hooked = [hook for _savepoints, hook, _robust in connection.run_on_commit
                  if getattr(hook, "func", None) is caching._committed]
        assert len(hooked) == 1  # one for the whole transaction, not one per statement
        assert caching.data_version() == before  # nothing committed yet
    after = caching.data_version()
    assert after != before
    try:
        with transaction.atomic():
            MemberFactory(unit=unit)
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert caching.data_version() == after

    # Outside a transaction the write commits at once; the cache is told after the statement is finished
    # (telling it in the middle of an INSERT … RETURNING lost the row on SQLite).
    MemberFactory(unit=unit, full_name="Lê Văn Tự Động")
    assert Member.objects.filter(unit=unit, full_name="Lê Văn Tự Động").count() == 1
    assert caching.data_version() != after


def test_the_count_of_a_long_list_is_kept_until_the_list_changes(secretary, tree, member_in_a,
                                                                 django_capture_on_commit_callbacks):
    caching.new_version()
    client = client_for(secretary)
    url = reverse("members:list")
    assert client.get(url).context["page"].paginator.count == 2  # the secretary and member_in_a
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not any("COUNT(" in query["sql"] and "members_member" in query["sql"] for query in queries)
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(unit=tree.branch_a)
    assert client.get(url).context["page"].paginator.count == 3


def test_pages_answer_without_the_cache(grassroots_committee, tree, data, monkeypatch):
    def away(*args, **kwargs):
        raise ConnectionError("cache server away")

    caching.new_version()
    monkeypatch.setattr(cache, "get", away)
    monkeypatch.setattr(cache, "set", away)
    assert _dashboard(client_for(grassroots_committee))[0].registered == 1


def _dashboard_then_a_commitment_added(reader, tree, data, capture_on_commit):
    """The reader's client, the figures of its first dashboard and that page's query count, then a committed
    commitment of a new member that the figures must count."""
    caching.new_version()
    client = client_for(reader)
    before, queries = _dashboard(client)
    with capture_on_commit(execute=True):
        make_commitment(MemberFactory(unit=tree.branch_b), data)
    return client, before, queries


def _slow_figures_then_a_commitment_added(reader, tree, data, monkeypatch, capture_on_commit, *,
                                          redraw_spacing):
    """_dashboard_then_a_commitment_added, with figures counted after the answer as a city's are, and counted again
    no sooner than ``redraw_spacing`` times their counting time."""
    monkeypatch.setattr(caching, "DRAWN_AFTER_ANSWER_SECONDS", 0)
    monkeypatch.setattr(caching, "REDRAW_SPACING", redraw_spacing)
    return _dashboard_then_a_commitment_added(reader, tree, data, capture_on_commit)


def test_figures_slow_to_draw_are_drawn_after_the_answer_and_the_earlier_ones_shown_meanwhile(
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks):
    # A city's figures take a third of a second to count (two at metro scale): the reader who finds them outdated
    # is answered with the figures of before the change at once, told so, and the count is drawn after the answer.
    client, before, computed = _slow_figures_then_a_commitment_added(
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks, redraw_spacing=0)
    response = client.get(reverse("reports:dashboard"))
    shown = response.context["figures"]
    assert (shown.registered, shown.counted_at) == (before.registered, before.counted_at)
    assert "Những thay đổi mới nhất đang được tính" in response.content.decode()
    key = caching.cache_key("figures", (policy.reach(grassroots_committee), shown.unit.pk, shown.year))
    assert cache.get(caching.DRAWING_PREFIX + key) is None  # drawn when the test client closed the answer

    counted, queries = _dashboard(client)
    assert (counted.registered, counted.members) == (before.registered + 1, before.members + 1)
    assert counted.counted_at > before.counted_at
    assert queries < computed - 10  # the figures were drawn after the first answer, not by this request
    assert "đang được tính" not in client.get(reverse("reports:dashboard")).content.decode()


def test_quick_figures_are_drawn_at_once_for_the_reader_who_changed_them(
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks):
    # A branch's or a grassroots union's figures are drawn in a few milliseconds: the secretary who has just
    # approved a commitment sees it counted on the next page, not a moment later. (A limit no test process's
    # first figures reach, while it loads what it needs.)
    monkeypatch.setattr(caching, "DRAWN_AFTER_ANSWER_SECONDS", 60)
    client, before, _queries = _dashboard_then_a_commitment_added(grassroots_committee, tree, data,
                                                                  django_capture_on_commit_callbacks)
    response = client.get(reverse("reports:dashboard"))
    assert response.context["figures"].registered == before.registered + 1
    assert "đang được tính" not in response.content.decode()


def test_the_members_of_a_committee_share_the_figures_and_others_count_their_own(
        grassroots_committee, city_committee, tree, data):
    # The figures of a city union are drawn once for its committee, not once for each of its members; a reader who
    # may read other units (another role, another unit) is never shown them.
    colleague = UserFactory(username="thuongvu2")
    RoleAssignmentFactory(user=colleague, unit=tree.g1, role=Role.COMMITTEE)
    caching.new_version()
    assert policy.reach(colleague) == policy.reach(grassroots_committee) != policy.reach(city_committee)
    first, computed = _dashboard(client_for(grassroots_committee))
    shared, queries = _dashboard(client_for(colleague))
    assert (shared.registered, shared.members, shared.counted_at) == (first.registered, first.members,
                                                                      first.counted_at)
    assert queries < computed - 10
    # The city's committee opens the same union's dashboard: the same figures, counted for its own reach.
    response = client_for(city_committee).get(reverse("reports:dashboard"), {"unit": tree.g1.pk})
    assert response.context["figures"].unit == first.unit
    assert response.context["figures"].counted_at > first.counted_at

    RoleAssignmentFactory(user=colleague, unit=tree.branch_a, role=Role.SECRETARY)
    assert policy.reach(UserModel.objects.get(pk=colleague.pk)) != policy.reach(grassroots_committee)


def test_while_newer_figures_are_counted_the_readers_are_given_the_piece_drawn_from_the_earlier_ones(
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks):
    # In a busy hour every change of a commitment makes the page stale for every reader: the piece drawn from the
    # figures shown (their charts and tables) is kept under their counting and given again, not drawn each time.
    drawn = []
    monkeypatch.setattr(views, "figure_charts", lambda figures: drawn.append(figures.counting) or {})
    client, before, _queries = _slow_figures_then_a_commitment_added(  # no count due during the test
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks, redraw_spacing=10 ** 6)
    assert drawn == [before.counting]
    for _reader in range(3):
        response = client.get(reverse("reports:dashboard"))
        assert response.context["figures"].counting == before.counting
        assert "Những thay đổi mới nhất đang được tính" in response.content.decode()
    assert drawn == [before.counting] * 2  # once more, with the notice that newer figures are being counted


def test_figures_drawn_after_the_answer_are_counted_on_one_core_of_postgresql(
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks):
    client, before, _queries = _slow_figures_then_a_commitment_added(
        grassroots_committee, tree, data, monkeypatch, django_capture_on_commit_callbacks, redraw_spacing=0)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:dashboard"))  # answered with the earlier figures, then counts the new ones
    sqls = [query["sql"] for query in queries]
    counted = [index for index, sql in enumerate(sqls) if '"members_member"' in sql and "COUNT(" in sql]
    assert counted
    if connection.vendor == "postgresql":
        unhurried = sqls.index("SET max_parallel_workers_per_gather = 0")
        restored = sqls.index("RESET max_parallel_workers_per_gather")
        assert unhurried < min(counted) and max(counted) < restored
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] != "0"
    else:
        assert not any("max_parallel_workers" in sql for sql in sqls)
    assert _dashboard(client)[0].registered == before.registered + 1
