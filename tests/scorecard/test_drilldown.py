"""The drill-down lists exactly what the engine counts: one definition serves both."""

import pytest

from motcua.scorecard.engine import drill_codes, drilldown, evaluate

CASES = [("hatinh-2023", "2023"), ("hatinh-2023", "2024-01"), ("qd766", "2023"), ("qd766", "2023-Q4")]


@pytest.mark.django_db
@pytest.mark.parametrize(("plan", "period"), CASES)
def test_every_row_counts_the_codes_its_drilldown_lists(tiny, plan, period):
    rows = [r for r in evaluate(plan, period) if r.indicator != "total"]
    assert rows
    for row in rows:
        found = drilldown(plan, period, row.indicator, row.scope, row.key)
        if found.parts:  # a formula: its first rate's population is the row's basis
            _population, _num, den = found.parts[0]
            assert drill_codes(found.kind, den).count() > 0
            continue
        numerator = list(drill_codes(found.kind, found.numerator))
        denominator = list(drill_codes(found.kind, found.denominator))
        assert set(numerator) <= set(denominator)
        if found.kind == "payment":  # several payments of one dossier make one code
            assert len(denominator) <= row.denominator
        else:
            assert (len(numerator), len(denominator)) == (row.numerator, row.denominator), row


@pytest.mark.django_db
def test_drilldown_names_the_dossiers_of_a_unit(tiny):
    found = drilldown("hatinh-2023", "2023", "on_time_rate", "unit", "000.01.21.H29")
    assert list(drill_codes(found.kind, found.denominator)) == ["D10", "D12", "D3", "D4", "D5"]
    assert list(drill_codes(found.kind, found.numerator)) == ["D5"]


@pytest.mark.django_db
def test_drilldown_of_qd766_satisfaction_lists_each_rate(tiny):
    found = drilldown("qd766", "2023", "mdhl_satisfaction", "unit", "000.00.01.H29")
    late_population, late, handled = found.parts[0]
    complaint_population, complained, received = found.parts[1]
    assert (late_population, complaint_population) == ("handled", "received")
    assert list(drill_codes("dossier", late)) == ["D11"]
    assert list(drill_codes("dossier", handled)) == ["D1", "D11", "D2"]
    assert list(drill_codes("dossier", complained)) == ["D2"]
    assert list(drill_codes("dossier", received)) == ["D1", "D11", "D2"]
