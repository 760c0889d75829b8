"""The units CSV format (exchange bundle `units.csv`) and the unit files shipped with motcua.

Columns: `code,name,kind,level,parent` (required) and `admin_code,valid_from,valid_to,merged_into,note`
(optional). Unknown columns are ignored, a UTF-8 byte-order mark is accepted (docs/units.md).

`read_unit_files` checks every row of every file before anything is loaded and reports every
problem as (file, line, field, message); it never stops at the first one.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from motcua.errors import InvalidInput, LoadError
from motcua.orgs.choices import UnitKind, UnitLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
REQUIRED_COLUMNS = ("code", "name", "kind", "level", "parent")
OPTIONAL_COLUMNS = ("admin_code", "valid_from", "valid_to", "merged_into", "note")
# Field widths of orgs.Unit, checked here so a long value is a reported error, not a database failure.
MAX_LENGTH = {"code": 64, "name": 255, "admin_code": 16}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class UnitRow:
    """One checked row of a units file, with where it came from."""

    file: str
    line: int
    code: str
    name: str
    kind: str
    level: str
    parent: str
    admin_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    merged_into: str
    note: str


def shipped_files(province: str) -> list[Path]:
    """The unit files motcua ships for `province` (its administrative code), in loading order.

    Files are read in name order; the order does not matter for parents, which may be defined in
    any file of the set.
    """
    folder = DATA_DIR / province
    files = sorted(folder.glob("*.csv")) if province.isdigit() and folder.is_dir() else []
    if not files:
        raise InvalidInput(f"no shipped data for province {province}", field="province")
    return files


def read_unit_files(paths: Sequence[Path], *, known_codes: Iterable[str] = ()) -> list[UnitRow]:
    """Read and check unit files together; raise `LoadError` listing every error found.

    `known_codes` are codes already in the database: a `parent` or `merged_into` may name one.
    """
    errors: list[tuple[str, int | None, str | None, str]] = []
    rows: list[UnitRow] = []
    for path in paths:
        rows.extend(_read_one(path, errors))
    _check_references(rows, set(known_codes), errors)
    if errors:
        order = {display_name(p): i for i, p in enumerate(paths)}
        errors.sort(key=lambda e: (order.get(e[0], len(order)), e[1] or 0))
        raise LoadError(errors)
    return rows


def display_name(path: Path) -> str:
    """How a file is named in error messages: shipped files relative to the data folder."""
    try:
        return str(path.resolve().relative_to(DATA_DIR))
    except ValueError:
        return str(path)


def _read_one(path: Path, errors: list) -> list[UnitRow]:
    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        errors.append((name, None, None, "file not found"))
        return []
    except UnicodeDecodeError as exc:
        errors.append((name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return []
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        errors.append((name, 1, column, "required column is missing"))
    if missing:
        return []
    rows = []
    line = 1
    for record in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in record.items() if k is not None):
            continue  # a blank line
        row = _check_row(name, line, record, errors)
        if row is not None:
            rows.append(row)
    return rows


def _check_row(name: str, line: int, record: dict, errors: list) -> UnitRow | None:
    def value(column: str) -> str:
        return (record.get(column) or "").strip()

    for column in ("code", "name", "kind", "level"):
        if not value(column):
            errors.append((name, line, column, "must not be empty"))
    for column, limit in MAX_LENGTH.items():
        if len(value(column)) > limit:
            errors.append((name, line, column, f"longer than {limit} characters"))
    if value("kind") and value("kind") not in UnitKind.values:
        errors.append(
            (name, line, "kind", f"unknown kind {value('kind')!r} (one of {', '.join(UnitKind.values)})")
        )
    if value("level") and value("level") not in UnitLevel.values:
        errors.append(
            (name, line, "level", f"unknown level {value('level')!r} (one of {', '.join(UnitLevel.values)})")
        )
    dates = {}
    for column in ("valid_from", "valid_to"):
        dates[column] = _date(value(column), name, line, column, errors)
    if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
        errors.append((name, line, "valid_to", "is before valid_from"))
    if value("merged_into") and not value("valid_to"):
        errors.append((name, line, "valid_to", "a unit with merged_into needs the last day it was in force"))
    if value("merged_into") and value("merged_into") == value("code"):
        errors.append((name, line, "merged_into", "a unit cannot merge into itself"))
    if value("parent") and value("parent") == value("code"):
        errors.append((name, line, "parent", "a unit cannot be its own parent"))
    if not value("code"):
        return None
    # A row with errors still takes part in the cross-row checks (duplicates, references), so one
    # run reports everything; `read_unit_files` then loads nothing.
    return UnitRow(
        file=name,
        line=line,
        code=value("code"),
        name=value("name"),
        kind=value("kind"),
        level=value("level"),
        parent=value("parent"),
        admin_code=value("admin_code"),
        valid_from=dates["valid_from"],
        valid_to=dates["valid_to"],
        merged_into=value("merged_into"),
        note=value("note"),
    )


def _date(text: str, name: str, line: int, column: str, errors: list) -> dt.date | None:
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append((name, line, column, f"not a date YYYY-MM-DD: {text!r}"))
        return None


def _check_references(rows: list[UnitRow], known: set[str], errors: list) -> None:
    """Duplicate codes, parents and successors that exist, no parent cycles, successors in force."""
    first: dict[str, UnitRow] = {}
    for row in rows:
        if row.code in first:
            seen = first[row.code]
            errors.append(
                (
                    row.file,
                    row.line,
                    "code",
                    f"duplicate code {row.code!r} (first at {seen.file}:{seen.line})",
                )
            )
        else:
            first[row.code] = row
    codes = set(first) | known
    for row in rows:
        if row.parent and row.parent not in codes:
            errors.append((row.file, row.line, "parent", f"unknown parent unit {row.parent!r}"))
        if row.merged_into and row.merged_into not in codes:
            errors.append((row.file, row.line, "merged_into", f"unknown unit {row.merged_into!r}"))
        successor = first.get(row.merged_into)
        if successor is not None and row.valid_to is not None:
            day_after = row.valid_to + dt.timedelta(days=1)
            if successor.valid_from and successor.valid_from > day_after:
                errors.append(
                    (
                        row.file,
                        row.line,
                        "merged_into",
                        f"{row.merged_into!r} is not yet in force on {day_after}",
                    )
                )
            if successor.valid_to and successor.valid_to < day_after:
                errors.append(
                    (
                        row.file,
                        row.line,
                        "merged_into",
                        f"{row.merged_into!r} is no longer in force on {day_after}",
                    )
                )
    for row in rows:
        if row.parent == row.code:
            continue  # reported as its own parent
        seen_codes = {row.code}
        parent = first.get(row.parent)
        while parent is not None and parent.code not in seen_codes:
            seen_codes.add(parent.code)
            parent = first.get(parent.parent)
        # Report the rows on the loop itself, not those that merely hang below it.
        if parent is not None and parent.code == row.code:
            errors.append(
                (row.file, row.line, "parent", f"the parent chain of {row.code!r} loops back to it")
            )
