"""Whole pages kept per reader (reports/page_cache.py): answered again without the view until the data changes,
never to another reader, another session or another query; never when the answer must be this request's own.

``caching.new_version()`` stands for the commit of what the fixtures wrote (tests never commit). A client's first
page sets its CSRF cookie; pages are kept from the second request on (the key holds that cookie's secret)."""

import time

import pytest
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import AccessEntry, AccessKind, Role, RoleAssignment, Unit
from members.notifications import notify
from movements.views.base import submitted_list
from reports import caching
from reports.page_cache import kept_for_reader
from tests.conftest import client_for
from tests.factories import MemberFactory


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, [query["sql"] for query in queries]


def _reads_members(sqls):
    return [sql for sql in sqls if 'FROM "members_member"' in sql]


def _warm(client, url):
    """The first answer sets the CSRF cookie, the second is kept."""
    client.get(url)
    client.get(url)


def _kept_member_list(user):
    """A client of ``user`` whose member list is kept, and the list's address."""
    caching.new_version()
    client = client_for(user)
    url = reverse("members:list")
    _warm(client, url)
    return client, url


def test_a_page_is_answered_again_without_the_view_until_the_data_changes(secretary, member_in_a,
                                                                          django_capture_on_commit_callbacks):
    client, url = _kept_member_list(secretary)
    kept, sqls = _get(client, url)
    assert kept.status_code == 200 and member_in_a.full_name in kept.content.decode()
    assert not _reads_members(sqls)  # neither the rows nor the count: the view did not run
    assert len(sqls) <= 4  # session, person, unread notifications (and the cache, where it is the database)

    with django_capture_on_commit_callbacks(execute=True):
        services.member_update(actor=secretary, member=member_in_a, full_name="Lê Thị Đổi Tên")
    changed, sqls = _get(client, url)
    assert "Lê Thị Đổi Tên" in changed.content.decode() and _reads_members(sqls)


def test_each_reader_and_each_query_has_its_own_page(secretary, sibling_secretary, member_in_a, tree):
    stranger = MemberFactory(unit=tree.branch_b, full_name="Người Chi Đoàn Khác")
    caching.new_version()
    mine, theirs = client_for(secretary), client_for(sibling_secretary)
    url = reverse("members:list")
    for client in (mine, theirs):
        _warm(client, url)
    page, _sqls = _get(mine, url)
    assert member_in_a.full_name in page.content.decode() and stranger.full_name not in page.content.decode()
    page, _sqls = _get(theirs, url)
    assert stranger.full_name in page.content.decode() and member_in_a.full_name not in page.content.decode()
    found, _sqls = _get(mine, url + "?q=Không+Ai+Có+Tên+Này")
    assert member_in_a.full_name not in found.content.decode()


def test_a_fragment_asked_by_htmx_is_kept_apart_from_the_page(secretary, member_in_a):
    client, url = _kept_member_list(secretary)
    fragment, _sqls = _get(client, url, **{"HX-Request": "true"})
    page, _sqls = _get(client, url)
    assert "<html" not in fragment.content.decode() and member_in_a.full_name in fragment.content.decode()
    assert "<html" in page.content.decode()


def test_another_session_of_the_same_person_gets_a_token_its_own_cookie_accepts(secretary):
    caching.new_version()
    url = reverse("members:list")
    clients = []
    for _number in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretary)
        session = client.session  # the same clock in both, so that only the CSRF secret tells them apart
        session["started_at"] = session["last_seen_at"] = int(time.time())
        session.save()
        _warm(client, url)
        clients.append(client)
    second = clients[1]
    page, _sqls = _get(second, url)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # signed out: the kept page's token matched this session's cookie


def test_a_waiting_message_is_shown_on_a_page_drawn_for_it(secretary, movement_year):
    caching.new_version()
    client = client_for(secretary)
    url = submitted_list()
    _warm(client, url)
    response = client.post(reverse("movements:commitments_approve"), follow=True)
    assert response.redirect_chain[-1][0] == url and response.context is not None  # drawn, not the kept page
    shown = [str(message) for message in response.context["messages"]]
    assert shown and all(text in response.content.decode() for text in shown)


def test_the_notification_badge_counts_what_is_unread_now(secretary):
    client, url = _kept_member_list(secretary)
    notify(user=secretary, message="Có việc mới")
    page, _sqls = _get(client, url)
    assert 'text-bg-warning">1<' in page.content.decode()


def test_a_revoked_role_ends_the_kept_page_at_its_commit(secretary, superuser,
                                                         django_capture_on_commit_callbacks):
    client, url = _kept_member_list(secretary)
    assignment = RoleAssignment.objects.get(user=secretary, role=Role.SECRETARY)
    with django_capture_on_commit_callbacks(execute=True):
        services.role_revoke(actor=superuser, assignment=assignment)
    assert client.get(url).status_code in (403, 404)


def test_a_person_switched_off_is_sent_to_sign_in_not_shown_the_kept_page(secretary):
    client, url = _kept_member_list(secretary)
    secretary.is_active = False
    secretary.save(update_fields=["is_active"])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def _request(user, session: SessionStore, **meta):
    """A request of the session as stored (what a view changed without the middleware saving it is gone)."""
    request = RequestFactory().get("/probe/", **meta)
    request.user, request.session = user, SessionStore(session.session_key)
    request.META["CSRF_COOKIE"] = "s" * 32
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def probe_session(secretary):
    session = SessionStore()
    session["probe"] = "kept"
    session.save()
    return session


def _probe(effect):
    calls = []

    @login_required
    @kept_for_reader
    def view(request):
        calls.append(1)
        return effect(request)

    return view, calls


def _page(request):
    return HttpResponse("<p>page</p>")


@pytest.mark.parametrize("effect", [
    pytest.param(lambda request: (AccessEntry.objects.create(user=request.user, kind=AccessKind.EXPORT,
                                                             unit=Unit.objects.first()), _page(request))[1],
                 id="writes to the database"),
    pytest.param(lambda request: (request.session.__setitem__("chosen", 1), _page(request))[1],
                 id="changes the session"),
    pytest.param(lambda request: (messages.info(request, "Đã lưu"), _page(request))[1], id="adds a message"),
    pytest.param(lambda request: HttpResponse("<p>no</p>", status=403), id="refuses"),
    pytest.param(lambda request: HttpResponse(b"%PDF", content_type="application/pdf"), id="is not a page"),
])
def test_a_view_with_a_side_effect_or_no_page_runs_every_time(secretary, probe_session, effect):
    caching.new_version()
    view, calls = _probe(effect)
    for _time in range(2):
        view(_request(secretary, probe_session))
    assert len(calls) == 2


def test_a_page_without_side_effects_is_drawn_once(secretary, probe_session):
    caching.new_version()
    view, calls = _probe(_page)
    answers = [view(_request(secretary, probe_session)).content for _time in range(3)]
    assert len(calls) == 1 and answers == [b"<p>page</p>"] * 3
    view(_request(secretary, probe_session, HTTP_HX_REQUEST="true"))  # another kind of answer
    assert len(calls) == 2


def test_a_connection_that_wrote_draws_its_own_pages(secretary, probe_session, tree):
    caching.new_version()
    view, calls = _probe(_page)
    view(_request(secretary, probe_session))
    MemberFactory(unit=tree.branch_a)  # written, not committed: nobody else sees it yet
    view(_request(secretary, probe_session))
    view(_request(secretary, probe_session))
    assert len(calls) == 3


def test_with_no_time_to_keep_them_every_page_is_drawn(secretary, probe_session, settings):
    settings.PAGE_CACHE_TIMEOUT = 0  # DJANGO_PAGE_CACHE_MINUTES=0
    caching.new_version()
    view, calls = _probe(_page)
    for _time in range(3):
        view(_request(secretary, probe_session))
    assert len(calls) == 3
