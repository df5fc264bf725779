"""The member's life in the union (kết nạp, chuyển sinh hoạt, trưởng thành Đoàn, ra khỏi Đoàn): the writes that
admit a youth to the union and close a record, and the list of those coming of age.

A closed record stays, with its date and why: the figures of the years it counted in do not change, the branch
no longer counts it, and the account that went with it can no longer sign in."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import CLOSING_STATUSES, Member, MemberStatus, Unit
from members.services import follow_with_login, locked_member, require_right

__all__ = ["CLOSING_STATUSES", "UNION_AGE_LIMIT", "coming_of_age", "member_admit", "member_close", "members_mature",
           "reaches_age_limit", "years_after"]

MEMBER_ADMITTED = audit.register_action("member.admitted", gettext_lazy("Admitted to the union"))
MEMBER_CLOSED = audit.register_action("member.closed", gettext_lazy("Member's record closed"))

UNION_AGE_LIMIT = 30


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def member_admit(*, actor, member: Member, admitted_on: datetime.date, deciding_unit: Unit,
                 decision_number: str = "") -> Member:
    """A youth admitted to the union (kết nạp Đoàn) by the decision of their union or one above it."""
    _not_in_future(admitted_on, "admitted_on")
    with transaction.atomic():
        member = locked_member(member)
        require_right(actor, Action.MANAGE_MEMBERS, member.unit)
        if member.is_union_member:
            raise ValidationError(_("%(member)s is already a union member.") % {"member": member})
        if member.status != MemberStatus.ACTIVE:
            raise ValidationError(_("%(member)s's record is closed.") % {"member": member})
        # The grassroots union's committee (or one above it) admits, never the branch itself.
        if not member.unit.is_within(deciding_unit) or deciding_unit.pk == member.unit_id:
            raise ValidationError({"deciding_unit": _("The deciding union is the one above %(unit)s, or higher.")
                                   % {"unit": member.unit}})
        if member.birth_date and years_after(member.birth_date, 16) > admitted_on:
            raise ValidationError({"admitted_on": _("A youth is admitted to the union from the age of 16.")})
        member.is_union_member, member.joined_union_on = True, admitted_on
        member.admitted_by, member.admission_decision = deciding_unit, " ".join(decision_number.split())
        member.save(update_fields=["is_union_member", "joined_union_on", "admitted_by", "admission_decision",
                                   "updated_at"])
        audit.record(action=MEMBER_ADMITTED, actor=actor, unit=member.unit, target=member,
                     before={"is_union_member": False},
                     after={"is_union_member": True, "joined_union_on": admitted_on.isoformat(),
                            "admitted_by": str(deciding_unit), "decision": member.admission_decision})
    return member


def member_close(*, actor, member: Member, status: str, closed_on: datetime.date, note: str = "") -> Member:
    """Close an active record: moved to a union outside the portal, came of age, or left the union."""
    if status not in CLOSING_STATUSES:
        raise ValidationError({"status": _("Choose how the record closes.")})
    note = " ".join(note.split())
    if status in (MemberStatus.MOVED_OUT, MemberStatus.LEFT) and not note:
        raise ValidationError({"note": _("Say where the member moves to.") if status == MemberStatus.MOVED_OUT
                               else _("Say why the member leaves.")})
    _not_in_future(closed_on, "closed_on")
    with transaction.atomic():
        member = locked_member(member)
        require_right(actor, Action.MANAGE_MEMBERS, member.unit)
        if member.status != MemberStatus.ACTIVE:
            raise ValidationError(_("%(member)s's record is already closed.") % {"member": member})
        if closed_on < timezone.localdate(member.created_at):
            raise ValidationError({"closed_on": _("The record was opened on %(day)s; it cannot close before that.")
                                   % {"day": timezone.localdate(member.created_at).strftime("%d/%m/%Y")}})
        if status == MemberStatus.MATURED and not reaches_age_limit(member, closed_on.year):
            raise ValidationError({"status": _("%(member)s does not reach %(age)d in %(year)d.")
                                   % {"member": member, "age": UNION_AGE_LIMIT, "year": closed_on.year}})
        member.status, member.closed_on, member.closing_note = status, closed_on, note[:300]
        follow_with_login(member)
        member.save(update_fields=["status", "closed_on", "closing_note", "login_suspended", "updated_at"])
        audit.record(action=MEMBER_CLOSED, actor=actor, unit=member.unit, target=member,
                     before={"status": MemberStatus.ACTIVE.value},
                     after={"status": status, "closed_on": closed_on.isoformat()}, note=note)
    return member


def coming_of_age(user, unit: Unit, year: int):
    """Active members of the unit's subtree who are 30 or turn 30 in ``year``: the union's age limit."""
    return (policy.members(user, Action.VIEW_MEMBERS)
            .filter(unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE,
                    birth_date__year__lte=year - UNION_AGE_LIMIT)
            .select_related("unit").order_by("birth_date", "sort_name"))


def reaches_age_limit(member: Member, year: int) -> bool:
    return member.birth_date is not None and member.birth_date.year <= year - UNION_AGE_LIMIT


def members_mature(*, actor, members, closed_on: datetime.date) -> list[Member]:
    """Mark members as come of age, all or none: one that may not be refuses the whole list, saying who."""
    done = []
    with transaction.atomic():
        for member in members:
            if not reaches_age_limit(member, closed_on.year):
                raise ValidationError(_("%(member)s does not reach %(age)d in %(year)d.")
                                      % {"member": member, "age": UNION_AGE_LIMIT, "year": closed_on.year})
            done.append(member_close(actor=actor, member=member, status=MemberStatus.MATURED, closed_on=closed_on,
                                     note=_("Came of age")))
    return done
