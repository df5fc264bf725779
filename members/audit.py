"""The audit log: a registry of actions with human labels, and the one function that records an entry.

Every app registers its own actions at import time (``register_action``) and every service that changes
state calls ``record`` inside its transaction, so the entry exists exactly when the change does.
"""

import datetime
import decimal
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import AuditEntry, Unit

_ACTIONS: dict[str, Promise] = {}


def register_action(code: str, label: Promise) -> str:
    if code in _ACTIONS and _ACTIONS[code] != label:
        raise ValueError(f"Audit action {code!r} is registered twice with different labels.")
    _ACTIONS[code] = label
    return code


def action_label(code: str) -> str:
    return str(_ACTIONS.get(code, code))


def registered_actions() -> list[tuple[str, Promise]]:
    return sorted(_ACTIONS.items())


MEMBER_CREATED = register_action("member.created", _("Member added"))
MEMBER_UPDATED = register_action("member.updated", _("Member updated"))
MEMBER_DEACTIVATED = register_action("member.deactivated", _("Member deactivated"))
MEMBER_REACTIVATED = register_action("member.reactivated", _("Member reactivated"))
MEMBER_TRANSFERRED = register_action("member.transferred", _("Member transferred to another unit"))
PROFILE_UPDATED = register_action("member.profile_updated", _("Own profile updated"))
MEMBERS_IMPORTED = register_action("member.imported", _("Member list imported"))
MEMBER_INVITED = register_action("member.invited", _("Account created for a member"))
UNIT_CREATED = register_action("unit.created", _("Unit created"))
UNIT_UPDATED = register_action("unit.updated", _("Unit updated"))
ROLE_ASSIGNED = register_action("role.assigned", _("Role assigned"))
ROLE_REVOKED = register_action("role.revoked", _("Role revoked"))


def _json_value(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The named fields of an instance as JSON-ready values, for the before/after of an entry."""
    return {name: _json_value(getattr(instance, name)) for name in fields}


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value changed, so an entry shows what was done and nothing else."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    *,
    action: str,
    actor,
    unit: Unit | None,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    if action not in _ACTIONS:
        raise ValueError(f"Audit action {action!r} is not registered.")
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=actor_user,
        actor_name=(actor_user.get_full_name() or actor_user.get_username()) if actor_user else "",
        unit=unit,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        note=note,
    )


def entries_about(*querysets):
    """The entries whose target is any row of the given querysets, one subquery per model."""
    condition = models.Q(pk__in=[])
    # One query for all the content types not yet in Django's cache, not one per model.
    types = ContentType.objects.get_for_models(*(queryset.model for queryset in querysets))
    for queryset in querysets:
        condition |= models.Q(target_type=types[queryset.model],
                              target_id__in=queryset.annotate(key=Cast("pk", models.CharField())).values("key"))
    return AuditEntry.objects.filter(condition)


def entries_for(queryset, target: models.Model):
    """The entries about one object, taken from a queryset the access policy has already scoped."""
    return queryset.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor", "target_type")


# Labels for before/after keys that are not model fields.
_KEY_LABELS = {
    "pledges": _("Number of pledges"), "criteria": _("Number of criteria"),
    "registrations_moved": _("Campaign registrations moved with the member"),
    "award_proposals_moved": _("Award proposals moved with the member"),
    "recipient": _("recipient"), "registrant": _("registrant"), "registrations": _("registrations"),
    "questions": _("questions"), "mailed": _("Answer sent by mail"), "to_mail": _("Answer to be sent by mail"),
    "review": _("Kind of review"),
    "stage": _("stage"), "stages": _("Number of stages"), "targets": _("Number of targets"),
    "entries": _("Rows in the review"), "template": _("Campaign template"), "totals": _("Totals by target"),
    "given_on": _("Date of the support"), "visited_on": _("Date of the visit"), "inspectors": _("Inspectors"),
    "sessions": _("sessions"), "consultations": _("consultations"), "people_helped": _("people helped"),
    "reviewer": _("Reviewer"), "score": _("score"), "beneficiaries": _("people who benefited"),
    "volunteer_hours": _("volunteer hours"), "value": _("value (VND)"), "photos": _("photos"),
    "user": _("Account"), "account": _("Account"), "role": _("role"), "files": _("Number of files"),
}


@dataclass
class Change:
    label: str
    before: object
    after: object
    had_before: bool
    has_after: bool

    def __str__(self):
        shown = [str(self.before if self.before not in (None, "") else "—")] if self.had_before else []
        if self.has_after:
            shown.append(str(self.after if self.after not in (None, "") else "—"))
        return f"{self.label}: {' → '.join(shown)}"


def _display(field, value):
    if field is not None and field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            if isinstance(field, models.DateTimeField):
                return timezone.localtime(datetime.datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


def key_label(model, name: str):
    """The field a before/after key names on the target's model, and its label; ``(None, None)`` for a key that
    is neither a field nor in _KEY_LABELS (a test keeps every key the services write readable)."""
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    if not hasattr(field, "verbose_name"):
        # A count of related objects (e.g. "pledges") names a relation, not a field.
        field = None
    if field is not None:
        return field, capfirst(str(field.verbose_name))
    if not name.isascii():
        return None, name  # a campaign target's own name, written by the people who made it
    label = _KEY_LABELS.get(name)
    return None, capfirst(str(label)) if label is not None else None


def changes(entry: AuditEntry) -> list[Change]:
    """The entry's before/after as rows a person reads: field labels and choice labels, not raw keys."""
    before, after = entry.before or {}, entry.after or {}
    model = entry.target_type.model_class() if entry.target_type_id else None
    rows = []
    for name in dict.fromkeys([*before, *after]):
        field, label = key_label(model, name)
        rows.append(Change(label or name.replace("_", " ").capitalize(), _display(field, before.get(name)),
                           _display(field, after.get(name)), name in before, name in after))
    return rows
