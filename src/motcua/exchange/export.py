"""Writing the database out as an exchange bundle (docs/exchange.md).

Reads only. Dossiers are streamed in primary-key order, a chunk at a time, with their supplements,
documents, payments, ratings and complaints fetched per chunk (a fixed number of queries per
chunk, never one per dossier), so memory stays flat however many dossiers there are.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import orjson
from django.conf import settings

from motcua.catalog.models import Procedure
from motcua.dossiers.choices import Outcome
from motcua.dossiers.models import Dossier, DossierDocument, Supplement
from motcua.exchange.bundle import DOSSIERS, MANIFEST, PROCEDURES, REPORTED, UNITS
from motcua.exchange.formats import format_csv_bool, format_date, format_timestamp
from motcua.exchange.records import PROCEDURE_BOOLEANS, PROCEDURE_COLUMNS, PROCEDURE_DATES, UNIT_COLUMNS
from motcua.exchange.validation import FORMAT, VERSION
from motcua.feedback.models import Complaint, DossierRating
from motcua.orgs.models import Unit
from motcua.payments.models import Payment, PaymentStatus
from motcua.scorecard.engine import effective_as_of
from motcua.scorecard.models import ReportedValue, ReportStatus

CHUNK_SIZE = 5000
REPORTED_COLUMNS = ("indicator", "unit", "period", "value", "numerator", "denominator", "evidence")
_RESULT_OUTCOMES = frozenset({Outcome.APPROVED, Outcome.REJECTED})


@dataclass
class ExportSummary:
    """What `export_bundle` wrote."""

    path: str
    as_of: str
    units: int = 0
    procedures: int = 0
    dossiers: int = 0
    reported: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "as_of": self.as_of,
            "units": self.units,
            "procedures": self.procedures,
            "dossiers": self.dossiers,
            "reported": self.reported,
        }


class _Target:
    """Where the files go: a directory, or a zip archive (files at its root)."""

    def __init__(self, path: Path, as_zip: bool) -> None:
        self.path = path
        self.archive: zipfile.ZipFile | None = None
        if as_zip:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        else:
            path.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def binary(self, name: str) -> Iterator[IO[bytes]]:
        if self.archive is None:
            with open(self.path / name, "wb") as out:
                yield out
        else:
            with self.archive.open(name, "w", force_zip64=True) as out:
                yield out

    @contextlib.contextmanager
    def text(self, name: str) -> Iterator[IO[str]]:
        with self.binary(name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            try:
                yield text
            finally:
                text.flush()
                text.detach()

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


def data_as_of() -> dt.datetime:
    """The instant the data describes: the last import's as_of, or now once motcua has moved on."""
    return effective_as_of()


def write_units(out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(UNIT_COLUMNS)
    count = 0
    for row in Unit.objects.order_by("code").values_list("code", "name", "kind", "level", "parent__code"):
        writer.writerow((*row[:4], row[4] or ""))
        count += 1
    return count


def write_procedures(out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(PROCEDURE_COLUMNS)
    count = 0
    for values in (
        Procedure.objects.order_by("code").values(*PROCEDURE_COLUMNS).iterator(chunk_size=CHUNK_SIZE)
    ):
        for name in PROCEDURE_BOOLEANS:
            values[name] = format_csv_bool(values[name])
        for name in PROCEDURE_DATES:
            values[name] = format_date(values[name])
        writer.writerow([values[name] for name in PROCEDURE_COLUMNS])
        count += 1
    return count


_DOSSIER_FIELDS = (
    "id",
    "code",
    "procedure__code",
    "unit__code",
    "channel",
    "applicant_kind",
    "applicant_id_number",
    "applicant_vneid",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "outcome",
    "result_electronic",
    "result_digitized",
    "result_to_store",
    "synced",
)


def _related(ids: list[int]) -> tuple[dict[int, list[Any]], ...]:
    """Supplements, documents, paid payments, ratings and complaint flags of the dossiers `ids`."""
    supplements: dict[int, list[Any]] = defaultdict(list)
    for pk, requested, answered in (
        Supplement.objects.filter(dossier_id__in=ids)
        .order_by("dossier_id", "requested_at", "id")
        .values_list("dossier_id", "requested_at", "received_at")
    ):
        supplements[pk].append(
            {"requested_at": format_timestamp(requested), "received_at": format_timestamp(answered)}
        )
    documents: dict[int, list[Any]] = defaultdict(list)
    for pk, name, source, available, digitized in (
        DossierDocument.objects.filter(dossier_id__in=ids)
        .order_by("dossier_id", "id")
        .values_list("dossier_id", "name", "source", "available", "digitized")
    ):
        documents[pk].append(
            {"component": name, "source": source, "available": available, "digitized": digitized}
        )
    payments: dict[int, list[Any]] = defaultdict(list)
    for pk, amount, online, paid_at in (
        Payment.objects.filter(dossier_id__in=ids, status=PaymentStatus.PAID)
        .order_by("dossier_id", "paid_at", "id")
        .values_list("dossier_id", "amount", "online", "paid_at")
    ):
        payments[pk].append({"amount": amount, "online": online, "paid_at": format_timestamp(paid_at)})
    ratings = dict(DossierRating.objects.filter(dossier_id__in=ids).values_list("dossier_id", "value"))
    complaints = dict.fromkeys(
        Complaint.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True), True
    )
    return supplements, documents, payments, ratings, complaints  # type: ignore[return-value]


def dossier_lines() -> Iterator[bytes]:
    """One JSON line per dossier that has been received (dossiers.jsonl), in primary-key order."""
    last = 0
    base = Dossier.objects.filter(received_at__isnull=False).order_by("id")
    while True:
        rows = list(base.filter(id__gt=last).values_list(*_DOSSIER_FIELDS)[:CHUNK_SIZE])
        if not rows:
            return
        last = rows[-1][0]
        supplements, documents, payments, ratings, complaints = _related([r[0] for r in rows])
        for (
            pk,
            code,
            procedure,
            unit,
            channel,
            applicant_kind,
            applicant_id,
            vneid,
            received_at,
            due_at,
            finished_at,
            returned_at,
            outcome,
            electronic,
            digitized,
            to_store,
            synced,
        ) in rows:
            applicant = (
                {"kind": applicant_kind or None, "id": applicant_id, "vneid": vneid}
                if applicant_kind or applicant_id or vneid
                else None
            )
            # A result object only where there is one: a decision, or any result flag set.
            result = (
                {"electronic": electronic, "digitized": digitized, "to_store": to_store}
                if electronic or digitized or to_store or outcome in _RESULT_OUTCOMES
                else None
            )
            record = {
                "code": code,
                "procedure": procedure,
                "unit": unit,
                "channel": channel,
                "applicant": applicant,
                "received_at": format_timestamp(received_at),
                "due_at": format_timestamp(due_at),
                "finished_at": format_timestamp(finished_at),
                "returned_at": format_timestamp(returned_at),
                "outcome": outcome,
                "supplements": supplements.get(pk, []),
                "documents": documents.get(pk, []),
                "result": result,
                "payments": payments.get(pk, []),
                "rating": ratings.get(pk),
                "complaint": complaints.get(pk, False),
                "synced": synced,
            }
            yield orjson.dumps(record) + b"\n"


def write_reported(target: _Target) -> int:
    """reported.csv: the approved reported values, with the plan they belong to (an extra column
    that motcua reads back when an indicator code is in several plans)."""
    rows = (
        ReportedValue.objects.filter(status=ReportStatus.APPROVED)
        .order_by("plan__code", "indicator", "unit__code", "period")
        .values_list(
            "indicator", "unit__code", "period", "value", "numerator", "denominator", "evidence", "plan__code"
        )
    )
    count = 0
    with target.text(REPORTED) as out:
        writer = csv.writer(out)
        writer.writerow((*REPORTED_COLUMNS, "plan"))
        for indicator, unit, period, value, numerator, denominator, evidence, plan in rows.iterator(
            chunk_size=CHUNK_SIZE
        ):
            writer.writerow(
                (
                    indicator,
                    unit or "",
                    period,
                    _number(value),
                    _number(numerator),
                    _number(denominator),
                    evidence,
                    plan,
                )
            )
            count += 1
    return count


def _number(value: Decimal | None) -> str:
    """A decimal without trailing zeros ("75", "12.5"), empty for none."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _province() -> str:
    """The province the data belongs to: its units' province code (MOTCUA_PROVINCE when none)."""
    code = Unit.objects.values_list("province_code", flat=True).order_by("pk").first()
    return code or settings.MOTCUA_PROVINCE


def export_bundle(path: str | Path, *, as_zip: bool = False) -> ExportSummary:
    """Write the whole database as a bundle at `path`: a directory, or a zip file with `as_zip`."""
    target_path = Path(path)
    if as_zip and target_path.suffix.lower() != ".zip":
        target_path = target_path.with_name(target_path.name + ".zip")
    as_of = data_as_of()
    summary = ExportSummary(path=str(target_path), as_of=format_timestamp(as_of) or "")
    target = _Target(target_path, as_zip)
    try:
        with target.binary(MANIFEST) as out:
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "as_of": summary.as_of,
                "province": _province(),
            }
            out.write(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
        with target.text(UNITS) as out:
            summary.units = write_units(out)
        with target.text(PROCEDURES) as out:
            summary.procedures = write_procedures(out)
        with target.binary(DOSSIERS) as out:
            for line in dossier_lines():
                out.write(line)
                summary.dossiers += 1
        if ReportedValue.objects.filter(status=ReportStatus.APPROVED).exists():
            summary.reported = write_reported(target)
    finally:
        target.close()
    return summary
