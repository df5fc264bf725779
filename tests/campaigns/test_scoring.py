"""The arithmetic of a campaign: completion per target in both directions, the weighted score, ranks with ties,
and the pace flag."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from campaigns.scoring import (
    CAP,
    TargetFigures,
    all_met,
    behind_pace,
    completion,
    elapsed_share,
    ranks,
    score,
)


def test_higher_is_better_counts_reached_over_pledged_capped():
    assert completion("higher", Decimal(100), Decimal(50)) == Decimal("0.5")
    assert completion("higher", Decimal(100), Decimal(100)) == 1
    assert completion("higher", Decimal(100), Decimal(400)) == CAP
    assert completion("higher", Decimal(0), Decimal(5)) is None


def test_lower_is_better_counts_pledged_over_reached():
    assert completion("lower", Decimal(10), Decimal(20)) == Decimal("0.5")
    assert completion("lower", Decimal(10), Decimal(10)) == 1
    assert completion("lower", Decimal(10), Decimal(0)) == CAP
    assert completion("lower", Decimal(0), Decimal(0)) == 1
    assert completion("lower", Decimal(0), Decimal(3)) == 0


def test_the_score_is_the_weighted_mean_in_percent():
    figures = [TargetFigures(1, "higher", 2, Decimal(100), Decimal(50)),   # 0.5 × 2
               TargetFigures(2, "lower", 1, Decimal(10), Decimal(10))]     # 1.0 × 1
    assert score(figures) == Decimal("66.67")
    assert not all_met(figures)
    assert all_met([TargetFigures(1, "higher", 1, Decimal(5), Decimal(5)),
                    TargetFigures(2, "lower", 3, Decimal(2), Decimal(1))])


def test_a_target_not_pledged_does_not_count():
    figures = [TargetFigures(1, "higher", 5, Decimal(0), Decimal(0)),
               TargetFigures(2, "higher", 1, Decimal(10), Decimal(10))]
    assert score(figures) == Decimal("100.00")
    assert score([TargetFigures(1, "higher", 5, Decimal(0), Decimal(0))]) == Decimal("0.00")


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    assert ranks([Decimal(80), Decimal(95), Decimal(80), Decimal(60)]) == [2, 1, 2, 4]


@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=30))
def test_a_rank_is_one_more_than_the_number_of_better_scores(values):
    scores = [Decimal(value) for value in values]
    assert ranks(scores) == [1 + sum(other > mine for other in scores) for mine in scores]


def test_behind_pace_compares_with_the_time_gone():
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 30)
    half = elapsed_share(start, end, datetime.date(2026, 3, 15))
    assert half == Decimal(15) / Decimal(30)
    figures = [TargetFigures(1, "higher", 1, Decimal(100), Decimal(30)),  # 30 < 50 × 0.8
               TargetFigures(2, "higher", 1, Decimal(100), Decimal(45)),  # 45 ≥ 40
               TargetFigures(3, "lower", 1, Decimal(5), Decimal(6))]      # over the whole allowance
    assert behind_pace(figures, half) == [1, 3]
    assert elapsed_share(start, end, datetime.date(2026, 2, 1)) == 0
    assert elapsed_share(start, end, datetime.date(2026, 5, 1)) == 1


def test_nothing_reported_is_nothing_completed_in_either_direction():
    assert completion("lower", Decimal(5), None) == 0
    assert completion("higher", Decimal(5), None) == 0
    silent = [TargetFigures(1, "higher", 1, Decimal(10), None), TargetFigures(2, "lower", 1, Decimal(5), None)]
    assert score(silent) == 0 and not all_met(silent)


def test_nobody_is_behind_in_the_first_days():
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 30)
    figures = [TargetFigures(1, "higher", 1, Decimal(100), None)]
    assert behind_pace(figures, elapsed_share(start, end, datetime.date(2026, 3, 2))) == []
    assert behind_pace(figures, elapsed_share(start, end, datetime.date(2026, 3, 10))) == [1]
