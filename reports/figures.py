"""The figures of a unit's subtree for a year: what the dashboard shows and the year-end report prints.

Every query is scoped by the access policy for the reader, and runs over the whole subtree at once (grouped by
sub-unit where a table needs it), so the number of queries does not grow with the number of units or rows."""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from campaigns.models import CampaignState, Feedback, Registration, RegistrationState
from campaigns.selectors import SHOWN_FEEDBACK, campaigns_of_unit, feedback_summary
from members.access import Action, policy
from members.life import CLOSING_STATUSES
from members.models import Member, MemberStatus, Unit
from members.text import fold
from movements.models import (
    Activity,
    Attendance,
    Classification,
    Collective,
    CollectiveState,
    Commitment,
    CommitmentState,
    Evidence,
    EvidenceState,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Pledge,
    ProjectKind,
    ProjectState,
    RecognitionLevel,
    Responsibility,
    YouthProject,
)
from movements.models.commitments import APPROVED_STATES
from movements.selectors import year_applying_to
from reports import caching

EVALUATED_STATES = (CommitmentState.EVALUATED, CommitmentState.CONFIRMED)


def _scoped(user, queryset, unit: Unit, path_field: str):
    return policy.scope(user, queryset, action=Action.VIEW_REPORTS, path_field=path_field).filter(
        unit.subtree_q(path_field))


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class SubUnitRow:
    unit: Unit
    members: int = 0
    registered: int = 0
    approved: int = 0
    evaluated: int = 0
    excellent: int = 0
    projects: int = 0
    initiatives: int = 0
    direct: bool = False  # the members and work placed in the unit itself, not in a unit under it

    @property
    def registered_percent(self) -> int:
        return percent(self.registered, self.members)

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        return _("%(unit)s (directly)") % {"unit": self.unit.name} if self.direct else self.unit.name


@dataclass
class Figures:
    unit: Unit
    year: int
    members: int = 0
    registered: int = 0
    approved: int = 0
    evaluated: int = 0
    classifications: list = field(default_factory=list)  # (label, count)
    pledges: list = field(default_factory=list)  # (responsibility label, pledges, with verified evidence)
    projects_by_kind: list = field(default_factory=list)  # (label, count)
    projects_by_state: list = field(default_factory=list)
    project_totals: dict = field(default_factory=dict)
    activities: int = 0
    attendances: int = 0
    initiatives_by_level: list = field(default_factory=list)
    initiatives: dict = field(default_factory=dict)
    collectives: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)  # (campaign, approved registrations below the unit)
    feedback: dict = field(default_factory=dict)  # the people's opinions of the year: count, average, answered…
    collective_feedback: list = field(default_factory=list)  # (collective, its unit, opinions, average)
    sub_units: list = field(default_factory=list)
    counted_at: datetime.datetime | None = field(default=None, compare=False)  # when, not what: not compared
    # Which counting these are, whoever reads them: a piece of a page drawn from them alone is kept under it
    # (see the dashboard's figures), so it serves for as long as these figures are the ones shown.
    counting: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)

    @property
    def registered_percent(self) -> int:
        return percent(self.registered, self.members)

    @property
    def approved_percent(self) -> int:
        return percent(self.approved, self.members)

    @property
    def evaluated_percent(self) -> int:
        return percent(self.evaluated, self.members)


def _two_places(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _child_path(unit: Unit, path_field: str):
    """Each row counts towards the child of ``unit`` whose path prefixes the row's unit."""
    return Substr(path_field, 1, len(unit.path) + Unit.steplen)


def unit_figures(user, unit: Unit, year: int) -> Figures:
    # Labels are taken as text in the reader's language (not lazily): the dashboard keeps its figures in the
    # cache, and reading back lazy text costs more than the figures themselves.
    figures = Figures(unit=unit, year=year, counted_at=timezone.now())
    members = _scoped(user, Member.objects.filter(status=MemberStatus.ACTIVE), unit, "unit__path")
    # Counted once, by sub-unit: the totals are the sums of the sub-units' rows (the unit's own among them).
    member_counts = _grouped(members, unit, "unit__path", n=Count("pk"))
    figures.members = sum(row["n"] for row in member_counts.values())
    # The year may be opened at this unit, above it, or separately by several unions below it: a member has one
    # commitment a year whichever opened it.
    movement_year = year_applying_to(unit, year=year)
    # A member whose record closed for good (moved out, came of age, left) after the year began still counts in
    # that year: closing a record today leaves last year's figures as they were.
    counted = Q(member__status=MemberStatus.ACTIVE) | Q(member__status__in=CLOSING_STATUSES,
                                                         member__closed_on__gte=datetime.date(year, 1, 1))
    commitments = _scoped(user, Commitment.objects.filter(counted, movement_year__year=year),
                          unit, "member__unit__path")
    commitment_counts = _grouped(
        commitments, unit, "member__unit__path",
        registered=Count("pk", filter=~Q(state=CommitmentState.DRAFT)),
        approved=Count("pk", filter=Q(state__in=APPROVED_STATES)),
        evaluated=Count("pk", filter=Q(state__in=EVALUATED_STATES)),
        excellent=Count("pk", filter=Q(state=CommitmentState.CONFIRMED, classification=Classification.EXCELLENT)))
    figures.registered, figures.approved, figures.evaluated = (
        sum(row[name] for row in commitment_counts.values()) for name in ("registered", "approved", "evaluated"))
    by_class = dict(commitments.filter(state=CommitmentState.CONFIRMED).order_by().values_list("classification")
                    .annotate(n=Count("pk")))
    figures.classifications = [(str(label), by_class.get(value, 0)) for value, label in Classification.choices]
    pledges = Pledge.objects.filter(commitment__in=commitments.filter(state__in=APPROVED_STATES))
    # The pledges, then those with verified evidence (a semi-join): joined, the evidence multiplied the rows and the
    # counts had to be distinct (a sort of every pledge of a city on disk); asked inside the count, the planner
    # looked the evidence up pledge by pledge, for minutes at metro scale.
    verified = Evidence.objects.filter(pledge=OuterRef("pk"), state=EvidenceState.VERIFIED)
    by_responsibility = _by_responsibility(pledges)
    done = _by_responsibility(pledges.filter(Exists(verified)))
    figures.pledges = [(str(movement_year.label_for(value) if movement_year else label),
                        by_responsibility.get(value, 0), done.get(value, 0))
                       for value, label in Responsibility.choices]

    projects = _scoped(user, YouthProject.objects.filter(year=year), unit, "unit__path")
    by_kind = dict(projects.order_by().values_list("kind").annotate(n=Count("pk")))
    figures.projects_by_kind = [(str(label), by_kind.get(value, 0)) for value, label in ProjectKind.choices]
    by_state = dict(projects.order_by().values_list("state").annotate(n=Count("pk")))
    figures.projects_by_state = [(str(label), by_state.get(value, 0)) for value, label in ProjectState.choices]
    live = projects.exclude(state=ProjectState.REJECTED)
    figures.project_totals = live.aggregate(
        count=Count("pk"), budget=Coalesce(Sum("budget"), Decimal(0)),
        value=Coalesce(Sum("final_value"), Decimal(0)), promised_value=Coalesce(Sum("promised_value"), Decimal(0)),
        hours=Coalesce(Sum("final_volunteer_hours"), 0), beneficiaries=Coalesce(Sum("final_beneficiaries"), 0))

    activities = _scoped(user, Activity.objects.filter(year=year), unit, "unit__path")
    figures.activities = activities.count()
    figures.attendances = Attendance.objects.filter(activity__in=activities).count()

    initiatives = _scoped(user, Initiative.objects.filter(year=year), unit, "unit__path")
    recognised = initiatives.filter(state__in=[InitiativeState.RECOGNISED, InitiativeState.APPLIED])
    by_level = dict(recognised.order_by().values_list("level").annotate(n=Count("pk")))
    figures.initiatives_by_level = [(str(label), by_level.get(value, 0)) for value, label in RecognitionLevel.choices]
    figures.initiatives = initiatives.aggregate(
        total=Count("pk"), research=Count("pk", filter=Q(kind=InitiativeKind.RESEARCH)),
        recognised=Count("pk", filter=Q(state__in=[InitiativeState.RECOGNISED, InitiativeState.APPLIED])),
        applied=Count("pk", filter=Q(state=InitiativeState.APPLIED)))

    collectives = _scoped(user, Collective.objects.filter(year=year), unit, "unit__path")
    by_collective_state = dict(collectives.order_by().values_list("state").annotate(n=Count("pk")))
    figures.collectives = [(str(label), by_collective_state.get(value, 0)) for value, label in CollectiveState.choices]

    campaigns = (campaigns_of_unit(user, unit).filter(starts_on__year=year).exclude(state=CampaignState.DRAFT)
                 .order_by("starts_on", "id"))
    approved_below = dict(_scoped(user, Registration.objects.filter(state=RegistrationState.APPROVED,
                                                                    campaign__in=campaigns), unit, "unit__path")
                          .order_by().values_list("campaign_id").annotate(n=Count("pk")))
    figures.campaigns = [(campaign, approved_below.get(campaign.pk, 0)) for campaign in campaigns]

    feedback = _scoped(user, Feedback.objects.filter(created_at__year=year), unit, "point__unit__path")
    figures.feedback = feedback_summary(feedback)
    figures.feedback["points"] = feedback.filter(SHOWN_FEEDBACK).values("point").distinct().count()
    figures.feedback["average"] = _two_places(figures.feedback["average"])
    figures.collective_feedback = [
        (row["point__collective__name"], row["point__collective__unit__name"], row["count"],
         _two_places(row["average"]))
        for row in feedback.filter(SHOWN_FEEDBACK, point__collective__isnull=False)
        .values("point__collective_id", "point__collective__name", "point__collective__unit__name")
        .annotate(count=Count("pk"), average=Avg("average")).order_by("-count", "point__collective__name")]

    figures.sub_units = _sub_unit_rows(user, unit, member_counts, commitment_counts, projects, initiatives)
    return figures


def cached_unit_figures(user, unit: Unit, year: int, *, earlier_meanwhile: bool = False) -> Figures:
    """unit_figures, kept in the cache until the portal's data changes: the dashboard, the year-end report's page
    and its workbook show the same figures, computed once, and so do the readers who may read the same (a
    committee's members, see AccessPolicy.reach). ``earlier_meanwhile`` for the dashboard: while they are drawn
    after a change, the figures of before it (see reports.caching.cached)."""
    return caching.cached("figures", (policy.reach(user), unit.pk, year), lambda: unit_figures(user, unit, year),
                          one_at_a_time=True, earlier_meanwhile=earlier_meanwhile)


def _by_responsibility(pledges) -> dict:
    return dict(pledges.order_by().values_list("criterion__responsibility").annotate(n=Count("pk")))


def _grouped(queryset, unit: Unit, path_field: str, **aggregates) -> dict:
    rows = (queryset.annotate(child_path=_child_path(unit, path_field)).order_by().values("child_path")
            .annotate(**aggregates))
    return {row.pop("child_path"): row for row in rows}


def _sub_unit_rows(user, unit, member_counts, commitment_counts, projects, initiatives) -> list[SubUnitRow]:
    children = list(policy.units(user, Action.VIEW_REPORTS).filter(depth=unit.depth + 1, path__startswith=unit.path))
    if not children:
        return []
    project_counts = _grouped(projects.exclude(state=ProjectState.REJECTED), unit, "unit__path", n=Count("pk"))
    initiative_counts = _grouped(initiatives, unit, "unit__path", n=Count("pk"))
    rows = []
    # Rows grouped under the unit's own path are those placed in the unit itself: a row of their own, so that
    # the table adds up to the totals.
    for child, direct in [(child, False) for child in children] + [(unit, True)]:
        done = commitment_counts.get(child.path, {})
        row = SubUnitRow(
            unit=child, direct=direct, members=member_counts.get(child.path, {}).get("n", 0),
            registered=done.get("registered", 0), approved=done.get("approved", 0),
            evaluated=done.get("evaluated", 0), excellent=done.get("excellent", 0),
            projects=project_counts.get(child.path, {}).get("n", 0),
            initiatives=initiative_counts.get(child.path, {}).get("n", 0))
        if not direct or row.members or row.projects or row.initiatives:
            rows.append(row)
    return rows


SUB_UNIT_SORTS = {"name": lambda row: fold(row.unit.name), "members": lambda row: -row.members,
                  "registered": lambda row: -row.registered_percent, "excellent": lambda row: -row.excellent,
                  "projects": lambda row: -row.projects}
