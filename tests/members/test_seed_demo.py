from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from members.demo import DEMO_PASSWORD, load_scale
from members.models import Member, RoleAssignment, Unit, UnitKind


def test_seed_demo_builds_the_demo_tree_and_accounts_once(db):
    call_command("seed_demo")
    units, members, roles = Unit.objects.count(), Member.objects.count(), RoleAssignment.objects.count()
    call_command("seed_demo")
    assert (Unit.objects.count(), Member.objects.count(), RoleAssignment.objects.count()) == (units, members, roles)
    assert Unit.objects.filter(kind=UnitKind.GRASSROOTS).count() >= 3
    assert 140 <= members <= 170
    request = RequestFactory().post("/accounts/login/")
    for username in ("admin", "thanhdoan", "thuongvu", "bithu", "bithu2", "doanvien"):
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username
    bithu, bithu2 = Member.objects.get(user__username="bithu"), Member.objects.get(user__username="bithu2")
    assert Unit.objects.get_parent(bithu.unit) == Unit.objects.get_parent(bithu2.unit)
    assert Member.objects.get(user__username="doanvien").unit == bithu.unit
    assert all(not problem for problem in Unit.objects.find_problems())


def test_the_scale_tree_is_a_valid_tree(db):
    call_command("seed_demo")
    load_scale(sectors=2, grassroots_per_sector=3, branches_per_grassroots=2, members_per_branch=4)
    assert all(not problem for problem in Unit.objects.find_problems())
    assert Unit.objects.filter(code__startswith="scale-", kind=UnitKind.BRANCH).count() == 12
    assert Member.objects.filter(unit__code__startswith="scale-").count() == 48
    sector = Unit.objects.get(code="scale-s01")
    assert Unit.objects.get_parent(sector).code == "thanh-doan" and Unit.objects.get_children_count(sector) == 3


def test_seed_demo_opens_a_year_with_commitments_in_every_state_and_a_closed_last_year(db):
    from movements.models import Commitment, CommitmentState, Evidence, MovementYear, YearState

    call_command("seed_demo")
    call_command("seed_demo")
    this_year, last_year = MovementYear.objects.order_by("-year")
    assert (this_year.state, last_year.state) == (YearState.OPEN, YearState.CLOSED)
    assert set(this_year.commitments.values_list("state", flat=True)) == {
        CommitmentState.DRAFT, CommitmentState.SUBMITTED, CommitmentState.RETURNED, CommitmentState.APPROVED}
    assert set(last_year.commitments.values_list("state", flat=True)) == {CommitmentState.CONFIRMED}
    assert len(set(last_year.commitments.values_list("classification", flat=True))) == 4
    assert Evidence.objects.filter(pledge__commitment__movement_year=this_year).exists()
    assert not Commitment.objects.filter(member__user__username="doanvien").exists()


def test_seed_demo_has_youth_projects_in_every_state(db):
    from movements.models import ProjectState, YouthProject

    call_command("seed_demo")
    assert set(YouthProject.objects.values_list("state", flat=True)) == set(ProjectState.values)


def test_seed_demo_has_activities_initiatives_and_collectives(db):
    from movements.models import Attendance, Collective, Initiative, InitiativeState

    call_command("seed_demo")
    assert Attendance.objects.exists()
    assert {InitiativeState.SUBMITTED, InitiativeState.APPLIED} <= set(Initiative.objects.values_list("state", flat=True))
    assert Collective.objects.filter(state="recognised").exists()


def test_seed_demo_has_campaigns_in_every_phase_and_an_honour_board(db, settings, tmp_path):
    from campaigns.models import Award, Campaign, ReviewKind
    from campaigns.selectors import home_campaign_tasks

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(Campaign.objects.values_list("state", flat=True)) == {"draft", "launched", "reviewed"}
    staged = Campaign.objects.get(template_key="autumn_winter")
    assert staged.stages.count() == 3
    assert list(staged.reviews.values_list("kind", flat=True)) == [ReviewKind.INTERIM] * 2
    assert staged.inspections.exists() and staged.forwardings.exists()
    assert Campaign.objects.get(template_key="days_45").reviews.get().kind == ReviewKind.FINAL
    assert Award.objects.filter(is_published=True, member__user__username="doanvien").exists()
    assert Award.objects.filter(state="proposed").exists()
    bithu = get_user_model().objects.get(username="bithu")
    # The branch has registered; its collectives may still join the campaigns that take collectives.
    assert any(task["kind"] == "campaign_register"
               for task in home_campaign_tasks(bithu, Unit.objects.get(code="bvndgd-khoa-noi")))
