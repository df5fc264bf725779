"""Whole pages kept per reader until the portal's data changes: the long lists and the dashboards.

A secretary reopens the commitments after each approval, a committee member comes back to the dashboard and the
member list again and again; with the rows and figures already kept (reports.caching, the fragment tag), what is
left of such a request is the drawing of the page around them. Here the drawn page itself is kept, for the same
reader, with the versions of the tables the request read (reports.caching: a write to one of them, a grant or a
revocation too, draws a new one), and answered again without running the view.

The view runs, and nothing is kept, unless the answer can only be the same one:
- the key holds the release of the portal (reports.caching.release: nothing drawn before a deploy is shown after
  it), the reader (with the name and the entries their account shows them), the address with its query, the
  headers by which htmx asks for a piece of the page, the language, today's date (deadlines, the current year),
  the number of unread notifications (the menu's badge; reading one is no change of data) and a digest of the
  session (the working unit and whatever else a view reads there) with the CSRF secret: a page carries a form
  token, and a token kept from another secret would be refused;
- a request with a message waiting is drawn afresh (the message belongs to that answer), and so is one made on a
  connection that has written and not yet told the cache;
- an answer is kept only if it is a 200 page that set no cookie, added no message, left the session as it found it
  and wrote nothing to the database (the cache's own table aside): a view with a side effect runs every time.

Signing in, the idle limit, the privacy notice and the access policy's 404/403 stay in front: the decorator goes
below ``login_required``, and a page is kept only for a reader whose roles are among the tables it depends on."""

import hashlib
import json
import logging
import zlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.utils import timezone

from members.notifications import unread_count_for
from reports import caching

logger = logging.getLogger(__name__)

# A page of rows packs to a sixth of its size or less: less for the cache to hold, and to read back on every answer (the
# database cache stores values as base64 text in a row it must itself decompress).
PACKING_LEVEL = 6
# The request headers by which htmx asks for a fragment, a boosted page or a history restore instead of the page.
HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target", "HX-Trigger",
                "HX-Trigger-Name")
# Moved by the idle clock (config.middleware.SessionTimeoutMiddleware) without changing what a page shows.
VOLATILE_SESSION_KEYS = frozenset({"last_seen_at"})


class _WriteWatch:
    """Whether the view wrote to the database (the cache's table does not count: figures kept on the way)."""

    def __init__(self):
        self.wrote = False
        self.cache_table = settings.CACHES["default"].get("LOCATION") \
            if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") else None

    def __call__(self, execute, sql, params, many, context):
        match = caching.WRITE.match(sql)
        if match is not None and match.group(1) != self.cache_table:
            self.wrote = True
        return execute(sql, params, many, context)


def _session_digest(request) -> str:
    session = request.session
    state = {key: value for key, value in session.items() if key not in VOLATILE_SESSION_KEYS}
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _reader_parts(request) -> tuple[str, str] | None:
    """The parts of the key and the session's digest (to see whether the view changed the session), or None when
    this request must be answered by the view."""
    user = request.user
    csrf_secret = request.META.get("CSRF_COOKIE")
    if (request.method != "GET" or not user.is_authenticated or not csrf_secret
            or len(messages.get_messages(request)) or caching.fresh_only()):
        return None
    session_digest = _session_digest(request)
    session = f"{csrf_secret}:{session_digest}"
    htmx = tuple(request.headers.get(name, "") for name in HTMX_HEADERS)
    # What the layout shows of the person from their account (not a watched table) is part of the key.
    reader = (user.get_username(), user.get_full_name(), user.is_superuser, user.is_staff,
              unread_count_for(request), timezone.localdate().isoformat(), session, request.get_full_path(), *htmx)
    # One digest: names and queries hold characters a cache key should not (spaces, Vietnamese letters).
    return f"{user.pk}:{hashlib.sha256(json.dumps(reader).encode()).hexdigest()}", session_digest


def _keepable(request, response, session_before: str, watch: _WriteWatch) -> bool:
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and not watch.wrote and not len(messages.get_messages(request))
            and _session_digest(request) == session_before and not caching.fresh_only())


def kept_for_reader(view):
    """Keeps the page a GET view draws for its reader (see the module's text); goes below ``login_required``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        answerable = _reader_parts(request) if settings.PAGE_CACHE_TIMEOUT else None
        if answerable is None:
            return view(request, *args, **kwargs)
        parts, session_before = answerable
        try:
            name = f"page:{view.__module__}.{view.__name__}"
            key = caching.cache_key(name, (parts,))
            versions, kept = caching.read_kept(name, key)
        except Exception:  # a cache server away: the view draws the page
            logger.exception("The cache could not be read; drawing the page.")
            return view(request, *args, **kwargs)
        if kept is not None:
            headers, packed = kept
            return HttpResponse(zlib.decompress(packed), headers=headers)
        watch = _WriteWatch()
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(watch):
            response = view(request, *args, **kwargs)
        # Kept with the versions read before the view ran, of every table the request read: a change to one of them
        # committed meanwhile makes it stale at once.
        if _keepable(request, response, session_before, watch):
            try:
                packed = zlib.compress(response.content, PACKING_LEVEL)
                caching.keep(name, key, versions, (dict(response.items()), packed), settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("The cache could not keep the page.")
        return response

    wrapped.kept_for_reader = True  # read by the tests: which pages are kept (tests/test_query_budgets.py)
    return wrapped
