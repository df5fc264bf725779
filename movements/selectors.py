"""Reads of the movement year, always scoped by the access policy."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from members import audit
from members.access import Action, policy
from members.models import AuditEntry, Member, MemberStatus, Unit
from movements.models import (
    Activity,
    Attendance,
    Classification,
    Collective,
    Commitment,
    CommitmentState,
    Evidence,
    EvidenceState,
    Initiative,
    MovementYear,
    ScienceClub,
    YearState,
    YouthProject,
)

# A pledge due within this many days, and not yet shown done, is listed on the member's home page.
DUE_SOON_DAYS = 30


def years_for(user):
    """Years the user may read: the published ones opened above, at or below their units, and the drafts
    of the committees they sit on."""
    if user.is_superuser:
        return MovementYear.objects.select_related("unit")
    published = MovementYear.objects.exclude(state=YearState.DRAFT)
    below = policy.scope(user, published, action=None, path_field="unit__path")
    above = published.filter(unit__path__in=policy.ancestor_paths(user))
    drafts = policy.scope(user, MovementYear.objects.filter(state=YearState.DRAFT), action=Action.MANAGE_YEAR,
                          path_field="unit__path")
    return (below | above | drafts).distinct().select_related("unit")


def years_applying_to(unit: Unit):
    """The published years that govern a unit, opened at it or above it, the latest and closest first."""
    return (MovementYear.objects.filter(unit__path__in=unit.ancestor_paths()).exclude(state=YearState.DRAFT)
            .select_related("unit").order_by("-year", "-unit__depth"))


def year_applying_to(unit: Unit, *, year: int | None = None) -> MovementYear | None:
    years = years_applying_to(unit)
    if year is not None:
        years = years.filter(year=year)
    return years.first()


def _unit_commitments(user, unit: Unit, movement_year: MovementYear):
    return (
        policy.scope(user, Commitment.objects.all(), action=Action.VIEW_COMMITMENTS, path_field="member__unit__path")
        .filter(unit.subtree_q("member__unit__path"), movement_year=movement_year)
    )


def commitments_of_unit(user, unit: Unit, movement_year: MovementYear):
    # A grouped query drops the model's ordering: say it again.
    return (_unit_commitments(user, unit, movement_year).select_related("member__unit")
            .annotate(pledge_count=Count("pledges")).order_by("member__sort_name", "id"))


def state_counts(user, unit: Unit, movement_year: MovementYear) -> dict:
    """How many commitments are in each state, and how many active members have none yet."""
    counts = dict(
        _unit_commitments(user, unit, movement_year).order_by().values_list("state").annotate(n=Count("pk"))
    )
    members = policy.members(user, Action.VIEW_COMMITMENTS).filter(unit.subtree_q("unit__path"),
                                                                   status=MemberStatus.ACTIVE)
    counts["none"] = members.exclude(commitments__movement_year=movement_year).count()
    return counts


def members_without_commitment(user, unit: Unit, movement_year: MovementYear):
    return (policy.members(user, Action.VIEW_COMMITMENTS)
            .filter(unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE)
            .exclude(commitments__movement_year=movement_year).select_related("unit"))


def own_commitment(member: Member, movement_year: MovementYear) -> Commitment | None:
    return (Commitment.objects.filter(member=member, movement_year=movement_year)
            .prefetch_related("pledges__criterion").first())


def waiting_reviews(user, unit: Unit) -> int:
    """Submitted commitments in the unit's subtree that wait for this reviewer."""
    if not policy.can(user, Action.REVIEW_COMMITMENTS, unit):
        return 0
    return (policy.scope(user, Commitment.objects.filter(state=CommitmentState.SUBMITTED,
                                                         movement_year__state=YearState.OPEN),
                         action=Action.REVIEW_COMMITMENTS, path_field="member__unit__path")
            .filter(Q(member__unit__path__startswith=unit.path)).count())


LIST_WORK = (audit.MEMBER_CREATED, audit.MEMBER_UPDATED, audit.MEMBERS_IMPORTED)


def first_steps(user, unit: Unit | None) -> list[dict] | None:
    """The guided first run of a secretary new to the portal: check the member list, see the movement year
    opened, invite the members. Each step is done by what the unit holds, not by a click; None once all are
    done, or for someone who does not run the unit's members."""
    if unit is None or not policy.can(user, Action.MANAGE_MEMBERS, unit):
        return None
    members = Member.objects.filter(unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE)
    # The list has been worked on by its officers: members added, corrected or imported (a member's own
    # profile, an account opened or a transfer does not count).
    worked_on = AuditEntry.objects.filter(unit.subtree_q("unit__path"), action__in=LIST_WORK).exists()
    open_year = years_applying_to(unit).filter(state=YearState.OPEN).first()
    steps = [
        {"key": "members", "done": worked_on},
        {"key": "year", "done": open_year is not None, "year": open_year,
         "may_open": policy.can(user, Action.MANAGE_YEAR, unit)},
        {"key": "invite", "done": members.filter(user__isnull=False).exclude(user=user).exists()},
    ]
    return None if all(step["done"] for step in steps) else steps


def home_tasks(user, member: Member | None, unit: Unit | None) -> list[dict]:
    """What waits for this person in the movement year: their own registration, and reviews to do."""
    tasks = []
    if member is not None and member.is_active:
        movement_year = year_applying_to(member.unit)
        if movement_year is not None and movement_year.state == YearState.OPEN:
            commitment = Commitment.objects.filter(member=member, movement_year=movement_year).first()
            if commitment is None or commitment.state in (CommitmentState.DRAFT, CommitmentState.RETURNED):
                tasks.append({"kind": "commitment", "year": movement_year, "commitment": commitment})
            elif commitment.state == CommitmentState.APPROVED and movement_year.evaluation_is_open(
                    timezone.localdate()):
                tasks.append({"kind": "self_assess", "year": movement_year})
            elif commitment.state == CommitmentState.APPROVED:
                soon = timezone.localdate() + datetime.timedelta(days=DUE_SOON_DAYS)
                due = commitment.pledges.filter(due_date__lte=soon).exclude(
                    evidence__state=EvidenceState.VERIFIED).count()
                if due:
                    tasks.append({"kind": "due", "count": due, "days": DUE_SOON_DAYS})
    if unit is not None:
        waiting = waiting_reviews(user, unit)
        if waiting:
            tasks.append({"kind": "review", "count": waiting, "unit": unit})
        to_verify = evidence_waiting(user, unit)
        if to_verify:
            tasks.append({"kind": "verify", "count": to_verify, "unit": unit})
        movement_year = year_applying_to(unit)
        if movement_year is not None and movement_year.state == YearState.OPEN:
            if policy.can(user, Action.CONFIRM_CLASSIFICATION, unit):
                to_confirm = _unit_commitments(user, unit, movement_year).filter(
                    state=CommitmentState.EVALUATED).count()
                if to_confirm:
                    tasks.append({"kind": "confirm", "count": to_confirm})
            if movement_year.evaluation_is_open(timezone.localdate()) and policy.can(
                    user, Action.REVIEW_COMMITMENTS, unit):
                waiting = dict(_unit_commitments(user, unit, movement_year).order_by().filter(
                    state__in=[CommitmentState.APPROVED, CommitmentState.SELF_ASSESSED])
                    .values_list("state").annotate(n=Count("pk")))
                if waiting:
                    # Open the tab of those who assessed themselves first: they are ready.
                    tab = CommitmentState.SELF_ASSESSED if waiting.get(CommitmentState.SELF_ASSESSED) else (
                        CommitmentState.APPROVED)
                    tasks.append({"kind": "evaluate", "count": sum(waiting.values()), "tab": tab})
    return tasks


def evidence_of_unit(user, unit: Unit):
    return (policy.scope(user, Evidence.objects.all(), action=Action.VIEW_COMMITMENTS,
                         path_field="pledge__commitment__member__unit__path")
            .filter(unit.subtree_q("pledge__commitment__member__unit__path"))
            .select_related("pledge__criterion", "pledge__commitment__member__unit")
            .prefetch_related("files")
            .order_by("created_at", "id"))


def evidence_waiting(user, unit: Unit) -> int:
    if not policy.can(user, Action.REVIEW_COMMITMENTS, unit):
        return 0
    return evidence_of_unit(user, unit).filter(state=EvidenceState.PENDING,
                                               pledge__commitment__movement_year__state=YearState.OPEN).count()


def classification_counts(user, unit: Unit, movement_year: MovementYear) -> list[tuple[str, str, int, int]]:
    """Per level: (value, label, proposed by the branches and waiting, confirmed)."""
    commitments = _unit_commitments(user, unit, movement_year).order_by()
    proposed = dict(commitments.filter(state=CommitmentState.EVALUATED).values_list("proposed_classification")
                    .annotate(n=Count("pk")))
    confirmed = dict(commitments.filter(state=CommitmentState.CONFIRMED).values_list("classification")
                     .annotate(n=Count("pk")))
    return [(value, label, proposed.get(value, 0), confirmed.get(value, 0)) for value, label in Classification.choices]


def projects_of_unit(user, unit: Unit):
    return (policy.scope(user, YouthProject.objects.all(), action=Action.VIEW_PROJECTS, path_field="unit__path")
            .filter(unit.subtree_q("unit__path")).select_related("unit"))


def object_timeline(target):
    """A project's or initiative's milestones as the audit log recorded them: part of what is seen with it."""
    from members.audit import entries_for
    from members.models import AuditEntry

    return entries_for(AuditEntry.objects.all(), target).order_by("created_at", "id")


def initiatives_of_unit(user, unit: Unit):
    return (policy.scope(user, Initiative.objects.all(), action=Action.VIEW_INITIATIVES, path_field="unit__path")
            .filter(unit.subtree_q("unit__path")).select_related("unit").prefetch_related("authors"))


def project_figures(project: YouthProject) -> dict:
    """Promised, reported so far and accepted, side by side."""
    reported = project.reports.aggregate(beneficiaries=Sum("beneficiaries"), volunteer_hours=Sum("volunteer_hours"),
                                         value=Sum("value"))
    return {
        "promised": {"beneficiaries": project.promised_beneficiaries,
                     "volunteer_hours": project.promised_volunteer_hours, "value": project.promised_value},
        "reported": {name: value or 0 for name, value in reported.items()},
        "final": {"beneficiaries": project.final_beneficiaries, "volunteer_hours": project.final_volunteer_hours,
                  "value": project.final_value, "volunteers": project.final_volunteers},
    }


def activities_of_unit(user, unit: Unit):
    return (policy.scope(user, Activity.objects.all(), action=Action.VIEW_ACTIVITIES, path_field="unit__path")
            .filter(unit.subtree_q("unit__path")).select_related("unit")
            .annotate(attendance_count=Count("attendances")).order_by("-starts_at", "-id"))


def activities_for_member(member: Member, year: int):
    """The activities a member was expected at: those of their branch and of every union above it."""
    return Activity.objects.filter(unit__path__in=member.unit.ancestor_paths(), year=year, starts_at__lte=timezone.now())


@dataclass
class Participation:
    attended: int
    expected: int

    @property
    def percent(self) -> int:
        return self.attended * 100 // self.expected if self.expected else 0


def member_participation(member: Member, year: int) -> Participation:
    """How many of the activities a member was expected at they attended: for the evaluation of the year."""
    expected = activities_for_member(member, year)
    attended = Attendance.objects.filter(member=member, activity__in=expected).count()
    return Participation(attended, expected.count())


def collectives_of_unit(user, unit: Unit):
    return (policy.scope(user, Collective.objects.all(), action=Action.VIEW_PROJECTS, path_field="unit__path")
            .filter(unit.subtree_q("unit__path")).select_related("unit", "model")
            .annotate(member_count=Count("members", distinct=True)).order_by("name", "id"))


def clubs_of_unit(user, unit: Unit):
    return (policy.scope(user, ScienceClub.objects.all(), action=Action.VIEW_INITIATIVES, path_field="unit__path")
            .filter(unit.subtree_q("unit__path")).select_related("unit").prefetch_related("members"))


def coauthor_candidates(member: Member):
    """The active members of one's own branch, by name: whom a member may name as co-authors."""
    return Member.objects.filter(unit=member.unit, status=MemberStatus.ACTIVE).exclude(pk=member.pk)
