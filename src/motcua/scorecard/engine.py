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
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.errors import InvalidInput, NotFound
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


def round_half_up(value: Fraction) -> Decimal:
    """`value` rounded half away from zero to 2 decimals, exactly (no binary floating point)."""
    scaled = abs(value) * 100
    whole = int(scaled + Fraction(1, 2))
    return (Decimal(whole) / 100 * (-1 if value < 0 else 1)).quantize(Decimal("0.01"))


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
    ratio: Fraction | None = None
    exact_points: Fraction | None = field(default=None, repr=False, compare=False)

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


def _q(expr: Any, kind: str, ctx: Context) -> Q:
    return compile_expression(expr, kind, ctx)


def row_filters(indicator: Indicator, ctx: Context) -> tuple[Q, Q]:
    """(denominator, numerator) of a row-counting indicator, as Qs over its row kind."""
    kind = indicator.row_kind
    if indicator.source == CATALOG:
        base = Q() if indicator.include_internal else Q(internal=False)
    else:
        assert indicator.population is not None
        base = population_q(indicator.population, ctx)
    den = base & _q(indicator.denominator, kind, ctx)
    return den, den & _q(indicator.numerator, kind, ctx)


def rate_filters(indicator: Indicator, ctx: Context) -> list[tuple[Q, Q]]:
    """(denominator, numerator) of each rate of a `hundred_minus_rates` indicator, over dossiers."""
    result = []
    for rate in indicator.rates:
        den = population_q(rate.population, ctx) & _q(rate.denominator, DOSSIER, ctx)
        result.append((den, den & _q(rate.numerator, DOSSIER, ctx)))
    return result


def distinct_filters(indicator: Indicator, ctx: Context) -> tuple[str, Q, str, Q]:
    """A distinct-procedure indicator: (row kind, Q) of the rows whose procedures make the
    denominator, and (row kind, Q) of the rows whose procedures qualify for the numerator."""
    assert indicator.population is not None and indicator.numerator_population is not None
    den_kind = POPULATION_KINDS[indicator.population]
    num_kind = POPULATION_KINDS[indicator.numerator_population]
    den = population_q(indicator.population, ctx) & _q(indicator.denominator, den_kind, ctx)
    num = population_q(indicator.numerator_population, ctx) & _q(indicator.numerator, num_kind, ctx)
    return den_kind, den, num_kind, num


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
        self.by_key: dict[tuple[str, Any], Counter[str]] = defaultdict(Counter)

    def add(self, unit_id: int, level: str, counts: dict[str, int]) -> None:
        for target in (("unit", unit_id), ("level", level), ("province", "")):
            self.by_key[target].update(counts)

    def keys(self, scope: str) -> list[Any]:
        return [key for s, key in self.by_key if s == scope]

    def get(self, scope: str, key: Any, alias: str) -> int:
        return self.by_key.get((scope, key), Counter())[alias]


class _Sets:
    """Sets of procedure ids per (scope, key), united upwards (distinct-procedure indicators)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, Any], set[int]] = defaultdict(set)

    def add(self, unit_id: int, level: str, procedure_id: int) -> None:
        for target in (("unit", unit_id), ("level", level), ("province", "")):
            self.by_key[target].add(procedure_id)

    def get(self, scope: str, key: Any) -> set[int]:
        return self.by_key.get((scope, key), set())


class Evaluation:
    """One evaluation of a plan for a period at an as_of; `rows()` runs the queries once."""

    def __init__(
        self,
        definition: PlanDefinition,
        plan: Any,
        period: Period,
        as_of: dt.datetime,
        calendar: Any = None,
    ) -> None:
        self.definition = definition
        self.plan = plan
        self.period = period
        self.window: Window = period.window(as_of)
        self.ctx = Context(self.window, calendar if calendar is not None else default_calendar())
        self.province_key = settings.MOTCUA_PROVINCE
        self.aliases: dict[tuple[str, str], str] = {}
        self.measures: dict[str, list[tuple[str, Q]]] = {DOSSIER: [], PAYMENT: [], PROCEDURE: []}
        self.sums: dict[str, _Sums] = {DOSSIER: _Sums(), PAYMENT: _Sums()}
        self.catalog: dict[str, int] = {}
        self.units: dict[int, tuple[str, str]] = {}  # id → (code, level)
        self.distinct_unit_ids: set[int] = set()
        self.reports: dict[tuple[Any, str], list[tuple[Any, ...]]] | None = None
        self.previous_reports: dict[tuple[Any, str], list[tuple[Any, ...]]] | None = None
        self.previous_plans: list[Any] = []

    # Measures: each distinct filter becomes one conditional COUNT. The key is the filter as the
    # definition writes it (a Q's text would evaluate the querysets inside it).
    def _measure(self, kind: str, q: Q, *definition: Any) -> str:
        key = (kind, json.dumps(definition, sort_keys=True, default=str))
        if key not in self.aliases:
            alias = f"m{len(self.aliases)}"
            self.aliases[key] = alias
            self.measures[kind].append((alias, q))
        return self.aliases[key]

    def _pair(
        self, kind: str, den: Q, num: Q, population: Any, denominator: Any, numerator: Any
    ) -> tuple[str, str]:
        """Aliases of a (denominator, numerator) pair of measures."""
        return (
            self._measure(kind, den, population, denominator),
            self._measure(kind, num, population, denominator, numerator),
        )

    def rows(self) -> list[ResultRow]:
        """Every row of the scorecard, in output order (indicators in file order, then totals)."""
        if self.window.empty:
            return []
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
            den, num = row_filters(indicator, self.ctx)
            population = ("procedures", indicator.include_internal)
            aliases = self._pair(PROCEDURE, den, num, population, indicator.denominator, indicator.numerator)
            return lambda: self._catalog_rows(indicator, *aliases)
        if indicator.is_formula:
            pairs = [
                self._pair(DOSSIER, den, num, rate.population, rate.denominator, rate.numerator)
                for rate, (den, num) in zip(indicator.rates, rate_filters(indicator, self.ctx), strict=True)
            ]
            return lambda: self._formula_rows(indicator, pairs)
        if indicator.count == COUNT_PROCEDURES:
            return self._distinct_rows(indicator)
        den, num = row_filters(indicator, self.ctx)
        kind = indicator.row_kind
        aliases = self._pair(kind, den, num, indicator.population, indicator.denominator, indicator.numerator)
        return lambda: self._count_rows(indicator, kind, *aliases)

    def _run(self) -> None:
        from motcua.orgs.models import Unit

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
                .annotate(**{alias: _count(q) for alias, q in measures})
                .order_by()
            )
            for row in rows:
                unit_id, level = row.pop("unit_key"), row.pop("level_key")
                self.sums[kind].add(unit_id, level, row)
                unit_ids.add(unit_id)
        if self.measures[PROCEDURE]:
            self.catalog = _model(PROCEDURE).objects.aggregate(
                **{alias: _count(q) for alias, q in self.measures[PROCEDURE]}
            )
        unit_ids |= self.distinct_unit_ids
        provinces: Counter[str] = Counter()
        for pk, code, level, province in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "code", "level", "province_code"
        ):
            self.units[pk] = (code, level)
            provinces[province] += 1
        self.province_key = province_key(provinces)

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

    def _ratio_row(
        self, indicator: Indicator, scope: str, key: str, level: str | None, num: int, den: int
    ) -> ResultRow | None:
        if den == 0:
            return None
        ratio = Fraction(100 * num, den)
        return self._finish(indicator, scope, key, level, ratio, num, den)

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
            ratio=ratio,
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
        for scope, key, stored, level in self._scoped_keys(indicator, self._present(sums)):
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
        for scope, key, stored, level in self._scoped_keys(indicator, self._present(sums)):
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

    def _distinct_rows(self, indicator: Indicator) -> Any:
        den_kind, den_q, num_kind, num_q = distinct_filters(indicator, self.ctx)
        den_sets, num_sets = _Sets(), _Sets()
        # Read here, during preparation: two DISTINCT (unit, level, procedure) queries.
        for sets, kind, q in ((den_sets, den_kind, den_q), (num_sets, num_kind, num_q)):
            path = _fact_path(kind)
            triples = (
                _model(kind)
                .objects.filter(q)
                .values_list(path + "unit_id", path + "level", path + "procedure_id")
                .distinct()
                .order_by()
            )
            for unit_id, level, procedure_id in triples:
                sets.add(unit_id, level, procedure_id)
        self.distinct_unit_ids |= {k for s, k in den_sets.by_key if s == "unit"}

        def build() -> list[ResultRow]:
            present = {
                scope: [k for s, k in den_sets.by_key if s == scope]
                for scope in ("province", "level", "unit")
            }
            rows = []
            for scope, key, stored, level in self._scoped_keys(indicator, present):
                procedures = den_sets.get(scope, stored)
                row = self._ratio_row(
                    indicator,
                    scope,
                    key,
                    level,
                    len(procedures & num_sets.get(scope, stored)),
                    len(procedures),
                )
                if row is not None:
                    rows.append(row)
            return rows

        return build

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
        maxima = {i.code: Fraction(i.points or 0) for i in self.definition.indicators}
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
            maximum = sum((maxima[r.indicator] for r in members), Fraction(0))
            if maximum == 0:
                continue
            points = sum((r.exact_points or Fraction(0) for r in members), Fraction(0))
            totals.append(
                ResultRow(
                    indicator=TOTAL,
                    scope=scope,
                    key=key,
                    value=round_half_up(points * 100 / maximum),
                    points=round_half_up(points),
                    max_points=round_half_up(maximum),
                    ratio=points * 100 / maximum,
                )
            )
        return totals


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
