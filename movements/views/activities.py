"""Pages of professional development activities: the list, recording one, its page with attendance, the QR
code shown at the event, the check-in a member opens from it, and a member's own record."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import Action, policy
from members.forms import add_service_errors, posted_keys
from members.selectors import own_member_record, visible_ancestors, working_unit
from movements import selectors, services
from movements.forms import ActivityForm
from movements.models import Activity
from movements.services.activities import ACTIVITY_FIELDS
from movements.views.base import requested_year
from reports.caching import CachedCountPaginator
from reports.page_cache import kept_for_reader


def get_activity(user, action: Action, pk) -> Activity:
    try:
        activity = Activity.objects.select_related("unit").get(pk=pk)
    except (Activity.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, action, activity.unit)
    return activity


@login_required
@require_GET
@kept_for_reader
def activity_list(request):
    unit = working_unit(request, Action.VIEW_ACTIVITIES)
    year = requested_year(request) or timezone.localdate().year
    activities = selectors.activities_of_unit(request.user, unit).filter(year=year)
    page = CachedCountPaginator(activities, 30).get_page(request.GET.get("page"))
    return render(request, "movements/activity_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "page": page, "year": year,
        "query": f"year={year}", "may_record": policy.can(request.user, Action.MANAGE_ACTIVITIES, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    unit = working_unit(request, Action.MANAGE_ACTIVITIES)
    units = policy.units(request.user, Action.MANAGE_ACTIVITIES).filter(unit.subtree_q())
    form = ActivityForm(request.POST or None, units=units,
                        initial={"unit": unit.pk, "year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, unit=form.cleaned_data["unit"],
                                                **{name: form.cleaned_data[name] for name in ACTIVITY_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was recorded. Show its QR code at the event."))
            return redirect("movements:activity", pk=activity.pk)
    return render(request, "movements/activity_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


@login_required
@require_GET
@kept_for_reader
def activity_detail(request, pk):
    activity = get_activity(request.user, Action.VIEW_ACTIVITIES, pk)
    may_manage = policy.can(request.user, Action.MANAGE_ACTIVITIES, activity.unit)
    attendances = activity.attendances.select_related("member__unit")
    absent = None
    if may_manage:
        absent = (policy.members(request.user, Action.VIEW_MEMBERS)
                  .filter(activity.unit.subtree_q("unit__path"), status="active")
                  .exclude(attendances__activity=activity).select_related("unit"))
    return render(request, "movements/activity_detail.html", {
        "activity": activity, "ancestors": visible_ancestors(request.user, activity.unit),
        "attendances": attendances if may_manage else None, "attendance_count": attendances.count(),
        "absent": absent, "may_manage": may_manage,
    })


@login_required
@require_POST
def activity_mark(request, pk):
    activity = get_activity(request.user, Action.MANAGE_ACTIVITIES, pk)
    chosen = (policy.members(request.user, Action.VIEW_MEMBERS).filter(activity.unit.subtree_q("unit__path"))
              .filter(pk__in=posted_keys(request, "member"))
              .select_related("unit"))
    try:
        marked = services.attendance_mark(actor=request.user, activity=activity, members=chosen)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)d members marked present.") % {"count": marked})
    return redirect("movements:activity", pk=activity.pk)


@login_required
@require_POST
def activity_renew_qr(request, pk):
    activity = get_activity(request.user, Action.MANAGE_ACTIVITIES, pk)
    services.activity_renew_token(actor=request.user, activity=activity)
    messages.success(request, _("A new QR code was drawn; the old one no longer works."))
    return redirect("movements:activity_qr", pk=activity.pk)


def _checkin_url(request, activity: Activity) -> str:
    return request.build_absolute_uri(reverse("movements:checkin", args=[activity.checkin_token]))


@login_required
@never_cache
@require_GET
def activity_qr(request, pk):
    """The page shown on a screen or printed at the event."""
    activity = get_activity(request.user, Action.MANAGE_ACTIVITIES, pk)
    return render(request, "movements/activity_qr.html", {
        "activity": activity, "checkin_url": _checkin_url(request, activity),
    })


@login_required
@never_cache
@require_GET
def activity_qr_image(request, pk):
    activity = get_activity(request.user, Action.MANAGE_ACTIVITIES, pk)
    buffer = io.BytesIO()
    segno.make(_checkin_url(request, activity), error="m").save(buffer, kind="svg", scale=10, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, token):
    """Opened from the QR code on a member's phone: one tap confirms the presence."""
    activity = Activity.objects.select_related("unit").filter(checkin_token=token).first()
    if activity is None:
        raise Http404
    if request.method == "POST":
        try:
            attendance = services.attendance_check_in(actor=request.user, activity=activity, token=token)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])) or _("Not allowed."))
        else:
            messages.success(request, _("You are marked present.") if attendance
                             else _("You were already marked present."))
            return redirect("movements:my_activities")
    return render(request, "movements/checkin.html", {"activity": activity})


@login_required
@require_GET
def my_activities(request):
    member = own_member_record(request.user)
    year = requested_year(request) or timezone.localdate().year
    if member is None:
        return render(request, "movements/my_activities.html", {"member": None, "year": year})
    expected = selectors.activities_for_member(member, year).select_related("unit").order_by("-starts_at")
    attended = set(member.attendances.filter(activity__in=expected).values_list("activity_id", flat=True))
    return render(request, "movements/my_activities.html", {
        "member": member, "year": year, "participation": selectors.member_participation(member, year),
        "rows": [(activity, activity.pk in attended) for activity in expected],
    })
