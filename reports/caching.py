"""Figures that take a scan of the whole subtree (the dashboard, a campaign's standings, the row count of a long
list) are kept in the cache under a *data version*, a token drawn anew whenever the portal's data changes.

Every statement the database connection runs passes here. An INSERT, UPDATE or DELETE that changes rows of a
table the figures read draws a new token when its transaction commits (at once, outside a transaction).
Catching the statements, not model signals, also covers ``QuerySet.update()``, ``bulk_create``, many-to-many
adds and cascades. A transaction that has written reads its figures afresh and keeps them out of the cache:
they hold rows nobody else sees yet, and may never see.

The token lives in the default cache, shared by every app server (the database cache, or Redis), so a change
made by one server reaches the pages of all. Writes that bypass the connection (a restore, a database console)
are followed by ``new_version()`` (the restore command calls it) or, at worst, by the figures' timeout.

Should the cache fail, pages compute their figures and a write still succeeds: the cache is a help, never a
condition."""

import hashlib
import logging
import re
import uuid
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import QuerySet
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import translation
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

VERSION_KEY = "data-version"
# What a release draws its pages with (see release()): the catalogues' sources, not the compiled .mo files, which
# another machine's msgfmt may write differently.
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".po"})
# How long figures stay without a change: a bound on what an unseen write (a database console) could leave.
FIGURES_TIMEOUT = 60 * 60
# The database cache's key column holds 255 characters, with Django's prefix and version in front.
MAX_KEY_LENGTH = 200
# The apps whose tables the figures and the kept pages read; logs, notifications and queues beside them change
# on every page or are read live, and are left out.
WATCHED_APPS = ("members", "movements", "campaigns", "reports")
UNWATCHED_TABLES = frozenset({"members_auditentry", "members_accessentry", "members_notification",
                              "members_memberimport", "reports_exportjob"})
# SQLite writes many-to-many rows with INSERT OR IGNORE; PostgreSQL with INSERT … ON CONFLICT.
WRITE = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)'
                   r'\s+"?(\w+)"?', re.IGNORECASE)

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


_release: str | None = None


def release() -> str:
    """A digest of this release of the portal: its code, templates, message sources and static files' manifest.
    It is part of the key of everything kept, so that after a deploy no page or piece drawn by the release before
    (old markup, old static file names, old forms) is shown. Taken from the files' contents and their paths within
    the project, so app servers running the same release share what they keep; servers that differed would only
    keep their pages apart (the data version stays one for all)."""
    global _release
    if _release is None:
        from django.apps import apps
        from django.conf import settings

        base = Path(settings.BASE_DIR)
        roots = {base / "templates", base / "locale", base / "config"}
        roots.update(Path(app.path) for app in apps.get_app_configs()
                     if Path(app.path).is_relative_to(base) and "site-packages" not in app.path)
        digest = hashlib.sha256()
        for path in sorted(path for root in roots for path in root.rglob("*")
                           if path.suffix in RELEASE_SUFFIXES and path.is_file()):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file():
            digest.update(manifest.read_bytes())
        _release = digest.hexdigest()[:12]
    return _release


def data_version() -> str:
    """The current token; read once per request (a page reading several figures asks the cache once)."""
    connection = connections[DEFAULT_DB_ALIAS]
    _tell_pending(connection)
    version = getattr(connection, "_request_version", None)
    if version:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        return new_version()
    _remember_for_request(connection, version)
    return version


def _remember_for_request(connection, version: str) -> None:
    if getattr(connection, "_request_version", None) == "":  # within a request that has not read it yet
        connection._request_version = version


def read_with_version(key: str) -> tuple[str | None, object]:
    """The current data version and the value ``key`` holds if it was kept under that version (see
    keep_with_version), in one read of the cache: a page answered from the cache asks it once, not twice."""
    connection = connections[DEFAULT_DB_ALIAS]
    values = cache.get_many([VERSION_KEY, key])
    version, kept = values.get(VERSION_KEY), values.get(key)
    if version is not None:
        _remember_for_request(connection, version)
    if version is None or kept is None or kept[0] != version:
        return version, None
    return version, kept[1]


def keep_with_version(key: str, version: str, value, timeout: int) -> None:
    """Keeps ``value`` for read_with_version: it counts while the data version is still ``version``."""
    cache.set(key, (version, value), timeout)


def new_version() -> str:
    """A new token: every figure kept so far is read again. Called when data changed out of the watcher's
    sight (and, in tests, to stand for a commit)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection._data_changed, connection._data_version_hooked, connection._data_pending = False, None, False
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    if getattr(connection, "_request_version", None) is not None:
        connection._request_version = version
    return version


def fresh_only() -> bool:
    """Whether figures must be read afresh and not kept: this connection wrote and has not told the cache."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        connection._data_changed = False  # whatever transaction wrote before has ended
        _tell_pending(connection)
    return getattr(connection, "_data_changed", False) or getattr(connection, "_data_pending", False)


def cache_key(name: str, parts: tuple, *, with_version: bool = True) -> str:
    """The key of ``name`` under this release, the current data version and the language; may raise if the cache
    is away. Without the version for what keeps it in its value (keep_with_version)."""
    version = (data_version(),) if with_version else ()
    key = ":".join(map(str, (name, release(), *version, translation.get_language(), *parts)))
    if len(key) > MAX_KEY_LENGTH:  # parts taken from a query string can be long; the cache table's key is not
        key = f"{name}:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def cached(name: str, parts: tuple, compute, timeout: int = FIGURES_TIMEOUT):
    """``compute()``, kept under the current data version, the language (labels are translated) and ``parts``,
    for ``timeout`` seconds at most."""
    if fresh_only():
        return compute()
    try:
        key = cache_key(name, parts)
        value = cache.get(key)
    except Exception:  # a cache server away: the page computes its figures
        logger.exception("The cache could not be read; computing %s.", name)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.exception("The cache could not keep %s.", name)
    return value


def _committed() -> None:
    try:
        new_version()
    except Exception:  # the data is committed whatever the cache says; figures then wait for their timeout
        logger.exception("The cache could not take a new data version.")


def _tell_pending(connection) -> None:
    """Outside a transaction, the new version a committed write left pending (see _note_write)."""
    if getattr(connection, "_data_pending", False) and not connection.in_atomic_block:
        connection._data_pending = False
        _committed()


def tell_pending(**kwargs) -> None:
    for connection in connections.all(initialized_only=True):
        _tell_pending(connection)
    connections[DEFAULT_DB_ALIAS]._request_version = None


def remember_version_for_request(**kwargs) -> None:
    """From now until the request ends, data_version() keeps the token it first reads."""
    connections[DEFAULT_DB_ALIAS]._request_version = ""


def _note_write(connection, cursor, sql: str) -> None:
    match = WRITE.match(sql)
    if _migrating or match is None or match.group(1) not in watched_tables():
        return
    if sql.lstrip()[:6].upper() in ("UPDATE", "DELETE") and getattr(cursor, "rowcount", -1) == 0:
        # Matched nothing, changed nothing. (An INSERT … RETURNING tells its count only once read.)
        return
    if not connection.in_atomic_block:
        # Committed already (autocommit), but the statement is not finished: an INSERT … RETURNING is read
        # after this. The cache is told before the connection's next statement, at the end of the request, or
        # before figures are read, whichever comes first; never in the middle of this one.
        connection._data_pending = True
        return
    connection._data_changed = True
    # One new version at the commit, whatever the number of writes: the callbacks list is replaced when the
    # transaction ends or a savepoint rolls back, so a list we hooked is this transaction's (after a savepoint's
    # rollback the hook may be added twice: one more token, nothing lost).
    if getattr(connection, "_data_version_hooked", None) is not connection.run_on_commit:
        transaction.on_commit(_committed, using=connection.alias, robust=True)
        connection._data_version_hooked = connection.run_on_commit


def _watch_writes(execute, sql, params, many, context):
    _tell_pending(context["connection"])
    result = execute(sql, params, many, context)
    _note_write(context["connection"], context["cursor"], sql)
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
    try:
        new_version()
    except DatabaseError:  # migrated back below the cache's table: there is nothing cached to forget
        logger.warning("No cache table to take a new data version.")


def install() -> None:
    from django.core.signals import request_finished, request_started

    connection_created.connect(watch_connection, dispatch_uid="reports.caching.watch_connection")
    request_started.connect(remember_version_for_request, dispatch_uid="reports.caching.remember_version")
    request_finished.connect(tell_pending, dispatch_uid="reports.caching.tell_pending")
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
