"""bithu uploads a list with two bad rows, reads the preview, fixes the file, imports it, prints the activation
sheet; a new member then activates their account on a phone."""

import pytest
from openpyxl import Workbook

from members.activation import activation_link
from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH BỔ SUNG"])
    sheet.append(["Họ và tên", "Ngày sinh", "Số thẻ đoàn", "Chức vụ"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_import_fix_confirm_print_and_activate(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    rows = [["Kiều Thị Mới", "02/02/2001", "7917700001", "Điều dưỡng"],
            ["Tạ Văn Hai", "30/02/2000", "7917700002", "Bác sĩ"],
            ["", "01/01/2000", "7917700003", ""]]
    _workbook(bad, rows)
    _workbook(good, [rows[0], ["Tạ Văn Hai", "28/02/2000", "7917700002", "Bác sĩ"]])

    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/members/import/")
    page.set_input_files("input[name=workbook]", str(bad))
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table tbody tr").count() == 2
    assert page.locator("form[action$='/members/import/confirm/']").count() == 0
    screenshot(page, "import-refused")

    page.set_input_files("input[name=workbook]", str(good))
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()
    page.click("form[action$='/members/import/confirm/'] button")
    page.wait_for_url("**/members/")
    new = Member.objects.get(card_number="7917700001")
    assert new.unit.code == "bvndgd-khoa-noi"

    page.goto("/members/accounts/")
    page.check(f"input[name=member][value='{new.pk}']")
    with page.expect_download() as download:
        page.click("button[name=send][value=sheet]")
    sheet = tmp_path / "sheet.pdf"
    download.value.save_as(sheet)
    assert sheet.read_bytes().startswith(b"%PDF")
    new.refresh_from_db()

    page.context.clear_cookies()
    page.goto("/" + activation_link(new.user).split("://", 1)[1].split("/", 1)[1])
    page.fill("input[name=new_password1]", "Mat-khau-rieng-2026")
    page.fill("input[name=new_password2]", "Mat-khau-rieng-2026")
    screenshot(page, "activate-account")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    new.user.refresh_from_db()
    assert new.user.check_password("Mat-khau-rieng-2026")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


