import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from members.privacy import notice_pending

# Refreshing the idle clock on every request would write the session row each time;
# once a minute is precise enough for a 30-minute idle limit.
_TOUCH_INTERVAL_SECONDS = 60


class SessionTimeoutMiddleware:
    """Ends a signed-in session after an idle period, and in any case after an absolute period."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request):
        now = int(time.time())
        session = request.session
        started = session.setdefault("started_at", now)
        last_seen = session.get("last_seen_at", now)
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if now - last_seen > idle or now - started > absolute:
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return
        if now - last_seen >= _TOUCH_INTERVAL_SECONDS or "last_seen_at" not in session:
            session["last_seen_at"] = now


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose English with the page's switch.

    Many phones here are set to English; the browser's Accept-Language would then hide the Vietnamese
    portal from people who read it best, so only the language cookie chooses.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class PrivacyNoticeMiddleware:
    """A member who has not yet agreed to the notice on personal data reads it before anything else.

    The answer is kept in the session once it is yes, so the check costs one query per session, not per page."""

    SESSION_KEY = "privacy_notice_agreed"
    # What stays reachable before agreeing: the notice, signing out, the language, and the public pages.
    OPEN_PREFIXES = ("/privacy/notice/", "/accounts/logout/", "/i18n/", "/static/", "/healthz", "/y-kien/",
                     "/honour/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.user.is_authenticated and not request.session.get(self.SESSION_KEY)
                and not request.path_info.startswith(self.OPEN_PREFIXES)):
            if notice_pending(request.user):
                target = f"{reverse('members:privacy_notice')}?{urlencode({'next': request.get_full_path()})}"
                if request.headers.get("HX-Request"):  # htmx would swap the notice into a fragment
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
            request.session[self.SESSION_KEY] = True
        return self.get_response(request)


class NulByteMiddleware:
    """A form value holding a NUL byte is refused before any view: no person types one, PostgreSQL cannot store
    one in a text column, and a view reading ``request.POST`` directly would fail with a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and any("\x00" in value for values in request.POST.lists() for value in values[1]):
            return HttpResponseBadRequest(_("The form held a character that cannot be stored. Nothing was saved."))
        return self.get_response(request)
