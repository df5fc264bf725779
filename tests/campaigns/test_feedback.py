"""The people's feedback: the public page and its limits, and what the unit does with what it receives."""

import datetime
import subprocess
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import Feedback, FeedbackPointKind, FeedbackQuestion, FeedbackState
from members.models import AuditEntry, Member
from movements.models import Collective, CollectiveModel
from reports.figures import unit_figures
from tests.conftest import client_for

QUESTIONS = ["Thái độ phục vụ", "Lắng nghe người bệnh", "Giải thích rõ ràng", "Kịp thời"]


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    # The minimum fill time is tested on its own; elsewhere a test client posts at once.
    settings.FEEDBACK_MIN_FILL_SECONDS = 0


def make_point(actor, unit, **fields):
    values = {"kind": FeedbackPointKind.DESK, "name": "Bàn hướng dẫn – Khoa Nội", "questions": QUESTIONS,
              "invitation": "Ý kiến của bạn giúp chúng tôi phục vụ tốt hơn.", **fields}
    return services.point_create(actor=actor, unit=unit, **values)


@pytest.fixture
def point(secretary, tree):
    return make_point(secretary, tree.branch_a)


@pytest.fixture
def named_member(member_user):
    """doanvien, who agreed to be named in the people's feedback."""
    Member.objects.filter(user=member_user).update(consents_to_feedback_naming=True)
    return Member.objects.get(user=member_user)


def ratings(point, *scores):
    return {question.pk: score for question, score in zip(point.questions.filter(is_active=True), scores)}


def public_form_data(point, client, **fields):
    """What a person's browser sends: the page's own hidden fields, and the ratings chosen."""
    page = client.get(reverse("campaigns:feedback_public", args=[point.token]))
    started = page.context["form"]["started"].value()
    data = {"started": started, "homepage": "", "served_by_name": "", "comment": "", "contact": ""}
    data.update({f"q{question.pk}": "4" for question in point.questions.filter(is_active=True)})
    data.update(fields)
    return data


def post_public(point, client=None, **fields):
    client = client or client_for(None)
    return client.post(reverse("campaigns:feedback_public", args=[point.token]), public_form_data(point, client,
                                                                                                   **fields))


# The public page

def test_a_citizen_sends_an_opinion_and_it_names_the_member_who_served(point, named_member):
    response = post_public(point, served_by_name="  võ thị  THU HÀ ", comment="Rất tận tình",
                           contact="an@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:feedback_thanks", args=[point.token])
    feedback = Feedback.objects.get()
    assert (feedback.comment, feedback.contact, str(feedback.average)) == ("Rất tận tình", "an@example.org", "4.00")
    assert feedback.member == named_member
    assert sorted(feedback.ratings.values_list("score", flat=True)) == [4, 4, 4, 4]
    entry = AuditEntry.objects.get(action="feedback.received")
    assert entry.unit == point.unit and entry.actor is None


def test_a_member_who_has_not_agreed_is_never_named(point, member_user, secretary):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 5), served_by_name="Võ Thị Thu Hà")
    assert feedback.member is None
    with pytest.raises(ValidationError):
        services.feedback_attribute(actor=secretary, feedback=feedback, member=member_user.member)
    assert member_user.member not in selectors.feedback_member_choices(secretary, point)


def test_the_public_page_shows_the_points_name_and_questions_and_nothing_else(point, tree, named_member):
    services.feedback_submit(point=point, scores=ratings(point, 5), comment="Bí mật nội bộ",
                             contact="0903123456", served_by_name="Võ Thị Thu Hà")
    page = client_for(None).get(reverse("campaigns:feedback_public", args=[point.token]))
    text = page.content.decode()
    assert page.status_code == 200
    assert point.name in text and all(question in text for question in QUESTIONS)
    for secret in ("Bí mật nội bộ", "0903123456", "Thu Hà", tree.branch_a.name, tree.g1.name):
        assert secret not in text
    assert "<script" not in text  # the public page runs no script at all


def test_an_unknown_token_is_not_found(db):
    assert client_for(None).get(reverse("campaigns:feedback_public", args=["nope"])).status_code == 404


def test_the_honeypot_refuses_politely_and_writes_nothing(point):
    response = post_public(point, homepage="http://spam.example", comment="Mua ngay")
    assert response.status_code == 400
    assert response.context["refusal"]
    assert not Feedback.objects.exists()


def test_a_form_sent_faster_than_a_person_fills_it_is_refused_and_keeps_what_was_typed(point, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 60
    response = post_public(point, comment="Chờ lâu quá")
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    assert "Chờ lâu quá" in response.content.decode()
    assert response.context["refusal"]


def test_a_forged_start_time_is_refused(point):
    client = client_for(None)
    data = public_form_data(point, client, comment="Ý kiến", started="12345")
    response = client.post(reverse("campaigns:feedback_public", args=[point.token]), data)
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_an_opinion_needs_a_rating_or_a_comment(point):
    data = {f"q{question.pk}": "" for question in point.questions.all()}
    response = post_public(point, **data)
    assert response.status_code == 400 and not Feedback.objects.exists()


@pytest.mark.parametrize("contact", ["không có", "12", "a@b", "=HYPERLINK(1)"])
def test_a_contact_that_is_neither_mail_nor_phone_is_refused_at_its_field(point, contact):
    response = post_public(point, comment="Góp ý", contact=contact)
    assert response.status_code == 400
    assert response.context["form"].errors["contact"]
    assert not Feedback.objects.exists()
    assert "Góp ý" in response.content.decode()


def test_a_rating_outside_1_to_5_is_refused(point):
    question = point.questions.first()
    response = post_public(point, **{f"q{question.pk}": "9"})
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_posts_from_one_address_stop_at_the_limit(point, settings):
    settings.FEEDBACK_LIMIT_PER_ADDRESS = 3
    client = client_for(None)
    statuses = [post_public(point, client, comment=f"Ý kiến {n}").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3
    refused = post_public(point, client, comment="Lần nữa")
    assert refused.context["refusal"] and "Lần nữa" in refused.content.decode()


def test_posts_to_one_point_stop_at_the_limit_whatever_the_address(point, settings, secretary, tree):
    settings.FEEDBACK_LIMIT_PER_POINT = 2
    other = make_point(secretary, tree.branch_a, name="Phòng khám thanh niên")
    statuses = []
    for n in range(4):
        client = client_for(None)
        client.defaults["REMOTE_ADDR"] = f"198.51.100.{n}"
        statuses.append(post_public(point, client, comment=f"Ý kiến {n}").status_code)
    assert statuses == [302, 302, 429, 429]
    assert post_public(other).status_code == 302  # another point keeps its own count


def test_a_flood_changes_nothing_beyond_the_limits(point, settings):
    settings.FEEDBACK_LIMIT_PER_ADDRESS, settings.FEEDBACK_LIMIT_PER_POINT = 5, 8
    for n in range(40):
        try:
            services.feedback_submit(point=point, scores=ratings(point, 1), comment=f"spam {n}",
                                     sender_address=f"192.0.2.{n % 3}")
        except services.FeedbackRefused:
            pass
    assert Feedback.objects.count() == 8


def test_the_limit_counts_the_posts_of_the_past_window(point, settings):
    settings.FEEDBACK_LIMIT_PER_ADDRESS = 2
    settings.FEEDBACK_LIMIT_WINDOW = datetime.timedelta(hours=1)

    def send():
        try:
            services.feedback_submit(point=point, scores=ratings(point, 4), sender_address="192.0.2.9")
        except services.FeedbackRefused:
            return "refused"
        return "taken"

    def age_posts_by(minutes):
        Feedback.objects.update(created_at=F("created_at") - datetime.timedelta(minutes=minutes))

    assert [send(), send(), send()] == ["taken", "taken", "refused"]
    age_posts_by(59)  # a quiet spell within the window resets nothing
    assert send() == "refused"
    age_posts_by(2)  # the posts are now older than the window
    assert [send(), send(), send()] == ["taken", "taken", "refused"]


def test_the_counts_survive_a_cache_that_forgets(point, settings):
    from django.core.cache import cache

    settings.FEEDBACK_LIMIT_PER_ADDRESS = 1
    services.feedback_submit(point=point, scores=ratings(point, 4), sender_address="192.0.2.9")
    cache.clear()
    with pytest.raises(services.FeedbackRefused):
        services.feedback_submit(point=point, scores=ratings(point, 4), sender_address="192.0.2.9")


def test_an_ipv6_household_counts_as_one_sender():
    assert services.feedback.sender_hash("2001:db8:1:2::1") == services.feedback.sender_hash("2001:db8:1:2:ffff::9")
    assert services.feedback.sender_hash("2001:db8:1:2::1") != services.feedback.sender_hash("2001:db8:1:3::1")
    assert services.feedback.sender_hash("192.0.2.1") != services.feedback.sender_hash("192.0.2.2")


def test_a_form_served_for_another_point_is_refused(point, secretary, tree):
    other = make_point(secretary, tree.branch_a, name="Phòng khám thanh niên")
    client = client_for(None)
    data = public_form_data(other, client, comment="Ý kiến")
    data.update({f"q{question.pk}": "4" for question in point.questions.all()})
    response = client.post(reverse("campaigns:feedback_public", args=[point.token]), data)
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_a_phone_that_refuses_cookies_can_still_send(point):
    client = Client(enforce_csrf_checks=True)
    data = public_form_data(point, client, comment="Không có cookie")
    client.cookies.clear()
    assert client.post(reverse("campaigns:feedback_public", args=[point.token]), data).status_code == 302


def test_the_limits_read_the_client_address_behind_the_proxy(point, settings):
    settings.FEEDBACK_LIMIT_PER_ADDRESS, settings.TRUSTED_PROXY_COUNT = 1, 1
    first, second = client_for(None), client_for(None)
    first.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    second.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.8"
    assert post_public(point, first).status_code == 302
    assert post_public(point, second).status_code == 302
    assert post_public(point, first).status_code == 429


def test_a_closed_point_takes_no_opinion(point, secretary):
    services.point_set_open(actor=secretary, point=point, is_open=False)
    page = client_for(None).get(reverse("campaigns:feedback_public", args=[point.token]))
    assert point.name in page.content.decode() and "<form" not in page.content.decode()
    with pytest.raises(ValidationError):
        services.feedback_submit(point=point, scores=ratings(point, 5))
    assert AuditEntry.objects.filter(action="feedback.point_closed").count() == 1


# What the unit does with it

def test_an_answer_is_mailed_to_the_contact_and_audited(point, secretary, django_capture_on_commit_callbacks):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 2), comment="Chờ lâu",
                                        contact="an@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("campaigns:feedback_reply", args=[feedback.pk]),
                                              {"reply": "Cảm ơn, chúng tôi đã bố trí thêm người."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.replied_by == secretary and feedback.reply_mailed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.org"]
    assert "bố trí thêm người" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="feedback.replied", target_id=str(feedback.pk)).exists()
    with pytest.raises(ValidationError):
        services.feedback_reply(actor=secretary, feedback=feedback, text="Lần hai")


def test_an_answer_the_mail_server_refuses_is_kept_and_not_called_mailed(point, secretary,
                                                                         django_capture_on_commit_callbacks):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 2), comment="Chờ lâu",
                                        contact="an@example.org")
    with mock.patch("campaigns.services.feedback.send_mail", side_effect=OSError("no route")), \
            django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("campaigns:feedback_reply", args=[feedback.pk]),
                                              {"reply": "Cảm ơn"}, follow=True)
    feedback.refresh_from_db()
    assert feedback.replied_at and not feedback.reply_mailed
    assert [str(message) for message in response.context["messages"]] != []


def test_an_answer_to_a_phone_contact_is_kept_not_mailed(point, secretary, django_capture_on_commit_callbacks):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 3), comment="Góp ý",
                                        contact="0903 123 456")
    with django_capture_on_commit_callbacks(execute=True):
        feedback = services.feedback_reply(actor=secretary, feedback=feedback, text="Đã gọi điện trao đổi.")
    assert not feedback.reply_mailed and mail.outbox == []


def test_an_empty_answer_is_refused_at_its_field(point, secretary):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 3), comment="Góp ý")
    response = client_for(secretary).post(reverse("campaigns:feedback_reply", args=[feedback.pk]), {"reply": "  "})
    assert response.status_code == 400 and response.context["reply_form"].errors["reply"]
    feedback.refresh_from_db()
    assert feedback.replied_at is None


def test_an_abusive_opinion_is_hidden_with_a_reason_kept_and_shown_again(point, secretary):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 1), comment="Lời lẽ xúc phạm")
    client = client_for(secretary)
    refused = client.post(reverse("campaigns:feedback_move", args=[feedback.pk, "hide"]), {"reason": ""})
    assert refused.status_code == 400
    feedback.refresh_from_db()
    assert feedback.state == FeedbackState.SHOWN
    assert client.post(reverse("campaigns:feedback_move", args=[feedback.pk, "hide"]),
                       {"reason": "Xúc phạm"}).status_code == 302
    feedback.refresh_from_db()
    assert (feedback.state, feedback.hidden_reason, feedback.hidden_by) == (FeedbackState.HIDDEN, "Xúc phạm",
                                                                           secretary)
    assert selectors.feedback_summary(Feedback.objects.all())["count"] == 0
    assert AuditEntry.objects.get(action="feedback.hidden").note == "Xúc phạm"
    services.feedback_move(actor=secretary, feedback=feedback, name="show")
    assert Feedback.objects.get().state == FeedbackState.SHOWN
    assert AuditEntry.objects.filter(action="feedback.shown").count() == 1


def test_hiding_twice_is_refused_and_changes_nothing(point, secretary):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 1), comment="x")
    services.feedback_move(actor=secretary, feedback=feedback, name="hide", reason="Quảng cáo")
    with pytest.raises(ValidationError):
        services.feedback_move(actor=secretary, feedback=feedback, name="hide", reason="Lần nữa")
    assert Feedback.objects.get().hidden_reason == "Quảng cáo"


def test_an_opinion_is_attributed_only_to_a_member_of_the_points_unit(point, secretary, member_in_a, member_in_c):
    Member.objects.filter(pk__in=[member_in_a.pk, member_in_c.pk]).update(consents_to_feedback_naming=True)
    member_in_a.refresh_from_db()
    member_in_c.refresh_from_db()
    feedback = services.feedback_submit(point=point, scores=ratings(point, 5), served_by_name="Khoa")
    assert feedback.member is None
    with pytest.raises(ValidationError):
        services.feedback_attribute(actor=secretary, feedback=feedback, member=member_in_c)
    services.feedback_attribute(actor=secretary, feedback=feedback, member=member_in_a)
    assert Feedback.objects.get().member == member_in_a
    assert AuditEntry.objects.get(action="feedback.attributed").after == {"member": str(member_in_a)}


def test_a_sibling_branch_may_not_act_on_the_opinion(point, sibling_secretary):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 5), comment="Tốt")
    with pytest.raises(PermissionDenied):
        services.feedback_reply(actor=sibling_secretary, feedback=feedback, text="Không phải việc của tôi")
    assert Feedback.objects.get().replied_at is None


def test_comments_are_escaped_everywhere(point, secretary):
    feedback = services.feedback_submit(point=point, scores=ratings(point, 5),
                                        comment='<script>alert("x")</script><b>đậm</b>',
                                        served_by_name="<img src=x onerror=alert(1)>")
    client = client_for(secretary)
    for url in (reverse("campaigns:feedback", args=[feedback.pk]),
                reverse("campaigns:feedback_point", args=[point.pk])):
        text = client.get(url).content.decode()
        assert "<script>alert" not in text and "<b>đậm</b>" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text


def test_changing_the_questions_keeps_the_answered_ones_with_their_ratings(point, secretary):
    first, second, *_rest = point.questions.all()
    services.feedback_submit(point=point, scores={first.pk: 5}, comment="")
    services.point_update(actor=secretary, point=point, name=point.name, invitation=point.invitation,
                          questions=["Thời gian chờ", first.text])
    assert not FeedbackQuestion.objects.filter(pk=second.pk).exists()  # never answered: removed
    assert list(point.questions.filter(is_active=True).values_list("text", flat=True)) == ["Thời gian chờ",
                                                                                           first.text]
    services.point_update(actor=secretary, point=point, name=point.name, invitation=point.invitation,
                          questions=["Thời gian chờ"])
    first.refresh_from_db()
    assert not first.is_active and first.ratings.count() == 1
    assert AuditEntry.objects.filter(action="feedback.point_updated").count() == 2


@pytest.mark.parametrize("questions", [[], ["   "], [f"Câu {n}" for n in range(7)], ["x" * 151]])
def test_a_point_needs_between_one_and_six_short_questions(secretary, tree, questions):
    with pytest.raises(ValidationError) as refused:
        make_point(secretary, tree.branch_a, questions=questions)
    assert "questions" in refused.value.message_dict


def test_a_points_name_is_one_line(secretary, tree):
    point = make_point(secretary, tree.branch_a, name="Bàn hướng dẫn\r\nBcc: x@example.org")
    assert point.name == "Bàn hướng dẫn Bcc: x@example.org"


def test_a_collective_point_names_a_collective_under_the_unit(secretary, tree):
    collective_in_b = Collective.objects.create(unit=tree.branch_b, year=2026, model=CollectiveModel.objects.first(),
                                                name="Tổ tư vấn", commitments="Cam kết")
    with pytest.raises(ValidationError):
        make_point(secretary, tree.branch_a, kind=FeedbackPointKind.COLLECTIVE, collective=collective_in_b)


# Where the opinions count

def test_opinions_naming_a_member_show_in_their_evidence_for_the_evaluation(point, member_user, named_member,
                                                                           secretary):
    services.feedback_submit(point=point, scores=ratings(point, 5, 5, 4, 4), served_by_name="Võ Thị Thu Hà",
                             comment="Rất tận tình")
    hidden = services.feedback_submit(point=point, scores=ratings(point, 1), served_by_name="Võ Thị Thu Hà",
                                      comment="Spam")
    Feedback.objects.filter(pk=hidden.pk).update(state=FeedbackState.HIDDEN)
    year = timezone.localdate().year
    evidence = selectors.member_feedback(secretary, member_user.member, year)
    assert evidence["summary"]["count"] == 1 and float(evidence["summary"]["average"]) == 4.5
    assert [item.comment for item in evidence["latest"]] == ["Rất tận tình"]
    assert selectors.member_feedback(secretary, member_user.member, year - 1)["summary"]["count"] == 0
    # The member sees the figures about them, not the raw comments, which only those who moderate them read.
    own = selectors.member_feedback(member_user, member_user.member, year)
    assert own["summary"]["count"] == 1 and own["latest"] == []


def test_a_collectives_opinions_show_on_its_page_and_in_the_year_end_figures(secretary, tree, city_committee):
    collective = Collective.objects.create(unit=tree.branch_a, year=timezone.localdate().year,
                                           model=CollectiveModel.objects.first(), name="Những người bạn",
                                           commitments="Cam kết")
    point = make_point(secretary, tree.branch_a, kind=FeedbackPointKind.COLLECTIVE, collective=collective,
                       name="Những người bạn của bệnh nhân")
    services.feedback_submit(point=point, scores=ratings(point, 5, 4), comment="Cảm ơn các bạn")
    services.feedback_submit(point=point, scores=ratings(point, 3, 3), comment="")
    page = client_for(secretary).get(reverse("movements:collective", args=[collective.pk]))
    assert page.context["people_feedback"]["summary"]["count"] == 2
    assert "Cảm ơn các bạn" in page.content.decode()
    figures = unit_figures(city_committee, tree.city, timezone.localdate().year)
    assert figures.feedback["count"] == 2 and figures.feedback["points"] == 1
    assert str(figures.feedback["average"]) == "3.75"
    assert figures.collective_feedback == [("Những người bạn", tree.branch_a.name, 2, figures.feedback["average"])]


def test_the_trend_counts_opinions_month_by_month(point):
    today = timezone.localdate()
    for months_ago in (0, 0, 2):
        feedback = services.feedback_submit(point=point, scores=ratings(point, 4), comment="")
        when = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time(12)))
        for _month in range(months_ago):
            when = (when - datetime.timedelta(days=1)).replace(day=1)
        Feedback.objects.filter(pk=feedback.pk).update(created_at=when)
    trend = selectors.monthly_trend(Feedback.objects.all(), today=today)
    assert len(trend) == 12 and trend[-1]["count"] == 2 and trend[-3]["count"] == 1
    assert sum(row["count"] for row in trend) == 3


def test_the_home_page_says_what_waits_for_an_answer(point, secretary):
    services.feedback_submit(point=point, scores=ratings(point, 2), comment="Cần cải thiện")
    tasks = client_for(secretary).get(reverse("home")).context["tasks"]
    assert {"kind": "feedback_answer", "count": 1} in tasks


# Pages

def test_the_pages_take_the_same_queries_for_many_points_and_opinions(secretary, tree, settings, named_member):
    settings.FEEDBACK_LIMIT_PER_POINT = settings.FEEDBACK_LIMIT_PER_ADDRESS = 1000
    client = client_for(secretary)

    def queries(url):
        client.get(url)  # the first visit also loads what is kept for the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    point = make_point(secretary, tree.branch_a)
    services.feedback_submit(point=point, scores=ratings(point, 4), comment="Một")
    few = queries(reverse("campaigns:feedback_points")), queries(reverse("campaigns:feedback_point", args=[point.pk]))
    for n in range(25):
        other = make_point(secretary, tree.branch_a, name=f"Điểm {n}")
        services.feedback_submit(point=other, scores=ratings(other, 3), comment="Hai")
        services.feedback_submit(point=point, scores=ratings(point, 5), comment=f"Ý kiến {n}",
                                 served_by_name="Võ Thị Thu Hà", sender_address=f"10.0.0.{n}")
    many = queries(reverse("campaigns:feedback_points")), queries(reverse("campaigns:feedback_point", args=[point.pk]))
    assert many == few


def test_the_poster_is_an_a5_pdf_whose_qr_code_opens_the_public_page(point, secretary, tmp_path, settings):
    import zxingcpp
    from PIL import Image

    settings.PORTAL_URL = "https://3tn.example.vn/"

    response = client_for(secretary).get(reverse("campaigns:feedback_poster", args=[point.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "419.528 x 595.276 pts" in info, info  # A5: 148 × 210 mm
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert point.name in text and tree_name_in(text, point)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "poster")], check=True)
    codes = [result.text for result in zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))]
    # The portal's public address, whatever address the secretary printed it from.
    assert codes == [f"https://3tn.example.vn{reverse('campaigns:feedback_public', args=[point.token])}"]


def tree_name_in(text, point) -> bool:
    return point.unit.name.upper() in text or point.unit.name in text
