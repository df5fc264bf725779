"""Nothing personal appears publicly without the person's consent: every page an anonymous visitor can open is
walked with two members who both have a published award and an opinion naming them, one of whom agreed to be
shown publicly."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import AwardTitle, FeedbackPointKind
from members import privacy
from members.models import Member
from tests.factories import MemberFactory

# Every page the permission matrices open to an anonymous visitor (a new one fails the first test until it is
# walked here too).
PUBLIC_PAGES = {"healthz", "robots", "login", "password_reset", "password_reset_done", "password_reset_confirm",
                "password_reset_complete", "campaigns:honour_board", "campaigns:feedback_public",
                "campaigns:feedback_thanks"}


def test_the_public_pages_walked_here_are_all_the_public_pages():
    from tests.campaigns.test_campaign_permissions import CAMPAIGN_MATRIX
    from tests.campaigns.test_feedback_permissions import FEEDBACK_MATRIX
    from tests.reports.test_report_permissions import REPORT_MATRIX
    from tests.test_permissions import MATRIX

    public = {name for name, _target, _method, expected in MATRIX + CAMPAIGN_MATRIX + REPORT_MATRIX + FEEDBACK_MATRIX
              if expected["anonymous"] == 200}
    assert public == PUBLIC_PAGES


@pytest.fixture
def two_members(tree, grassroots_committee, secretary):
    title = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")
    point = services.point_create(actor=secretary, unit=tree.branch_a, kind=FeedbackPointKind.DESK,
                                  name="Bàn hướng dẫn", invitation="Mời góp ý", questions=["Thái độ"])
    people = {}
    for key, name, agrees in (("shown", "Trương Thị Đồng Ý", True), ("hidden", "Lý Văn Không Đồng Ý", False)):
        user = get_user_model().objects.create_user(username=f"public-{key}", password="x")
        member = MemberFactory(unit=tree.branch_a, full_name=name, user=user)
        privacy.consents_update(actor=user, member=member, public_display=agrees, feedback_naming=agrees)
        award = services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title,
                                       year=timezone.localdate().year, achievements=f"Thành tích của {name}",
                                       member=member)
        services.award_move(actor=grassroots_committee, award=award, name="decide", decision_number="5-QĐ/ĐTN",
                            decided_on=timezone.localdate(), issuing_body="BCH Đoàn cơ sở")
        services.award_publish(actor=grassroots_committee, award=award, citation=f"Tuyên dương {name}")
        services.feedback_submit(point=point, scores={point.questions.get().pk: 5}, served_by_name=name,
                                 comment=f"Cảm ơn {name}")
        people[key] = member
    return point, people


def test_no_public_page_shows_a_member_without_their_consent(two_members, settings):
    point, people = two_members
    anonymous = Client()
    pages = [reverse("healthz"), reverse("robots"), reverse("login"), reverse("password_reset"), reverse("password_reset_done"),
             reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}),
             reverse("password_reset_complete"), reverse("campaigns:honour_board"),
             reverse("campaigns:honour_board") + f"?year={timezone.localdate().year}",
             reverse("campaigns:feedback_public", args=[point.token]),
             reverse("campaigns:feedback_thanks", args=[point.token])]
    shown = {}
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert people["hidden"].full_name not in text, url
        assert people["hidden"].card_number not in text and people["shown"].card_number not in text, url
        shown[url] = people["shown"].full_name in text
    assert shown[reverse("campaigns:honour_board")]  # the one who agreed is there, so the walk reads real pages
    assert Member.objects.filter(consents_to_public_display=False, awards__is_published=True).exists()
