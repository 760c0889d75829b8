"""Month cells: the scorecard's partial counts, kept current, so that a scorecard reads a few
thousand cells instead of millions of fact rows.

What is kept. The engine counts each dossier or payment measure of a plan (a population and a filter
from a definition file, `Measure`). Here each measure is split into parts (POPULATION_SECTIONS):

- a flow part counts the rows whose population time stamp (received_at, finished_at, paid_at) falls
  in one month. It is kept per unit, level (and procedure, for measures that count procedures) and
  month in `MonthCount`; a period made of whole months is the sum of its months.
- the stock part of `handled` counts the dossiers still open at a cut-off: received before it and
  not finished before it. It does not add up over months, so it is kept per cut-off instant in
  `StockCount`: at every month end with data, and at the latest cut-off a live scorecard asked for.

Every cell holds exactly what a direct count would give for its month (or cut-off) on the current
data: cells are filled with the engine's own Qs (scorecard.predicates) compiled for the month's
window, so the definition files stay the one statement of the rules, for the fast path, the direct
engine and the drill-down alike.

Filters that read the window. A sum of months is right only if a filter gives a row the same value
in its month as in any period holding that month. `window_use` finds out by compiling a filter for
probe windows: a filter that does not read the window works with every part; one that reads only
the cut-off (`on_time`) works with the parts whose rows finished before the cut-off (SETTLED) and
with the stock. This rests on the contract of such predicates: the cut-off is read only to tell a
dossier finished before it from one still open, and through the last day D(P). A measure with any
other filter is not kept; its plan is then evaluated directly.

Keeping them current. `dossiers.facts.upsert_facts`, the one writer of fact rows besides the
bulk import, wraps its writes in `tracking(ids)`: the changed dossiers' contributions are counted
before and after the write (a few indexed queries) and the difference is added to the cells. A
payment's save does the same for the payment (signal receivers below), as payments are counted
from their own rows. An import (DataSnapshot.imported_at moves), a change to a procedure (its
attributes are read through the catalog), or a plan needing a measure not kept make the cells
outdated; the next evaluation rebuilds them when the fact table is large enough for it to pay
(AUTO_BUILD_FROM), else evaluates directly. The cells hold the current counts whenever the state
row says `valid`: every change of cells happens under the state row's lock, in the transaction of
the change itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from motcua.scorecard.periods import VN_TZ, Period, Window, vietnam_time
from motcua.scorecard.predicates import (
    DOSSIER,
    PAYMENT,
    POPULATION_KINDS,
    SUBJECT_PATHS,
    Context,
    compile_expression,
    population_q,
)

logger = logging.getLogger(__name__)

STATE_PK = 1
# From this many fact rows (by id range), an evaluation that finds the cells outdated rebuilds
# them first: below it a direct evaluation costs less than a rebuild.
AUTO_BUILD_FROM = 100_000
# A fact write touching more dossiers than this makes the cells outdated instead of adjusting
# them (an import refreshing the facts of a whole unit, say): one rebuild costs less.
TRACK_AT_MOST = 20_000
# Cut-offs that are not month ends (live scorecards, as_of inside a month) keep stock cells too;
# only the latest few, since `now` moves on.
KEEP_OTHER_CUTOFFS = 2

FLOW, SETTLED, STOCK = "flow", "settled", "stock"
# How each population splits into parts. FLOW and SETTLED parts count rows by the month of their
# time stamp; every row of a SETTLED part finished before the cut-off.
POPULATION_SECTIONS: dict[str, tuple[str, ...]] = {
    "received": (FLOW,),
    "payments": (FLOW,),
    "finished": (SETTLED,),
    "resolved": (SETTLED,),
    "rated": (SETTLED,),
    "handled": (SETTLED, STOCK),
}
# What a filter may read of the window (window_use).
STATIC, CUTOFF, WINDOW = "static", "cutoff", "window"
GRAIN_UNIT, GRAIN_UNIT_PROCEDURE, GRAIN_PROCEDURE = "unit", "unit_procedure", "procedure"
MONTH_COLUMNS = tuple(f"m{m:02d}" for m in range(1, 13))

Key = tuple[int, str, int]  # (unit id, level, procedure id); 0 / "" where the grain drops them


# --- measures and their parts ------------------------------------------------------------------------


def combine(filters: Iterable[Any]) -> Any:
    """Filter expressions ANDed into one (None: every row)."""
    present = [f for f in filters if f is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else {"all": present}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Measure:
    """One count the engine makes: rows of `kind` in `population` meeting `filter`, per unit and
    level (`grain` unit), per unit, level and procedure (unit_procedure: the procedures counted by a
    distinct-procedure indicator), or per procedure (procedure: `procedure_has_dossier`). Catalog
    measures (kind procedure) count procedures: `population` is None."""

    kind: str
    population: str | None
    filter: Any = None
    grain: str = GRAIN_UNIT
    include_internal: bool = False

    @property
    def key(self) -> str:
        return _canonical([self.kind, self.population, self.filter, self.grain, self.include_internal])


@dataclass(frozen=True)
class Part:
    """One section (flow, settled or stock) of a dossier or payment measure: what a cell counts."""

    section: str
    kind: str
    population: str
    filter: Any
    grain: str

    @property
    def key(self) -> str:
        text = _canonical([self.section, self.kind, self.population, self.filter, self.grain])
        return hashlib.sha1(text.encode()).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "section": self.section,
            "kind": self.kind,
            "population": self.population,
            "filter": self.filter,
            "grain": self.grain,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        return cls(data["section"], data["kind"], data["population"], data["filter"], data["grain"])

    def population_q(self, ctx: Context) -> Q:
        """The part's rows: its population, the `handled` one cut into finished and still open."""
        q = population_q(self.population, ctx)
        if self.population == "handled":
            finished = population_q("finished", ctx)
            q = q & (finished if self.section == SETTLED else ~finished)
        return q

    def q(self, ctx: Context) -> Q:
        return self.population_q(ctx) & compile_expression(self.filter, self.kind, ctx)


def _probe_window(start: dt.datetime, cutoff: dt.datetime) -> Window:
    return window(start, cutoff)


_PROBES = (
    (dt.datetime(2001, 1, 1, tzinfo=VN_TZ), dt.datetime(2001, 3, 1, tzinfo=VN_TZ)),
    (dt.datetime(2001, 2, 1, tzinfo=VN_TZ), dt.datetime(2001, 3, 1, tzinfo=VN_TZ)),  # another start
    (dt.datetime(2001, 1, 1, tzinfo=VN_TZ), dt.datetime(2001, 4, 1, tzinfo=VN_TZ)),  # another cut-off
)
_window_uses: dict[tuple[str, str], str] = {}


def window_use(expr: Any, kind: str, calendar: Any) -> str:
    """What `expr` over rows of `kind` reads of the window: nothing (STATIC), the cut-off only
    (CUTOFF), or more (WINDOW). Found by compiling it for windows that differ in their start, then
    in their cut-off, and comparing the Qs (a Q holding a subquery never equals another: WINDOW)."""
    memo = (kind, _canonical(expr))
    if memo not in _window_uses:
        cache: dict[Any, Any] = {}
        qs = []
        for start, cutoff in _PROBES:
            ctx = Context(_probe_window(start, cutoff), calendar)
            ctx.cache = cache
            qs.append(compile_expression(expr, kind, ctx))
        if qs[0] == qs[1] == qs[2]:
            use = STATIC
        elif qs[0] == qs[1]:
            use = CUTOFF
        else:
            use = WINDOW
        _window_uses[memo] = use
    return _window_uses[memo]


def parts_of(measure: Measure, calendar: Any) -> list[Part] | None:
    """The parts a measure is counted from, or None when cells cannot count it."""
    sections = POPULATION_SECTIONS.get(measure.population or "")
    if sections is None or POPULATION_KINDS.get(measure.population or "") != measure.kind:
        return None
    use = window_use(measure.filter, measure.kind, calendar)
    if use == WINDOW or (use == CUTOFF and FLOW in sections):
        return None
    return [Part(s, measure.kind, measure.population or "", measure.filter, measure.grain) for s in sections]


# --- windows and months ----------------------------------------------------------------------------


def window(start: dt.datetime, cutoff: dt.datetime) -> Window:
    """The window [start, cutoff) as the predicates read it."""
    start, cutoff = vietnam_time(start), vietnam_time(cutoff)
    return Window(
        period=Period.parse(f"{start.year}-{start.month:02d}"),
        start=start,
        cutoff=cutoff,
        last_day=(cutoff - dt.timedelta(microseconds=1)).date(),
        as_of=cutoff,
    )


def month_start(moment: dt.datetime) -> dt.datetime:
    local = vietnam_time(moment)
    return dt.datetime(local.year, local.month, 1, tzinfo=VN_TZ)


def next_month(moment: dt.datetime) -> dt.datetime:
    local = month_start(moment)
    return dt.datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=VN_TZ)


def is_month_start(moment: dt.datetime) -> bool:
    return vietnam_time(moment) == month_start(moment)


def months_in(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The starts of the months in [start, end) (both month starts)."""
    found, month = [], month_start(start)
    while month < end:
        found.append(month)
        month = next_month(month)
    return found


def _iso(moment: dt.datetime) -> str:
    return vietnam_time(moment).isoformat()


def _instant(text: str) -> dt.datetime:
    return vietnam_time(dt.datetime.fromisoformat(text))


# --- counting, with the engine's Qs ------------------------------------------------------------------


def _model(kind: str) -> Any:
    from motcua.dossiers.models import DossierFact
    from motcua.payments.models import Payment

    return {DOSSIER: DossierFact, PAYMENT: Payment}[kind]


def _path(kind: str) -> str:
    path = SUBJECT_PATHS[kind][DOSSIER]
    assert path is not None
    return path


def count_parts(
    parts: list[Part], ctx: Context, restrict: dict[str, Q] | None = None
) -> dict[str, dict[Key, int]]:
    """Count `parts` directly for the context's window: part key → (unit, level, procedure) → count.

    One GROUP BY query per row kind, reading only rows of the parts' populations (and of
    `restrict[kind]`, when given: the dossiers or payments being tracked).
    """
    found: dict[str, dict[Key, int]] = {}
    by_kind: dict[str, list[Part]] = defaultdict(list)
    for part in parts:
        by_kind[part.kind].append(part)
    for kind, group in by_kind.items():
        if restrict is not None and kind not in restrict:
            continue
        where = Q()
        seen: set[tuple[str, str]] = set()
        for part in group:
            if (part.section, part.population) not in seen:
                seen.add((part.section, part.population))
                where |= part.population_q(ctx)
        if restrict is not None:
            where &= restrict[kind]
        path = _path(kind)
        aliases = {}
        for i, part in enumerate(group):
            q = part.q(ctx)
            aliases[f"c{i}"] = Count("pk", filter=q) if q.children else Count("pk")
        rows = (
            _model(kind)
            .objects.filter(where)
            .values(_u=F(path + "unit_id"), _l=F(path + "level"), _p=F(path + "procedure_id"))
            .annotate(**aliases)
            .order_by()
        )
        for part in group:
            found.setdefault(part.key, {})
        for row in rows:
            for i, part in enumerate(group):
                n = row[f"c{i}"]
                if n:
                    key = _shape(part.grain, row["_u"], row["_l"], row["_p"])
                    cell = found[part.key]
                    cell[key] = cell.get(key, 0) + n
    return found


def _shape(grain: str, unit_id: int, level: str, procedure_id: int) -> Key:
    if grain == GRAIN_UNIT:
        return (unit_id, level, 0)
    if grain == GRAIN_PROCEDURE:
        return (0, "", procedure_id)
    return (unit_id, level, procedure_id)


def _calendar() -> Any:
    from motcua.calendar import services as calendar_services

    return calendar_services.default_calendar()


def _context(start: dt.datetime, cutoff: dt.datetime, calendar: Any, cache: dict[Any, Any]) -> Context:
    ctx = Context(window(start, cutoff), calendar)
    ctx.cache = cache  # the catalog's working-day sets do not depend on the window
    return ctx


# --- the state row -------------------------------------------------------------------------------------


@dataclass
class State:
    """The cells as an evaluation sees them (one query, `read_state`)."""

    exists: bool
    valid: bool
    version: str
    parts: dict[str, Part]
    imported_at: dt.datetime | None
    first_received: dt.datetime | None
    stock_cutoffs: list[dt.datetime]
    snapshot_imported_at: dt.datetime | None
    fact_span: int

    @property
    def current(self) -> bool:
        """The cells hold the current counts (of the parts they keep)."""
        return self.exists and self.valid and self.imported_at == self.snapshot_imported_at


def _json(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(value) if isinstance(value, str | bytes) else value


def _datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # SQLite keeps UTC without an offset
    return value


def read_state() -> State:
    """The state row, the data's import instant and the fact table's id span, in one query."""
    from motcua.dossiers.models import DossierFact
    from motcua.scorecard.models import CellState, DataSnapshot

    state = CellState._meta.db_table
    snapshot = DataSnapshot._meta.db_table
    facts = DossierFact._meta.db_table
    qn = connection.ops.quote_name
    columns = ("valid", "version", "parts", "imported_at", "first_received", "stock_cutoffs")
    selects = [f"(SELECT {qn(c)} FROM {qn(state)} WHERE {qn('id')} = {STATE_PK})" for c in columns]
    selects.append(f"(SELECT {qn('imported_at')} FROM {qn(snapshot)} WHERE {qn('id')} = 1)")
    # Two subqueries: SQLite reads MIN or MAX from the index only when a SELECT has just one.
    selects.append(
        f"(SELECT MAX({qn('dossier_id')}) FROM {qn(facts)}) - (SELECT MIN({qn('dossier_id')}) FROM {qn(facts)})"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects))
        valid, version, parts, imported_at, first_received, cutoffs, snapshot_at, span = cursor.fetchone()
    parsed = [Part.from_json(p) for p in _json(parts) or []]
    return State(
        exists=valid is not None,
        valid=bool(valid),
        version=version or "",
        parts={p.key: p for p in parsed},
        imported_at=_datetime(imported_at),
        first_received=_datetime(first_received),
        stock_cutoffs=sorted(_instant(c) for c in _json(cutoffs) or []),
        snapshot_imported_at=_datetime(snapshot_at),
        fact_span=int(span or 0),
    )


def _locked_state() -> Any:
    """The state row, locked for the rest of the transaction (created when missing). Every change
    of cells takes this lock first, so changes apply one after the other."""
    from motcua.scorecard.models import CellState

    CellState.objects.get_or_create(pk=STATE_PK)
    return CellState.objects.select_for_update().get(pk=STATE_PK)


def invalidate() -> None:
    """Mark the cells outdated (cheap): the next large evaluation rebuilds them."""
    from motcua.scorecard.models import CellState

    CellState.objects.filter(pk=STATE_PK, valid=True).update(valid=False, version=uuid.uuid4().hex)


def enabled() -> bool:
    """Cells are used unless MOTCUA_SCORECARD_CELLS is `off` (setting or environment)."""
    import os

    mode = getattr(settings, "MOTCUA_SCORECARD_CELLS", None) or os.environ.get(
        "MOTCUA_SCORECARD_CELLS", "auto"
    )
    return str(mode).strip().lower() not in {"off", "0", "false", "no"}


# --- building -----------------------------------------------------------------------------------------


def kept_parts(measures: Iterable[Measure], calendar: Any) -> dict[str, Part] | None:
    """The parts of `measures`, or None when one of them cannot be kept in cells."""
    found: dict[str, Part] = {}
    for measure in measures:
        parts = parts_of(measure, calendar)
        if parts is None:
            return None
        for part in parts:
            found[part.key] = part
    return found


def all_plan_parts(calendar: Any) -> dict[str, Part]:
    """The parts of every plan that cells can serve: the loaded plans and the shipped ones."""
    from motcua.scorecard import engine
    from motcua.scorecard.definition import definition_from_json, shipped_definitions
    from motcua.scorecard.models import Plan

    definitions = dict(shipped_definitions())
    for plan in Plan.objects.all():
        definitions[plan.code] = definition_from_json(plan.definition, source=f"plan {plan.code}")
    found: dict[str, Part] = {}
    for definition in definitions.values():
        parts = kept_parts(engine.plan_measures(definition, calendar), calendar)
        if parts is not None:
            found.update(parts)
    return found


def _data_span() -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
    """(earliest receipt, earliest time stamp, latest time stamp) of the fact rows and payments."""
    from motcua.dossiers.models import DossierFact
    from motcua.payments.models import Payment

    facts = DossierFact.objects.aggregate(
        r0=Min("received_at"), r1=Max("received_at"), f0=Min("finished_at"), f1=Max("finished_at")
    )
    paid = Payment.objects.aggregate(p0=Min("paid_at"), p1=Max("paid_at"))
    first = [v for v in (facts["r0"], facts["f0"], paid["p0"]) if v is not None]
    last = [v for v in (facts["r1"], facts["f1"], paid["p1"]) if v is not None]
    return facts["r0"], (min(first) if first else None), (max(last) if last else None)


# A rebuild counts outside any lock and stores only if no fact write came meanwhile; after this
# many tries it counts under the lock, so that it always ends.
OPTIMISTIC_TRIES = 2


def _write_marker() -> tuple[str | None, Any]:
    """What every write the cells depend on changes: the state's version (bumped by each tracked
    fact or payment write, outdated cells or not) and the data's import instant."""
    from motcua.scorecard.models import CellState, DataSnapshot

    version = CellState.objects.filter(pk=STATE_PK).values_list("version", flat=True).first()
    imported = DataSnapshot.objects.filter(pk=1).values_list("imported_at", flat=True).first()
    return version, imported


def _count_cells(parts: dict[str, Part], cal: Any) -> tuple[list[Any], list[Any], list[dt.datetime], Any]:
    """Every cell of `parts` counted from the fact table and the payments: (month cells, stock
    cells, stock cut-offs, first receipt). Reads only."""
    from motcua.scorecard.models import MonthCount

    cache: dict[Any, Any] = {}
    flows = [p for p in parts.values() if p.section != STOCK]
    stocks = [p for p in parts.values() if p.section == STOCK]
    first_received, first, last = _data_span()
    month_rows: dict[tuple[str, int, Key], list[int]] = {}
    cutoffs: list[dt.datetime] = []
    if first is not None and last is not None:
        for month in months_in(first, next_month(last)):
            counts = count_parts(flows, _context(month, next_month(month), cal, cache))
            for key, cells in counts.items():
                for cell, n in cells.items():
                    month_rows.setdefault((key, month.year, cell), [0] * 12)[month.month - 1] += n
        if first_received is not None:
            # Every month end after the first receipt, up to the end of the last month with data.
            cutoffs = months_in(next_month(first_received), next_month(next_month(last)))
    month_objs = [
        MonthCount(
            measure=key,
            year=year,
            unit_id=unit_id,
            level=level,
            procedure_id=procedure_id,
            **dict(zip(MONTH_COLUMNS, counts, strict=True)),
        )
        for (key, year, (unit_id, level, procedure_id)), counts in month_rows.items()
    ]
    stock_objs = []
    for cutoff in cutoffs:
        counts = count_parts(stocks, _context(month_start(cutoff - dt.timedelta(days=1)), cutoff, cal, cache))
        stock_objs += _stock_objects(counts, cutoff)
    return month_objs, stock_objs, cutoffs, first_received


def rebuild(parts: dict[str, Part] | None = None, calendar: Any = None) -> float:
    """Count every cell again from the fact table and the payments; returns the seconds it took.

    `parts` default: those of every loaded and shipped plan. One GROUP BY per month and row kind
    for the flows, one per month end for the stocks. The counting holds no lock (on SQLite a held
    write lock would stop every dossier action for as long): the cells are stored only when no
    fact or payment write and no import committed meanwhile (`_write_marker`), else counted again;
    the last try counts under the state row's lock.
    """
    from motcua.scorecard.models import DataSnapshot, MonthCount, StockCount

    started = time.perf_counter()
    cal = calendar if calendar is not None else _calendar()
    if parts is None:
        parts = all_plan_parts(cal)
    with transaction.atomic():
        _locked_state()  # the row exists from now on: writes meanwhile move its version
    for attempt in range(OPTIMISTIC_TRIES + 1):
        locked = attempt == OPTIMISTIC_TRIES
        with transaction.atomic() if locked else contextlib.nullcontext():
            if locked:
                _locked_state()
            before = _write_marker()
            month_objs, stock_objs, cutoffs, first_received = _count_cells(parts, cal)
            with transaction.atomic():
                state = _locked_state()
                if not locked and _write_marker() != before:
                    logger.info("scorecard cells: data changed while counting, counting again")
                    continue
                MonthCount.objects.all().delete()
                StockCount.objects.all().delete()
                MonthCount.objects.bulk_create(month_objs, batch_size=2000)
                StockCount.objects.bulk_create(stock_objs, batch_size=2000)
                snapshot = DataSnapshot.objects.filter(pk=1).values_list("imported_at", flat=True).first()
                state.valid = True
                state.version = uuid.uuid4().hex
                state.parts = [p.as_json() for p in parts.values()]
                state.imported_at = snapshot
                state.first_received = first_received
                state.stock_cutoffs = [_iso(c) for c in cutoffs]
                state.built_at = timezone.now()
                state.build_seconds = time.perf_counter() - started
                state.save()
                break
    return time.perf_counter() - started


def _stock_objects(counts: dict[str, dict[Key, int]], cutoff: dt.datetime) -> list[Any]:
    from motcua.scorecard.models import StockCount

    return [
        StockCount(measure=key, cutoff=cutoff, unit_id=u, level=lv, procedure_id=p, count=n)
        for key, cells in counts.items()
        for (u, lv, p), n in cells.items()
        if n
    ]


# --- keeping them current ------------------------------------------------------------------------------

# Deltas: ("m", part key, year, month, key) or ("s", part key, cut-off, key) → count.
Deltas = dict[tuple[Any, ...], int]


def _add(deltas: Deltas, counts: dict[str, dict[Key, int]], anchor: tuple[Any, ...], sign: int) -> None:
    for key, cells in counts.items():
        for cell, n in cells.items():
            entry = (anchor[0], key, *anchor[1:], cell)
            deltas[entry] = deltas.get(entry, 0) + sign * n


def _dossier_contributions(
    ids: list[int], state: Any, parts: list[Part], cal: Any, deltas: Deltas, sign: int
) -> None:
    """Add (sign +1) or take away (sign -1) what the dossiers `ids` and their payments count in
    every cell, as the data stands now."""
    from motcua.dossiers.models import DossierFact
    from motcua.payments.models import Payment

    times = list(DossierFact.objects.filter(dossier_id__in=ids).values_list("received_at", "finished_at"))
    paid = list(
        Payment.objects.filter(dossier_id__in=ids, paid_at__isnull=False).values_list("paid_at", flat=True)
    )
    restrict = {DOSSIER: Q(dossier_id__in=ids), PAYMENT: Q(dossier_id__in=ids)}
    cache: dict[Any, Any] = {}
    months = {month_start(t) for pair in times for t in pair if t is not None}
    months |= {month_start(t) for t in paid}
    flows = [p for p in parts if p.section != STOCK]
    for month in sorted(months):
        counts = count_parts(flows, _context(month, next_month(month), cal, cache), restrict)
        _add(deltas, counts, ("m", month.year, month.month), sign)
    stocks = [p for p in parts if p.section == STOCK]
    if not stocks or not times:
        return
    for cutoff in _stored_cutoffs(state):
        if any(r is not None and r < cutoff and (f is None or f >= cutoff) for r, f in times):
            ctx = _context(month_start(cutoff - dt.timedelta(days=1)), cutoff, cal, cache)
            _add(deltas, count_parts(stocks, ctx, {DOSSIER: Q(dossier_id__in=ids)}), ("s", cutoff), sign)


def _stored_cutoffs(state: Any) -> list[dt.datetime]:
    return [_instant(c) for c in state.stock_cutoffs or []]


def _apply(deltas: Deltas) -> None:
    """Add the deltas to the cells (insert or increment)."""
    from motcua.scorecard.models import MonthCount, StockCount

    months: dict[tuple[str, int, Key], list[int]] = {}
    stocks: list[tuple[Any, ...]] = []
    for entry, n in deltas.items():
        if not n:
            continue
        if entry[0] == "m":
            _m, key, year, month, cell = entry
            months.setdefault((key, year, cell), [0] * 12)[month - 1] += n
        else:
            _s, key, cutoff, (unit_id, level, procedure_id) = entry
            stocks.append(
                (key, connection.ops.adapt_datetimefield_value(cutoff), unit_id, level, procedure_id, n)
            )
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if months:
            table = qn(MonthCount._meta.db_table)
            names = ["measure", "year", "unit_id", "level", "procedure_id", *MONTH_COLUMNS]
            updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in MONTH_COLUMNS)
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(qn(n) for n in names)}) "
                f"VALUES ({', '.join(['%s'] * len(names))}) "
                f"ON CONFLICT ({', '.join(qn(n) for n in names[:5])}) DO UPDATE SET {updates}",
                [(key, year, *cell, *counts) for (key, year, cell), counts in months.items()],
            )
        if stocks:
            table = qn(StockCount._meta.db_table)
            names = ["measure", "cutoff", "unit_id", "level", "procedure_id", "count"]
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(qn(n) for n in names)}) "
                f"VALUES ({', '.join(['%s'] * len(names))}) "
                f"ON CONFLICT ({', '.join(qn(n) for n in names[:5])}) "
                f"DO UPDATE SET {qn('count')} = {table}.{qn('count')} + excluded.{qn('count')}",
                stocks,
            )


def _live_state() -> Any:
    """The locked state row when the cells hold current counts, else None."""
    from motcua.scorecard.models import CellState, DataSnapshot

    state = CellState.objects.select_for_update().filter(pk=STATE_PK).first()
    if state is None or not state.valid:
        return None
    snapshot = DataSnapshot.objects.filter(pk=1).values_list("imported_at", flat=True).first()
    return state if state.imported_at == snapshot else None


@contextlib.contextmanager
def tracking(dossier_ids: Iterable[int]) -> Iterator[None]:
    """Keep the cells current across a write of the fact rows of `dossier_ids` (the hook of
    `dossiers.facts.upsert_facts`). Costs one query when the cells are not in use."""
    from motcua.scorecard.models import CellState

    ids = sorted({int(pk) for pk in dossier_ids})
    # Without a state row no cells exist. With one, the lock is taken even when they are outdated:
    # a rebuild running meanwhile must not miss this write.
    if not ids or not enabled() or not CellState.objects.filter(pk=STATE_PK).exists():
        yield
        return
    with transaction.atomic():
        state = _live_state()
        if state is None:
            yield
            _note_untracked_write()
            return
        if len(ids) > TRACK_AT_MOST:
            invalidate()
            yield
            return
        cal = _calendar()
        parts = [Part.from_json(p) for p in state.parts]
        deltas: Deltas = {}
        _dossier_contributions(ids, state, parts, cal, deltas, -1)
        yield
        _dossier_contributions(ids, state, parts, cal, deltas, +1)
        _lower_first_received(state, ids)
        _apply(deltas)
        state.version = uuid.uuid4().hex
        state.save(update_fields=["version", "first_received"])


def _note_untracked_write() -> None:
    """A write the outdated cells did not follow: move the state's version, so that a rebuild
    counting meanwhile knows its counts may have missed it (`rebuild`)."""
    from motcua.scorecard.models import CellState

    CellState.objects.filter(pk=STATE_PK).update(version=uuid.uuid4().hex)


def _lower_first_received(state: Any, ids: list[int]) -> None:
    """A dossier received before every other one: stock cut-offs before it were never stored, so
    the "no stock before first_received" rule must move."""
    from motcua.dossiers.models import DossierFact

    earliest = DossierFact.objects.filter(dossier_id__in=ids).aggregate(r=Min("received_at"))["r"]
    if earliest is not None and (state.first_received is None or earliest < state.first_received):
        state.first_received = earliest


def _payment_contributions(payment_id: int, parts: list[Part], cal: Any, deltas: Deltas, sign: int) -> None:
    from motcua.payments.models import Payment

    paid_at = Payment.objects.filter(pk=payment_id).values_list("paid_at", flat=True).first()
    if paid_at is None:
        return
    month = month_start(paid_at)
    payments = [p for p in parts if p.kind == PAYMENT]
    counts = count_parts(payments, _context(month, next_month(month), cal, {}), {PAYMENT: Q(pk=payment_id)})
    _add(deltas, counts, ("m", month.year, month.month), sign)


_pending_payments = threading.local()


def _payment_parts() -> tuple[Any, list[Part]] | None:
    state = _live_state()
    if state is None:
        return None
    parts = [p for p in (Part.from_json(p) for p in state.parts) if p.kind == PAYMENT]
    return state, parts


@receiver(pre_save, sender="payments.Payment", dispatch_uid="scorecard_cells_payment_before")
def _before_payment_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A payment's cells before its change (a change of a payment reaches no fact row first)."""
    if raw or instance.pk is None or not enabled():
        return
    deltas: Deltas = {}
    with transaction.atomic():
        found = _payment_parts()
        if found is None or not found[1]:
            return
        _payment_contributions(instance.pk, found[1], _calendar(), deltas, -1)
    stack = getattr(_pending_payments, "deltas", {})
    stack[id(instance)] = deltas
    _pending_payments.deltas = stack


@receiver(post_save, sender="payments.Payment", dispatch_uid="scorecard_cells_payment_after")
def _after_payment_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Add the difference the payment's change made to the cells."""
    stack = getattr(_pending_payments, "deltas", {})
    deltas = stack.pop(id(instance), {})
    if raw or not enabled():
        return
    with transaction.atomic():
        found = _payment_parts()
        if found is None:
            _note_untracked_write()
            return
        state, parts = found
        if not parts:
            return
        _payment_contributions(instance.pk, parts, _calendar(), deltas, +1)
        _apply(deltas)
        state.version = uuid.uuid4().hex
        state.save(update_fields=["version"])


@receiver(post_save, sender="catalog.Procedure", dispatch_uid="scorecard_cells_procedure")
def _procedure_saved(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    """Filters read procedures through the catalog as it stands: a changed procedure may move the
    counts of all its dossiers."""
    invalidate()


# --- reading -------------------------------------------------------------------------------------------


class _Cache:
    """Cells read by this process, for the cells' version: the 13 periods of a year read them once.
    A year's month cells are kept as running totals (13 numbers from 0)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = ""
        self.years: dict[int, dict[str, list[tuple[Key, tuple[int, ...]]]]] = {}
        self.stocks: dict[dt.datetime, dict[str, dict[Key, int]]] = {}

    def _for(self, version: str) -> None:
        if version != self.version:
            self.version, self.years, self.stocks = version, {}, {}

    def year(self, version: str, year: int) -> dict[str, list[tuple[Key, tuple[int, ...]]]]:
        from motcua.scorecard.models import MonthCount

        with self.lock:
            self._for(version)
            if year not in self.years:
                rows: dict[str, list[tuple[Key, tuple[int, ...]]]] = defaultdict(list)
                for measure, unit_id, level, procedure_id, *counts in MonthCount.objects.filter(
                    year=year
                ).values_list("measure", "unit_id", "level", "procedure_id", *MONTH_COLUMNS):
                    # Running totals: any run of months is one subtraction.
                    running = [0]
                    for n in counts:
                        running.append(running[-1] + n)
                    rows[measure].append(((unit_id, level, procedure_id), tuple(running)))
                self.years[year] = rows
            return self.years[year]

    def stock(self, version: str, cutoff: dt.datetime) -> dict[str, dict[Key, int]]:
        from motcua.scorecard.models import StockCount

        with self.lock:
            self._for(version)
            if cutoff not in self.stocks:
                found: dict[str, dict[Key, int]] = defaultdict(dict)
                for measure, unit_id, level, procedure_id, n in StockCount.objects.filter(
                    cutoff=cutoff
                ).values_list("measure", "unit_id", "level", "procedure_id", "count"):
                    found[measure][(unit_id, level, procedure_id)] = n
                self.stocks[cutoff] = found
            return self.stocks[cutoff]


_cache = _Cache()


class CellCounts:
    """The counts of kept parts for one window, from cells and, for a cut-off inside a month, a few
    direct counts over that month (`totals`)."""

    def __init__(self, state: State, win: Window, calendar: Any, needed: dict[str, Part]) -> None:
        self.state = state
        self.window = win
        self.calendar = calendar
        self.needed = needed
        self.cache: dict[Any, Any] = {}
        self._parts: dict[str, dict[Key, int]] = {}
        self._stock: dict[str, dict[Key, int]] | None = None
        self._cut: dict[str, dict[Key, int]] | None = None

    def totals(self, measure: Measure) -> dict[Key, int]:
        """The measure's count per (unit, level, procedure) key, as the direct engine would count it."""
        parts = parts_of(measure, self.calendar)
        assert parts is not None and all(p.key in self.state.parts for p in parts)
        total: dict[Key, int] = {}
        for part in parts:
            for key, n in self._part(part).items():
                total[key] = total.get(key, 0) + n
        return total

    def _part(self, part: Part) -> dict[Key, int]:
        if part.key not in self._parts:
            self._parts[part.key] = (
                self._stock_counts(part) if part.section == STOCK else self._flow_counts(part)
            )
        return self._parts[part.key]

    # Flows: whole months from MonthCount; a cut month [its start, cut-off) from its cell less the
    # rest of the month counted directly, or counted directly when that is less to read.
    def _flow_counts(self, part: Part) -> dict[Key, int]:
        start, cutoff = self.window.start, self.window.cutoff
        whole_end = cutoff if is_month_start(cutoff) else month_start(cutoff)
        total: dict[Key, int] = {}
        first = start.month - 1
        if whole_end > start:
            last = (whole_end.year - start.year) * 12 + whole_end.month - 1  # exclusive, months of start.year
            self._sum_months(total, part, start.year, first, min(last, 12))
        if not is_month_start(cutoff):
            cut = self._cut_month()
            for key, n in cut.get(part.key, {}).items():
                total[key] = total.get(key, 0) + n
            if not self._cut_is_direct():
                self._sum_months(total, part, cutoff.year, cutoff.month - 1, cutoff.month)
        return {k: n for k, n in total.items() if n}

    def _sum_months(self, total: dict[Key, int], part: Part, year: int, first: int, end: int) -> None:
        for key, running in _cache.year(self.state.version, year).get(part.key, ()):
            n = running[end] - running[first]
            if n:
                total[key] = total.get(key, 0) + n

    def _cut_is_direct(self) -> bool:
        # Before the 16th the part of the month up to the cut-off is the smaller one to read.
        return vietnam_time(self.window.cutoff).day < 16

    def _cut_month(self) -> dict[str, dict[Key, int]]:
        if self._cut is None:
            cutoff = self.window.cutoff
            flows = [p for p in self.needed.values() if p.section != STOCK]
            if self._cut_is_direct():
                self._cut = count_parts(
                    flows, _context(month_start(cutoff), cutoff, self.calendar, self.cache)
                )
            else:
                rest = count_parts(flows, _context(cutoff, next_month(cutoff), self.calendar, self.cache))
                self._cut = {k: {c: -n for c, n in cells.items()} for k, cells in rest.items()}
        return self._cut

    # Stock at the cut-off: stored cells (kept at month ends and at recent cut-offs), or stored
    # cells at an earlier cut-off of the same last day adjusted by the dossiers received or
    # finished in between, or a direct count that is then stored.
    def _stock_counts(self, part: Part) -> dict[Key, int]:
        return self._stocks().get(part.key, {})

    def _stocks(self) -> dict[str, dict[Key, int]]:
        if self._stock is None:
            self._stock = self._read_stocks()
        return self._stock

    def _read_stocks(self) -> dict[str, dict[Key, int]]:
        cutoff = self.window.cutoff
        first = self.state.first_received
        if first is None or cutoff <= first:
            return {}
        if cutoff in self.state.stock_cutoffs:
            return _cache.stock(self.state.version, cutoff)
        earlier = [
            c
            for c in self.state.stock_cutoffs
            if c < cutoff and window(c, c).last_day == self.window.last_day and c > first
        ]
        if earlier:
            return self._adjusted(max(earlier), cutoff)
        return store_stock(self.state, cutoff, self.calendar)

    def _adjusted(self, earlier: dt.datetime, cutoff: dt.datetime) -> dict[str, dict[Key, int]]:
        """Stock at `cutoff` from the stored stock at `earlier` (same last day D): less the dossiers
        open at `earlier` that finished since, plus those received since and still open."""
        stocks = [p for p in self.needed.values() if p.section == STOCK]
        found = {k: dict(v) for k, v in _cache.stock(self.state.version, earlier).items()}
        at_earlier = _context(month_start(earlier), earlier, self.calendar, self.cache)
        at_cutoff = _context(month_start(earlier), cutoff, self.calendar, self.cache)
        gone = count_parts(stocks, at_earlier, {DOSSIER: Q(finished_at__gte=earlier, finished_at__lt=cutoff)})
        came = count_parts(stocks, at_cutoff, {DOSSIER: Q(received_at__gte=earlier, received_at__lt=cutoff)})
        for counts, sign in ((gone, -1), (came, 1)):
            for key, cells in counts.items():
                target = found.setdefault(key, {})
                for cell, n in cells.items():
                    target[cell] = target.get(cell, 0) + sign * n
        return found

    def procedure_ids(self, measure: Measure) -> list[int]:
        """Ids of the procedures with a positive count of a procedure-grain measure."""
        return sorted(key[2] for key, n in self.totals(measure).items() if n > 0)


def store_stock(state: State, cutoff: dt.datetime, calendar: Any) -> dict[str, dict[Key, int]]:
    """Count the stock parts at `cutoff` directly and keep them (month ends, and the latest few other
    cut-offs), under the state lock so that no change slips between the count and the store."""
    from motcua.scorecard.models import StockCount

    stocks = [p for p in state.parts.values() if p.section == STOCK]
    ctx = _context(month_start(cutoff - dt.timedelta(microseconds=1)), cutoff, calendar, {})
    with transaction.atomic():
        locked = _live_state()
        if locked is None or locked.version != state.version:
            return count_parts(stocks, ctx)  # changed meanwhile: count, keep nothing
        counts = count_parts(stocks, ctx)
        kept = _stored_cutoffs(locked)
        others = [c for c in kept if not is_month_start(c)]
        if not is_month_start(cutoff) and len(others) >= KEEP_OTHER_CUTOFFS:
            dropped = sorted(others)[: len(others) - KEEP_OTHER_CUTOFFS + 1]
            StockCount.objects.filter(cutoff__in=dropped).delete()
            kept = [c for c in kept if c not in dropped]
        StockCount.objects.bulk_create(_stock_objects(counts, cutoff), batch_size=2000)
        locked.stock_cutoffs = [_iso(c) for c in sorted({*kept, cutoff})]
        locked.version = uuid.uuid4().hex
        locked.save(update_fields=["stock_cutoffs", "version"])
    return counts


def counts_for(
    win: Window, measures: list[Measure], calendar: Any, *, build: bool | None = None
) -> CellCounts | None:
    """Cell counts for an evaluation over `win`, or None when it must count directly: cells off,
    a measure cells cannot keep, or cells outdated and not rebuilt. `build` None rebuilds outdated
    cells when the fact table is large (AUTO_BUILD_FROM); True always; False never."""
    if build is not True and not enabled():
        return None
    needed = kept_parts(measures, calendar)
    if needed is None:
        return None
    state = read_state()
    usable = state.current and all(key in state.parts for key in needed)
    if not usable:
        if build is False or (build is None and state.fact_span < AUTO_BUILD_FROM):
            return None
        parts = {**all_plan_parts(calendar), **needed}
        if state.current:
            parts.update(state.parts)
        logger.info("scorecard cells: rebuilding %d parts", len(parts))
        rebuild(parts, calendar)
        state = read_state()
    return CellCounts(state, win, calendar, needed)
