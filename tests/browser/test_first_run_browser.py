"""A secretary new to the portal, on a phone and a desk: the home page shows the three first steps, the first
one leads to the member list, and the help page opens at the secretary's part."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_secretary_is_guided_through_the_first_steps(page, secretary):
    sign_in(page, "bithu", PASSWORD)
    guide = page.get_by_role("region", name="Bắt đầu với đơn vị của bạn")
    assert guide.get_by_text("Cần làm", exact=True).count() == 3
    screenshot(page, "first-run")

    guide.get_by_role("link", name="Mở danh sách đoàn viên").click()
    page.wait_for_url("**/members/")
    page.go_back()
    page.get_by_role("link", name="Hướng dẫn cho Bí thư").click()
    page.wait_for_url("**/help/#secretary")
    assert page.locator("#secretary").get_attribute("open") is not None
    assert page.locator("#committee").get_attribute("open") is None
    page.locator("#committee summary").click()  # a closed part opens with a click (or Enter)
    assert page.locator("#committee").get_attribute("open") is not None
    page.evaluate("window.scrollTo(0, 0)")  # a full-page picture from the top, the menu bar in its place
    screenshot(page, "help")
    assert page.csp_violations == []
