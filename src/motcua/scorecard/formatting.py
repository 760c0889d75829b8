"""How scorecard figures read in the dashboard and the reports: numbers with the active language's
separators (Vietnamese 1.234,5), targets with their comparator (≥ 60%), periods (Quý II/2023),
instants (dd/mm/yyyy HH:MM) and the date line of an official document (Decree 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from motcua.scorecard.periods import Period, vietnam_time

DASH = "–"
COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def decimal(value: Any) -> Decimal | None:
    """`value` (int, float, Decimal) as a Decimal; None stays None."""
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value: Any, places: int = 2) -> str:
    """`value` rounded half-up to `places` decimals, trailing zeros dropped, with the active
    language's separators: 1234.5 → "1.234,5" in Vietnamese, "1,234.5" in English; None → "–"."""
    amount = decimal(value)
    if amount is None:
        return DASH
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    exponent = amount.normalize().as_tuple().exponent
    shown = max(0, -exponent) if isinstance(exponent, int) else 0
    return formats.number_format(amount, decimal_pos=shown, use_l10n=True, force_grouping=True)


def measure(value: Any, unit: str = "%") -> str:
    """A value with its display unit: "62,95%" for a percentage, the bare number otherwise."""
    if value is None:
        return DASH
    return number(value) + ("%" if unit == "%" else "")


def target_text(target: Any, comparator: str = ">=", unit: str = "%") -> str:
    """A target as it reads: "≥ 60%", "≤ 20"; "" when there is none."""
    if target is None:
        return ""
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {measure(target, unit)}"


def roman(n: int) -> str:
    """1 → "I": the numbering of a report's sections."""
    return ROMAN[n - 1] if 1 <= n <= len(ROMAN) else str(n)


def period_label(period: Period) -> str:
    """ "Năm 2023", "Quý II/2023", "Tháng 5/2023"."""
    if period.kind == "quarter":
        return _("Quý %(quarter)s/%(year)s") % {
            "quarter": roman((period.first_month + 2) // 3),
            "year": period.year,
        }
    if period.kind == "month":
        return _("Tháng %(month)s/%(year)s") % {"month": period.first_month, "year": period.year}
    return _("Năm %(year)s") % {"year": period.year}


def period_phrase(period: Period) -> str:
    """The period inside a sentence or a title: "năm 2023", "quý II năm 2023", "tháng 5 năm 2023"."""
    if period.kind == "quarter":
        return _("quý %(quarter)s năm %(year)s") % {
            "quarter": roman((period.first_month + 2) // 3),
            "year": period.year,
        }
    if period.kind == "month":
        return _("tháng %(month)s năm %(year)s") % {"month": period.first_month, "year": period.year}
    return _("năm %(year)s") % {"year": period.year}


def moment(value: dt.datetime | None) -> str:
    """An instant in Vietnam time as dd/mm/yyyy HH:MM."""
    if value is None:
        return DASH
    return vietnam_time(value).strftime("%d/%m/%Y %H:%M")


def document_date(place: str, day: dt.date) -> str:
    """The place and date line of an official document: "Hà Tĩnh, ngày 05 tháng 02 năm 2026".

    Decree 30/2020/NĐ-CP writes a 0 before days under 10 and months under 3.
    """
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }
