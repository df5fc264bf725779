"""Renderers: any exporter's tables into an xlsx workbook (openpyxl write-only, with lxml) or a PDF (WeasyPrint
on a template in the union's document form)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import Promise

from members.imports import safe_cell


def write_xlsx(exporter, output, *, progress=None) -> None:
    """One sheet per table, a bold heading row, every text cell kept from becoming a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    tables = list(exporter.tables())
    for index, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(title=_sheet_title(table.sheet or table.title))
        heading = []
        for label in table.headers:
            cell = WriteOnlyCell(sheet, value=_cell(str(label)))
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        if progress:
            progress(index, len(tables))
    workbook.save(output)


def _cell(value):
    # Labels of choices are lazy translations; a workbook takes text, numbers and dates.
    return safe_cell(str(value) if isinstance(value, Promise) else value)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name and more than 31 characters.
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31]


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=settings.PORTAL_URL).write_pdf()
