"""Renderers: any exporter's tables into an xlsx workbook (openpyxl write-only, with lxml) or a PDF (WeasyPrint
on a template in the union's document form)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import Promise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(exporter, output, *, progress=None) -> None:
    """One sheet per table, a bold heading row, every text cell kept from becoming a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    tables = list(exporter.tables())
    used: set[str] = set()
    for index, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(title=_sheet_title(table.sheet or table.title, used))
        heading = []
        for label in table.headers:
            cell = _cell(sheet, label)
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
        if progress:
            progress(index, len(tables))
    workbook.save(output)


def _cell(sheet, value):
    """A cell holding the value as typed: text is always a text cell, so that "=…" is never a formula, and the
    control characters a workbook cannot hold are dropped rather than failing the whole file."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Promise):  # labels of choices are lazy translations
        value = str(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(sheet, value=value)


def _sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, not quoted, and unique."""
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    title = title.strip("' ") or "Sheet"
    name, number = title[:31], 1
    while name.casefold() in used or name.casefold() == "history":
        number += 1
        name = f"{title[:27]} ({number})"
    used.add(name.casefold())
    return name


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=settings.PORTAL_URL).write_pdf()
