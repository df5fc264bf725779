"""The classification the portal suggests beside the branch's own judgement, with its reasons written out."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from movements.models import APPROVED_STATES, Classification, Commitment, MovementYear
from movements.scorecard import ResponsibilityProgress, weighted_percent


@dataclass
class Suggestion:
    classification: Classification
    overall_percent: int
    evidenced: int
    pledges: int
    reasons: list[str] = field(default_factory=list)


def suggest(movement_year: MovementYear, card: list[ResponsibilityProgress], participation=None) -> Suggestion:
    """From the year's rules: the share of the pledged targets achieved, and the pledges shown by verified evidence."""
    items = [item for row in card for item in row.pledges]
    # Thresholds are compared with the exact shares; only what is shown is rounded down.
    overall = weighted_percent(items)
    evidenced = sum(1 for item in items if any(e.state == "verified" for e in item.evidence))
    evidence_share = evidenced * 100 / len(items) if items else 0.0
    reasons = [
        _("%(percent)s%% of the pledged targets achieved (weighted by the criteria).") % {"percent": int(overall)},
        _("%(evidenced)s of %(pledges)s pledges shown by verified evidence.") % {"evidenced": evidenced,
                                                                                 "pledges": len(items)},
    ]
    if participation is not None and participation.expected:
        reasons.append(_("Took part in %(attended)s of %(expected)s activities of the units (%(percent)s%%).")
                       % {"attended": participation.attended, "expected": participation.expected,
                          "percent": participation.percent})
    year = movement_year
    if overall >= year.excellent_threshold and evidence_share >= year.excellent_evidence_share:
        level = Classification.EXCELLENT
        reasons.append(_("At least %(threshold)s%% achieved and %(share)s%% evidenced: “%(level)s”.")
                       % {"threshold": year.excellent_threshold, "share": year.excellent_evidence_share,
                          "level": level.label})
    else:
        if overall >= year.excellent_threshold:
            reasons.append(_("Enough achieved for “%(level)s”, but fewer than %(share)s%% of the pledges are evidenced.")
                           % {"level": Classification.EXCELLENT.label, "share": year.excellent_evidence_share})
        if overall >= year.good_threshold:
            level, threshold = Classification.GOOD, year.good_threshold
        elif overall >= year.complete_threshold:
            level, threshold = Classification.COMPLETE, year.complete_threshold
        else:
            level, threshold = Classification.INCOMPLETE, None
        if threshold is None:
            reasons.append(_("Less than %(threshold)s%% achieved: “%(level)s”.")
                           % {"threshold": year.complete_threshold, "level": level.label})
        else:
            reasons.append(_("At least %(threshold)s%% achieved: “%(level)s”.")
                           % {"threshold": threshold, "level": level.label})
    return Suggestion(level, int(overall), evidenced, len(items), reasons)


@dataclass
class ExcellentShare:
    excellent: int
    members: int  # the branch's members with an approved commitment this year: all of them will be classified
    limit: int | None

    @property
    def percent(self) -> int:
        return self.excellent * 100 // self.members if self.members else 0

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.excellent * 100 > self.limit * self.members


def excellent_share(commitment: Commitment, *, proposing: str | None = None) -> ExcellentShare:
    """The share of the branch rated “excellent” so far, counting this commitment as ``proposing``."""
    branch = Commitment.objects.filter(movement_year=commitment.movement_year, member__unit=commitment.member.unit,
                                       state__in=APPROVED_STATES)
    others = branch.exclude(pk=commitment.pk)
    excellent = others.filter(Q(classification=Classification.EXCELLENT) | Q(
        classification="", proposed_classification=Classification.EXCELLENT)).count()
    excellent += proposing == Classification.EXCELLENT
    return ExcellentShare(excellent, max(branch.count(), 1), commitment.movement_year.excellent_limit)
