"""The scorecard engine: evaluate a plan or an index for a period, in set-based queries.

Each indicator is a numerator and a denominator filter over one population (scorecard.predicates).
The engine compiles every filter of the plan into conditional COUNTs and runs, whatever the number
of units and indicators:

- one GROUP BY (unit, level) over the fact table for every dossier population,
- one GROUP BY (unit, level) over paid payments (PAYMENTS(P)),
- one aggregate over the catalog,
- per distinct-procedure indicator (tttt_fee_used), two DISTINCT (unit, level, procedure) reads,
- one read of the approved reported values.

Unit partial counts are summed up to levels and to the province; distinct-procedure partials are
united as sets. The same compiled filters give the drill-down lists (`drilldown`), so a number
and the dossiers behind it never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.collector import collector_paused
from motcua.errors import InvalidInput, NotFound
from motcua.scorecard import aggregates
from motcua.scorecard.aggregates import GRAIN_PROCEDURE, GRAIN_UNIT_PROCEDURE, Measure, combine
from motcua.scorecard.definition import (
    CATALOG,
    COUNT_PROCEDURES,
    PREVIOUS_YEAR,
    RATIO,
    REPORTED,
    YES_NO,
    Indicator,
    PlanDefinition,
    definition_from_json,
    shipped_definitions,
)
from motcua.scorecard.periods import Period, Window, vietnam_time
from motcua.scorecard.predicates import (
    DOSSIER,
    PAYMENT,
    POPULATION_KINDS,
    PROCEDURE,
    SUBJECT_PATHS,
    Context,
    compile_expression,
    population_q,
)

TOTAL = "total"
_HUNDRED = Fraction(100)


# --- results ------------------------------------------------------------------------------------


# Hundredths as Decimals, made once: a scorecard rounds tens of thousands of values, most of them
# between 0 and 100.
_HUNDREDTHS: dict[int, Decimal] = {}


def _hundredths(whole: int) -> Decimal:
    """`whole` hundredths as a Decimal with two decimals (12345 → 123.45)."""
    found = _HUNDREDTHS.get(whole)
    if found is None:
        found = Decimal(whole).scaleb(-2)
        if len(_HUNDREDTHS) < 100_000:
            _HUNDREDTHS[whole] = found
    return found


def round_half_up(value: Fraction) -> Decimal:
    """`value` rounded half away from zero to 2 decimals, exactly (no binary floating point):
    floor(100·|value| + ½) hundredths, in integers."""
    n, d = value.numerator, value.denominator
    whole = _hundredths((200 * abs(n) + d) // (2 * d))
    return whole.copy_negate() if n < 0 else whole


def _rounded(numerator: int, denominator: int) -> Decimal:
    """numerator ÷ denominator (≥ 0, denominator > 0) as `round_half_up` gives it, in integers: the
    scorecard rounds tens of thousands of counts, and Fractions cost more than the counting."""
    return _hundredths((200 * numerator + denominator) // (2 * denominator))


def _json_number(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal | Fraction):
        as_decimal = (
            value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
        )
        if as_decimal == as_decimal.to_integral_value():
            return int(as_decimal)
        return float(as_decimal)
    return value


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


Exact = Fraction | tuple[int, int] | Callable[[], Fraction] | None


def _fraction(value: Exact) -> Fraction | None:
    if isinstance(value, tuple):
        return Fraction(*value)
    if callable(value):
        return value()
    return value


def _approx(value: Exact) -> float:
    if isinstance(value, tuple):
        return value[0] / value[1]  # int ÷ int: correctly rounded
    return float(_fraction(value) or 0)


@dataclass
class ResultRow:
    """One scorecard row: an indicator (or `total`) at a scope (province, level, unit) and key.

    `ratio` is the exact value (100 × numerator ÷ denominator, or the formula's R) that `met` and
    the points were computed from; `value` is it rounded half-up to 2 decimals.
    """

    indicator: str
    scope: str
    key: str
    numerator: int | float | Decimal | None = None
    denominator: int | float | Decimal | None = None
    value: Decimal | None = None
    target: Decimal | None = None
    met: bool | None = None
    points: Decimal | None = None
    max_points: Decimal | None = None
    # The exact value and points: a Fraction, (numerator, denominator) integers or a function
    # giving the Fraction; made a Fraction only when read (`ratio`, `points_exact`), since most
    # rows are never asked and Fractions cost more than the counting.
    exact: Exact = field(default=None, repr=False, compare=False)
    exact_points: Exact = field(default=None, repr=False, compare=False)

    @property
    def ratio(self) -> Fraction | None:
        return _fraction(self.exact)

    @property
    def points_exact(self) -> Fraction | None:
        return _fraction(self.exact_points)

    @property
    def is_total(self) -> bool:
        return self.indicator == TOTAL

    def as_dict(self, with_points: bool) -> dict[str, Any]:
        """The row as in indicators.md "Output" (points for index plans only)."""
        if self.is_total:
            return {
                "indicator": TOTAL,
                "scope": self.scope,
                "key": self.key,
                "points": _float(self.points),
                "max_points": _float(self.max_points),
                "value": _float(self.value),
            }
        row: dict[str, Any] = {
            "indicator": self.indicator,
            "scope": self.scope,
            "key": self.key,
            "numerator": self.numerator
            if isinstance(self.numerator, int | float)
            else _json_number(self.numerator),
            "denominator": (
                self.denominator
                if isinstance(self.denominator, int | float)
                else _json_number(self.denominator)
            ),
            "value": _float(self.value),
            "target": _float(self.target),
            "met": self.met,
        }
        if with_points:
            row["points"] = _float(self.points)
            row["max_points"] = _float(self.max_points)
        return row


# --- plans and as_of ------------------------------------------------------------------------------


def resolve_plan(code: str) -> tuple[PlanDefinition, Any]:
    """The definition of plan `code` and its Plan row: the loaded one, else the shipped file
    (then the row is None and no reported value can exist for it). NotFound otherwise."""
    from motcua.scorecard.models import Plan

    plan = Plan.objects.filter(code=code).first()
    if plan is not None:
        return definition_from_json(plan.definition, source=f"plan {code}"), plan
    shipped = shipped_definitions().get(code)
    if shipped is None:
        known = sorted(set(Plan.objects.values_list("code", flat=True)) | set(shipped_definitions()))
        raise NotFound(
            _("Không có kế hoạch hoặc bộ chỉ số “%(code)s”. Có: %(known)s.")
            % {"code": code, "known": ", ".join(known)},
            field="plan",
        )
    return shipped, None


def effective_as_of(now: dt.datetime | None = None) -> dt.datetime:
    """The instant a scorecard describes when none is asked for: the latest import's `as_of`, unless
    dossiers changed through motcua since (then, and without any import, now)."""
    from motcua.scorecard.models import DataSnapshot

    snapshot = DataSnapshot.objects.filter(pk=1).first()
    if snapshot is not None and snapshot.as_of is not None and snapshot.live_since is None:
        return vietnam_time(snapshot.as_of)
    return vietnam_time(now or timezone.now())


def default_calendar() -> Any:
    from motcua.calendar import services as calendar_services

    return calendar_services.default_calendar()


# --- compiled filters (shared by the engine and the drill-down) -------------------------------------


def measure_q(measure: Measure, ctx: Context) -> Q:
    """The rows a measure counts, as a Q over its row kind: the one compilation of a definition's
    filters, shared by the engine's queries, the month cells (scorecard.aggregates) and the
    drill-down."""
    if measure.kind == PROCEDURE:
        base = Q() if measure.include_internal else Q(internal=False)
    else:
        assert measure.population is not None
        base = population_q(measure.population, ctx)
    return base & compile_expression(measure.filter, measure.kind, ctx)


def row_measures(indicator: Indicator) -> tuple[Measure, Measure]:
    """(denominator, numerator) of a row-counting indicator (catalog or dossiers)."""
    kind = indicator.row_kind
    population = None if indicator.source == CATALOG else indicator.population
    internal = indicator.include_internal if indicator.source == CATALOG else False
    return (
        Measure(kind, population, combine([indicator.denominator]), include_internal=internal),
        Measure(
            kind,
            population,
            combine([indicator.denominator, indicator.numerator]),
            include_internal=internal,
        ),
    )


def rate_measures(indicator: Indicator) -> list[tuple[Measure, Measure]]:
    """(denominator, numerator) of each rate of a `hundred_minus_rates` indicator, over dossiers."""
    return [
        (
            Measure(DOSSIER, rate.population, combine([rate.denominator])),
            Measure(DOSSIER, rate.population, combine([rate.denominator, rate.numerator])),
        )
        for rate in indicator.rates
    ]


def distinct_measures(indicator: Indicator) -> tuple[Measure, Measure]:
    """A distinct-procedure indicator: the rows whose procedures make the denominator, and the rows
    whose procedures qualify for the numerator, counted per unit, level and procedure."""
    assert indicator.population is not None and indicator.numerator_population is not None
    return (
        Measure(
            POPULATION_KINDS[indicator.population],
            indicator.population,
            combine([indicator.denominator]),
            grain=GRAIN_UNIT_PROCEDURE,
        ),
        Measure(
            POPULATION_KINDS[indicator.numerator_population],
            indicator.numerator_population,
            combine([indicator.numerator]),
            grain=GRAIN_UNIT_PROCEDURE,
        ),
    )


def row_filters(indicator: Indicator, ctx: Context) -> tuple[Q, Q]:
    """(denominator, numerator) of a row-counting indicator, as Qs over its row kind."""
    den, num = row_measures(indicator)
    return measure_q(den, ctx), measure_q(num, ctx)


def rate_filters(indicator: Indicator, ctx: Context) -> list[tuple[Q, Q]]:
    """(denominator, numerator) of each rate of a `hundred_minus_rates` indicator, over dossiers."""
    return [(measure_q(den, ctx), measure_q(num, ctx)) for den, num in rate_measures(indicator)]


def distinct_filters(indicator: Indicator, ctx: Context) -> tuple[str, Q, str, Q]:
    """A distinct-procedure indicator: (row kind, Q) of the rows whose procedures make the
    denominator, and (row kind, Q) of the rows whose procedures qualify for the numerator."""
    den, num = distinct_measures(indicator)
    return den.kind, measure_q(den, ctx), num.kind, measure_q(num, ctx)


def _model(kind: str) -> Any:
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import DossierFact
    from motcua.payments.models import Payment

    return {PROCEDURE: Procedure, DOSSIER: DossierFact, PAYMENT: Payment}[kind]


def _fact_path(kind: str) -> str:
    path = SUBJECT_PATHS[kind][DOSSIER]
    assert path is not None
    return path


def scope_q(kind: str, scope: str, key: str) -> Q:
    """Rows of `kind` (dossier or payment) within a scope: all, one level, or one unit (by code)."""
    if scope == "province":
        return Q()
    path = _fact_path(kind)
    if scope == "level":
        return Q(**{path + "level": key})
    return Q(**{path + "unit__code": key})


def _count(q: Q) -> Count:
    # An empty Q means "every row": a FILTER clause would have nothing to say.
    return Count("pk", filter=q) if q.children else Count("pk")


# --- evaluation ---------------------------------------------------------------------------------------


class _Sums:
    """Counts per (scope, key) for one row kind: units by id, levels by name, the province as ''."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, Any], dict[str, int]] = {}

    def add(self, unit_id: int, level: str, counts: dict[str, int]) -> None:
        for target in (("unit", unit_id), ("level", level), ("province", "")):
            into = self.by_key.get(target)
            if into is None:
                self.by_key[target] = dict(counts)
                continue
            for alias, n in counts.items():
                into[alias] = into.get(alias, 0) + n

    def keys(self, scope: str) -> list[Any]:
        return [key for s, key in self.by_key if s == scope]

    def get(self, scope: str, key: Any, alias: str) -> int:
        counts = self.by_key.get((scope, key))
        return 0 if counts is None else counts.get(alias, 0)


class _Sets:
    """Sets of procedure ids per (scope, key), united upwards (distinct-procedure indicators)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, Any], set[int]] = defaultdict(set)

    def add(self, unit_id: int, level: str, procedure_id: int) -> None:
        for target in (("unit", unit_id), ("level", level), ("province", "")):
            self.by_key[target].add(procedure_id)

    def get(self, scope: str, key: Any) -> set[int]:
        return self.by_key.get((scope, key), set())


@dataclass(frozen=True)
class _Scoring:
    """What turns an indicator's counts into a row, worked out once per evaluation: the targets (by
    scope and level, as met), and for an index the maximum and threshold as integer ratios."""

    targets: dict[tuple[bool, str | None], Decimal | None]  # (province scope?, level) → target
    maximum: tuple[int, int] | None
    threshold: tuple[int, int] | None
    max_points: Decimal | None


_COMPARE_INTS = {
    ">=": lambda x, y: x >= y,
    ">": lambda x, y: x > y,
    "<=": lambda x, y: x <= y,
    "<": lambda x, y: x < y,
    "=": lambda x, y: x == y,
}


class _QuestionsAsked(Context):
    """A context that records which procedure questions (`procedure_has_dossier`) a catalog filter
    asks, so that the month cells can answer them."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx.window, ctx.calendar)
        self.cache = ctx.cache
        self.asked: list[Measure] = []

    def procedures_with_dossiers(self, population: str, where: Any) -> Any:
        self.asked.append(Measure(DOSSIER, population, where, grain=GRAIN_PROCEDURE))
        return []


class _CellContext(Context):
    """A context whose procedure questions are answered from the month cells."""

    def __init__(self, ctx: Context, cells: aggregates.CellCounts) -> None:
        super().__init__(ctx.window, ctx.calendar)
        self.cache = ctx.cache
        self.cells = cells

    def procedures_with_dossiers(self, population: str, where: Any) -> Any:
        return self.cells.procedure_ids(Measure(DOSSIER, population, where, grain=GRAIN_PROCEDURE))


# The rows behind a unit's presence (a unit with data): those any dossier measure can count
# (received or handled in the period), and paid payments.
PRESENCE = {
    DOSSIER: (Measure(DOSSIER, "received"), Measure(DOSSIER, "handled")),
    PAYMENT: (Measure(PAYMENT, "payments"),),
}


class Evaluation:
    """One evaluation of a plan for a period at an as_of; `rows()` runs the queries once.

    Counts come from the month cells (scorecard.aggregates) when they can give them, else from
    GROUP BY queries over the fact table. `cells`: None decides by itself (cells current, or large
    data worth rebuilding them), True always uses them (building them when needed), False never.
    """

    def __init__(
        self,
        definition: PlanDefinition,
        plan: Any,
        period: Period,
        as_of: dt.datetime,
        calendar: Any = None,
        cells: bool | None = None,
    ) -> None:
        self.definition = definition
        self.plan = plan
        self.period = period
        self.window: Window = period.window(as_of)
        self.ctx = Context(self.window, calendar if calendar is not None else default_calendar())
        self.use_cells = cells
        self.used_cells = False
        self.province_key = settings.MOTCUA_PROVINCE
        self.aliases: dict[str, str] = {}
        # Measures by row kind: counted per unit and level (procedure: the catalog, in total).
        self.measures: dict[str, list[tuple[str, Measure]]] = {DOSSIER: [], PAYMENT: [], PROCEDURE: []}
        # Measures counting procedures per unit and level (distinct-procedure indicators).
        self.procedure_measures: list[tuple[str, Measure]] = []
        self.sums: dict[str, _Sums] = {DOSSIER: _Sums(), PAYMENT: _Sums()}
        self.sets: dict[str, _Sets] = defaultdict(_Sets)
        self.catalog: dict[str, int] = {}
        self.units: dict[int, tuple[str, str]] = {}  # id → (code, level)
        self.distinct_dens: set[str] = set()
        self.scorings: dict[str, _Scoring] = {}
        self.reports: dict[tuple[Any, str], list[tuple[Any, ...]]] | None = None
        self.previous_reports: dict[tuple[Any, str], list[tuple[Any, ...]]] | None = None
        self.previous_plans: list[Any] = []
        self._keys_memo: dict[tuple[int, tuple[str, ...]], list[tuple[str, str, Any, str | None]]] = {}

    # Measures: each distinct measure becomes one conditional COUNT (or one month-cell total).
    def _measure(self, measure: Measure) -> str:
        if measure.key not in self.aliases:
            alias = f"m{len(self.aliases)}"
            self.aliases[measure.key] = alias
            if measure.grain == GRAIN_UNIT_PROCEDURE:
                self.procedure_measures.append((alias, measure))
            else:
                self.measures[measure.kind].append((alias, measure))
        return self.aliases[measure.key]

    def _pair(self, pair: tuple[Measure, Measure]) -> tuple[str, str]:
        """Aliases of a (denominator, numerator) pair of measures."""
        return self._measure(pair[0]), self._measure(pair[1])

    def rows(self) -> list[ResultRow]:
        """Every row of the scorecard, in output order (indicators in file order, then totals)."""
        if self.window.empty:
            return []
        with collector_paused():
            # Register every measure first, so that each kind of row is read in one query.
            builders = [self._prepare(indicator) for indicator in self.definition.indicators]
            self._run()
            plan_rows: list[list[ResultRow]] = [build() for build in builders]
            rows = [row for group in plan_rows for row in group]
            if self.definition.is_index:
                rows += self._totals(rows)
            return rows

    def _prepare(self, indicator: Indicator) -> Any:
        """Register the indicator's measures; return the function that builds its rows afterwards."""
        if indicator.source == REPORTED:
            return lambda: self._reported_rows(indicator)
        if indicator.source == CATALOG:
            aliases = self._pair(row_measures(indicator))
            return lambda: self._catalog_rows(indicator, *aliases)
        if indicator.is_formula:
            pairs = [self._pair(pair) for pair in rate_measures(indicator)]
            return lambda: self._formula_rows(indicator, pairs)
        if indicator.count == COUNT_PROCEDURES:
            den, num = self._pair(distinct_measures(indicator))
            self.distinct_dens.add(den)
            return lambda: self._distinct_rows(indicator, den, num)
        kind = indicator.row_kind
        aliases = self._pair(row_measures(indicator))
        return lambda: self._count_rows(indicator, kind, *aliases)

    def cell_measures(self) -> list[Measure]:
        """The dossier and payment measures the month cells must give for this evaluation, with the
        procedure questions its catalog filters ask."""
        found = [m for kind in (DOSSIER, PAYMENT) for _alias, m in self.measures[kind]]
        found += [m for _alias, m in self.procedure_measures]
        for kind in (DOSSIER, PAYMENT):
            if self.measures[kind] or any(m.kind == kind for _a, m in self.procedure_measures):
                found += PRESENCE[kind]
        if self.measures[PROCEDURE]:
            asked = _QuestionsAsked(self.ctx)
            for _alias, measure in self.measures[PROCEDURE]:
                measure_q(measure, asked)
            found += asked.asked
        return found

    def _run(self) -> None:
        from motcua.orgs.models import Unit

        cells = None
        if self.use_cells is not False:
            cells = aggregates.counts_for(
                self.window, self.cell_measures(), self.ctx.calendar, build=self.use_cells
            )
        self.used_cells = cells is not None
        unit_ids = self._count_from_cells(cells) if cells is not None else self._count_directly()
        for alias in self.distinct_dens:
            unit_ids |= {k for s, k in self.sets[alias].by_key if s == "unit"}
        provinces: Counter[str] = Counter()
        for pk, code, level, province in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "code", "level", "province_code"
        ):
            self.units[pk] = (code, level)
            provinces[province] += 1
        self.province_key = province_key(provinces)

    def _count_directly(self) -> set[int]:
        """Count with GROUP BY queries over the fact table and payments; returns the units with data."""
        unit_ids: set[int] = set()
        for kind in (DOSSIER, PAYMENT):
            measures = self.measures[kind]
            if not measures:
                continue
            path = _fact_path(kind)
            rows = (
                _model(kind)
                .objects.filter(self._any_population(kind))
                .values(unit_key=F(path + "unit_id"), level_key=F(path + "level"))
                .annotate(**{alias: _count(measure_q(m, self.ctx)) for alias, m in measures})
                .order_by()
            )
            for row in rows:
                unit_id, level = row.pop("unit_key"), row.pop("level_key")
                self.sums[kind].add(unit_id, level, row)
                unit_ids.add(unit_id)
        # Distinct-procedure measures: one DISTINCT (unit, level, procedure) read each.
        for alias, measure in self.procedure_measures:
            path = _fact_path(measure.kind)
            triples = (
                _model(measure.kind)
                .objects.filter(measure_q(measure, self.ctx))
                .values_list(path + "unit_id", path + "level", path + "procedure_id")
                .distinct()
                .order_by()
            )
            for unit_id, level, procedure_id in triples:
                self.sets[alias].add(unit_id, level, procedure_id)
        if self.measures[PROCEDURE]:
            self.catalog = _model(PROCEDURE).objects.aggregate(
                **{alias: _count(measure_q(m, self.ctx)) for alias, m in self.measures[PROCEDURE]}
            )
        return unit_ids

    def _count_from_cells(self, cells: aggregates.CellCounts) -> set[int]:
        """Take the counts from the month cells; returns the units with data."""
        unit_ids: set[int] = set()
        for kind in (DOSSIER, PAYMENT):
            measures = self.measures[kind]
            if not measures:
                continue
            present: set[tuple[int, str]] = set()
            for measure in PRESENCE[kind]:
                present |= {(u, level) for (u, level, _p), n in cells.totals(measure).items() if n > 0}
            by_unit: dict[tuple[int, str], dict[str, int]] = {key: {} for key in present}
            for alias, measure in measures:
                for (u, level, _p), n in cells.totals(measure).items():
                    if n and (u, level) in by_unit:
                        by_unit[(u, level)][alias] = n
            for (u, level), counts in by_unit.items():
                self.sums[kind].add(u, level, counts)
                unit_ids.add(u)
        for alias, measure in self.procedure_measures:
            for (u, level, procedure_id), n in cells.totals(measure).items():
                if n > 0:
                    self.sets[alias].add(u, level, procedure_id)
        if self.measures[PROCEDURE]:
            ctx = _CellContext(self.ctx, cells)
            self.catalog = _model(PROCEDURE).objects.aggregate(
                **{alias: _count(measure_q(m, ctx)) for alias, m in self.measures[PROCEDURE]}
            )
        return unit_ids

    def _any_population(self, kind: str) -> Q:
        # The rows any measure can count: a WHERE the database can use an index for.
        if kind == PAYMENT:
            return population_q("payments", self.ctx)
        received = population_q("received", self.ctx)
        handled = population_q("handled", self.ctx)
        return received | handled

    # --- row builders -------------------------------------------------------------------------------

    def _scoped_keys(
        self, indicator: Indicator, present: dict[str, list[Any]]
    ) -> list[tuple[str, str, Any, str | None]]:
        """(scope, key as output, key as stored, level for the target) in output order."""
        keys: list[tuple[str, str, Any, str | None]] = []
        if "province" in indicator.scopes and "" in present.get("province", []):
            keys.append(("province", self.province_key, "", None))
        if "level" in indicator.scopes:
            levels = present.get("level", [])
            order = list(self.definition.level_order) + sorted(set(levels) - set(self.definition.level_order))
            keys += [("level", level, level, level) for level in order if level in levels]
        if "unit" in indicator.scopes:
            units = [u for u in present.get("unit", []) if u in self.units]
            for unit_id in sorted(units, key=lambda u: self.units[u][0]):
                code, level = self.units[unit_id]
                keys.append(("unit", code, unit_id, level))
        return keys

    def _present(self, sums: _Sums) -> dict[str, list[Any]]:
        return {scope: sums.keys(scope) for scope in ("province", "level", "unit")}

    def _keys_of(self, sums: _Sums, indicator: Indicator) -> list[tuple[str, str, Any, str | None]]:
        """`_scoped_keys` over counted rows, worked out once per row kind and set of scopes (the
        counts are complete when rows are built)."""
        memo = (id(sums), tuple(indicator.scopes))
        if memo not in self._keys_memo:
            self._keys_memo[memo] = self._scoped_keys(indicator, self._present(sums))
        return self._keys_memo[memo]

    def _ratio_row(
        self, indicator: Indicator, scope: str, key: str, level: str | None, num: int, den: int
    ) -> ResultRow | None:
        """The row of a count ratio: `_finish` in integer arithmetic (the same numbers, exactly)."""
        if den == 0:
            return None
        spec = self._scoring(indicator)
        a, b = 100 * num, den  # the ratio is a ÷ b
        where = (scope == "province", level)
        if where not in spec.targets:
            spec.targets[where] = indicator.target_for(scope, level)
        target = spec.targets[where]
        met = None
        if target is not None:
            tn, td = target.as_integer_ratio()
            met = _COMPARE_INTS[indicator.comparator](a * td, tn * b)
        row = ResultRow(
            indicator=indicator.code,
            scope=scope,
            key=key,
            numerator=num,
            denominator=den,
            value=_rounded(a, b),
            target=target,
            met=met,
            exact=(a, b),
        )
        if spec.maximum is not None:
            mn, md = spec.maximum
            if spec.threshold is not None:
                tn, td = spec.threshold
                pn, pd = (mn, md) if a * td >= tn * b else (mn * a * td, md * b * tn)
            else:
                pn, pd = mn * a, md * b * 100
            row.points = _rounded(pn, pd)
            row.max_points = spec.max_points
            row.exact_points = (pn, pd)
        return row

    def _scoring(self, indicator: Indicator) -> _Scoring:
        spec = self.scorings.get(indicator.code)
        if spec is None:
            maximum = threshold = max_points = None
            if self.definition.is_index and indicator.points is not None:
                maximum = indicator.points.as_integer_ratio()
                max_points = round_half_up(Fraction(indicator.points))
                if indicator.threshold is not None:
                    threshold = indicator.threshold.as_integer_ratio()
            spec = _Scoring(
                targets={},
                maximum=maximum,
                threshold=threshold,
                max_points=max_points,
            )
            self.scorings[indicator.code] = spec
        return spec

    def _finish(
        self,
        indicator: Indicator,
        scope: str,
        key: str,
        level: str | None,
        ratio: Fraction,
        numerator: Any,
        denominator: Any,
        target_exact: Fraction | None = None,
    ) -> ResultRow:
        # A previous-year target is exact (the previous value); a fixed one is the definition's.
        target = (
            round_half_up(target_exact) if target_exact is not None else indicator.target_for(scope, level)
        )
        if target_exact is None and target is not None:
            target_exact = Fraction(target)
        row = ResultRow(
            indicator=indicator.code,
            scope=scope,
            key=key,
            numerator=numerator,
            denominator=denominator,
            value=round_half_up(ratio),
            target=target,
            met=None if target_exact is None else _compare(ratio, indicator.comparator, target_exact),
            exact=ratio,
        )
        if self.definition.is_index and indicator.points is not None:
            maximum = Fraction(indicator.points)
            threshold = Fraction(indicator.threshold) if indicator.threshold is not None else None
            if threshold is not None and ratio >= threshold:
                points = maximum
            else:
                points = maximum * ratio / (threshold if threshold is not None else _HUNDRED)
            row.points = round_half_up(points)
            row.max_points = round_half_up(maximum)
            row.exact_points = points
        return row

    def _count_rows(self, indicator: Indicator, kind: str, den_alias: str, num_alias: str) -> list[ResultRow]:
        sums = self.sums[kind]
        rows = []
        for scope, key, stored, level in self._keys_of(sums, indicator):
            row = self._ratio_row(
                indicator,
                scope,
                key,
                level,
                sums.get(scope, stored, num_alias),
                sums.get(scope, stored, den_alias),
            )
            if row is not None:
                rows.append(row)
        return rows

    def _catalog_rows(self, indicator: Indicator, den_alias: str, num_alias: str) -> list[ResultRow]:
        row = self._ratio_row(
            indicator, "province", self.province_key, None, self.catalog[num_alias], self.catalog[den_alias]
        )
        return [row] if row is not None else []

    def _formula_rows(self, indicator: Indicator, pairs: list[tuple[str, str]]) -> list[ResultRow]:
        """hundred_minus_rates: R = max(0, 100 − Σ rate%), a rate with an empty population counting 0;
        a row exists where the first rate's population is not empty."""
        sums = self.sums[DOSSIER]
        rows = []
        for scope, key, stored, level in self._keys_of(sums, indicator):
            basis = sums.get(scope, stored, pairs[0][0])
            if basis == 0:
                continue
            penalty = Fraction(0)
            for den_alias, num_alias in pairs:
                den = sums.get(scope, stored, den_alias)
                if den:
                    penalty += Fraction(100 * sums.get(scope, stored, num_alias), den)
            ratio = max(Fraction(0), _HUNDRED - penalty)
            rows.append(self._finish(indicator, scope, key, level, ratio, float(ratio), 100))
        return rows

    def _distinct_rows(self, indicator: Indicator, den_alias: str, num_alias: str) -> list[ResultRow]:
        den_sets, num_sets = self.sets[den_alias], self.sets[num_alias]
        present = {
            scope: [k for s, k in den_sets.by_key if s == scope] for scope in ("province", "level", "unit")
        }
        rows = []
        for scope, key, stored, level in self._scoped_keys(indicator, present):
            procedures = den_sets.get(scope, stored)
            row = self._ratio_row(
                indicator, scope, key, level, len(procedures & num_sets.get(scope, stored)), len(procedures)
            )
            if row is not None:
                rows.append(row)
        return rows

    def _reported_rows(self, indicator: Indicator) -> list[ResultRow]:
        if self.reports is None:  # every approved value of the plan and period, in one query
            self.reports = approved_reports([self.plan], self.period.code)
        reports = self.reports.get((getattr(self.plan, "pk", None), indicator.code), [])
        for unit_id, code, level, *_numbers in reports:
            if unit_id is not None:
                self.units.setdefault(unit_id, (code, level))
        values = roll_up(indicator, reports)
        previous: dict[tuple[str, Any], Fraction] = {}
        if indicator.target == PREVIOUS_YEAR:
            previous = self._previous_year(indicator)
        present: dict[str, list[Any]] = defaultdict(list)
        for scope, stored in values:
            present[scope].append(stored)
        rows = []
        for scope, key, stored, level in self._scoped_keys(indicator, present):
            numerator, denominator, ratio = values[(scope, stored)]
            rows.append(
                self._finish(
                    indicator, scope, key, level, ratio, numerator, denominator, previous.get((scope, stored))
                )
            )
        return rows

    def _previous_year(self, indicator: Indicator) -> dict[tuple[str, Any], Fraction]:
        """The indicator's approved values one year earlier: in the previous plan when it is loaded
        and has them, else in this plan (a baseline reported for comparison)."""
        from motcua.scorecard.models import Plan

        if self.previous_reports is None:
            previous_plan = (
                Plan.objects.filter(code=self.definition.previous).first()
                if self.definition.previous
                else None
            )
            self.previous_plans = [p for p in (previous_plan, self.plan) if p is not None]
            self.previous_reports = approved_reports(self.previous_plans, self.period.previous_year().code)
        for plan in self.previous_plans:
            values = roll_up(indicator, self.previous_reports.get((plan.pk, indicator.code), []))
            if values:
                return {key: exact for key, (_n, _d, exact) in values.items()}
        return {}

    # --- totals ---------------------------------------------------------------------------------------

    def _totals(self, rows: list[ResultRow]) -> list[ResultRow]:
        """qd766 totals: per province, level and unit key with ≥ 1 non-catalog row; catalog indicators
        count with the province's value in every total; all sums from unrounded points."""
        catalog_codes = {i.code for i in self.definition.indicators if i.source == CATALOG}
        maxima = {i.code: i.points or Decimal(0) for i in self.definition.indicators}
        catalog = [r for r in rows if r.indicator in catalog_codes and r.exact_points is not None]
        keyed: dict[tuple[str, str], list[ResultRow]] = defaultdict(list)
        for row in rows:
            if row.indicator not in catalog_codes and row.exact_points is not None:
                keyed[(row.scope, row.key)].append(row)
        province = (("province", self.province_key),)
        levels = tuple(("level", level) for level in self.definition.level_order)
        other_levels = sorted(k for k in keyed if k[0] == "level" and k not in levels)
        units = sorted(k for k in keyed if k[0] == "unit")
        totals = []
        for scope, key in (*province, *levels, *other_levels, *units):
            if scope != "province" and (scope, key) not in keyed:
                continue
            members = keyed.get((scope, key), []) + catalog
            maximum = sum((maxima[r.indicator] for r in members), Decimal(0))  # exact: maxima are decimals
            if maximum == 0:
                continue
            points, value, exact = _total(members, maximum)
            totals.append(
                ResultRow(
                    indicator=TOTAL,
                    scope=scope,
                    key=key,
                    value=value,
                    points=points,
                    max_points=maximum.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                    exact=exact,
                )
            )
        return totals


# A float sum of at most a few dozen points is off by far less than this: roundings farther than
# this from a tie are settled in floating point, the others in exact Fractions.
_TIE_MARGIN = 1e-7


def _total(members: list[ResultRow], maximum: Decimal) -> tuple[Decimal, Decimal, Callable[[], Fraction]]:
    """(points, value) of a total, rounded half-up from the exact sum of the members' points, and
    the function giving the exact value."""

    def exact_points() -> Fraction:
        return sum((r.points_exact or Fraction(0) for r in members), Fraction(0))

    def exact_value() -> Fraction:
        return exact_points() * 100 / Fraction(maximum)

    approx = math.fsum(_approx(r.exact_points) for r in members)
    scaled = (approx * 100, approx * 10000 / float(maximum))
    if all(abs(x - math.floor(x) - 0.5) > _TIE_MARGIN for x in scaled):
        points, value = (Decimal(math.floor(x + 0.5)).scaleb(-2) for x in scaled)
    else:
        points, value = round_half_up(exact_points()), round_half_up(exact_value())
    return points, value, exact_value


def province_key(seen: Counter[str]) -> str:
    """The key of the province scope: the province code of the units with data (the bundle's
    `province`), else of the units on record, else the installation's MOTCUA_PROVINCE."""
    from motcua.orgs.models import Unit

    if seen:
        return seen.most_common(1)[0][0]
    recorded = Unit.objects.order_by("path", "code").values_list("province_code", flat=True).first()
    return recorded or settings.MOTCUA_PROVINCE


def _compare(ratio: Fraction, comparator: str, target: Fraction) -> bool:
    return {
        ">=": ratio >= target,
        ">": ratio > target,
        "<=": ratio <= target,
        "<": ratio < target,
        "=": ratio == target,
    }[comparator]


# --- reported values --------------------------------------------------------------------------------


def approved_reports(plans: list[Any], period: str) -> dict[tuple[Any, str], list[tuple[Any, ...]]]:
    """The approved reported values of `plans` for a period, in one query: (plan id, indicator) →
    [(unit id, unit code, unit level, value, numerator, denominator)] (unit None: the province)."""
    from motcua.scorecard.models import ReportedValue, ReportStatus

    found: dict[tuple[Any, str], list[tuple[Any, ...]]] = defaultdict(list)
    plans = [p for p in plans if p is not None]
    if not plans:
        return found
    rows = ReportedValue.objects.filter(
        plan__in=plans, period=period, status=ReportStatus.APPROVED
    ).values_list(
        "plan_id", "indicator", "unit_id", "unit__code", "unit__level", "value", "numerator", "denominator"
    )
    for plan_id, indicator, *rest in rows:
        found[(plan_id, indicator)].append(tuple(rest))
    return found


def roll_up(
    indicator: Indicator, reports: list[tuple[Any, ...]]
) -> dict[tuple[str, Any], tuple[Any, Any, Fraction]]:
    """Reported values rolled up (indicators.md): (scope, key) → (numerator, denominator, exact value).

    A unit's value is its own; yes/no values roll up to levels and the province as
    100 × (units reporting 1) ÷ (units reporting); reported numerators and denominators roll up by
    summing; an approved province-level value is used as is.
    """
    found: dict[tuple[str, Any], tuple[Any, Any, Fraction]] = {}
    rolled: dict[tuple[str, Any], list[Fraction]] = defaultdict(lambda: [Fraction(0), Fraction(0)])
    for unit_id, _code, level, value, numerator, denominator in reports:
        if indicator.value_kind == YES_NO and value is not None:
            numerator, denominator = (Decimal(1) if value else Decimal(0)), Decimal(1)
        if numerator is not None and denominator:
            exact = Fraction(numerator) * 100 / Fraction(denominator)
        elif value is not None:
            exact = Fraction(value)
        else:
            continue
        found[("province", "") if unit_id is None else ("unit", unit_id)] = (
            _plain(numerator),
            _plain(denominator),
            exact,
        )
        if (
            unit_id is not None
            and indicator.value_kind in (YES_NO, RATIO)
            and numerator is not None
            and denominator
        ):
            for target in (("level", level), ("province", "")):
                rolled[target][0] += Fraction(numerator)
                rolled[target][1] += Fraction(denominator)
    for key, (num, den) in rolled.items():
        if key not in found and den:
            found[key] = (_plain(num), _plain(den), num * 100 / den)
    return found


def _plain(value: Any) -> Any:
    """A reported number as it should print: an int when whole, else a Decimal."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(value) if value == value.to_integral_value() else value.normalize()


# --- public entry points ------------------------------------------------------------------------------


def evaluate(plan_code: str, period: str, as_of: dt.datetime | None = None) -> list[ResultRow]:
    """Every row of plan `plan_code` for `period` (`2023`, `2023-Q2`, `2023-05`) as of `as_of`
    (default: `effective_as_of()`): indicator rows per scope, then qd766-style totals.

    Rows with a zero denominator are left out. NotFound for an unknown plan, InvalidInput for a
    malformed period.
    """
    definition, plan = resolve_plan(plan_code)
    parsed = Period.parse(period)
    moment = vietnam_time(as_of) if as_of is not None else effective_as_of()
    return Evaluation(definition, plan, parsed, moment).rows()


def plan_measures(definition: PlanDefinition, calendar: Any = None) -> list[Measure]:
    """The dossier and payment measures an evaluation of `definition` counts, with the procedure
    questions of its catalog filters: what the month cells keep for it."""
    period = Period.parse(str(definition.year))
    evaluation = Evaluation(definition, None, period, period.end, calendar=calendar, cells=False)
    for indicator in definition.indicators:
        evaluation._prepare(indicator)
    return evaluation.cell_measures()


def best_first(rows: list[Any], ascending: bool) -> list[Any]:
    """Rows with a value ordered best first (highest, or lowest when `ascending`), ties by key."""
    valued = [r for r in rows if r.value is not None]
    return sorted(valued, key=lambda r: (r.value if ascending else -r.value, r.key))


def ranks_ascending(definition: PlanDefinition, indicator: str) -> bool:
    """True when a lower value is better (the target is an upper bound, e.g. a rank ≤ 20)."""
    return indicator != TOTAL and definition.indicator(indicator).comparator in ("<=", "<")


def ranking(
    plan_code: str, period: str, indicator: str, level: str, as_of: dt.datetime | None = None
) -> list[tuple[int, ResultRow]]:
    """The units of `level` ordered by their value of `indicator` (or `total`), best first, with
    their places (1 = best). Unscoped; the API reads `selectors.ranking` over stored results."""
    definition, _plan = resolve_plan(plan_code)
    ascending = ranks_ascending(definition, indicator)
    rows = evaluate(plan_code, period, as_of)
    from motcua.orgs.models import Unit

    codes = set(
        Unit.objects.filter(level=level, code__in=[r.key for r in rows if r.scope == "unit"]).values_list(
            "code", flat=True
        )
    )
    units = [r for r in rows if r.indicator == indicator and r.scope == "unit" and r.key in codes]
    return list(enumerate(best_first(units, ascending), start=1))


@dataclass
class Drilldown:
    """The rows behind one indicator at one scope and key, as filters over rows of `kind`
    (dossiers, payments or procedures): the numerator and the denominator, or for a formula
    indicator (population, numerator, denominator) per rate; `drill_codes` lists them."""

    kind: str
    numerator: Q | None
    denominator: Q | None
    parts: list[tuple[str, Q, Q]]


def drill_codes(kind: str, q: Q) -> QuerySet:
    """The codes of the rows matching `q`: procedure codes, or dossier codes (a payment's dossier)."""
    if kind == PROCEDURE:
        return _model(PROCEDURE).objects.filter(q).order_by("code").values_list("code", flat=True)
    if kind == DOSSIER:
        return (
            _model(DOSSIER)
            .objects.filter(q)
            .order_by("dossier__code")
            .values_list("dossier__code", flat=True)
        )
    return (
        _model(PAYMENT)
        .objects.filter(q)
        .order_by("dossier__code")
        .values_list("dossier__code", flat=True)
        .distinct()
    )


def drilldown(
    plan_code: str, period: str, indicator_code: str, scope: str, key: str, as_of: dt.datetime | None = None
) -> Drilldown:
    """What is counted in an indicator's numerator and denominator at one scope and key, with the
    very filters the engine counts (catalog and distinct-procedure indicators give procedures,
    payment indicators the payments' dossiers, formula indicators each rate)."""
    definition, _plan = resolve_plan(plan_code)
    indicator = definition.indicator(indicator_code)
    if scope not in indicator.scopes:
        raise InvalidInput(
            _("Chỉ tiêu này không tính ở phạm vi “%(scope)s”.") % {"scope": scope}, field="scope"
        )
    if indicator.source == REPORTED:
        raise InvalidInput(_("Chỉ tiêu do đơn vị báo cáo không có danh sách hồ sơ."), field="indicator")
    moment = vietnam_time(as_of) if as_of is not None else effective_as_of()
    window = Period.parse(period).window(moment)
    ctx = Context(window, default_calendar())
    if indicator.source == CATALOG:
        den, num = row_filters(indicator, ctx)
        return Drilldown(PROCEDURE, num, den, [])
    if indicator.is_formula:
        where = scope_q(DOSSIER, scope, key)
        parts = [
            (rate.population, num & where, den & where)
            for rate, (den, num) in zip(indicator.rates, rate_filters(indicator, ctx), strict=True)
        ]
        return Drilldown(DOSSIER, None, None, parts)
    if indicator.count == COUNT_PROCEDURES:
        den_kind, den_q, num_kind, num_q = distinct_filters(indicator, ctx)
        den_ids = (
            _model(den_kind)
            .objects.filter(den_q & scope_q(den_kind, scope, key))
            .values(_fact_path(den_kind) + "procedure_id")
        )
        num_ids = (
            _model(num_kind)
            .objects.filter(num_q & scope_q(num_kind, scope, key))
            .values(_fact_path(num_kind) + "procedure_id")
        )
        return Drilldown(PROCEDURE, Q(pk__in=den_ids) & Q(pk__in=num_ids), Q(pk__in=den_ids), [])
    kind = indicator.row_kind
    den, num = row_filters(indicator, ctx)
    where = scope_q(kind, scope, key)
    return Drilldown(kind, num & where, den & where, [])
