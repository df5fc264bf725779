"""A branch secretary finds a member, edits a field and sees the change in the history, on a phone and a desk."""

import pytest
from django.contrib.auth import get_user_model

from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_secretary_finds_and_edits_a_member_and_sees_the_audit_entry(page):
    load_demo()
    secretary = get_user_model().objects.get(username="bithu")
    member = Member.objects.filter(unit=secretary.member.unit, user__isnull=True).order_by("pk").first()
    given_name = member.full_name.rsplit(" ", 1)[-1]

    sign_in(page, "bithu", DEMO_PASSWORD)
    screenshot(page, "home-bithu")
    page.get_by_role("button", name="Đoàn viên", exact=True).first.click()
    page.wait_for_url("**/members/")
    page.get_by_label("Họ tên hoặc số thẻ đoàn").fill(member.full_name)
    page.wait_for_url("**/members/?q=*")  # htmx puts the filter in the address once the results are in
    results = page.locator("#member-results").inner_text()
    assert given_name in results
    assert all(other.full_name not in results for other in Member.objects.filter(unit=member.unit)
               .exclude(full_name=member.full_name))
    screenshot(page, "member-list")

    page.locator("#member-results").get_by_role("link", name=member.full_name).locator("visible=true").first.click()
    page.wait_for_url(f"**/members/{member.pk}/")
    page.get_by_role("link", name="Chỉnh sửa").click()
    page.get_by_label("Chức vụ").fill("Bác sĩ điều trị")
    screenshot(page, "member-edit")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(f"**/members/{member.pk}/")

    assert "Đã lưu các thay đổi" in page.locator(".alert").first.inner_text()
    history = page.locator("section[aria-labelledby=history-title]")
    assert "Bác sĩ điều trị" in history.inner_text()
    assert "Cập nhật" in history.inner_text() or "cập nhật" in history.inner_text()
    screenshot(page, "member-detail")
    member.refresh_from_db()
    assert member.position == "Bác sĩ điều trị"
    assert page.csp_violations == []
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_committee_browses_its_tree_and_switches_unit(page):
    load_demo()
    sign_in(page, "thuongvu", DEMO_PASSWORD)
    page.goto("/members/")
    assert "Chi đoàn Khoa Nội" in page.content()
    screenshot(page, "member-list-committee")
    page.goto("/audit/")
    screenshot(page, "audit-log")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_language_switch_turns_the_page_english(page):
    load_demo()
    sign_in(page, "doanvien", DEMO_PASSWORD)
    screenshot(page, "home-member")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Your units and roles").wait_for()
    page.goto("/me/")
    screenshot(page, "profile-english")
    assert page.csp_violations == []
