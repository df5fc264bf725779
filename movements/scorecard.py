"""Pledged against achieved: each pledge's progress from its verified evidence, and each responsibility's."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from movements.models import Commitment, Evidence, EvidenceState, Pledge, Responsibility, TargetKind


@dataclass
class PledgeProgress:
    pledge: Pledge
    evidence: list[Evidence]
    achieved: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    percent: int = 0


@dataclass
class ResponsibilityProgress:
    label: str
    pledges: list[PledgeProgress] = field(default_factory=list)
    percent: int = 0


def _progress(pledge: Pledge) -> PledgeProgress:
    evidence = list(pledge.evidence.all())
    verified = [e for e in evidence if e.state == EvidenceState.VERIFIED]
    progress = PledgeProgress(pledge, evidence)
    if pledge.target_kind == TargetKind.NUMBER:
        progress.achieved = sum((e.value_reached or Decimal(0) for e in verified), Decimal(0))
        progress.pending = sum((e.value_reached or Decimal(0) for e in evidence if e.state == EvidenceState.PENDING),
                               Decimal(0))
        target = pledge.target_value or Decimal(0)
        if target > 0:
            progress.percent = min(100, int(progress.achieved * 100 / target))
        else:
            progress.percent = 100 if verified else 0
    else:
        progress.percent = 100 if verified else 0
    return progress


def weighted_percent(items: list[PledgeProgress]) -> float:
    """The share achieved over pledges, each criterion counting by its weight however many pledges it has."""
    by_criterion: dict[int, list[PledgeProgress]] = {}
    for item in items:
        by_criterion.setdefault(item.pledge.criterion_id, []).append(item)
    weights = sum(group[0].pledge.criterion.weight for group in by_criterion.values())
    if not weights:
        return 0.0
    return sum(
        group[0].pledge.criterion.weight * sum(item.percent for item in group) / len(group)
        for group in by_criterion.values()
    ) / weights


def pledges_with_evidence(commitment: Commitment):
    return commitment.pledges.select_related("criterion").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.prefetch_related("files")), "amendments")


def scorecard(commitment: Commitment) -> list[ResponsibilityProgress]:
    """One row per responsibility, the year's wording first; the share is weighted by the criteria's weights."""
    progress = [_progress(pledge) for pledge in pledges_with_evidence(commitment)]
    rows = []
    for responsibility in Responsibility.values:
        row = ResponsibilityProgress(commitment.movement_year.label_for(responsibility),
                                     [p for p in progress if p.pledge.criterion.responsibility == responsibility])
        row.percent = int(weighted_percent(row.pledges))
        rows.append(row)
    return rows
