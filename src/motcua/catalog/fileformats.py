"""The two catalog file formats, parsed and validated into `ProcedureRecord`s.

- our JSON data file (`motcua-catalog`, version 1; every key in docs/catalog.md), which carries
  a procedure with its components, fee lines and internal process;
- the exchange bundle's `procedures.csv` (shared/spec/exchange.md), which carries the
  procedure's own fields only.

Nothing here touches the database: a file is read and checked whole, and every problem is
returned as a (file, line, field, message) tuple so the loader can refuse the file at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from motcua.accounts.choices import Role
from motcua.catalog.choices import CopyKind, DayKind, NationalDatabase, OnlineLevel
from motcua.orgs.choices import UnitKind

FORMAT = "motcua-catalog"
VERSION = 1

# A code on the national procedure database, e.g. 1.001193 or 2.000815.
NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")
DOCUMENT_TYPE = re.compile(r"^[a-z0-9_]*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEVELS = ("province", "district", "commune")

ErrorTuple = tuple[str, int | None, str | None, str]


@dataclass
class ProcedureRecord:
    """One validated procedure from a file.

    `fields` holds model field values (dates as `date`); `present` names the fields the file
    actually gave, so an update from a partial source (a CSV without some optional column)
    leaves the others alone. `components`, `fee_lines` and `steps` are None when the source
    does not carry them.
    """

    line: int
    fields: dict[str, Any]
    present: set[str]
    province_unit_name: str | None = None
    components: list[dict[str, Any]] | None = None
    fee_lines: list[dict[str, Any]] | None = None
    steps: list[dict[str, Any]] | None = None


@dataclass
class _Checker:
    """Collects errors for one file."""

    file: str
    errors: list[ErrorTuple] = field(default_factory=list)

    def error(self, line: int | None, where: str | None, message: str) -> None:
        self.errors.append((self.file, line, where, message))


def _choice_values(choices: Any) -> set[str]:
    return {str(value) for value in choices.values}


DAY_KINDS = _choice_values(DayKind)
ONLINE_LEVELS = _choice_values(OnlineLevel)
COPY_KINDS = _choice_values(CopyKind)
NATIONAL_DBS = _choice_values(NationalDatabase)
ROLES = _choice_values(Role)
UNIT_KINDS = _choice_values(UnitKind)


def parse_date(value: str) -> dt.date | None:
    """A strict YYYY-MM-DD date, or None when it is not one."""
    if not ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# JSON data file
# ---------------------------------------------------------------------------------------------

_PROCEDURE_STRINGS = {
    "agency": 500,
    "eligibility": None,
    "legal_basis": None,
    "result_name": 500,
    "note": None,
    "province_unit": 255,
}
_PROCEDURE_BOOLEANS = {
    "national_code_known": True,
    "full_online_eligible": False,
    "online_payment": False,
    "public_national": False,
    "paper_result": True,
    "internal": False,
    "published": True,
}
_PROCEDURE_DATES = ("announced_on", "effective_on", "public_on")
_PROCEDURE_KEYS = (
    {"code", "name", "field", "duration_days", "day_kind", "fee", "online_level", "levels"}
    | set(_PROCEDURE_STRINGS)
    | set(_PROCEDURE_BOOLEANS)
    | set(_PROCEDURE_DATES)
    | {"components", "fee_lines", "steps", "process"}
)
_COMPONENT_KEYS = {"name", "required", "copy_kind", "quantity", "from_store", "national_db", "document_type"}
_FEE_KEYS = {"name", "amount", "note"}
_STEP_KEYS = {"name", "role", "unit_kind", "time_share"}


def _record_lines(text: str, count: int) -> list[int]:
    """The line on which each element of the top-level "procedures" array starts.

    The file has already parsed as JSON, so walking the array with `raw_decode` cannot fail;
    the positions give error messages a line to point at.
    """
    lines = [1] * count
    match = re.search(r'"procedures"\s*:\s*\[', text)
    if match is None:
        return lines
    decoder = json.JSONDecoder()
    pos = match.end()
    for i in range(count):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        lines[i] = text.count("\n", 0, pos) + 1
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
    return lines


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_steps(steps: Any, check: _Checker, line: int | None, where: str) -> list[dict[str, Any]] | None:
    """Validate a list of process steps; shares must add up to exactly 100."""
    if not isinstance(steps, list) or not steps:
        check.error(line, where, "phải là danh sách bước xử lý, ít nhất một bước")
        return None
    out: list[dict[str, Any]] = []
    total = Decimal(0)
    ok = True
    for j, step in enumerate(steps):
        at = f"{where}[{j}]"
        if not isinstance(step, dict):
            check.error(line, at, "mỗi bước phải là một đối tượng JSON")
            ok = False
            continue
        for key in sorted(set(step) - _STEP_KEYS):
            check.error(line, f"{at}.{key}", "khóa không được hỗ trợ")
            ok = False
        name = step.get("name")
        if not isinstance(name, str) or not name.strip():
            check.error(line, f"{at}.name", "bắt buộc, là chuỗi không rỗng")
            ok = False
        role = step.get("role")
        if role not in ROLES:
            check.error(line, f"{at}.role", f"phải là một trong: {', '.join(sorted(ROLES))}")
            ok = False
        unit_kind = step.get("unit_kind", "")
        if unit_kind != "" and unit_kind not in UNIT_KINDS:
            check.error(line, f"{at}.unit_kind", f"để trống hoặc một trong: {', '.join(sorted(UNIT_KINDS))}")
            ok = False
        share_raw = step.get("time_share")
        share: Decimal | None = None
        if _is_int(share_raw) or isinstance(share_raw, float | str):
            try:
                share = Decimal(str(share_raw))
            except InvalidOperation:
                share = None
        if share is None or not share.is_finite() or share < 0 or share > 100 or share != round(share, 2):
            check.error(
                line, f"{at}.time_share", "phải là số phần trăm từ 0 đến 100, tối đa 2 chữ số thập phân"
            )
            ok = False
        else:
            total += share
        if ok:
            out.append(
                {
                    "order": j + 1,
                    "name": name.strip(),
                    "role": role,
                    "unit_kind": unit_kind,
                    "time_share": share,
                }
            )
    if ok and total != 100:
        check.error(line, where, f"tổng tỷ lệ thời hạn của các bước phải bằng 100 (đang là {total})")
        ok = False
    return out if ok else None


def _check_components(components: Any, check: _Checker, line: int, where: str) -> list[dict[str, Any]] | None:
    if not isinstance(components, list):
        check.error(line, where, "phải là danh sách thành phần hồ sơ")
        return None
    out: list[dict[str, Any]] = []
    ok = True
    for j, comp in enumerate(components):
        at = f"{where}[{j}]"
        if not isinstance(comp, dict):
            check.error(line, at, "mỗi thành phần phải là một đối tượng JSON")
            ok = False
            continue
        for key in sorted(set(comp) - _COMPONENT_KEYS):
            check.error(line, f"{at}.{key}", "khóa không được hỗ trợ")
            ok = False
        name = comp.get("name")
        if not isinstance(name, str) or not name.strip():
            check.error(line, f"{at}.name", "bắt buộc, là chuỗi không rỗng")
            ok = False
        elif len(name) > 500:
            check.error(line, f"{at}.name", "dài quá 500 ký tự")
            ok = False
        for key, default in (("required", True), ("from_store", False)):
            if not isinstance(comp.get(key, default), bool):
                check.error(line, f"{at}.{key}", "phải là true hoặc false")
                ok = False
        if comp.get("copy_kind", CopyKind.ORIGINAL) not in COPY_KINDS:
            check.error(line, f"{at}.copy_kind", f"phải là một trong: {', '.join(sorted(COPY_KINDS))}")
            ok = False
        quantity = comp.get("quantity", 1)
        if not _is_int(quantity) or not 1 <= quantity <= 100:
            check.error(line, f"{at}.quantity", "phải là số nguyên từ 1 đến 100")
            ok = False
        if comp.get("national_db", "") not in NATIONAL_DBS:
            allowed = ", ".join(sorted(v for v in NATIONAL_DBS if v))
            check.error(line, f"{at}.national_db", f"để trống hoặc một trong: {allowed}")
            ok = False
        doc_type = comp.get("document_type", "")
        if not isinstance(doc_type, str) or not DOCUMENT_TYPE.match(doc_type) or len(doc_type) > 64:
            check.error(line, f"{at}.document_type", "chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới")
            ok = False
        if ok:
            out.append(
                {
                    "order": j + 1,
                    "name": name.strip(),
                    "required": comp.get("required", True),
                    "copy_kind": comp.get("copy_kind", str(CopyKind.ORIGINAL)),
                    "quantity": quantity,
                    "from_store": comp.get("from_store", False),
                    "national_db": comp.get("national_db", ""),
                    "document_type": doc_type,
                }
            )
    return out if ok else None


def _check_fee_lines(fee_lines: Any, check: _Checker, line: int, where: str) -> list[dict[str, Any]] | None:
    if not isinstance(fee_lines, list):
        check.error(line, where, "phải là danh sách khoản phí, lệ phí")
        return None
    out: list[dict[str, Any]] = []
    ok = True
    for j, fee in enumerate(fee_lines):
        at = f"{where}[{j}]"
        if not isinstance(fee, dict):
            check.error(line, at, "mỗi khoản thu phải là một đối tượng JSON")
            ok = False
            continue
        for key in sorted(set(fee) - _FEE_KEYS):
            check.error(line, f"{at}.{key}", "khóa không được hỗ trợ")
            ok = False
        name = fee.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            check.error(line, f"{at}.name", "bắt buộc, là chuỗi không rỗng, tối đa 255 ký tự")
            ok = False
        amount = fee.get("amount")
        if not _is_int(amount) or amount < 0:
            check.error(line, f"{at}.amount", "phải là số nguyên đồng không âm")
            ok = False
        note = fee.get("note", "")
        if not isinstance(note, str) or len(note) > 500:
            check.error(line, f"{at}.note", "phải là chuỗi, tối đa 500 ký tự")
            ok = False
        if ok:
            out.append({"order": j + 1, "name": name.strip(), "amount": amount, "note": note})
    return out if ok else None


def _check_json_procedure(
    raw: Any, index: int, line: int, templates: dict[str, list[dict[str, Any]]], check: _Checker
) -> ProcedureRecord | None:
    where = f"procedures[{index}]"
    if not isinstance(raw, dict):
        check.error(line, where, "mỗi thủ tục phải là một đối tượng JSON")
        return None
    before = len(check.errors)
    for key in sorted(set(raw) - _PROCEDURE_KEYS):
        check.error(line, f"{where}.{key}", "khóa không được hỗ trợ")

    values: dict[str, Any] = {}
    for key, limit in (("code", 64), ("name", 500), ("field", 255)):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            check.error(line, f"{where}.{key}", "bắt buộc, là chuỗi không rỗng")
        elif len(value.strip()) > limit:
            check.error(line, f"{where}.{key}", f"dài quá {limit} ký tự")
        else:
            values[key] = value.strip()

    duration = raw.get("duration_days")
    if not _is_int(duration) or duration < 0:
        check.error(line, f"{where}.duration_days", "bắt buộc, là số nguyên không âm (0 = trong ngày)")
    else:
        values["duration_days"] = duration
    values["day_kind"] = raw.get("day_kind", str(DayKind.WORKING))
    if values["day_kind"] not in DAY_KINDS:
        check.error(line, f"{where}.day_kind", f"phải là một trong: {', '.join(sorted(DAY_KINDS))}")
    values["online_level"] = raw.get("online_level", str(OnlineLevel.NONE))
    if values["online_level"] not in ONLINE_LEVELS:
        check.error(line, f"{where}.online_level", f"phải là một trong: {', '.join(sorted(ONLINE_LEVELS))}")

    for key, default in _PROCEDURE_BOOLEANS.items():
        value = raw.get(key, default)
        if not isinstance(value, bool):
            check.error(line, f"{where}.{key}", "phải là true hoặc false")
        values[key] = value
    code = values.get("code")
    if code and values["national_code_known"] is True and not NATIONAL_CODE.match(code):
        check.error(
            line,
            f"{where}.code",
            "mã TTHC quốc gia có dạng 1.001193; với mã nội bộ hãy đặt national_code_known: false",
        )

    for key in _PROCEDURE_DATES:
        value = raw.get(key)
        if value is None:
            values[key] = None
        elif not isinstance(value, str) or parse_date(value) is None:
            check.error(line, f"{where}.{key}", "phải là ngày dạng YYYY-MM-DD hoặc null")
        else:
            values[key] = parse_date(value)

    for key, limit in _PROCEDURE_STRINGS.items():
        value = raw.get(key, "")
        if not isinstance(value, str):
            check.error(line, f"{where}.{key}", "phải là chuỗi")
        elif limit is not None and len(value) > limit:
            check.error(line, f"{where}.{key}", f"dài quá {limit} ký tự")
    unit_name = raw.get("province_unit", "")
    values["agency"] = raw.get("agency", "")
    values["eligibility"] = raw.get("eligibility", "")
    values["legal_basis"] = raw.get("legal_basis", "")
    values["result_name"] = raw.get("result_name", "")
    values["source_note"] = raw.get("note", "")

    levels = raw.get("levels")
    if (
        not isinstance(levels, list)
        or not levels
        or any(level not in LEVELS for level in levels)
        or len(set(levels)) != len(levels)
    ):
        check.error(line, f"{where}.levels", "bắt buộc, danh sách khác rỗng gồm province, district, commune")
    else:
        for level in LEVELS:
            values[f"at_{level}"] = level in levels

    components = _check_components(raw.get("components", []), check, line, f"{where}.components")
    fee_lines = _check_fee_lines(raw.get("fee_lines", []), check, line, f"{where}.fee_lines")

    fee = raw.get("fee")
    if fee is None:
        values["fee"] = sum(f["amount"] for f in fee_lines) if fee_lines else 0
    elif not _is_int(fee) or fee < 0:
        check.error(line, f"{where}.fee", "phải là số nguyên đồng không âm")
    else:
        values["fee"] = fee
        if fee_lines and sum(f["amount"] for f in fee_lines) != fee:
            total = sum(f["amount"] for f in fee_lines)
            check.error(line, f"{where}.fee", f"phải bằng tổng các khoản phí, lệ phí ({total})")

    steps: list[dict[str, Any]] | None = None
    if "steps" in raw and "process" in raw:
        check.error(line, f"{where}.process", "chỉ dùng một trong hai: steps hoặc process")
    elif "steps" in raw:
        steps = _check_steps(raw["steps"], check, line, f"{where}.steps")
    elif "process" in raw:
        if raw["process"] not in templates:
            check.error(
                line, f"{where}.process", f"không có mẫu quy trình '{raw['process']}' trong process_templates"
            )
        else:
            steps = [dict(step) for step in templates[raw["process"]]]
    else:
        check.error(line, f"{where}.steps", "bắt buộc: steps hoặc process (quy trình nội bộ)")

    if len(check.errors) != before:
        return None
    return ProcedureRecord(
        line=line,
        fields=values,
        # A JSON record is complete: its unit is set (or cleared) like every other field.
        present={*values, "province_unit"},
        province_unit_name=unit_name.strip() or None,
        components=components,
        fee_lines=fee_lines,
        steps=steps,
    )


def read_json_catalog(path: Path, label: str | None = None) -> tuple[list[ProcedureRecord], list[ErrorTuple]]:
    """Parse and validate a `motcua-catalog` JSON file. Returns the records and every error found."""
    check = _Checker(label or str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        check.error(None, None, f"không đọc được tệp: {exc}")
        return [], check.errors
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        check.error(exc.lineno, None, f"JSON không hợp lệ: {exc.msg} (cột {exc.colno})")
        return [], check.errors
    if not isinstance(doc, dict):
        check.error(1, None, "tệp phải là một đối tượng JSON có khóa procedures")
        return [], check.errors
    if doc.get("format") != FORMAT:
        check.error(1, "format", f"phải là '{FORMAT}'")
    if doc.get("version") != VERSION:
        check.error(1, "version", f"phiên bản định dạng được hỗ trợ: {VERSION}")
    for key in sorted(set(doc) - {"format", "version", "description", "process_templates", "procedures"}):
        check.error(1, key, "khóa không được hỗ trợ")

    templates: dict[str, list[dict[str, Any]]] = {}
    raw_templates = doc.get("process_templates", {})
    if not isinstance(raw_templates, dict):
        check.error(1, "process_templates", "phải là đối tượng: tên mẫu → danh sách bước")
    else:
        for name, steps in raw_templates.items():
            checked = _check_steps(steps, check, 1, f"process_templates.{name}")
            if checked is not None:
                templates[name] = checked

    procedures = doc.get("procedures")
    if not isinstance(procedures, list):
        check.error(1, "procedures", "bắt buộc, là danh sách thủ tục")
        return [], check.errors

    lines = _record_lines(text, len(procedures))
    records: list[ProcedureRecord] = []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(procedures):
        record = _check_json_procedure(raw, index, lines[index], templates, check)
        code = raw.get("code") if isinstance(raw, dict) else None
        if isinstance(code, str) and code.strip():
            code = code.strip()
            if code in first_line:
                check.error(
                    lines[index], f"procedures[{index}].code", f"mã {code} trùng với dòng {first_line[code]}"
                )
            else:
                first_line[code] = lines[index]
        if record is not None:
            records.append(record)
    return records, check.errors


# ---------------------------------------------------------------------------------------------
# Exchange procedures.csv
# ---------------------------------------------------------------------------------------------

CSV_REQUIRED = ("code", "name", "field", "duration_days")
CSV_BOOLEANS = (
    "full_online_eligible",
    "online_payment",
    "public_national",
    "paper_result",
    "internal",
    "published",
)
_TRUE = {"1", "true"}
_FALSE = {"0", "false"}


def read_csv_catalog(path: Path, label: str | None = None) -> tuple[list[ProcedureRecord], list[ErrorTuple]]:
    """Parse and validate an exchange-bundle `procedures.csv`. Returns the records and every error."""
    check = _Checker(label or str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        check.error(None, None, f"không đọc được tệp: {exc}")
        return [], check.errors
    return _read_csv_text(text, check)


def _read_csv_text(text: str, check: _Checker) -> tuple[list[ProcedureRecord], list[ErrorTuple]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    for column in CSV_REQUIRED:
        if column not in header:
            check.error(1, column, "thiếu cột bắt buộc")
    if check.errors:
        return [], check.errors

    known = set(CSV_REQUIRED) | {"day_kind", "fee", "online_level", *CSV_BOOLEANS}
    known |= {"announced_on", "effective_on", "public_on"}
    columns = known & set(header)
    records: list[ProcedureRecord] = []
    first_line: dict[str, int] = {}
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            record = _check_csv_row(row, line, columns, check, first_line)
            if record is not None:
                records.append(record)
    except csv.Error as exc:
        check.error(line + 1, None, f"CSV không hợp lệ: {exc}")
    return records, check.errors


def _check_csv_row(
    row: dict[str, Any], line: int, columns: set[str], check: _Checker, first_line: dict[str, int]
) -> ProcedureRecord | None:
    before = len(check.errors)
    if None in row:
        check.error(line, None, "dòng có nhiều giá trị hơn số cột")
    cell = {key: (row.get(key) or "").strip() for key in columns}
    values: dict[str, Any] = {}

    for key, limit in (("code", 64), ("name", 500), ("field", 255)):
        if not cell[key]:
            check.error(line, key, "bắt buộc")
        elif len(cell[key]) > limit:
            check.error(line, key, f"dài quá {limit} ký tự")
        else:
            values[key] = cell[key]
    code = values.get("code")
    if code:
        if code in first_line:
            check.error(line, "code", f"mã {code} trùng với dòng {first_line[code]}")
        else:
            first_line[code] = line

    if not cell["duration_days"].isdigit():
        check.error(line, "duration_days", "phải là số nguyên không âm (0 = trong ngày)")
    else:
        values["duration_days"] = int(cell["duration_days"])

    if "day_kind" in columns:
        values["day_kind"] = cell["day_kind"] or str(DayKind.WORKING)
        if values["day_kind"] not in DAY_KINDS:
            check.error(line, "day_kind", f"để trống hoặc một trong: {', '.join(sorted(DAY_KINDS))}")
    if "fee" in columns:
        if cell["fee"] and not cell["fee"].isdigit():
            check.error(line, "fee", "phải là số nguyên đồng không âm")
        else:
            values["fee"] = int(cell["fee"] or 0)
    if "online_level" in columns:
        values["online_level"] = cell["online_level"] or str(OnlineLevel.NONE)
        if values["online_level"] not in ONLINE_LEVELS:
            check.error(line, "online_level", f"để trống hoặc một trong: {', '.join(sorted(ONLINE_LEVELS))}")
    for key in CSV_BOOLEANS:
        if key not in columns or cell[key] == "":
            continue
        flag = cell[key].lower()
        if flag in _TRUE:
            values[key] = True
        elif flag in _FALSE:
            values[key] = False
        else:
            check.error(line, key, "phải là 1/0 hoặc true/false")
    for key in ("announced_on", "effective_on", "public_on"):
        if key not in columns:
            continue
        if not cell[key]:
            values[key] = None
        elif parse_date(cell[key]) is None:
            check.error(line, key, "phải là ngày dạng YYYY-MM-DD hoặc để trống")
        else:
            values[key] = parse_date(cell[key])

    if len(check.errors) != before:
        return None
    return ProcedureRecord(line=line, fields=values, present=set(values))
