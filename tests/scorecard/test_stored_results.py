"""Stored results: replaced atomically, served while fresh, recomputed once the data moves."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.scorecard import engine, services
from motcua.scorecard.models import DataSnapshot, IndicatorResult, ResultSet
from motcua.scorecard.selectors import row_from_stored
from tests.scorecard.bundle_loader import stamp

TINY_AS_OF = stamp("2024-01-15T10:00:00+07:00")


def stored_rows(plan, period):
    definition, _plan = engine.resolve_plan(plan)
    return [
        row_from_stored(r, definition).as_dict(with_points=definition.is_index)
        for r in IndicatorResult.objects.filter(plan__code=plan, period=period).order_by("position")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("plan", "period"), [("qd766", "2023"), ("hatinh-2023", "2023-Q4")])
def test_stored_rows_read_back_as_computed(tiny, plan, period):
    services.compute_and_store(plan, period)
    expected = [r.as_dict(with_points=plan == "qd766") for r in engine.evaluate(plan, period)]
    assert stored_rows(plan, period) == expected


@pytest.mark.django_db
def test_computing_again_replaces_the_rows(tiny):
    first = services.compute_and_store("qd766", "2023")
    count = IndicatorResult.objects.count()
    second = services.compute_and_store("qd766", "2023")
    assert IndicatorResult.objects.count() == count
    assert first.pk == second.pk and second.as_of == TINY_AS_OF and second.as_of_default


@pytest.mark.django_db
def test_fresh_results_are_served_without_recomputing(tiny):
    first = services.current_results("hatinh-2023", "2023")
    with mock.patch.object(engine.Evaluation, "rows", side_effect=AssertionError("recomputed")):
        again = services.current_results("hatinh-2023", "2023")
    assert again.computed_at == first.computed_at


@pytest.mark.django_db
def test_a_dossier_change_makes_results_stale_and_the_next_read_recomputes(tiny):
    services.current_results("hatinh-2023", "2023")
    d12 = Dossier.objects.get(code="D12")
    d12.finished_at, d12.outcome = stamp("2023-12-11T16:00:00+07:00"), "approved"
    d12.save()
    from motcua.dossiers.facts import refresh_facts

    refresh_facts([d12.pk])
    services.mark_stale(dossier_ids=[d12.pk])
    assert ResultSet.objects.get(period="2023").stale_since is not None
    result = services.current_results("hatinh-2023", "2023")
    assert result.stale_since is None
    on_time = IndicatorResult.objects.get(
        period="2023", indicator="on_time_rate", scope="unit", key="000.01.21.H29"
    )
    assert (on_time.numerator, on_time.denominator) == (2, 5)


@pytest.mark.django_db
def test_a_stale_mark_arriving_during_a_computation_survives_it(tiny):
    real_rows = engine.Evaluation.rows

    def rows_then_change(self):
        result = real_rows(self)
        services.mark_stale()  # another process changed a dossier meanwhile
        return result

    with mock.patch.object(engine.Evaluation, "rows", rows_then_change):
        result = services.compute_and_store("qd766", "2023")
    assert result.stale_since is not None


@pytest.mark.django_db
def test_the_default_as_of_is_the_import_until_dossiers_change_in_motcua(tiny):
    assert engine.effective_as_of() == TINY_AS_OF
    before = timezone.now()
    services.mark_stale(dossier_ids=[Dossier.objects.get(code="D1").pk])
    assert DataSnapshot.objects.get().live_since >= before
    assert engine.effective_as_of() >= before
    services.set_data_as_of(TINY_AS_OF)
    assert engine.effective_as_of() == TINY_AS_OF


@pytest.mark.django_db
def test_mark_stale_marks_only_the_periods_a_dossier_can_move(tiny):
    services.mark_stale()  # live data: the default as_of is now
    for period in ("2022", "2023", "2023-Q1", "2023-12"):
        services.compute_and_store("hatinh-2023", period)
    services.mark_stale(dossier_ids=[Dossier.objects.get(code="D13").pk])  # received 12/12/2023
    stale = set(ResultSet.objects.filter(stale_since__isnull=False).values_list("period", flat=True))
    assert stale == {"2023", "2023-12"}
    services.mark_stale(unit_ids=[1])
    assert not ResultSet.objects.filter(stale_since__isnull=True).exists()


@pytest.mark.django_db
def test_an_import_marks_every_stored_result_stale(tiny):
    services.compute_and_store("qd766", "2023")
    services.set_data_as_of(TINY_AS_OF + dt.timedelta(days=1))
    assert ResultSet.objects.get().stale_since is not None


@pytest.mark.django_db
def test_refresh_recomputes_the_current_year_quarter_and_month_of_every_plan(tiny):
    services.load_plans()
    assert services.refresh_current() == 6  # 2 plans × 2024, 2024-Q1, 2024-01
    assert set(ResultSet.objects.values_list("period", flat=True)) == {"2024", "2024-Q1", "2024-01"}
    assert services.refresh_current() == 0
    services.mark_stale(dossier_ids=[Dossier.objects.get(code="D14").pk])
    # Now live: the default as_of is today, so today's periods are computed.
    assert services.refresh_current() == 6
