"""Values kept with the versions of the tables they were read from (reports/caching.py): a committed change draws
again what depends on the tables it wrote, and leaves the rest as it was kept.

``caching.new_version()`` stands for the commit of what the fixtures wrote (tests never commit); a write inside
``django_capture_on_commit_callbacks(execute=True)`` stands for a committed one."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member
from movements.models import Commitment
from reports import caching
from tests.conftest import client_for
from tests.factories import MemberFactory

MEMBERS = caching.TABLE_VERSION_PREFIX + "members_member"
COMMITMENTS = caching.TABLE_VERSION_PREFIX + "movements_commitment"


@contextmanager
def _request():
    """What a request does around its view: its versions read once, its reads counted from its start."""
    caching.start_request()
    try:
        yield
    finally:
        caching.tell_pending()


def _kept(key, name=None):
    with _request():
        return caching.read_kept(name or key, key)[1]


def _keep_after(key, read, value="kept"):
    with _request():
        versions, _ = caching.read_kept(key, key)
        read()
        caching.keep(key, key, versions, value, 60)


def test_a_commit_draws_new_versions_of_the_tables_it_wrote_and_of_no_other(data,
                                                                            django_capture_on_commit_callbacks):
    caching.new_version()
    before = caching.current_versions()
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")
    after = caching.current_versions()
    assert {key for key in before if before[key] != after[key]} == {COMMITMENTS}


def test_a_value_counts_until_a_table_it_read_changes(data, tree, django_capture_on_commit_callbacks):
    caching.new_version()
    _keep_after("probe", lambda: Member.objects.count())
    assert _kept("probe") == "kept"
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")  # a table the value did not read
    assert _kept("probe") == "kept"
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory(unit=tree.branch_a)
    assert _kept("probe") is None


def test_a_value_depends_on_everything_its_request_read_before_it(data, django_capture_on_commit_callbacks):
    # The reader's roles and working unit are read once and kept on the request: what is drawn from them later
    # runs no statement of their tables, and must still follow them.
    caching.new_version()
    with _request():
        Member.objects.count()
        versions, _ = caching.read_kept("probe", "probe")
        caching.keep("probe", "probe", versions, "kept", 60)
    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.update(phone="0900000000")
    assert _kept("probe") is None


def test_what_is_drawn_from_a_kept_value_depends_on_the_tables_that_value_was_read_from(
        data, django_capture_on_commit_callbacks):
    caching.new_version()
    with _request():
        caching.cached("approved", (), lambda: Commitment.objects.count())
    with _request(), CaptureQueriesContext(connection) as queries:
        versions, _ = caching.read_kept("outer", "outer")
        count = caching.cached("approved", (), lambda: pytest.fail("the count was kept"))
        caching.keep("outer", "outer", versions, f"{count} commitments", 60)
    assert not [query for query in queries if '"movements_commitment"' in query["sql"]]
    assert _kept("outer") == f"{count} commitments"
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")
    assert _kept("outer") is None


def test_a_change_committed_while_a_value_is_drawn_leaves_it_stale(data):
    caching.new_version()
    with _request():
        versions, _ = caching.read_kept("probe", "probe")
        Member.objects.count()
        cache.set(MEMBERS, "drawn-by-another-server-at-its-commit", None)
        caching.keep("probe", "probe", versions, "drawn from the rows before the change", 60)
    assert _kept("probe") is None


def test_a_token_the_cache_lost_is_drawn_anew_and_what_was_kept_with_it_stays_stale(data):
    caching.new_version()
    _keep_after("probe", lambda: Member.objects.count())
    cache.delete(MEMBERS)
    assert _kept("probe") is None
    assert _kept("probe") is None  # the token drawn anew is not the one the value was kept with


def test_a_new_epoch_makes_everything_stale(data):
    caching.new_version()
    _keep_after("probe", lambda: None)  # read no table: depends on the epoch alone
    assert _kept("probe") == "kept"
    caching.new_version()
    assert _kept("probe") is None


def test_a_kept_page_outlives_changes_to_tables_it_does_not_show(secretary, member_in_a, commitment_in_a,
                                                                 django_capture_on_commit_callbacks):
    caching.new_version()
    client = client_for(secretary)
    url = reverse("members:list")
    client.get(url)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")  # a secretary's review: the member list shows none
    assert client.get(url).context is None  # answered from the kept page, the view did not run
    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.filter(pk=member_in_a.pk).update(full_name="Trần Thị Đổi Tên")
    drawn = client.get(url)
    assert drawn.context is not None and "Trần Thị Đổi Tên" in drawn.content.decode()


def test_a_value_another_request_is_drawing_is_waited_for_not_drawn_beside_it(data, monkeypatch):
    caching.new_version()
    key = caching.cache_key("figures", ("city",))
    cache.add(caching.DRAWING_PREFIX + key, 1, 60)  # another app server's worker is drawing the city's figures
    kept_by_the_other = []

    def the_other_keeps_it(seconds):  # what the other request does while this one waits
        if not kept_by_the_other:
            with _request():
                versions, _ = caching.read_kept("figures", key)
                Commitment.objects.count()
                caching.keep("figures", key, versions, "drawn by the other", 60)
            kept_by_the_other.append(True)

    monkeypatch.setattr(caching.time, "sleep", the_other_keeps_it)
    with _request():
        value = caching.cached("figures", ("city",), lambda: pytest.fail("drawn beside the other"),
                               one_at_a_time=True)
    assert value == "drawn by the other"


def test_a_request_draws_the_value_itself_when_the_other_keeps_nothing_current(data, monkeypatch):
    caching.new_version()
    key = caching.cache_key("figures", ("city",))
    cache.add(caching.DRAWING_PREFIX + key, 1, 60)
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: cache.delete(caching.DRAWING_PREFIX + key))
    with _request():
        assert caching.cached("figures", ("city",), lambda: "drawn here", one_at_a_time=True) == "drawn here"
    assert _kept(key, "figures") == "drawn here"
    assert cache.get(caching.DRAWING_PREFIX + key) is None


def test_the_drawing_mark_is_taken_and_left_by_the_request_that_draws(data):
    caching.new_version()
    key = caching.cache_key("figures", ("city",))
    marks = []
    with _request():
        caching.cached("figures", ("city",), lambda: marks.append(cache.get(caching.DRAWING_PREFIX + key)) or "x",
                       one_at_a_time=True)
    assert marks == [1] and cache.get(caching.DRAWING_PREFIX + key) is None
    def fails():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError), _request():
        caching.cached("figures", ("town",), fails, one_at_a_time=True)
    assert cache.get(caching.DRAWING_PREFIX + caching.cache_key("figures", ("town",))) is None


def test_a_page_is_shown_the_earlier_value_while_another_draws_it_and_keeps_nothing(
        data, monkeypatch, django_capture_on_commit_callbacks):
    caching.new_version()
    with _request():
        caching.cached("figures", ("city",), lambda: Commitment.objects.count() and "before the change")
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")
    key = caching.cache_key("figures", ("city",))
    cache.add(caching.DRAWING_PREFIX + key, 1, 60)  # another request draws the figures after the change
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: pytest.fail("waited for the other request"))
    with _request():
        shown = caching.cached("figures", ("city",), lambda: pytest.fail("drawn beside the other"),
                               one_at_a_time=True, earlier_meanwhile=True)
        versions, _ = caching.read_kept("page", "page")
        caching.keep("page", "page", versions, f"a page showing {shown}", 60)
    assert shown == "before the change"
    assert _kept("page") is None  # the page drawn from it is drawn again by the next request


def test_outside_a_request_the_value_another_draws_is_waited_for(data, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    # A workbook or a PDF must hold the figures of the data it is made from, not those of before a change.
    caching.new_version()
    caching.cached("figures", ("city",), lambda: Commitment.objects.count() and "before the change")
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")
    key = caching.cache_key("figures", ("city",))
    cache.add(caching.DRAWING_PREFIX + key, 1, 60)
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: cache.delete(caching.DRAWING_PREFIX + key))
    assert caching.cached("figures", ("city",), lambda: "after the change", one_at_a_time=True,
                          earlier_meanwhile=True) == "after the change"


def test_a_value_drawn_after_the_answer_is_kept_with_the_tokens_read_before_it_was_drawn(
        data, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(caching, "DRAWN_AFTER_ANSWER_SECONDS", 0)
    monkeypatch.setattr(caching, "REDRAW_SPACING", 0)
    caching.new_version()
    with _request():
        caching.cached("figures", ("city",), lambda: Commitment.objects.count() and "before", one_at_a_time=True)
    key = caching.cache_key("figures", ("city",))
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")

    def drawn_while_another_change_commits():
        Commitment.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            Commitment.objects.update(review_comment="Đã xem lại")
        return "drawn"

    with _request():
        assert caching.cached("figures", ("city",), drawn_while_another_change_commits, one_at_a_time=True,
                              earlier_meanwhile=True) == "before"
        assert caching.showing_earlier()
    assert cache.get(caching.DRAWING_PREFIX + key) == 1  # held until the answer is sent
    caching.draw_after_response()
    assert cache.get(caching.DRAWING_PREFIX + key) is None
    assert cache.get(key)[1] == "drawn"
    assert _kept(key, "figures") is None  # the change committed while it was drawn makes it stale at once

    with _request():
        assert caching.cached("figures", ("city",), lambda: "drawn again", one_at_a_time=True,
                              earlier_meanwhile=True) == "drawn"  # the earlier value meanwhile
    caching.draw_after_response()
    assert _kept(key, "figures") == "drawn again"


def test_a_value_that_fails_after_the_answer_leaves_the_mark_and_the_earlier_value(
        data, monkeypatch, django_capture_on_commit_callbacks, caplog):
    monkeypatch.setattr(caching, "DRAWN_AFTER_ANSWER_SECONDS", 0)
    monkeypatch.setattr(caching, "REDRAW_SPACING", 0)
    caching.new_version()
    with _request():
        caching.cached("figures", ("city",), lambda: Commitment.objects.count() and "before", one_at_a_time=True)
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")

    def fails():
        raise RuntimeError("the database went away")

    with _request():
        caching.cached("figures", ("city",), fails, one_at_a_time=True, earlier_meanwhile=True)
    caching.draw_after_response()  # the reader was answered: nothing is raised to the server
    key = caching.cache_key("figures", ("city",))
    assert cache.get(caching.DRAWING_PREFIX + key) is None
    assert cache.get(key)[1] == "before"
    assert "could not be drawn after the answer was sent" in caplog.text


def test_a_slow_value_is_drawn_again_no_sooner_than_a_few_times_its_drawing_time(
        data, monkeypatch, django_capture_on_commit_callbacks):
    # In a busy hour every second brings a change: the metro's figures would be counted without a pause.
    monkeypatch.setattr(caching, "DRAWN_AFTER_ANSWER_SECONDS", 0)
    now = [caching.time.time()]
    monkeypatch.setattr(caching.time, "time", lambda: now[0])  # the cache's clock too: only moved forward
    caching.new_version()
    with _request():
        caching.cached("figures", ("city",), lambda: Commitment.objects.count() and "before", one_at_a_time=True)
    key = caching.cache_key("figures", ("city",))
    began, seconds = cache.get(key)[2]
    assert began == now[0] and seconds > 0
    with django_capture_on_commit_callbacks(execute=True):
        Commitment.objects.update(review_comment="Đã xem")

    now[0] += caching.REDRAW_SPACING * seconds * 0.9
    with _request():
        assert caching.cached("figures", ("city",), lambda: pytest.fail("drawn too soon"), one_at_a_time=True,
                              earlier_meanwhile=True) == "before"
    assert cache.get(caching.DRAWING_PREFIX + key) is None  # nothing put off either
    caching.draw_after_response()

    now[0] += caching.REDRAW_SPACING * seconds * 0.2
    with _request():
        assert caching.cached("figures", ("city",), lambda: Commitment.objects.count() and "after", one_at_a_time=True,
                              earlier_meanwhile=True) == "before"
    caching.draw_after_response()
    assert _kept(key, "figures") == "after"
