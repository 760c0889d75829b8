"""The day-swaps data file (date,kind,description,legal_basis): reading and validating it.

One row per swapped day: a weekday declared off (`day_off`) or a weekend day worked in exchange
(`working_day`). Every error is collected with its file, line and field; a file with any error
gives a `LoadError` and nothing is loaded from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from django.utils.translation import gettext as _

from motcua.calendar.working_calendar import SwapDay, swap_problems
from motcua.errors import LoadError

BUNDLED_DAY_SWAPS = Path(__file__).resolve().parent / "data" / "day_swaps.csv"
COLUMNS = ("date", "kind", "description", "legal_basis")
# The model's column widths.
TEXT_LIMIT = 255


def read_day_swaps(path: Path | str = BUNDLED_DAY_SWAPS) -> list[SwapDay]:
    """The swaps in `path`, in file order; raises LoadError listing every problem."""
    path = Path(path)
    name = str(path)
    errors: list[tuple[str, int | None, str | None, str]] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError([(name, None, None, _("Không đọc được tệp: %(error)s") % {"error": exc})]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        raise LoadError(
            [(name, 1, None, _("Dòng tiêu đề phải là: %(columns)s") % {"columns": ",".join(COLUMNS)})]
        )
    swaps: list[SwapDay] = []
    seen: dict[dt.date, int] = {}
    for row in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in row.values()):
            continue
        if None in row:
            errors.append((name, line, None, _("Thừa cột.")))
            continue
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        row_errors: list[tuple[str, str]] = []
        day: dt.date | None = None
        try:
            day = dt.date.fromisoformat(values["date"])
        except ValueError:
            row_errors.append(("date", _("Ngày phải có dạng YYYY-MM-DD.")))
        for column in ("description", "legal_basis"):
            if not values[column]:
                row_errors.append((column, _("Không được để trống.")))
            elif len(values[column]) > TEXT_LIMIT:
                row_errors.append((column, _("Dài quá %(limit)d ký tự.") % {"limit": TEXT_LIMIT}))
        if day is not None:
            row_errors.extend(swap_problems(day, values["kind"]))
            if day in seen:
                row_errors.append(("date", _("Trùng ngày với dòng %(line)d.") % {"line": seen[day]}))
            seen.setdefault(day, line)
        errors.extend((name, line, field, message) for field, message in row_errors)
        if not row_errors and day is not None:
            swaps.append(SwapDay(day, values["kind"], values["description"], values["legal_basis"]))
    if errors:
        raise LoadError(errors)
    return swaps
