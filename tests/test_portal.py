"""The portal's frame: health check, sign-in and lockout, sessions, language, deployment settings."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok(db, client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_the_browsers_own_favicon_request_is_sent_to_the_icon_without_a_cookie(db, client,
                                                                               django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
    assert not response.cookies  # a CSRF cookie here would replace the one a sign-in form was drawn with


def test_robots_txt_opens_the_honour_board_only_and_costs_no_query(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /" in lines and f"Allow: {reverse('campaigns:honour_board')}" in lines


def test_healthz_answers_503_without_a_database(db, client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr("config.views.connection", Unreachable())
    assert client.get("/healthz").status_code == 503


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_and_out(client, secretary):
    response = _login(client, "bithu", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_says_so_in_vietnamese(client, secretary):
    response = _login(client, "bithu", "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_repeated_failures_lock_the_pair_not_everyone(client, secretary, sibling_secretary):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "bithu", "sai-mat-khau")
    locked = _login(client, "bithu", PASSWORD)
    assert locked.status_code == 429
    assert "Đăng nhập" in locked.content.decode() or "tạm dừng" in locked.content.decode()
    # Another user behind the same address, and the same user from elsewhere, still sign in.
    assert _login(client, "bithu2", PASSWORD).status_code == 302
    assert _login(client_for(None), "bithu", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, secretary):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "bithu", "sai-mat-khau")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME * 2)
    assert _login(client, "bithu", PASSWORD).status_code == 302


def test_an_idle_session_ends(client, secretary):
    client.force_login(secretary)
    session = client.session
    session["last_seen_at"] = int(time.time()) - int(settings.SESSION_IDLE_TIMEOUT.total_seconds()) - 5
    session["started_at"] = int(time.time()) - 100
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_ends_after_the_absolute_limit(client, secretary):
    client.force_login(secretary)
    session = client.session
    session["started_at"] = int(time.time()) - int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()) - 5
    session["last_seen_at"] = int(time.time())
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_session_is_read_back_as_written_and_an_expired_or_unknown_one_is_empty(db):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from config.sessions import SessionStore

    written = SessionStore()
    written.update({"working_unit": 7, "name": "Bí thư chi đoàn"})
    written.save()
    assert dict(SessionStore(written.session_key).items()) == {"working_unit": 7, "name": "Bí thư chi đoàn"}
    Session.objects.filter(session_key=written.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(written.session_key)
    assert dict(expired.items()) == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None


def test_a_signed_in_page_reads_the_session_and_the_account_once_each(client, secretary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretary)
    client.get(reverse("help"))  # the first page notes the privacy answer and the idle clock in the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("help")).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert sum("django_session" in sql for sql in statements) == 1
    assert sum("auth_user" in sql for sql in statements) == 1
    # The menu's unread count comes with the account.
    assert not any(sql.lstrip().startswith("SELECT COUNT") for sql in statements)


def test_vietnamese_is_the_default_and_english_is_a_switch_away(client, secretary):
    client.force_login(secretary)
    assert "Trang chủ" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert "Home" in client.get(reverse("home")).content.decode()


def test_pages_carry_a_strict_content_security_policy(client, secretary):
    client.force_login(secretary)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    for directive in ("script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):
        assert directive in policy


def test_error_pages_are_in_vietnamese(client, secretary, member_in_c):
    client.force_login(secretary)
    response = client.get(reverse("members:detail", args=[member_in_c.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def _environment(**overrides):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **overrides}


def test_the_deployment_checklist_passes():
    env = _environment(**{"DJANGO_DEBUG": "0", "DJANGO_HTTPS": "1",
           "DJANGO_SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789",
           "DJANGO_ALLOWED_HOSTS": "portal.example.org"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "value"), [("DJANGO_DEBUG", "maybe"), ("DJANGO_SESSION_IDLE_MINUTES", "ten")])
def test_a_bad_setting_stops_the_start_with_a_clear_error(name, value):
    env = _environment(**{name: value})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_with_redis_the_cache_and_the_sessions_go_there():
    env = _environment(DJANGO_REDIS_URL="redis://127.0.0.1:6379/1")
    code = ("from django.conf import settings; print(settings.CACHES['default']['BACKEND'], "
            "settings.CACHES['default'].get('KEY_PREFIX') or '-', settings.SESSION_ENGINE)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    backend, prefix, sessions = result.stdout.split()
    assert backend == "django.core.cache.backends.redis.RedisCache" and prefix != "-"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    without = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT,
                             env=_environment(DJANGO_REDIS_URL=""), capture_output=True, text=True)
    assert without.stdout.split()[0] == "django.core.cache.backends.db.DatabaseCache"
    assert without.stdout.split()[2] == "config.sessions"


def _messages(po: Path) -> set[str]:
    """The msgids of a catalogue (a plural one by its singular), without the header."""
    text = po.read_text(encoding="utf-8")
    return {"".join(re.findall(r'"(.*)"', block)) for block in re.findall(r'^msgid ((?:".*"\n)+)', text, re.M)} - {""}


def test_the_vietnamese_catalogue_is_complete_and_holds_every_string_of_the_code(tmp_path):
    po = ROOT / "locale/vi/LC_MESSAGES/django.po"
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr

    # makemessages over a copy of the code: a string written since the catalogue was last made would be missing.
    copy = tmp_path / "code"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "var", "tests", "test-artifacts", "staticfiles", "*.egg-info", "bench"))
    made = subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "-v0"],
                          cwd=copy, env=_environment(DJANGO_DEBUG="1"), capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    in_code = _messages(copy / "locale/vi/LC_MESSAGES/django.po")
    assert len(in_code) > 1000 and sorted(in_code - _messages(po)) == []


def test_password_reset_by_mail(client, secretary, mailoutbox):
    client.post(reverse("password_reset"), {"email": secretary.email})
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "mật khẩu" in message.subject.lower()
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"})
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.check_password("Mat-khau-moi-2026")


def test_behind_a_proxy_the_lock_follows_the_client_address(client, secretary, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.254"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "bithu", "password": "sai"}, REMOTE_ADDR=proxy,
                    HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post(reverse("login"), {"username": "bithu", "password": PASSWORD}, REMOTE_ADDR=proxy,
                       HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    other_client = client_for(None)
    response = other_client.post(reverse("login"), {"username": "bithu", "password": PASSWORD},
                                 REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 302


@pytest.mark.parametrize(("proxies", "forwarded_for", "expected"), [
    (0, "203.0.113.7", "10.0.0.254"),           # no proxy trusted: the header is the client's own claim
    (1, "203.0.113.7", "203.0.113.7"),          # nginx appended the address it saw
    (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # a forged entry on the left is ignored
    (2, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
    (1, "", "10.0.0.254"),
    (1, "not-an-address", "10.0.0.254"),
])
def test_the_client_address_trusts_only_our_proxies(proxies, forwarded_for, expected, settings, rf):
    from config.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_numbers_are_grouped_as_the_reader_writes_them():
    from django.utils import translation

    from members.templatetags.portal_tags import grouped

    with translation.override("vi"):
        assert grouped(30000000) == "30.000.000"
    with translation.override("en"):
        assert grouped("1234567") == "1,234,567"
    assert grouped(None) == "—"
