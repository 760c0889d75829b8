"""How values are written in an exchange bundle (../../docs/exchange.md), read and written.

The import parses with these functions and the export formats with them, so a value written by
`motcua export` always reads back as the same value. Parsers raise `ValueError` with a message
for the person who has to fix the file; the caller adds the file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_INTEGER = re.compile(r"[0-9]+\Z")
TRUE_TEXT = frozenset({"1", "true"})
FALSE_TEXT = frozenset({"0", "false"})
# The largest amount a PositiveBigIntegerField holds on every database.
MAX_MONEY = 2**63 - 1


def parse_timestamp(value: object) -> dt.datetime:
    """An aware datetime from an ISO 8601 time stamp; one without an offset is Vietnam time."""
    if not isinstance(value, str) or len(value) < 16 or value[10] not in "Tt ":
        raise ValueError(_("không phải mốc thời gian ISO 8601 (vd: 2023-03-06T08:30:00+07:00)"))
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(_("không phải mốc thời gian ISO 8601 (vd: 2023-03-06T08:30:00+07:00)")) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM)
    return parsed


def format_timestamp(value: dt.datetime | None) -> str | None:
    """ISO 8601 in Vietnam time with its offset, seconds (and microseconds only when present)."""
    if value is None:
        return None
    return value.astimezone(VIETNAM).isoformat()


def parse_date(value: str) -> dt.date:
    """A `YYYY-MM-DD` date."""
    if not _DATE.match(value):
        raise ValueError(_("không phải ngày dạng YYYY-MM-DD"))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("không phải ngày hợp lệ")) from None


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def parse_csv_bool(value: str) -> bool:
    """A CSV boolean: `1`/`0`, or `true`/`false` in any case."""
    text = value.strip().lower()
    if text in TRUE_TEXT:
        return True
    if text in FALSE_TEXT:
        return False
    raise ValueError(_("không phải giá trị đúng/sai (1/0, true/false)"))


def format_csv_bool(value: bool) -> str:
    return "1" if value else "0"


def parse_whole_number(value: str) -> int:
    """A non-negative whole number written in a CSV cell (days, đồng)."""
    text = value.strip()
    if not _INTEGER.match(text):
        raise ValueError(_("không phải số nguyên không âm"))
    return int(text)


def parse_money(value: object) -> int:
    """A JSON amount of money: whole đồng, not negative (100 or 100.0, never 100.5 or true)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("số tiền phải là một số nguyên (đồng)"))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("số tiền phải là số đồng nguyên, không có phần lẻ"))
        value = int(value)
    if value < 0:
        raise ValueError(_("số tiền không được âm"))
    if value > MAX_MONEY:
        raise ValueError(_("số tiền quá lớn"))
    return value
