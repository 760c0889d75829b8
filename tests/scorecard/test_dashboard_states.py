"""How the dashboard judges a row: met, at risk, missed, or tracked (docs/dashboard.md)."""

from decimal import Decimal

import pytest

from motcua.scorecard.dashboard import AT_RISK, MET, MISSED, TRACKED, judge
from motcua.scorecard.engine import ResultRow


def row(value, target, met):
    return ResultRow("x", "province", "42", value=Decimal(value) if value is not None else None,
                     target=Decimal(target) if target is not None else None, met=met)  # fmt: skip


def test_no_target_or_no_value_is_tracked():
    assert judge(row("40", None, None), ">=", "%", closed=False) == TRACKED
    assert judge(row(None, "60", None), ">=", "%", closed=True) == TRACKED


def test_a_closed_period_is_final():
    assert judge(row("59", "60", False), ">=", "%", closed=True) == MISSED
    assert (
        judge(row("60.5", "60", True), ">=", "%", closed=True, previous=Decimal(70), last=Decimal(50)) == MET
    )


@pytest.mark.parametrize(
    ("value", "state"),
    [("55", AT_RISK), ("55.01", AT_RISK), ("54.99", MISSED), ("30", MISSED)],
)
def test_a_running_percentage_within_five_points_below_its_target_is_at_risk(value, state):
    assert judge(row(value, "60", False), ">=", "%", closed=False) == state


def test_a_met_percentage_is_at_risk_only_when_its_last_month_fell_and_its_margin_is_thin():
    thin = row("62", "60", True)
    assert judge(thin, ">=", "%", closed=False, previous=Decimal(70), last=Decimal(58)) == AT_RISK
    assert judge(thin, ">=", "%", closed=False, previous=Decimal(58), last=Decimal(70)) == MET
    assert judge(thin, ">=", "%", closed=False) == MET  # no trend known
    wide = row("80", "60", True)
    assert judge(wide, ">=", "%", closed=False, previous=Decimal(90), last=Decimal(70)) == MET


def test_for_an_upper_bound_rising_is_the_wrong_way():
    rank = row("18", "20", True)  # PCI rank ≤ 20
    assert judge(rank, "<=", "rank", closed=False, previous=Decimal(15), last=Decimal(18)) == AT_RISK
    assert judge(rank, "<=", "rank", closed=False, previous=Decimal(19), last=Decimal(18)) == MET
    # Counts and ranks have no five-point zone: short of the target is missed.
    assert judge(row("22", "20", False), "<=", "rank", closed=False) == MISSED
    assert judge(row("2", "3", False), ">=", "count", closed=False) == MISSED
