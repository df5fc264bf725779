"""Awards: proposed by a committee, decided with a number, a date and an issuing body, shown in the recipient's
history, and on the public honour board only once published."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Award, AwardState, AwardTitle, ReviewKind
from members.models import AuditEntry, Member, Notification
from tests.campaigns.conftest import report
from tests.conftest import client_for


@pytest.fixture
def commendation(db):
    return AwardTitle.objects.get(name="Giấy khen của Ban Chấp hành Đoàn cơ sở")


@pytest.fixture
def advanced(db):
    return AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")


@pytest.fixture
def member(member_user):
    return Member.objects.get(user=member_user)


def _propose(actor, tree, title, **recipient):
    return services.award_propose(actor=actor, proposing_unit=tree.g1, title=title, year=timezone.localdate().year,
                                  achievements="Hoàn thành xuất sắc nhiệm vụ", **recipient)


def _decide(actor, award, **changes):
    values = {"decision_number": "15-QĐ/ĐTN", "decided_on": timezone.localdate(),
              "issuing_body": "Ban Chấp hành Đoàn Bệnh viện", **changes}
    return services.award_move(actor=actor, award=award, name="decide", **values)


def test_the_catalogue_of_titles_is_data(db):
    assert AwardTitle.objects.filter(name="Thầy thuốc trẻ giỏi", for_people=True).exists()
    assert AwardTitle.objects.filter(name="Tập thể thanh niên tiên tiến", for_people=False).exists()


def test_a_committee_proposes_and_decides_and_the_member_is_told(grassroots_committee, member_user, member,
                                                                  advanced, tree):
    award = _propose(grassroots_committee, tree, advanced, member=member)
    assert (award.state, award.unit, award.recipient_name) == (AwardState.PROPOSED, tree.branch_a, member.full_name)
    with pytest.raises(ValidationError) as refusal:
        _decide(grassroots_committee, award, decision_number=" ")
    assert "decision_number" in refusal.value.error_dict
    decided = _decide(grassroots_committee, award)
    assert decided.state == AwardState.DECIDED and decided.decision_number == "15-QĐ/ĐTN"
    entry = AuditEntry.objects.filter(action="award.decided").get()
    assert entry.after["decision_number"] == "15-QĐ/ĐTN"
    assert Notification.objects.filter(user=member_user, message__contains="15-QĐ/ĐTN").exists()
    with pytest.raises(ValidationError):
        _decide(grassroots_committee, decided)


def test_who_may_propose_and_for_whom(secretary, grassroots_committee, member, member_in_c, advanced,
                                      commendation, tree):
    with pytest.raises(PermissionDenied):
        services.award_propose(actor=secretary, proposing_unit=tree.branch_a, title=advanced, year=2026,
                               achievements="x", member=member)
    with pytest.raises(ValidationError):
        _propose(grassroots_committee, tree, advanced, member=member_in_c)  # not under G1
    with pytest.raises(ValidationError):
        _propose(grassroots_committee, tree, advanced, unit=tree.branch_a)  # a title for people only
    _propose(grassroots_committee, tree, commendation, unit=tree.branch_a)
    with pytest.raises(ValidationError):
        _propose(grassroots_committee, tree, commendation, unit=tree.branch_a)  # already proposed this year
    assert Award.objects.count() == 1


def test_not_granted_needs_a_reason(grassroots_committee, member, advanced, tree):
    award = _propose(grassroots_committee, tree, advanced, member=member)
    with pytest.raises(ValidationError):
        services.award_move(actor=grassroots_committee, award=award, name="not_grant")
    refused = services.award_move(actor=grassroots_committee, award=award, name="not_grant", note="Chưa đủ tiêu chuẩn")
    assert refused.state == AwardState.NOT_GRANTED and refused.refusal_note == "Chưa đủ tiêu chuẩn"


def test_a_proposal_from_the_final_review_keeps_its_source(campaign, approved_a, secretary, grassroots_committee,
                                                           commendation, tree):
    report(secretary, approved_a, 150, 0)
    review = services.review_take(actor=grassroots_committee, campaign=campaign, kind=ReviewKind.FINAL,
                                  held_on=timezone.localdate())
    entry = review.entries.get()
    client = client_for(grassroots_committee)
    page = client.get(reverse("campaigns:award_propose"), {"entry": entry.pk})
    assert page.status_code == 200
    assert "“Tháng Thanh niên”" in page.context["form"].initial["achievements"]
    response = client.post(f"{reverse('campaigns:award_propose')}?entry={entry.pk}", {
        "proposing_unit": tree.g1.pk, "title": commendation.pk, "year": 2026,
        "achievements": page.context["form"].initial["achievements"]})
    award = Award.objects.get()
    assert response.status_code == 302 and award.review_entry == entry and award.unit == tree.branch_a


def test_the_honour_board_shows_only_published_decided_awards(grassroots_committee, member, advanced,
                                                              commendation, tree):
    hidden = _decide(grassroots_committee, _propose(grassroots_committee, tree, commendation, unit=tree.branch_b))
    shown = _decide(grassroots_committee, _propose(grassroots_committee, tree, advanced, member=member))
    pending = _propose(grassroots_committee, tree, AwardTitle.objects.get(name="Chi đoàn vững mạnh xuất sắc"),
                       unit=tree.branch_b)
    with pytest.raises(ValidationError):
        services.award_publish(actor=grassroots_committee, award=pending, citation="Chưa quyết định")
    with pytest.raises(ValidationError):
        services.award_publish(actor=grassroots_committee, award=shown, citation=" ")
    services.award_publish(actor=grassroots_committee, award=shown, citation="Ân cần với người bệnh <script>")
    # Published, but the member has not agreed to be shown publicly: the board does not show them.
    assert member.full_name not in client_for(None).get(reverse("campaigns:honour_board")).content.decode()
    type(member).objects.filter(pk=member.pk).update(consents_to_public_display=True)
    page = client_for(None).get(reverse("campaigns:honour_board"))
    text = page.content.decode()
    assert page.status_code == 200
    assert member.full_name in text and "Ân cần với người bệnh &lt;script&gt;" in text
    assert hidden.recipient_name not in text and pending.recipient_name not in text
    # Nothing beyond the name, the unit, the title and the citation.
    assert member.phone not in text or not member.phone
    services.award_unpublish(actor=grassroots_committee, award=shown)
    assert member.full_name not in client_for(None).get(reverse("campaigns:honour_board")).content.decode()


def test_a_members_pages_show_their_awards_across_years(grassroots_committee, member_user, member, advanced,
                                                        secretary, tree):
    older = services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=advanced, year=2024,
                                   achievements="Năm 2024", member=member)
    _decide(grassroots_committee, older, decision_number="03-QĐ/ĐTN")
    _decide(grassroots_committee, _propose(grassroots_committee, tree, advanced, member=member))
    _propose(grassroots_committee, tree, AwardTitle.objects.get(name="Thầy thuốc trẻ giỏi"), member=member)
    profile = client_for(member_user).get(reverse("members:profile"))
    assert [award.year for award in profile.context["award_history"]] == [timezone.localdate().year, 2024]
    assert "03-QĐ/ĐTN" in profile.content.decode()
    detail = client_for(secretary).get(reverse("members:detail", args=[member.pk]))
    assert len(detail.context["award_history"]) == 2


def test_a_committee_proposes_in_its_own_name_not_a_branchs(grassroots_committee, member, advanced, tree):
    with pytest.raises(PermissionDenied):
        services.award_propose(actor=grassroots_committee, proposing_unit=tree.branch_a, title=advanced, year=2026,
                               achievements="x", member=member)
    page = client_for(grassroots_committee).get(reverse("campaigns:award_propose"), {"member": member.pk})
    assert list(page.context["form"].fields["proposing_unit"].queryset) == [tree.g1]


def test_a_confirmed_classification_leads_to_a_proposal(grassroots_committee, secretary, member, movement_year,
                                                        advanced, tree):
    from movements.models import Commitment
    from tests.movements.helpers import make_commitment

    commitment = make_commitment(member, movement_year)
    Commitment.objects.filter(pk=commitment.pk).update(state="confirmed", classification="excellent")
    client = client_for(grassroots_committee)
    detail = client.get(reverse("movements:commitment", args=[commitment.pk]))
    assert detail.context["may_propose_award"]
    assert not client_for(secretary).get(reverse("movements:commitment", args=[commitment.pk])).context[
        "may_propose_award"]
    url = f"{reverse('campaigns:award_propose')}?commitment={commitment.pk}"
    page = client.get(url)
    assert str(movement_year.year) in page.context["form"].initial["achievements"]
    client.post(url, {"proposing_unit": tree.g1.pk, "title": advanced.pk, "year": movement_year.year,
                      "achievements": page.context["form"].initial["achievements"]})
    award = Award.objects.get()
    assert (award.commitment, award.member, award.year) == (commitment, member, movement_year.year)
