"""A small, test-only loader of exchange bundles (exchange.md), independent of `motcua import`.

It writes units, procedures and dossiers with their documents, supplements, payments, rating and
complaint through the ORM, then the fact rows (`refresh_facts`) and the bundle's as_of, so the
scorecard tests do not depend on the importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua.catalog.models import Procedure
from motcua.dossiers.facts import refresh_facts
from motcua.dossiers.models import Dossier, DossierDocument, Supplement
from motcua.feedback.models import Complaint, DossierRating
from motcua.orgs.models import Unit
from motcua.payments.models import Payment, PaymentStatus
from motcua.scorecard.services import set_data_as_of
from tests.data import TINY

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def stamp(text: str | None) -> dt.datetime | None:
    """An exchange time stamp: ISO 8601; without an offset it is Vietnam time."""
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=VN)


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def flag(text: str) -> bool:
    return text.strip().lower() in {"1", "true"}


def load_units(rows: list[dict], province: str) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    pending = list(rows)
    while pending:
        row = pending.pop(0)
        if row["parent"] and row["parent"] not in units:
            pending.append(row)
            continue
        parent = units.get(row["parent"]) if row["parent"] else None
        unit = Unit.objects.create(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            level=row["level"],
            parent=parent,
            province_code=province,
        )
        unit.path = (parent.path if parent else "/") + f"{unit.pk}/"
        unit.save(update_fields=["path"])
        units[unit.code] = unit
    return units


def load_procedures(rows: list[dict]) -> dict[str, Procedure]:
    procedures = {}
    for row in rows:
        procedures[row["code"]] = Procedure.objects.create(
            code=row["code"],
            name=row["name"],
            field=row["field"],
            duration_days=int(row["duration_days"]),
            day_kind=row["day_kind"] or "working",
            fee=int(row["fee"] or 0),
            online_level=row["online_level"] or "none",
            full_online_eligible=flag(row["full_online_eligible"]),
            online_payment=flag(row["online_payment"]),
            public_national=flag(row["public_national"]),
            paper_result=flag(row["paper_result"]),
            internal=flag(row["internal"]),
            published=flag(row["published"]),
            announced_on=day(row["announced_on"]),
            effective_on=day(row["effective_on"]),
            public_on=day(row["public_on"]),
        )
    return procedures


def _status(record: dict) -> str:
    outcome = record.get("outcome")
    if outcome == "withdrawn":
        return "withdrawn"
    if outcome == "stopped":
        return "stopped"
    if outcome in ("approved", "rejected"):
        return "returned" if record.get("returned_at") else "processed"
    return "processing" if record.get("received_at") else "new"


def load_dossiers(records: list[dict], units: dict[str, Unit], procedures: dict[str, Procedure]) -> list[int]:
    ids = []
    for record in records:
        applicant = record.get("applicant") or {}
        result = record.get("result") or {}
        dossier = Dossier.objects.create(
            code=record["code"],
            procedure=procedures[record["procedure"]],
            unit=units[record["unit"]],
            channel=record["channel"],
            status=_status(record),
            outcome=record.get("outcome"),
            source="import",
            applicant_kind=applicant.get("kind") or "",
            applicant_id_number=applicant.get("id") or "",
            applicant_vneid=bool(applicant.get("vneid")),
            received_at=stamp(record.get("received_at")),
            due_at=stamp(record.get("due_at")),
            finished_at=stamp(record.get("finished_at")),
            returned_at=stamp(record.get("returned_at")),
            result_electronic=bool(result.get("electronic")),
            result_digitized=bool(result.get("digitized")),
            result_to_store=bool(result.get("to_store")),
            synced=record.get("synced", True),
        )
        for supplement in record.get("supplements") or []:
            Supplement.objects.create(
                dossier=dossier,
                requested_at=stamp(supplement["requested_at"]),
                received_at=stamp(supplement.get("received_at")),
            )
        for document in record.get("documents") or []:
            DossierDocument.objects.create(
                dossier=dossier,
                name=document["component"],
                source=document["source"],
                available=document["available"],
                digitized=document["digitized"],
            )
        for payment in record.get("payments") or []:
            Payment.objects.create(
                dossier=dossier,
                amount=payment["amount"],
                online=payment["online"],
                paid_at=stamp(payment["paid_at"]),
                status=PaymentStatus.PAID,
            )
        moment = dossier.finished_at or dossier.received_at
        if record.get("rating"):
            DossierRating.objects.create(dossier=dossier, value=record["rating"], rated_at=moment)
        if record.get("complaint"):
            Complaint.objects.create(dossier=dossier, text="Phản ánh", filed_at=moment)
        ids.append(dossier.pk)
    return ids


def read_bundle(directory: Path = TINY) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """(manifest, units, procedures, dossier records) of a bundle directory, as plain rows."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8-sig"))
    with (directory / "units.csv").open(encoding="utf-8-sig", newline="") as f:
        units = list(csv.DictReader(f))
    with (directory / "procedures.csv").open(encoding="utf-8-sig", newline="") as f:
        procedures = list(csv.DictReader(f))
    lines = (directory / "dossiers.jsonl").read_text(encoding="utf-8-sig").splitlines()
    return manifest, units, procedures, [json.loads(line) for line in lines if line.strip()]


def load_records(
    units: list[dict], procedures: list[dict], records: list[dict], province: str, as_of: str
) -> None:
    """Write bundle rows into the (test) database, with fact rows and the as_of."""
    unit_rows = load_units(units, province)
    procedure_rows = load_procedures(procedures)
    refresh_facts(load_dossiers(records, unit_rows, procedure_rows))
    set_data_as_of(stamp(as_of))


def load_bundle(directory: Path = TINY) -> dict:
    """Load a bundle directory into the (test) database; returns its manifest."""
    manifest, units, procedures, records = read_bundle(directory)
    load_records(units, procedures, records, manifest["province"], manifest["as_of"])
    return manifest
