"""doanvien submits an initiative with a co-author on a phone; thuongvu has the council review it and
recognises it; doanvien sees the decision."""

import pytest
from django.utils import timezone

from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member
from movements.models import Initiative, InitiativeState
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_initiative_with_a_co_author_is_recognised(page):
    load_demo()
    me = Member.objects.get(user__username="doanvien")
    coauthor = Member.objects.filter(unit=me.unit, user__isnull=True).order_by("pk").first()

    sign_in(page, "doanvien", DEMO_PASSWORD)
    page.goto("/initiatives/new/")
    page.select_option("select[name=kind]", value="initiative")
    page.fill("input[name=title]", "Phiếu hẹn trả kết quả xét nghiệm bằng mã QR")
    page.fill("textarea[name=problem]", "Người bệnh phải quay lại khoa nhiều lần để hỏi kết quả.")
    page.fill("textarea[name=solution]", "In mã QR trên phiếu hẹn để tra cứu kết quả trực tuyến.")
    page.select_option("select[name=coauthors]", value=str(coauthor.pk))
    screenshot(page, "initiative-form")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/initiatives/*/")
    initiative = Initiative.objects.get()
    assert set(initiative.authors.all()) == {me, coauthor}

    page.context.clear_cookies()
    sign_in(page, "thuongvu", DEMO_PASSWORD)
    page.goto(f"/initiatives/{initiative.pk}/")
    page.fill("input[name=council]", "BS. Lê Văn An (chủ tịch), ThS. Trần Thị Bình")
    page.click(f"form[action$='/initiatives/{initiative.pk}/open_review/'] button")
    page.wait_for_url(f"**/initiatives/{initiative.pk}/")
    page.fill("input[name=reviewer]", "BS. Lê Văn An")
    page.fill("input[name=score]", "88")
    page.click(f"form[action$='/initiatives/{initiative.pk}/score/'] button")
    page.wait_for_url(f"**/initiatives/{initiative.pk}/")
    page.select_option("select[name=level]", value="grassroots")
    page.fill("input[name=decision_number]", "15-QĐ/ĐTN")
    page.fill("input[name=decision_date]", timezone.localdate().isoformat())
    page.click(f"form[action$='/initiatives/{initiative.pk}/recognise/'] button")
    page.wait_for_url(f"**/initiatives/{initiative.pk}/")
    initiative.refresh_from_db()
    assert (initiative.state, initiative.decision_number) == (InitiativeState.RECOGNISED, "15-QĐ/ĐTN")

    page.context.clear_cookies()
    sign_in(page, "doanvien", DEMO_PASSWORD)
    page.goto(f"/initiatives/{initiative.pk}/")
    assert "15-QĐ/ĐTN" in page.content()
    screenshot(page, "initiative-recognised")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
