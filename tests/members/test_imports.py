"""Member lists in and out of Excel: the usual headings in any order, a preview, an all-or-nothing import."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import Workbook, load_workbook

from members import audit
from members.imports import read_member_workbook
from members.models import AuditEntry, Member
from tests.conftest import client_for
from tests.factories import MemberFactory


def workbook(rows, *, title_rows=2):
    book = Workbook()
    sheet = book.active
    for index in range(title_rows):
        sheet.append([f"DANH SÁCH ĐOÀN VIÊN – dòng tiêu đề {index + 1}"])
    if title_rows:
        sheet.merge_cells("A1:F1")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


HEADINGS = ["STT", "Số thẻ đoàn", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Email"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_plan_reads_any_order_and_both_date_forms(secretary, tree, member_in_a):
    book = workbook([
        HEADINGS,
        [1, "7911111111", "Nguyễn Văn Mới", "05/03/1999", "Nam", "Bác sĩ", ""],
        [2, "7922222222", "Trần Thị Hai", datetime.datetime(2000, 1, 2), "Nữ", "Điều dưỡng", "hai@example.org"],
        [3, member_in_a.card_number, member_in_a.full_name, "", "", "Trưởng nhóm", ""],
        [4, "7933333333", "Ngày Sai", "31/02/1999", "Nam", "", ""],
        [5, "7911111111", "Trùng Thẻ", "", "", "", ""],
        [6, "", "", "", "", "", ""],
    ])
    plan = read_member_workbook(book, branches=[tree.branch_a], default_unit=tree.branch_a)
    assert [row.values["full_name"] for row in plan.to_add] == ["Nguyễn Văn Mới", "Trần Thị Hai"]
    assert plan.to_add[1].values["birth_date"] == datetime.date(2000, 1, 2)
    assert [row.member for row in plan.to_update] == [member_in_a]
    assert plan.to_update[0].changes == {"position": ("Điều dưỡng", "Trưởng nhóm")}
    assert {row.row_number: row.reason for row in plan.refused}.keys() == {7, 8}
    assert "31/02/1999" in plan.refused[0].reason and plan.refused[0].values["full_name"] == "Ngày Sai"
    assert not plan.can_apply


def test_a_member_of_another_unit_is_refused(secretary, tree, member_in_c):
    book = workbook([HEADINGS, [1, member_in_c.card_number, member_in_c.full_name, "", "", "", ""]])
    plan = read_member_workbook(book, branches=[tree.branch_a], default_unit=tree.branch_a)
    assert [row.row_number for row in plan.refused] == [4]
    assert plan.refused[0].reason and not plan.to_update


def test_a_file_without_headings_is_refused_clearly(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        read_member_workbook(workbook([["a", "b"], ["c", "d"]], title_rows=0), branches=[tree.branch_a],
                             default_unit=tree.branch_a)


def _upload(buffer, name="danh-sach.xlsx"):
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_preview_then_confirm_imports_everything_and_audits_the_counts(secretary, tree, member_in_a, media):
    client = client_for(secretary)
    book = workbook([HEADINGS, [1, "7944444444", "Lê Thị Mới", "01/01/2000", "Nữ", "Dược sĩ", ""],
                     [2, member_in_a.card_number, member_in_a.full_name, "", "", "Bác sĩ nội trú", ""]])
    preview = client.post(reverse("members:import"), {"workbook": _upload(book)})
    assert preview.status_code == 200 and preview.context["plan"].can_apply
    assert not Member.objects.filter(full_name="Lê Thị Mới").exists()
    # The preview is a list: card numbers are masked, changed fields are named in the reader's language.
    page = preview.content.decode()
    assert "7944444444" not in page and "79••••••44" in page
    with translation.override("vi"):
        label = capfirst(Member._meta.get_field("position").verbose_name)
    assert f"{label} <del>Điều dưỡng</del>" in page and "position <del>" not in page
    response = client.post(reverse("members:import_confirm"))
    assert response.status_code == 302
    assert Member.objects.get(full_name="Lê Thị Mới").unit == tree.branch_a
    member_in_a.refresh_from_db()
    assert member_in_a.position == "Bác sĩ nội trú"
    assert AuditEntry.objects.get(action=audit.MEMBERS_IMPORTED).after == {"added": 1, "updated": 1, "unchanged": 0}


def test_a_refused_row_means_nothing_is_imported(secretary, tree, media):
    client = client_for(secretary)
    book = workbook([HEADINGS, [1, "7955555555", "Người Tốt", "", "", "", ""],
                     [2, "7966666666", "Ngày Hỏng", "99/99/9999", "", "", ""]])
    client.post(reverse("members:import"), {"workbook": _upload(book)})
    client.post(reverse("members:import_confirm"))
    assert not Member.objects.filter(full_name="Người Tốt").exists()


def test_a_file_that_is_not_a_workbook_is_refused_at_the_field(secretary, media):
    response = client_for(secretary).post(reverse("members:import"), {
        "workbook": SimpleUploadedFile("ds.xlsx", b"Ho va ten,Ngay sinh\n", content_type="text/csv")})
    assert "workbook" in response.context["form"].errors


def test_the_export_reads_back_and_never_holds_a_formula(secretary, tree):
    MemberFactory(unit=tree.branch_a, full_name="=HYPERLINK(1)", position="+Bác sĩ")
    response = client_for(secretary).get(reverse("members:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Họ và tên", "Ngày sinh", "Giới tính")
    cells = [value for row in rows[1:] for value in row if isinstance(value, str)]
    assert not any(value.startswith(("=", "+", "-", "@")) for value in cells)
    plan = read_member_workbook(io.BytesIO(response.content), branches=[tree.branch_a], default_unit=tree.branch_a)
    assert not plan.refused


def test_the_export_follows_the_filters_and_the_scope(secretary, tree, member_in_a, member_in_c):
    response = client_for(secretary).get(reverse("members:export"), {"q": member_in_a.full_name})
    names = [row[0] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert names == [member_in_a.full_name]


DATA = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"


def test_a_real_looking_branch_list(tree):
    with open(DATA / "danh-sach-chi-doan.xlsx", "rb") as upload:
        plan = read_member_workbook(upload, branches=[tree.branch_a], default_unit=tree.branch_a)
    assert not plan.refused
    names = [row.values["full_name"] for row in plan.to_add]
    assert "Đỗ Thị Ngọc Hân" in names  # typed with combining marks, read as the precomposed name
    han = next(row for row in plan.to_add if row.values["card_number"] == "7912300002")
    assert (han.values["gender"], han.values["birth_date"], han.values["position"]) == (
        "female", datetime.date(1999, 8, 1), "Điều dưỡng")
    assert next(row for row in plan.to_add if row.values["full_name"] == "Trương Mỹ Linh").values[
        "birth_date"] == datetime.date(2000, 4, 3)


def test_a_list_with_two_bad_rows_names_exactly_them(tree):
    with open(DATA / "hai-dong-sai.xlsx", "rb") as upload:
        plan = read_member_workbook(upload, branches=[tree.branch_a], default_unit=tree.branch_a)
    assert [row.row_number for row in plan.refused] == [3, 4]


def test_re_importing_an_export_changes_nothing(secretary, tree):
    for _ in range(5):
        MemberFactory(unit=tree.branch_a, email="", phone="0909000001")
    exported = client_for(secretary).get(reverse("members:export")).content
    plan = read_member_workbook(io.BytesIO(exported), branches=[tree.branch_a], default_unit=tree.branch_a)
    assert (len(plan.to_add), len(plan.to_update), len(plan.refused)) == (0, 0, 0)
    assert plan.unchanged == Member.objects.filter(unit=tree.branch_a).count()


def test_a_zip_bomb_is_refused_before_it_is_read(tree):
    import zipfile

    from django.core.exceptions import ValidationError

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (201 * 1024 * 1024))
    buffer.seek(0)
    with pytest.raises(ValidationError):
        read_member_workbook(buffer, branches=[tree.branch_a], default_unit=tree.branch_a)


from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st  # noqa: E402

GOOD_DATE = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2008, 12, 31)).map(
    lambda day: day.strftime("%d/%m/%Y"))
BAD_DATE = st.sampled_from(["31/02/1999", "00/01/2000", "hôm qua", "12/13/1999", "+84 90"])
NAME = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẠẢÃàáạảãỏờớịụữỹ ", min_size=2, max_size=30).filter(
    lambda text: text.strip())


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(NAME, st.booleans()), min_size=1, max_size=12), data=st.data())
def test_generated_lists_refuse_exactly_the_bad_rows_and_write_nothing(rows, data, secretary, tree, settings,
                                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = Member.objects.count()
    sheet_rows = [["Họ và tên", "Ngày sinh"]]
    bad_rows = []
    for index, (name, is_bad) in enumerate(rows, start=2):
        sheet_rows.append([name, data.draw(BAD_DATE if is_bad else GOOD_DATE)])
        if is_bad:
            bad_rows.append(index)
    plan = read_member_workbook(workbook(sheet_rows, title_rows=0), branches=[tree.branch_a],
                                default_unit=tree.branch_a)
    assert [row.row_number for row in plan.refused] == bad_rows
    client = client_for(secretary)
    client.post(reverse("members:import"), {"workbook": _upload(workbook(sheet_rows, title_rows=0))})
    client.post(reverse("members:import_confirm"))
    if bad_rows:
        assert Member.objects.count() == before


def test_a_long_list_is_imported_in_the_background_with_progress(secretary, tree, settings, media):
    settings.MEMBER_IMPORT_BACKGROUND_ROWS = 2
    client = client_for(secretary)
    rows = [HEADINGS] + [[index, f"79888{index:05d}", f"Người Thứ {index}", "01/01/2000", "Nam", "", ""]
                         for index in range(1, 6)]
    client.post(reverse("members:import"), {"workbook": _upload(workbook(rows))})
    response = client.post(reverse("members:import_confirm"))
    from members.models import MemberImport

    job = MemberImport.objects.get()
    assert response["Location"] == reverse("members:import_job", args=[job.pk])
    assert (job.state, job.result, job.percent) == ("done", {"added": 5, "updated": 0, "unchanged": 0}, 100)
    assert Member.objects.filter(card_number__startswith="79888").count() == 5
    page = client.get(reverse("members:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in page.content  # a finished job stops asking
    assert client_for(None).get(reverse("members:import_job", args=[job.pk])).status_code == 302


def test_someone_elses_import_is_not_found(secretary, sibling_secretary, tree, settings, media):
    from members.models import MemberImport

    job = MemberImport.objects.create(created_by=secretary, unit=tree.branch_a, path="imports/x.xlsx", total_rows=9)
    assert client_for(sibling_secretary).get(reverse("members:import_job", args=[job.pk])).status_code == 404


def test_the_preview_masks_birth_dates_and_the_card_numbers_of_refused_rows(secretary, tree, member_in_a, media):
    book = workbook([HEADINGS, [1, member_in_a.card_number, member_in_a.full_name, "03/04/1997", "", "", ""],
                     [2, "7977777777", "Người Một", "", "", "", ""], [3, "7977777777", "Người Hai", "", "", "", ""]])
    page = client_for(secretary).post(reverse("members:import"), {"workbook": _upload(book)}).content.decode()
    assert "03/04/1997" not in page and "••/••/1997" in page
    assert "7977777777" not in page and "79••••••77" in page
