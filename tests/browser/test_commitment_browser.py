"""A member registers a commitment on a phone; the secretary returns one pledge; the member fixes it; approved."""

import pytest
from django.utils import timezone

from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member, Unit
from movements import services
from movements.models import Commitment, CommitmentState, Criterion
from tests.browser.conftest import screenshot, sign_in
from tests.movements.helpers import year_dates

pytestmark = pytest.mark.django_db(transaction=True)


def _open_year():
    from django.contrib.auth import get_user_model

    today = timezone.localdate()
    admin = get_user_model().objects.get(username="admin")
    year = services.year_open(actor=admin, unit=Unit.objects.get(code="doan-so-y-te"), year=today.year,
                              **year_dates(today))
    return services.year_publish(actor=admin, movement_year=year)


def _fill_pledge(page, index, criterion, text, value, unit):
    prefix = f"pledges-{index}"
    page.select_option(f"select[name={prefix}-criterion]", value=str(criterion.pk))
    page.fill(f"textarea[name={prefix}-text]", text)
    page.select_option(f"select[name={prefix}-target_kind]", value="number")
    page.fill(f"input[name={prefix}-target_value]", str(value))
    page.fill(f"input[name={prefix}-target_unit]", unit)
    page.fill(f"input[name={prefix}-due_date]", f"{timezone.localdate().year}-12-15")


def test_register_return_fix_and_approve(page):
    load_demo()
    year = _open_year()
    criteria = {r: Criterion.objects.filter(movement_year=year, responsibility=r, applies_to__in=["both", "health"])
                .first() for r in ("work", "people", "self")}

    sign_in(page, "doanvien", DEMO_PASSWORD)
    page.goto("/commitment/")
    _fill_pledge(page, 0, criteria["work"], "Hoàn thành đúng hạn hồ sơ bệnh án", 100, "%")
    _fill_pledge(page, 1, criteria["people"], "Trực bàn hướng dẫn người bệnh", 4, "buổi")
    _fill_pledge(page, 2, criteria["self"], "Học tiếng Anh", 1, "khóa")
    screenshot(page, "commitment-form")
    page.click("button[name=submit]")
    page.wait_for_url("**/commitment/")
    commitment = Commitment.objects.get(member__user__username="doanvien")
    assert commitment.state == CommitmentState.SUBMITTED
    screenshot(page, "commitment-submitted")
    assert page.csp_violations == []

    page.context.clear_cookies()
    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/commitments/?state=submitted")
    page.get_by_role("link", name=Member.objects.get(user__username="doanvien").full_name).click()
    pledge = commitment.pledges.get(criterion=criteria["self"])
    page.fill(f"textarea[name=pledge_{pledge.pk}]", "Ghi rõ trình độ cần đạt (B1?)")
    screenshot(page, "commitment-review")
    page.click(f"form[action$='/commitments/{commitment.pk}/return/'] button[type=submit]")
    page.wait_for_url("**/commitments/?state=submitted")
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.RETURNED

    page.context.clear_cookies()
    sign_in(page, "doanvien", DEMO_PASSWORD)
    page.goto("/commitment/")
    assert "Ghi rõ trình độ cần đạt (B1?)" in page.content()
    index = next(i for i in range(3) if page.input_value(f"textarea[name=pledges-{i}-text]") == "Học tiếng Anh")
    page.fill(f"textarea[name=pledges-{index}-text]", "Đạt chứng chỉ tiếng Anh B1")
    page.click("button[name=submit]")
    page.wait_for_url("**/commitment/")
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.SUBMITTED
    assert commitment.pledges.filter(text="Đạt chứng chỉ tiếng Anh B1").exists()

    page.context.clear_cookies()
    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto(f"/commitments/{commitment.pk}/")
    page.click(f"form[action$='/commitments/{commitment.pk}/approve/'] button[type=submit]")
    page.wait_for_url("**/commitments/?state=submitted")
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.APPROVED
    page.goto("/commitments/?state=approved")
    screenshot(page, "commitments-approved")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_committee_opens_and_publishes_a_year(page):
    load_demo()
    sign_in(page, "thuongvu", DEMO_PASSWORD)
    page.goto("/years/new/")
    today = timezone.localdate()
    for name, value in year_dates(today).items():
        page.fill(f"input[name={name}]", value.isoformat())
    page.fill("input[name=year]", str(today.year + 1))
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/years/*/")
    screenshot(page, "year-draft")
    page.click("form[action$='/publish/'] button[type=submit]")
    page.wait_for_url("**/years/*/")
    assert Unit.objects.get(code="bvndgd").movement_years.get().state == "open"
    assert page.csp_violations == []




def test_evidence_with_a_pdf_is_verified_and_the_scorecard_moves(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.contrib.auth import get_user_model

    from tests.movements.helpers import pledge_values

    load_demo()
    year = _open_year()
    users = get_user_model().objects
    member, secretary = users.get(username="doanvien"), users.get(username="bithu")
    commitment = services.commitment_save(actor=member, movement_year=year, pledges=pledge_values(year))
    services.commitment_submit(actor=member, commitment=commitment)
    services.commitment_approve(actor=secretary, commitment=commitment)
    pledge = commitment.pledges.order_by("id").first()
    document = tmp_path / "bien-ban-truc.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    sign_in(page, "doanvien", DEMO_PASSWORD)
    page.goto(f"/pledges/{pledge.pk}/evidence/")
    page.fill("textarea[name=description]", "Trực tiếp nhận hồ sơ 5 buổi sáng thứ bảy")
    page.fill("input[name=value_reached]", "5")
    page.set_input_files("input[name=files]", str(document))
    screenshot(page, "evidence-form")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/commitment/")
    assert "bien-ban-truc.pdf" in page.content()

    page.context.clear_cookies()
    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/evidence/")
    page.click("form[action$='/verify/'] button[type=submit]")
    page.wait_for_url("**/evidence/")
    assert commitment.pledges.get(pk=pledge.pk).evidence.get().state == "verified"

    page.context.clear_cookies()
    sign_in(page, "doanvien", DEMO_PASSWORD)
    page.goto("/commitment/")
    # 5 of the 10 pledged: the pledge's bar is half full.
    assert page.locator("progress.score-sm").first.get_attribute("value") == "50"
    screenshot(page, "scorecard")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_secretary_approves_several_at_once_and_the_lists_follow(page):
    """The rows are kept per reader (reports/templatetags/fragment_cache.py) and the form's token stands outside
    them: ticking and approving works, and each tab shows the change at once."""
    from tests.conftest import seed_demo

    seed_demo()
    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/commitments/?state=approved")
    approved_before = page.locator("main .list-group-item").count()
    page.goto("/commitments/?state=submitted")
    boxes = page.locator("input[name=commitment]")
    waiting = boxes.count()
    assert waiting >= 2
    chosen = [int(boxes.nth(index).get_attribute("value")) for index in range(2)]
    for index in range(2):
        boxes.nth(index).check()
    page.get_by_role("button", name="Duyệt các bản đăng ký đã chọn").click()
    page.wait_for_load_state()
    assert set(Commitment.objects.filter(pk__in=chosen).values_list("state", flat=True)) == {
        CommitmentState.APPROVED}
    assert page.locator("input[name=commitment]").count() == waiting - 2
    page.goto("/commitments/?state=approved")
    assert page.locator("main .list-group-item").count() == approved_before + 2
    assert page.csp_violations == []
