"""Reading the scorecard, scoped to the reader.

Who sees what: anyone holding a staff role (or a superuser) may read scorecards. Province and
level rows are aggregates everyone with a role sees; unit rows only for the units the reader may
view (`accounts.scoping.units_for`): a unit's officials see their units, a reform manager or a
province administrator every unit. Drill-down lists only dossiers the reader may view.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.scoping import VIEW, active_memberships, units_for
from motcua.errors import Forbidden, InvalidInput
from motcua.scorecard import engine
from motcua.scorecard.definition import PlanDefinition, shipped_definitions
from motcua.scorecard.models import IndicatorResult, Plan, ReportedValue, ResultSet
from motcua.scorecard.predicates import DOSSIER, PAYMENT


def may_read_scorecard(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or active_memberships(user).exists())


def _require_reader(user: Any) -> None:
    if not may_read_scorecard(user):
        raise Forbidden(_("Chỉ cán bộ, công chức có vai trò trong đơn vị được xem bảng theo dõi."))


def plans() -> list[dict[str, Any]]:
    """Every plan and index: the loaded ones and the shipped ones not loaded yet, newest first."""
    found = {
        p.code: {"code": p.code, "name": p.name, "year": p.year, "kind": p.kind, "loaded": True}
        for p in Plan.objects.all()
    }
    for code, definition in shipped_definitions().items():
        found.setdefault(
            code,
            {
                "code": code,
                "name": definition.name,
                "year": definition.year,
                "kind": definition.kind,
                "loaded": False,
            },
        )
    return sorted(found.values(), key=lambda p: (-p["year"], p["code"]))


def row_from_stored(stored: IndicatorResult, definition: PlanDefinition) -> engine.ResultRow:
    """A stored row back as a ResultRow (counts as ints, a formula's numerator as a float)."""
    formula = stored.indicator != engine.TOTAL and definition.indicator(stored.indicator).is_formula

    def number(value: float | None) -> int | float | None:
        if value is None:
            return None
        return int(value) if value.is_integer() and not formula else value

    return engine.ResultRow(
        indicator=stored.indicator,
        scope=stored.scope,
        key=stored.key,
        numerator=number(stored.numerator),
        denominator=int(stored.denominator)
        if formula and stored.denominator is not None
        else number(stored.denominator),
        value=stored.value,
        target=stored.target,
        met=stored.met,
        points=stored.points,
        max_points=stored.max_points,
    )


def visible_results(user: Any, result_set: ResultSet) -> QuerySet[IndicatorResult]:
    """The stored rows of a result set that `user` may read, in output order."""
    _require_reader(user)
    rows = IndicatorResult.objects.filter(plan=result_set.plan, period=result_set.period).order_by("position")
    if user.is_superuser:
        return rows
    codes = units_for(user, VIEW).values("code")
    return rows.filter(~Q(scope="unit") | Q(key__in=codes))


def results_document(user: Any, result_set: ResultSet) -> dict[str, Any]:
    """The stored results as the JSON document of indicators.md "Output", scoped to `user`."""
    from motcua.scorecard.output import iso

    definition, _plan = engine.resolve_plan(result_set.plan.code)
    rows = [row_from_stored(r, definition) for r in visible_results(user, result_set)]
    return {
        "plan": result_set.plan.code,
        "period": result_set.period,
        "as_of": iso(result_set.as_of),
        "computed_at": iso(result_set.computed_at),
        "results": [row.as_dict(with_points=definition.is_index) for row in rows],
    }


@dataclass(frozen=True)
class RankedUnit:
    """A unit's place among the units of its level for one indicator (1 = best)."""

    rank: int
    unit: str
    name: str
    value: Decimal | None
    numerator: float | None
    denominator: float | None
    met: bool | None
    points: Decimal | None


def ranking(user: Any, result_set: ResultSet, indicator: str, level: str) -> list[RankedUnit]:
    """Units of `level` ordered by their value of `indicator` (or `total`), best first: highest
    first, lowest first for an indicator whose target is an upper bound (a rank, ≤ 20). Ranks are
    among all units; a reader sees the places of the units they may view."""
    from motcua.orgs.models import Unit

    _require_reader(user)
    definition, _plan = engine.resolve_plan(result_set.plan.code)
    rows = IndicatorResult.objects.filter(
        plan=result_set.plan, period=result_set.period, indicator=indicator, scope="unit", value__isnull=False
    )
    units = {u.code: u for u in Unit.objects.filter(level=level, code__in=rows.values("key"))}
    ranked = engine.best_first(
        [r for r in rows if r.key in units], engine.ranks_ascending(definition, indicator)
    )
    visible = None if user.is_superuser else set(units_for(user, VIEW).values_list("code", flat=True))
    result = []
    for place, row in enumerate(ranked, start=1):
        if visible is not None and row.key not in visible:
            continue
        result.append(
            RankedUnit(
                place,
                row.key,
                units[row.key].name,
                row.value,
                row.numerator,
                row.denominator,
                row.met,
                row.points,
            )
        )
    return result


def _dossier_scope(user: Any, kind: str) -> Q:
    """Dossier or payment rows limited to the dossiers `user` may view (procedures are public)."""
    from motcua.dossiers.models import Dossier

    if kind not in (DOSSIER, PAYMENT) or user.is_superuser:
        return Q()
    return Q(dossier__in=Dossier.objects.restrict(user, VIEW).values("pk"))


def drilldown(
    user: Any, plan_code: str, period: str, indicator: str, scope: str, key: str
) -> tuple[str, dict[str, QuerySet]]:
    """(kind of codes, {list name: codes}) behind an indicator at a scope and key, at the default
    as_of: `numerator` and `denominator`, or per rate of a formula (`<population>_numerator`, …).
    A unit key must be one of the reader's units; other lists keep only dossiers they may view."""
    _require_reader(user)
    if scope == "unit" and not user.is_superuser and not units_for(user, VIEW).filter(code=key).exists():
        raise Forbidden(_("Không có quyền xem hồ sơ của đơn vị này."))
    if scope not in ("province", "level", "unit"):
        raise InvalidInput(_("Phạm vi phải là province, level hoặc unit."), field="scope")
    found = engine.drilldown(plan_code, period, indicator, scope, key)
    allowed = _dossier_scope(user, found.kind)
    lists: dict[str, QuerySet] = {}
    if found.numerator is not None and found.denominator is not None:
        lists["numerator"] = engine.drill_codes(found.kind, found.numerator & allowed)
        lists["denominator"] = engine.drill_codes(found.kind, found.denominator & allowed)
    for i, (population, num, den) in enumerate(found.parts, start=1):
        lists[f"rate{i}_{population}_numerator"] = engine.drill_codes(found.kind, num & allowed)
        lists[f"rate{i}_{population}_denominator"] = engine.drill_codes(found.kind, den & allowed)
    return found.kind, lists


def reported_values(user: Any, plan_code: str, period: str | None = None) -> QuerySet[ReportedValue]:
    """Reported values the reader may see: their units' (and the province's for province-wide roles)."""
    from motcua.accounts.choices import PROVINCE_WIDE_ROLES

    _require_reader(user)
    rows = ReportedValue.objects.restrict(user, VIEW)
    if not user.is_superuser and active_memberships(user).filter(role__in=PROVINCE_WIDE_ROLES).exists():
        rows = rows | ReportedValue.objects.filter(unit__isnull=True)
    rows = rows.filter(plan__code=plan_code).select_related("unit", "plan")
    return rows.filter(period=period) if period else rows
