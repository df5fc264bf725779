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


@register.filter
def masked(value) -> str:
    """A card or phone number in a list: the first and last two characters, so that a secretary can tell two
    people apart without the list showing the whole number (the member's page shows it to those who need it)."""
    text = str(value or "")
    if not text:
        return "—"
    if len(text) <= 4:
        return "•" * len(text)
    return f"{text[:2]}{'•' * (len(text) - 4)}{text[-2:]}"


@register.filter
def birth_year(value) -> str:
    """A date of birth in a list: the year only, which is what a list is read for (age, coming of age at 30)."""
    return f"••/••/{value.year}" if value else "—"
