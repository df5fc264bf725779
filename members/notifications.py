"""Telling a person what happened to their records: in the portal, and by mail when they have an address."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Notification

# Set on the account read for a request (members.backends): the number of its unread notifications.
UNREAD_ATTRIBUTE = "unread_notifications_on_sign_in"


def notify(*, user, message, url: str = "") -> Notification | None:
    """Record a notification now and mail it once the surrounding transaction has committed."""
    if user is None or not user.is_active:
        return None
    # The message is kept as text in the portal's first language: it is read later, in whatever language.
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)[:300]
        subject = _("Three Responsibilities: %(message)s") % {"message": text[:120]}
    notification = Notification.objects.create(user=user, message=text, url=url)
    address = getattr(getattr(user, "member", None), "email", "") or user.email
    if address:
        body = f"{text}\n\n{settings.PORTAL_URL.rstrip('/')}{url}" if url else text
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))
    return notification


def unread_count_statement(connection) -> str:
    """The statement counting a person's unread notifications (their id its one parameter), also read as a
    column of the account's statement (members.backends); the index notification_unread serves it."""
    quote = connection.ops.quote_name
    notification = Notification._meta
    # Names of the model's own table and columns, quoted; the person's id goes as a parameter.
    return (f"SELECT COUNT(*) FROM {quote(notification.db_table)} "  # nosec B608
            f"WHERE {quote(notification.get_field('user').column)} = %s "
            f"AND {quote(notification.get_field('read_at').column)} IS NULL")


def unread_count(user) -> int:
    """The menu's badge, when the account was not read with it. One plain statement: the ORM's count costs some
    0.35 ms of Python to build, more than the database takes to answer (bench/, a page read from the cache)."""
    with connection.cursor() as cursor:
        cursor.execute(unread_count_statement(connection), [user.pk])
        return cursor.fetchone()[0]


def unread_count_for(request) -> int:
    """The count a request's page shows, read once: a kept page's key (reports.page_cache) and its menu badge must
    hold the same number. The account read for the request brings it (members.backends)."""
    if not hasattr(request, "_unread_notifications"):
        counted = getattr(request.user, UNREAD_ATTRIBUTE, None)
        request._unread_notifications = unread_count(request.user) if counted is None else counted
    return request._unread_notifications


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
