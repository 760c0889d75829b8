"""Rankings: units of one level, best first."""

import pytest

from motcua.scorecard.definition import shipped_definitions
from motcua.scorecard.engine import evaluate, ranking, ranks_ascending
from tests.scorecard import edge_bundle
from tests.scorecard.bundle_loader import load_records, stamp


@pytest.mark.django_db
def test_units_of_a_level_are_ranked_by_value_best_first():
    load_records(edge_bundle.UNITS, edge_bundle.PROCEDURES, edge_bundle.DOSSIERS, "42", edge_bundle.AS_OF)
    as_of = stamp(edge_bundle.AS_OF)
    values = {
        r.key: r.value
        for r in evaluate("qd766", "2023", as_of)
        if r.indicator == "total" and r.scope == "unit" and r.key.startswith("T.S")
    }
    ranked = ranking("qd766", "2023", "total", "province", as_of)
    assert [(place, row.key) for place, row in ranked] == [
        (i, key) for i, key in enumerate(sorted(values, key=lambda k: (-values[k], k)), start=1)
    ]
    assert all(row.scope == "unit" for _place, row in ranked)
    assert ranking("qd766", "2023", "total", "district", as_of)[0][1].key == "T.H1"


def test_a_rank_target_ranks_the_lowest_first():
    plan = shipped_definitions()["hatinh-2023"]
    assert ranks_ascending(plan, "pci_rank") and not ranks_ascending(plan, "on_time_rate")
