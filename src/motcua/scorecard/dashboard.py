"""The reform dashboard's read model (bảng theo dõi cải cách hành chính): what its pages show,
built from stored results (`services.current_results`) as `selectors` scopes them to the reader.

Nothing here computes an indicator. It reads the stored rows of a plan and period, judges each
row's state against its target, and arranges rows for the pages: the targets at a glance, the
qd766 groups, units at a glance, rankings within a level, monthly trends and the drill-down lists.

A row's state (docs/dashboard.md):

- **tracked** (theo dõi): no target, or no value;
- in a **closed** period (its end is at or before the data's as_of): **met** or **missed**;
- in a **running** period:
  - not met: **at risk** when a percentage is within `RISK_MARGIN` points of its target (it can
    still be reached), else **missed**;
  - met: **at risk** when the latest month moved the wrong way (the month containing the last
    day D(P) against the month before, at the same scope and key) and, for a percentage, the
    margin over the target is under `RISK_MARGIN` points; else **met**.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.scoping import VIEW, units_for
from motcua.errors import Forbidden
from motcua.orgs.choices import UnitLevel
from motcua.scorecard import charts, engine, formatting, selectors, services
from motcua.scorecard.definition import CATALOG, REPORTED, Indicator, PlanDefinition
from motcua.scorecard.models import IndicatorResult, ResultSet
from motcua.scorecard.periods import Period, vietnam_time
from motcua.scorecard.predicates import PROCEDURE

MET, AT_RISK, MISSED, TRACKED = "met", "at_risk", "missed", "tracked"
STATES = (MET, AT_RISK, MISSED, TRACKED)
# Percentage points: a running value this close to its target is at risk, not yet missed.
RISK_MARGIN = Decimal(5)
UP, DOWN, FLAT = "up", "down", "flat"

STATE_TONES = {MET: "good", AT_RISK: "warn", MISSED: "bad", TRACKED: "muted"}
DRILL_PAGE_SIZE = 50


def state_label(state: str, closed: bool) -> str:
    """The words of a state; a missed target reads "Chưa đạt" while the period runs."""
    if state == MISSED:
        return _("Không đạt") if closed else _("Chưa đạt")
    return {MET: _("Đạt"), AT_RISK: _("Có nguy cơ không đạt"), TRACKED: _("Theo dõi")}[state]


def level_label(level: str) -> str:
    return str(UnitLevel(level).label) if level in UnitLevel.values else level


# --- states -----------------------------------------------------------------------------------------


def _margin(value: Decimal, target: Decimal, comparator: str) -> Decimal:
    """How far `value` is on the good side of `target` (negative: short of it)."""
    if comparator in ("<=", "<"):
        return target - value
    if comparator == "=":
        return -abs(value - target)
    return value - target


def trend_of(previous: Decimal | None, last: Decimal | None) -> str | None:
    """The direction the value moved from the previous month to the last one."""
    if previous is None or last is None:
        return None
    return UP if last > previous else DOWN if last < previous else FLAT


def moved_wrong_way(
    direction: str | None, comparator: str, previous: Decimal | None, last: Decimal | None, target: Decimal
) -> bool:
    """Whether the latest move goes away from what the target asks."""
    if direction in (None, FLAT) or previous is None or last is None:
        return False
    if comparator in ("<=", "<"):
        return direction == UP
    if comparator == "=":
        return abs(last - target) > abs(previous - target)
    return direction == DOWN


def judge(
    row: engine.ResultRow,
    comparator: str,
    unit: str,
    *,
    closed: bool,
    previous: Decimal | None = None,
    last: Decimal | None = None,
) -> str:
    """The state of one row (module docstring): met, at risk, missed or tracked."""
    if row.met is None or row.value is None or row.target is None:
        return TRACKED
    if closed:
        return MET if row.met else MISSED
    percent = unit == "%"
    margin = _margin(row.value, row.target, comparator)
    if not row.met:
        return AT_RISK if percent and -margin <= RISK_MARGIN else MISSED
    wrong = moved_wrong_way(trend_of(previous, last), comparator, previous, last, row.target)
    if wrong and (not percent or margin < RISK_MARGIN):
        return AT_RISK
    return MET


# --- what the reader asked for -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    """A unit as the dashboard names it."""

    code: str
    name: str
    level: str

    @property
    def level_label(self) -> str:
        return level_label(self.level)


def default_period(plan: Mapping[str, Any], as_of: dt.datetime) -> str:
    """A plan's own year. An index (qd766) has no year of its own: the year of the data's as_of,
    or the year before during January, when the year just closed is the one reported."""
    if plan["kind"] != "index":
        return str(plan["year"])
    moment = vietnam_time(as_of)
    return str(moment.year - 1 if moment.month == 1 else moment.year)


def period_choices(years: Iterable[int]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods offered, grouped by year: the year, its quarters and its months."""
    grouped = []
    for year in sorted(set(years)):
        codes = (
            [str(year)] + [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
        )
        grouped.append((str(year), [(code, formatting.period_label(Period.parse(code))) for code in codes]))
    return grouped


def visible_units(user: Any) -> list[UnitInfo]:
    """The units whose rows the reader sees, by level then code (one query)."""
    order = {level: i for i, level in enumerate(UnitLevel.values)}
    rows = units_for(user, VIEW).values_list("code", "name", "level")
    return sorted((UnitInfo(*row) for row in rows), key=lambda u: (order.get(u.level, 9), u.code))


def scope_choices(units: list[UnitInfo], level_order: Iterable[str]) -> list[Any]:
    """The province, each level, and each visible unit grouped by level."""
    choices: list[Any] = [("province", _("Toàn tỉnh"))]
    choices.append((_("Theo cấp"), [(f"level:{level}", level_label(level)) for level in level_order]))
    by_level: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        by_level[unit.level].append((f"unit:{unit.code}", f"{unit.name} ({unit.code})"))
    for level, entries in by_level.items():
        choices.append((_("Đơn vị %(level)s") % {"level": level_label(level).lower()}, entries))
    return choices


def query_string(**params: Any) -> str:
    """ "?plan=…&period=…" from keyword arguments, None values left out."""
    return "?" + urlencode({k: v for k, v in params.items() if v is not None})


def parse_scope(value: str) -> tuple[str, str]:
    """ "province" → ("province", ""), "level:district" → ("level", "district"), "unit:X" → ("unit", "X")."""
    scope, _sep, key = (value or "province").partition(":")
    return (scope, key) if scope in ("level", "unit") and key else ("province", "")


@dataclass(frozen=True)
class Selection:
    """The plan, period and scope a dashboard page shows, and the filter form that chose them."""

    plan: dict[str, Any]
    period: Period
    scope: str
    key: str
    form: Any
    units: tuple[UnitInfo, ...] = ()

    @property
    def plan_code(self) -> str:
        return str(self.plan["code"])

    @property
    def scope_value(self) -> str:
        return f"{self.scope}:{self.key}" if self.key else "province"

    @property
    def period_label(self) -> str:
        return formatting.period_label(self.period)

    def query(self, **extra: Any) -> str:
        """The query string of this selection, plus `extra` (None values left out)."""
        params = {"plan": self.plan_code, "period": self.period.code, "scope": self.scope_value}
        params.update(extra)
        return query_string(**params)

    def unit(self, code: str) -> UnitInfo | None:
        return next((u for u in self.units if u.code == code), None)


def select(params: Mapping[str, Any], user: Any, *, with_scope: bool = True) -> Selection:
    """Read plan, period and scope from a query string, falling back to the defaults (the first
    plan, its default period, the province) for what is missing or invalid."""
    from motcua.scorecard.forms import DashboardForm

    plans = selectors.plans()
    as_of = engine.effective_as_of()
    years = {p["year"] for p in plans} | {vietnam_time(as_of).year}
    units = visible_units(user) if with_scope else []
    scopes = scope_choices(units, UnitLevel.values) if with_scope else None
    form = DashboardForm(
        {k: params.get(k) for k in ("plan", "period", "scope") if params.get(k)} or None,
        plans=[(p["code"], p["name"]) for p in plans],
        periods=period_choices(years),
        scopes=scopes,
    )
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        chosen = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    by_code = {p["code"]: p for p in plans}
    plan = by_code.get(chosen.get("plan") or "", plans[0])
    period = Period.parse(chosen.get("period") or default_period(plan, as_of))
    scope, key = parse_scope(chosen.get("scope") or "province")
    if not form.is_bound:
        form.initial = {"plan": plan["code"], "period": period.code, "scope": "province"}
    return Selection(plan, period, scope, key, form, tuple(units))


# --- a stored scorecard, as the reader sees it ------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One row of the scorecard with its state, trend and display texts."""

    row: engine.ResultRow
    indicator: Indicator | None  # None for a qd766 total
    state: str
    closed: bool
    trend: str | None = None

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator is not None else "%"

    @property
    def comparator(self) -> str:
        return self.indicator.comparator if self.indicator is not None else ">="

    @property
    def value_text(self) -> str:
        return formatting.measure(self.row.value, self.unit)

    @property
    def target_text(self) -> str:
        return formatting.target_text(self.row.target, self.comparator, self.unit)

    @property
    def state_label(self) -> str:
        return state_label(self.state, self.closed)

    @property
    def tone(self) -> str:
        return STATE_TONES[self.state]

    @property
    def trend_label(self) -> str:
        return {UP: _("tăng"), DOWN: _("giảm"), FLAT: _("không đổi")}.get(self.trend or "", "")

    @property
    def trend_arrow(self) -> str:
        return {UP: "↑", DOWN: "↓", FLAT: "→"}.get(self.trend or "", "")


class Board:
    """The stored results of one plan and period that a reader may see, each row judged.

    `load` reads them in a bounded number of queries whatever the number of units: the result set
    (computed first when missing or stale), its visible rows, the names of their units and, for a
    running period, the visible rows of the last two months (for the trend).
    """

    def __init__(
        self,
        definition: PlanDefinition,
        result_set: ResultSet,
        rows: dict[tuple[str, str, str], engine.ResultRow],
        units: dict[str, UnitInfo],
        recent: dict[tuple[str, str, str], tuple[Decimal | None, Decimal | None]],
    ) -> None:
        self.definition = definition
        self.result_set = result_set
        self.period = Period.parse(result_set.period)
        self.as_of = vietnam_time(result_set.as_of)
        self.closed = self.as_of >= self.period.end
        self.rows = rows
        self.units = units
        self.recent = recent
        self._indicators = {i.code: i for i in definition.indicators}
        self._cells: dict[tuple[str, str, str], Cell] = {}
        self.province_key = next((k for (_i, s, k) in rows if s == "province"), "")

    @classmethod
    def load(cls, user: Any, plan_code: str, period: str, *, with_trends: bool = True) -> Board:
        result_set = services.current_results(plan_code, period)
        definition, _plan = engine.resolve_plan(plan_code)
        rows = {
            (r.indicator, r.scope, r.key): selectors.row_from_stored(r, definition)
            for r in selectors.visible_results(user, result_set)
        }
        parsed = Period.parse(result_set.period)
        window = parsed.window(result_set.as_of)
        recent: dict[tuple[str, str, str], tuple[Decimal | None, Decimal | None]] = {}
        if with_trends and not window.empty and window.cutoff < parsed.end:
            recent = _recent_months(user, plan_code, window.last_day)
        codes = {key for (_i, scope, key) in rows if scope == "unit"}
        return cls(definition, result_set, rows, unit_infos(codes), recent)

    @property
    def is_index(self) -> bool:
        return self.definition.is_index

    def indicator(self, code: str) -> Indicator | None:
        return self._indicators.get(code)

    def row(self, indicator: str, scope: str, key: str) -> engine.ResultRow | None:
        if scope == "province":
            key = self.province_key
        return self.rows.get((indicator, scope, key))

    def cell(self, indicator: str, scope: str, key: str) -> Cell | None:
        """The judged row of an indicator (or `total`) at a scope and key; None when there is none."""
        if scope == "province":
            key = self.province_key
        found = self._cells.get((indicator, scope, key))
        if found is not None:
            return found
        row = self.rows.get((indicator, scope, key))
        if row is None:
            return None
        spec = self._indicators.get(indicator)
        comparator = spec.comparator if spec is not None else ">="
        unit = spec.unit if spec is not None else "%"
        previous, last = self.recent.get((indicator, scope, key), (None, None))
        state = judge(row, comparator, unit, closed=self.closed, previous=previous, last=last)
        cell = Cell(row, spec, state, self.closed, trend_of(previous, last))
        self._cells[(indicator, scope, key)] = cell
        return cell

    def unit_cells(self, indicator: str, level: str | None = None) -> list[tuple[UnitInfo, Cell]]:
        """The unit rows of an indicator (of one level if given), by unit code."""
        found = []
        for (code, scope, key), _row in self.rows.items():
            if code != indicator or scope != "unit":
                continue
            unit = self.units.get(key) or UnitInfo(key, key, "")
            if level is not None and unit.level != level:
                continue
            cell = self.cell(code, scope, key)
            assert cell is not None
            found.append((unit, cell))
        return sorted(found, key=lambda pair: pair[0].code)


def unit_infos(codes: Iterable[str]) -> dict[str, UnitInfo]:
    """Names and levels of units by code, in one query."""
    from motcua.orgs.models import Unit

    codes = list(codes)
    if not codes:
        return {}
    return {
        code: UnitInfo(code, name, level)
        for code, name, level in Unit.objects.filter(code__in=codes).values_list("code", "name", "level")
    }


def _month(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def _recent_months(
    user: Any, plan_code: str, last_day: dt.date
) -> dict[tuple[str, str, str], tuple[Decimal | None, Decimal | None]]:
    """(value of the month before, value of the month containing `last_day`) per visible row."""
    previous_day = last_day.replace(day=1) - dt.timedelta(days=1)
    values: dict[tuple[str, str, str], list[Decimal | None]] = defaultdict(lambda: [None, None])
    for position, code in enumerate((_month(previous_day), _month(last_day))):
        result_set = services.current_results(plan_code, code)
        stored = selectors.visible_results(user, result_set).values_list("indicator", "scope", "key", "value")
        for indicator, scope, key, value in stored:
            values[(indicator, scope, key)][position] = value
    return {key: (pair[0], pair[1]) for key, pair in values.items()}


# --- the targets at a glance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A scope shown as a column of the targets table."""

    scope: str
    key: str
    label: str

    @property
    def scope_value(self) -> str:
        return "province" if self.scope == "province" else f"{self.scope}:{self.key}"


@dataclass
class Line:
    """An indicator across the columns of the targets table."""

    indicator: Indicator
    cells: list[tuple[Column, Cell | None]]

    @property
    def drillable(self) -> bool:
        return self.indicator.source != REPORTED


@dataclass
class GroupLines:
    """A group (nhóm nhiệm vụ) of the plan and its indicators."""

    code: str
    name: str
    lines: list[Line]


def columns_for(board: Board, selection: Selection) -> list[Column]:
    """The province, and the chosen scope: every level (province), one level, or a unit with its level."""
    columns = [Column("province", board.province_key, _("Toàn tỉnh"))]
    if selection.scope == "province":
        columns += [Column("level", level, level_label(level)) for level in board.definition.level_order]
    elif selection.scope == "level":
        columns.append(Column("level", selection.key, level_label(selection.key)))
    else:
        unit = board.units.get(selection.key) or selection.unit(selection.key)
        if unit is not None and unit.level:
            columns.append(Column("level", unit.level, level_label(unit.level)))
        columns.append(Column("unit", selection.key, unit.name if unit else selection.key))
    return columns


def target_groups(board: Board, columns: list[Column]) -> list[GroupLines]:
    """The plan's indicators by group, each with its cell in every column."""
    groups = []
    for code, name in board.definition.groups:
        lines = [
            Line(indicator, [(c, board.cell(indicator.code, c.scope, c.key)) for c in columns])
            for indicator in board.definition.indicators
            if indicator.group == code
        ]
        if lines:
            groups.append(GroupLines(code, name, lines))
    return groups


@dataclass
class StateCount:
    """How many indicators of a column are met, at risk, missed, tracked."""

    column: Column
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def met(self) -> int:
        return self.counts[MET]

    @property
    def at_risk(self) -> int:
        return self.counts[AT_RISK]

    @property
    def missed(self) -> int:
        return self.counts[MISSED]

    @property
    def tracked(self) -> int:
        return self.counts[TRACKED]


def state_counts(columns: list[Column], groups: list[GroupLines]) -> list[StateCount]:
    found = [StateCount(column) for column in columns]
    for group in groups:
        for line in group.lines:
            for count, (_column, cell) in zip(found, line.cells, strict=True):
                if cell is not None:
                    count.counts[cell.state] += 1
    return found


# --- the qd766 index by group --------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupScore:
    """A qd766 group's points against its maximum at one scope."""

    code: str
    name: str
    points: Decimal
    max_points: Decimal

    @property
    def percent(self) -> Decimal | None:
        return (
            None if not self.max_points else (self.points * 100 / self.max_points).quantize(Decimal("0.01"))
        )


def index_groups(board: Board, scope: str, key: str) -> list[GroupScore]:
    """Points per group at a scope: the scope's rows, and the province's for catalog indicators
    (as the totals count them). Sums of the indicators' rounded points, so a group may differ from
    the total's share by a hundredth."""
    points: dict[str, Decimal] = defaultdict(Decimal)
    maxima: dict[str, Decimal] = defaultdict(Decimal)
    for indicator in board.definition.indicators:
        row = (
            board.row(indicator.code, "province", "")
            if indicator.source == CATALOG
            else board.row(indicator.code, scope, key)
        )
        if row is None or row.points is None or row.max_points is None:
            continue
        points[indicator.group] += row.points
        maxima[indicator.group] += row.max_points
    return [GroupScore(code, name, points[code], maxima[code]) for code, name in board.definition.groups]


def index_lines(board: Board, scope: str, key: str) -> list[tuple[Indicator, Cell | None]]:
    """Each index indicator with its row at the scope (catalog ones: the province's)."""
    return [
        (
            indicator,
            board.cell(indicator.code, "province", "")
            if indicator.source == CATALOG
            else board.cell(indicator.code, scope, key),
        )
        for indicator in board.definition.indicators
    ]


# --- sortable tables (server side, by query string) -------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """A column header of a sortable table: its link sorts by it (again: the other way)."""

    label: str
    key: str
    url: str | None
    aria_sort: str | None
    numeric: bool = False


def sort_params(params: Mapping[str, Any], allowed: Iterable[str], default: str) -> tuple[str, bool]:
    """(sort key, descending) from `sort` and `dir` of the query string."""
    allowed = list(allowed)
    key = params.get("sort") or default
    if key not in allowed:
        key = default
    return key, params.get("dir") == "desc"


def headers(
    params: Mapping[str, Any], columns: list[tuple[str, str, bool, bool]], current: str, descending: bool
) -> list[Header]:
    """Headers for (key, label, numeric, descending first) columns. A header's link sorts by its
    column (the current column: the other way); the current one carries aria-sort."""
    result = []
    for key, label, numeric, descending_first in columns:
        query = {k: v for k, v in params.items() if k not in ("sort", "dir", "page")}
        query["sort"] = key
        if key == current:
            query["dir"] = "asc" if descending else "desc"
        else:
            query["dir"] = "desc" if descending_first else "asc"
        aria = ("descending" if descending else "ascending") if key == current else None
        result.append(Header(label, key, "?" + urlencode(query), aria, numeric))
    return result


def sort_rows(rows: list[Any], value: Callable[[Any], Any], descending: bool) -> list[Any]:
    """Rows sorted by `value`, rows without a value last whichever the direction."""
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing


# --- units at a glance -----------------------------------------------------------------------------------


@dataclass
class UnitLine:
    """A unit's count of indicators per state (and, for an index, its total)."""

    unit: UnitInfo
    counts: Counter[str]
    total: Cell | None = None

    @property
    def met(self) -> int:
        return self.counts[MET]

    @property
    def at_risk(self) -> int:
        return self.counts[AT_RISK]

    @property
    def missed(self) -> int:
        return self.counts[MISSED]

    @property
    def tracked(self) -> int:
        return self.counts[TRACKED]


UNIT_SORTS: dict[str, Callable[[UnitLine], Any]] = {
    "code": lambda line: line.unit.code,
    "name": lambda line: line.unit.name,
    "level": lambda line: line.unit.level,
    "met": lambda line: line.met,
    "at_risk": lambda line: line.at_risk,
    "missed": lambda line: line.missed,
    "total": lambda line: line.total.row.value if line.total is not None else None,
}


def unit_lines(board: Board, level: str | None = None) -> list[UnitLine]:
    """Every visible unit with rows, with its counts of states (by code)."""
    lines: dict[str, UnitLine] = {}
    for (indicator, scope, key), _row in board.rows.items():
        if scope != "unit":
            continue
        unit = board.units.get(key) or UnitInfo(key, key, "")
        if level and unit.level != level:
            continue
        line = lines.setdefault(key, UnitLine(unit, Counter()))
        cell = board.cell(indicator, scope, key)
        assert cell is not None
        if indicator == engine.TOTAL:
            line.total = cell
        else:
            line.counts[cell.state] += 1
    return sorted(lines.values(), key=lambda line: line.unit.code)


# --- rankings within a level -------------------------------------------------------------------------------


@dataclass
class RankLine:
    """A unit's place among the units of its level for one indicator."""

    rank: int
    unit: UnitInfo
    cell: Cell | None
    ranked: selectors.RankedUnit


RANK_SORTS: dict[str, Callable[[RankLine], Any]] = {
    "rank": lambda line: line.rank,
    "code": lambda line: line.unit.code,
    "name": lambda line: line.unit.name,
    "numerator": lambda line: line.ranked.numerator,
    "denominator": lambda line: line.ranked.denominator,
    "value": lambda line: line.ranked.value,
    "points": lambda line: line.ranked.points,
    "state": lambda line: STATES.index(line.cell.state) if line.cell is not None else None,
}


def rank_lines(user: Any, board: Board, indicator: str, level: str) -> list[RankLine]:
    """The units of `level` the reader sees, ranked by the indicator (selectors.ranking)."""
    lines = []
    for ranked in selectors.ranking(user, board.result_set, indicator, level):
        unit = board.units.get(ranked.unit) or UnitInfo(ranked.unit, ranked.name, level)
        lines.append(RankLine(ranked.rank, unit, board.cell(indicator, "unit", ranked.unit), ranked))
    return lines


# --- monthly trends ----------------------------------------------------------------------------------------


MONTH_LABEL = gettext_lazy("T%(month)s")


@dataclass
class Series:
    """An indicator's monthly values over one year at one scope, and its chart."""

    indicator: Indicator | None
    code: str
    name: str
    unit: str
    target: Decimal | None
    comparator: str
    points: list[tuple[str, str, Decimal | None]]  # (month code, label, value)
    spec: dict[str, Any]

    @property
    def spec_id(self) -> str:
        return f"spec-{self.code}"

    @property
    def target_text(self) -> str:
        return formatting.target_text(self.target, self.comparator, self.unit)

    @property
    def values(self) -> list[tuple[str, str, str]]:
        """(month code, label, value text) for the table that stands in for the chart."""
        return [(code, label, formatting.measure(value, self.unit)) for code, label, value in self.points]


def monthly_series(user: Any, plan_code: str, year: int, scope: str, key: str) -> list[Series]:
    """Each indicator (and qd766's total) month by month over `year`, at one scope and key.

    Months that have begun by the data's as_of are read from stored results (computed first when
    missing or stale: one evaluation per such month, once); an indicator without a row in any
    month is left out.
    """
    definition, _plan = engine.resolve_plan(plan_code)
    as_of = engine.effective_as_of()
    months = [Period.parse(f"{year}-{m:02d}") for m in range(1, 13)]
    begun = [m for m in months if m.start < as_of]
    stored = {
        rs.period: rs
        for rs in ResultSet.objects.filter(plan__code=plan_code, period__in=[m.code for m in begun])
    }
    for month in begun:
        if services.needs_refresh(stored.get(month.code)):
            services.compute_and_store(plan_code, month.code)
    # The rule of selectors.visible_results, read for all months at once: province and level rows
    # are for every reader, a unit's rows for those who may view the unit.
    if scope == "unit" and not units_for(user, VIEW).filter(code=key).exists():
        raise Forbidden(_("Không có quyền xem kết quả của đơn vị này."))
    rows = IndicatorResult.objects.filter(
        plan__code=plan_code, period__in=[m.code for m in begun], scope=scope
    ).order_by("period", "position")
    if scope != "province":
        rows = rows.filter(key=key)
    values: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
    targets: dict[str, Decimal | None] = {}
    for indicator, period, value, target in rows.values_list("indicator", "period", "value", "target"):
        values[indicator][period] = value
        targets[indicator] = target
    codes = [i.code for i in definition.indicators] + ([engine.TOTAL] if definition.is_index else [])
    series = []
    for code in codes:
        if code not in values:
            continue
        spec = definition.indicator(code) if code != engine.TOTAL else None
        name = spec.name if spec is not None else _("Tổng điểm (%)")
        unit = spec.unit if spec is not None else "%"
        comparator = spec.comparator if spec is not None else ">="
        points = [
            (m.code, str(MONTH_LABEL % {"month": m.first_month}), values[code].get(m.code)) for m in months
        ]
        series.append(
            Series(
                spec,
                code,
                name,
                unit,
                targets.get(code),
                comparator,
                points,
                charts.trend_spec(
                    name, unit, [(label, v) for _c, label, v in points], targets.get(code), comparator
                ),
            )
        )
    return series


# --- drill-down --------------------------------------------------------------------------------------------


POPULATION_LABELS = {
    "received": gettext_lazy("hồ sơ tiếp nhận trong kỳ"),
    "finished": gettext_lazy("hồ sơ đã giải quyết xong"),
    "resolved": gettext_lazy("hồ sơ giải quyết được chấp thuận"),
    "rated": gettext_lazy("hồ sơ được đánh giá"),
    "handled": gettext_lazy("hồ sơ phải giải quyết"),
    "payments": gettext_lazy("giao dịch thanh toán"),
}
_RATE_LIST = re.compile(r"^rate(?P<n>\d+)_(?P<population>[a-z_]+)_(?P<part>numerator|denominator)$")


def list_label(name: str) -> str:
    """The heading of a drill-down list: "Tử số", "Mẫu số", or a formula rate's part."""
    if name == "numerator":
        return _("Tử số")
    if name == "denominator":
        return _("Mẫu số")
    match = _RATE_LIST.match(name)
    if match is None:
        return name
    part = _("tử số") if match["part"] == "numerator" else _("mẫu số")
    population = POPULATION_LABELS.get(match["population"], match["population"])
    return _("Tỷ lệ %(n)s (%(population)s): %(part)s") % {
        "n": match["n"],
        "population": population,
        "part": part,
    }


@dataclass(frozen=True)
class DrillList:
    """One list of a drill-down, with how many codes it holds."""

    name: str
    label: str
    count: int


def drill_lists(lists: dict[str, QuerySet]) -> list[DrillList]:
    return [DrillList(name, list_label(name), codes.count()) for name, codes in lists.items()]


def code_url(kind: str, code: str) -> str:
    """Where a drilled code leads: the officer's dossier page (or the dossier API when the web app
    does not name one), the public procedure page (or its API)."""
    name, api = (
        ("web:procedure", "/api/procedures/")
        if kind == PROCEDURE
        else ("web:office-dossier", "/api/dossiers/")
    )
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        return api + code
