"""State changes of organisation units: loading the unit files, and editing a unit.

Each function is atomic and writes its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.scoping import CHANGE
from motcua.audit.services import record_event
from motcua.errors import Forbidden, InvalidInput, LoadError
from motcua.orgs.choices import UnitLevel
from motcua.orgs.models import Unit
from motcua.orgs.unit_files import UnitRow, read_unit_files, shipped_files

# The fields a row of a unit file sets; merged_into is set in a second pass, once every unit exists.
_ROW_FIELDS = ("name", "kind", "level", "admin_code", "valid_from", "valid_to", "note")
CONTACT_FIELDS = ("address", "phone", "email")


@dataclass
class LoadSummary:
    """What `load_units` did, and how many units are in force at `as_of`, per level."""

    province: str
    as_of: dt.date
    files: list[str]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    in_force: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def as_dict(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "in_force": self.in_force,
        }


def load_units(
    province: str = "42",
    as_of: dt.date | None = None,
    *,
    files: Sequence[Path] | None = None,
    actor: Any = None,
) -> LoadSummary:
    """Load (insert or update, matched on `code`) every unit of the province, with its validity dates.

    All units are loaded whatever `as_of` says — the 2023 units and their 2025 successors together —
    so the merge history is always in the database; `as_of` (default today) only chooses the day
    whose units in force the summary counts. `files` replaces the shipped files (a units.csv in the
    exchange format). The files are checked first: on any error `LoadError` lists them all and
    nothing is loaded. Units already in the database but absent from the files are left alone.
    """
    as_of = as_of or timezone.localdate()
    paths = list(files) if files is not None else shipped_files(province)
    rows = read_unit_files(paths, known_codes=Unit.objects.values_list("code", flat=True))
    summary = LoadSummary(province=province, as_of=as_of, files=sorted({r.file for r in rows}))
    with transaction.atomic():
        units = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows]).select_for_update()}
        changed: set[str] = set()
        for row in _parents_first(rows):
            unit = units.get(row.code)
            created = unit is None
            unit = unit or Unit(code=row.code)
            parent_id = _unit_id(row.parent, units)
            if created or _differs(unit, row, province, parent_id):
                for name in _ROW_FIELDS:
                    setattr(unit, name, getattr(row, name))
                unit.province_code = province
                unit.parent_id = parent_id
                _save(unit, row)
                changed.add(row.code)
                summary.created += created
            units[row.code] = unit
        for row in rows:
            unit = units[row.code]
            merged_into_id = _unit_id(row.merged_into, units)
            if unit.merged_into_id != merged_into_id:
                unit.merged_into_id = merged_into_id
                unit.save(update_fields=["merged_into"])
                changed.add(row.code)
        summary.updated = len(changed) - summary.created
        summary.unchanged = len(rows) - len(changed)
        summary.in_force = in_force_by_level(province, as_of)
        record_event(
            actor=actor,
            action="orgs.load_units",
            object_type="orgs.Unit",
            object_id=province,
            after=summary.as_dict(),
        )
    return summary


def in_force_by_level(province: str, day: dt.date) -> dict[str, int]:
    """How many units of the province are in force on `day`, per level (every level named, 0 included)."""
    counts = dict.fromkeys(UnitLevel.values, 0)
    for level in Unit.objects.filter(province_code=province).as_of(day).values_list("level", flat=True):
        counts[level] += 1
    return counts


def update_unit_contact(unit: Unit, *, actor: Any, changes: dict[str, str], ip: str | None = None) -> Unit:
    """Change a unit's contact details (address, phone, email): allowed to whoever may change the unit."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise InvalidInput(_("Chỉ được sửa địa chỉ, điện thoại, thư điện tử."), field=sorted(unknown)[0])
    cleaned = {name: (value or "").strip() for name, value in changes.items()}
    for name, value in cleaned.items():
        limit = getattr(Unit._meta.get_field(name), "max_length", None)
        if limit is not None and len(value) > limit:
            raise InvalidInput(_("Dài quá %(n)d ký tự.") % {"n": limit}, field=name)
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError as exc:
            raise InvalidInput(_("Địa chỉ thư điện tử không hợp lệ."), field="email") from exc
    with transaction.atomic():
        if not Unit.objects.restrict(actor, CHANGE).filter(pk=unit.pk).exists():
            raise Forbidden(_("Bạn không có quyền sửa thông tin của đơn vị này."))
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        before = {name: getattr(locked, name) for name in cleaned}
        if before == cleaned:
            return locked
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(cleaned))
        record_event(
            actor=actor, action="orgs.update_unit_contact", obj=locked, before=before, after=cleaned, ip=ip
        )
    return locked


def save_unit(unit: Unit, *, actor: Any, ip: str | None = None) -> Unit:
    """Create or change a unit from the back office (admin), audited with the fields that changed."""
    with transaction.atomic():
        old = Unit.objects.select_for_update().filter(pk=unit.pk).first() if unit.pk else None
        fields = [f.attname for f in Unit._meta.concrete_fields if f.attname not in ("id", "path")]
        before = {name: _json(getattr(old, name)) for name in fields} if old else None
        unit.save()
        after = {name: _json(getattr(unit, name)) for name in fields}
        if before is not None:
            keys = [k for k in fields if before[k] != after[k]]
            before, after = {k: before[k] for k in keys}, {k: after[k] for k in keys}
        record_event(
            actor=actor,
            action="orgs.create_unit" if old is None else "orgs.change_unit",
            obj=unit,
            before=before,
            after=after,
            ip=ip,
        )
    return unit


def _parents_first(rows: list[UnitRow]) -> list[UnitRow]:
    """Rows ordered so that a parent defined in the files is saved before its children."""
    by_code = {r.code: r for r in rows}
    depth: dict[str, int] = {}

    def depth_of(row: UnitRow) -> int:
        if row.code not in depth:
            parent = by_code.get(row.parent)
            depth[row.code] = 0 if parent is None else depth_of(parent) + 1
        return depth[row.code]

    return sorted(rows, key=depth_of)


def _unit_id(code: str, units: dict[str, Unit]) -> int | None:
    if not code:
        return None
    unit = units.get(code)
    if unit is None:
        # Validation made sure it is already in the database.
        unit = Unit.objects.get(code=code)
        units[code] = unit
    return unit.pk


def _differs(unit: Unit, row: UnitRow, province: str, parent_id: int | None) -> bool:
    return (
        any(getattr(unit, name) != getattr(row, name) for name in _ROW_FIELDS)
        or unit.province_code != province
        or unit.parent_id != parent_id
    )


def _save(unit: Unit, row: UnitRow) -> None:
    try:
        unit.save()
    except ValueError as exc:
        # Only a parent already in the database, below this unit, gets here (the files were checked).
        raise LoadError([(row.file, row.line, "parent", str(exc))]) from exc


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
