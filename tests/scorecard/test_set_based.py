"""The engine runs a fixed handful of queries, whatever the number of units and indicators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.calendar import services as cal
from motcua.scorecard.engine import evaluate
from tests.scorecard import edge_bundle
from tests.scorecard.bundle_loader import load_records, stamp


def queries(plan, period, as_of):
    cal.default_calendar()  # the calendar is loaded once per process, not per evaluation
    with CaptureQueriesContext(connection) as captured:
        rows = evaluate(plan, period, stamp(as_of))
    assert rows
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(("plan", "bound"), [("hatinh-2023", 8), ("qd766", 10)])
def test_the_number_of_queries_does_not_grow_with_units(tiny, plan, bound):
    small = queries(plan, "2023", "2024-01-15T10:00:00+07:00")
    load_records(edge_bundle.UNITS, edge_bundle.PROCEDURES, edge_bundle.DOSSIERS, "42", edge_bundle.AS_OF)
    large = queries(plan, "2023", edge_bundle.AS_OF)
    assert small == large <= bound
