"""Working-day arithmetic on one explicit calendar (lịch làm việc), without touching the database.

A `WorkingCalendar` holds everything a deadline needs: the Vietnamese public holidays and their
observed days (from the `holidays` package), the government's yearly day swaps, and the office
hours in force. Bulk code (imports, the scorecard) builds one and reuses it; `services` keeps a
default instance loaded from the database and exposes the same operations as module functions.

Working days are Monday–Friday, minus public holidays and observed days, minus swapped days off,
plus make-up working days (a Saturday worked in exchange). A swap row is authoritative: it wins
over the package in both directions.

All times are Vietnam time (UTC+07:00, no daylight saving since 1975); naive datetimes are read
as Vietnam time and every datetime returned is aware, in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.choices import DayKind
from motcua.errors import InvalidInput

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The years the holiday data covers: the lunisolar tables of `holidays` end in 2100, and the
# holiday rules of the 1994 Labour Code are the oldest worth modelling.
FIRST_YEAR = 1990
LAST_YEAR = 2100
_FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
_LAST_DAY = dt.date(LAST_YEAR, 12, 31)

# indicators.md "Due date when absent": a receipt after 17:00:00 counts from the next working day
# (17:00:00 itself still counts for that day), and a computed due date falls at 17:00.
RECEIPT_CUTOFF = dt.time(17, 0)
DUE_TIME = dt.time(17, 0)

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
SWAP_KINDS = (DAY_OFF, WORKING_DAY)

WEEKDAY_NAMES = (
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


@dataclass(frozen=True)
class OfficeHours:
    """Office hours (giờ hành chính) in force from `valid_from`: a morning and an afternoon session."""

    valid_from: dt.date
    morning_start: dt.time = dt.time(7, 0)
    morning_end: dt.time = dt.time(11, 30)
    afternoon_start: dt.time = dt.time(13, 30)
    afternoon_end: dt.time = dt.time(17, 0)

    @property
    def sessions(self) -> tuple[tuple[dt.time, dt.time], tuple[dt.time, dt.time]]:
        return (self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end)

    @property
    def daily(self) -> dt.timedelta:
        """The working time of one full working day."""
        return sum(
            (_combine(dt.date.min, end) - _combine(dt.date.min, start) for start, end in self.sessions),
            dt.timedelta(),
        )

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for every inconsistency; empty when the sessions are in order."""
        message = _("Giờ phải theo thứ tự: sáng từ < sáng đến ≤ chiều từ < chiều đến.")
        found = []
        # The sessions may touch (no lunch break) but neither may be empty or run backwards.
        if not self.morning_start < self.morning_end:
            found.append(("morning_end", message))
        if not self.morning_end <= self.afternoon_start:
            found.append(("afternoon_start", message))
        if not self.afternoon_start < self.afternoon_end:
            found.append(("afternoon_end", message))
        return found


DEFAULT_HOURS = OfficeHours(valid_from=dt.date(1900, 1, 1))


@dataclass(frozen=True)
class SwapDay:
    """One yearly swap: a weekday declared off (`day_off`) or a weekend day worked (`working_day`)."""

    date: dt.date
    kind: str
    description: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class DayStatus:
    """Why a day is or is not a working day.

    `kind` is `weekday`, `weekend`, `holiday` (public holiday or observed day, `name` from the
    `holidays` package) or `swap` (`name` is the swap's description).
    """

    date: dt.date
    working: bool
    kind: str
    name: str = ""
    legal_basis: str = ""

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.name}" if self.name else self.kind


def to_vietnam_time(value: dt.datetime) -> dt.datetime:
    """`value` as an aware datetime in Vietnam time; a naive value is taken to be Vietnam time already."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


def _naive_vn(value: dt.datetime) -> dt.datetime:
    # Arithmetic runs on Vietnam wall-clock time: the offset is constant over the years covered.
    return to_vietnam_time(value).replace(tzinfo=None)


def _combine(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time)


def _check_day(day: dt.date, field: str) -> int:
    if not _FIRST_DAY <= day <= _LAST_DAY:
        raise InvalidInput(
            _("Ngày %(day)s nằm ngoài phạm vi lịch (%(first)d–%(last)d).")
            % {"day": day.strftime("%d/%m/%Y"), "first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
    return day.toordinal()


def _beyond_range(field: str) -> InvalidInput:
    return InvalidInput(
        _("Kết quả nằm ngoài phạm vi lịch (%(first)d–%(last)d).") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        field=field,
    )


def _check_count(n: int, field: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidInput(_("Số ngày phải là số nguyên không âm."), field=field)


def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


@dataclass(frozen=True)
class _PackageDays:
    """What the `holidays` package says for FIRST_YEAR..LAST_YEAR (loaded once per process)."""

    names: dict[dt.date, str]
    weekend_workdays: frozenset[dt.date]


@functools.cache
def _package_days() -> _PackageDays:
    vn = holidays.country_holidays("VN", years=range(FIRST_YEAR, LAST_YEAR + 1), observed=True, language="vi")
    names = {day: name for day, name in vn.items() if _FIRST_DAY <= day <= _LAST_DAY}
    workdays = frozenset(d for d in vn.weekend_workdays if _FIRST_DAY <= d <= _LAST_DAY)
    return _PackageDays(names=names, weekend_workdays=workdays)


@functools.cache
def _package_working_days() -> tuple[list[int], frozenset[int]]:
    """Working days (as ordinals) by the package alone, before any swap row; shared by every calendar."""
    package = _package_days()
    working = []
    for o in range(_FIRST_DAY.toordinal(), _LAST_DAY.toordinal() + 1):
        d = dt.date.fromordinal(o)
        if d in package.weekend_workdays if is_weekend(d) else d not in package.names:
            working.append(o)
    return working, frozenset(working)


def public_holiday_name(day: dt.date) -> str:
    """The package's name for `day` if it is a public holiday or an observed day, else ''."""
    return _package_days().names.get(day, "")


def swap_problems(day: dt.date, kind: str) -> list[tuple[str, str]]:
    """(field, message) for a swap that cannot be right; empty when it is plausible.

    A swapped day off must be a weekday; a make-up working day must be a weekend day, or a day the
    `holidays` package wrongly lists as a holiday (the row then corrects the package).
    """
    if kind not in SWAP_KINDS:
        return [("kind", _("Loại phải là day_off hoặc working_day."))]
    if not _FIRST_DAY <= day <= _LAST_DAY:
        return [
            (
                "date",
                _("Ngày phải trong các năm %(first)d–%(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        ]
    if kind == DAY_OFF and is_weekend(day):
        return [("date", _("Ngày nghỉ hoán đổi phải là ngày từ thứ Hai đến thứ Sáu."))]
    if kind == WORKING_DAY and not is_weekend(day) and not public_holiday_name(day):
        return [("date", _("Ngày làm bù phải là thứ Bảy, Chủ nhật hoặc một ngày lễ cần điều chỉnh."))]
    return []


class WorkingCalendar:
    """The working days and office hours of one configuration of swaps and hours.

    Construction is cheap. On first use the sorted list of working days over FIRST_YEAR..LAST_YEAR
    is built: about 0.2 s once per process for the holiday package, then some 15 ms per calendar
    with its swaps. After that every query is a bisection or a set lookup (O(log n)); a due date
    takes a few microseconds.
    """

    def __init__(self, swaps: Iterable[SwapDay] = (), hours: Iterable[OfficeHours] = ()) -> None:
        self.swaps: dict[dt.date, SwapDay] = {s.date: s for s in swaps}
        for swap in self.swaps.values():
            if swap.kind not in SWAP_KINDS:
                raise InvalidInput(_("Loại phải là day_off hoặc working_day."), field="kind")
        self.hours: tuple[OfficeHours, ...] = tuple(sorted(hours, key=lambda h: h.valid_from)) or (
            DEFAULT_HOURS,
        )
        self._hours_from = [h.valid_from for h in self.hours]
        self._ordinals: list[int] | None = None
        self._working: frozenset[int] | None = None

    # --- which days are working days -------------------------------------------------------

    def day_status(self, day: dt.date) -> DayStatus:
        """Whether `day` is a working day, and why."""
        _check_day(day, "date")
        swap = self.swaps.get(day)
        if swap is not None:
            return DayStatus(day, swap.kind == WORKING_DAY, "swap", swap.description, swap.legal_basis)
        package = _package_days()
        if is_weekend(day):
            if day in package.weekend_workdays:
                return DayStatus(day, True, "swap", self._package_make_up_name(day))
            return DayStatus(day, False, "weekend")
        name = package.names.get(day)
        if name:
            return DayStatus(day, False, "holiday", name)
        return DayStatus(day, True, "weekday")

    @staticmethod
    def _package_make_up_name(day: dt.date) -> str:
        # The package names the swapped day off "Ngày nghỉ (thay cho ngày dd/mm/yyyy)" after this day.
        stamp = day.strftime("%d/%m/%Y")
        for off, name in _package_days().names.items():
            if stamp in name:
                return _("Làm bù cho ngày nghỉ %(day)s") % {"day": off.strftime("%d/%m/%Y")}
        return _("Ngày làm việc bù")

    def _build(self) -> tuple[list[int], frozenset[int]]:
        if self._ordinals is None or self._working is None:
            base_ordinals, base_working = _package_working_days()
            changes = {
                s.date.toordinal(): s.kind == WORKING_DAY
                for s in self.swaps.values()
                if _FIRST_DAY <= s.date <= _LAST_DAY
                and (s.date.toordinal() in base_working) != (s.kind == WORKING_DAY)
            }
            if not changes:
                self._ordinals, self._working = base_ordinals, base_working
            else:
                working = {o for o in base_working if changes.get(o, True)}
                working.update(o for o, works in changes.items() if works)
                self._working = frozenset(working)
                self._ordinals = sorted(working)
        return self._ordinals, self._working

    def is_working_day(self, day: dt.date) -> bool:
        """True when `day` is a working day (Saturday make-up days included)."""
        o = _check_day(day, "date")
        return o in self._build()[1]

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        ordinals, _working = self._build()
        i = bisect.bisect_left(ordinals, _check_day(day, "date"))
        return self._at(ordinals, i, "date")

    def previous_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the last working day before it."""
        ordinals, _working = self._build()
        i = bisect.bisect_right(ordinals, _check_day(day, "date")) - 1
        return self._at(ordinals, i, "date")

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n ≥ 0; n = 0 gives `day` itself, working or not)."""
        _check_count(n, "n")
        o = _check_day(day, "date")
        if n == 0:
            return day
        ordinals, _working = self._build()
        return self._at(ordinals, bisect.bisect_right(ordinals, o) + n - 1, "n")

    def subtract_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before `day`, stepping back one working day at a time (n = 0: `day`).

        Five working days before Monday 13/03/2023 is Monday 06/03/2023.
        """
        _check_count(n, "n")
        o = _check_day(day, "date")
        if n == 0:
            return day
        ordinals, _working = self._build()
        return self._at(ordinals, bisect.bisect_left(ordinals, o) - n, "n")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The working days d with start < d ≤ end (negated when end is before start).

        So `working_days_between(d, add_working_days(d, n)) == n` for every n ≥ 1.
        """
        a, b = _check_day(start, "start"), _check_day(end, "end")
        ordinals, _working = self._build()
        if b < a:
            return -self.working_days_between(end, start)
        return bisect.bisect_right(ordinals, b) - bisect.bisect_right(ordinals, a)

    def exceptions(self, year: int) -> list[DayStatus]:
        """The year's weekdays that are not working days and weekend days that are, in date order."""
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(
                _("Năm phải trong khoảng %(first)d–%(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                field="year",
            )
        _ordinals, working = self._build()
        first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        found = []
        for o in range(first, last + 1):
            day = dt.date.fromordinal(o)
            if is_weekend(day) == (o in working):
                found.append(self.day_status(day))
        return found

    @staticmethod
    def _at(ordinals: list[int], i: int, field: str) -> dt.date:
        if not 0 <= i < len(ordinals):
            raise _beyond_range(field)
        return dt.date.fromordinal(ordinals[i])

    # --- due dates ---------------------------------------------------------------------------

    def receipt_day(self, received_at: dt.datetime) -> dt.date:
        """The day a receipt counts from: its Vietnam date, moved to the next working day when that
        is not a working day or the receipt is later than 17:00:00 (17:00:00 itself counts)."""
        ordinals, _working = self._build()
        return dt.date.fromordinal(ordinals[self._receipt_index(received_at)])

    def _receipt_index(self, received_at: dt.datetime) -> int:
        # The position of the receipt day in the sorted working days; the due-date fast path.
        local = _naive_vn(received_at)
        o = _check_day(local.date(), "received_at")
        if local.time() > RECEIPT_CUTOFF:
            o += 1
        ordinals, _working = self._build()
        i = bisect.bisect_left(ordinals, o)
        if i >= len(ordinals):
            raise _beyond_range("received_at")
        return i

    def due_date(self, received_at: dt.datetime, duration_days: int, day_kind: str) -> dt.datetime:
        """The promised return time computed from a receipt (indicators.md "Due date when absent").

        `working`: the `duration_days`-th working day after the receipt day (0: the receipt day).
        `calendar`: the Vietnam date of `received_at` plus `duration_days` days, moved forward to
        the next working day if it is not one. Either way at 17:00 Vietnam time. An empty
        `day_kind` means working days, as in the exchange bundle.
        """
        _check_count(duration_days, "duration_days")
        if day_kind in (DayKind.WORKING, ""):
            # The receipt day is a working day, so the N-th working day after it is N places on.
            ordinals, _working = self._build()
            due = self._at(ordinals, self._receipt_index(received_at) + duration_days, "duration_days")
        elif day_kind == DayKind.CALENDAR:
            day = _naive_vn(received_at).date()
            _check_day(day, "received_at")
            due = self._within(
                lambda d: self.next_working_day(d + dt.timedelta(days=duration_days)), day, "duration_days"
            )
        else:
            raise InvalidInput(_("Loại ngày phải là working hoặc calendar."), field="day_kind")
        return dt.datetime.combine(due, DUE_TIME, tzinfo=VN_TZ)

    @staticmethod
    def _within(step: Callable[[dt.date], dt.date], day: dt.date, field: str) -> dt.date:
        # Re-label range errors with the caller's field: the day here was derived from that input.
        try:
            return step(day)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field=field) from exc
        except OverflowError as exc:
            raise InvalidInput(_("Ngày nằm ngoài phạm vi lịch."), field=field) from exc

    # --- working time ------------------------------------------------------------------------

    def hours_on(self, day: dt.date) -> OfficeHours:
        """The office hours in force on `day` (the latest row not after it; the default before any)."""
        i = bisect.bisect_right(self._hours_from, day) - 1
        return self.hours[i] if i >= 0 else DEFAULT_HOURS

    def _sessions(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        return [(_combine(day, start), _combine(day, end)) for start, end in self.hours_on(day).sessions]

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time inside [start, end): only office hours on working days; zero when end ≤ start."""
        s, e = _naive_vn(start), _naive_vn(end)
        if e <= s:
            return dt.timedelta()
        first, last = s.date(), e.date()
        _check_day(first, "start")
        _check_day(last, "end")
        total = self._partial_day(first, s, e)
        if last > first:
            total += self._partial_day(last, s, e)
            total += self._full_days(first + dt.timedelta(days=1), last - dt.timedelta(days=1))
        return total

    def _partial_day(self, day: dt.date, s: dt.datetime, e: dt.datetime) -> dt.timedelta:
        if not self.is_working_day(day):
            return dt.timedelta()
        total = dt.timedelta()
        for a, b in self._sessions(day):
            lo, hi = max(a, s), min(b, e)
            if hi > lo:
                total += hi - lo
        return total

    def _full_days(self, first: dt.date, last: dt.date) -> dt.timedelta:
        # Whole days between: working days per office-hours period times that period's daily time.
        total = dt.timedelta()
        if last < first:
            return total
        day = first
        while day <= last:
            hours = self.hours_on(day)
            i = bisect.bisect_right(self._hours_from, day)
            period_end = self._hours_from[i] - dt.timedelta(days=1) if i < len(self._hours_from) else last
            stop = min(last, period_end)
            count = self.working_days_between(day - dt.timedelta(days=1), stop)
            total += count * hours.daily
            day = stop + dt.timedelta(days=1)
        return total

    def add_working_time(self, start: dt.datetime, span: dt.timedelta) -> dt.datetime:
        """The earliest instant at which `span` of working time has passed since `start`.

        A zero span gives `start` itself; a span that ends exactly at the end of a session gives
        that end (11:30, 17:00), not the start of the next one.
        """
        if span < dt.timedelta():
            raise InvalidInput(_("Khoảng thời gian không được âm."), field="span")
        s = _naive_vn(start)
        if span == dt.timedelta():
            return s.replace(tzinfo=VN_TZ)
        remaining = span
        day = s.date()
        _check_day(day, "start")
        while True:
            if self.is_working_day(day):
                for a, b in self._sessions(day):
                    lo = max(a, s)
                    if b > lo:
                        if remaining <= b - lo:
                            return (lo + remaining).replace(tzinfo=VN_TZ)
                        remaining -= b - lo
            day = self._within(lambda d: self.add_working_days(d, 1), day, "span")

    def extend_by_working_time(self, due: dt.datetime, paused: dt.timedelta) -> dt.datetime:
        """`due` moved later by `paused` of working time (the time an applicant took to supplement)."""
        return self.add_working_time(due, paused)

    def remaining_working_time(self, due: dt.datetime, at: dt.datetime) -> dt.timedelta:
        """The working time left at `at` before `due` (zero when `due` has passed): what a pause keeps."""
        return self.working_time_between(at, due)

    def resume_deadline(
        self, due: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime
    ) -> dt.datetime:
        """The deadline after a pause from `paused_at` to `resumed_at`: `due` moved later by the
        working time of the pause. Never earlier than `due`."""
        return self.extend_by_working_time(due, self.working_time_between(paused_at, resumed_at))
