"""Professional development activities and their attendance: by QR code at the event, or marked by the branch."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Member, MemberStatus, Unit
from movements.models import Activity, Attendance, AttendanceMethod, new_checkin_token

ACTIVITY_CREATED = audit.register_action("activity.created", gettext_lazy("Activity recorded"))
ATTENDANCE_CHECKED_IN = audit.register_action("attendance.checked_in", gettext_lazy("Checked in to an activity"))
ATTENDANCE_MARKED = audit.register_action("attendance.marked", gettext_lazy("Attendance marked"))
CHECKIN_TOKEN_RENEWED = audit.register_action("activity.token_renewed", gettext_lazy("QR code of an activity renewed"))

ACTIVITY_FIELDS = ("year", "kind", "title", "topic", "organiser", "starts_at", "place", "capacity")
# The QR code works from a little before the start until the end of that day.
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=1)


def activity_create(*, actor, unit: Unit, **fields) -> Activity:
    if not policy.can(actor, Action.MANAGE_ACTIVITIES, unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can record its activities.") % {"unit": unit})
    activity = Activity(unit=unit, **{name: fields[name] for name in ACTIVITY_FIELDS if name in fields})
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        audit.record(action=ACTIVITY_CREATED, actor=actor, unit=unit, target=activity,
                     after=audit.snapshot(activity, ("title", "kind", "starts_at")))
    return activity


def checkin_is_open(activity: Activity, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    local_start = timezone.localtime(activity.starts_at)
    day_end = local_start.replace(hour=23, minute=59, second=59)
    return activity.starts_at - CHECKIN_OPENS_BEFORE <= now <= day_end


def _attend(*, actor, activity: Activity, member: Member, method: str) -> Attendance | None:
    """One attendance per member and activity; a second one is no error and changes nothing."""
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(activity=activity, member=member, method=method,
                                                   marked_by=actor if method == AttendanceMethod.MARKED else None)
            audit.record(action=ATTENDANCE_CHECKED_IN if method == AttendanceMethod.QR else ATTENDANCE_MARKED,
                         actor=actor, unit=member.unit, target=activity, after={"member": str(member)})
            return attendance
    except IntegrityError:
        return None


def attendance_check_in(*, actor, activity: Activity, token: str) -> Attendance | None:
    """A signed-in member opens the QR link at the event: they are recorded as present."""
    member = Member.objects.select_related("unit").filter(user=actor, status=MemberStatus.ACTIVE).first()
    if member is None:
        raise PermissionDenied(_("Your account is not linked to an active member record."))
    if token != activity.checkin_token:
        raise ValidationError(_("This QR code is no longer valid; ask the organiser for the current one."))
    if not member.unit.is_within(activity.unit):
        raise ValidationError(_("This activity is for %(unit)s; your branch is not part of it.")
                              % {"unit": activity.unit})
    if not checkin_is_open(activity):
        raise ValidationError(_("Check-in works on the day of the activity, from an hour before it starts."))
    return _attend(actor=actor, activity=activity, member=member, method=AttendanceMethod.QR)


def attendance_mark(*, actor, activity: Activity, members) -> int:
    """The secretary marks members present (those without a phone, or a forgotten scan)."""
    if not policy.can(actor, Action.MANAGE_ACTIVITIES, activity.unit):
        raise PermissionDenied
    marked = 0
    for member in members:
        if not member.unit.is_within(activity.unit):
            raise ValidationError(_("%(member)s is not in %(unit)s.") % {"member": member, "unit": activity.unit})
        marked += _attend(actor=actor, activity=activity, member=member, method=AttendanceMethod.MARKED) is not None
    return marked


def activity_renew_token(*, actor, activity: Activity) -> Activity:
    if not policy.can(actor, Action.MANAGE_ACTIVITIES, activity.unit):
        raise PermissionDenied
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        activity.checkin_token = new_checkin_token()
        activity.save(update_fields=["checkin_token"])
        audit.record(action=CHECKIN_TOKEN_RENEWED, actor=actor, unit=activity.unit, target=activity)
    return activity
