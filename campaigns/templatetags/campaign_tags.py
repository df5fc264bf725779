from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

from campaigns import scoring
from members.templatetags.portal_tags import grouped

register = template.Library()


@register.filter
def figure(value):
    """A campaign figure: whole numbers grouped (1.250), fractions with the reader's decimal mark (2,5)."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    if number == number.to_integral_value():
        return grouped(number)
    whole = grouped(int(number))
    fraction = f"{abs(number) % 1:.2f}"[2:].rstrip("0")
    mark = "," if (get_language() or "vi").startswith("vi") else "."
    return f"{whole}{mark}{fraction}"


@register.filter
def completion_percent(target_figures) -> int | str:
    """How far one target is met, in percent (capped like the score), from a TargetFigures or a review's dict."""
    if isinstance(target_figures, dict):
        pledged, reached = Decimal(target_figures["pledged"]), Decimal(target_figures["reached"])
        direction = target_figures.get("direction", "higher")
    else:
        pledged, reached, direction = target_figures.pledged, target_figures.reached, target_figures.direction
    share = scoring.completion(direction, pledged, reached)
    return "—" if share is None else int(share * 100)


@register.filter
def figure_rows(standing, targets):
    return standing.figure_rows(targets)


@register.filter
def rating(value):
    """An average rating out of 5 with one decimal in the reader's form: "4,3/5"."""
    if value is None or value == "":
        return "—"
    return f"{figure(Decimal(value).quantize(Decimal('0.1')))}/5"
