"""doanvien signs in for the first time on a phone, reads the notice on personal data and agrees, letting the portal
show her publicly; she appears on the honour board, downloads her data, withdraws that consent, and is gone from
the board."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import services
from campaigns.models import AwardKind, AwardLevel, AwardTitle
from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member, Unit
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page):
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_doanvien_agrees_downloads_her_data_and_withdraws_from_the_honour_board(page, tmp_path):
    load_demo()
    # The catalogue comes from a data migration, which an earlier transactional test's flush has emptied.
    title, _created = AwardTitle.objects.get_or_create(name="Thanh niên tiên tiến làm theo lời Bác", defaults={
        "kind": AwardKind.TITLE, "level": AwardLevel.GRASSROOTS, "for_collectives": False,
        "issuing_body": "Ban Chấp hành Đoàn cơ sở"})
    committee = get_user_model().objects.get(username="thuongvu")
    doanvien = Member.objects.get(user__username="doanvien")
    award = services.award_propose(actor=committee, proposing_unit=Unit.objects.get(code="bvndgd"), title=title,
                                   year=timezone.localdate().year, achievements="Tận tình", member=doanvien)
    services.award_move(actor=committee, award=award, name="decide", decision_number="9-QĐ/ĐTN",
                        decided_on=timezone.localdate(), issuing_body="BCH Đoàn Bệnh viện")
    services.award_publish(actor=committee, award=award, citation="Luôn ân cần với người bệnh.")
    page.goto("/honour/")
    assert doanvien.full_name not in page.content()  # published, but she has not agreed yet

    sign_in(page, "doanvien", DEMO_PASSWORD, agree_to_notice=False)
    page.wait_for_url("**/privacy/notice/**")
    assert page.get_by_role("heading", name="Dữ liệu cá nhân của bạn trên cổng thông tin").is_visible()
    _fits(page)
    screenshot(page, "privacy-notice")
    page.get_by_role("button", name="Tôi đồng ý và tiếp tục").click()
    assert page.locator("#id_agree").evaluate("element => element.classList.contains('is-invalid')")
    page.get_by_label("Tôi đã đọc thông báo", exact=False).check()
    page.get_by_label("Cho phép hiển thị công khai về tôi").check()
    page.get_by_role("button", name="Tôi đồng ý và tiếp tục").click()
    page.wait_for_url("**/")
    assert page.locator(".alert").filter(has_text="Dữ liệu của tôi").is_visible()
    page.goto("/honour/")
    assert doanvien.full_name in page.locator("main").inner_text()

    page.goto("/me/data/")
    _fits(page)
    screenshot(page, "my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về tệp JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["member"] == doanvien.full_name and data["sections"]["awards"]["rows"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về tệp Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_label("Cho phép hiển thị công khai về tôi").uncheck()
    page.get_by_role("button", name="Lưu sự đồng ý").click()
    page.wait_for_url("**/me/data/")
    assert page.get_by_text("Đã lưu sự đồng ý của bạn").is_visible()
    page.goto("/honour/")
    assert doanvien.full_name not in page.locator("main").inner_text()
    assert not Member.objects.get(pk=doanvien.pk).consents_to_public_display
