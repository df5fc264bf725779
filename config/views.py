import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns.selectors import home_campaign_tasks
from members.access import Action, policy
from members.models import Role
from members.selectors import current_unit, own_member_record, unit_figures, units_with_roles
from movements.selectors import first_steps, home_tasks

# SQLite's "busy", "locked", "cannot open", "disk I/O" (primary result codes); PostgreSQL's connection
# exceptions (SQLSTATE class 08) and "the server is shutting down" (57P01-57P03).
SQLITE_UNAVAILABLE = {5, 6, 10, 14}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether the error says the database cannot be reached, not that a query is wrong or timed out."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_UNAVAILABLE
    if hasattr(cause, "sqlstate"):
        state = cause.sqlstate
        # No SQLSTATE at all: the server was never reached (connection refused, host unknown).
        return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")
    return True  # an error raised without a driver's cause: the connection layer itself


def server_error(request):
    """Django's 500 page, except when the database has gone away: then a 503 that says so, and asks the browser
    to come back (a bug, a wrong query, a timeout stay 500s). Neither page touches the database or a context
    processor."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever icon a page names. Answered by the 404 page, that request would set a
    CSRF cookie of its own, and a first visitor's sign-in form, drawn with another, would be refused."""
    return redirect(static("img/favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """For the load balancer: 200 "ok" while the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def help_page(request):
    """A short help per role; the parts of the person's own roles are open, the others a click away."""
    roles = {grant.role for grant in policy.grants(request.user)}
    everything = request.user.is_superuser
    return render(request, "help.html", {
        "is_secretary": everything or bool(roles & {Role.SECRETARY, Role.DEPUTY_SECRETARY}),
        "is_committee": everything or bool(roles & {Role.COMMITTEE, Role.EMULATION_STANDING,
                                                    Role.LEADERSHIP_VIEWER}),
    })


def _first_steps(request):
    """The first-run guide of the working unit, until it is done: then the session remembers, and the home
    page asks no more of it."""
    unit, finished = current_unit(request), request.session.get("first_steps_done", [])
    if unit is None or unit.pk in finished:
        return None
    steps = first_steps(request.user, unit)
    if steps is None:
        request.session["first_steps_done"] = [*finished, unit.pk]
    return steps


@login_required
@require_GET
def home(request):
    """What concerns this person now: their own record, and each unit where they hold a role."""
    cards = []
    for unit_roles in units_with_roles(request.user):
        unit = unit_roles.unit
        may_view_members = policy.can(request.user, Action.VIEW_MEMBERS, unit)
        cards.append({
            "unit": unit,
            "roles": unit_roles.role_labels,
            "figures": unit_figures(request.user, unit) if may_view_members else None,
            "may_view_members": may_view_members,
            "may_manage_members": policy.can(request.user, Action.MANAGE_MEMBERS, unit),
        })
    member = own_member_record(request.user)
    return render(request, "home.html", {
        "cards": cards, "member": member, "first_steps": _first_steps(request),
        "tasks": home_tasks(request.user, member, current_unit(request))
        + home_campaign_tasks(request.user, current_unit(request)),
    })
