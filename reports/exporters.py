"""Exporters: one class per report, yielding its tables once; the renderers turn any exporter into a workbook
or a PDF. An exporter computes its scope from the user it is given, never from a request."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from members.access import Action, policy
from members.models import Member, MemberStatus, Unit
from movements.models import Classification, Commitment, CommitmentState
from movements.selectors import year_applying_to
from reports.figures import Figures, unit_figures


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: Iterable[list]
    in_pdf: bool = True  # per-person rows go to the workbook only
    sheet: str = ""  # a name short enough for a sheet tab (31 characters), when the title is not


class YearEndExporter:
    """The year-end report of the movement for a unit's subtree: summaries, sub-units, and every member."""

    def __init__(self, user, unit: Unit, year: int):
        policy.check(user, Action.VIEW_REPORTS, unit)
        self.user, self.unit, self.year = user, unit, year
        self._figures = None

    @property
    def figures(self) -> Figures:
        if self._figures is None:
            self._figures = unit_figures(self.user, self.unit, self.year)
        return self._figures

    @property
    def title(self) -> str:
        return _("Year-end report of the Three Responsibilities movement %(year)s") % {"year": self.year}

    def tables(self) -> Iterator[Table]:
        f = self.figures
        yield Table("participation", _("Members and commitments"), [_("Figure"), _("Number"), _("Share (%)")], [
            [_("Active members"), f.members, 100 if f.members else 0],
            [_("Registered a commitment"), f.registered, f.registered_percent],
            [_("Commitments approved"), f.approved, f.approved_percent],
            [_("Evaluated"), f.evaluated, f.evaluated_percent]])
        yield Table("classifications", _("Classifications confirmed"), [_("Classification"), _("Members")],
                    [[label, count] for label, count in f.classifications])
        yield Table("pledges", _("Pledges by responsibility"),
                    [_("Responsibility"), _("Pledges"), _("With verified evidence")],
                    [[label, total, done] for label, total, done in f.pledges], sheet=_("Pledges"))
        totals = f.project_totals
        yield Table("projects", _("Youth projects"), [_("Figure"), _("Value")], [
            *[[label, count] for label, count in f.projects_by_kind],
            *[[label, count] for label, count in f.projects_by_state],
            [_("Budget (VND)"), totals.get("budget", 0)], [_("Value accepted (VND)"), totals.get("value", 0)],
            [_("Volunteer hours"), totals.get("hours", 0)], [_("People who benefited"), totals.get("beneficiaries", 0)]])
        yield Table("development", _("Professional development, initiatives and collectives"), [_("Figure"),
                                                                                                _("Number")], [
            [_("Activities held"), f.activities], [_("Attendances"), f.attendances],
            [_("Initiatives and research topics"), f.initiatives.get("total", 0)],
            [_("of which research topics"), f.initiatives.get("research", 0)],
            [_("Recognised"), f.initiatives.get("recognised", 0)], [_("Applied"), f.initiatives.get("applied", 0)],
            *[[_("Recognised at: %(level)s") % {"level": label}, count] for label, count in f.initiatives_by_level],
            *[[_("Collectives: %(state)s") % {"state": label}, count] for label, count in f.collectives]],
            sheet=_("Development and initiatives"))
        yield Table("campaigns", _("Emulation campaigns"), [_("Campaign"), _("Launched by"), _("Dates"), _("State"),
                                                            _("Approved registrations")], [
            [campaign.title, campaign.unit.name, f"{campaign.starts_on:%d/%m/%Y}–{campaign.ends_on:%d/%m/%Y}",
             campaign.get_state_display(), count] for campaign, count in f.campaigns])
        yield Table("sub_units", _("By sub-unit"), [_("Unit"), _("Active members"), _("Registered"), _("Approved"),
                                                    _("Evaluated"), _("Excellent"), _("Youth projects"),
                                                    _("Initiatives")], [
            [row.unit.name, row.members, row.registered, row.approved, row.evaluated, row.excellent, row.projects,
             row.initiatives] for row in f.sub_units])
        yield Table("members", _("Members"), [_("Full name"), _("Unit"), _("Commitment"), _("Classification")],
                    self.member_rows(), in_pdf=False)

    def member_rows(self) -> Iterator[list]:
        """Every active member of the subtree with the state of their commitment, streamed from the database."""
        movement_year = year_applying_to(self.unit, year=self.year)
        commitments = Commitment.objects.filter(member=OuterRef("pk"), movement_year=movement_year)
        members = (policy.members(self.user, Action.VIEW_REPORTS)
                   .filter(self.unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE)
                   .annotate(commitment_state=Subquery(commitments.values("state")[:1]),
                             classification=Subquery(commitments.values("classification")[:1]))
                   .order_by("unit__path", "sort_name").values_list("full_name", "unit__name", "commitment_state",
                                                                    "classification"))
        states, classes = dict(CommitmentState.choices), dict(Classification.choices)
        for full_name, unit_name, state, classification in members.iterator(chunk_size=2000):
            yield [full_name, unit_name, str(states.get(state, _("Not registered"))),
                   str(classes.get(classification, ""))]

    def member_count(self) -> int:
        return Member.objects.filter(self.unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE).count()
