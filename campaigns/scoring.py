"""Scores, ranks and pace of a campaign's registrants: plain arithmetic on the figures, no database.

Each target counts by how far the registrant came against its own pledge: reached ÷ pledged when higher is
better, pledged ÷ reached when lower is better (reaching no more than pledged is then 100 %). A completion is
capped at ``CAP`` so that one overshot target cannot hide the others. The score is the weighted mean of the
completions, in percent. A registrant that has reported nothing has completed nothing, in either direction:
no complaints reported is not the same as no complaints. (Registration asks for a pledge above 0 on every
higher-is-better target, so that no target can be left out of the mean.)
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CAP = Decimal("1.5")
HUNDRED = Decimal(100)
# Behind pace: reached less than this share of what the days gone would predict (or, when lower is better,
# more than the days gone allow by the inverse margin).
PACE_TOLERANCE = Decimal("0.8")
# Nobody is behind before this share of the campaign has passed: on day one everyone has reached nothing.
PACE_GRACE = Decimal("0.2")


@dataclass(frozen=True)
class TargetFigures:
    target_id: int
    direction: str  # "higher" or "lower"
    weight: int
    pledged: Decimal
    reached: Decimal | None  # None: nothing reported yet


def completion(direction: str, pledged: Decimal, reached: Decimal | None) -> Decimal | None:
    """How far a target is met, 1 meaning exactly met; None when there is nothing to measure against."""
    if reached is None:
        return Decimal(0) if direction == "lower" or pledged > 0 else None
    if direction == "lower":
        if reached == 0:
            return CAP if pledged > 0 else Decimal(1)
        return min(CAP, pledged / reached)
    if pledged <= 0:
        return None
    return min(CAP, reached / pledged)


def score(figures: list[TargetFigures]) -> Decimal:
    weighted = total_weight = Decimal(0)
    for figure in figures:
        share = completion(figure.direction, figure.pledged, figure.reached)
        if share is None:
            continue
        weighted += share * figure.weight
        total_weight += figure.weight
    if not total_weight:
        return Decimal("0.00")
    return (weighted / total_weight * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def all_met(figures: list[TargetFigures]) -> bool:
    shares = [completion(f.direction, f.pledged, f.reached) for f in figures]
    counted = [share for share in shares if share is not None]
    return bool(counted) and all(share >= 1 for share in counted)


def ranks(scores: list[Decimal]) -> list[int]:
    """Competition ranking ("1, 2, 2, 4"): equal scores share a rank, and the next rank skips."""
    order = sorted(scores, reverse=True)
    first_place = {}
    for position, value in enumerate(order, start=1):
        first_place.setdefault(value, position)
    return [first_place[value] for value in scores]


def elapsed_share(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> Decimal:
    days = (ends_on - starts_on).days + 1
    gone = min(max((today - starts_on).days + 1, 0), days)
    return Decimal(gone) / Decimal(days)


def behind_pace(figures: list[TargetFigures], share_of_time: Decimal) -> list[int]:
    """The targets on which a registrant lags the time gone: a higher-is-better target reached below the
    tolerated share of its pledge, a lower-is-better one past the share of its allowance the days gone allow."""
    if share_of_time < PACE_GRACE:
        return []
    lagging = []
    for figure in figures:
        reached = figure.reached or Decimal(0)
        expected = figure.pledged * share_of_time
        if figure.direction == "lower":
            if reached > 0 and reached > expected / PACE_TOLERANCE:
                lagging.append(figure.target_id)
        elif figure.pledged > 0 and reached < expected * PACE_TOLERANCE:
            lagging.append(figure.target_id)
    return lagging
