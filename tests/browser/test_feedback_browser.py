"""bithu creates a feedback point for a youth collective and prints its poster; a patient scans the poster's QR code
on a phone, rates the service, names the nurse who helped and leaves a mail address; bithu reads the opinion and
answers it by mail; the opinion shows in the nurse's evidence and in the collective's figures."""

import subprocess

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Feedback, FeedbackPoint
from members.demo import DEMO_PASSWORD, load_demo
from members.models import Member
from movements.demo import load_demo_year
from movements.models import APPROVED_STATES, Collective, CollectiveModel, Commitment
from tests.browser.conftest import VIEWPORTS, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page):
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _qr_codes(pdf_bytes, tmp_path) -> list[str]:
    import zxingcpp
    from PIL import Image

    (tmp_path / "poster.pdf").write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "poster.pdf"),
                    str(tmp_path / "poster")], check=True)
    return [result.text for result in zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))]


def test_a_patient_rates_a_collective_from_the_poster_and_bithu_answers(page, chromium, live_server, settings,
                                                                         tmp_path):
    settings.FEEDBACK_MIN_FILL_SECONDS = 1
    settings.PORTAL_URL = live_server.url
    load_demo()
    # The models of collectives come from a data migration, which an earlier transactional test's flush emptied.
    for name in ("Những người bạn của bệnh nhân", "Phòng khám thanh niên"):
        CollectiveModel.objects.get_or_create(name=name)
    load_demo_year()
    collective = Collective.objects.filter(unit__code="bvndgd-khoa-noi", year=timezone.localdate().year).first()
    nurse = (Commitment.objects.filter(member__unit__code="bvndgd-khoa-noi", state__in=APPROVED_STATES,
                                       movement_year__year=timezone.localdate().year)
             .select_related("member").first())
    # The nurse agreed, at her first sign-in, to be named in the people's feedback.
    Member.objects.filter(pk=nurse.member.pk).update(consents_to_feedback_naming=True)

    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/feedback/")
    screenshot(page, "feedback-points-empty")
    page.get_by_role("link", name="Điểm tiếp nhận ý kiến mới").click()
    page.select_option("select[name=kind]", "collective")
    page.select_option("select[name=collective]", str(collective.pk))
    page.fill("input[name=name]", "Những người bạn của bệnh nhân – Khoa Nội")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url("**/feedback/points/*/")
    point = FeedbackPoint.objects.get()
    assert point.collective == collective and point.questions.count() == 4
    _fits(page)
    screenshot(page, "feedback-point-new")

    poster = page.request.get(f"/feedback/points/{point.pk}/poster/")
    assert poster.headers["content-type"] == "application/pdf"
    [address] = _qr_codes(poster.body(), tmp_path)
    assert address == f"{live_server.url}/y-kien/{point.token}/"

    # The patient: no account, a phone.
    phone = chromium.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN")
    citizen = phone.new_page()
    citizen.viewport_name = "phone"
    violations = []
    citizen.on("console", lambda message: "Content Security Policy" in message.text
               and violations.append(message.text))
    citizen.goto(address)
    assert citizen.get_by_role("heading", name=point.name).is_visible()
    for index, question in enumerate(point.questions.all()):
        citizen.locator(f"label[for=id_q{question.pk}_{4 if index else 3}]").click()
    citizen.fill("input[name=served_by_name]", nurse.member.full_name)
    citizen.fill("textarea[name=comment]", "Các bạn trẻ đẩy xe lăn giúp mẹ tôi <rất> chu đáo.")
    citizen.fill("input[name=contact]", "con.nguoibenh@example.org")
    screenshot(citizen, "feedback-public")
    assert citizen.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    citizen.wait_for_timeout(1200)  # a person takes longer than the minimum fill time
    citizen.get_by_role("button", name="Gửi ý kiến").click()
    citizen.wait_for_url("**/cam-on/")
    assert "Cảm ơn" in citizen.content()
    screenshot(citizen, "feedback-thanks")
    assert violations == []
    phone.close()

    feedback = Feedback.objects.get()
    assert feedback.member == nurse.member and feedback.average is not None

    # bithu reads and answers it.
    page.goto("/")
    assert page.get_by_text("1 ý kiến của người dân đang chờ trả lời").is_visible()
    page.goto("/feedback/")
    page.get_by_role("link", name=point.name).click()
    page.get_by_role("link", name="Các bạn trẻ đẩy xe lăn", exact=False).click()
    page.wait_for_url(f"**/feedback/{feedback.pk}/")
    assert "&lt;rất&gt;" in page.content()
    assert page.get_by_text("con.nguoibenh@example.org").is_visible()
    mail.outbox.clear()  # the demo's own notifications
    page.fill("textarea[name=reply]", "Cảm ơn gia đình, chúc bác mau khỏe.")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.wait_for_url(f"**/feedback/{feedback.pk}/")
    assert page.get_by_text("Câu trả lời đã được gửi qua thư.").is_visible()
    _fits(page)
    screenshot(page, "feedback-answered")
    assert [message.to for message in mail.outbox] == [["con.nguoibenh@example.org"]]

    # It counts in the nurse's evidence and in the collective's figures.
    page.goto(f"/commitments/{nurse.pk}/")
    evidence = page.locator("section", has=page.get_by_role("heading", name="Ý kiến người dân", exact=False))
    assert "Các bạn trẻ đẩy xe lăn" in evidence.inner_text()
    _fits(page)
    page.goto(f"/collectives/{collective.pk}/")
    assert page.get_by_text("1 ý kiến của người dân").first.is_visible()
    screenshot(page, "feedback-collective")
    page.goto(f"/feedback/points/{point.pk}/")
    _fits(page)
    screenshot(page, "feedback-point")
