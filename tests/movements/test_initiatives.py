"""Initiatives: submitted with co-authors, reviewed and scored by a council, recognised by decision, applied."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry, Member, Notification
from movements import services
from movements.models import Initiative, InitiativeState
from tests.conftest import client_for
from tests.factories import MemberFactory


def _fields(**changes):
    return {"year": timezone.localdate().year, "kind": "initiative", "title": "Phiếu hẹn trả kết quả bằng mã QR",
            "problem": "Người bệnh phải chờ lâu", "solution": "Gửi mã QR tra cứu", "applied_where": "Khoa Nội",
            "expected_benefit": "Giảm 1 ngày chờ", **changes}


@pytest.fixture
def initiative(member_user, tree):
    coauthor = MemberFactory(unit=tree.branch_a, full_name="Lý Thùy Lan")
    return services.initiative_submit(actor=member_user, coauthors=[coauthor], **_fields())


def test_the_whole_way_of_an_initiative(member_user, grassroots_committee, initiative):
    assert initiative.authors.count() == 2
    services.initiative_move(actor=grassroots_committee, initiative=initiative, name="open_review",
                             council="BS. Lê Văn A, ThS. Trần Thị B")
    services.initiative_score(actor=grassroots_committee, initiative=initiative, reviewer="BS. Lê Văn A", score=85)
    services.initiative_move(actor=grassroots_committee, initiative=initiative, name="recognise", level="grassroots",
                             decision_number="12-QĐ/ĐTN", decision_date=timezone.localdate())
    assert Notification.objects.filter(user=member_user).exists()
    services.initiative_move(actor=member_user, initiative=initiative, name="apply", days_saved_per_file=1,
                             cost_saved=None, benefit_note="Rút ngắn 1 ngày")
    initiative.refresh_from_db()
    assert (initiative.state, initiative.level, initiative.scores.get().score) == (InitiativeState.APPLIED,
                                                                                 "grassroots", 85)
    assert list(AuditEntry.objects.filter(action__startswith="initiative.").order_by("id")
                .values_list("action", flat=True)) == [
        "initiative.submitted", "initiative.review_opened", "initiative.scored", "initiative.recognised",
        "initiative.applied"]


def test_co_authors_come_from_the_authors_branch(member_user, tree):
    with pytest.raises(ValidationError):
        services.initiative_submit(actor=member_user, coauthors=[MemberFactory(unit=tree.branch_b)], **_fields())
    assert not Initiative.objects.exists()


def test_only_the_committee_reviews_and_decides(secretary, member_user, initiative):
    with pytest.raises(PermissionDenied):
        services.initiative_move(actor=secretary, initiative=initiative, name="open_review", council="x")
    with pytest.raises(PermissionDenied):
        services.initiative_move(actor=member_user, initiative=initiative, name="open_review", council="x")


def test_recognition_needs_a_decision(grassroots_committee, initiative):
    services.initiative_move(actor=grassroots_committee, initiative=initiative, name="open_review", council="Hội đồng")
    with pytest.raises(ValidationError):
        services.initiative_move(actor=grassroots_committee, initiative=initiative, name="recognise", level="city",
                                 decision_number="", decision_date=None)
    with pytest.raises(ValidationError):
        services.initiative_move(actor=grassroots_committee, initiative=initiative, name="recognise", level="city",
                                 decision_number="1", decision_date=timezone.localdate() + datetime.timedelta(1))
    assert Initiative.objects.get(pk=initiative.pk).state == InitiativeState.UNDER_REVIEW


def test_scores_only_during_the_review(grassroots_committee, initiative):
    with pytest.raises(ValidationError):
        services.initiative_score(actor=grassroots_committee, initiative=initiative, reviewer="A", score=50)


def test_submitting_through_the_page(member_user, tree):
    coauthor = MemberFactory(unit=tree.branch_a, full_name="Mai Kim Nhi")
    response = client_for(member_user).post(reverse("movements:initiative_create"), {
        **_fields(), "coauthors": [coauthor.pk]})
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert set(initiative.authors.values_list("full_name", flat=True)) == {"Mai Kim Nhi", "Võ Thị Thu Hà"}
    assert initiative.submitted_by == Member.objects.get(user=member_user)


def test_a_club_of_young_scientists_is_recorded_with_its_members(secretary, tree, member_in_a):
    client = client_for(secretary)
    response = client.post(reverse("movements:club_create"), {
        "unit": tree.branch_a.pk, "name": "CLB Bác sĩ trẻ nghiên cứu", "field": "Nội khoa",
        "founded_on": "2026-03-26", "members": [member_in_a.pk]})
    assert response.status_code == 302
    listing = client.get(reverse("movements:initiatives"))
    club = listing.context["clubs"].get()
    assert list(club.members.all()) == [member_in_a]
    assert AuditEntry.objects.filter(action=services.CLUB_RECORDED).exists()


@pytest.mark.parametrize("name", ["movements:initiatives", "movements:activities", "movements:collectives"])
def test_the_solution_lists_cost_the_same_for_few_and_many(name, secretary, grassroots_committee, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from movements.models import Activity, Collective, CollectiveModel

    def add(count):
        model = CollectiveModel.objects.first()
        author = MemberFactory(unit=tree.branch_a)
        for index in range(count):
            initiative = Initiative.objects.create(unit=tree.branch_a, year=timezone.localdate().year,
                                                   kind="initiative", title=f"S{index}", problem="p", solution="s",
                                                   submitted_by=author)
            initiative.authors.set([author])
            Activity.objects.create(unit=tree.branch_a, year=timezone.localdate().year, kind="talk", title=f"A{index}",
                                    starts_at=timezone.now())
            Collective.objects.create(unit=tree.branch_a, year=timezone.localdate().year, model=model,
                                      name=f"T{index}", commitments="c")

    client = client_for(grassroots_committee)
    url = reverse(name)
    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(30)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


@pytest.mark.parametrize("key", ["9" * 40, "-1", "abc", "1e9"])
def test_a_co_author_that_is_no_key_is_refused_at_the_field(member_user, tree, key):
    response = client_for(member_user).post(reverse("movements:initiative_create"), {**_fields(), "coauthors": [key]})
    assert response.status_code == 200 and "coauthors" in response.context["form"].errors
    assert not Initiative.objects.exists()
