from django import template

from members.audit import Change, changes
from members.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)


@register.simple_tag
def audit_changes(entry) -> list[Change]:
    return changes(entry)
