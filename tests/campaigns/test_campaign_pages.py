"""The campaign pages: creating from a template, registering, a failed form keeping what was typed, and the
number of queries of every list staying the same however many rows it has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Award, AwardTitle, Campaign, Registration, RegistrationState
from members.models import UnitKind
from tests.campaigns.conftest import make_campaign, register_unit, report
from tests.conftest import client_for
from tests.factories import make_unit


def _management(prefix, total, initial):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_the_youth_month_template_fills_the_form_and_saves(grassroots_committee):
    client = client_for(grassroots_committee)
    page = client.get(reverse("campaigns:campaign_create"), {"template": "youth_month"})
    form, targets, stages = page.context["form"], page.context["targets"], page.context["stages"]
    assert form.initial["title"].startswith("Tháng Thanh niên")
    assert len(targets.initial) == 4 and len(stages.initial) == 2
    data = {**{name: (value.isoformat() if isinstance(value, datetime.date) else value)
               for name, value in form.initial.items() if value not in (None, False)},
            **_management("targets", 4, 4), **_management("stages", 2, 2)}
    for index, row in enumerate(targets.initial):
        data.update({f"targets-{index}-{name}": value for name, value in row.items()})
    for index, row in enumerate(stages.initial):
        data.update({f"stages-{index}-{name}": (value.isoformat() if isinstance(value, datetime.date) else value)
                     for name, value in row.items()})
    response = client.post(f"{reverse('campaigns:campaign_create')}?template=youth_month", data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.template_key == "youth_month"
    assert campaign.targets.count() == 4 and campaign.stages.count() == 2


def test_a_failed_campaign_form_keeps_what_was_typed(grassroots_committee):
    today = timezone.localdate()
    data = {"title": "Chiến dịch tình nguyện hè", "purpose": "Mục đích", "content": "Nội dung",
            "starts_on": today.isoformat(), "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
            "open_to_units": "on", **_management("targets", 1, 0), **_management("stages", 0, 0),
            "targets-0-name": "Lượt khám", "targets-0-measure": "lượt", "targets-0-direction": "higher",
            "targets-0-weight": "2"}
    page = client_for(grassroots_committee).post(reverse("campaigns:campaign_create"), data)
    assert page.status_code == 200 and not Campaign.objects.exists()
    text = page.content.decode()
    assert "Chiến dịch tình nguyện hè" in text and 'value="Lượt khám"' in text
    assert "ends_on" in page.context["form"].errors


def test_a_forged_row_count_builds_no_more_rows_than_a_campaign_may_have(grassroots_committee):
    today = timezone.localdate()
    data = {"title": "Chiến dịch", "purpose": "Mục đích", "content": "Nội dung", "starts_on": today.isoformat(),
            "ends_on": today.isoformat(), **_management("targets", 10**9, 0), **_management("stages", 0, 0)}
    page = client_for(grassroots_committee).post(reverse("campaigns:campaign_create"), data)
    assert page.status_code == 200 and not Campaign.objects.exists()
    assert len(page.context["targets"].forms) == 30  # absolute_max: twice the 15 a campaign may hold
    assert "Xin giữ tối đa 15 dòng." in page.content.decode()


def test_a_secretary_registers_the_branch_from_the_page(campaign, secretary, tree):
    client = client_for(secretary)
    page = client.get(reverse("campaigns:register", args=[campaign.pk]))
    assert [value for value, label in page.context["form"].fields["registrant"].choices[0][1]] == [
        f"unit:{tree.branch_a.pk}"]
    higher, lower = campaign.targets.all()
    bad = client.post(reverse("campaigns:register", args=[campaign.pk]), {
        "registrant": f"unit:{tree.branch_a.pk}", "note": "Cam kết", f"target_{higher.pk}": "-3",
        f"target_{lower.pk}": "2", "submit": "1"})
    assert bad.status_code == 200 and f"target_{higher.pk}" in bad.context["form"].errors
    assert 'value="Cam kết"' in bad.content.decode() or "Cam kết</textarea>" in bad.content.decode()
    response = client.post(reverse("campaigns:register", args=[campaign.pk]), {
        "registrant": f"unit:{tree.branch_a.pk}", "note": "Cam kết", f"target_{higher.pk}": "120",
        f"target_{lower.pk}": "2", "submit": "1"})
    registration = Registration.objects.get()
    assert response.status_code == 302 and registration.state == RegistrationState.SUBMITTED
    again = client.get(reverse("campaigns:register", args=[campaign.pk]))
    offered = [value for _, options in again.context["form"].fields["registrant"].choices for value, _ in options]
    assert f"unit:{tree.branch_a.pk}" not in offered  # the branch is registered; the secretary may still register
    assert offered == [f"member:{secretary.member.pk}"]


def test_the_page_flags_registrants_behind_pace(campaign, approved_a, secretary, grassroots_committee):
    report(secretary, approved_a, 1, 40)
    page = client_for(grassroots_committee).get(reverse("campaigns:campaign", args=[campaign.pk]))
    assert [standing.registration.pk for standing in page.context["behind_shown"]] == [approved_a.pk]


def _branches(tree, start, count):
    return [make_unit(parent=tree.g1, code=f"extra-{index}", kind=UnitKind.BRANCH, name=f"Chi đoàn {index}")
            for index in range(start, start + count)]


def _queries(client, url):
    client.get(url)  # the first request of a session fills caches; count a settled one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["campaign", "leaderboard", "registrations"])
def test_campaign_pages_take_the_same_queries_for_many_registrants(page, campaign, grassroots_committee, superuser,
                                                                  tree):
    client = client_for(grassroots_committee)
    url = reverse(f"campaigns:{page}", args=[campaign.pk])

    def grow(units):
        for unit in units:
            registration = register_unit(superuser, campaign, unit, 50, 5)
            services.registration_move(actor=grassroots_committee, registration=registration, name="approve")
            report(superuser, registration, 20, 1)

    grow(_branches(tree, 0, 2))
    few = _queries(client, url)
    grow(_branches(tree, 2, 10))
    assert _queries(client, url) == few


def test_the_campaign_list_and_award_lists_take_the_same_queries(grassroots_committee, member_in_a, tree):
    client = client_for(grassroots_committee)
    title = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")

    def grow(count, offset):
        for index in range(count):
            make_campaign(grassroots_committee, tree.g1, stages=False, title=f"Đợt {offset + index}")
            award = services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1, title=title,
                                           year=2000 + offset + index, achievements="x", member=member_in_a)
            award = services.award_move(actor=grassroots_committee, award=award, name="decide",
                                        decision_number="1", decided_on=timezone.localdate(), issuing_body="Đoàn")
            services.award_publish(actor=grassroots_committee, award=award, citation="Gương mặt tiêu biểu")

    urls = [reverse("campaigns:campaigns"), reverse("campaigns:awards"), reverse("campaigns:honour_board")]
    grow(2, 0)
    few = [_queries(client, url) for url in urls]
    grow(8, 2)
    assert [_queries(client, url) for url in urls] == few
    assert Award.objects.count() == 10


def test_the_home_page_says_what_waits_in_the_campaigns(campaign, secretary, sibling_secretary,
                                                        grassroots_committee, tree):
    register_unit(sibling_secretary, campaign, tree.branch_b)
    committee_tasks = client_for(grassroots_committee).get(reverse("home")).context["tasks"]
    assert {"kind": "campaign_approve", "count": 1, "campaign": campaign} in committee_tasks
    secretary_tasks = client_for(secretary).get(reverse("home")).context["tasks"]
    assert [task["campaign"] for task in secretary_tasks if task["kind"] == "campaign_register"] == [campaign]
    register_unit(secretary, campaign, tree.branch_a)
    # The secretary may still register themselves as a member (the campaign takes members).
    assert any(task["kind"] == "campaign_register" for task in client_for(secretary).get(reverse("home")).context["tasks"])


def test_the_committee_holds_a_review_from_its_page(campaign, approved_a, secretary, grassroots_committee):
    report(secretary, approved_a, 30, 1)
    client = client_for(grassroots_committee)
    stage = campaign.stages.get(number=1)
    url = f"{reverse('campaigns:review_create', args=[campaign.pk])}?stage={stage.pk}"
    form = client.get(url).context["form"]
    assert [row["standing"].registration for row in form.rows] == [approved_a]
    response = client.post(url, {"held_on": timezone.localdate().isoformat(), "note": "Sơ kết chặng 1",
                                 f"small_award_{approved_a.pk}": "Giấy khen chặng 1"})
    review = campaign.reviews.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:review", args=[review.pk])
    assert review.entries.get().small_award == "Giấy khen chặng 1"
    again = client.get(url)
    assert again.status_code == 302  # that stage is reviewed: back to the campaign with a message
    final = client.get(reverse("campaigns:review_create", args=[campaign.pk])).context["form"]
    # Who has not met every target cannot be put up for a higher award.
    assert "proposed_higher" not in [value for value, _label in final.fields[f"outcome_{approved_a.pk}"].choices]


def test_the_leaderboard_comes_a_page_at_a_time_and_follows_each_approval(campaign, approved_a, sibling_secretary,
                                                                            grassroots_committee, tree, monkeypatch):
    from campaigns.views import campaigns as campaign_views

    monkeypatch.setattr(campaign_views, "LEADERBOARD_PAGE_SIZE", 1)
    client = client_for(grassroots_committee)
    url = reverse("campaigns:leaderboard", args=[campaign.pk])
    first = client.get(url)
    assert [standing.registration.pk for standing in first.context["standings"]] == [approved_a.pk]
    assert (first.context["field_size"], first.context["page"].paginator.num_pages) == (1, 1)

    approved_b = services.registration_move(actor=grassroots_committee, name="approve", registration=register_unit(
        sibling_secretary, campaign, tree.branch_b))
    second_page = client.get(url, {"page": 2})  # the cached ranking gave way to the new one
    assert (second_page.context["field_size"], second_page.context["page"].number) == (2, 2)
    assert {standing.registration.pk for standing in second_page.context["standings"]} <= {approved_a.pk,
                                                                                             approved_b.pk}
    shown = {standing.registration.pk for number in (1, 2)
             for standing in client.get(url, {"page": number}).context["standings"]}
    assert shown == {approved_a.pk, approved_b.pk}
