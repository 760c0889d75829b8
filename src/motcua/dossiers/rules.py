"""The rules a dossier runs under, read from the procedure version it started with.

A dossier keeps the `catalog.ProcedureVersion` that was current when it started, so later catalog
edits never change a running dossier. This module turns a version's JSON snapshot (written by
`catalog.services.procedure_snapshot`) into typed rules: time limit, online level, components and
internal steps.

A component is identified by its `number`: its 1-based position in the snapshot, which is the order
of `procedure.components` by (order, id) — the catalog keeps rows by position when it edits them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from motcua.catalog import services as catalog
from motcua.catalog.choices import DayKind, OnlineLevel
from motcua.catalog.models import Procedure, ProcedureVersion


@dataclass(frozen=True)
class ComponentRule:
    """A paper the applicant provides (thành phần hồ sơ), as the version states it."""

    number: int
    name: str
    required: bool
    document_type: str = ""
    from_store: bool = False
    national_db: str = ""
    copy_kind: str = ""
    quantity: int = 1


@dataclass(frozen=True)
class StepRule:
    """A step of the internal process: who does it, at which kind of unit, its share of the time."""

    order: int
    name: str
    role: str
    unit_kind: str
    time_share: Decimal


@dataclass(frozen=True)
class ProcedureRules:
    """Everything a running dossier needs from its procedure version."""

    version: ProcedureVersion
    code: str
    name: str
    duration_days: int
    day_kind: str
    online_level: str
    result_name: str
    result_document_type: str
    components: tuple[ComponentRule, ...]
    steps: tuple[StepRule, ...]

    def component(self, number: int) -> ComponentRule | None:
        return next((c for c in self.components if c.number == number), None)


def result_document_type(fields: dict[str, Any]) -> str:
    """The store document type of a procedure's result.

    The catalog may name it (`result_document_type`); otherwise it is derived from the procedure
    code (`ket_qua_1_001193`), so a later procedure can ask for the result of an earlier one.
    """
    named = fields.get("result_document_type")
    if named:
        return str(named)
    return "ket_qua_" + re.sub(r"[^a-z0-9]+", "_", str(fields.get("code", "")).lower()).strip("_")


def rules_for_version(version: ProcedureVersion) -> ProcedureRules:
    """The typed rules of one procedure version."""
    snapshot: dict[str, Any] = version.snapshot or {}
    fields: dict[str, Any] = snapshot.get("procedure", {})
    components = tuple(
        ComponentRule(
            number=i,
            name=str(c.get("name", "")),
            required=bool(c.get("required", True)),
            document_type=str(c.get("document_type") or ""),
            from_store=bool(c.get("from_store", False)),
            national_db=str(c.get("national_db") or ""),
            copy_kind=str(c.get("copy_kind") or ""),
            quantity=int(c.get("quantity") or 1),
        )
        for i, c in enumerate(snapshot.get("components", []), start=1)
    )
    steps = tuple(
        StepRule(
            order=int(s.get("order") or i),
            name=str(s.get("name", "")),
            role=str(s.get("role", "")),
            unit_kind=str(s.get("unit_kind") or ""),
            time_share=Decimal(str(s.get("time_share") or 0)),
        )
        for i, s in enumerate(snapshot.get("steps", []), start=1)
    )
    return ProcedureRules(
        version=version,
        code=str(fields.get("code", "")),
        name=str(fields.get("name", "")),
        duration_days=int(fields.get("duration_days") or 0),
        day_kind=str(fields.get("day_kind") or DayKind.WORKING),
        online_level=str(fields.get("online_level") or OnlineLevel.NONE),
        result_name=str(fields.get("result_name") or ""),
        result_document_type=result_document_type(fields),
        components=components,
        steps=steps,
    )


def rules_for_procedure(procedure: Procedure) -> ProcedureRules:
    """The rules a dossier started now would run under (the procedure's current version)."""
    return rules_for_version(catalog.current_version(procedure))
