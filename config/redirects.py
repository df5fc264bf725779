"""Where a form sends the person back to: only a path of this site, never a view name or another host."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, candidate: str | None) -> str | None:
    """``candidate`` when it is a path on this site ("/members/?page=2"), else None. A bare word such as
    "home" would be taken by ``redirect`` for a view's name (and fail), so only a path passes."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return None
    return candidate
