"""Changes to the procedure catalog: loading catalog files and publishing versions.

Every procedure state that dossiers can rely on is frozen as a `ProcedureVersion`: loading
publishes version 1 of a new procedure and a new version when a reload changes one; an edit
in the admin publishes one on save. Each change writes its audit event in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from motcua.audit.services import record_event
from motcua.catalog.fileformats import ProcedureRecord, read_csv_catalog, read_json_catalog
from motcua.catalog.models import Component, FeeLine, Procedure, ProcedureVersion, ProcessStep
from motcua.catalog.search import fold
from motcua.errors import LoadError
from motcua.orgs.choices import UnitLevel
from motcua.orgs.models import Unit

DEFAULT_CATALOG = Path(__file__).resolve().parent / "data" / "hatinh_procedures.json"

# A procedure that arrives without an internal process (from procedures.csv) gets the plain
# one-stop process, so a dossier can always be routed: receive, appraise, approve, return.
DEFAULT_PROCESS: list[dict[str, Any]] = [
    {
        "order": 1,
        "name": "Tiếp nhận hồ sơ",
        "role": "counter_officer",
        "unit_kind": "",
        "time_share": Decimal(5),
    },
    {
        "order": 2,
        "name": "Thẩm định hồ sơ",
        "role": "processing_officer",
        "unit_kind": "",
        "time_share": Decimal(65),
    },
    {
        "order": 3,
        "name": "Phê duyệt, ký kết quả",
        "role": "unit_leader",
        "unit_kind": "",
        "time_share": Decimal(20),
    },
    {
        "order": 4,
        "name": "Trả kết quả",
        "role": "counter_officer",
        "unit_kind": "",
        "time_share": Decimal(10),
    },
]

_SNAPSHOT_SKIP = {"id", "version", "search_text"}
_COMPONENT_KEYS = (
    "order",
    "name",
    "required",
    "copy_kind",
    "quantity",
    "from_store",
    "national_db",
    "document_type",
)
_FEE_KEYS = ("order", "name", "amount", "note")
_STEP_KEYS = ("order", "name", "role", "unit_kind", "time_share")


# ---------------------------------------------------------------------------------------------
# Snapshots and versions
# ---------------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields_snapshot(procedure: Procedure) -> dict[str, Any]:
    """The procedure's own fields as JSON values (the unit as its code); works on unsaved instances."""
    data: dict[str, Any] = {}
    for model_field in Procedure._meta.concrete_fields:
        if model_field.name in _SNAPSHOT_SKIP:
            continue
        if model_field.name == "province_unit":
            unit = procedure.province_unit
            data["province_unit"] = unit.code if unit is not None else None
            continue
        data[model_field.name] = _json_value(getattr(procedure, model_field.attname))
    return data


def _rows_snapshot(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{key: _json_value(row[key]) for key in keys} for row in rows]


def _stored_children(procedure: Procedure) -> dict[str, list[dict[str, Any]]]:
    if procedure.pk is None:
        return {"components": [], "fee_lines": [], "steps": []}
    return {
        "components": list(procedure.components.order_by("order", "id").values(*_COMPONENT_KEYS)),
        "fee_lines": list(procedure.fee_lines.order_by("order", "id").values(*_FEE_KEYS)),
        "steps": list(procedure.steps.order_by("order").values(*_STEP_KEYS)),
    }


def _snapshot(procedure: Procedure, children: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "procedure": _fields_snapshot(procedure),
        "components": _rows_snapshot(children["components"], _COMPONENT_KEYS),
        "fee_lines": _rows_snapshot(children["fee_lines"], _FEE_KEYS),
        "steps": _rows_snapshot(children["steps"], _STEP_KEYS),
    }


def procedure_snapshot(procedure: Procedure) -> dict[str, Any]:
    """The procedure's current state as stored: fields, components, fee lines and steps (plain JSON)."""
    return _snapshot(procedure, _stored_children(procedure))


def publish_version(procedure: Procedure, actor: Any) -> ProcedureVersion:
    """Freeze the procedure's current state as its next version and return it.

    When nothing changed since the latest version, no version is added and the latest is
    returned. The procedure's `version` field follows the latest number.
    """
    with transaction.atomic():
        locked = (
            Procedure.objects.select_for_update(of=("self",))
            .select_related("province_unit")
            .get(pk=procedure.pk)
        )
        snapshot = procedure_snapshot(locked)
        latest = locked.versions.order_by("-number").first()
        if latest is not None and latest.snapshot == snapshot:
            return latest
        number = (latest.number if latest is not None else 0) + 1
        version = ProcedureVersion.objects.create(procedure=locked, number=number, snapshot=snapshot)
        Procedure.objects.filter(pk=locked.pk).update(version=number)
        procedure.version = number
        record_event(
            actor=actor,
            action="catalog.publish_version",
            obj=locked,
            before={"version": latest.number, "snapshot": latest.snapshot} if latest is not None else None,
            after={"version": number, "snapshot": snapshot},
        )
        return version


def current_version(procedure: Procedure) -> ProcedureVersion:
    """The latest published version, publishing version 1 first if the procedure has none.

    A dossier takes this when it starts and keeps it, whatever later edits do to the catalog.
    """
    latest = procedure.versions.order_by("-number").first()
    if latest is not None:
        return latest
    return publish_version(procedure, actor=None)


# ---------------------------------------------------------------------------------------------
# Loading catalog files
# ---------------------------------------------------------------------------------------------


@dataclass
class LoadSummary:
    """What a load did: procedures created, updated (a new version each) and left unchanged."""

    source: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unresolved_units: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _unit_key(name: str) -> str:
    # "Sở Lao động - Thương binh và Xã hội" and "Sở Lao động – Thương binh…" name the same unit.
    return re.sub(r"\s*[-–—]\s*", " - ", fold(name))


def _province_units() -> dict[str, Unit]:
    """Province-level units by folded name; a unit still in force wins over a dissolved namesake."""
    units: dict[str, Unit] = {}
    for unit in Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("valid_to", "code"):
        key = _unit_key(unit.name)
        current = units.get(key)
        if current is None or (current.valid_to is not None and unit.valid_to is None):
            units[key] = unit
    return units


def load_catalog(path: str | Path | None = None, *, actor: Any = None) -> LoadSummary:
    """Load a `motcua-catalog` JSON file (the shipped Hà Tĩnh demo catalog by default).

    The whole file is validated first; any error raises `LoadError` listing every problem with
    its file, line and field, and nothing is loaded. Procedures are upserted on their code in
    one transaction; loading the same file twice changes nothing and publishes no version.
    """
    source = Path(path) if path is not None else DEFAULT_CATALOG
    records, errors = read_json_catalog(source)
    if errors:
        raise LoadError(errors)
    return _load_records(records, str(source), actor)


def load_catalog_csv(path: str | Path, *, actor: Any = None) -> LoadSummary:
    """Load an exchange-bundle `procedures.csv` (shared/spec/exchange.md) with the same rules.

    The CSV carries a procedure's own fields only: components and steps already in the
    catalog are kept; a new procedure gets the default one-stop process.
    """
    source = Path(path)
    records, errors = read_csv_catalog(source)
    if errors:
        raise LoadError(errors)
    return _load_records(records, str(source), actor)


def _load_records(records: list[ProcedureRecord], source: str, actor: Any) -> LoadSummary:
    summary = LoadSummary(source=source, total=len(records))
    unresolved: set[str] = set()
    with transaction.atomic():
        units = _province_units()
        for record in records:
            outcome = _apply_record(record, units, unresolved, actor)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        summary.unresolved_units = sorted(unresolved)
        record_event(
            actor=actor,
            action="catalog.load",
            object_type="catalog.catalogfile",
            object_id=Path(source).name[:128],
            after=summary.as_dict(),
        )
    return summary


def _desired_fee_lines(procedure: Procedure, stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fee lines for a record without any: keep the stored ones while they still add up to the fee."""
    if sum(line["amount"] for line in stored) == procedure.fee:
        return stored
    if procedure.fee == 0:
        return []
    return [{"order": 1, "name": "Phí, lệ phí", "amount": procedure.fee, "note": ""}]


def _apply_record(record: ProcedureRecord, units: dict[str, Unit], unresolved: set[str], actor: Any) -> str:
    """Upsert one record; returns "created", "updated" or "unchanged"."""
    code = record.fields["code"]
    procedure = (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("province_unit")
        .filter(code=code)
        .first()
    )
    created = procedure is None
    if procedure is None:
        procedure = Procedure(code=code)
    stored = _stored_children(procedure)
    before = None if created else _snapshot(procedure, stored)

    for name in record.present - {"province_unit"}:
        setattr(procedure, name, record.fields[name])
    if "province_unit" in record.present:
        unit = units.get(_unit_key(record.province_unit_name)) if record.province_unit_name else None
        if record.province_unit_name and unit is None:
            unresolved.add(record.province_unit_name)
        procedure.province_unit = unit

    desired = {
        "components": record.components if record.components is not None else stored["components"],
        "fee_lines": (
            record.fee_lines
            if record.fee_lines is not None
            else _desired_fee_lines(procedure, stored["fee_lines"])
        ),
        "steps": record.steps if record.steps is not None else (stored["steps"] or DEFAULT_PROCESS),
    }
    if before is not None and _snapshot(procedure, desired) == before:
        return "unchanged"

    procedure.save()
    _sync_rows(procedure, Component, desired["components"], _COMPONENT_KEYS)
    _sync_rows(procedure, FeeLine, desired["fee_lines"], _FEE_KEYS)
    _sync_rows(procedure, ProcessStep, desired["steps"], _STEP_KEYS)
    publish_version(procedure, actor)
    return "created" if created else "updated"


def _sync_rows(
    procedure: Procedure, model: type[models.Model], desired: list[dict[str, Any]], keys: tuple[str, ...]
) -> None:
    """Make the procedure's child rows equal `desired`, updating rows in place by position.

    Rows keep their primary keys where they still exist, so a dossier document that points to
    a component keeps pointing to it after an edit elsewhere in the catalog.
    """
    existing = list(model._default_manager.filter(procedure=procedure).order_by("order", "pk"))
    for row in existing[len(desired) :]:
        row.delete()
    kept = existing[: len(desired)]
    # Step order is unique per procedure: park renumbered rows out of the way first.
    moving = [row for row, values in zip(kept, desired, strict=False) if row.order != values["order"]]  # type: ignore[attr-defined]
    for offset, row in enumerate(moving):
        row.order = 30000 + offset  # type: ignore[attr-defined]
        row.save(update_fields=["order"])
    for row, values in zip(kept, desired, strict=False):
        changed = [key for key in keys if getattr(row, key) != values[key]]
        if changed:
            for key in changed:
                setattr(row, key, values[key])
            row.save(update_fields=changed)
    for values in desired[len(kept) :]:
        model._default_manager.create(procedure=procedure, **{key: values[key] for key in keys})
