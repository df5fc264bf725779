"""Renderers: any exporter's tables into an xlsx workbook (openpyxl write-only, with lxml) or a PDF (WeasyPrint
on a template in the union's document form)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.functional import Promise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(exporter, output, *, progress=None) -> None:
    """One sheet per table, a bold heading row, every text cell kept from becoming a formula. Rows are written
    as they come from the exporter, so a list of any length takes the same memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)  # one style for every heading cell
    tables = list(exporter.tables())
    used: set[str] = set()
    for index, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(title=_sheet_title(table.sheet or table.title, used))
        heading = []
        for label in table.headers:
            cell = WriteOnlyCell(sheet, value=_legal(str(label)))
            cell.data_type = "s"
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        # Plain values, as openpyxl takes them fastest (it writes them all through one cell of its own); only
        # text needs a look. A cell object of ours for every value made the workbook twice as slow to write, and
        # the look is written out here for the common text (printable, not like a formula): a call for each of
        # a year-end workbook's 200,000 cells cost a tenth of its time.
        for row in table.rows:
            sheet.append([
                (value if value.isprintable() and value[:1] not in _FORMULA_STARTS else _text(sheet, value))
                if type(value) is str else _text(sheet, value) if isinstance(value, (str, Promise)) else value
                for value in row])
        if progress:
            progress(index, len(tables))
    workbook.save(output)


# Text starting so would be read as a formula or an error value ("" is here too: an empty text takes the long way).
_FORMULA_STARTS = "=#"


def _text(sheet, value):
    """Text as typed: text openpyxl would take for a formula ("=…") or an error ("#N/A") goes in a text cell of
    its own; any other text goes as it is. Lazy translations, text with control characters, and such text come
    here; the imports wait for the rare case."""
    value = _legal(str(value))  # str(): labels of choices are lazy translations
    if value.startswith(tuple(_FORMULA_STARTS)):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _legal(text: str) -> str:
    """The text without the control characters a workbook cannot hold, dropped rather than failing the file."""
    if text.isprintable():  # nearly always, and much cheaper to ask than to substitute
        return text
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


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
