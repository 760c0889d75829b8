"""The second pass of an import: write a checked bundle to the database.

Units and procedures are few and go through the ORM (their `save()` keeps derived columns such as
a unit's materialized path right). Dossiers are many: `DossierWriter` takes them in batches and
writes each table with one bulk statement per batch (COPY on PostgreSQL, executemany on SQLite),
with primary keys reserved up front so child rows need no round trip. A dossier whose code already
exists is compared with the bundle and rewritten only where it differs, so importing the same
bundle twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.choices import Outcome, Source, Status
from motcua.dossiers.models import Dossier, DossierDocument, DossierFact, DossierStep, Supplement
from motcua.errors import LoadError
from motcua.exchange.bulk import TableWriter, field_of, time_adapter
from motcua.exchange.bundle import DOSSIERS, Bundle
from motcua.exchange.facts import FactMaker
from motcua.exchange.records import DossierRecord, ProcedureRecord, UnitRecord, parse_dossier
from motcua.feedback.models import Complaint, DossierRating
from motcua.orgs.models import Unit
from motcua.payments.models import Payment, PaymentStatus

BATCH_SIZE = 5000
# Primary keys reserved at a time on PostgreSQL (one round trip per block, not per batch).
ID_BLOCK = 100_000
# Rows per IN (...) list: below SQLite's historical limit of 999 bound parameters.
IN_CHUNK = 900
COMPLAINT_TEXT = "Phản ánh, kiến nghị (dữ liệu nhập từ hệ thống nguồn)"
# Open statuses that a bundle cannot tell apart from "processing": an existing dossier keeps them.
_OPEN_STATUSES = frozenset({Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.WAITING_PAYMENT})


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class ProcedureInfo:
    """What the dossier rows and the fact rows need of a procedure."""

    id: int
    duration_days: int
    day_kind: str


@dataclass
class UnitInfo:
    id: int
    level: str


def derive_status(record: DossierRecord) -> str:
    """The dossier status that the bundle's outcome and times describe (docs/exchange.md)."""
    outcome = record.outcome
    if outcome == Outcome.WITHDRAWN:
        return Status.WITHDRAWN
    if outcome == Outcome.STOPPED:
        return Status.STOPPED
    if record.returned_at is not None:
        return Status.RETURNED
    if outcome is not None:
        return Status.PROCESSED
    if record.supplements and record.supplements[-1][1] is None:
        return Status.WAITING_SUPPLEMENT
    return Status.PROCESSING


def _in_chunks(values: list[Any], size: int = IN_CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # Times compare as instants whatever their offset; None sorts first.
    return tuple(
        (0, 0) if v is None else (1, v.timestamp()) if isinstance(v, dt.datetime) else (1, v) for v in row
    )


def _canonical(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=_sort_key)


# --- units and procedures ------------------------------------------------------------------------


def write_units(records: list[UnitRecord], province: str) -> tuple[Counts, set[int]]:
    """Insert or update units matched on code, parents first. Returns the counts and the ids of
    units whose level changed (their dossiers' fact rows need refreshing)."""
    counts = Counts()
    by_code = {u.code: u for u in Unit.objects.all()}
    level_changed: set[int] = set()
    for record in _parents_first(records):
        unit = by_code.get(record.code)
        parent_id = by_code[record.parent].pk if record.parent else None
        if unit is None:
            unit = Unit(
                code=record.code,
                name=record.name,
                kind=record.kind,
                level=record.level,
                parent_id=parent_id,
                province_code=province,
            )
            unit.save()
            by_code[record.code] = unit
            counts.created += 1
            continue
        if (unit.name, unit.kind, unit.level, unit.parent_id) == (
            record.name,
            record.kind,
            record.level,
            parent_id,
        ):
            counts.unchanged += 1
            continue
        if unit.level != record.level:
            level_changed.add(unit.pk)
        unit.name, unit.kind, unit.level, unit.parent_id = record.name, record.kind, record.level, parent_id
        unit.save()
        counts.updated += 1
    return counts, level_changed


def _parents_first(records: list[UnitRecord]) -> list[UnitRecord]:
    """The records ordered so that a unit comes after its parent (when the parent is in the bundle)."""
    by_code = {r.code: r for r in records}
    done: set[str] = set()
    ordered: list[UnitRecord] = []
    for record in records:
        chain = []
        current: UnitRecord | None = record
        while current is not None and current.code not in done:
            chain.append(current)
            done.add(current.code)
            current = by_code.get(current.parent)
        ordered.extend(reversed(chain))
    return ordered


def write_procedures(records: list[ProcedureRecord]) -> tuple[Counts, set[int]]:
    """Insert or update procedures matched on code. Returns the counts and the ids of procedures
    whose time limit changed (their dossiers' computed due dates may move)."""
    counts = Counts()
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[r.code for r in records])}
    limit_changed: set[int] = set()
    for record in records:
        procedure = existing.get(record.code)
        if procedure is None:
            Procedure(code=record.code, **record.values).save()
            counts.created += 1
            continue
        changed = [name for name, value in record.values.items() if getattr(procedure, name) != value]
        if not changed:
            counts.unchanged += 1
            continue
        if {"duration_days", "day_kind"} & set(changed):
            limit_changed.add(procedure.pk)
        for name in changed:
            setattr(procedure, name, record.values[name])
        procedure.save()
        counts.updated += 1
    return counts, limit_changed


def unit_index() -> dict[str, UnitInfo]:
    return {code: UnitInfo(pk, level) for pk, code, level in Unit.objects.values_list("pk", "code", "level")}


def procedure_index() -> dict[str, ProcedureInfo]:
    return {
        code: ProcedureInfo(pk, days, kind)
        for pk, code, days, kind in Procedure.objects.values_list("pk", "code", "duration_days", "day_kind")
    }


# --- dossiers -------------------------------------------------------------------------------------

# The Dossier columns an import sets, in row order; `id` and `code` lead.
DOSSIER_COLUMNS = (
    "id",
    "code",
    "source",
    "procedure_id",
    "unit_id",
    "channel",
    "status",
    "outcome",
    "applicant_kind",
    "applicant_id_number",
    "applicant_vneid",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "result_electronic",
    "result_digitized",
    "result_to_store",
    "synced",
    "held_by_id",  # a new dossier has no step yet: held by its own unit
)
# The columns compared and rewritten on an update: everything above but id, code, source and
# held_by (which follows the unit unless a step is open, see _write_updates).
UPDATED_COLUMNS = DOSSIER_COLUMNS[3:-1]


@dataclass
class DossierCounts(Counts):
    facts_written: int = 0

    def as_dict(self) -> dict[str, int]:
        return {**super().as_dict(), "facts_written": self.facts_written}


@dataclass
class _Existing:
    """An existing dossier's imported columns and related rows, as the bundle would describe them."""

    values: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # id -> UPDATED_COLUMNS values
    supplements: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    payments: dict[int, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    ratings: dict[int, str] = field(default_factory=dict)
    complaints: set[int] = field(default_factory=set)
    facts: dict[int, tuple[Any, ...]] = field(default_factory=dict)


class DossierWriter:
    """Writes dossiers and their supplements, documents, payments, rating, complaint and fact row.

    Feed it batches with `write(records)`; it keeps only per-run state (counters, the next free
    primary key on SQLite), never the records themselves.
    """

    def __init__(
        self, units: dict[str, UnitInfo], procedures: dict[str, ProcedureInfo], facts: FactMaker
    ) -> None:
        self.units = units
        self.procedures = procedures
        self.facts = facts
        self.counts = DossierCounts()
        connection = connections[DEFAULT_DB_ALIAS]
        self.connection = connection
        self.vendor = connection.vendor
        self.time = self._memo_time(time_adapter(connection))
        facts.time = self.time
        now = timezone.now()
        self.now = now
        self.dossiers = TableWriter(connection, Dossier, DOSSIER_COLUMNS, now)
        self.supplements = TableWriter(
            connection, Supplement, ("dossier_id", "requested_at", "received_at"), now
        )
        self.documents = TableWriter(
            connection, DossierDocument, ("dossier_id", "name", "source", "available", "digitized"), now
        )
        self.payments = TableWriter(
            connection, Payment, ("dossier_id", "amount", "online", "paid_at", "status"), now
        )
        self.ratings = TableWriter(connection, DossierRating, ("dossier_id", "value", "rated_at"), now)
        self.complaints = TableWriter(connection, Complaint, ("dossier_id", "text", "filed_at"), now)
        self.fact_rows = TableWriter(connection, DossierFact, ("dossier_id", *facts.columns), now)
        self.tables = {
            "dossiers": self.dossiers,
            "supplements": self.supplements,
            "documents": self.documents,
            "payments": self.payments,
            "ratings": self.ratings,
            "complaints": self.complaints,
            "fact_rows": self.fact_rows,
        }
        self._ids: list[range] = []
        self._table_was_empty = not Dossier.objects.exists()
        if self.vendor != "postgresql":
            # The import's transaction holds SQLite's write lock, so nobody else takes these ids.
            self._ids.append(range(self._max_id() + 1, 2**62))

    # primary keys ---------------------------------------------------------------------------

    def _max_id(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(Dossier._meta.db_table)}"
            )
            return int(cursor.fetchone()[0])

    def _reserve_block(self, n: int) -> None:
        """Reserve `n` ids from the PostgreSQL sequence; contiguous unless others took ids meanwhile."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(v), max(v), count(*) FROM (SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS v "
                "FROM generate_series(1, %s)) AS s",
                [Dossier._meta.db_table, n],
            )
            low, high, count = cursor.fetchone()
            if high - low + 1 == count:
                self._ids.append(range(low, high + 1))
                return
            # Someone else drew from the sequence at the same time: take the values one by one.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Dossier._meta.db_table, n],
            )
            self._ids.extend(range(v, v + 1) for (v,) in cursor.fetchall())

    @property
    def fresh(self) -> bool:
        """True when the dossier table was empty when the run started: every record is a new dossier."""
        return self._table_was_empty

    def consecutive_ids(self, n: int) -> int | None:
        """The first of `n` consecutive ids reserved for this run, or None when they cannot be had."""
        if self.vendor == "postgresql":
            self._reserve_block(n)
            block = self._ids[-1]
            if len(block) != n:
                return None
            self._ids.pop()
            return block.start
        block = self._ids[0]
        self._ids[0] = block[n:]
        return block.start

    def _take_ids(self, n: int) -> list[int]:
        taken: list[int] = []
        while len(taken) < n:
            if not self._ids:
                self._reserve_block(max(ID_BLOCK, n))
            block = self._ids[0]
            want = n - len(taken)
            taken.extend(block[:want])
            if want >= len(block):
                self._ids.pop(0)
            else:
                self._ids[0] = block[want:]
        return taken

    # one batch -------------------------------------------------------------------------------

    def _memo_time(self, base: Any) -> Any:
        """`base` remembering its results for the batch: a record's times reappear in several rows."""
        memo: dict[dt.datetime, Any] = {}

        def adapt(value: dt.datetime | None) -> Any:
            if value is None:
                return None
            found = memo.get(value)
            if found is None:
                found = memo[value] = base(value)
            return found

        adapt.memo = memo  # type: ignore[attr-defined]
        return adapt

    def write(self, records: list[DossierRecord]) -> None:
        """Write one batch: insert the new dossiers, update the existing ones where they differ."""
        self.time.memo.clear()
        existing_ids: dict[str, int] = {}
        if not self._table_was_empty:
            for chunk in _in_chunks([r.code for r in records]):
                existing_ids.update(Dossier.objects.filter(code__in=chunk).values_list("code", "id"))
        new = [r for r in records if r.code not in existing_ids]
        ids = self._take_ids(len(new))
        self._insert(list(zip(ids, new, strict=True)))
        if existing_ids:
            self._update([(existing_ids[r.code], r) for r in records if r.code in existing_ids])

    def _dossier_values(self, record: DossierRecord, status: str) -> tuple[Any, ...]:
        """UPDATED_COLUMNS values of a record, adapted for the database."""
        t = self.time
        return (
            self.procedures[record.procedure].id,
            self.units[record.unit].id,
            record.channel,
            status,
            record.outcome,
            record.applicant_kind,
            record.applicant_id,
            record.applicant_vneid,
            t(record.received_at),
            t(record.due_at),
            t(record.finished_at),
            t(record.returned_at),
            record.result_electronic,
            record.result_digitized,
            record.result_to_store,
            record.synced,
        )

    def _children(
        self, pairs: list[tuple[int, DossierRecord]], which: set[str] | None = None
    ) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """The related rows of `pairs`, per table name of `self.tables`; `which` limits the tables."""
        t = self.time
        supplements, documents, payments, ratings, complaints = [], [], [], [], []
        for pk, r in pairs:
            for requested, answered in r.supplements:
                supplements.append((pk, t(requested), t(answered)))
            for document in r.documents:
                documents.append((pk, *document))
            for amount, online, paid_at in r.payments:
                payments.append((pk, amount, online, t(paid_at), PaymentStatus.PAID.value))
            if r.rating is not None:
                ratings.append((pk, r.rating, t(r.returned_at or r.finished_at or r.received_at)))
            if r.complaint:
                complaints.append((pk, COMPLAINT_TEXT, t(r.finished_at or r.received_at)))
        return [
            (name, rows)
            for name, rows in (
                ("supplements", supplements),
                ("documents", documents),
                ("payments", payments),
                ("ratings", ratings),
                ("complaints", complaints),
            )
            if rows and (which is None or name in which)
        ]

    def rows_for_new(self, pairs: list[tuple[int, DossierRecord]]) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """Every row that new dossiers `pairs` (id, record) bring, per table name. Touches no database,
        so a worker process can run it (see `motcua.exchange.pipeline`)."""
        self.time.memo.clear()
        source = Source.IMPORT.value
        dossiers = []
        for pk, r in pairs:
            values = self._dossier_values(r, derive_status(r))
            dossiers.append((pk, r.code, source, *values, values[1]))  # values[1]: unit_id
        return [
            ("dossiers", dossiers),
            *self._children(pairs),
            ("fact_rows", self.facts.rows(pairs, self.units, self.procedures)),
        ]

    def insert_rows(self, tables: list[tuple[str, list[tuple[Any, ...]]]], dossiers: int) -> None:
        """Insert what `rows_for_new` prepared for `dossiers` new dossiers."""
        for name, rows in tables:
            self.tables[name].insert(rows)
        self.counts.facts_written += dossiers
        self.counts.created += dossiers

    def _insert(self, pairs: list[tuple[int, DossierRecord]]) -> None:
        if pairs:
            self.insert_rows(self.rows_for_new(pairs), len(pairs))

    # updates -------------------------------------------------------------------------------------

    def _load_existing(self, ids: list[int]) -> _Existing:
        found = _Existing()
        for chunk in _in_chunks(ids):
            for pk, *values in Dossier.objects.filter(pk__in=chunk).values_list("pk", *UPDATED_COLUMNS):
                found.values[pk] = tuple(values)
            for pk, *values in Supplement.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", "requested_at", "received_at"
            ):
                found.supplements[pk].append(tuple(values))
            for pk, *values in DossierDocument.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", "name", "source", "available", "digitized"
            ):
                found.documents[pk].append(tuple(values))
            for pk, *values in Payment.objects.filter(
                dossier_id__in=chunk, status=PaymentStatus.PAID
            ).values_list("dossier_id", "amount", "online", "paid_at"):
                found.payments[pk].append(tuple(values))
            found.ratings.update(
                DossierRating.objects.filter(dossier_id__in=chunk).values_list("dossier_id", "value")
            )
            found.complaints.update(
                Complaint.objects.filter(dossier_id__in=chunk).values_list("dossier_id", flat=True)
            )
            for pk, *values in DossierFact.objects.filter(dossier_id__in=chunk).values_list(
                "dossier_id", *self.facts.columns
            ):
                found.facts[pk] = tuple(values)
        return found

    def _update(self, pairs: list[tuple[int, DossierRecord]]) -> None:
        """Rewrite what differs between the bundle and the stored dossiers `pairs`."""
        current = self._load_existing([pk for pk, _r in pairs])
        dossier_updates: list[tuple[Any, ...]] = []
        replace: dict[str, list[int]] = defaultdict(list)
        touched: set[int] = set()
        for pk, r in pairs:
            stored = current.values[pk]
            status = derive_status(r)
            stored_status = stored[3]
            if status == Status.PROCESSING and stored_status in _OPEN_STATUSES:
                status = stored_status
            # Compare with model values (aware datetimes), write adapted values.
            wanted = (
                self.procedures[r.procedure].id,
                self.units[r.unit].id,
                r.channel,
                status,
                r.outcome,
                r.applicant_kind,
                r.applicant_id,
                r.applicant_vneid,
                r.received_at,
                r.due_at,
                r.finished_at,
                r.returned_at,
                r.result_electronic,
                r.result_digitized,
                r.result_to_store,
                r.synced,
            )
            if wanted != stored:
                dossier_updates.append((*self._dossier_values(r, status), pk))
                touched.add(pk)
            if _canonical(r.supplements) != _canonical(current.supplements.get(pk, [])):
                replace["supplements"].append(pk)
            if _canonical(r.documents) != _canonical(current.documents.get(pk, [])):
                replace["documents"].append(pk)
            if _canonical(r.payments) != _canonical(current.payments.get(pk, [])):
                replace["payments"].append(pk)
            if r.rating != current.ratings.get(pk):
                replace["ratings"].append(pk)
            if r.complaint != (pk in current.complaints):
                replace["complaints"].append(pk)
        for pks in replace.values():
            touched.update(pks)
        self._write_updates(dossier_updates)
        by_pk = dict(pairs)
        for kind, model, extra in (
            ("supplements", Supplement, {}),
            ("documents", DossierDocument, {}),
            ("payments", Payment, {"status": PaymentStatus.PAID}),
            ("ratings", DossierRating, {}),
            ("complaints", Complaint, {}),
        ):
            pks = replace.get(kind, [])
            if not pks:
                continue
            for chunk in _in_chunks(pks):
                model._default_manager.filter(dossier_id__in=chunk, **extra).delete()
            for name, rows in self._children([(pk, by_pk[pk]) for pk in pks], which={kind}):
                self.tables[name].insert(rows)
        # Fact rows: recomputed for every dossier of the batch, rewritten where they differ.
        stale = []
        for row in self.facts.rows(pairs, self.units, self.procedures, adapt=False):
            pk = row[0]
            if current.facts.get(pk) != row[1:]:
                stale.append(pk)
        if stale:
            self._write_facts([(pk, by_pk[pk]) for pk in stale], replace=True)
        self.counts.updated += len(touched)
        self.counts.unchanged += len(pairs) - len(touched)

    def _write_facts(self, pairs: list[tuple[int, DossierRecord]], *, replace: bool = False) -> None:
        if not pairs:
            return
        if replace:
            for chunk in _in_chunks([pk for pk, _r in pairs]):
                DossierFact.objects.filter(dossier_id__in=chunk).delete()
        self.fact_rows.insert(self.facts.rows(pairs, self.units, self.procedures))
        self.counts.facts_written += len(pairs)

    def _write_updates(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        connection = self.connection
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field_of(Dossier, c).column)} = %s" for c in UPDATED_COLUMNS)
        table, steps = quote(Dossier._meta.db_table), quote(DossierStep._meta.db_table)
        # The unit holding the dossier: its open step's, else the (new) unit of the dossier.
        held_by = (
            f"{quote('held_by_id')} = COALESCE((SELECT s.{quote('unit_id')} FROM {steps} s "
            f"WHERE s.{quote('id')} = {table}.{quote('current_step_id')}), %s)"
        )
        sql = (
            f"UPDATE {table} SET {assignments}, {held_by}, "
            f"{quote('version')} = {quote('version')} + 1, {quote('updated_at')} = %s WHERE {quote('id')} = %s"
        )
        now = connection.ops.adapt_datetimefield_value(self.now)
        with connection.cursor() as cursor:
            # row: UPDATED_COLUMNS values, then the id; values[1] is the unit id.
            cursor.executemany(sql, [(*row[:-1], row[1], now, row[-1]) for row in rows])


def dossier_batches(bundle: Bundle) -> Iterator[list[DossierRecord]]:
    """The records of dossiers.jsonl in batches of BATCH_SIZE (the file was checked already)."""
    batch: list[DossierRecord] = []
    for line, raw in bundle.lines(DOSSIERS):
        if not raw.strip():
            continue
        record, problems = parse_dossier(orjson.loads(raw))
        if record is None:  # the file changed since it was checked
            raise LoadError([(DOSSIERS, line, f, m) for f, m in problems])
        batch.append(record)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.inf
