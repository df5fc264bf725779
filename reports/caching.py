"""Figures that take a scan of the whole subtree (the dashboard, a campaign's standings) are kept in the cache
under a *data version*, a token that changes whenever the portal's data changes, so a cached figure is never
older than the data it was read from.

Every statement the database connection runs passes here; an INSERT, UPDATE or DELETE of a table the figures
read draws a new token when its transaction commits (or at once, outside a transaction), and the transaction
itself draws one whenever it looks again after writing, so that it reads its own changes. Catching the
statements, not model signals, also covers ``QuerySet.update()``, ``bulk_create`` and cascades.

The token lives in the default cache, shared by every app server (the database cache, or Redis), so a change
made by one server reaches the pages of all."""

import hashlib
import re
import uuid

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import QuerySet
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import translation
from django.utils.functional import cached_property

VERSION_KEY = "data-version"
# How long figures stay without a change: a bound on what an unseen write (a database console) could leave.
FIGURES_TIMEOUT = 60 * 60
# The apps whose tables the figures read; logs and queues beside them change on every page and are left out.
WATCHED_APPS = ("members", "movements", "campaigns")
UNWATCHED_TABLES = frozenset({"members_auditentry", "members_accessentry", "members_notification",
                              "members_memberimport"})
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

_watched_tables: frozenset[str] | None = None
# Off while migrations run: the cache's own table may not exist yet; a new version is drawn when they are done.
_migrating = False


def watched_tables() -> frozenset[str]:
    global _watched_tables
    if _watched_tables is None:
        from django.apps import apps

        tables = set()
        for app in WATCHED_APPS:
            for model in apps.get_app_config(app).get_models(include_auto_created=True):
                tables.add(model._meta.db_table)
        _watched_tables = frozenset(tables - UNWATCHED_TABLES)
    return _watched_tables


def data_version() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and getattr(connection, "_data_changed", False):
        # This transaction wrote since its last look: what it reads now differs from what others see.
        connection._data_changed = False
        return new_version()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = new_version()
    return version


def new_version() -> str:
    connections[DEFAULT_DB_ALIAS]._data_changed = False  # what was written so far is behind the new version
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    return version


def cached(name: str, parts: tuple, compute):
    """``compute()``, kept under the current data version, the language (labels are translated) and ``parts``."""
    key = ":".join(map(str, (name, data_version(), translation.get_language(), *parts)))
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FIGURES_TIMEOUT)
    return value


def _note_write(connection, sql: str) -> None:
    match = WRITE.match(sql)
    if _migrating or match is None or match.group(1) not in watched_tables():
        return
    if not connection.in_atomic_block:
        new_version()
        return
    connection._data_changed = True
    # One new version at the commit, whatever the number of writes: the callbacks list is replaced when the
    # transaction ends or a savepoint rolls back, so a list we hooked is this transaction's.
    if getattr(connection, "_data_version_hooked", None) is not connection.run_on_commit:
        transaction.on_commit(new_version, using=connection.alias)
        connection._data_version_hooked = connection.run_on_commit


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    _note_write(context["connection"], sql)
    return result


def watch_connection(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _migrations_start(**kwargs):
    global _migrating
    _migrating = True


def _migrations_done(**kwargs):
    global _migrating
    _migrating = False
    new_version()


def install() -> None:
    connection_created.connect(watch_connection, dispatch_uid="reports.caching.watch_connection")
    pre_migrate.connect(_migrations_start, dispatch_uid="reports.caching.migrations_start")
    post_migrate.connect(_migrations_done, dispatch_uid="reports.caching.migrations_done")


class CachedCountPaginator(Paginator):
    """A paginator whose row count, a scan of the whole list (tens of thousands of members at the top of a city,
    half a million in a metro), is kept under the data version: for lists of the watched tables only."""

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:
            return 0
        digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return cached("count", (digest,), lambda: Paginator.count.func(self))
