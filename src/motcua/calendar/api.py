"""Public calendar API: working days, adding working days, due dates, a year's holidays and swaps.

No sign-in needed. Bad input answers 422 (malformed or out of range, from the schema) or 400
(a domain check), always naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.calendar import services as cal
from motcua.calendar.working_calendar import WEEKDAY_NAMES, DayStatus
from motcua.errors import InvalidInput

router = Router(tags=["calendar"])


class WorkingDayOut(Schema):
    date: dt.date
    weekday: str
    working: bool
    reason: str
    legal_basis: str = ""


class AddWorkingDaysOut(Schema):
    date: dt.date
    days: int
    result: dt.date


class DueDateOut(Schema):
    received_at: dt.datetime
    duration_days: int
    day_kind: str
    receipt_day: dt.date
    due_at: dt.datetime


class YearOut(Schema):
    year: int
    days: list[WorkingDayOut]


def _day_out(status: DayStatus) -> WorkingDayOut:
    return WorkingDayOut(
        date=status.date,
        weekday=str(WEEKDAY_NAMES[status.date.weekday()]),
        working=status.working,
        reason=status.reason,
        legal_basis=status.legal_basis,
    )


@contextmanager
def _field(name: str) -> Iterator[None]:
    # Domain errors name the service's argument; the caller knows the query parameter.
    try:
        yield
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=name) from exc


@router.get("/working-day", response=WorkingDayOut, summary="Một ngày có phải ngày làm việc không, vì sao")
def working_day(request: HttpRequest, date: dt.date) -> WorkingDayOut:
    """`reason` is `weekday`, `weekend`, `holiday: <tên ngày lễ>` or `swap: <mô tả hoán đổi>`."""
    with _field("date"):
        return _day_out(cal.day_status(date))


@router.get("/add-working-days", response=AddWorkingDaysOut, summary="Ngày làm việc thứ N sau một ngày")
def add_working_days(
    request: HttpRequest, date: dt.date, days: int = Query(..., ge=0, le=36500)
) -> AddWorkingDaysOut:
    with _field("date"):
        cal.day_status(date)
    with _field("days"):
        return AddWorkingDaysOut(date=date, days=days, result=cal.add_working_days(date, days))


# A "+07:00" offset sent unencoded in a query string arrives as " 07:00".
_UNENCODED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def _parse_received_at(value: str | None) -> dt.datetime:
    if value is None or not value.strip():
        return timezone.now()
    text = _UNENCODED_OFFSET.sub(r"+\1", value.strip())
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            _("Thời điểm phải theo ISO 8601, ví dụ 2023-03-03T18:30:00+07:00."), field="received_at"
        ) from exc


@router.get("/due-date", response=DueDateOut, summary="Hạn giải quyết tính từ thời điểm tiếp nhận")
def due_date(
    request: HttpRequest,
    duration_days: int = Query(..., ge=0, le=36500),
    day_kind: Literal["working", "calendar"] = "working",
    received_at: str | None = Query(
        None, description="ISO 8601; không có múi giờ thì hiểu là giờ Việt Nam; bỏ trống là bây giờ"
    ),
) -> DueDateOut:
    """The rule of indicators.md "Due date when absent": after 17:00:00 or on a day off, a receipt
    counts from the next working day; the due date is at 17:00 Vietnam time."""
    received = cal.to_vietnam_time(_parse_received_at(received_at))
    due = cal.due_date(received, duration_days, day_kind)
    receipt = received.date() if day_kind == "calendar" else cal.receipt_day(received)
    return DueDateOut(
        received_at=received, duration_days=duration_days, day_kind=day_kind, receipt_day=receipt, due_at=due
    )


@router.get("/holidays", response=YearOut, summary="Các ngày nghỉ trong tuần và ngày làm bù của một năm")
def holidays(request: HttpRequest, year: int = Query(..., ge=cal.FIRST_YEAR, le=cal.LAST_YEAR)) -> YearOut:
    """Weekdays that are not working days (holidays, observed days, swapped days off) and weekend
    days that are (make-up working days), in date order."""
    return YearOut(year=year, days=[_day_out(s) for s in cal.year_exceptions(year)])
