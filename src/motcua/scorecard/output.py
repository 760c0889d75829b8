"""Scorecard output formats: JSON (indicators.md "Output"), CSV and Excel with the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.utils.translation import gettext as _

from motcua.scorecard.definition import PlanDefinition
from motcua.scorecard.engine import ResultRow
from motcua.scorecard.periods import vietnam_time

FORMATS = ("json", "csv", "xlsx")
BASE_COLUMNS = ("indicator", "scope", "key", "numerator", "denominator", "value", "target", "met")
POINT_COLUMNS = ("points", "max_points")


def iso(moment: dt.datetime) -> str:
    """An instant as ISO 8601 in Vietnam time (…+07:00), to the second."""
    return vietnam_time(moment).isoformat(timespec="seconds")


def document(
    definition: PlanDefinition, period: str, as_of: dt.datetime, rows: list[ResultRow]
) -> dict[str, Any]:
    """The JSON document: plan, period, as_of and the result rows."""
    return {
        "plan": definition.code,
        "period": period,
        "as_of": iso(as_of),
        "results": [row.as_dict(with_points=definition.is_index) for row in rows],
    }


def columns(definition: PlanDefinition) -> tuple[str, ...]:
    return BASE_COLUMNS + (POINT_COLUMNS if definition.is_index else ())


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return 1 if value else 0
    return "" if value is None else value


def json_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def csv_text(definition: PlanDefinition, doc: dict[str, Any]) -> str:
    """One header row, then one row per result (met as 1/0, empty where a value does not apply)."""
    names = columns(definition)
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(names)
    for row in doc["results"]:
        writer.writerow([_cell(row.get(name)) for name in names])
    return stream.getvalue()


def xlsx_bytes(definition: PlanDefinition, doc: dict[str, Any]) -> bytes:
    """An Excel workbook: the rows (with each indicator's name) and a sheet describing the run."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(_("Kết quả"))
    names = columns(definition)
    headers = ("indicator", "name", *names[1:])
    sheet.write_row(0, 0, headers, bold)
    titles = {indicator.code: indicator.name for indicator in definition.indicators}
    titles["total"] = _("Tổng điểm")
    for r, row in enumerate(doc["results"], start=1):
        values = [row["indicator"], titles.get(row["indicator"], ""), *(_cell(row.get(n)) for n in names[1:])]
        sheet.write_row(r, 0, values)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, len(headers) - 1, 14)
    info = workbook.add_worksheet(_("Thông tin"))
    for r, (label, value) in enumerate(
        (
            (_("Mã"), definition.code),
            (_("Tên"), definition.name),
            (_("Kỳ"), doc["period"]),
            (_("Số liệu tính đến"), doc["as_of"]),
        )
    ):
        info.write(r, 0, label, bold)
        info.write(r, 1, value)
    info.set_column(0, 0, 20)
    info.set_column(1, 1, 80)
    workbook.close()
    return buffer.getvalue()
