"""The security log (logger ``portal.security``): failed sign-ins, lock-outs and refused accesses,
one line each with who, from where and what, for the operator's log collector. django-axes keeps its own
records of failures and lock-outs in the database as well."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from config.client_ip import client_ip

logger = logging.getLogger("portal.security")


def _who(user) -> str:
    return _line(user.get_username()) if getattr(user, "is_authenticated", False) else "anonymous"


def _line(text) -> str:
    """What a visitor typed, on one line: control characters (a forged new line) shown escaped."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in str(text))[:200]


class RefusalLogMiddleware:
    """Every 403 and 404 a signed-in person meets, whichever view or policy check refused them: outside their
    reach the portal answers 404, so a run of 404s from one account is someone trying addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in (403, 404) and getattr(user, "is_authenticated", False):
            logger.warning("access refused (%s): user=%s %s %s ip=%s", response.status_code, _who(user),
                           request.method, _line(request.path), client_ip(request))
        return response


@receiver(user_login_failed, dispatch_uid="portal.security.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("sign-in failed: username=%s ip=%s", _line(credentials.get("username", "")),
                   client_ip(request) if request is not None else "")


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning("locked out: username=%s ip=%s", _line(username or ""), ip_address or "")


def connect_lockouts() -> None:
    # axes' signals module reads its settings on import: connected from MembersConfig.ready.
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="portal.security.locked_out")
