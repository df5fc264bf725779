"""Figures that take a scan of the whole subtree (the dashboard, a campaign's standings, the row count of a long
list), pieces of pages and whole pages are kept in the cache with the *versions of the tables they were read from*:
a token per table, drawn anew whenever a change to that table is committed, and one more for all the data (the
*epoch*, drawn anew by ``new_version()``: after a restore, migrations, or in tests). A kept value counts while every
token it was kept with is still current: approving a commitment draws pages that show commitments again, and
leaves the member list and the honour roll as they were kept.

Every statement the database connection runs passes here. An INSERT, UPDATE or DELETE that changes rows of a
table the figures read draws a new token for that table when its transaction commits (at once, outside a
transaction). Catching the statements, not model signals, also covers ``QuerySet.update()``, ``bulk_create``,
many-to-many adds and cascades. The tables a value depends on are taken the same way: every table named by a
statement the request ran before the value was kept, and every table a kept value it used depends on. Everything
the request read counts, not only what was read for that value, because a value read earlier in the request (the
reader's roles, the working unit) is kept on the request and used again without a statement. A transaction that
has written reads its figures afresh and keeps them out of the cache: they hold rows nobody else sees yet, and may
never see.

The tokens live in the default cache, shared by every app server (the database cache, or Redis), so a change made
by one server reaches the pages of all. A request keeps the tokens it has read until it ends; a kept value is read
with the tokens it was last kept with (one read of the cache answers a kept page), and before a value is drawn
every token is read. Writes that bypass the connection (a restore, a database console) are followed by
``new_version()`` (the restore command calls it) or, at worst, by the figures' timeout.

Should the cache fail, pages compute their figures and a write still succeeds: the cache is a help, never a
condition."""

import hashlib
import logging
import re
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache, partial
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

# The epoch, drawn anew for all the data at once; each watched table's token is under TABLE_VERSION_PREFIX + table.
VERSION_KEY = "data-version"
TABLE_VERSION_PREFIX = "data-version:"
# What a release draws its pages with (see release()): the catalogues' sources, not the compiled .mo files, which
# another machine's msgfmt may write differently.
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".po"})
# How long figures stay without a change: a bound on what an unseen write (a database console) could leave.
FIGURES_TIMEOUT = 60 * 60
# How long a request waits for a value another one is drawing (see cached(one_at_a_time=True)), and how often it
# looks: the figures of a city union take about 0.2 s to draw alone.
DRAWING_PREFIX = "drawing:"
DRAWING_SECONDS = 10
DRAWING_POLL_SECONDS = 0.02
# A value that takes longer than this to draw is drawn after the answer to the page that wants it (see cached()).
DRAWN_AFTER_ANSWER_SECONDS = 0.1
# ...and drawn again at most once in this many times its drawing time: in a busy hour, when every second brings
# changes, the metro's figures (two seconds to count) would otherwise keep a server's worker and a database core
# counting without a pause. They are then at most about this many times their drawing time behind (a city's 3 s,
# a metro's 15 s), and say so. Measured on 2 cores (bench/pages.py, the busy hour): at 4 the metro's dashboard
# answered at p99 0.4 s, at 8 under 0.25 s.
REDRAW_SPACING = 8
# The database cache's key column holds 255 characters, with Django's prefix and version in front.
MAX_KEY_LENGTH = 200
# The apps whose tables the figures and the kept pages read; logs, notifications and queues beside them change
# on every page or are read live, and are left out.
WATCHED_APPS = ("members", "movements", "campaigns", "reports")
UNWATCHED_TABLES = frozenset({"members_auditentry", "members_accessentry", "members_notification",
                              "members_memberimport", "reports_exportjob"})
# SQLite writes many-to-many rows with INSERT OR IGNORE; PostgreSQL with INSERT … ON CONFLICT.
# Any word of a statement that is a watched table's name: over-reading (a column named like a table) only makes a
# value depend on one table more.
WORD = re.compile(r"\w+")
WRITE = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)'
                   r'\s+"?(\w+)"?', re.IGNORECASE)

_watched_tables: frozenset[str] | None = None
# By the name of what is kept (a page's view, a figure, a fragment), the tokens its value was last kept with, in this
# process: read with the value, they answer a kept page in one read of the cache, not one and then another.
_stamp_hints: dict[str, tuple[str, ...]] = {}
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
    keep their pages apart (the tables' versions stay shared by all)."""
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


@lru_cache(maxsize=1)
def _version_keys() -> tuple[str, ...]:
    return (VERSION_KEY, *(TABLE_VERSION_PREFIX + table for table in sorted(watched_tables())))


def _known_versions(connection) -> dict[str, str]:
    """The tokens this request has read so far, by key (the dict lives on the connection until the request ends);
    outside a request, a dict of its own for each caller: nothing is remembered."""
    versions = getattr(connection, "_request_versions", None)
    return versions if versions is not None else {}


def _read_tokens(versions: dict[str, str], keys, *, also: tuple[str, ...] = ()) -> dict:
    """Adds to ``versions`` the tokens of ``keys`` it does not hold yet, and returns the values of ``also``, in one
    read of the cache."""
    wanted = [key for key in keys if key not in versions]
    if not wanted and not also:
        return {}
    found = cache.get_many([*also, *wanted])
    missing = {key: uuid.uuid4().hex for key in wanted if found.get(key) is None}
    if missing:
        # Never evicted on purpose (no timeout), but a cache may drop keys: a token drawn anew makes whatever was
        # kept with the lost one stale, never current again.
        cache.set_many(missing, None)
        found.update(missing)
    versions.update((key, found[key]) for key in wanted)
    return {key: found.get(key) for key in also}


def current_versions() -> dict[str, str]:
    """Every token (the epoch's and each watched table's), by key; read once per request."""
    connection = connections[DEFAULT_DB_ALIAS]
    _tell_pending(connection)
    versions = _known_versions(connection)
    _read_tokens(versions, _version_keys())
    return versions


def data_version() -> str:
    """A token for the state of all the watched data: it changes with any committed change (tests and tools)."""
    versions = current_versions()
    return hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:32]


def new_version() -> str:
    """A new epoch: every value kept so far is read again. Called when data changed out of the watcher's sight
    (and, in tests, to stand for a commit)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection._data_changed, connection._data_version_hooked, connection._tables_pending = False, None, set()
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if getattr(connection, "_request_versions", None) is not None:
        connection._request_versions = {}
    return data_version()


def _table_versions_drawn(tables) -> None:
    """New tokens for ``tables``, whose changes were committed."""
    keys = {TABLE_VERSION_PREFIX + table: uuid.uuid4().hex for table in tables}
    cache.set_many(keys, None)
    connection = connections[DEFAULT_DB_ALIAS]
    versions = getattr(connection, "_request_versions", None)
    if versions is not None:
        # What the request reads from now on is drawn with its own change; what it drew before keeps the tokens
        # it was drawn with (a new dict: theirs is not changed under them).
        connection._request_versions = {**versions, **keys}


def _stamp(versions: dict[str, str], tables) -> tuple[tuple[str, str], ...]:
    """The tokens a value is kept with: the epoch's and those of the tables it depends on."""
    keys = [VERSION_KEY, *(TABLE_VERSION_PREFIX + table for table in sorted(tables))]
    return tuple((key, versions[key]) for key in keys)


def _current(stamp, versions: dict[str, str]) -> bool:
    return all(versions.get(key) == token for key, token in stamp)


def _used(kept):
    """The value of what was kept: what the request draws from it depends on the tables it was read from."""
    stamp, value = kept[:2]
    tables_read().update(key.removeprefix(TABLE_VERSION_PREFIX) for key, _token in stamp if key != VERSION_KEY)
    return value


def _remember_stamp(name: str, stamp) -> None:
    """The tokens to read with the next value of ``name`` (see read_kept)."""
    _stamp_hints[name] = tuple(key for key, _token in stamp if key != VERSION_KEY)


def tables_read() -> set[str]:
    """The watched tables this request (or, outside one, this connection) has read so far."""
    connection = connections[DEFAULT_DB_ALIAS]
    reads = getattr(connection, "_request_reads", None)
    if reads is None:
        reads = connection._request_reads = set()
    return reads


def read_kept(name: str, key: str):
    """The versions and the value kept under ``key`` if it is still current (see keep()), else None.

    A kept value is checked against the tokens of the tables it depends on, read with it: those it was kept with
    last time a value of ``name`` was (one read of the cache, usually), then any others its stamp names. When it must
    be drawn, every token is read first, before anything it is drawn from. A value used makes what the request
    draws from it depend on the tables it was read from."""
    versions, kept, current = _look_up(name, key)
    return versions, _used(kept) if current else None


def _look_up(name: str, key: str):
    """read_kept's versions, what ``key`` holds (current or not) and whether it is current."""
    connection = connections[DEFAULT_DB_ALIAS]
    _tell_pending(connection)
    versions = _known_versions(connection)
    kept = _read_tokens(versions, (VERSION_KEY, *_stamp_hints.get(name, ())), also=(key,))[key]
    if kept is not None:
        stamp = kept[0]
        _read_tokens(versions, [stamp_key for stamp_key, _token in stamp])
        if _current(stamp, versions):
            _remember_stamp(name, stamp)
            return versions, kept, True
    _read_tokens(versions, _version_keys())
    return versions, kept, False


def keep(name: str, key: str, versions: dict[str, str], value, timeout: int, *, drawn: tuple | None = None) -> None:
    """Keeps ``value`` for read_kept with the tokens, from ``versions`` (read before the value was drawn), of every
    table this request has read: a change committed since makes it stale at once. ``drawn``: when it began to be
    drawn (time.time()) and how many seconds it took (see cached(earlier_meanwhile=True))."""
    if showing_earlier():
        return  # drawn from a value of before a change (see cached(earlier_meanwhile=True))
    stamp = _stamp(versions, tables_read())
    cache.set(key, (stamp, value, drawn), timeout)
    _remember_stamp(name, stamp)


def fresh_only() -> bool:
    """Whether figures must be read afresh and not kept: this connection wrote and has not told the cache."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        connection._data_changed = False  # whatever transaction wrote before has ended
        _tell_pending(connection)
    return getattr(connection, "_data_changed", False) or bool(getattr(connection, "_tables_pending", None))


def cache_key(name: str, parts: tuple) -> str:
    """The key of ``name`` under this release and the language."""
    key = ":".join(map(str, (name, release(), translation.get_language(), *parts)))
    if len(key) > MAX_KEY_LENGTH:  # parts taken from a query string can be long; the cache table's key is not
        key = f"{name}:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def cached(name: str, parts: tuple, compute, timeout: int = FIGURES_TIMEOUT, *, one_at_a_time: bool = False,
           earlier_meanwhile: bool = False):
    """``compute()``, kept under the language and ``parts`` with the versions of the tables it depends on, for
    ``timeout`` seconds at most.

    ``one_at_a_time`` for what takes a scan of a whole city (a dashboard's figures, a ranking): after a change,
    the first request draws it and the others that want it meanwhile wait for that value instead of drawing it
    beside it. Every reader of a city's dashboard arrives at once after each approval of a busy hour; drawn by all
    of them together, the figures took seconds each and the dashboard answered three times a second.

    ``earlier_meanwhile`` (with one_at_a_time, for a page; never outside a request, as a document must be exact):
    after a change, the page is shown the value of before it at once, and keeps nothing for the rest of the request
    (its page is drawn again by the next request, see showing_earlier()). A value that took longer than
    DRAWN_AFTER_ANSWER_SECONDS to draw last time (a city's figures) is drawn by the first such request once its
    answer has been sent (see draw_after_response), and not sooner than REDRAW_SPACING times that after the last
    drawing began; the others meanwhile are shown the earlier one too. A quicker one (a branch's) is drawn at once,
    as the reader who has just approved a commitment expects to see it counted.
    Where drawing takes longer than the time between changes (a metro union's figures, a second or two, in a busy
    hour), readers would otherwise wait in turn for figures already outdated, and the one drawing them first."""
    if fresh_only():
        return compute()
    try:
        key = cache_key(name, parts)
        versions, kept, current = _look_up(name, key)
        if current:
            return _used(kept)
        value, mine = None, False
        if one_at_a_time:
            earlier = kept if earlier_meanwhile and _in_request() else None
            if earlier is not None and _slow(earlier):
                if _due(earlier) and _draw_alone(key):
                    _draw_after_response(name, key, compute, timeout)
                return _shown_meanwhile(earlier)
            mine = _draw_alone(key)
            if earlier is not None and not mine:
                return _shown_meanwhile(earlier)
            if not mine:
                value = _drawn_by_another(key, versions)
    except Exception:  # a cache server away: the page computes its figures
        logger.exception("The cache could not be read; computing %s.", name)
        return compute()
    if value is None:
        try:
            value = _draw_and_keep(name, key, versions, compute, timeout)
        finally:
            if mine:
                _done_drawing(key)
    return value


def cached_by_parts(name: str, parts: tuple, compute, timeout: int):
    """``compute()``, kept under the language and ``parts`` alone, for ``timeout`` seconds: for a value its parts
    name entirely (a piece of a page drawn from figures named by their counting, see Figures.counting), which no
    change of a table makes stale. It is kept even while the request shows a value of before a change: drawn from
    that value, it is the same piece whenever that value is shown again."""
    if fresh_only():
        return compute()
    try:
        key = cache_key(name, parts)
        value = cache.get(key)
    except Exception:  # a cache server away: the piece is drawn
        logger.exception("The cache could not be read; drawing %s.", name)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.exception("The cache could not keep %s.", name)
    return value


def _draw_and_keep(name: str, key: str, versions: dict[str, str], compute, timeout: int):
    """``compute()``, kept with ``versions`` (read before it) and the time it took, unless it holds uncommitted rows;
    a cache that cannot keep it is logged, and the value returned all the same."""
    began, started = time.time(), time.perf_counter()
    value = compute()
    if not fresh_only():
        try:
            keep(name, key, versions, value, timeout, drawn=(began, time.perf_counter() - started))
        except Exception:
            logger.exception("The cache could not keep %s.", name)
    return value


def _in_request() -> bool:
    return getattr(connections[DEFAULT_DB_ALIAS], "_request_versions", None) is not None


def _shown_meanwhile(kept):
    """The value of before a change, shown while another request draws it anew: nothing drawn from it is kept."""
    connections[DEFAULT_DB_ALIAS]._showing_earlier = True
    return _used(kept)


def _slow(kept) -> bool:
    """Whether the value took DRAWN_AFTER_ANSWER_SECONDS or longer to draw last time."""
    drawn = kept[2]
    return drawn is not None and drawn[1] >= DRAWN_AFTER_ANSWER_SECONDS


def _due(kept) -> bool:
    """Whether a slow value may be drawn again: REDRAW_SPACING times its drawing time after it began to be drawn."""
    began, seconds = kept[2]
    return time.time() - began >= REDRAW_SPACING * seconds


def showing_earlier() -> bool:
    """Whether this request shows a value of before a change, while the new one is drawn (cached(earlier_meanwhile))."""
    return getattr(connections[DEFAULT_DB_ALIAS], "_showing_earlier", False)


def _draw_after_response(name: str, key: str, compute, timeout: int) -> None:
    """``compute()``, drawn and kept by this request once its answer has been sent, holding the drawing mark until
    then (see draw_after_response)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection._drawn_after_response = [*getattr(connection, "_drawn_after_response", ()),
                                        (name, key, compute, timeout, translation.get_language())]


def draw_after_response(**kwargs) -> None:
    """The values a request put off until its answer was sent (the server closes the response, then sends
    request_finished): each drawn as a request of its own would, its tokens read before it, in the reader's
    language, on one core of the database (see _one_core). The reader was answered already; a failure is logged,
    and the next reader's request draws it."""
    connection = connections[DEFAULT_DB_ALIAS]
    pending, connection._drawn_after_response = getattr(connection, "_drawn_after_response", ()), ()
    for name, key, compute, timeout, language in pending:
        start_request()
        try:
            with translation.override(language), _one_core(connection):
                _draw_and_keep(name, key, current_versions(), compute, timeout)
        except Exception:
            logger.exception("%s could not be drawn after the answer was sent.", name)
        finally:
            tell_pending()
            _done_drawing(key)


@contextmanager
def _one_core(connection):
    """PostgreSQL's statements without parallel workers meanwhile: a value drawn after the answer has no reader
    waiting for it, and a metro's figures counted on every core at once held up every page answered meanwhile."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")


def _draw_alone(key: str) -> bool:
    """Whether this request is the one to draw ``key`` (no other is drawing it now)."""
    return cache.add(DRAWING_PREFIX + key, 1, DRAWING_SECONDS)


def _done_drawing(key: str) -> None:
    try:
        cache.delete(DRAWING_PREFIX + key)
    except Exception:  # the mark expires by itself
        logger.exception("The cache could not forget that %s was being drawn.", key)


def _drawn_by_another(key: str, versions: dict[str, str]):
    """The value another request is drawing, once it is kept and current; None if it is not within
    DRAWING_SECONDS (that request failed, or the data changed again meanwhile): this request then draws it."""
    deadline = time.monotonic() + DRAWING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(DRAWING_POLL_SECONDS)
        kept = cache.get(key)
        if kept is not None and _current(kept[0], versions):
            return _used(kept)
        if cache.get(DRAWING_PREFIX + key) is None:  # the other request is done, and kept nothing current for us
            return None
    return None


def _committed(tables: set[str], connection=None) -> None:
    if connection is not None:  # the transaction has committed: its next write belongs to another one
        connection._data_version_hooked, connection._data_changed = None, False
    try:
        _table_versions_drawn(tables)
    except Exception:  # the data is committed whatever the cache says; figures then wait for their timeout
        logger.exception("The cache could not take new versions of %s.", ", ".join(sorted(tables)))


def _tell_pending(connection) -> None:
    """Outside a transaction, the new versions committed writes left pending (see _note_statement)."""
    pending = getattr(connection, "_tables_pending", None)
    if pending and not connection.in_atomic_block:
        connection._tables_pending = set()
        _committed(pending)


def tell_pending(**kwargs) -> None:
    for connection in connections.all(initialized_only=True):
        _tell_pending(connection)
    connection = connections[DEFAULT_DB_ALIAS]
    connection._request_versions, connection._request_reads, connection._showing_earlier = None, None, False


def start_request(**kwargs) -> None:
    """From now until the request ends, current_versions() keeps the tokens it first reads, and tables_read()
    counts what this request reads."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection._request_versions, connection._request_reads, connection._showing_earlier = {}, set(), False


@lru_cache(maxsize=4096)
def _tables_named(sql: str) -> frozenset[str]:
    return frozenset(WORD.findall(sql)) & watched_tables()


def _note_statement(connection, cursor, sql: str) -> None:
    if _migrating:
        return
    tables = _tables_named(sql)
    if not tables:
        return
    if connection.alias == DEFAULT_DB_ALIAS:
        tables_read().update(tables)
    match = WRITE.match(sql)
    if match is None or match.group(1) not in tables:
        return
    table = match.group(1)
    if sql.lstrip()[:6].upper() in ("UPDATE", "DELETE") and getattr(cursor, "rowcount", -1) == 0:
        # Matched nothing, changed nothing. (An INSERT … RETURNING tells its count only once read.)
        return
    if not connection.in_atomic_block:
        # Committed already (autocommit), but the statement is not finished: an INSERT … RETURNING is read
        # after this. The cache is told before the connection's next statement, at the end of the request, or
        # before figures are read, whichever comes first; never in the middle of this one.
        pending = getattr(connection, "_tables_pending", None)
        connection._tables_pending = {*(pending or ()), table}
        return
    connection._data_changed = True
    # One set of new versions at the commit, whatever the number of writes: the callbacks list is replaced when the
    # transaction ends or a savepoint rolls back, so a list we hooked is this transaction's (after a savepoint's
    # rollback the hook may be added twice: one more token, nothing lost).
    if getattr(connection, "_data_version_hooked", None) is not connection.run_on_commit:
        connection._tables_written = set()
        transaction.on_commit(partial(_committed, connection._tables_written, connection),
                              using=connection.alias, robust=True)
        connection._data_version_hooked = connection.run_on_commit
    connection._tables_written.add(table)


def _watch_statements(execute, sql, params, many, context):
    _tell_pending(context["connection"])
    result = execute(sql, params, many, context)
    _note_statement(context["connection"], context["cursor"], sql)
    return result


def watch_connection(sender, connection, **kwargs):
    if _watch_statements not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_statements)


def _migrations_start(**kwargs):
    global _migrating
    _migrating = True


def _migrations_done(**kwargs):
    global _migrating
    _migrating = False
    try:
        new_version()
    except DatabaseError:  # migrated back below the cache's table: there is nothing cached to forget
        logger.warning("No cache table to take a new epoch.")


def install() -> None:
    from django.core.signals import request_finished, request_started

    connection_created.connect(watch_connection, dispatch_uid="reports.caching.watch_connection")
    request_started.connect(start_request, dispatch_uid="reports.caching.start_request")
    request_finished.connect(tell_pending, dispatch_uid="reports.caching.tell_pending")
    request_finished.connect(draw_after_response, dispatch_uid="reports.caching.draw_after_response")
    pre_migrate.connect(_migrations_start, dispatch_uid="reports.caching.migrations_start")
    post_migrate.connect(_migrations_done, dispatch_uid="reports.caching.migrations_done")


class CachedCountPaginator(Paginator):
    """A paginator whose row count, a scan of the whole list (tens of thousands of members at the top of a city,
    half a million in a metro), is kept with the versions of its tables: for lists of the watched tables only."""

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
