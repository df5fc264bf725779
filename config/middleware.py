import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext as _

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
