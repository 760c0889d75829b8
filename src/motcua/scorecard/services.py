"""Everything that changes scorecard state: plans, the data's as_of, stored results and their
freshness, and reported values (submit, approve, send back, import). Each change is atomic; those
a person makes are audited in the same transaction."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import PROVINCE_WIDE_ROLES, Role
from motcua.accounts.scoping import CHANGE, has_role, units_for
from motcua.audit.services import record_event
from motcua.errors import Forbidden, InvalidInput, LoadError, NotFound, StateError
from motcua.scorecard import engine
from motcua.scorecard.definition import (
    REPORTED,
    YES_NO,
    Indicator,
    PlanDefinition,
    jsonable,
    load_definition,
    shipped_definitions,
)
from motcua.scorecard.models import (
    DataSnapshot,
    IndicatorResult,
    Plan,
    ReportedValue,
    ReportStatus,
    ResultSet,
)
from motcua.scorecard.periods import Period, periods_between, periods_containing, vietnam_time

SNAPSHOT_PK = 1


# --- plans ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLoad:
    """What `load_plans` did with one definition: created, updated or unchanged."""

    code: str
    name: str
    outcome: str


def _save_plan(definition: PlanDefinition, actor: Any) -> PlanLoad:
    plan = Plan.objects.filter(code=definition.code).first()
    fields = {
        "name": definition.name,
        "year": definition.year,
        "kind": definition.kind,
        "definition": jsonable(definition.data),
        "checksum": definition.checksum,
    }
    if plan is not None and plan.checksum == definition.checksum:
        return PlanLoad(definition.code, definition.name, "unchanged")
    before = None if plan is None else {"checksum": plan.checksum, "name": plan.name}
    if plan is None:
        plan = Plan.objects.create(code=definition.code, **fields)
    else:
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save()
        ResultSet.objects.filter(plan=plan).update(stale_since=timezone.now())
    record_event(
        actor=actor,
        action="scorecard.plan_loaded",
        obj=plan,
        before=before,
        after={"code": plan.code, "checksum": plan.checksum, "name": plan.name},
    )
    return PlanLoad(definition.code, definition.name, "created" if before is None else "updated")


def load_plans(
    paths: Iterable[Path | str] = (), *, actor: Any = None, shipped: bool = True
) -> list[PlanLoad]:
    """Validate and store definitions: the shipped ones (unless `shipped` is False) and the files
    in `paths`. Every file is validated first; a LoadError lists the problems of all of them and
    nothing is stored. A file whose content is unchanged changes nothing."""
    definitions: list[PlanDefinition] = list(shipped_definitions().values()) if shipped else []
    errors: list[tuple[str, int | None, str | None, str]] = []
    for path in paths:
        try:
            definitions.append(load_definition(path))
        except LoadError as exc:
            errors += exc.errors
    if errors:
        raise LoadError(errors)
    with transaction.atomic():
        return [_save_plan(definition, actor) for definition in definitions]


def ensure_plan(code: str) -> Plan:
    """The Plan row of `code`, stored from the shipped definition when it is not loaded yet."""
    plan = Plan.objects.filter(code=code).first()
    if plan is not None:
        return plan
    definition = shipped_definitions().get(code)
    if definition is None:
        engine.resolve_plan(code)  # raises the NotFound that lists the known plans
        raise NotFound(code)
    with transaction.atomic():
        _save_plan(definition, None)
    return Plan.objects.get(code=code)


# --- the data's as_of and freshness -------------------------------------------------------------------------


def set_data_as_of(as_of: dt.datetime) -> None:
    """Record the instant imported data describes (the bundle manifest's `as_of`).

    Call it at the end of an import, inside its transaction: scorecards then default to this
    as_of, and every stored result is marked stale (recomputed in the background once committed).
    """
    now = timezone.now()
    DataSnapshot.objects.update_or_create(
        pk=SNAPSHOT_PK,
        defaults={"as_of": vietnam_time(as_of), "imported_at": now, "live_since": None, "changed_at": now},
    )
    ResultSet.objects.update(stale_since=now)
    _notify_after_commit()


def mark_stale(dossier_ids: Iterable[int] | None = None, unit_ids: Iterable[int] | None = None) -> int:
    """Mark the stored results that a change may have moved as stale; returns how many.

    Cheap (a handful of small indexed statements); meant to be called after a dossier action commits.
    With `dossier_ids` only: the periods from the earliest receipt, finish or payment of those
    dossiers up to now (actions date their effects now, so earlier periods cannot move). With
    `unit_ids`, or with nothing: every stored result. The data then describes the present: the
    default as_of becomes now. A background refresher recomputes the current periods within about
    half a second; any other stale period is recomputed when it is next read.
    """
    now = timezone.now()
    snapshot, _created = DataSnapshot.objects.get_or_create(pk=SNAPSHOT_PK)
    became_live = snapshot.live_since is None
    DataSnapshot.objects.filter(pk=SNAPSHOT_PK).update(
        changed_at=now, live_since=Coalesce(F("live_since"), Value(now))
    )
    stale = ResultSet.objects.all()
    ids = None if dossier_ids is None else list(dossier_ids)
    if ids is not None and unit_ids is None and not (became_live and snapshot.as_of is not None):
        # Switching from an import's as_of to now moves every default result: only then mark all.
        stale = stale.filter(period__in=_periods_touched(ids, now))
    count = stale.update(stale_since=now)
    _notify_after_commit()
    return count


def _periods_touched(dossier_ids: list[int], now: dt.datetime) -> set[str]:
    from motcua.dossiers.models import DossierFact
    from motcua.payments.models import Payment

    today = vietnam_time(now).date()
    first = today
    if dossier_ids:
        # The rows themselves, by the dossier keys, min and max taken here: as an aggregate,
        # PostgreSQL may answer MIN(paid_at) by walking the paid_at index until it meets one of
        # these dossiers (0.4 s at 1M payments), instead of reading their few rows.
        moments = [
            moment
            for pair in DossierFact.objects.filter(dossier_id__in=dossier_ids).values_list(
                "received_at", "finished_at"
            )
            for moment in pair
        ]
        paid = list(Payment.objects.filter(dossier_id__in=dossier_ids).values_list("paid_at", flat=True))
        for moment in [*moments, *paid]:
            if moment is not None:
                first = min(first, vietnam_time(moment).date())
        paid_at = [moment for moment in paid if moment is not None]
        if paid_at:
            today = max(today, vietnam_time(max(paid_at)).date())
    return periods_between(first, today)


def _notify_after_commit() -> None:
    from motcua.scorecard.freshness import refresher

    transaction.on_commit(refresher.notify)


# --- stored results ----------------------------------------------------------------------------------------


# The stored row's columns, in the order `_store_rows` writes them.
RESULT_COLUMNS = (
    "plan_id", "period", "indicator", "scope", "key", "position", "numerator", "denominator",
    "value", "target", "met", "points", "max_points", "computed_at", "as_of",
)  # fmt: skip
RESULT_BATCH = 500  # rows per INSERT statement (15 parameters each: under SQLite's 32,766)


def _store_rows(
    rows: list[engine.ResultRow], plan: Plan, period: str, at: dt.datetime, as_of: dt.datetime
) -> None:
    """Insert a scorecard's rows in multi-row INSERTs.

    What `bulk_create` would write, without building a model instance per row and preparing every
    value through its field: a refresh stores thousands of rows within the second after an action,
    and that preparation cost more than computing them. Every value is already what the column
    takes (ints, floats, Decimals, bools, None); the two instants, the same for every row, are
    adapted once.
    """
    ops = connection.ops
    computed_at, moment = ops.adapt_datetimefield_value(at), ops.adapt_datetimefield_value(as_of)

    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    values = [
        (
            plan.pk,
            period,
            row.indicator,
            row.scope,
            row.key,
            position,
            number(row.numerator),
            number(row.denominator),
            row.value,
            row.target,
            row.met,
            row.points,
            row.max_points,
            computed_at,
            moment,
        )  # fmt: skip
        for position, row in enumerate(rows)
    ]
    qn = ops.quote_name
    head = f"INSERT INTO {qn(IndicatorResult._meta.db_table)} ({', '.join(qn(c) for c in RESULT_COLUMNS)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(RESULT_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(values), RESULT_BATCH):
            batch = values[start : start + RESULT_BATCH]
            cursor.execute(head + ", ".join([one] * len(batch)), [v for row in batch for v in row])


def compute_and_store(plan_code: str, period: str, as_of: dt.datetime | None = None) -> ResultSet:
    """Evaluate a plan for a period and replace its stored rows atomically; returns the ResultSet.

    `as_of` None stores a result at the default as_of (engine.effective_as_of). A staleness mark
    that arrives while computing survives, so the next refresh picks it up.
    """
    started = timezone.now()
    clock = time.monotonic()
    plan = ensure_plan(plan_code)
    parsed = Period.parse(period)
    moment = vietnam_time(as_of) if as_of is not None else engine.effective_as_of()
    definition, _plan = engine.resolve_plan(plan_code)
    rows = engine.Evaluation(definition, plan, parsed, moment).rows()
    with transaction.atomic():
        result_set, _created = ResultSet.objects.select_for_update().get_or_create(
            plan=plan, period=parsed.code, defaults={"as_of": moment, "computed_at": started}
        )
        IndicatorResult.objects.filter(plan=plan, period=parsed.code).delete()
        _store_rows(rows, plan, parsed.code, started, moment)
        result_set.as_of = moment
        result_set.as_of_default = as_of is None
        result_set.computed_at = started
        result_set.duration_ms = int((time.monotonic() - clock) * 1000)
        # Clear staleness only if nothing changed since this computation started (a change may
        # have arrived before the ResultSet row existed: the snapshot's changed_at catches it).
        changed_at = DataSnapshot.objects.filter(pk=SNAPSHOT_PK).values_list("changed_at", flat=True).first()
        marks = [m for m in (result_set.stale_since, changed_at) if m is not None and m >= started]
        result_set.stale_since = max(marks) if marks else None
        result_set.save()
    return result_set


def needs_refresh(result_set: ResultSet | None, now: dt.datetime | None = None) -> bool:
    """True when a stored result cannot be served as the default one: missing, stale, asked at
    another as_of, or computed at "now" on an earlier day (open dossiers may have become late)."""
    if result_set is None or result_set.stale_since is not None or not result_set.as_of_default:
        return True
    expected = engine.effective_as_of(now)
    snapshot = DataSnapshot.objects.filter(pk=SNAPSHOT_PK).first()
    if snapshot is not None and snapshot.as_of is not None and snapshot.live_since is None:
        return result_set.as_of != expected
    return vietnam_time(result_set.as_of).date() != expected.date()


def current_results(plan_code: str, period: str) -> ResultSet:
    """The stored default results of a plan and period, computed first when they are not fresh."""
    plan = ensure_plan(plan_code)
    parsed = Period.parse(period)
    result_set = ResultSet.objects.filter(plan=plan, period=parsed.code).first()
    if needs_refresh(result_set):
        result_set = compute_and_store(plan_code, parsed.code)
    assert result_set is not None
    return result_set


def refresh_current(now: dt.datetime | None = None) -> int:
    """Recompute, for every loaded plan, the year, quarter and month containing the default as_of
    when they are missing or not fresh; returns how many were recomputed."""
    moment = engine.effective_as_of(now)
    codes = periods_containing(moment.date())
    done = 0
    for plan in Plan.objects.all():
        stored = {rs.period: rs for rs in ResultSet.objects.filter(plan=plan, period__in=codes)}
        for code in codes:
            if needs_refresh(stored.get(code), now):
                compute_and_store(plan.code, code)
                done += 1
    return done


# --- reported values -----------------------------------------------------------------------------------------


def _reported_indicator(plan: Plan, code: str) -> Indicator:
    definition, _row = engine.resolve_plan(plan.code)
    indicator = definition.indicator(code)
    if indicator.source != REPORTED:
        raise InvalidInput(
            _("Chỉ tiêu “%(code)s” được tính từ dữ liệu, không do đơn vị báo cáo.") % {"code": code},
            field="indicator",
        )
    return indicator


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput(_("Phải là một số."), field=field) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        raise InvalidInput(_("Số không hợp lệ."), field=field)
    return number


def checked_value(
    indicator: Indicator, value: Any, numerator: Any, denominator: Any
) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """(value, numerator, denominator) of a report, checked: a yes/no value is 1 or 0; numerator
    and denominator come together (denominator > 0) and then give the value, in percent."""
    val = _decimal(value, "value")
    num = _decimal(numerator, "numerator")
    den = _decimal(denominator, "denominator")
    if (num is None) != (den is None):
        raise InvalidInput(
            _("Tử số và mẫu số phải có cùng nhau."), field="denominator" if den is None else "numerator"
        )
    if den is not None and num is not None:
        if den <= 0:
            raise InvalidInput(_("Mẫu số phải lớn hơn 0."), field="denominator")
        if num < 0:
            raise InvalidInput(_("Tử số không được âm."), field="numerator")
        val = (num * 100 / den).quantize(Decimal("0.000001"))
    if val is None:
        raise InvalidInput(_("Thiếu giá trị."), field="value")
    if indicator.value_kind == YES_NO and val not in (Decimal(0), Decimal(1)):
        raise InvalidInput(_("Chỉ tiêu có/không: giá trị là 1 (có) hoặc 0 (không)."), field="value")
    return val, num, den


def _check_scope(indicator: Indicator, unit: Any) -> None:
    if unit is None and "province" not in indicator.scopes:
        raise InvalidInput(_("Chỉ tiêu này do từng đơn vị báo cáo."), field="unit")
    if unit is not None and not ({"unit", "level"} & set(indicator.scopes)):
        raise InvalidInput(_("Chỉ tiêu này chỉ báo cáo cho toàn tỉnh."), field="unit")


def _may_report(actor: Any, unit: Any) -> None:
    """A unit's officials report for their unit; province-wide roles for the province."""
    if actor is None or actor.is_superuser:
        return
    if unit is None:
        if has_role(actor, *PROVINCE_WIDE_ROLES):
            return
    elif units_for(actor, CHANGE).filter(pk=unit.pk).exists():
        return
    raise Forbidden(_("Không có quyền báo cáo số liệu cho đơn vị này."))


def _may_review(actor: Any) -> None:
    if actor is None or actor.is_superuser or has_role(actor, Role.REFORM_MANAGER):
        return
    raise Forbidden(_("Chỉ cán bộ quản lý cải cách hành chính được thẩm định số liệu báo cáo."))


def _snapshot(reported: ReportedValue) -> dict[str, Any]:
    return {
        "plan": reported.plan.code,
        "indicator": reported.indicator,
        "unit": reported.unit.code if reported.unit is not None else None,
        "period": reported.period,
        "value": reported.value,
        "numerator": reported.numerator,
        "denominator": reported.denominator,
        "evidence": reported.evidence,
        "evidence_file": reported.evidence_file_id,
        "status": reported.status,
        "review_note": reported.review_note,
    }


def _mark_reported_stale(reported: ReportedValue) -> None:
    # Its own period, and the same period a year later (a "≥ last year" target reads it).
    now = timezone.now()
    period = Period.parse(reported.period)
    later = Period.parse(str(period.year + 1) + period.code[4:]).code
    ResultSet.objects.filter(plan=reported.plan, period__in=[period.code, later]).update(stale_since=now)
    DataSnapshot.objects.filter(pk=SNAPSHOT_PK).update(changed_at=now)
    _notify_after_commit()


@transaction.atomic
def report_value(
    *,
    actor: Any,
    plan_code: str,
    indicator: str,
    period: str,
    unit: Any = None,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    evidence: str = "",
    evidence_file: Any = None,
    submit: bool = True,
    ip: str | None = None,
) -> ReportedValue:
    """Enter (or correct) a unit's value for a reported indicator, as a draft or submitted for
    review. `unit` None reports for the province as a whole. An approved value cannot be changed
    (a reform manager sends it back first)."""
    plan = ensure_plan(plan_code)
    spec = _reported_indicator(plan, indicator)
    parsed = Period.parse(period)
    _check_scope(spec, unit)
    _may_report(actor, unit)
    val, num, den = checked_value(spec, value, numerator, denominator)
    reported = (
        # Lock the row only (PostgreSQL cannot lock the nullable side of the unit join).
        ReportedValue.objects.select_for_update(of=("self",))
        .filter(plan=plan, indicator=indicator, period=parsed.code, unit=unit)
        .order_by("pk")
        .first()
    )
    before = None if reported is None else _snapshot(reported)
    if (
        reported is not None
        and reported.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        and (reported.status == ReportStatus.APPROVED or not submit)
    ):
        raise StateError(
            _("Số liệu đang ở trạng thái “%(status)s”, không sửa được.")
            % {"status": reported.get_status_display()},
            allowed=["send_back"] if reported.status == ReportStatus.APPROVED else ["approve", "send_back"],
        )
    if reported is None:
        reported = ReportedValue(plan=plan, indicator=indicator, period=parsed.code, unit=unit)
    reported.value, reported.numerator, reported.denominator = val, num, den
    reported.evidence = evidence.strip()
    reported.evidence_file = evidence_file
    reported.status = ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT
    if submit:
        reported.submitted_by = actor if actor is not None and actor.is_authenticated else None
        reported.submitted_at = timezone.now()
    reported.save()
    record_event(
        actor=actor,
        action="scorecard.value_submitted" if submit else "scorecard.value_drafted",
        obj=reported,
        before=before,
        after=_snapshot(reported),
        ip=ip,
    )
    return reported


def _review(
    actor: Any, reported_id: int, status: str, note: str, ip: str | None, allowed: tuple[str, ...]
) -> ReportedValue:
    _may_review(actor)
    reported = (
        ReportedValue.objects.select_for_update(of=("self",))
        .select_related("plan", "unit")
        .filter(pk=reported_id)
        .order_by("pk")
        .first()
    )
    if reported is None:
        raise NotFound(_("Không tìm thấy số liệu báo cáo."), field="id")
    if reported.status not in allowed:
        raise StateError(
            _("Số liệu đang ở trạng thái “%(status)s”.") % {"status": reported.get_status_display()},
            allowed=list(allowed),
        )
    before = _snapshot(reported)
    reported.status = status
    reported.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    reported.reviewed_at = timezone.now()
    reported.review_note = note.strip()
    reported.save()
    action = "scorecard.value_approved" if status == ReportStatus.APPROVED else "scorecard.value_returned"
    record_event(actor=actor, action=action, obj=reported, before=before, after=_snapshot(reported), ip=ip)
    _mark_reported_stale(reported)
    return reported


@transaction.atomic
def approve(*, actor: Any, reported_id: int, note: str = "", ip: str | None = None) -> ReportedValue:
    """A reform manager approves a submitted value: from now on it counts in the scorecard."""
    return _review(actor, reported_id, ReportStatus.APPROVED, note, ip, (ReportStatus.SUBMITTED,))


@transaction.atomic
def send_back(*, actor: Any, reported_id: int, note: str, ip: str | None = None) -> ReportedValue:
    """A reform manager returns a submitted (or approved) value to its unit, saying why."""
    if not note.strip():
        raise InvalidInput(_("Cần ghi lý do trả lại."), field="note")
    return _review(
        actor, reported_id, ReportStatus.RETURNED, note, ip, (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    )


REPORTED_COLUMNS = ("indicator", "unit", "period", "value")
REPORTED_OPTIONAL = ("numerator", "denominator", "evidence", "plan")


def _plan_for(code: str, period: Period, wanted: str, plans: dict[str, PlanDefinition]) -> str:
    """The plan a reported row belongs to: the `plan` column, else the one plan defining the
    indicator as reported for that year (or the next year, for a previous-year baseline)."""
    candidates = [
        p for p in plans.values() if any(i.code == code and i.source == REPORTED for i in p.indicators)
    ]
    if wanted:
        if wanted not in plans:
            raise InvalidInput(_("Không có kế hoạch “%(plan)s”.") % {"plan": wanted}, field="plan")
        if wanted not in {p.code for p in candidates}:
            raise InvalidInput(
                _("Kế hoạch này không có chỉ tiêu báo cáo “%(code)s”.") % {"code": code}, field="indicator"
            )
        return wanted
    if not candidates:
        raise InvalidInput(
            _("Không có kế hoạch nào có chỉ tiêu báo cáo “%(code)s”.") % {"code": code}, field="indicator"
        )
    for year in (period.year, period.year + 1):
        same_year = [p for p in candidates if p.year == year]
        if len(same_year) == 1:
            return same_year[0].code
    if len(candidates) == 1:
        return candidates[0].code
    raise InvalidInput(
        _("Chỉ tiêu “%(code)s” có trong nhiều kế hoạch; thêm cột plan.") % {"code": code}, field="plan"
    )


def import_reported_csv(path: Path | str, *, actor: Any = None) -> int:
    """Load an exchange bundle's reported.csv as approved values (the source system already
    reviewed them); returns how many rows were stored. Every error is listed with file, line and
    field (LoadError) and then nothing is stored. Re-importing the same file changes nothing."""
    from motcua.orgs.models import Unit

    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError([(name, None, None, _("Không đọc được tệp: %(error)s") % {"error": exc})]) from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REPORTED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise LoadError([(name, 1, c, _("Thiếu cột.")) for c in missing])
    for code in shipped_definitions():
        ensure_plan(code)
    plans = {p.code: engine.resolve_plan(p.code)[0] for p in Plan.objects.all()}
    units = dict(Unit.objects.values_list("code", "pk"))
    errors: list[tuple[str, int | None, str | None, str]] = []
    parsed_rows = []
    seen: dict[tuple[str, str, str | None, str], int] = {}
    for row in reader:
        line = reader.line_num
        values = {k: (row.get(k) or "").strip() for k in REPORTED_COLUMNS + REPORTED_OPTIONAL}
        if not any(values.values()):
            continue
        try:
            period = Period.parse(values["period"])
            plan_code = _plan_for(values["indicator"], period, values["plan"], plans)
            indicator = plans[plan_code].indicator(values["indicator"])
            unit_code = values["unit"] or None
            if unit_code is not None and unit_code not in units:
                raise InvalidInput(_("Không có đơn vị “%(code)s”.") % {"code": unit_code}, field="unit")
            _check_scope(indicator, unit_code)
            val, num, den = checked_value(
                indicator, values["value"], values["numerator"], values["denominator"]
            )
        except (InvalidInput, NotFound) as exc:
            errors.append((name, line, exc.field, exc.message))
            continue
        key = (plan_code, indicator.code, unit_code, period.code)
        if key in seen:
            errors.append((name, line, "indicator", _("Trùng với dòng %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = line
        parsed_rows.append((key, val, num, den, values["evidence"]))
    if errors:
        raise LoadError(errors)
    plan_rows = {p.code: p for p in Plan.objects.all()}
    stored = 0
    with transaction.atomic():
        for (plan_code, indicator_code, unit_code, period_code), val, num, den, evidence in parsed_rows:
            plan = plan_rows[plan_code]
            unit_id = units[unit_code] if unit_code else None
            same_unit = Q(unit__isnull=True) if unit_id is None else Q(unit_id=unit_id)
            reported = ReportedValue.objects.filter(
                same_unit, plan=plan, indicator=indicator_code, period=period_code
            ).first()
            if (
                reported is not None
                and (reported.value, reported.numerator, reported.denominator, reported.evidence)
                == (
                    val,
                    num,
                    den,
                    evidence,
                )
                and reported.status == ReportStatus.APPROVED
            ):
                continue
            before = None if reported is None else _snapshot(reported)
            reported = reported or ReportedValue(
                plan=plan, indicator=indicator_code, unit_id=unit_id, period=period_code
            )
            reported.value, reported.numerator, reported.denominator = val, num, den
            reported.evidence = evidence
            reported.status = ReportStatus.APPROVED
            reported.reviewed_at = timezone.now()
            reported.review_note = _("Nhập từ tệp reported.csv")
            reported.save()
            record_event(
                actor=actor,
                action="scorecard.value_imported",
                obj=reported,
                before=before,
                after=_snapshot(reported),
            )
            _mark_reported_stale(reported)
            stored += 1
    return stored
