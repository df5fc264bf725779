"""Exporters: one class per report, yielding its tables once; the renderers turn any exporter into a workbook
or a PDF. An exporter computes its scope from the user it is given, never from a request."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.utils.translation import gettext as _

from config.streaming import stream_rows
from members.access import Action, policy
from members.models import MemberStatus, Unit
from movements.models import Classification, CommitmentState, MovementYear
from reports.figures import Figures, cached_unit_figures


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: Iterable[Sequence]  # a generator for long tables: rows are written as they come
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
            self._figures = cached_unit_figures(self.user, self.unit, self.year)
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
        opinions = f.feedback
        yield Table("feedback", _("Listening to the people"), [_("Figure"), _("Value")], [
            [_("Feedback points that received opinions"), opinions.get("points", 0)],
            [_("Opinions of the people"), opinions.get("count", 0)],
            [_("Average rating (out of 5)"), opinions.get("average") if opinions.get("average") is not None else "—"],
            [_("Opinions answered"), opinions.get("answered", 0)],
            [_("Opinions hidden as abusive"), opinions.get("hidden", 0)]])
        if f.collective_feedback:
            yield Table("collective_feedback", _("The people's opinions of the youth collectives"),
                        [_("Collective"), _("Unit"), _("Opinions"), _("Average rating (out of 5)")],
                        [list(row) for row in f.collective_feedback], sheet=_("Opinions of collectives"))
        yield Table("sub_units", _("By sub-unit"), [_("Unit"), _("Active members"), _("Registered"), _("Approved"),
                                                    _("Evaluated"), _("Excellent"), _("Youth projects"),
                                                    _("Initiatives")], [
            [row.label, row.members, row.registered, row.approved, row.evaluated, row.excellent, row.projects,
             row.initiatives] for row in f.sub_units])
        yield Table("members", _("Members"), [_("Full name"), _("Unit"), _("Commitment"), _("Classification")],
                    self.member_rows(), in_pdf=False)

    def member_rows(self) -> Iterator[tuple]:
        """Every active member of the subtree with the state of their commitment, streamed from the database."""
        # One join, not two subqueries per member: the join reads each table once. A member who moved between
        # unions that opened the year separately may hold two commitments of the year: their rows come together,
        # the one made first ahead, and only it is kept.
        movement_years = list(MovementYear.objects.filter(year=self.year).values_list("pk", flat=True))
        members = (policy.members(self.user, Action.VIEW_REPORTS)
                   .filter(self.unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE)
                   .annotate(this_year=FilteredRelation("commitments", condition=Q(
                       commitments__movement_year__in=movement_years)))
                   .order_by("unit__path", "sort_name", "pk", "this_year__pk")
                   .values_list("pk", "full_name", "unit__name", "this_year__state", "this_year__classification"))
        # Labels translated once, not once a row.
        not_registered = _("Not registered")
        states = {value: str(label) for value, label in CommitmentState.choices}
        classes = {value: str(label) for value, label in Classification.choices}
        previous = None
        for member, full_name, unit_name, state, classification in stream_rows(members):
            if member != previous:
                previous = member
                yield full_name, unit_name, states.get(state, not_registered), classes.get(classification, "")


class ReviewExporter:
    """A campaign's interim or final review: the frozen ranking, with each target's figures."""

    kind = "review"

    def __init__(self, user, review):
        from campaigns.selectors import campaigns_for, visible_registration_ids

        if not campaigns_for(user).filter(pk=review.campaign_id).exists():
            raise Http404
        # The review report is the committee's document, kept in its archive: for those who read its reports.
        policy.check(user, Action.VIEW_REPORTS, review.campaign.unit)
        self.user, self.review, self.campaign = user, review, review.campaign
        self.unit = self.campaign.unit
        self.visible = visible_registration_ids(user, review.entries.values_list("registration_id", flat=True))

    @classmethod
    def from_params(cls, user, unit, params):
        from campaigns.models import Review

        try:
            review = Review.objects.select_related("campaign__unit", "stage").get(pk=params.get("review"))
        except (Review.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        return cls(user, review)

    @property
    def title(self) -> str:
        return str(self.review)

    def lead(self) -> list[str]:
        return [_("Held on %(day)s.") % {"day": f"{self.review.held_on:%d/%m/%Y}"}, *self.review.note.splitlines()]

    def tables(self) -> Iterator[Table]:
        targets = list(self.campaign.targets.all())
        entries = [entry for entry in self.review.entries.all() if entry.registration_id in self.visible]
        headers = [_("Rank"), _("Registrant"), _("Unit"), _("Score"), _("Outcome"), _("Award at this review"),
                   *[f"{target.name} ({target.measure})" for target in targets]]

        from campaigns.templatetags.campaign_tags import figure as shown

        def reached(entry, target):
            values = entry.figures.get(str(target.pk)) or {}
            return f"{shown(values.get('reached') or 0)}/{shown(values.get('pledged') or 0)}"

        yield Table("ranking", _("Ranking"), headers, [
            [entry.rank, entry.registrant_name, entry.unit_name, entry.score, entry.get_outcome_display(),
             entry.small_award, *[reached(entry, target) for target in targets]] for entry in entries])


class AwardListExporter:
    """The award proposal list (danh sách đề nghị khen thưởng) of a unit's subtree for a year, by award."""

    kind = "awards"

    def __init__(self, user, unit: Unit, year: int):
        policy.check(user, Action.VIEW_AWARDS, unit)
        policy.check(user, Action.VIEW_REPORTS, unit)
        self.user, self.unit, self.year = user, unit, year

    @classmethod
    def from_params(cls, user, unit, params):
        year = str(params.get("year", ""))
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise Http404
        return cls(user, unit, int(year))

    @property
    def title(self) -> str:
        return _("Award proposal list %(year)s") % {"year": self.year}

    def lead(self) -> list[str]:
        return [_("Proposed by %(unit)s and the units under it.") % {"unit": self.unit.name}]

    def tables(self) -> Iterator[Table]:
        from campaigns.models import AwardState
        from campaigns.selectors import awards_for

        awards = (awards_for(self.user).filter(self.unit.subtree_q("unit__path"), year=self.year,
                                               state=AwardState.PROPOSED)
                  .order_by("title__level", "title__name", "unit__path", "recipient_name"))
        by_title = {}
        for award in awards:
            by_title.setdefault(award.title, []).append(award)
        for title, proposals in by_title.items():
            yield Table(f"award-{title.pk}", title.name, [_("No."), _("Recipient"), _("Unit"),
                                                           _("Summary of achievements")], [
                [number, award.recipient_name, award.unit.name, award.achievements]
                for number, award in enumerate(proposals, start=1)])


class MemberListExporter:
    """The members of a unit's subtree as filtered on the member list (name, unit, position, status)."""

    kind = "members"

    # A PDF of more rows takes minutes to lay out; the workbook takes any number.
    PDF_ROWS = 2000

    def __init__(self, user, unit: Unit, params: dict):
        policy.check(user, Action.VIEW_MEMBERS, unit)
        policy.check(user, Action.VIEW_REPORTS, unit)
        self.user, self.unit, self.params = user, unit, params

    @classmethod
    def from_params(cls, user, unit, params):
        return cls(user, unit, params)

    @property
    def title(self) -> str:
        return _("Member list of %(unit)s") % {"unit": self.unit.name}

    def lead(self) -> list[str]:
        return []

    def members(self):
        from members.text import fold

        members = policy.members(self.user, Action.VIEW_MEMBERS).filter(self.unit.subtree_q("unit__path"))
        text = str(self.params.get("q", "")).strip()
        if text:
            members = members.filter(Q(search_name__contains=fold(text)) | Q(card_number__icontains=text))
        if str(self.params.get("unit", "")).isdigit():
            chosen = policy.units(self.user, Action.VIEW_MEMBERS).filter(pk=self.params["unit"]).first()
            members = members.filter(chosen.subtree_q("unit__path")) if chosen else members.none()
        if self.params.get("position"):
            members = members.filter(position__icontains=self.params["position"])
        if self.params.get("status") in MemberStatus.values:
            members = members.filter(status=self.params["status"])
        return members.order_by("unit__path", "sort_name")

    def tables(self) -> Iterator[Table]:
        rows = self.members().values_list("full_name", "birth_date", "card_number", "unit__name", "position",
                                          "status")
        statuses = {value: str(label) for value, label in MemberStatus.choices}  # translated once, not once a row
        # The date written out by hand: format() with %d/%m/%Y takes twice as long, once for each of 50,000 rows.
        yield Table("members", _("Members"), [_("No."), _("Full name"), _("Date of birth"), _("Card number"),
                                              _("Unit"), _("Position"), _("Status")], (
            (number, name, "%02d/%02d/%d" % (birth.day, birth.month, birth.year) if birth else "", card, unit,
             position, statuses[status])
            for number, (name, birth, card, unit, position, status) in enumerate(stream_rows(rows),
                                                                                  start=1)))


LIST_EXPORTERS = {exporter.kind: exporter for exporter in (ReviewExporter, AwardListExporter, MemberListExporter)}
