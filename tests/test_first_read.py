"""The session's and the account's reads serve as the connection's health check (config.first_read)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from tests.conftest import client_for

# Between requests, outside any transaction: the state in which Django checks a kept connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def health_checks(monkeypatch):
    """Counts Django's own health checks (SELECT 1 before a request's first statement)."""
    checks = []
    real_check = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real_check())
    return checks


def _next_request_on_the_kept_connection():
    # What Django does when a request starts (close_old_connections, which the test client leaves out).
    connection.ensure_connection()
    connection.health_check_done = False


def test_a_signed_in_page_sends_no_statement_only_to_check_the_connection(secretary, health_checks):
    client = client_for(secretary)
    client.get(reverse("help"))  # the first page notes the privacy answer and the idle clock in the session
    _next_request_on_the_kept_connection()
    assert client.get(reverse("help")).status_code == 200
    assert health_checks == []
    assert connection.health_check_done


def test_any_other_first_statement_still_has_the_connection_checked(secretary, health_checks):
    _next_request_on_the_kept_connection()
    assert get_user_model().objects.filter(pk=secretary.pk).exists()
    assert health_checks == [1]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's in-memory test database does not survive its connection being closed")
def test_a_broken_kept_connection_is_replaced_and_the_page_answers(secretary):
    client = client_for(secretary)
    client.get(reverse("help"))
    _next_request_on_the_kept_connection()
    broken = connection.connection
    broken.close()  # the server restarted, or a firewall dropped the idle connection, between two requests
    response = client.get(reverse("help"))
    assert response.status_code == 200 and response.context["user"] == secretary
    assert connection.connection is not broken and not connection.connection.closed
