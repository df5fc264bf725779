"""Retention of closed records: once a record has been closed for the period its union sets, the person's details
go and the record stays as a pseudonym, so that the figures of every year it counted in stay the same.

What goes: name, date of birth, gender, card number, position, phone, email, the account; the name wherever it was
copied (awards, frozen review rows, the people's opinions that named them, the audit and access logs). What
stays: the unit, the dates, the states, the classifications and every count. Run daily by
``manage.py pseudonymise_closed_members`` (README, "Deployment")."""

import datetime
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.life import CLOSING_STATUSES, years_after
from members.models import AccessEntry, AuditEntry, Member, Notification, Unit
from members.services import locked_member

__all__ = ["PERSONAL_FIELDS", "due_for_pseudonymising", "member_pseudonymise", "pseudonym", "pseudonymise_due",
           "retention_for", "unit_set_retention"]

RETENTION_SET = audit.register_action("unit.retention_set", gettext_lazy("Retention period set"))
MEMBER_PSEUDONYMISED = audit.register_action("member.pseudonymised",
                                             gettext_lazy("Personal details removed at the end of retention"))

PERSONAL_FIELDS = ("full_name", "birth_date", "gender", "card_number", "position", "phone", "email")


def pseudonym(member: Member) -> str:
    # Stored text in the portal's first language, like every other name it keeps.
    return f"Đoàn viên #{member.pk}"


def unit_set_retention(*, actor, unit: Unit, years: int | None) -> Unit:
    """The committee of a union sets how long closed records under it keep personal details."""
    if not policy.held_units(actor, Action.MANAGE_YEAR).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("Only the committee of %(unit)s sets its retention period.") % {"unit": unit})
    if years is not None and not 1 <= years <= 50:
        raise ValidationError({"retention_years": _("Choose between 1 and 50 years.")})
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        before = unit.retention_years
        unit.retention_years = years
        unit.save(update_fields=["retention_years"])
        audit.record(action=RETENTION_SET, actor=actor, unit=unit, target=unit, before={"retention_years": before},
                     after={"retention_years": years})
    return unit


def retention_for(unit: Unit, periods: dict[str, int] | None = None) -> int:
    """The period of the nearest union at or above ``unit`` that sets one, else the portal's default."""
    if periods is None:
        periods = dict(Unit.objects.filter(path__in=unit.ancestor_paths(include_self=True),
                                           retention_years__isnull=False).values_list("path", "retention_years"))
    for path in sorted((p for p in periods if unit.path.startswith(p)), key=len, reverse=True):
        return periods[path]
    return settings.RETENTION_YEARS


def due_for_pseudonymising(today: datetime.date | None = None) -> list[Member]:
    """Closed records whose retention has ended, with their details still there."""
    today = today or timezone.localdate()
    periods = dict(Unit.objects.filter(retention_years__isnull=False).values_list("path", "retention_years"))
    # Only records closed for good (moved out, came of age, left); a deactivated one may be reopened.
    closed = (Member.objects.filter(status__in=CLOSING_STATUSES, closed_on__isnull=False,
                                    pseudonymised_at__isnull=True).select_related("unit"))
    due = []
    for member in closed.iterator(chunk_size=2000):
        years = retention_for(member.unit, periods)
        if years_after(member.closed_on, years) <= today:
            due.append(member)
    return due


def _scrub(values: dict | None, replacements: list[tuple[str, str]]) -> dict | None:
    """An entry's before/after without the person: their personal fields blanked, their name replaced."""
    if not values:
        return values
    return {key: "—" if key in PERSONAL_FIELDS or key in ("user", "account")
            else _without(value, replacements) if isinstance(value, str) else value
            for key, value in values.items()}


def _without(text: str, replacements: list[tuple[str, str]]) -> str:
    """The text with each whole occurrence of a personal value replaced: "Lê Minh Khoa" goes, the start of
    another person's "Lê Minh Khoan" stays."""
    for old, new in replacements:
        if old:
            text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text)
    return text


def _rewrite(queryset, field: str, replacements: list[tuple[str, str]]) -> None:
    """Replace the personal values in one text field of the rows that contain any of them."""
    contains = Q()
    for old, _new in replacements:
        if old:
            contains |= Q(**{f"{field}__contains": old})
    if not contains:
        return
    for row in queryset.filter(contains):
        setattr(row, field, _without(getattr(row, field), replacements))
        type(row).objects.filter(pk=row.pk).update(**{field: getattr(row, field)})


def _forget_login_name(login_name: str, alias: str) -> None:
    """The old login name (often the card number) wherever it was copied: the entries of roles once held and of
    the account's creation, and the sign-in logs."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    named = AuditEntry.objects.filter(
        Q(after__user=login_name) | Q(before__user=login_name) | Q(after__account=login_name),
        action__in=[audit.ROLE_ASSIGNED, audit.ROLE_REVOKED, audit.MEMBER_INVITED])  # the indexed column first
    for entry in named:
        entry.target_repr = _without(entry.target_repr, [(login_name, alias)])
        entry.before, entry.after = (_scrub(entry.before, [(login_name, alias)]),
                                     _scrub(entry.after, [(login_name, alias)]))
        entry.save(update_fields=["target_repr", "before", "after"])
    AccessAttempt.objects.filter(username=login_name).delete()  # a lock-out counter, not a record
    AccessLog.objects.filter(username=login_name).update(username=alias)
    AccessFailureLog.objects.filter(username=login_name).update(username=alias)


def member_pseudonymise(member: Member) -> Member:
    """Remove the person's details from a closed record and from every copy of their name."""
    from django.contrib.admin.models import LogEntry

    from campaigns.models import Award, Feedback, Registration, ReviewEntry
    from movements.models import Activity, Commitment, Evidence, Pledge

    with transaction.atomic():
        member = locked_member(member)
        if member.status not in CLOSING_STATUSES or member.closed_on is None:
            raise ValidationError(_("An active member's record is not pseudonymised."))
        if member.pseudonymised_at is not None:
            return member
        name, card, alias, user = member.full_name, member.card_number, pseudonym(member), member.user
        login_name = user.get_username() if user is not None else ""
        member.full_name, member.birth_date, member.gender = alias, None, ""
        member.card_number = member.position = member.phone = member.email = member.closing_note = ""
        member.admission_decision = ""
        member.user, member.pseudonymised_at = None, timezone.now()
        member.save()
        # An account that still serves elsewhere (an office held, staff) is the person's working account: the
        # record lets go of it and nothing else changes. Otherwise the account goes with the record.
        if user is not None and not (user.is_staff or user.is_superuser or user.role_assignments.exists()):
            user.username, user.first_name, user.last_name, user.email = f"an-danh-{member.pk}", "", "", ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            AuditEntry.objects.filter(actor=user).update(actor_name=alias)
            AccessEntry.objects.filter(user=user).update(user_name=alias)
            user.notifications.all().delete()  # lines for a person who is no longer there
            _forget_login_name(login_name, alias)
        else:
            login_name = ""  # the working account keeps its name
        replacements = [(name, alias), (card, "••"), (login_name, alias)]
        member.consents_to_public_display = member.consents_to_feedback_naming = False
        member.save(update_fields=["consents_to_public_display", "consents_to_feedback_naming"])
        for award in Award.objects.filter(member=member):
            award.recipient_name = alias
            award.achievements, award.citation, award.refusal_note = (
                _without(text, replacements) for text in (award.achievements, award.citation, award.refusal_note))
            award.is_published = False
            award.save(update_fields=["recipient_name", "achievements", "citation", "refusal_note", "is_published"])
        ReviewEntry.objects.filter(registration__member=member).pseudonymise(alias)
        Feedback.objects.filter(member=member).update(served_by_name="")
        # An opinion that gave the name without being attributed, at a point of their union.
        union_path = member.unit.path[:-Unit.steplen] or member.unit.path
        Feedback.objects.filter(point__unit__path__startswith=union_path, served_by_name__iexact=name).update(
            served_by_name="")
        # Free text that copied the name, the card number or the login name: the access log (a list's search),
        # other people's notifications ("…'s registration was approved"), the admin's change log.
        _rewrite(AccessEntry.objects.all(), "what", replacements)
        _rewrite(Notification.objects.all(), "message", replacements)
        _rewrite(LogEntry.objects.all(), "object_repr", replacements)
        # Every entry about the person or about a record that bore their name.
        about = audit.entries_about(
            Member.objects.filter(pk=member.pk), Commitment.objects.filter(member=member),
            Pledge.objects.filter(commitment__member=member), Evidence.objects.filter(pledge__commitment__member=member),
            Award.objects.filter(member=member), Feedback.objects.filter(member=member),
            Registration.objects.filter(member=member), Activity.objects.filter(attendances__member=member))
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Member),
                                object_id=str(member.pk)).update(object_repr=alias)
        if user is not None and login_name:
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user),
                                    object_id=str(user.pk)).update(object_repr=alias)
        for entry in about:
            entry.target_repr = _without(entry.target_repr, replacements)
            entry.before, entry.after = _scrub(entry.before, replacements), _scrub(entry.after, replacements)
            entry.note = _without(entry.note, replacements)
            entry.save(update_fields=["target_repr", "before", "after", "note"])
        audit.record(action=MEMBER_PSEUDONYMISED, actor=None, unit=member.unit, target=member,
                     after={"closed_on": member.closed_on.isoformat(), "status": member.status})
    return member


def pseudonymise_due(today: datetime.date | None = None) -> int:
    count = 0
    for member in due_for_pseudonymising(today):
        member_pseudonymise(member)
        count += 1
    return count
