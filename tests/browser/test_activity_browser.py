"""doanvien checks in to an activity by opening its QR link on a phone; bithu shows the QR code."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from members.demo import DEMO_PASSWORD, load_demo
from members.models import Unit
from movements import services
from movements.models import Attendance
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_checks_in_with_the_qr_link(page):
    load_demo()
    secretary = get_user_model().objects.get(username="bithu")
    activity = services.activity_create(actor=secretary, unit=Unit.objects.get(code="bvndgd-khoa-noi"),
                                        year=timezone.localdate().year, kind="seminar",
                                        title="Sinh hoạt chuyên đề an toàn người bệnh", starts_at=timezone.now(),
                                        place="Hội trường khoa")
    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto(f"/activities/{activity.pk}/qr/")
    assert page.locator("img.qr-code").evaluate("image => image.naturalWidth") > 0
    screenshot(page, "activity-qr")

    page.context.clear_cookies()
    page.goto(f"/a/{activity.checkin_token}/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Tên đăng nhập").fill("doanvien")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # Her first sign-in: the notice on personal data comes first, then the check-in she came for.
    page.wait_for_url("**/privacy/notice/**")
    page.locator("input[name=agree]").check()
    page.get_by_role("button", name="Tôi đồng ý và tiếp tục").click()
    page.wait_for_url(f"**/a/{activity.checkin_token}/")
    screenshot(page, "checkin")
    page.get_by_role("button", name="Tôi có mặt").click()
    page.wait_for_url("**/activities/mine/")
    assert Attendance.objects.filter(activity=activity, member__user__username="doanvien").exists()
    screenshot(page, "my-activities")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
