"""Fact rows: due dates computed from the working-day calendar, Vietnam-time dates, the flags."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.calendar import services as cal
from motcua.dossiers.facts import FactInput, compute_fact, refresh_fact, refresh_facts
from motcua.dossiers.models import Dossier, DossierFact
from motcua.payments.models import Payment, PaymentStatus
from tests.scorecard import edge_bundle
from tests.scorecard.bundle_loader import load_dossiers, load_procedures, load_units, stamp

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def fact(received_at, duration=0, day_kind="working", **fields):
    inp = FactInput(
        unit_id=1,
        level="commune",
        procedure_id=1,
        duration_days=duration,
        day_kind=day_kind,
        channel="counter",
        received_at=stamp(received_at),
        **fields,
    )
    return compute_fact(inp, cal.default_calendar())


def five_pm(day):
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(17), tzinfo=VN)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_at", "duration", "day_kind", "due"),
    [
        (
            "2023-03-03T18:30:00+07:00",
            10,
            "working",
            "2023-03-20",
        ),  # after 17:00 on Friday: counts from Monday
        ("2023-03-10T17:00:00+07:00", 0, "working", "2023-03-10"),  # 17:00:00 still counts for the day
        ("2023-03-10T17:00:01+07:00", 0, "working", "2023-03-13"),  # one second later does not
        ("2023-10-08T10:00:00Z", 0, "working", "2023-10-09"),  # Sunday 17:00 in Vietnam
        ("2023-04-29T10:00:00+07:00", 2, "working", "2023-05-08"),  # holidays 29/4–3/5
        ("2023-09-01T17:00:00+07:00", 0, "working", "2023-09-05"),  # National Day, observed Monday
        ("2023-03-02T10:00:00", 3, "calendar", "2023-03-06"),  # naive: Vietnam time; Sunday → Monday
        ("2023-01-21T09:00:00+07:00", 3, "calendar", "2023-01-27"),  # lands in Tết
        ("2023-06-01T08:00:00+07:00", 5, "", "2023-06-08"),  # empty day kind: working days
    ],
)
def test_due_date_when_absent_follows_the_working_day_rule(received_at, duration, day_kind, due):
    values = fact(received_at, duration, day_kind)
    assert values["due_at"] == five_pm(due)
    assert values["due_date"] == dt.date.fromisoformat(due)


@pytest.mark.django_db
def test_a_given_due_time_is_kept_and_dated_in_vietnam_time():
    values = fact(
        "2023-05-04T08:00:00+07:00",
        30,
        due_at=stamp("2023-05-21T17:00:00Z"),
        finished_at=stamp("2023-10-09T18:00:00Z"),
    )
    assert values["due_at"] == stamp("2023-05-21T17:00:00Z")
    assert values["due_date"] == dt.date(2023, 5, 22)
    assert values["finished_date"] == dt.date(2023, 10, 10)


@pytest.mark.django_db
def test_a_dossier_not_yet_received_has_no_due_date():
    values = compute_fact(
        FactInput(
            unit_id=1, level="commune", procedure_id=1, duration_days=3, day_kind="working", channel="online"
        ),
        cal.default_calendar(),
    )
    assert values["due_at"] is None and values["due_date"] is None


@pytest.mark.django_db
def test_document_flags():
    none = fact("2023-06-01T08:00:00+07:00")
    assert (none["document_count"], none["all_documents_digitized"], none["any_available"]) == (
        0,
        False,
        False,
    )
    mixed = fact(
        "2023-06-01T08:00:00+07:00",
        documents=[("store", True, True), ("upload", False, True), ("national_db", True, True)],
    )
    assert mixed["all_documents_digitized"] and mixed["any_store"] and mixed["any_store_or_national"]
    assert mixed["any_available"] and mixed["available_all_reused"]
    paper = fact("2023-06-01T08:00:00+07:00", documents=[("paper", True, False), ("store", True, True)])
    assert not paper["all_documents_digitized"] and not paper["available_all_reused"]


@pytest.mark.django_db
def test_payment_flags_ignore_zero_amounts():
    zero = fact("2023-06-01T08:00:00+07:00", payments=[(0, True)])
    assert (zero["any_payment"], zero["any_online_payment"]) == (False, False)
    counter = fact("2023-06-01T08:00:00+07:00", payments=[(10000, False), (0, True)])
    assert (counter["any_payment"], counter["any_online_payment"]) == (True, False)
    online = fact("2023-06-01T08:00:00+07:00", payments=[(10000, True)])
    assert (online["any_payment"], online["any_online_payment"]) == (True, True)


def _load(records):
    units = load_units(edge_bundle.UNITS, edge_bundle.PROVINCE)
    procedures = load_procedures(edge_bundle.PROCEDURES)
    return load_dossiers(records, units, procedures)


@pytest.mark.django_db
def test_refresh_facts_reads_a_constant_number_of_queries_per_batch():
    ids = _load(edge_bundle.DOSSIERS)
    calendar = cal.load_calendar()
    with CaptureQueriesContext(connection) as one:
        refresh_facts(ids[:1], calendar=calendar)
    DossierFact.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        assert refresh_facts(ids, calendar=calendar) == len(ids)
    # six reads, the upsert, and the month cells' check (scorecard.aggregates.tracking)
    assert len(many) == len(one) == 8
    with CaptureQueriesContext(connection) as batches:
        refresh_facts(ids, calendar=calendar, batch_size=10)
    assert len(batches) == 16  # two batches
    assert DossierFact.objects.count() == len(ids)


@pytest.mark.django_db
def test_refresh_facts_updates_rows_in_place_and_counts_only_paid_payments():
    [pk] = _load([edge_bundle.DOSSIERS[0]])
    refresh_facts([pk])
    assert not DossierFact.objects.get(pk=pk).any_payment
    Payment.objects.create(dossier_id=pk, amount=5000, online=True, status=PaymentStatus.PENDING)
    refresh_facts([pk])
    assert not DossierFact.objects.get(pk=pk).any_payment
    Payment.objects.create(dossier_id=pk, amount=5000, online=True, status=PaymentStatus.PAID)
    Dossier.objects.filter(pk=pk).update(synced=False)
    refresh_fact(pk)
    row = DossierFact.objects.get(pk=pk)
    assert row.any_online_payment and not row.synced
    assert DossierFact.objects.count() == 1
