"""thuongvu creates a campaign from the Youth Month template and launches it; bithu registers the branch and
reports progress; thuongvu approves, inspects, holds the interim and final reviews, and proposes and decides an
award for doanvien, which then shows on doanvien's page and on the public honour board."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import (
    Award,
    AwardKind,
    AwardLevel,
    AwardState,
    AwardTitle,
    Campaign,
    CampaignState,
    Registration,
    ReviewKind,
)
from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.timedelta(days=1)


def _as(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def _fits(page):
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _submit(page, form="main form[method=post]"):
    page.locator(form).last.locator("button[type=submit]").first.click()


def test_a_campaign_from_launch_to_award(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    # The catalogue comes from a data migration, which an earlier transactional test's flush has emptied.
    AwardTitle.objects.get_or_create(name="Thanh niên tiên tiến làm theo lời Bác", defaults={
        "kind": AwardKind.TITLE, "level": AwardLevel.GRASSROOTS, "for_collectives": False,
        "issuing_body": "Ban Chấp hành Đoàn cơ sở"})
    today = timezone.localdate()

    _as(page, "thuongvu")
    page.goto("/campaigns/new/")
    page.get_by_role("link", name="Tháng Thanh niên").click()
    page.wait_for_url("**/campaigns/new/?template=youth_month")
    # This year's campaign runs now: the committee moves the template's dates around today.
    page.fill("input[name=starts_on]", (today - 5 * DAY).isoformat())
    page.fill("input[name=ends_on]", (today + 25 * DAY).isoformat())
    page.fill("input[name=stages-0-starts_on]", (today - 5 * DAY).isoformat())
    page.fill("input[name=stages-0-ends_on]", today.isoformat())
    page.fill("input[name=stages-1-starts_on]", (today + DAY).isoformat())
    page.fill("input[name=stages-1-ends_on]", (today + 25 * DAY).isoformat())
    screenshot(page, "campaign-form")
    _fits(page)
    page.get_by_role("button", name="Lưu đợt thi đua").click()
    page.wait_for_url("**/campaigns/*/")
    campaign = Campaign.objects.get()
    assert campaign.template_key == "youth_month" and campaign.targets.count() == 4

    page.fill("input[name=endorsed_by]", "Đảng ủy và Ban Giám đốc Bệnh viện")
    page.click(f"form[action$='/campaigns/{campaign.pk}/endorse/'] button")
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    page.fill("input[name=launch_place]", "Hội trường A, Bệnh viện Nhân dân Gia Định")
    page.click(f"form[action$='/campaigns/{campaign.pk}/launch/'] button")
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.LAUNCHED

    _as(page, "bithu")
    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator(f"a[href$='/campaigns/{campaign.pk}/register/']").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/register/")
    for index, field in enumerate(page.locator("input[name^=target_]").all()):
        field.fill(str(10 * (index + 1)))
    page.fill("textarea[name=note]", "Chi đoàn Khoa Nội đăng ký 01 công trình thanh niên")
    screenshot(page, "campaign-register")
    _fits(page)
    page.click("button[name=submit]")
    page.wait_for_url("**/campaigns/registrations/*/")
    registration = Registration.objects.get()

    _as(page, "thuongvu")
    page.goto(f"/campaigns/registrations/{registration.pk}/")
    page.click(f"form[action$='/registrations/{registration.pk}/approve/'] button")
    page.wait_for_url(f"**/campaigns/registrations/{registration.pk}/")

    _as(page, "bithu")
    page.goto(f"/campaigns/registrations/{registration.pk}/progress/")
    for index, field in enumerate(page.locator("input[name^=target_]").all()):
        field.fill(str(12 * (index + 1)))
    page.fill("textarea[name=text]", "Ra quân khám bệnh miễn phí, hiến máu tại khoa")
    _submit(page, "main form.card")
    page.wait_for_url(f"**/campaigns/registrations/{registration.pk}/")
    screenshot(page, "campaign-registration")
    _fits(page)

    _as(page, "thuongvu")
    page.goto(f"/campaigns/{campaign.pk}/inspections/new/")
    page.select_option("select[name=registration]", str(registration.pk))
    page.fill("input[name=inspectors]", "Thường trực thi đua Đoàn Bệnh viện")
    page.fill("textarea[name=findings]", "Chi đoàn triển khai đúng kế hoạch, sổ theo dõi đầy đủ")
    _submit(page, "main form.card")
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    screenshot(page, "campaign-detail")
    _fits(page)
    first_stage = campaign.stages.get(number=1)
    page.goto(f"/campaigns/{campaign.pk}/reviews/new/?stage={first_stage.pk}")
    page.fill("input[name=small_award_" + str(registration.pk) + "]", "Giấy khen chặng 1")
    page.get_by_role("button", name="Sơ kết, tổng kết và chốt kết quả").click()
    page.wait_for_url("**/campaigns/reviews/*/")
    page.goto(f"/campaigns/{campaign.pk}/reviews/new/")
    page.select_option(f"select[name=outcome_{registration.pk}]", "proposed_higher")
    screenshot(page, "campaign-final-review-form")
    _fits(page)
    page.get_by_role("button", name="Sơ kết, tổng kết và chốt kết quả").click()
    page.wait_for_url("**/campaigns/reviews/*/")
    screenshot(page, "campaign-final-review")
    _fits(page)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REVIEWED
    assert list(campaign.reviews.values_list("kind", flat=True)) == [ReviewKind.INTERIM, ReviewKind.FINAL]
    page.goto(f"/campaigns/{campaign.pk}/leaderboard/")
    screenshot(page, "campaign-leaderboard")
    _fits(page)

    member = Member.objects.get(user__username="doanvien")
    page.goto(f"/members/{member.pk}/")
    page.get_by_role("link", name="Đề nghị khen thưởng").click()
    page.wait_for_url("**/awards/propose/?member=*")
    page.select_option("select[name=title]", label="Thanh niên tiên tiến làm theo lời Bác")
    page.fill("textarea[name=achievements]", "Hoàn thành xuất sắc nhiệm vụ; tích cực trong Tháng Thanh niên")
    _submit(page, "main form.card")
    page.wait_for_url("**/awards/*/")
    award = Award.objects.get()
    page.fill("input[name=decision_number]", "21-QĐ/ĐTN")
    page.click(f"form[action$='/awards/{award.pk}/decide/'] button")
    page.wait_for_url(f"**/awards/{award.pk}/")
    page.fill("textarea[name=citation]", "Điều dưỡng trẻ tận tụy, được người bệnh khen ngợi")
    page.click(f"form[action$='/awards/{award.pk}/publish/'] button")
    page.wait_for_url(f"**/awards/{award.pk}/")
    screenshot(page, "award")
    _fits(page)
    award.refresh_from_db()
    assert award.state == AwardState.DECIDED and award.is_published

    _as(page, "doanvien")
    page.goto("/me/")
    assert page.get_by_text("Thanh niên tiên tiến làm theo lời Bác").count() >= 1
    assert page.get_by_text("21-QĐ/ĐTN", exact=False).count() >= 1
    screenshot(page, "profile-awards")
    # She agrees to be shown publicly; without that the board leaves her out.
    page.goto("/me/data/")
    page.get_by_label("Cho phép hiển thị công khai về tôi").check()
    page.get_by_role("button", name="Lưu sự đồng ý").click()
    page.wait_for_url("**/me/data/")
    page.context.clear_cookies()
    page.goto("/honour/")
    assert page.get_by_text(member.full_name).count() == 1
    assert page.get_by_text("Điều dưỡng trẻ tận tụy, được người bệnh khen ngợi").count() == 1
    screenshot(page, "honour-board")
    _fits(page)
