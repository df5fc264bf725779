from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def grouped(value):
    """A whole number with thousands grouped as the reader writes them: 30.000.000 in Vietnamese, 30,000,000 in
    English. Django's own grouping is off for Vietnamese, and budgets in đồng are unreadable without it."""
    if value is None or value == "":
        return "—"
    try:
        number = int(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return value
    text = f"{number:,}"
    return text.replace(",", ".") if (get_language() or "vi").startswith("vi") else text


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
