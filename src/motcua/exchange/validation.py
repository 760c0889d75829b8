"""The first pass of an import: check the whole bundle and list every error before anything is written.

Units and procedures are small and kept as parsed records. `dossiers.jsonl` is streamed: of each
line only an 8-byte hash of its code is kept (`CodeHashes`, to find codes repeated in the bundle),
never the record or the code itself, so ten million dossiers cost some 80 MB.
"""

from __future__ import annotations

import csv
import datetime as dt
from array import array
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.errors import LoadError
from motcua.exchange.bundle import DOSSIERS, MANIFEST, PROCEDURES, REPORTED, REQUIRED_FILES, UNITS, Bundle
from motcua.exchange.formats import parse_timestamp
from motcua.exchange.records import (
    PROCEDURE_REQUIRED,
    UNIT_REQUIRED,
    DossierRecord,
    ProcedureRecord,
    UnitRecord,
    parse_dossier,
    parse_procedure_row,
    parse_unit_row,
)
from motcua.orgs.models import Unit

FORMAT = "motcua-exchange"
VERSION = 1
# Lines per batch of the first pass's check (`check_dossiers`): the records of one batch are held
# until it is done, and the check needs none of them, so few.
CHECK_BATCH = 500
# Beyond this many errors the rest are counted, not listed, so a wholly wrong file cannot exhaust memory.
MAX_LISTED_ERRORS = 10_000

ErrorRow = tuple[str, int | None, str | None, str]


class ErrorList:
    """The errors found so far, in the (file, line, field, message) form of `LoadError`."""

    def __init__(self, limit: int = MAX_LISTED_ERRORS) -> None:
        self.rows: list[ErrorRow] = []
        self.limit = limit
        self.unlisted = 0

    def add(self, file: str, line: int | None, field: str | None, message: str) -> None:
        if len(self.rows) < self.limit:
            self.rows.append((file, line, field, message))
        else:
            self.unlisted += 1

    def __bool__(self) -> bool:
        return bool(self.rows)

    def insert_in_line_order(self, file: str, rows: list[ErrorRow]) -> None:
        """Add `rows` of `file` where a single pass would have listed them: after the errors of
        `file` on the same or earlier lines (a stable sort of that file's rows by line)."""
        for row in rows:
            self.add(*row)
        mine = sorted((r for r in self.rows if r[0] == file), key=lambda r: r[1] or 0)
        places = iter(mine)
        self.rows = [next(places) if r[0] == file else r for r in self.rows]

    def raise_if_any(self) -> None:
        if not self.rows:
            return
        rows = list(self.rows)
        if self.unlisted:
            rows.append(("-", None, None, _("và %(n)d lỗi khác không liệt kê") % {"n": self.unlisted}))
        raise LoadError(rows)


@dataclass
class Manifest:
    """manifest.json."""

    as_of: dt.datetime
    province: str


@dataclass
class CheckedBundle:
    """What the first pass learnt: the manifest, units, procedures and how many dossiers there are."""

    manifest: Manifest
    units: list[UnitRecord]
    procedures: list[ProcedureRecord]
    dossier_count: int = 0
    has_reported: bool = False


def read_csv(
    bundle: Bundle, name: str, required: tuple[str, ...], errors: ErrorList
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for every data row of a CSV file, cells stripped, keyed by the header.

    Problems with the file itself (no header, missing required columns, a row with the wrong number
    of cells, bad UTF-8 or quoting) are added to `errors` and the row is skipped.
    """
    with bundle.open_text(name) as text:
        reader = csv.reader(text, strict=True)
        start = 1
        try:
            header = next(reader, None)
            if header is None:
                errors.add(name, 1, None, _("tệp trống, thiếu dòng tiêu đề"))
                return
            columns = [c.strip() for c in header]
            missing = [c for c in required if c not in columns]
            for column in missing:
                errors.add(name, 1, column, _("thiếu cột bắt buộc"))
            if missing:
                return
            start = reader.line_num + 1
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != len(columns):
                    errors.add(
                        name,
                        line,
                        None,
                        _(
                            "có %(got)d ô, tiêu đề có %(want)d cột (dấu phẩy trong giá trị phải đặt trong ngoặc kép)"
                        )
                        % {"got": len(cells), "want": len(columns)},
                    )
                    continue
                yield line, {c: v.strip() for c, v in zip(columns, cells, strict=True)}
        except UnicodeDecodeError:
            errors.add(name, start, None, _("không phải văn bản UTF-8"))
        except csv.Error as exc:
            errors.add(name, start, None, _("lỗi định dạng CSV: %(e)s") % {"e": exc})


def check_manifest(bundle: Bundle, errors: ErrorList) -> Manifest | None:
    try:
        with bundle.open_binary(MANIFEST) as raw:
            data = orjson.loads(raw.read().removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        errors.add(MANIFEST, None, None, _("không phải JSON hợp lệ: %(e)s") % {"e": exc})
        return None
    if not isinstance(data, dict):
        errors.add(MANIFEST, None, None, _("phải là một đối tượng JSON"))
        return None
    before = len(errors.rows)
    if data.get("format") != FORMAT:
        errors.add(MANIFEST, None, "format", _("phải là “%(f)s”") % {"f": FORMAT})
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        errors.add(
            MANIFEST,
            None,
            "version",
            _("phiên bản “%(v)s” không được hỗ trợ; motcua đọc phiên bản %(want)d")
            % {"v": data.get("version"), "want": VERSION},
        )
    as_of = None
    if data.get("as_of") is None:
        errors.add(MANIFEST, None, "as_of", _("bắt buộc"))
    else:
        try:
            as_of = parse_timestamp(data["as_of"])
        except ValueError as exc:
            errors.add(MANIFEST, None, "as_of", str(exc))
    province = data.get("province")
    if isinstance(province, int) and not isinstance(province, bool):
        province = str(province)
    if not isinstance(province, str) or not province:
        errors.add(MANIFEST, None, "province", _("bắt buộc: mã tỉnh, vd: “42”"))
    else:
        # Any province may be imported into an empty installation; one province's data is never
        # mixed into another's.
        other = Unit.objects.exclude(province_code=province).values_list("province_code", flat=True).first()
        if other is not None:
            errors.add(
                MANIFEST,
                None,
                "province",
                _("gói dữ liệu của tỉnh %(got)s, cơ sở dữ liệu này đã có dữ liệu của tỉnh %(want)s")
                % {"got": province, "want": other},
            )
    if len(errors.rows) > before or as_of is None or not isinstance(province, str):
        return None
    return Manifest(as_of=as_of, province=province)


def check_units(bundle: Bundle, errors: ErrorList) -> tuple[list[UnitRecord], set[str]]:
    """Rows of units.csv that parsed, and every code the file names (for the dossiers' checks)."""
    records: list[UnitRecord] = []
    lines: dict[str, int] = {}
    for line, row in read_csv(bundle, UNITS, UNIT_REQUIRED, errors):
        record, problems = parse_unit_row(line, row)
        for column, message in problems:
            errors.add(UNITS, line, column, message)
        code = row.get("code", "")
        if code and code in lines:
            errors.add(UNITS, line, "code", _("mã đơn vị trùng với dòng %(n)d") % {"n": lines[code]})
            continue
        if code:
            lines[code] = line
        if record is not None:
            records.append(record)

    # Parents: in the bundle or already in the database; the tree the import leaves must have no cycle.
    parents: dict[str, str] = {
        code: parent or "" for code, parent in Unit.objects.values_list("code", "parent__code")
    }
    known = set(parents) | set(lines)
    for record in records:
        if record.parent and record.parent not in known:
            errors.add(UNITS, record.line, "parent", _("không có đơn vị mã “%(c)s”") % {"c": record.parent})
    parents.update({r.code: r.parent for r in records})
    for record in records:
        seen = [record.code]
        code = parents.get(record.code, "")
        while code:
            if code == record.code:
                errors.add(
                    UNITS,
                    record.line,
                    "parent",
                    _("cấp trên tạo thành vòng lặp: %(p)s") % {"p": " → ".join([*seen, code])},
                )
                break
            if code in seen or len(seen) > len(parents):
                break  # a cycle above this unit; it is reported on the units in it
            seen.append(code)
            code = parents.get(code, "")
    return records, set(lines)


def check_procedures(bundle: Bundle, errors: ErrorList) -> tuple[list[ProcedureRecord], set[str]]:
    """Rows of procedures.csv that parsed, and every code the file names."""
    records: list[ProcedureRecord] = []
    lines: dict[str, int] = {}
    for line, row in read_csv(bundle, PROCEDURES, PROCEDURE_REQUIRED, errors):
        record, problems = parse_procedure_row(line, row)
        for column, message in problems:
            errors.add(PROCEDURES, line, column, message)
        code = row.get("code", "")
        if code and code in lines:
            errors.add(PROCEDURES, line, "code", _("mã thủ tục trùng với dòng %(n)d") % {"n": lines[code]})
            continue
        if code:
            lines[code] = line
        if record is not None:
            records.append(record)
    return records, set(lines)


def check_line(
    raw: bytes, unit_codes: Container[str], procedure_codes: Container[str]
) -> tuple[DossierRecord | None, list[tuple[str | None, str]], str | None, bool]:
    """Check one non-blank line of dossiers.jsonl against the known unit and procedure codes.

    Returns (the record, or None when the line has a problem; its problems as (field, message);
    the code it names, for the repeats check; whether it is JSON at all).
    """
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return None, [(None, _("không phải JSON hợp lệ: %(e)s") % {"e": exc})], None, False
    record, parsed = parse_dossier(obj)
    problems: list[tuple[str | None, str]] = list(parsed)
    code: Any
    procedure: Any
    unit: Any
    if record is not None:
        code, procedure, unit = record.code, record.procedure, record.unit
    elif isinstance(obj, dict):
        code, procedure, unit = obj.get("code"), obj.get("procedure"), obj.get("unit")
    else:
        return None, problems, None, True
    if isinstance(procedure, str) and procedure and procedure not in procedure_codes:
        problems.append(("procedure", _("không có thủ tục mã “%(c)s”") % {"c": procedure}))
    if isinstance(unit, str) and unit and unit not in unit_codes:
        problems.append(("unit", _("không có đơn vị mã “%(c)s”") % {"c": unit}))
    return (None if problems else record), problems, (code if isinstance(code, str) and code else None), True


def check_dossiers(
    bundle: Bundle,
    unit_codes: Container[str],
    procedure_codes: Container[str],
    errors: ErrorList,
    advance: Callable[[int], object] | None = None,
) -> int:
    """Stream dossiers.jsonl, adding its problems to `errors`; returns its non-blank lines (the
    dossiers, when there is no error). Keeps only the codes' hashes (`advance`: bytes read)."""
    seen = CodeHashes()
    count = 0
    for batch in checked_batches(bundle, unit_codes, procedure_codes, CHECK_BATCH, advance=advance):
        count += batch.lines
        for problem in batch.problems:
            errors.add(*problem)
        seen.add_hashes(batch.hashes)
    report_repeats(bundle, seen, errors)
    return count


@dataclass
class CheckedBatch:
    """A batch of dossiers.jsonl checked line by line (see `checked_batches`)."""

    first: int  # the position of its first line among the file's non-blank lines, from 0
    lines: int  # the non-blank lines it covers
    records: list[DossierRecord]  # the lines without problems
    problems: list[ErrorRow]
    hashes: array  # of the codes its lines name, for `CodeHashes.add_hashes`


def checked_batches(
    bundle: Bundle,
    unit_codes: Container[str],
    procedure_codes: Container[str],
    size: int,
    part: int = 0,
    parts: int = 1,
    advance: Callable[[int], object] | None = None,
) -> Iterator[CheckedBatch]:
    """dossiers.jsonl in batches of `size` non-blank lines, each line checked as `check_dossiers`
    checks it, with the hashes of the codes named (repeats are found once every batch is in).

    With `parts` > 1, only the batches whose number (from 0) is `part` modulo `parts`: the lines of
    the others are counted, not parsed, so that several processes can share the work. `advance`
    is told the bytes of every line read.
    """
    records: list[DossierRecord] = []
    problems: list[ErrorRow] = []
    hashes = array("q")
    index = taken = 0  # the number of the current batch; non-empty lines in it so far
    for line, raw in bundle.lines(DOSSIERS):
        if advance is not None:
            advance(len(raw))
        if not raw.strip():
            continue
        if index % parts == part:
            record, found, code, _decoded = check_line(raw, unit_codes, procedure_codes)
            if record is not None:
                records.append(record)
            for name, message in found:
                problems.append((DOSSIERS, line, name, message))
            if code is not None:
                hashes.append(hash(code))
        taken += 1
        if taken == size:
            if index % parts == part:
                yield CheckedBatch(index * size, taken, records, problems, hashes)
                records, problems, hashes = [], [], array("q")
            index, taken = index + 1, 0
    if taken and index % parts == part:
        yield CheckedBatch(index * size, taken, records, problems, hashes)


class CodeHashes:
    """The hashes of the codes seen, 8 bytes each, in 256 arrays (by the hash's low byte).

    `repeated()` gives the hashes seen more than once: every repeated code, and, very rarely (two
    different codes among millions sharing a 64-bit hash), a false alarm that the second pass over
    the file, comparing the codes themselves, drops.
    """

    def __init__(self) -> None:
        self.buckets = [array("q") for _ in range(256)]

    def add(self, code: str) -> None:
        h = hash(code)  # stable within the process (and its forks), which is all this needs
        self.buckets[h & 255].append(h)

    def add_hashes(self, hashes: array) -> None:
        """Add hashes made by `hash(code)` (in this process or one forked from it: the same key)."""
        buckets = self.buckets
        for h in hashes:
            buckets[h & 255].append(h)

    def repeated(self) -> set[int]:
        out: set[int] = set()
        for bucket in self.buckets:
            ordered = sorted(bucket)
            out.update(a for a, b in zip(ordered, ordered[1:], strict=False) if a == b)
        return out


def report_repeats(bundle: Bundle, seen: CodeHashes, errors: ErrorList) -> None:
    """List the lines repeating an earlier line's code, once every code's hash is in `seen`."""
    repeated = seen.repeated()
    if repeated:
        _report_repeated_codes(bundle, repeated, errors)


def _report_repeated_codes(bundle: Bundle, repeated: set[int], errors: ErrorList) -> None:
    """A second pass over dossiers.jsonl for the codes whose hash was seen twice: each line that
    repeats a code of an earlier line is an error naming that line, at its place in the list."""
    first: dict[str, int] = {}
    found: list[ErrorRow] = []
    for line, raw in bundle.lines(DOSSIERS):
        if not raw.strip():
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        code = obj.get("code") if isinstance(obj, dict) else None
        if not isinstance(code, str) or not code or hash(code) not in repeated:
            continue
        earlier = first.setdefault(code, line)
        if earlier != line:
            found.append((DOSSIERS, line, "code", _("mã hồ sơ trùng với dòng %(n)d") % {"n": earlier}))
    errors.insert_in_line_order(DOSSIERS, found)


def check_bundle(
    bundle: Bundle,
    errors: ErrorList,
    advance: Callable[[int], object] | None = None,
    *,
    dossiers: bool = True,
) -> CheckedBundle | None:
    """Check every file of the bundle, adding every problem to `errors`.

    Returns what the write pass needs, or None when a required file is missing or the manifest is
    unusable (the other files are still checked, so one run lists everything). `dossiers` False
    leaves dossiers.jsonl to the write pass, which checks it as it goes (`checked_batches`).
    """
    for name in REQUIRED_FILES:
        if not bundle.has(name):
            errors.add(name, None, None, _("thiếu tệp bắt buộc"))
    manifest = check_manifest(bundle, errors) if bundle.has(MANIFEST) else None
    units, unit_codes = check_units(bundle, errors) if bundle.has(UNITS) else ([], set())
    procedures, procedure_codes = check_procedures(bundle, errors) if bundle.has(PROCEDURES) else ([], set())
    unit_codes |= set(Unit.objects.values_list("code", flat=True))
    procedure_codes |= set(Procedure.objects.values_list("code", flat=True))
    count = 0
    if dossiers and bundle.has(DOSSIERS):
        count = check_dossiers(bundle, unit_codes, procedure_codes, errors, advance)
    if manifest is None or not all(bundle.has(name) for name in REQUIRED_FILES):
        return None
    return CheckedBundle(
        manifest=manifest,
        units=units,
        procedures=procedures,
        dossier_count=count,
        has_reported=bundle.has(REPORTED),
    )
