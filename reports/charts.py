"""Charts drawn on the server as SVG: the same picture in the page and in the PDF, with no script, no inline
style (the Content Security Policy forbids it) and a text alternative for screen readers."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from members.templatetags.portal_tags import grouped

BAR_COLOURS = ("#0b4f9c", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#c62828")
ROW_HEIGHT, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 230, 300, 70


def bar_chart(title: str, rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, one per (label, value); the caption and every value are in the picture's text too."""
    top = max((value for _, value in rows), default=0) or 1
    height = ROW_HEIGHT * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    summary = "; ".join(f"{label}: {grouped(value)}" for label, value in rows)
    parts = [format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'font-family="Liberation Serif, Times New Roman, Noto Serif, serif" aria-label="{}"><title>{}</title>',
        width, height, f"{title}. {summary}", title)]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        length = round(BAR_WIDTH * value / top)
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="13" text-anchor="end" fill="#212529">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/>'
            '<text x="{}" y="{}" font-size="13" fill="#212529">{}</text>',
            LABEL_WIDTH - 8, y + 16, short, LABEL_WIDTH, y + 3, max(length, 1), ROW_HEIGHT - 8,
            BAR_COLOURS[index % len(BAR_COLOURS)], LABEL_WIDTH + max(length, 1) + 6, y + 16, grouped(value)))
    parts.append(mark_safe("</svg>"))  # nosec B308
    # Every part above is format_html's, which escaped each label and value.
    return mark_safe("".join(str(part) for part in parts))  # nosec B308 B703


def figure_charts(figures) -> dict[str, dict]:
    """The charts a dashboard and a year-end report share, by name: each a title and its picture."""
    from django.utils.translation import gettext as _

    charts = {
        "participation": (_("Members and their commitments"), [
            (_("Active members"), figures.members), (_("Registered"), figures.registered),
            (_("Approved"), figures.approved), (_("Evaluated"), figures.evaluated)]),
        "classifications": (_("Classifications confirmed"), figures.classifications),
        "projects": (_("Youth projects by state"), figures.projects_by_state),
        "initiatives": (_("Initiatives recognised, by level"), figures.initiatives_by_level),
    }
    return {name: {"title": title, "svg": bar_chart(title, rows)} for name, (title, rows) in charts.items()}


__all__ = ["bar_chart", "figure_charts"]
