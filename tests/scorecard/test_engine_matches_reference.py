"""The engine agrees, number for number, with the plain-Python reference on edge-case bundles."""

import pytest

from motcua.scorecard.engine import evaluate
from tests.scorecard import edge_bundle
from tests.scorecard.bundle_loader import load_records, stamp
from tests.scorecard.reference import reference_rows

PLANS = ("hatinh-2023", "qd766")


def keyed(rows, plan):
    return {(r.indicator, r.scope, r.key): r.as_dict(with_points=plan == "qd766") for r in rows}


@pytest.fixture
def edge(db):
    load_records(
        edge_bundle.UNITS,
        edge_bundle.PROCEDURES,
        edge_bundle.DOSSIERS,
        edge_bundle.PROVINCE,
        edge_bundle.AS_OF,
    )


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize(
    ("period", "as_of"), edge_bundle.CASES, ids=[f"{p}@{a}" for p, a in edge_bundle.CASES]
)
def test_engine_matches_the_reference_on_edge_cases(edge, plan, period, as_of):
    moment = stamp(as_of)
    expected = reference_rows(
        plan,
        edge_bundle.UNITS,
        edge_bundle.PROCEDURES,
        edge_bundle.DOSSIERS,
        edge_bundle.PROVINCE,
        period,
        moment,
    )
    assert keyed(evaluate(plan, period, moment), plan) == expected


@pytest.mark.django_db
def test_the_province_key_is_the_bundles_province():
    load_records(edge_bundle.UNITS, edge_bundle.PROCEDURES, edge_bundle.DOSSIERS, "38", edge_bundle.AS_OF)
    moment = stamp(edge_bundle.AS_OF)
    expected = reference_rows(
        "qd766", edge_bundle.UNITS, edge_bundle.PROCEDURES, edge_bundle.DOSSIERS, "38", "2023", moment
    )
    got = keyed(evaluate("qd766", "2023", moment), "qd766")
    assert got == expected
    assert {key for (_i, scope, key) in got if scope == "province"} == {"38"}
