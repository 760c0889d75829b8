"""The rows of a bundle, parsed and checked one at a time.

Each `parse_*` function turns one CSV row or one JSON object into a record of plain Python values
and a list of `(field, message)` problems. Checks that need more than one row (unique codes,
known parents and procedures, cycles) are made by `motcua.exchange.validation`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.choices import ApplicantKind
from motcua.catalog.choices import DayKind, OnlineLevel
from motcua.dossiers.choices import Channel, DocumentSource, Outcome, Rating
from motcua.exchange.formats import (
    MAX_MONEY,
    VIETNAM,
    parse_csv_bool,
    parse_date,
    parse_money,
    parse_timestamp,
    parse_whole_number,
)
from motcua.orgs.choices import UnitKind, UnitLevel

Problems = list[tuple[str, str]]

UNIT_KINDS = frozenset(UnitKind.values)
UNIT_LEVELS = frozenset(UnitLevel.values)
DAY_KINDS = frozenset(DayKind.values)
ONLINE_LEVELS = frozenset(OnlineLevel.values)
CHANNELS = frozenset(Channel.values)
OUTCOMES = frozenset(Outcome.values)
RATINGS = frozenset(Rating.values)
DOCUMENT_SOURCES = frozenset(DocumentSource.values)
APPLICANT_KINDS = frozenset(ApplicantKind.values)

# Column lengths of the tables the records go to; longer values are refused, not cut.
CODE_MAX = 64
NAME_MAX = 255
PROCEDURE_NAME_MAX = 500
FIELD_MAX = 255
COMPONENT_MAX = 500
APPLICANT_ID_MAX = 20
# Bounds that keep every computed due date inside the working-day calendar (1990–2100).
DURATION_MAX = 1000
FIRST_YEAR = 1990
LAST_YEAR = 2090


def _choices_text(values: frozenset[str]) -> str:
    return ", ".join(sorted(values))


@dataclass(slots=True)
class UnitRecord:
    """One row of units.csv."""

    line: int
    code: str
    name: str
    kind: str
    level: str
    parent: str  # parent code, "" for a root


@dataclass(slots=True)
class ProcedureRecord:
    """One row of procedures.csv; `values` maps catalog.Procedure field names to parsed values."""

    line: int
    code: str
    values: dict[str, Any]


@dataclass(slots=True)
class DossierRecord:
    """One line of dossiers.jsonl with defaults filled in."""

    code: str
    procedure: str
    unit: str
    channel: str
    applicant_kind: str
    applicant_id: str
    applicant_vneid: bool
    received_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    outcome: str | None
    supplements: list[tuple[dt.datetime, dt.datetime | None]]
    documents: list[tuple[str, str, bool, bool]]  # (component, source, available, digitized)
    result_electronic: bool
    result_digitized: bool
    result_to_store: bool
    payments: list[tuple[int, bool, dt.datetime | None]]  # (amount, online, paid_at)
    rating: str | None
    complaint: bool
    synced: bool


UNIT_REQUIRED = ("code", "name", "kind", "level")
UNIT_COLUMNS = (*UNIT_REQUIRED, "parent")


def parse_unit_row(line: int, row: dict[str, str]) -> tuple[UnitRecord | None, Problems]:
    problems: Problems = []
    for column in UNIT_REQUIRED:
        if not row.get(column):
            problems.append((column, _("bắt buộc, không được để trống")))
    code, name, kind, level = (
        row.get("code", ""),
        row.get("name", ""),
        row.get("kind", ""),
        row.get("level", ""),
    )
    if len(code) > CODE_MAX:
        problems.append(("code", _("dài quá %(n)d ký tự") % {"n": CODE_MAX}))
    if len(name) > NAME_MAX:
        problems.append(("name", _("dài quá %(n)d ký tự") % {"n": NAME_MAX}))
    if kind and kind not in UNIT_KINDS:
        problems.append(
            (
                "kind",
                _("“%(v)s” không hợp lệ; dùng một trong: %(c)s")
                % {"v": kind, "c": _choices_text(UNIT_KINDS)},
            )
        )
    if level and level not in UNIT_LEVELS:
        problems.append(
            (
                "level",
                _("“%(v)s” không hợp lệ; dùng một trong: %(c)s")
                % {"v": level, "c": _choices_text(UNIT_LEVELS)},
            )
        )
    parent = row.get("parent", "")
    if parent and parent == code:
        problems.append(("parent", _("đơn vị không thể là cấp trên của chính nó")))
    if problems:
        return None, problems
    return UnitRecord(line, code, name, kind, level, parent), problems


PROCEDURE_REQUIRED = ("code", "name", "duration_days")
PROCEDURE_BOOLEANS = (
    "full_online_eligible",
    "online_payment",
    "public_national",
    "paper_result",
    "internal",
    "published",
)
PROCEDURE_DATES = ("announced_on", "effective_on", "public_on")
PROCEDURE_COLUMNS = (
    "code",
    "name",
    "field",
    "duration_days",
    "day_kind",
    "fee",
    "online_level",
    *PROCEDURE_BOOLEANS,
    *PROCEDURE_DATES,
)
# What an absent column or an empty cell means (catalog.Procedure's own defaults).
PROCEDURE_DEFAULTS: dict[str, Any] = {
    "field": "",
    "day_kind": DayKind.WORKING.value,
    "fee": 0,
    "online_level": OnlineLevel.NONE.value,
    "full_online_eligible": False,
    "online_payment": False,
    "public_national": False,
    "paper_result": True,
    "internal": False,
    "published": True,
    "announced_on": None,
    "effective_on": None,
    "public_on": None,
}


def parse_procedure_row(line: int, row: dict[str, str]) -> tuple[ProcedureRecord | None, Problems]:
    problems: Problems = []
    for column in PROCEDURE_REQUIRED:
        if not row.get(column):
            problems.append((column, _("bắt buộc, không được để trống")))
    code = row.get("code", "")
    values: dict[str, Any] = dict(PROCEDURE_DEFAULTS)
    values["name"] = row.get("name", "")
    if len(code) > CODE_MAX:
        problems.append(("code", _("dài quá %(n)d ký tự") % {"n": CODE_MAX}))
    if len(values["name"]) > PROCEDURE_NAME_MAX:
        problems.append(("name", _("dài quá %(n)d ký tự") % {"n": PROCEDURE_NAME_MAX}))
    if row.get("field"):
        values["field"] = row["field"]
        if len(values["field"]) > FIELD_MAX:
            problems.append(("field", _("dài quá %(n)d ký tự") % {"n": FIELD_MAX}))
    for column in ("duration_days", "fee"):
        if row.get(column):
            try:
                values[column] = parse_whole_number(row[column])
            except ValueError as exc:
                problems.append((column, str(exc)))
    if isinstance(values.get("duration_days"), int) and values["duration_days"] > DURATION_MAX:
        problems.append(("duration_days", _("lớn quá %(n)d ngày") % {"n": DURATION_MAX}))
    for column, allowed in (("day_kind", DAY_KINDS), ("online_level", ONLINE_LEVELS)):
        if row.get(column):
            if row[column] in allowed:
                values[column] = row[column]
            else:
                problems.append(
                    (
                        column,
                        _("“%(v)s” không hợp lệ; dùng một trong: %(c)s")
                        % {"v": row[column], "c": _choices_text(allowed)},
                    )
                )
    for column in PROCEDURE_BOOLEANS:
        if row.get(column):
            try:
                values[column] = parse_csv_bool(row[column])
            except ValueError as exc:
                problems.append((column, str(exc)))
    for column in PROCEDURE_DATES:
        if row.get(column):
            try:
                values[column] = parse_date(row[column])
            except ValueError as exc:
                problems.append((column, str(exc)))
    if problems:
        return None, problems
    return ProcedureRecord(line, code, values), problems


def _string(
    obj: dict[str, Any], key: str, problems: Problems, *, required: bool, limit: int, path: str = ""
) -> str:
    value = obj.get(key)
    field = path + key
    if value is None or value == "":
        if required:
            problems.append((field, _("bắt buộc")))
        return ""
    if not isinstance(value, str):
        problems.append((field, _("phải là một chuỗi")))
        return ""
    if len(value) > limit:
        problems.append((field, _("dài quá %(n)d ký tự") % {"n": limit}))
    return value


def _choice(
    obj: dict[str, Any],
    key: str,
    allowed: frozenset[str],
    problems: Problems,
    *,
    required: bool,
    path: str = "",
) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            problems.append((path + key, _("bắt buộc")))
        return None
    if not isinstance(value, str) or value not in allowed:
        problems.append(
            (
                path + key,
                _("“%(v)s” không hợp lệ; dùng một trong: %(c)s") % {"v": value, "c": _choices_text(allowed)},
            )
        )
        return None
    return value


def _bool(obj: dict[str, Any], key: str, default: bool, problems: Problems, path: str = "") -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if value is True or value is False:
        return value
    problems.append((path + key, _("phải là true hoặc false")))
    return default


def _time(
    obj: dict[str, Any], key: str, problems: Problems, *, required: bool, path: str = ""
) -> dt.datetime | None:
    value = obj.get(key)
    if value is None:
        if required:
            problems.append((path + key, _("bắt buộc")))
        return None
    try:
        parsed = parse_timestamp(value)
    except ValueError as exc:
        problems.append((path + key, str(exc)))
        return None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        problems.append(
            (path + key, _("năm phải trong khoảng %(a)d–%(b)d") % {"a": FIRST_YEAR, "b": LAST_YEAR})
        )
        return None
    return parsed


def _array(obj: dict[str, Any], key: str, problems: Problems) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append((key, _("phải là một mảng JSON")))
        return []
    return value


def _object(value: Any, field: str, problems: Problems) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    problems.append((field, _("phải là một đối tượng JSON")))
    return None


class _Unusual(Exception):
    """Raised by the fast path on anything it does not accept; the careful path then explains."""


_fromisoformat = dt.datetime.fromisoformat
_DATETIME = dt.datetime


def _fast_time(value: Any) -> dt.datetime:
    if type(value) is not str or len(value) < 16 or value[10] not in "Tt ":
        raise _Unusual
    parsed = _fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise _Unusual
    return parsed


def _fast_optional_time(value: Any) -> dt.datetime | None:
    return None if value is None else _fast_time(value)


def _fast_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if value is True or value is False:
        return value
    raise _Unusual


def _fast_string(value: Any, limit: int) -> str:
    if type(value) is not str or not value or len(value) > limit:
        raise _Unusual
    return value


def _fast_dossier(obj: Any) -> DossierRecord:
    """parse_dossier for the common case of a valid line: the same checks, no messages.

    Raises _Unusual (or ValueError, TypeError…) on anything else; `parse_dossier` then takes the
    careful path, which names every problem. Every check here must also be made there.
    """
    if type(obj) is not dict:
        raise _Unusual
    get = obj.get
    code = _fast_string(get("code"), CODE_MAX)
    procedure = _fast_string(get("procedure"), CODE_MAX)
    unit = _fast_string(get("unit"), CODE_MAX)
    channel = get("channel")
    if type(channel) is not str or channel not in CHANNELS:
        raise _Unusual
    outcome = get("outcome")
    if outcome is not None and (type(outcome) is not str or outcome not in OUTCOMES):
        raise _Unusual
    rating = get("rating")
    if rating is not None and (type(rating) is not str or rating not in RATINGS):
        raise _Unusual
    applicant_kind, applicant_id, applicant_vneid = "", "", False
    applicant = get("applicant")
    if applicant is not None:
        if type(applicant) is not dict:
            raise _Unusual
        kind = applicant.get("kind")
        if kind is not None:
            if type(kind) is not str or kind not in APPLICANT_KINDS:
                raise _Unusual
            applicant_kind = kind
        number = applicant.get("id")
        if number is not None and number != "":
            applicant_id = _fast_string(number, APPLICANT_ID_MAX)
        applicant_vneid = _fast_bool(applicant.get("vneid"), False)
    received_at = _fast_time(get("received_at"))
    due_at = _fast_optional_time(get("due_at"))
    finished_at = _fast_optional_time(get("finished_at"))
    returned_at = _fast_optional_time(get("returned_at"))
    if finished_at is not None and finished_at < received_at:
        raise _Unusual
    if returned_at is not None and returned_at < (finished_at or received_at):
        raise _Unusual
    supplements = []
    items = get("supplements")
    if items is not None:
        if type(items) is not list:
            raise _Unusual
        for item in items:
            requested = _fast_time(item["requested_at"])
            answered = _fast_optional_time(item.get("received_at"))
            if answered is not None and answered < requested:
                raise _Unusual
            supplements.append((requested, answered))
    documents = []
    items = get("documents")
    if items is not None:
        if type(items) is not list:
            raise _Unusual
        for item in items:
            source = item["source"]
            if type(source) is not str or source not in DOCUMENT_SOURCES:
                raise _Unusual
            documents.append(
                (
                    _fast_string(item["component"], COMPONENT_MAX),
                    source,
                    _fast_bool(item.get("available"), False),
                    _fast_bool(item.get("digitized"), False),
                )
            )
    result_electronic = result_digitized = result_to_store = False
    result = get("result")
    if result is not None:
        if type(result) is not dict:
            raise _Unusual
        result_electronic = _fast_bool(result.get("electronic"), False)
        result_digitized = _fast_bool(result.get("digitized"), False)
        result_to_store = _fast_bool(result.get("to_store"), False)
    payments = []
    items = get("payments")
    if items is not None:
        if type(items) is not list:
            raise _Unusual
        for item in items:
            amount = item["amount"]
            if type(amount) is not int or amount < 0 or amount > MAX_MONEY:
                raise _Unusual
            payments.append(
                (amount, _fast_bool(item.get("online"), False), _fast_optional_time(item.get("paid_at")))
            )
    return DossierRecord(
        code,
        procedure,
        unit,
        channel,
        applicant_kind,
        applicant_id,
        applicant_vneid,
        received_at,
        due_at,
        finished_at,
        returned_at,
        outcome,
        supplements,
        documents,
        result_electronic,
        result_digitized,
        result_to_store,
        payments,
        rating,
        _fast_bool(get("complaint"), False),
        _fast_bool(get("synced"), True),
    )


def parse_dossier(obj: Any) -> tuple[DossierRecord | None, Problems]:
    """Parse one decoded line of dossiers.jsonl. Referential checks are left to the caller.

    Returns the record and no problems, or None and every problem found as (field, message).
    """
    try:
        return _fast_dossier(obj), []
    except Exception:  # noqa: BLE001 - anything unusual is explained by the careful path
        return _careful_dossier(obj)


def _careful_dossier(obj: Any) -> tuple[DossierRecord | None, Problems]:
    problems: Problems = []
    if not isinstance(obj, dict):
        return None, [("-", _("mỗi dòng phải là một đối tượng JSON"))]
    get = obj.get
    code = _string(obj, "code", problems, required=True, limit=CODE_MAX)
    procedure = _string(obj, "procedure", problems, required=True, limit=CODE_MAX)
    unit = _string(obj, "unit", problems, required=True, limit=CODE_MAX)
    channel = _choice(obj, "channel", CHANNELS, problems, required=True)
    outcome = _choice(obj, "outcome", OUTCOMES, problems, required=False)
    rating = _choice(obj, "rating", RATINGS, problems, required=False)

    applicant_kind, applicant_id, applicant_vneid = "", "", False
    applicant = get("applicant")
    if applicant is not None and _object(applicant, "applicant", problems) is not None:
        applicant_kind = (
            _choice(applicant, "kind", APPLICANT_KINDS, problems, required=False, path="applicant.") or ""
        )
        applicant_id = _string(
            applicant, "id", problems, required=False, limit=APPLICANT_ID_MAX, path="applicant."
        )
        applicant_vneid = _bool(applicant, "vneid", False, problems, "applicant.")

    received_at = _time(obj, "received_at", problems, required=True)
    due_at = _time(obj, "due_at", problems, required=False)
    finished_at = _time(obj, "finished_at", problems, required=False)
    returned_at = _time(obj, "returned_at", problems, required=False)
    if received_at is not None and finished_at is not None and finished_at < received_at:
        problems.append(("finished_at", _("trước thời điểm tiếp nhận (received_at)")))
    if returned_at is not None:
        if finished_at is not None and returned_at < finished_at:
            problems.append(("returned_at", _("trước thời điểm kết thúc xử lý (finished_at)")))
        elif finished_at is None and received_at is not None and returned_at < received_at:
            problems.append(("returned_at", _("trước thời điểm tiếp nhận (received_at)")))

    supplements: list[tuple[dt.datetime, dt.datetime | None]] = []
    for i, item in enumerate(_array(obj, "supplements", problems)):
        path = f"supplements[{i}]."
        if _object(item, path[:-1], problems) is None:
            continue
        requested = _time(item, "requested_at", problems, required=True, path=path)
        answered = _time(item, "received_at", problems, required=False, path=path)
        if requested is not None and answered is not None and answered < requested:
            problems.append((path + "received_at", _("trước thời điểm yêu cầu bổ sung (requested_at)")))
        if requested is not None:
            supplements.append((requested, answered))

    documents: list[tuple[str, str, bool, bool]] = []
    for i, item in enumerate(_array(obj, "documents", problems)):
        path = f"documents[{i}]."
        if _object(item, path[:-1], problems) is None:
            continue
        component = _string(item, "component", problems, required=True, limit=COMPONENT_MAX, path=path)
        source = _choice(item, "source", DOCUMENT_SOURCES, problems, required=True, path=path)
        available = _bool(item, "available", False, problems, path)
        digitized = _bool(item, "digitized", False, problems, path)
        if source is not None:
            documents.append((component, source, available, digitized))

    result_electronic = result_digitized = result_to_store = False
    result = get("result")
    if result is not None and _object(result, "result", problems) is not None:
        result_electronic = _bool(result, "electronic", False, problems, "result.")
        result_digitized = _bool(result, "digitized", False, problems, "result.")
        result_to_store = _bool(result, "to_store", False, problems, "result.")

    payments: list[tuple[int, bool, dt.datetime | None]] = []
    for i, item in enumerate(_array(obj, "payments", problems)):
        path = f"payments[{i}]."
        if _object(item, path[:-1], problems) is None:
            continue
        if item.get("amount") is None:
            problems.append((path + "amount", _("bắt buộc")))
            continue
        try:
            amount = parse_money(item["amount"])
        except ValueError as exc:
            problems.append((path + "amount", str(exc)))
            continue
        online = _bool(item, "online", False, problems, path)
        paid_at = _time(item, "paid_at", problems, required=False, path=path)
        payments.append((amount, online, paid_at))

    complaint = _bool(obj, "complaint", False, problems)
    synced = _bool(obj, "synced", True, problems)
    if problems:
        return None, problems
    assert received_at is not None and channel is not None
    return (
        DossierRecord(
            code,
            procedure,
            unit,
            channel,
            applicant_kind,
            applicant_id,
            applicant_vneid,
            received_at,
            due_at,
            finished_at,
            returned_at,
            outcome,
            supplements,
            documents,
            result_electronic,
            result_digitized,
            result_to_store,
            payments,
            rating,
            complaint,
            synced,
        ),
        problems,
    )
