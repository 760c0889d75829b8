"""The month cells (scorecard.aggregates) give exactly the rows the direct engine gives: built from
the data, and kept current as dossiers and payments change afterwards."""

import datetime as dt

import pytest

from motcua.dossiers.facts import refresh_facts
from motcua.dossiers.models import Dossier
from motcua.payments.models import Payment, PaymentStatus
from motcua.scorecard import aggregates
from motcua.scorecard.engine import Evaluation, resolve_plan
from motcua.scorecard.periods import Period
from tests.scorecard import edge_bundle
from tests.scorecard.bundle_loader import VN, load_records, stamp

PERIODS = ["2023", "2023-Q2", "2024", "2022", *(f"2023-{m:02d}" for m in range(1, 13))]
AS_OFS = [
    "2024-01-15T10:00:00+07:00",  # after the year
    "2023-06-20T10:00:00+07:00",  # inside a month
    "2023-06-10T10:00:00+07:00",  # inside another day of the same month
    "2023-07-01T00:00:00+07:00",  # exactly at a month end
]


def assert_cells_give_the_direct_rows(as_of: str) -> None:
    moment = stamp(as_of)
    for plan in ("hatinh-2023", "qd766"):
        definition, row = resolve_plan(plan)
        for period in PERIODS:
            direct = Evaluation(definition, row, Period.parse(period), moment, cells=False).rows()
            evaluation = Evaluation(definition, row, Period.parse(period), moment, cells=True)
            fast = evaluation.rows()
            assert evaluation.used_cells or evaluation.window.empty, (plan, period)
            assert [r.as_dict(True) for r in fast] == [r.as_dict(True) for r in direct], (plan, period)


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", AS_OFS)
def test_cells_of_the_tiny_bundle_give_the_direct_scorecard(tiny, as_of):
    aggregates.rebuild()
    assert_cells_give_the_direct_rows(as_of)


@pytest.mark.django_db
def test_cells_of_the_edge_bundle_give_the_direct_scorecard(db):
    load_records(edge_bundle.UNITS, edge_bundle.PROCEDURES, edge_bundle.DOSSIERS, "42", edge_bundle.AS_OF)
    aggregates.rebuild()
    assert_cells_give_the_direct_rows(edge_bundle.AS_OF)
    assert_cells_give_the_direct_rows("2023-06-20T10:00:00+07:00")


@pytest.mark.django_db
def test_cells_follow_dossiers_and_payments_changed_after_the_build(tiny):
    aggregates.rebuild()
    version = aggregates.read_state().version
    # An open dossier is finished, a finished one reopened, a new online payment arrives.
    still_open = Dossier.objects.filter(outcome__isnull=True, received_at__isnull=False).first()
    finished = Dossier.objects.filter(outcome="approved").first()
    assert still_open is not None and finished is not None
    still_open.outcome = "approved"
    still_open.finished_at = still_open.received_at + dt.timedelta(days=2)
    still_open.save()
    finished.outcome = None
    finished.finished_at = None
    finished.save()
    refresh_facts([still_open.pk, finished.pk])
    Payment.objects.create(
        dossier=still_open,
        amount=50_000,
        online=True,
        status=PaymentStatus.PAID,
        paid_at=dt.datetime(2023, 11, 20, 9, 0, tzinfo=VN),
    )
    state = aggregates.read_state()
    assert state.valid and state.version != version
    for as_of in AS_OFS:
        assert_cells_give_the_direct_rows(as_of)


@pytest.mark.django_db
def test_a_rebuild_counts_again_when_a_dossier_changes_while_it_counts(tiny, monkeypatch):
    # The rebuild counts without holding a lock; a fact write committed meanwhile (here: during
    # its first count) must not be lost: it counts again, and the cells equal the direct counts.
    aggregates.invalidate()
    count_cells = aggregates._count_cells
    calls = []

    def count_while_a_dossier_changes(parts, cal):
        calls.append(1)
        counted = count_cells(parts, cal)
        if len(calls) == 1:
            still_open = Dossier.objects.filter(outcome__isnull=True, received_at__isnull=False).first()
            still_open.outcome = "approved"
            still_open.finished_at = still_open.received_at + dt.timedelta(days=1)
            still_open.save()
            refresh_facts([still_open.pk])
        return counted

    monkeypatch.setattr(aggregates, "_count_cells", count_while_a_dossier_changes)
    aggregates.rebuild()
    assert len(calls) == 2 and aggregates.read_state().valid
    for as_of in AS_OFS:
        assert_cells_give_the_direct_rows(as_of)


@pytest.mark.django_db
def test_a_rebuild_that_keeps_seeing_changes_counts_under_the_lock(tiny, monkeypatch):
    count_cells = aggregates._count_cells
    calls = []

    def always_changing(parts, cal):
        calls.append(1)
        counted = count_cells(parts, cal)
        if len(calls) <= aggregates.OPTIMISTIC_TRIES:
            aggregates._note_untracked_write()
        return counted

    monkeypatch.setattr(aggregates, "_count_cells", always_changing)
    aggregates.rebuild()
    assert len(calls) == aggregates.OPTIMISTIC_TRIES + 1 and aggregates.read_state().valid
    assert_cells_give_the_direct_rows(AS_OFS[0])
