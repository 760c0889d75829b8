"""National databases (cơ sở dữ liệu quốc gia) behind one adapter.

A component that a national database holds (population, business registration, land) need not be
provided again: the officer pulls it by the applicant's identity number. Every backend answers the
same question, `Registry.lookup(kind, id_number)`.

The default backend, `SimulatedRegistry`, reads a small seeded dataset (a JSON file: by default
`motcua/documents/data/registries.json`, or `settings.NATIONAL_REGISTRY_DATA`), for development,
tests and demonstrations. A real connection (the national data-sharing platform, NDXP) plugs in by
naming its class in `settings.NATIONAL_REGISTRY_BACKEND`; it must provide `lookup` as below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.catalog.choices import NationalDatabase

DEFAULT_BACKEND = "motcua.documents.registries.SimulatedRegistry"
DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "registries.json"
KINDS = tuple(k.value for k in NationalDatabase if k.value)


@dataclass(frozen=True)
class RegistryRecord:
    """What a national database says about one person or organisation (one record, read-only)."""

    kind: str  # population, business or land
    id_number: str  # citizen ID or tax code the record belongs to
    reference: str  # the record's own key in the database (a parcel number, a registration number…)
    name: str  # a readable title, shown on the dossier
    data: dict[str, Any] = field(default_factory=dict)


class Registry(Protocol):
    """A national database connection."""

    def lookup(self, kind: str, id_number: str) -> RegistryRecord | None:
        """The record of `id_number` in the `kind` database, or None when it holds none."""
        ...


class SimulatedRegistry:
    """A stand-in for the national databases, answering from a JSON file of records.

    The file maps each kind to a list of records: `{"population": [{"id_number": "…",
    "reference": "…", "name": "…", "data": {…}}], "business": […], "land": […]}`.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or getattr(settings, "NATIONAL_REGISTRY_DATA", None) or DEFAULT_DATA)

    def lookup(self, kind: str, id_number: str) -> RegistryRecord | None:
        if kind not in KINDS or not id_number:
            return None
        return _records(str(self.path)).get((kind, id_number))


@lru_cache(maxsize=8)
def _records(path: str) -> dict[tuple[str, str], RegistryRecord]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    records: dict[tuple[str, str], RegistryRecord] = {}
    for kind in KINDS:
        for row in raw.get(kind, []):
            record = RegistryRecord(
                kind=kind,
                id_number=str(row["id_number"]),
                reference=str(row.get("reference", "")),
                name=str(row.get("name", "")),
                data=dict(row.get("data", {})),
            )
            records[(kind, record.id_number)] = record
    return records


def registry() -> Registry:
    """The configured backend (`settings.NATIONAL_REGISTRY_BACKEND`, the simulator by default)."""
    backend = getattr(settings, "NATIONAL_REGISTRY_BACKEND", None) or DEFAULT_BACKEND
    return import_string(backend)()
