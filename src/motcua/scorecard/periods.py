"""Scoring periods (kỳ đánh giá): a year `2023`, a quarter `2023-Q2` or a month `2023-05`.

A period is a half-open interval of Vietnam time; indicators.md "Common terms" defines the cut-off
c(P) (the earlier of the period's end and the data's `as_of`) and the last day D(P) (the calendar
date of the last instant before c(P)).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.errors import InvalidInput

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")
_ONE_INSTANT = dt.timedelta(microseconds=1)
# Years a period may name: wide enough for any record, narrow enough that every bound is a datetime.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def vietnam_time(value: dt.datetime) -> dt.datetime:
    """`value` as an aware Vietnam-time datetime; a naive value is taken to be Vietnam time."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


def vietnam_date(value: dt.datetime | None) -> dt.date | None:
    """The Vietnam-time calendar date of a time stamp (None stays None)."""
    return None if value is None else vietnam_time(value).date()


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=VN_TZ)


@dataclass(frozen=True)
class Period:
    """A scoring period: `code` as written, and its half-open Vietnam-time interval [start, end)."""

    code: str
    kind: str  # year | quarter | month
    year: int
    first_month: int
    months: int

    @classmethod
    def parse(cls, code: str) -> Period:
        """The period named by `code`; InvalidInput (field `period`) when it is malformed."""
        match = _PERIOD.match((code or "").strip())
        if not match or not FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
            raise InvalidInput(
                _("Kỳ “%(period)s” không hợp lệ: dùng năm (2023), quý (2023-Q2) hoặc tháng (2023-05).")
                % {"period": code},
                field="period",
            )
        year = int(match["year"])
        if match["quarter"]:
            return cls(code.strip(), "quarter", year, 3 * int(match["quarter"]) - 2, 3)
        if match["month"]:
            return cls(code.strip(), "month", year, int(match["month"]), 1)
        return cls(code.strip(), "year", year, 1, 12)

    @property
    def start(self) -> dt.datetime:
        return _month_start(self.year, self.first_month)

    @property
    def end(self) -> dt.datetime:
        last = self.first_month + self.months
        return _month_start(self.year + (last - 1) // 12, (last - 1) % 12 + 1)

    def previous_year(self) -> Period:
        """The same period one year earlier (2023-Q2 → 2022-Q2), for "≥ last year" targets."""
        code = str(self.year - 1) + self.code[4:]
        return Period.parse(code)

    def window(self, as_of: dt.datetime) -> Window:
        """The period as seen at `as_of`: its start, cut-off c(P) and last day D(P)."""
        cutoff = min(self.end, vietnam_time(as_of))
        return Window(
            period=self,
            start=self.start,
            cutoff=cutoff,
            last_day=(cutoff - _ONE_INSTANT).astimezone(VN_TZ).date(),
            as_of=vietnam_time(as_of),
        )

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= vietnam_time(moment) < self.end


@dataclass(frozen=True)
class Window:
    """Everything the period-dependent rules need: start s, cut-off c(P), last day D(P), as_of."""

    period: Period
    start: dt.datetime
    cutoff: dt.datetime
    last_day: dt.date
    as_of: dt.datetime

    @property
    def start_date(self) -> dt.date:
        return self.start.date()

    @property
    def empty(self) -> bool:
        """True when nothing of the period has happened yet at as_of (c(P) ≤ start)."""
        return self.cutoff <= self.start


def periods_containing(day: dt.date) -> list[str]:
    """The codes of the year, quarter and month that contain `day`."""
    quarter = (day.month - 1) // 3 + 1
    return [f"{day.year}", f"{day.year}-Q{quarter}", f"{day.year}-{day.month:02d}"]


def periods_between(first: dt.date, last: dt.date) -> set[str]:
    """The codes of every year, quarter and month overlapping [first, last] (dates in Vietnam time)."""
    if last < first:
        first, last = last, first
    codes: set[str] = set()
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        codes.update(periods_containing(dt.date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return codes
