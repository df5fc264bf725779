"""The access log: who opened a member's profile or evaluation, and who exported personal data.

A member sees who looked at their records ("My data"); the officers who read a unit's audit log see its access
log, exports first. Looking at one's own records is not logged: it is nobody else's business."""

from members.access import Action, policy
from members.models import AccessEntry, AccessKind, Member, Unit

__all__ = ["access_entries", "record_export", "record_view"]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def record_view(user, member: Member, kind: str) -> AccessEntry | None:
    if member.user_id is not None and member.user_id == user.pk:
        return None
    return AccessEntry.objects.create(user=user, user_name=_name(user), kind=kind, unit=member.unit, member=member)


def record_export(user, unit: Unit, what: str, *, member: Member | None = None) -> AccessEntry:
    return AccessEntry.objects.create(user=user, user_name=_name(user), kind=AccessKind.EXPORT, unit=unit,
                                      member=member, what=str(what)[:250])


def access_entries(user):
    """The entries of the subtrees whose audit log the user reads."""
    return policy.scope(user, AccessEntry.objects.select_related("unit", "member"), action=Action.VIEW_AUDIT,
                        path_field="unit__path")


def views_of(member: Member):
    """Who opened this member's profile or evaluation: what the member is shown about themselves."""
    return member.access_entries.exclude(kind=AccessKind.EXPORT).order_by("-created_at", "-id")
