from dataclasses import dataclass

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from members.audit import action_label as _action_label

register = template.Library()

# Labels for before/after keys that are not model fields.
_KEY_LABELS = {"pledges": _("Number of pledges"), "criteria": _("Number of criteria")}


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)


@dataclass
class Change:
    label: str
    before: object
    after: object
    had_before: bool
    has_after: bool


def _display(field, value):
    if field is not None and field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


@register.simple_tag
def audit_changes(entry) -> list[Change]:
    """The entry's before/after as rows a person reads: field labels and choice labels, not raw keys."""
    before, after = entry.before or {}, entry.after or {}
    model = entry.target_type.model_class() if entry.target_type_id else None
    changes = []
    for name in dict.fromkeys([*before, *after]):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if not hasattr(field, "verbose_name"):
            # A count of related objects (e.g. "pledges") names a relation, not a field.
            field = None
        label = str(field.verbose_name).capitalize() if field is not None else _KEY_LABELS.get(
            name, name.replace("_", " ").capitalize())
        changes.append(Change(label, _display(field, before.get(name)), _display(field, after.get(name)),
                              name in before, name in after))
    return changes
