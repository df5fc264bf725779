"""The roles a user holds are kept in the cache with the versions of their tables (members.access._grants): a page
reads them without a query on the role tables, and a role revoked or granted counts from its commit on.

``caching.new_version()`` stands for the commit of what the fixtures wrote (tests never commit)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import Role, RoleAssignment
from reports import caching
from tests.conftest import client_for


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, [query["sql"] for query in queries]


def test_a_page_reads_the_roles_from_the_cache(secretary):
    caching.new_version()
    client = client_for(secretary)
    status, first = _get(client, reverse("members:list"))
    status_again, again = _get(client, reverse("members:list"))
    assert status == status_again == 200
    assert any('"members_roleassignment"' in sql for sql in first)  # the table, not its version's key
    assert not any('"members_roleassignment"' in sql for sql in again)


def test_a_revoked_role_counts_at_once(secretary, superuser, tree, django_capture_on_commit_callbacks):
    caching.new_version()
    client = client_for(secretary)
    assert _get(client, reverse("members:list"))[0] == 200
    assignment = RoleAssignment.objects.get(user=secretary, unit=tree.branch_a, role=Role.SECRETARY)
    with django_capture_on_commit_callbacks(execute=True):
        services.role_revoke(actor=superuser, assignment=assignment)
    assert _get(client, reverse("members:list"))[0] == 403


def test_a_granted_role_counts_at_once(member_user, superuser, tree, django_capture_on_commit_callbacks):
    caching.new_version()
    client = client_for(member_user)
    assert _get(client, reverse("members:list"))[0] == 403
    with django_capture_on_commit_callbacks(execute=True):
        services.role_assign(actor=superuser, user=member_user, unit=tree.branch_a, role=Role.SECRETARY)
    assert _get(client, reverse("members:list"))[0] == 200


def test_a_deactivated_account_holds_no_role_whatever_the_cache(secretary):
    caching.new_version()
    client = client_for(secretary)
    assert _get(client, reverse("members:list"))[0] == 200
    type(secretary).objects.filter(pk=secretary.pk).update(is_active=False)  # the accounts table is not watched
    assert _get(client, reverse("members:list"))[0] in (302, 403)
