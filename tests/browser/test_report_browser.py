"""thuongvu opens the dashboard, drafts the year-end report, edits a section, issues it, waits for the progress
bar, and downloads both files from the archive."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from members.demo import DEMO_PASSWORD, load_demo
from movements.demo import load_demo_year
from reports.models import ArchivedFile, ReportState, YearEndReport
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page):
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_year_end_report_from_dashboard_to_archive(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    load_demo_year()
    sign_in(page, "thuongvu", DEMO_PASSWORD)
    page.goto("/reports/")
    assert page.locator("svg.chart").count() == 4
    screenshot(page, "report-dashboard")
    _fits(page)
    page.get_by_role("button", name="Dự thảo báo cáo tổng kết năm").click()
    page.wait_for_url("**/reports/year-end/*/")
    report = YearEndReport.objects.get()
    page.fill("textarea[name=strengths]", "Đoàn viên tích cực đăng ký và thực hiện cam kết.\nNhiều công trình thanh niên.")
    page.fill("textarea[name=weaknesses]", "Một số chi đoàn còn chậm nộp minh chứng.")
    page.fill("textarea[name=causes]", "Đoàn viên trẻ bận trực, ít thời gian sinh hoạt.")
    page.fill("textarea[name=direction]", "Duy trì và nâng cao chất lượng phong trào năm tới.")
    page.fill("input[name=signer_name]", "Trần Thị Mỹ Hạnh")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(f"**/reports/year-end/{report.pk}/")
    screenshot(page, "report-year-end-form")
    _fits(page)
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Lưu và ban hành").click()
    page.wait_for_url("**/reports/jobs/*/")
    page.locator("#job-progress progress[value='100']").wait_for()
    screenshot(page, "report-job-done")
    _fits(page)
    report.refresh_from_db()
    assert report.state == ReportState.ISSUED and report.number == 1
    links = page.locator("#job-progress a[href*='/reports/archive/']")
    assert links.count() == 2
    downloads = []
    for index in range(2):
        with page.expect_download() as download:
            links.nth(index).click()
        downloads.append(download.value.path().read_bytes())
    pdf = next(content for content in downloads if content.startswith(b"%PDF"))
    workbook = next(content for content in downloads if content.startswith(b"PK"))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Số: 1-BC/ĐTN" in text and "Đoàn viên tích cực đăng ký" in text
    assert len(load_workbook(io.BytesIO(workbook)).sheetnames) == 9  # with the people's feedback
    page.goto("/reports/archive/")
    assert ArchivedFile.objects.count() == 2
    screenshot(page, "report-archive")
    _fits(page)
