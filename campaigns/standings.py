"""Where each approved registrant stands: pledged and reached per target, score, rank within its kind, pace.

Computed for the whole campaign in three queries, whatever the number of registrants; pages then show the rows
the reader may see, with the ranks of the whole field."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Sum
from django.utils import timezone

from campaigns import scoring
from campaigns.models import (
    Campaign,
    ProgressFigure,
    RecipientKind,
    Registration,
    RegistrationFigure,
    RegistrationState,
    Target,
)
from members.access import OWNER_ACTIONS, Action, policy
from reports import caching


@dataclass
class Standing:
    registration: Registration
    figures: list[scoring.TargetFigures]
    score: Decimal
    met: bool
    rank: int = 0
    lagging: tuple[int, ...] = ()

    def figure_rows(self, targets: list[Target]):
        by_target = {figure.target_id: figure for figure in self.figures}
        return [(target, by_target[target.pk]) for target in targets if target.pk in by_target]


def campaign_standings(campaign: Campaign, *, until: datetime.date | None = None,
                       today: datetime.date | None = None) -> tuple[list[Target], list[Standing]]:
    """Every approved registration's standing from the reports dated up to ``until`` (all when None), ranked
    within its kind; with ``today`` given, the targets on which each lags the pace of the days gone."""
    targets = list(campaign.targets.all())
    registrations = list(Registration.objects.filter(campaign=campaign, state=RegistrationState.APPROVED)
                         .select_related("unit", "member", "collective"))
    pledged = defaultdict(dict)
    for registration_id, target_id, value in RegistrationFigure.objects.filter(
            registration__campaign=campaign, registration__state=RegistrationState.APPROVED).values_list(
            "registration_id", "target_id", "pledged"):
        pledged[registration_id][target_id] = value
    progress = ProgressFigure.objects.filter(report__registration__campaign=campaign)
    if until is not None:
        progress = progress.filter(report__reported_on__lte=until)
    reached = defaultdict(dict)
    for registration_id, target_id, total in (progress.order_by().values_list("report__registration_id", "target_id")
                                              .annotate(total=Sum("value"))):
        reached[registration_id][target_id] = total
    share_of_time = scoring.elapsed_share(campaign.starts_on, campaign.ends_on, today) if today else None
    standings = []
    for registration in registrations:
        # Each report carries every target, so a registrant has figures for all of them or for none.
        has_reported = registration.pk in reached
        figures = [scoring.TargetFigures(target.pk, target.direction, target.weight,
                                         pledged[registration.pk].get(target.pk, Decimal(0)),
                                         reached[registration.pk].get(target.pk, Decimal(0)) if has_reported
                                         else None)
                   for target in targets]
        standing = Standing(registration, figures, scoring.score(figures), scoring.all_met(figures))
        if share_of_time is not None:
            standing.lagging = tuple(scoring.behind_pace(figures, share_of_time))
        standings.append(standing)
    by_kind = defaultdict(list)
    for standing in standings:
        by_kind[standing.registration.kind].append(standing)
    for group in by_kind.values():
        for standing, rank in zip(group, scoring.ranks([s.score for s in group]), strict=True):
            standing.rank = rank
    standings.sort(key=lambda s: (s.registration.kind, s.rank, s.registration.registrant_name))
    return targets, standings


@dataclass(frozen=True)
class Registrant:
    """What a page shows of a ranked registration. The cached standings carry this instead of the model: reading
    thousands of model instances back from the cache takes longer than ranking them again."""

    pk: int
    kind: str
    registrant_name: str
    unit_name: str
    unit_path: str
    member_user_id: int | None

    @classmethod
    def of(cls, registration: Registration) -> "Registrant":
        return cls(registration.pk, registration.kind, registration.registrant_name, registration.unit.name,
                   registration.unit.path, registration.member.user_id if registration.member else None)

    def get_kind_display(self) -> str:
        return RecipientKind(self.kind).label


def visible_rows(user):
    """A test of the rows (Registrants) the user may read: what campaigns.selectors.registrations_for lets them
    read, for rows already in hand, without a query."""
    sees_campaigns = policy.covering(user, Action.VIEW_CAMPAIGNS)
    sees_members = policy.covering(user, Action.VIEW_MEMBERS)
    own_counts = Action.VIEW_MEMBERS in OWNER_ACTIONS and getattr(user, "is_authenticated", False)

    def visible(row: Registrant) -> bool:
        if row.kind != RecipientKind.MEMBER:
            return sees_campaigns(row.unit_path)
        return (own_counts and row.member_user_id is not None and row.member_user_id == user.pk) or sees_members(
            row.unit_path)

    return visible


def standings_today(campaign: Campaign) -> tuple[list[Target], list[Standing]]:
    """The ranking as lists show it today (rank, score, targets met, pace), kept in the cache until the portal's
    data changes; each standing's ``registration`` is a Registrant, and its figures per target are left out
    (a registration's own page takes them from campaign_standings)."""
    today = timezone.localdate()

    def rank():
        targets, standings = campaign_standings(campaign, today=today)
        return targets, [replace(standing, registration=Registrant.of(standing.registration), figures=[])
                         for standing in standings]

    return caching.cached("standings", (campaign.pk, today), rank, one_at_a_time=True)


def _readable_standings(user, campaign: Campaign) -> tuple[list[Target], list[Standing], list[Standing]]:
    """Today's targets, the whole ranking, and the rows of it the reader may see (ranks of the whole field)."""
    targets, standings = standings_today(campaign)
    visible = visible_rows(user)
    return targets, standings, [standing for standing in standings if visible(standing.registration)]


def reader_page(user, campaign: Campaign, number, page_size: int) -> tuple[list[Target], int, Page]:
    """One page of today's ranking as ``user`` may read it, and the size of the whole field. Kept per reader: a
    page of a ranking of thousands then reads its hundred rows back from the cache, not the thousands."""
    number = str(number or 1)[:9]

    def compute():
        targets, standings, readable = _readable_standings(user, campaign)
        page = Paginator(readable, page_size).get_page(number)
        return targets, len(standings), page.number, page.paginator.count, list(page.object_list)

    targets, field_size, number, count, rows = caching.cached(
        "ranking-page", (campaign.pk, timezone.localdate(), user.pk, number), compute)
    # A paginator over the positions only: the page's links and "101–200 of 4,990" without the rows themselves.
    return targets, field_size, Page(rows, number, Paginator(range(count), page_size))


def readers_laggards(user, campaign: Campaign, shown: int) -> tuple[int, list[Standing]]:
    """How many registrants the reader may see are behind pace today, and the ``shown`` furthest behind (on the
    most targets, the lower score first among them); kept per reader like reader_page."""

    def compute():
        behind = [standing for standing in _readable_standings(user, campaign)[2] if standing.lagging]
        return len(behind), sorted(behind, key=lambda s: (-len(s.lagging), s.score))[:shown]

    return caching.cached("ranking-behind", (campaign.pk, timezone.localdate(), user.pk, shown), compute)
