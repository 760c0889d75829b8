"""Property: on any small bundle, any period and any as_of, the engine equals the reference."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.scorecard.engine import evaluate
from tests.scorecard import edge_bundle
from tests.scorecard.bundle_loader import load_records, stamp
from tests.scorecard.reference import reference_rows

UNIT_CODES = [u["code"] for u in edge_bundle.UNITS]
# Wall-clock times that sit on the rules' edges: midnight, office end, just before and after it.
TIMES = [
    dt.time(0, 0),
    dt.time(8, 30),
    dt.time(16, 59, 59),
    dt.time(17, 0),
    dt.time(17, 0, 1),
    dt.time(23, 59, 59),
]
FIRST_DAY = dt.date(2022, 12, 20)
LAST_DAY = dt.date(2024, 2, 10)


@st.composite
def instants(draw):
    """An exchange time stamp around 2023, written in Vietnam time, in UTC, or without an offset."""
    day = draw(st.dates(FIRST_DAY, LAST_DAY))
    moment = dt.datetime.combine(
        day, draw(st.sampled_from(TIMES)), tzinfo=stamp("2023-01-01T00:00:00").tzinfo
    )
    style = draw(st.sampled_from(["vn", "utc", "naive"]))
    if style == "utc":
        return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if style == "naive":
        return moment.replace(tzinfo=None).isoformat()
    return moment.isoformat()


def later(draw, start, hours_max=800):
    moment = stamp(start) + dt.timedelta(
        hours=draw(st.integers(0, hours_max)), seconds=draw(st.integers(0, 1))
    )
    return moment.isoformat()


dates = st.one_of(st.just(""), st.dates(dt.date(2022, 12, 20), dt.date(2024, 1, 20)).map(str))
flags = st.sampled_from(["0", "1"])


@st.composite
def procedures(draw, code):
    return {
        "code": code,
        "name": f"Thủ tục {code}",
        "field": "Thử",
        "duration_days": str(draw(st.integers(0, 6))),
        "day_kind": draw(st.sampled_from(["working", "calendar", ""])),
        "fee": draw(st.sampled_from(["0", "0", "15000"])),
        "online_level": draw(st.sampled_from(["full", "partial", "none"])),
        "full_online_eligible": draw(flags),
        "online_payment": draw(flags),
        "public_national": draw(flags),
        "paper_result": draw(flags),
        "internal": draw(st.sampled_from(["0", "0", "0", "1"])),
        "published": draw(flags),
        "announced_on": draw(dates),
        "effective_on": draw(dates),
        "public_on": draw(dates),
    }


@st.composite
def dossiers(draw, code, procedure_codes):
    received = draw(instants())
    finished = draw(st.one_of(st.none(), st.just(True)))
    outcome = None
    if finished:
        finished = later(draw, received)
        outcome = draw(st.sampled_from(["approved", "approved", "rejected", "stopped", "withdrawn"]))
    elif draw(st.integers(0, 5)) == 0:
        outcome = "withdrawn"
    due = draw(st.one_of(st.none(), st.none(), instants()))
    documents = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "component": st.just("Giấy tờ"),
                    "source": st.sampled_from(["upload", "paper", "store", "national_db"]),
                    "available": st.booleans(),
                    "digitized": st.booleans(),
                }
            ),
            max_size=3,
        )
    )
    payments = [
        {
            "amount": draw(st.sampled_from([0, 15000])),
            "online": draw(st.booleans()),
            "paid_at": later(draw, received),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    return {
        "code": code,
        "procedure": draw(st.sampled_from(procedure_codes)),
        "unit": draw(st.sampled_from(UNIT_CODES[1:])),
        "channel": draw(st.sampled_from(["counter", "online", "postal"])),
        "applicant": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "kind": st.sampled_from(["person", "organization"]),
                        "id": st.just("1"),
                        "vneid": st.booleans(),
                    }
                ),
            )
        ),
        "received_at": received,
        "due_at": due,
        "finished_at": finished or None,
        "returned_at": None,
        "outcome": outcome,
        "supplements": [
            {"requested_at": received, "received_at": None} for _ in range(draw(st.integers(0, 3)))
        ],
        "documents": documents,
        "result": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {"electronic": st.booleans(), "digitized": st.booleans(), "to_store": st.booleans()}
                ),
            )
        ),
        "payments": payments,
        "rating": draw(
            st.sampled_from([None, None, "very_satisfied", "satisfied", "neutral", "dissatisfied"])
        ),
        "complaint": draw(st.booleans()),
        "synced": draw(st.booleans()),
    }


@st.composite
def bundles(draw):
    procedure_rows = [draw(procedures(f"R.{i}")) for i in range(draw(st.integers(1, 5)))]
    codes = [p["code"] for p in procedure_rows]
    dossier_rows = [draw(dossiers(f"RD{i}", codes)) for i in range(draw(st.integers(0, 14)))]
    period = draw(
        st.sampled_from(["2023", "2022", "2023-Q1", "2023-Q4", "2023-01", "2023-06", "2023-12", "2024-01"])
    )
    # Mostly after every period (c(P) is the period's end), sometimes anywhere (as_of inside P).
    as_of = draw(st.sampled_from(["2024-01-15T10:00:00+07:00", "2024-03-01T00:00:00+07:00", None]))
    as_of = as_of or draw(instants())
    return procedure_rows, dossier_rows, period, as_of


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bundle=bundles())
def test_engine_equals_reference_on_random_bundles(bundle):
    procedure_rows, dossier_rows, period, as_of = bundle
    with transaction.atomic():
        load_records(edge_bundle.UNITS, procedure_rows, dossier_rows, edge_bundle.PROVINCE, as_of)
        for plan in ("hatinh-2023", "qd766"):
            got = {
                (r.indicator, r.scope, r.key): r.as_dict(with_points=plan == "qd766")
                for r in evaluate(plan, period, stamp(as_of))
            }
            expected = reference_rows(
                plan,
                edge_bundle.UNITS,
                procedure_rows,
                dossier_rows,
                edge_bundle.PROVINCE,
                period,
                stamp(as_of),
            )
            assert got == expected
        transaction.set_rollback(True)
