"""The account of a signed-in person, read on every request (members.backends.AccountBackend)."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from members.backends import AccountBackend
from members.models import Notification
from members.notifications import UNREAD_ATTRIBUTE, notify
from tests.conftest import client_for


def test_the_account_is_read_whole_with_its_values_converted(secretary):
    secretary.last_login = datetime.datetime(2026, 11, 20, 7, 30, tzinfo=datetime.UTC)
    secretary.save()
    user = AccountBackend().get_user(secretary.pk)
    fields = get_user_model()._meta.concrete_fields
    assert [getattr(user, field.attname) for field in fields] == [getattr(secretary, field.attname) for field in fields]
    assert user.is_active is True and user.last_login == secretary.last_login and user.last_login.tzinfo is not None
    assert user.check_password("Demo@2026") == secretary.check_password("Demo@2026")


def test_the_account_brings_its_unread_count(secretary, member_user):
    notify(user=secretary, message="Một")
    notify(user=secretary, message="Hai")
    notify(user=member_user, message="Của người khác")
    Notification.objects.filter(user=secretary, message="Một").update(read_at=datetime.datetime.now(datetime.UTC))
    assert getattr(AccountBackend().get_user(secretary.pk), UNREAD_ATTRIBUTE) == 1
    assert getattr(AccountBackend().get_user(member_user.pk), UNREAD_ATTRIBUTE) == 1


def test_an_inactive_or_missing_account_is_nobody(secretary):
    secretary.is_active = False
    secretary.save()
    assert AccountBackend().get_user(secretary.pk) is None
    assert AccountBackend().get_user(10**9) is None


def test_a_deactivated_account_is_signed_out_at_its_next_page(secretary):
    client = client_for(secretary)
    assert client.get(reverse("help")).wsgi_request.user == secretary
    get_user_model().objects.filter(pk=secretary.pk).update(is_active=False)
    assert not client.get(reverse("help")).wsgi_request.user.is_authenticated


def test_a_new_password_signs_out_the_other_sessions(secretary):
    elsewhere = client_for(secretary)
    assert elsewhere.get(reverse("help")).wsgi_request.user.is_authenticated
    secretary.set_password("Mật-khẩu-mới-2026")
    secretary.save()
    assert not elsewhere.get(reverse("help")).wsgi_request.user.is_authenticated


def test_the_menu_badge_shows_the_count_the_account_brought(secretary):
    notify(user=secretary, message="Chưa đọc")
    client = client_for(secretary)
    assert client.get(reverse("home")).context["unread_notifications"] == 1
