"""Indicator definitions as data: the file format, its validation, and the shipped definitions.

A plan (kế hoạch) or an index (bộ chỉ số) is one JSON file; docs/indicators-format.md documents
every key with a complete example. `load_definition(path)` reads and validates a file;
`parse_definition(data)` validates an already-parsed object (a `Plan` row's JSON). Every
problem found is reported at once, as a LoadError naming the file, the indicator and the key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.errors import LoadError, NotFound
from motcua.orgs.choices import UnitLevel
from motcua.scorecard.predicates import (
    DOSSIER,
    POPULATION_KINDS,
    PROCEDURE,
    check_expression,
)

FORMAT = "motcua-indicators"
VERSION = 1
SHIPPED_DIR = Path(__file__).resolve().parent / "definitions"

PLAN, INDEX = "plan", "index"
CATALOG, DOSSIERS, REPORTED = "catalog", "dossiers", "reported"
SPECIAL = "special"
SCOPES = ("province", "level", "unit")
LEVELS = tuple(level.value for level in UnitLevel)
COMPARATORS = (">=", ">", "<=", "<", "=")
PREVIOUS_YEAR = "previous_year"
# How a reported value rolls up from units (indicators.md, reported values).
YES_NO, RATIO, NUMBER = "yes_no", "ratio", "number"
VALUE_KINDS = (YES_NO, RATIO, NUMBER)
COUNT_ROWS, COUNT_PROCEDURES = "rows", "procedures"
HUNDRED_MINUS_RATES = "hundred_minus_rates"
TOTAL = "total"

_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_INDICATOR_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PLAN_KEYS = {
    "format",
    "version",
    "code",
    "name",
    "year",
    "kind",
    "previous",
    "level_order",
    "groups",
    "indicators",
    "description",
}
_INDICATOR_KEYS = {
    "code",
    "name",
    "group",
    "source",
    "population",
    "numerator",
    "denominator",
    "count",
    "numerator_population",
    "rule",
    "scopes",
    "target",
    "comparator",
    "points",
    "threshold",
    "include_internal",
    "value_kind",
    "unit",
    "description",
}


@dataclass(frozen=True)
class Rate:
    """One rate of a `hundred_minus_rates` rule: 100 × numerator ÷ denominator over a population."""

    population: str
    numerator: Any
    denominator: Any = None


@dataclass(frozen=True)
class Indicator:
    """One indicator (chỉ tiêu) of a plan or an index, as validated from its definition."""

    code: str
    name: str
    group: str
    source: str
    population: str | None
    numerator: Any = None
    denominator: Any = None
    count: str = COUNT_ROWS
    numerator_population: str | None = None
    rule: str | None = None
    rates: tuple[Rate, ...] = ()
    scopes: tuple[str, ...] = SCOPES
    target: Any = None  # None, a Decimal, {level: Decimal} or PREVIOUS_YEAR
    comparator: str = ">="
    points: Decimal | None = None
    threshold: Decimal | None = None
    include_internal: bool = False
    value_kind: str | None = None
    unit: str = "%"
    description: str = ""

    @property
    def row_kind(self) -> str:
        """The kind of row the indicator counts (procedure, dossier or payment)."""
        if self.source == CATALOG or self.count == COUNT_PROCEDURES:
            return PROCEDURE
        if self.population == SPECIAL or self.population is None:
            return DOSSIER
        return POPULATION_KINDS[self.population]

    @property
    def is_formula(self) -> bool:
        return self.rule is not None

    def target_for(self, scope: str, level: str | None) -> Decimal | None:
        """The fixed target at a scope (a unit takes its level's target; the province scope has no
        per-level target). `previous_year` targets are resolved by the engine."""
        if self.threshold is not None:
            return self.threshold
        if isinstance(self.target, dict):
            if scope == "province" or level is None:
                return None
            return self.target.get(level)
        if isinstance(self.target, Decimal):
            return self.target
        return None


@dataclass(frozen=True)
class PlanDefinition:
    """A validated plan or index: its metadata and indicators in output order."""

    code: str
    name: str
    year: int
    kind: str
    previous: str | None
    level_order: tuple[str, ...]
    groups: tuple[tuple[str, str], ...]
    indicators: tuple[Indicator, ...]
    data: dict[str, Any]
    checksum: str

    @property
    def is_index(self) -> bool:
        return self.kind == INDEX

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise NotFound(
            _("Chỉ tiêu “%(code)s” không có trong “%(plan)s”.") % {"code": code, "plan": self.code},
            field="indicator",
        )


def jsonable(value: Any) -> Any:
    """`value` with Decimals turned into JSON numbers (int when whole), for a JSON column."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def checksum_of(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a definition (key order and spacing do not matter)."""
    text = json.dumps(jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[tuple[str, int | None, str | None, str]] = []

    def add(self, where: str | None, message: str) -> None:
        self.errors.append((self.source, None, where, message))


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _kind_of(population: Any) -> str | None:
    """The row kind a population counts, None for an unknown one."""
    return POPULATION_KINDS.get(population) if isinstance(population, str) else None


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def load_definition(path: Path | str) -> PlanDefinition:
    """Read and validate a definition file; LoadError lists every problem (file, indicator.key)."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError([(name, None, None, _("Không đọc được tệp: %(error)s") % {"error": exc})]) from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise LoadError(
            [(name, exc.lineno, None, _("JSON không hợp lệ: %(error)s") % {"error": exc.msg})]
        ) from exc
    return parse_definition(data, source=name)


def parse_definition(data: Any, source: str = "<definition>") -> PlanDefinition:
    """Validate a parsed definition object and build the PlanDefinition."""
    problems = _Problems(source)
    if not isinstance(data, dict):
        raise LoadError([(source, None, None, _("Định nghĩa phải là một đối tượng JSON."))])
    for key in sorted(set(data) - _PLAN_KEYS):
        problems.add(key, _("Khóa không được hỗ trợ."))
    if data.get("format") != FORMAT:
        problems.add("format", _("Phải là “%(format)s”.") % {"format": FORMAT})
    if data.get("version") != VERSION:
        problems.add("version", _("Phiên bản được hỗ trợ: %(version)s.") % {"version": VERSION})
    code = data.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problems.add("code", _("Mã gồm chữ thường, số, dấu gạch ngang (vd: hatinh-2024)."))
    if not _text(data.get("name")):
        problems.add("name", _("Thiếu tên."))
    year: Any = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        problems.add("year", _("Năm phải là số nguyên (vd: 2024)."))
    kind = data.get("kind")
    if kind not in (PLAN, INDEX):
        problems.add("kind", _("Loại phải là plan hoặc index."))
    previous = data.get("previous")
    if previous is not None and (not isinstance(previous, str) or not _CODE.match(previous)):
        problems.add("previous", _("Phải là mã của kế hoạch năm trước, hoặc null."))
    level_order = data.get("level_order", list(LEVELS))
    if not isinstance(level_order, list) or sorted(level_order) != sorted(LEVELS):
        problems.add("level_order", _("Phải liệt kê đủ ba cấp: province, district, commune."))
        level_order = list(LEVELS)
    groups = _groups(data.get("groups"), problems)
    raw_indicators = data.get("indicators")
    indicators: list[Indicator] = []
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problems.add("indicators", _("Phải là danh sách chỉ tiêu, không rỗng."))
        raw_indicators = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_indicators):
        indicator = _indicator(raw, i, kind, {g for g, _n in groups}, seen, problems)
        if indicator is not None:
            indicators.append(indicator)
    if problems.errors:
        raise LoadError(problems.errors)
    return PlanDefinition(
        code=str(code),
        name=data["name"].strip(),
        year=int(year),
        kind=str(kind),
        previous=previous,
        level_order=tuple(level_order),
        groups=tuple(groups),
        indicators=tuple(indicators),
        data=data,
        checksum=checksum_of(data),
    )


def _groups(raw: Any, problems: _Problems) -> list[tuple[str, str]]:
    if not isinstance(raw, list) or not raw:
        problems.add("groups", _("Phải là danh sách nhóm {code, name}, không rỗng."))
        return []
    groups: list[tuple[str, str]] = []
    for i, group in enumerate(raw):
        if not isinstance(group, dict) or not _text(group.get("code")) or not _text(group.get("name")):
            problems.add(f"groups[{i}]", _("Mỗi nhóm cần code và name."))
            continue
        if group["code"] in {g for g, _n in groups}:
            problems.add(f"groups[{i}].code", _("Mã nhóm bị trùng."))
            continue
        groups.append((group["code"], group["name"]))
    return groups


def _expression(expr: Any, kind: str, where: str, problems: _Problems) -> None:
    for error in check_expression(expr, kind):
        problems.add(where if error.path == "$" else f"{where}{error.path[1:]}", str(error))


def _indicator(
    raw: Any, i: int, plan_kind: Any, groups: set[str], seen: set[str], problems: _Problems
) -> Indicator | None:
    if not isinstance(raw, dict):
        problems.add(f"indicators[{i}]", _("Mỗi chỉ tiêu là một đối tượng JSON."))
        return None
    code = raw.get("code")
    if not isinstance(code, str) or not _INDICATOR_CODE.match(code) or code == TOTAL:
        problems.add(
            f"indicators[{i}].code", _("Mã chỉ tiêu gồm chữ thường, số, gạch dưới (không dùng “total”).")
        )
        return None
    count_before = len(problems.errors)

    def bad(key: str, message: str) -> None:
        problems.add(f"{code}.{key}", message)

    if code in seen:
        bad("code", _("Mã chỉ tiêu bị trùng."))
    seen.add(code)
    for key in sorted(set(raw) - _INDICATOR_KEYS):
        bad(key, _("Khóa không được hỗ trợ."))
    if not _text(raw.get("name")):
        bad("name", _("Thiếu tên chỉ tiêu."))
    if raw.get("group") not in groups:
        bad("group", _("Nhóm “%(group)s” không có trong groups.") % {"group": raw.get("group")})
    source = raw.get("source")
    population = raw.get("population")
    scopes = raw.get("scopes", ["province"] if source == CATALOG else list(SCOPES))
    count = raw.get("count", COUNT_ROWS)
    numerator_population = raw.get("numerator_population")
    rule = raw.get("rule")
    rates: list[Rate] = []
    value_kind = raw.get("value_kind")

    if source == CATALOG:
        if population != "procedures":
            bad("population", _("Chỉ tiêu từ danh mục dùng population “procedures”."))
        if scopes != ["province"]:
            bad("scopes", _("Chỉ tiêu từ danh mục chỉ tính ở phạm vi province."))
        if "numerator" not in raw:
            bad("numerator", _("Thiếu tử số."))
        _expression(raw.get("numerator"), PROCEDURE, f"{code}.numerator", problems)
        if raw.get("denominator") is not None:
            _expression(raw["denominator"], PROCEDURE, f"{code}.denominator", problems)
        if not isinstance(raw.get("include_internal", False), bool):
            bad("include_internal", _("Phải là true hoặc false."))
    elif source == DOSSIERS:
        if population == SPECIAL:
            rates = _rule(rule, code, problems)
        elif _kind_of(population) not in (DOSSIER, "payment"):
            bad(
                "population",
                _(
                    "Population không hợp lệ; chọn: received, finished, resolved, handled, rated, payments, special."
                ),
            )
        else:
            if rule is not None:
                bad("rule", _("Chỉ dùng rule với population “special”."))
            kind = _kind_of(population) or DOSSIER
            if raw.get("denominator") is not None:
                _expression(raw["denominator"], kind, f"{code}.denominator", problems)
            if count == COUNT_PROCEDURES:
                numerator_population = numerator_population or population
                if _kind_of(numerator_population) not in (DOSSIER, "payment"):
                    bad("numerator_population", _("Phải là một population hồ sơ hoặc payments."))
                else:
                    _expression(
                        raw.get("numerator"),
                        _kind_of(numerator_population) or DOSSIER,
                        f"{code}.numerator",
                        problems,
                    )
            elif count == COUNT_ROWS:
                if numerator_population is not None:
                    bad("numerator_population", _("Chỉ dùng khi count là “procedures”."))
                if "numerator" not in raw:
                    bad("numerator", _("Thiếu tử số."))
                _expression(raw.get("numerator"), kind, f"{code}.numerator", problems)
            else:
                bad("count", _("count phải là rows hoặc procedures."))
    elif source == REPORTED:
        if population not in (None, "reported"):
            bad("population", _("Chỉ tiêu do đơn vị báo cáo không có population."))
        for key in ("numerator", "denominator", "rule", "count"):
            if key in raw:
                bad(key, _("Chỉ tiêu do đơn vị báo cáo không dùng khóa này."))
        if value_kind not in VALUE_KINDS:
            bad("value_kind", _("Phải là yes_no, ratio hoặc number."))
    else:
        bad("source", _("Nguồn phải là catalog, dossiers hoặc reported."))

    if (
        not isinstance(scopes, list)
        or not scopes
        or any(s not in SCOPES for s in scopes)
        or len(set(scopes)) != len(scopes)
    ):
        bad("scopes", _("Phạm vi là danh sách không trùng gồm province, level, unit."))
        scopes = list(SCOPES)
    comparator = raw.get("comparator", ">=")
    if comparator not in COMPARATORS:
        bad("comparator", _("Phép so sánh phải là một trong: %(list)s.") % {"list": ", ".join(COMPARATORS)})
    target = _target(raw, code, plan_kind, source, problems)
    points = threshold = None
    if plan_kind == INDEX:
        points = _number(raw.get("points"))
        if points is None or points <= 0:
            bad("points", _("Chỉ số (index) cần điểm tối đa “points” > 0."))
        if raw.get("threshold") is not None:
            threshold = _number(raw["threshold"])
            if threshold is None or threshold <= 0:
                bad("threshold", _("Ngưỡng T phải là số > 0, hoặc null."))
        if comparator != ">=":
            bad("comparator", _("Chỉ số (index) so sánh với ngưỡng bằng “>=”."))
    else:
        for key in ("points", "threshold"):
            if key in raw:
                bad(key, _("Chỉ dùng trong chỉ số (kind: index)."))
    if len(problems.errors) > count_before:
        return None
    return Indicator(
        code=code,
        name=raw["name"].strip(),
        group=raw["group"],
        source=str(source),
        population=population if source != REPORTED else None,
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        count=count,
        numerator_population=numerator_population,
        rule=rule["name"] if isinstance(rule, dict) else None,
        rates=tuple(rates),
        scopes=tuple(s for s in SCOPES if s in scopes),
        target=target,
        comparator=comparator,
        points=points,
        threshold=threshold,
        include_internal=bool(raw.get("include_internal", False)),
        value_kind=value_kind,
        unit=str(raw.get("unit", "%")),
        description=str(raw.get("description", "")),
    )


def _rule(rule: Any, code: str, problems: _Problems) -> list[Rate]:
    if not isinstance(rule, dict) or rule.get("name") != HUNDRED_MINUS_RATES:
        problems.add(
            f"{code}.rule", _('Population “special” cần rule {"name": "hundred_minus_rates", "rates": […]}.')
        )
        return []
    rates_raw = rule.get("rates")
    if not isinstance(rates_raw, list) or not rates_raw:
        problems.add(f"{code}.rule.rates", _("Cần danh sách rates, không rỗng."))
        return []
    rates = []
    for j, rate in enumerate(rates_raw):
        where = f"{code}.rule.rates[{j}]"
        if not isinstance(rate, dict) or _kind_of(rate.get("population")) != DOSSIER:
            problems.add(f"{where}.population", _("Mỗi rate cần một population hồ sơ."))
            continue
        if "numerator" not in rate:
            problems.add(f"{where}.numerator", _("Thiếu tử số."))
            continue
        _expression(rate["numerator"], DOSSIER, f"{where}.numerator", problems)
        if rate.get("denominator") is not None:
            _expression(rate["denominator"], DOSSIER, f"{where}.denominator", problems)
        rates.append(Rate(rate["population"], rate["numerator"], rate.get("denominator")))
    return rates


def _target(raw: dict[str, Any], code: str, plan_kind: Any, source: Any, problems: _Problems) -> Any:
    if plan_kind == INDEX:
        if "target" in raw:
            problems.add(f"{code}.target", _("Chỉ số (index) dùng threshold thay cho target."))
        return None
    if "target" not in raw:
        problems.add(f"{code}.target", _("Thiếu target (ghi null nếu chỉ theo dõi)."))
        return None
    target = raw["target"]
    if target is None:
        return None
    if target == PREVIOUS_YEAR:
        if source != REPORTED:
            problems.add(f"{code}.target", _("“previous_year” chỉ dùng cho chỉ tiêu do đơn vị báo cáo."))
        return PREVIOUS_YEAR
    if isinstance(target, dict):
        by_level = {}
        for level, value in target.items():
            number = _number(value)
            if level not in LEVELS or number is None:
                problems.add(
                    f"{code}.target.{level}",
                    _('Chỉ tiêu theo cấp: {"province": số, "district": số, "commune": số}.'),
                )
                continue
            by_level[level] = number
        return by_level
    number = _number(target)
    if number is None:
        problems.add(
            f"{code}.target", _("Target là một số, một đối tượng theo cấp, “previous_year” hoặc null.")
        )
    return number


@functools.cache
def shipped_definitions() -> dict[str, PlanDefinition]:
    """The definitions shipped with motcua (scorecard/definitions/*.json), by code."""
    found: dict[str, PlanDefinition] = {}
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        definition = load_definition(path)
        found[definition.code] = definition
    return found


_parsed: dict[str, PlanDefinition] = {}


def definition_from_json(data: dict[str, Any], source: str) -> PlanDefinition:
    """A definition stored as JSON (a Plan row), parsed once per distinct content."""
    key = checksum_of(data)
    if key not in _parsed:
        _parsed[key] = parse_definition(data, source=source)
    return _parsed[key]
