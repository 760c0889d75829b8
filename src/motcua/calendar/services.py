"""Working days and deadlines (lịch làm việc, thời hạn), and the services that change the calendar.

Other apps use this module as `from motcua.calendar import services as cal`:

- `is_working_day`, `next_working_day`, `previous_working_day`, `add_working_days`,
  `subtract_working_days`, `working_days_between`, `day_status`, `year_exceptions`;
- `receipt_day`, `due_date` (indicators.md "Due date when absent");
- `working_time_between`, `add_working_time`, `extend_by_working_time`,
  `remaining_working_time`, `resume_deadline` (supplement pauses).

These read a default `WorkingCalendar` built from the database (`DaySwap`, `WorkingHours`) and
kept in memory: a change made through the services below or the admin drops it at once in this
process, and every process re-checks the tables at most every `RECHECK_SECONDS`. Bulk code that
computes many deadlines calls `load_calendar()` once and uses the instance's methods directly.

Changes (`save_day_swap`, `delete_day_swap`, `save_working_hours`, `delete_working_hours`,
`load_day_swaps`) are atomic, allowed to province administrators (and system actions with no
actor), and write an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.scoping import has_role
from motcua.audit.services import record_event
from motcua.calendar.day_swaps_file import BUNDLED_DAY_SWAPS, TEXT_LIMIT, read_day_swaps
from motcua.calendar.models import DaySwap, WorkingHours
from motcua.calendar.working_calendar import (
    DUE_TIME,
    FIRST_YEAR,
    LAST_YEAR,
    RECEIPT_CUTOFF,
    VN_TZ,
    DayStatus,
    OfficeHours,
    SwapDay,
    WorkingCalendar,
    swap_problems,
    to_vietnam_time,
)
from motcua.errors import Forbidden, InvalidInput, NotFound

__all__ = [
    "DUE_TIME",
    "FIRST_YEAR",
    "LAST_YEAR",
    "RECEIPT_CUTOFF",
    "RECHECK_SECONDS",
    "VN_TZ",
    "DayStatus",
    "LoadResult",
    "OfficeHours",
    "SwapDay",
    "WorkingCalendar",
    "add_working_days",
    "add_working_time",
    "can_manage_calendar",
    "day_status",
    "day_swap_problems",
    "default_calendar",
    "delete_day_swap",
    "delete_working_hours",
    "due_date",
    "extend_by_working_time",
    "invalidate_cache",
    "is_working_day",
    "load_calendar",
    "load_day_swaps",
    "next_working_day",
    "previous_working_day",
    "receipt_day",
    "remaining_working_time",
    "resume_deadline",
    "save_day_swap",
    "save_working_hours",
    "subtract_working_days",
    "to_vietnam_time",
    "working_days_between",
    "working_time_between",
    "year_exceptions",
]

# How stale another process's change may be before this process notices it.
RECHECK_SECONDS = 60.0


# --- the default calendar ----------------------------------------------------------------------


@dataclass
class _Cached:
    calendar: WorkingCalendar
    fingerprint: tuple[object, ...]
    checked_at: float


_cached: _Cached | None = None
_lock = threading.Lock()


def _fingerprint() -> tuple[object, ...]:
    # Counts catch deletions, the latest update time catches additions and edits.
    swaps = DaySwap.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    hours = WorkingHours.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return swaps["n"], swaps["last"], hours["n"], hours["last"]


def load_calendar() -> WorkingCalendar:
    """A calendar built from the database now: bulk code builds one and reuses it without queries."""
    swaps = [SwapDay(s.date, s.kind, s.description, s.legal_basis) for s in DaySwap.objects.all()]
    hours = [
        OfficeHours(h.valid_from, h.morning_start, h.morning_end, h.afternoon_start, h.afternoon_end)
        for h in WorkingHours.objects.all()
    ]
    return WorkingCalendar(swaps, hours)


def default_calendar() -> WorkingCalendar:
    """The calendar the module functions use: cached, re-checked against the tables now and then."""
    global _cached
    cached = _cached
    now = time.monotonic()
    if cached is not None and now - cached.checked_at < RECHECK_SECONDS:
        return cached.calendar
    with _lock:
        cached = _cached
        if cached is not None and now - cached.checked_at < RECHECK_SECONDS:
            return cached.calendar
        # Fingerprint before loading: a change in between only causes one more reload later.
        fingerprint = _fingerprint()
        if cached is not None and cached.fingerprint == fingerprint:
            cached.checked_at = now
            return cached.calendar
        calendar = load_calendar()
        _cached = _Cached(calendar, fingerprint, now)
        return calendar


def invalidate_cache() -> None:
    """Forget the default calendar, so the next call reloads it (after any change to swaps or hours)."""
    global _cached
    _cached = None


# --- working days ------------------------------------------------------------------------------


def is_working_day(d: dt.date) -> bool:
    """True when `d` is a working day: Monday–Friday except public holidays, observed days and
    swapped days off, plus the make-up working days (a Saturday worked is a working day)."""
    return default_calendar().is_working_day(d)


def day_status(d: dt.date) -> DayStatus:
    """Whether `d` is a working day, and why (weekday, weekend, holiday name, swap description)."""
    return default_calendar().day_status(d)


def next_working_day(d: dt.date) -> dt.date:
    """`d` itself when it is a working day, else the first working day after it."""
    return default_calendar().next_working_day(d)


def previous_working_day(d: dt.date) -> dt.date:
    """`d` itself when it is a working day, else the last working day before it."""
    return default_calendar().previous_working_day(d)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The n-th working day after `d` (n ≥ 0; 0 gives `d`)."""
    return default_calendar().add_working_days(d, n)


def subtract_working_days(d: dt.date, n: int) -> dt.date:
    """The n-th working day before `d`, stepping back one working day at a time (0 gives `d`)."""
    return default_calendar().subtract_working_days(d, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The number of working days d with a < d ≤ b (negative when b is before a)."""
    return default_calendar().working_days_between(a, b)


def year_exceptions(year: int) -> list[DayStatus]:
    """The year's non-working weekdays and working weekend days, with their names."""
    return default_calendar().exceptions(year)


# --- due dates ---------------------------------------------------------------------------------


def receipt_day(received_at: dt.datetime) -> dt.date:
    """The working day a receipt counts from (after 17:00:00 or on a day off: the next working day)."""
    return default_calendar().receipt_day(received_at)


def due_date(received_at: dt.datetime, duration_days: int, day_kind: str) -> dt.datetime:
    """The due time computed from a receipt, at 17:00 Vietnam time (indicators.md "Due date when absent").

    `working`: the `duration_days`-th working day after the receipt day; `calendar`: the receipt
    date plus `duration_days` days, moved forward to a working day. Naive datetimes are Vietnam time.
    """
    return default_calendar().due_date(received_at, duration_days, day_kind)


# --- working time and pauses -------------------------------------------------------------------


def working_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The office-hours time on working days inside [start, end); zero when end ≤ start."""
    return default_calendar().working_time_between(start, end)


def add_working_time(start: dt.datetime, span: dt.timedelta) -> dt.datetime:
    """The earliest instant at which `span` of working time has passed since `start`."""
    return default_calendar().add_working_time(start, span)


def extend_by_working_time(due: dt.datetime, paused: dt.timedelta) -> dt.datetime:
    """`due` moved later by `paused` of working time (after a supplement pause)."""
    return default_calendar().extend_by_working_time(due, paused)


def remaining_working_time(due: dt.datetime, at: dt.datetime) -> dt.timedelta:
    """The working time left at `at` before `due` (zero once `due` has passed)."""
    return default_calendar().remaining_working_time(due, at)


def resume_deadline(due: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime:
    """The deadline after a pause: `due` moved later by the working time between pause and resumption."""
    return default_calendar().resume_deadline(due, paused_at, resumed_at)


# --- changing the calendar ---------------------------------------------------------------------


def can_manage_calendar(user: Any) -> bool:
    """Whether `user` may change swaps and office hours: a superuser or a province administrator."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or has_role(user, Role.PROVINCE_ADMIN)


def _require_manager(actor: Any) -> None:
    # actor None is the system itself (the loader, the demo); anyone else must be allowed.
    if actor is not None and not can_manage_calendar(actor):
        raise Forbidden(_("Chỉ quản trị hệ thống cấp tỉnh được sửa lịch làm việc."))


def _changed() -> None:
    # Now for this process (the change is visible inside its transaction), and again after commit
    # in case a reload happened in between.
    invalidate_cache()
    transaction.on_commit(invalidate_cache)


def _save_unique(obj: DaySwap | WorkingHours, field: str, message: str) -> None:
    # Two admins adding the same date at once: the unique index decides, the loser gets a 400.
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise InvalidInput(message, field=field) from exc


def _swap_fields(swap: DaySwap) -> dict[str, Any]:
    return {
        "date": swap.date.isoformat(),
        "kind": swap.kind,
        "description": swap.description,
        "legal_basis": swap.legal_basis,
    }


def day_swap_problems(date: dt.date, kind: str, description: str, legal_basis: str) -> list[tuple[str, str]]:
    """(field, message) for every reason a swap cannot be saved as given; empty when it can."""
    found = swap_problems(date, kind)
    for field, value in (("description", description), ("legal_basis", legal_basis)):
        if not value.strip():
            found.append((field, _("Không được để trống.")))
        elif len(value.strip()) > TEXT_LIMIT:
            found.append((field, _("Dài quá %(limit)d ký tự.") % {"limit": TEXT_LIMIT}))
    return found


@transaction.atomic
def save_day_swap(
    *,
    actor: Any,
    date: dt.date,
    kind: str,
    description: str,
    legal_basis: str,
    swap_id: int | None = None,
    ip: str | None = None,
) -> DaySwap:
    """Record a swapped day (ngày hoán đổi), or change one.

    With `swap_id`, that row is changed (its date too); without, the row for `date` is created or
    changed, so saving the same swap twice is harmless. An unchanged row writes no event.
    """
    _require_manager(actor)
    swap, _outcome = _save_swap(actor, date, kind, description, legal_basis, swap_id, ip)
    return swap


def _save_swap(
    actor: Any,
    date: dt.date,
    kind: str,
    description: str,
    legal_basis: str,
    swap_id: int | None,
    ip: str | None,
) -> tuple[DaySwap, str]:
    problems = day_swap_problems(date, kind, description, legal_basis)
    if problems:
        field, message = problems[0]
        raise InvalidInput(message, field=field)
    if swap_id is not None:
        swap = DaySwap.objects.select_for_update().filter(pk=swap_id).first()
        if swap is None:
            raise NotFound(_("Không có ngày hoán đổi này."))
        if DaySwap.objects.filter(date=date).exclude(pk=swap_id).exists():
            raise InvalidInput(_("Đã có ngày hoán đổi khác vào ngày này."), field="date")
    else:
        swap = DaySwap.objects.select_for_update().filter(date=date).first()
    before = _swap_fields(swap) if swap is not None else None
    if swap is None:
        swap = DaySwap(date=date)
    swap.date, swap.kind = date, kind
    swap.description, swap.legal_basis = description.strip(), legal_basis.strip()
    after = _swap_fields(swap)
    if after == before:
        return swap, "unchanged"
    _save_unique(swap, "date", _("Đã có ngày hoán đổi khác vào ngày này."))
    outcome = "created" if before is None else "updated"
    action = "calendar.day_swap.create" if before is None else "calendar.day_swap.update"
    record_event(actor=actor, action=action, obj=swap, before=before, after=after, ip=ip)
    _changed()
    return swap, outcome


@transaction.atomic
def delete_day_swap(*, actor: Any, swap_id: int, ip: str | None = None) -> None:
    """Remove a swapped day: the day goes back to what the holiday rules alone say."""
    _require_manager(actor)
    swap = DaySwap.objects.select_for_update().filter(pk=swap_id).first()
    if swap is None:
        raise NotFound(_("Không có ngày hoán đổi này."))
    record_event(actor=actor, action="calendar.day_swap.delete", obj=swap, before=_swap_fields(swap), ip=ip)
    swap.delete()
    _changed()


@dataclass(frozen=True)
class LoadResult:
    """What `load_day_swaps` did: rows created, changed and already as in the file."""

    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_day_swaps(path: Path | str = BUNDLED_DAY_SWAPS, *, actor: Any = None) -> LoadResult:
    """Load a day-swaps file (the bundled one by default): every row created or brought up to date.

    Idempotent; rows of the table that the file does not mention are kept (they may have been
    added in the admin). Any error in the file raises LoadError and loads nothing.
    """
    _require_manager(actor)
    outcomes = {"created": 0, "updated": 0, "unchanged": 0}
    for swap in read_day_swaps(path):
        _saved, outcome = _save_swap(
            actor, swap.date, swap.kind, swap.description, swap.legal_basis, None, None
        )
        outcomes[outcome] += 1
    return LoadResult(**outcomes)


def _hours_fields(hours: WorkingHours) -> dict[str, Any]:
    return {
        "valid_from": hours.valid_from.isoformat(),
        "morning_start": hours.morning_start.isoformat(),
        "morning_end": hours.morning_end.isoformat(),
        "afternoon_start": hours.afternoon_start.isoformat(),
        "afternoon_end": hours.afternoon_end.isoformat(),
    }


@transaction.atomic
def save_working_hours(
    *,
    actor: Any,
    valid_from: dt.date,
    morning_start: dt.time,
    morning_end: dt.time,
    afternoon_start: dt.time,
    afternoon_end: dt.time,
    hours_id: int | None = None,
    ip: str | None = None,
) -> WorkingHours:
    """Set the office hours in force from `valid_from` (giờ làm việc), or change a row (`hours_id`)."""
    _require_manager(actor)
    problems = OfficeHours(valid_from, morning_start, morning_end, afternoon_start, afternoon_end).problems()
    if problems:
        field, message = problems[0]
        raise InvalidInput(message, field=field)
    if hours_id is not None:
        hours = WorkingHours.objects.select_for_update().filter(pk=hours_id).first()
        if hours is None:
            raise NotFound(_("Không có giờ làm việc này."))
        if WorkingHours.objects.filter(valid_from=valid_from).exclude(pk=hours_id).exists():
            raise InvalidInput(_("Đã có giờ làm việc áp dụng từ ngày này."), field="valid_from")
    else:
        hours = WorkingHours.objects.select_for_update().filter(valid_from=valid_from).first()
    before = _hours_fields(hours) if hours is not None else None
    if hours is None:
        hours = WorkingHours()
    hours.valid_from = valid_from
    hours.morning_start, hours.morning_end = morning_start, morning_end
    hours.afternoon_start, hours.afternoon_end = afternoon_start, afternoon_end
    after = _hours_fields(hours)
    if after == before:
        return hours
    _save_unique(hours, "valid_from", _("Đã có giờ làm việc áp dụng từ ngày này."))
    action = "calendar.working_hours.create" if before is None else "calendar.working_hours.update"
    record_event(actor=actor, action=action, obj=hours, before=before, after=after, ip=ip)
    _changed()
    return hours


@transaction.atomic
def delete_working_hours(*, actor: Any, hours_id: int, ip: str | None = None) -> None:
    """Remove an office-hours row: the previous row (or the default 7:00–11:30, 13:30–17:00) applies."""
    _require_manager(actor)
    hours = WorkingHours.objects.select_for_update().filter(pk=hours_id).first()
    if hours is None:
        raise NotFound(_("Không có giờ làm việc này."))
    record_event(
        actor=actor, action="calendar.working_hours.delete", obj=hours, before=_hours_fields(hours), ip=ip
    )
    hours.delete()
    _changed()
