"""The per-dossier fact row (`DossierFact`): one flat row holding everything the indicators read.

`compute_fact` is pure: it turns a `FactInput` into the fact row's column values, so bulk
imports can build rows without touching the database. `refresh_facts` reads dossiers with
their documents, supplements, paid payments, rating and complaints in a constant number of
queries per batch and upserts their rows; `refresh_fact` does one dossier, after an action.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from motcua.dossiers.choices import DocumentSource
from motcua.dossiers.models import Dossier, DossierDocument, DossierFact, Supplement
from motcua.scorecard import aggregates

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH_SIZE = 2000
REUSED_SOURCES = frozenset({DocumentSource.STORE.value, DocumentSource.NATIONAL_DB.value})
# DossierFact.supplement_count is a PositiveSmallIntegerField.
_MAX_SMALL = 32767

FACT_FIELDS = (
    "unit_id",
    "level",
    "procedure_id",
    "channel",
    "applicant_kind",
    "applicant_vneid",
    "received_at",
    "due_at",
    "due_date",
    "finished_at",
    "finished_date",
    "returned_at",
    "outcome",
    "supplement_count",
    "document_count",
    "all_documents_digitized",
    "any_store_or_national",
    "any_store",
    "any_available",
    "available_all_reused",
    "result_electronic",
    "result_digitized",
    "result_to_store",
    "any_payment",
    "any_online_payment",
    "rating",
    "complaint",
    "synced",
)


class DueDateCalendar(Protocol):
    """What compute_fact needs from a calendar: `motcua.calendar.services` or a `WorkingCalendar`."""

    def due_date(self, received_at: dt.datetime, duration_days: int, day_kind: str) -> dt.datetime: ...


@dataclass
class FactInput:
    """What one dossier's fact row is computed from.

    `documents` holds (source, available, digitized) per submitted component; `payments` holds
    (amount, online) per payment whose status is `paid` (of any date). `due_at` is the promised
    time as given (None: computed from `received_at` and the procedure's time limit).
    """

    unit_id: int
    level: str
    procedure_id: int
    duration_days: int
    day_kind: str
    channel: str
    applicant_kind: str = ""
    applicant_vneid: bool = False
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    outcome: str | None = None
    supplement_count: int = 0
    documents: list[tuple[str, bool, bool]] = field(default_factory=list)
    result_electronic: bool = False
    result_digitized: bool = False
    result_to_store: bool = False
    payments: list[tuple[int, bool]] = field(default_factory=list)
    rating: str | None = None
    complaint: bool = False
    synced: bool = True


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # Exchange rule: a time stamp without an offset is Vietnam time.
    if value is None or (value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None):
        return value
    return value.replace(tzinfo=VN_TZ)


def _vn_date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.astimezone(VN_TZ).date()


def compute_fact(inp: FactInput, calendar: DueDateCalendar) -> dict[str, Any]:
    """The DossierFact column values for one dossier (every field but `dossier` and `updated_at`).

    `due_at` is kept as given, else computed with `calendar.due_date` from `received_at` (none
    without a receipt); `due_date` and `finished_date` are the Vietnam-time dates used by the
    on-time rule. The document and payment flags follow the DossierFact field comments.
    """
    received_at = _aware(inp.received_at)
    due_at = _aware(inp.due_at)
    if due_at is None and received_at is not None:
        due_at = calendar.due_date(received_at, inp.duration_days, inp.day_kind or "working")
    finished_at = _aware(inp.finished_at)
    documents = inp.documents
    available_sources = [source for source, available, _digitized in documents if available]
    paid = [(amount, online) for amount, online in inp.payments if amount > 0]
    return {
        "unit_id": inp.unit_id,
        "level": inp.level,
        "procedure_id": inp.procedure_id,
        "channel": inp.channel,
        "applicant_kind": inp.applicant_kind or "",
        "applicant_vneid": bool(inp.applicant_vneid),
        "received_at": received_at,
        "due_at": due_at,
        "due_date": _vn_date(due_at),
        "finished_at": finished_at,
        "finished_date": _vn_date(finished_at),
        "returned_at": _aware(inp.returned_at),
        "outcome": inp.outcome or None,
        "supplement_count": min(max(inp.supplement_count, 0), _MAX_SMALL),
        "document_count": min(len(documents), _MAX_SMALL),
        "all_documents_digitized": bool(documents) and all(digitized for _s, _a, digitized in documents),
        "any_store_or_national": any(source in REUSED_SOURCES for source, _a, _d in documents),
        "any_store": any(source == DocumentSource.STORE for source, _a, _d in documents),
        "any_available": bool(available_sources),
        # "Every available document came from the store or a national database": true when there
        # is none, as the words say; the indicators that read it also require any_available.
        "available_all_reused": all(source in REUSED_SOURCES for source in available_sources),
        "result_electronic": bool(inp.result_electronic),
        "result_digitized": bool(inp.result_digitized),
        "result_to_store": bool(inp.result_to_store),
        "any_payment": bool(paid),
        "any_online_payment": any(online for _amount, online in paid),
        "rating": inp.rating or None,
        "complaint": bool(inp.complaint),
        "synced": bool(inp.synced),
    }


def default_calendar() -> DueDateCalendar:
    """The working-day calendar of this installation (holidays, swaps from the database)."""
    from motcua.calendar import services as calendar_services

    return calendar_services.default_calendar()


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


_DOSSIER_COLUMNS = (
    "id",
    "unit_id",
    "unit__level",
    "procedure_id",
    "procedure__duration_days",
    "procedure__day_kind",
    "channel",
    "applicant_kind",
    "applicant_vneid",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "outcome",
    "result_electronic",
    "result_digitized",
    "result_to_store",
    "synced",
)


def _inputs(ids: list[int]) -> dict[int, FactInput]:
    """FactInputs for the dossiers `ids` in six queries, whatever their number."""
    from motcua.feedback.models import Complaint, DossierRating
    from motcua.payments.models import Payment, PaymentStatus

    documents: dict[int, list[tuple[str, bool, bool]]] = defaultdict(list)
    for dossier_id, source, available, digitized in DossierDocument.objects.filter(
        dossier_id__in=ids
    ).values_list("dossier_id", "source", "available", "digitized"):
        documents[dossier_id].append((source, available, digitized))
    supplements = dict(
        Supplement.objects.filter(dossier_id__in=ids)
        .values("dossier_id")
        .annotate(n=Count("id"))
        .values_list("dossier_id", "n")
        .order_by()
    )
    payments: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for dossier_id, amount, online in Payment.objects.filter(
        dossier_id__in=ids, status=PaymentStatus.PAID
    ).values_list("dossier_id", "amount", "online"):
        payments[dossier_id].append((amount, online))
    ratings = dict(DossierRating.objects.filter(dossier_id__in=ids).values_list("dossier_id", "value"))
    complained = set(Complaint.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True))
    inputs = {}
    for row in Dossier.objects.filter(pk__in=ids).values(*_DOSSIER_COLUMNS):
        pk = row["id"]
        inputs[pk] = FactInput(
            unit_id=row["unit_id"],
            level=row["unit__level"],
            procedure_id=row["procedure_id"],
            duration_days=row["procedure__duration_days"],
            day_kind=row["procedure__day_kind"],
            channel=row["channel"],
            applicant_kind=row["applicant_kind"],
            applicant_vneid=row["applicant_vneid"],
            received_at=row["received_at"],
            due_at=row["due_at"],
            finished_at=row["finished_at"],
            returned_at=row["returned_at"],
            outcome=row["outcome"],
            supplement_count=supplements.get(pk, 0),
            documents=documents.get(pk, []),
            result_electronic=row["result_electronic"],
            result_digitized=row["result_digitized"],
            result_to_store=row["result_to_store"],
            payments=payments.get(pk, []),
            rating=ratings.get(pk),
            complaint=pk in complained,
            synced=row["synced"],
        )
    return inputs


def upsert_facts(rows: Iterable[tuple[int, dict[str, Any]]], batch_size: int = BATCH_SIZE) -> int:
    """Insert or update DossierFact rows from (dossier id, compute_fact values); returns the count.

    One INSERT … ON CONFLICT DO UPDATE per batch, on SQLite and PostgreSQL alike.
    """
    objs = [DossierFact(dossier_id=pk, **values) for pk, values in rows]
    # The scorecard's month cells follow every fact row written here (one query when unused).
    with aggregates.tracking(obj.dossier_id for obj in objs):
        for i in range(0, len(objs), batch_size):
            DossierFact.objects.bulk_create(
                objs[i : i + batch_size],
                update_conflicts=True,
                unique_fields=["dossier"],
                update_fields=[*FACT_FIELDS, "updated_at"],
            )
    return len(objs)


def refresh_facts(
    dossier_ids: Iterable[int], *, calendar: DueDateCalendar | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Recompute and upsert the fact rows of `dossier_ids`; returns how many rows were written.

    Seven queries per batch of `batch_size` dossiers (no query per dossier). Ids of dossiers that
    no longer exist are skipped (their fact rows went with them). Freshness of stored scorecards
    is the caller's business: bulk callers end with `scorecard.services.set_data_as_of` or
    `mark_stale`; `refresh_fact` marks them itself.
    """
    cal = calendar or default_calendar()
    ids = sorted({int(pk) for pk in dossier_ids})
    written = 0
    for chunk in _batches(ids, batch_size):
        inputs = _inputs(chunk)
        written += upsert_facts(((pk, compute_fact(inp, cal)) for pk, inp in inputs.items()), batch_size)
    return written


def refresh_fact(dossier: Dossier | int) -> int:
    """Recompute one dossier's fact row (after an action) and mark stored scorecards stale once the
    transaction commits, so the dashboard catches up."""
    from motcua.scorecard.services import mark_stale

    pk = dossier if isinstance(dossier, int) else dossier.pk
    written = refresh_facts([pk])
    transaction.on_commit(lambda: mark_stale(dossier_ids=[pk]))
    return written
