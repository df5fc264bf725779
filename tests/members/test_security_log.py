"""Failed sign-ins, lock-outs and refused accesses each leave a line in the security log."""

import logging

from django.urls import reverse

from tests.conftest import client_for


def test_failed_sign_ins_and_the_lockout_are_logged(db, member_user, client, caplog, settings):
    settings.AXES_FAILURE_LIMIT = 2
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        for _attempt in range(2):
            client.post(reverse("login"), {"username": member_user.username, "password": "sai-mat-khau"},
                        REMOTE_ADDR="10.1.2.3")
    lines = [record.getMessage() for record in caplog.records if record.name == "portal.security"]
    assert lines.count(f"sign-in failed: username={member_user.username} ip=10.1.2.3") == 2
    assert f"locked out: username={member_user.username} ip=10.1.2.3" in lines


def test_a_refused_access_is_logged_with_who_and_what(sibling_secretary, member_user, member_in_a, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        assert client_for(sibling_secretary).get(reverse("members:detail", args=[member_in_a.pk])).status_code == 404
        assert client_for(member_user).get(reverse("members:list")).status_code == 403
    lines = [record.getMessage() for record in caplog.records if record.name == "portal.security"]
    detail = reverse("members:detail", args=[member_in_a.pk])
    assert f"access refused (404): user={sibling_secretary.username} GET {detail} ip=127.0.0.1" in lines
    assert f"access refused (403): user={member_user.username} GET {reverse('members:list')} ip=127.0.0.1" in lines


def test_a_typed_new_line_cannot_forge_a_log_line(db, client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        client.post(reverse("login"), {"username": "x\nsign-in failed: username=admin", "password": "y"})
    lines = [record.getMessage() for record in caplog.records if record.name == "portal.security"]
    assert lines == ["sign-in failed: username=x\\nsign-in failed: username=admin ip=127.0.0.1"]
