import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of the person signing in, for the login lockout.

    With N trusted proxies in front (DJANGO_TRUSTED_PROXY_COUNT), each appends the address it saw to
    X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does; the client is the N-th entry from the right.
    Entries further left come from the client itself and are never trusted.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote_addr
