"""Member lists in and out of Excel, in the columns branches already keep.

``read_member_workbook`` finds the heading row (whatever its order, under merged title rows), reads each row,
and returns a plan: rows to add, rows that match an existing member (by card number, then by email) with what
would change, and rows refused with the reason. Nothing is written until ``services.member_import`` applies a
plan, all or nothing.
"""

import datetime
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from members.models import Gender, Member, Unit, UnitKind
from members.templatetags.portal_tags import birth_year, masked
from members.text import fold

# The column headings of the template and of the export, in order: the export can be corrected and read again.
COLUMNS = [
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("gender", "Giới tính"),
    ("card_number", "Số thẻ đoàn"),
    ("joined_union_on", "Ngày vào Đoàn"),
    ("position", "Chức vụ"),
    ("unit", "Đơn vị"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
]

# Headings seen in branches' own lists and in exports of the Youth Union's member software, folded.
HEADING_ALIASES = {
    "full_name": {"ho va ten", "ho ten", "ho ten doan vien", "ten doan vien", "full name"},
    "birth_date": {"ngay sinh", "ngay thang nam sinh", "sinh ngay", "date of birth"},
    "gender": {"gioi tinh", "gioi", "nam/nu", "gender"},
    "card_number": {"so the doan", "so the", "ma the doan", "ma doan vien", "member card number"},
    "joined_union_on": {"ngay vao doan", "ngay ket nap", "ngay ket nap doan", "date joined the union"},
    "position": {"chuc vu", "chuc danh", "nghe nghiep", "position"},
    "unit": {"don vi", "chi doan", "ma chi doan", "unit"},
    "phone": {"dien thoai", "so dien thoai", "sdt", "di dong", "phone"},
    "email": {"email", "e-mail", "thu dien tu"},
}
MAX_HEADING_ROW = 15
MAX_ROWS = 20_000
# A list of 20,000 members unpacks to a few tens of MB; anything far beyond is a zip bomb, not a member list.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass
class PlannedRow:
    row_number: int
    values: dict
    unit: Unit | None = None
    member: Member | None = None  # the existing member this row updates
    changes: dict = field(default_factory=dict)  # field -> (before, after)
    reason: str = ""

    # A preview is a list: card and phone numbers, and birth dates, are masked like in every other list.
    MASKED = {"card_number": masked, "phone": masked, "birth_date": birth_year}

    def shown_changes(self) -> list[tuple[str, object, object]]:
        """The changes as a person reads them: the field's label, personal numbers masked."""
        shown = []
        for name, (before, after) in self.changes.items():
            if name in self.MASKED:
                before, after = self.MASKED[name](before), self.MASKED[name](after)
            shown.append((capfirst(Member._meta.get_field(name).verbose_name), before, after))
        return shown


@dataclass
class ImportPlan:
    to_add: list[PlannedRow] = field(default_factory=list)
    to_update: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    refused: list[PlannedRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return not self.refused and bool(self.to_add or self.to_update)


def _heading_field(value) -> str | None:
    text = fold(unicodedata.normalize("NFC", str(value or ""))).strip(" :*")
    return next((name for name, aliases in HEADING_ALIASES.items() if text in aliases), None)


def _parse_date(value, label: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("%(label)s “%(value)s” is not a date (dd/mm/yyyy).") % {"label": label, "value": text})


def _parse_gender(value) -> str:
    text = fold(str(value or ""))
    if not text:
        return ""
    if text in {"nam", "male", "m"}:
        return Gender.MALE
    if text in {"nu", "female", "f"}:
        return Gender.FEMALE
    raise ValidationError(_("Gender “%(value)s” is neither Nam nor Nữ.") % {"value": value})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Vietnamese typed on different keyboards arrives precomposed or with combining marks: compare them equal.
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def check_workbook_archive(upload) -> None:
    """A real .xlsx is a zip archive of bounded unpacked size; refuse anything else before openpyxl reads it."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("The workbook unpacks to more than %(size)s MB; it cannot be a member list.")
                                      % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)})
            if "xl/workbook.xml" not in archive.namelist():
                raise ValidationError(_("The file is not an Excel workbook (.xlsx)."))
    except zipfile.BadZipFile:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from None
    finally:
        upload.seek(0)


class UnitResolver:
    """Finds a row's branch by code or by name among the branches the person may manage."""

    def __init__(self, branches, default: Unit | None):
        self.default = default
        self.by_key = {}
        for unit in branches:
            self.by_key[fold(unit.code)] = unit
            self.by_key[fold(unit.name)] = unit

    def __call__(self, value) -> Unit:
        if not _text(value):
            if self.default is None:
                raise ValidationError(_("The unit is missing."))
            return self.default
        unit = self.by_key.get(fold(_text(value)))
        if unit is None:
            raise ValidationError(_("Unit “%(value)s” is not one of the branches you manage.") % {"value": value})
        return unit


def _read_rows(workbook):
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    for index, row in enumerate(rows, start=1):
        if index > MAX_HEADING_ROW:
            break
        fields = [_heading_field(cell) for cell in row]
        if "full_name" in fields and sum(1 for name in fields if name) >= 2:
            return index, fields, rows
    raise ValidationError(_("No heading row was found: the list needs at least a “Họ và tên” column and one more "
                            "of the usual headings in its first %(rows)s rows.") % {"rows": MAX_HEADING_ROW})


def read_member_workbook(upload, *, branches, default_unit: Unit | None, progress=None) -> ImportPlan:
    """Plan the import of a workbook; ``branches`` are the units where the person may add or change members.

    ``progress``, when given, is called with the number of rows read so far, every few hundred rows.
    """
    from openpyxl import load_workbook

    check_workbook_archive(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a file that is not a workbook
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from None
    heading_row, fields, rows = _read_rows(workbook)
    plan = ImportPlan(columns=[name for name in fields if name])
    resolve_unit = UnitResolver(branches, default_unit)
    branch_ids = {unit.pk for unit in branches}
    parsed: list[PlannedRow] = []
    for number, row in enumerate(rows, start=heading_row + 1):
        cells = {name: row[index] for index, name in enumerate(fields) if name and index < len(row)}
        if not any(_text(value) for value in cells.values()):
            continue
        if progress is not None and len(parsed) % 500 == 0:
            progress(len(parsed))
        if len(parsed) >= MAX_ROWS:
            raise ValidationError(_("The list has more than %(rows)s rows; split it.") % {"rows": MAX_ROWS})
        # The name first, so that a refused row still says whose it is.
        planned = PlannedRow(number, {"full_name": _text(cells.get("full_name"))})
        try:
            planned.values |= {
                "birth_date": _parse_date(cells.get("birth_date"), _("Date of birth")),
                "gender": _parse_gender(cells.get("gender")),
                "card_number": _text(cells.get("card_number")),
                "joined_union_on": _parse_date(cells.get("joined_union_on"), _("Date joined the union")),
                "position": _text(cells.get("position")),
                "phone": _text(cells.get("phone")),
                "email": _text(cells.get("email")).lower(),
            }
            if not planned.values["full_name"]:
                raise ValidationError(_("The full name is missing."))
            if planned.values["email"]:
                validate_email(planned.values["email"])
            planned.unit = resolve_unit(cells.get("unit"))
        except ValidationError as error:
            planned.reason = " ".join(error.messages)
        parsed.append(planned)

    seen_cards: dict[str, int] = {}
    for planned in parsed:
        card = planned.values.get("card_number")
        if card and not planned.reason:
            if card in seen_cards:
                planned.reason = _("Card number %(card)s is also on row %(row)s.") % {"card": masked(card),
                                                                                     "row": seen_cards[card]}
            seen_cards.setdefault(card, planned.row_number)
    _match_existing(parsed, branch_ids)
    for planned in parsed:
        if planned.reason:
            plan.refused.append(planned)
        elif planned.member is None:
            plan.to_add.append(planned)
        elif planned.changes:
            plan.to_update.append(planned)
        else:
            plan.unchanged += 1
    return plan


def _match_existing(parsed: list[PlannedRow], branch_ids: set[int]) -> None:
    """Match rows to members by card number, then by email, in two queries for the whole list."""
    cards = {p.values["card_number"] for p in parsed if not p.reason and p.values.get("card_number")}
    emails = {p.values["email"] for p in parsed if not p.reason and p.values.get("email")}
    by_card = {m.card_number: m for m in Member.objects.filter(card_number__in=cards).select_related("unit")}
    by_email = {m.email.lower(): m for m in Member.objects.filter(email__in=emails).select_related("unit")}
    for planned in parsed:
        if planned.reason:
            continue
        member = by_card.get(planned.values["card_number"]) or by_email.get(planned.values["email"])
        if member is None:
            continue
        if member.unit_id not in branch_ids:
            planned.reason = _("This member is listed in another unit; only that unit or a transfer can change them.")
            continue
        planned.member = member
        for name, value in planned.values.items():
            if value in ("", None):
                continue  # an empty cell keeps what the portal has
            if getattr(member, name) != value:
                planned.changes[name] = (getattr(member, name), value)
        if planned.unit is not None and planned.unit.pk != member.unit_id:
            planned.reason = _("This member is in %(unit)s: move them with a transfer, not an import.") % {
                "unit": member.unit}


def safe_cell(value):
    """A cell a spreadsheet will never run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def member_rows(members):
    """The export in the import's own columns, so that a corrected export can be read again."""
    for member in members:
        yield [safe_cell(value) for value in (
            member.full_name,
            member.birth_date.strftime("%d/%m/%Y") if member.birth_date else "",
            {"male": "Nam", "female": "Nữ"}.get(member.gender, ""),
            member.card_number,
            member.joined_union_on.strftime("%d/%m/%Y") if member.joined_union_on else "",
            member.position,
            member.unit.code,
            member.phone,
            member.email,
        )]


def write_workbook(output, rows, *, title: str) -> None:
    """A write-only workbook with the heading row and the given rows (an empty one is the import template)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    heading = []
    for _name, label in COLUMNS:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    workbook.save(output)


def manageable_branches(user):
    from members.access import Action, policy

    return list(policy.units(user, Action.MANAGE_MEMBERS).filter(kind=UnitKind.BRANCH))
