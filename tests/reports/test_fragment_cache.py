"""Rows rendered once per reader (reports/templatetags/fragment_cache.py): kept until the data changes, never
shown to another reader; and the tables' versions read once per request.

``caching.new_version()`` stands for the commit of what the fixtures wrote (tests never commit)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import Role, RoleAssignment
from reports import caching
from tests.conftest import client_for
from tests.factories import MemberFactory


def _member_list(client, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:list"), query)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries]


def _reads_members(sqls):
    """The query for the page's rows: members with their units, a page (LIMIT) of them."""
    return [sql for sql in sqls if sql.startswith('SELECT "members_member"."id"') and "LIMIT" in sql
            and '"members_unit"."name"' in sql]


def test_the_rows_are_kept_for_the_reader_until_a_member_changes(secretary, member_in_a,
                                                                  django_capture_on_commit_callbacks):
    caching.new_version()
    client = client_for(secretary)
    first, first_queries = _member_list(client)
    again, again_queries = _member_list(client)
    assert member_in_a.full_name in again and again.count(member_in_a.full_name) == first.count(
        member_in_a.full_name)
    assert _reads_members(first_queries) and not _reads_members(again_queries)  # the rows came from the cache

    with django_capture_on_commit_callbacks(execute=True):
        services.member_update(actor=secretary, member=member_in_a, full_name="Lê Thị Đổi Tên")
    changed, _queries = _member_list(client)
    assert "Lê Thị Đổi Tên" in changed and member_in_a.full_name not in changed


def test_each_reader_has_their_own_rows(secretary, sibling_secretary, member_in_a, tree):
    stranger = MemberFactory(unit=tree.branch_b, full_name="Người Chi Đoàn Khác")
    caching.new_version()
    mine, _ = _member_list(client_for(secretary))
    theirs, _ = _member_list(client_for(sibling_secretary))
    assert member_in_a.full_name in mine and stranger.full_name not in mine
    assert stranger.full_name in theirs and member_in_a.full_name not in theirs


def test_the_filters_and_the_page_are_part_of_the_key(secretary, member_in_a, tree):
    caching.new_version()
    client = client_for(secretary)
    everyone, _ = _member_list(client)
    found, _ = _member_list(client, q=member_in_a.full_name.split()[-1])
    nobody, _ = _member_list(client, q="Không Ai Có Tên Này")
    assert member_in_a.full_name in everyone and member_in_a.full_name in found
    assert member_in_a.full_name not in nobody
    long_query, _ = _member_list(client, q="x" * 400)  # a key longer than the cache table's column
    assert member_in_a.full_name not in long_query


def _render_for(user, source, **values):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load fragment_cache %}" + source).render(Context({"request": request, **values}))


def test_the_key_holds_the_reader_and_the_named_parts(secretary, sibling_secretary):
    caching.new_version()
    fragment = '{% cached_for_reader "probe" part %}{{ request.user.username }} {{ part }}{% end_cached_for_reader %}'
    assert _render_for(secretary, fragment, part=1) == f"{secretary.username} 1"
    assert _render_for(sibling_secretary, fragment, part=1) == f"{sibling_secretary.username} 1"
    assert _render_for(secretary, fragment, part=2) == f"{secretary.username} 2"
    caching.new_version()
    # Kept: the same key renders what was kept, not the changed context.
    assert _render_for(secretary, fragment.replace("{{ part }}", "{{ part }} {{ extra }}"), part=3,
                       extra="a") == f"{secretary.username} 3 a"
    assert _render_for(secretary, fragment.replace("{{ part }}", "{{ part }} {{ extra }}"), part=3,
                       extra="b") == f"{secretary.username} 3 a"


def test_outside_a_request_the_fragment_is_drawn_and_not_kept(db):
    caching.new_version()
    page = Template('{% load fragment_cache %}{% cached_for_reader "probe" %}{{ value }}{% end_cached_for_reader %}')
    assert page.render(Context({"value": "một"})) == "một"
    assert page.render(Context({"value": "hai"})) == "hai"


def test_a_fragment_holding_a_csrf_token_is_refused(secretary):
    caching.new_version()
    with pytest.raises(TemplateSyntaxError):
        _render_for(secretary, '{% cached_for_reader "probe" %}<form>{% csrf_token %}</form>{% end_cached_for_reader %}',
                    csrf_token="token")


def test_a_page_reads_the_versions_once_to_answer_and_once_more_to_be_drawn(grassroots_committee, tree):
    caching.new_version()
    client = client_for(grassroots_committee)
    client.get(reverse("reports:dashboard"))
    for reads_at_most in (2, 1):  # drawn (the page's tokens, then all of them) and kept; then answered as kept
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reports:dashboard"))
        reads = [query["sql"] for query in queries if caching.VERSION_KEY in query["sql"]]
        assert len(reads) <= reads_at_most  # none at all when the cache is not the database's


def test_the_version_read_in_a_request_is_forgotten_after_it(grassroots_committee):
    client = client_for(grassroots_committee)
    client.get(reverse("reports:dashboard"))
    read_in_the_request = caching.data_version()
    cache.set(caching.VERSION_KEY, "set-by-another-server", None)
    assert caching.current_versions()[caching.VERSION_KEY] == "set-by-another-server"
    assert caching.data_version() != read_in_the_request


BY_PARTS = ('{% cached_for_reader "probe" part by_parts_alone %}{{ part }} {{ extra }}'
            '{% end_cached_for_reader %}')


def test_a_fragment_kept_by_its_parts_alone_outlives_a_change_of_data(secretary):
    caching.new_version()
    assert _render_for(secretary, BY_PARTS, part=1, extra="a") == "1 a"
    caching.new_version()  # any change of data: the piece named by its parts stays as it was drawn
    assert _render_for(secretary, BY_PARTS, part=1, extra="b") == "1 a"
    assert _render_for(secretary, BY_PARTS, part=2, extra="b") == "2 b"


def test_a_fragment_kept_by_its_parts_alone_is_kept_while_earlier_figures_are_shown(secretary, monkeypatch):
    # The page shows figures of before a change (reports.caching.cached(earlier_meanwhile=True)): a piece keyed by
    # those figures' counting is the same piece whenever they are shown, so the next reader is given it.
    caching.new_version()
    monkeypatch.setattr(connection, "_showing_earlier", True, raising=False)
    assert _render_for(secretary, BY_PARTS, part="counting-1", extra="a") == "counting-1 a"
    assert _render_for(secretary, BY_PARTS, part="counting-1", extra="b") == "counting-1 a"
    ordinary = '{% cached_for_reader "probe-2" part %}{{ part }} {{ extra }}{% end_cached_for_reader %}'
    assert _render_for(secretary, ordinary, part=1, extra="a") == "1 a"
    assert _render_for(secretary, ordinary, part=1, extra="b") == "1 b"  # kept by versions: not kept meanwhile


def test_a_transaction_that_wrote_keeps_no_fragment_by_its_parts(secretary, monkeypatch):
    caching.new_version()
    monkeypatch.setattr(connection, "_data_changed", True, raising=False)
    assert _render_for(secretary, BY_PARTS, part=1, extra="a") == "1 a"
    assert _render_for(secretary, BY_PARTS, part=1, extra="b") == "1 b"


def test_a_fragment_by_its_parts_is_drawn_when_the_cache_fails(secretary, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache server is away")

    monkeypatch.setattr(cache, "get", unreachable)
    assert _render_for(secretary, BY_PARTS, part=1, extra="a") == "1 a"
    assert _render_for(secretary, BY_PARTS, part=1, extra="b") == "1 b"


def test_the_menu_follows_a_role_granted_though_it_is_kept_across_changes_of_data(
        secretary, tree, django_capture_on_commit_callbacks):
    # The menu is kept under the reader's roles and the working unit's place in the tree, not under the tables'
    # versions: a role granted must show its entries at once.
    caching.new_version()
    client = client_for(secretary)
    classifications = reverse("movements:classifications")
    client.get(reverse("home"))
    assert classifications not in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        RoleAssignment.objects.create(user=secretary, unit=tree.branch_a, role=Role.COMMITTEE)
    assert classifications in client.get(reverse("home")).content.decode()
