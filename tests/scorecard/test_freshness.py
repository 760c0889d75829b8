"""After a dossier action commits, the stored scorecard catches up on its own, in the background.

How fast is measured by the benchmark (`make bench`, docs/performance.md), not asserted here."""

import pytest
from django.utils import timezone

from motcua.dossiers.facts import refresh_fact, refresh_facts
from motcua.dossiers.models import Dossier
from motcua.scorecard import services
from motcua.scorecard.freshness import refresher
from motcua.scorecard.models import IndicatorResult, ResultSet
from motcua.scorecard.periods import periods_containing, vietnam_time


@pytest.mark.django_db(transaction=True)
def test_a_finished_dossier_reaches_the_stored_scorecard_in_the_background(settings, make):
    settings.MOTCUA_SCORECARD_REFRESH = "thread"
    services.load_plans()
    unit = make.unit("F.X1")
    procedure = make.procedure(duration_days=3)
    now = timezone.now()
    dossier = Dossier.objects.create(
        code="F-1", procedure=procedure, unit=unit, channel="online", status="processing", received_at=now
    )
    refresh_facts([dossier.pk])
    runs = refresher.runs
    services.mark_stale(dossier_ids=[dossier.pk])  # outside a transaction: commits and notifies at once
    assert refresher.wait_for_runs(runs + 1, timeout=10)

    # The action: finish the dossier and refresh its fact row; the refresh is asked for on commit.
    dossier.finished_at, dossier.outcome, dossier.status = timezone.now(), "approved", "processed"
    dossier.save()
    runs = refresher.runs
    action = timezone.now()
    refresh_fact(dossier)
    assert refresher.wait_for_runs(runs + 1, timeout=10)
    assert refresher.failures == 0

    periods = periods_containing(vietnam_time(action).date())
    sets = ResultSet.objects.filter(period__in=periods)
    assert sets.count() == 6 and all(s.computed_at >= action and s.stale_since is None for s in sets)
    on_time = IndicatorResult.objects.get(
        plan__code="hatinh-2023", period=periods[0], indicator="on_time_rate", scope="unit", key="F.X1"
    )
    assert (on_time.numerator, on_time.denominator) == (1, 1)
