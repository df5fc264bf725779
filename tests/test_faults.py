"""Faults: when the database goes away every page answers 503 with a page that says so and /healthz tells the
load balancer; when it comes back, the same pages work again."""

from unittest import mock

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for


def _database_gone(self):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_a_database_that_goes_away_gives_503s_and_the_portal_recovers(secretary, member_user):
    officer, member = client_for(secretary), client_for(member_user)
    officer.raise_request_exception = member.raise_request_exception = False
    pages = [(officer, reverse("home")), (officer, reverse("members:list")), (member, reverse("members:my_data"))]
    assert all(client.get(url).status_code == 200 for client, url in pages)

    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", _database_gone):
        health = Client().get(reverse("healthz"))  # the load balancer has no session
        assert (health.status_code, health.content) == (503, b"database unavailable")
        for client, url in pages:
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert "Cổng thông tin tạm thời gián đoạn" in response.content.decode()

    assert Client().get(reverse("healthz")).status_code == 200
    assert all(client.get(url).status_code == 200 for client, url in pages)


def test_a_bug_is_still_a_500(secretary, monkeypatch):
    from config import views

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views, "home_tasks", broken)
    client = client_for(secretary)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500 and "Đã có lỗi xảy ra" in response.content.decode()


def test_a_wrong_query_or_a_timeout_is_a_500_not_a_503():
    import sqlite3

    from config.views import database_unavailable

    def wrapped(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    no_table = sqlite3.OperationalError("no such table: members_member")
    no_table.sqlite_errorcode = 1
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = 5

    class ServerError(Exception):
        def __init__(self, sqlstate):
            self.sqlstate = sqlstate

    assert not database_unavailable(wrapped(no_table))
    assert database_unavailable(wrapped(locked))
    assert not database_unavailable(wrapped(ServerError("57014")))  # a statement timeout: a page to fix
    assert database_unavailable(wrapped(ServerError("08006")))  # the connection failed
    assert database_unavailable(wrapped(ServerError(None)))  # the server was never reached
    assert not database_unavailable(ValueError("a bug"))


def test_a_nul_byte_in_a_form_is_refused_before_any_view(secretary, member_in_a):
    from members.models import Member

    client = client_for(secretary)
    response = client.post(reverse("members:edit", args=[member_in_a.pk]), {"full_name": "Lê\x00Khoa"})
    assert response.status_code == 400
    assert Member.objects.get(pk=member_in_a.pk).full_name == member_in_a.full_name
