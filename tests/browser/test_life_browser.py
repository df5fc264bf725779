"""bithu, the secretary of the internal medicine branch, runs the member's life in the union from her phone and
her desk: she marks a member who turned 30 as come of age from the list, closes the record of one who moves to a
hospital outside the portal and prints the transfer note, and reads who opened the records of her branch."""

import pytest
from django.utils import timezone

from members.demo import DEMO_PASSWORD, load_demo
from members.models import AccessEntry, AccessKind, Member, MemberStatus
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page):
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_bithu_marks_coming_of_age_closes_a_move_out_and_prints_the_transfer_note(page):
    load_demo()
    today = timezone.localdate()
    branch_members = Member.objects.filter(unit__code="bvndgd-khoa-noi", status=MemberStatus.ACTIVE,
                                           user__isnull=True).order_by("pk")
    turning_30, moving = branch_members[0], branch_members[1]
    Member.objects.filter(pk=turning_30.pk).update(birth_date=today.replace(year=today.year - 30, day=1))
    Member.objects.filter(unit__code="bvndgd-khoa-noi").exclude(pk=turning_30.pk).update(
        birth_date=today.replace(year=today.year - 25, day=1))

    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/members/coming-of-age/")
    main = page.locator("main")
    assert turning_30.full_name in main.inner_text() and moving.full_name not in main.inner_text()
    _fits(page)
    screenshot(page, "coming-of-age")
    page.get_by_role("button", name="Ghi nhận trưởng thành Đoàn").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .alert-danger").first.is_visible()  # nobody ticked: said, not done
    page.locator(f"input[name=members][value='{turning_30.pk}']").check()
    page.get_by_role("button", name="Ghi nhận trưởng thành Đoàn").click()
    page.wait_for_load_state()
    assert Member.objects.get(pk=turning_30.pk).status == MemberStatus.MATURED
    assert turning_30.full_name not in page.locator("main").inner_text()

    page.goto(f"/members/{moving.pk}/")
    page.get_by_role("link", name="Kết thúc sinh hoạt").click()
    page.wait_for_url(f"**/members/{moving.pk}/close/")
    _fits(page)
    page.get_by_label("Chuyển sinh hoạt ra ngoài hệ thống").check()
    page.get_by_role("button", name="Lưu").click()  # a move names where to: refused at the field, nothing closed
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").first.is_visible()
    assert Member.objects.get(pk=moving.pk).status == MemberStatus.ACTIVE
    page.get_by_label("Nơi chuyển đến, hoặc lý do").fill("Đoàn Bệnh viện Chợ Rẫy")
    screenshot(page, "close-record")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/members/{moving.pk}/")
    closed = Member.objects.get(pk=moving.pk)
    assert (closed.status, closed.closing_note, closed.closed_on) == (MemberStatus.MOVED_OUT,
                                                                    "Đoàn Bệnh viện Chợ Rẫy", today)
    main = page.locator("main")
    assert "Chuyển sinh hoạt ra ngoài hệ thống" in main.inner_text()
    _fits(page)
    screenshot(page, "member-closed")
    note = page.get_by_role("link", name="Giấy giới thiệu sinh hoạt (PDF)")
    response = page.request.get(note.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.goto("/audit/access/")
    _fits(page)
    screenshot(page, "access-log")
    exports = page.locator("main").inner_text()
    assert "Giấy giới thiệu sinh hoạt Đoàn" in exports and closed.full_name in exports
    page.get_by_role("link", name="Lượt xem hồ sơ").click()
    page.wait_for_load_state()
    assert AccessEntry.objects.filter(member=closed, kind=AccessKind.PROFILE).exists()
    views = page.locator("main").inner_text()
    assert closed.full_name in views and "Nguyễn Hoàng Nam" in views
