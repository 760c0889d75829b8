"""Fixtures for the exchange tests: bundles on disk, and snapshots of every table an import touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.apps import apps

from tests.data import TINY

BUNDLE_FILES = ("manifest.json", "units.csv", "procedures.csv", "dossiers.jsonl")

# Every table an import may write, by model label.
TOUCHED = (
    "orgs.Unit",
    "catalog.Procedure",
    "dossiers.Dossier",
    "dossiers.Supplement",
    "dossiers.DossierDocument",
    "dossiers.DossierFact",
    "payments.Payment",
    "feedback.DossierRating",
    "feedback.Complaint",
    "audit.AuditEvent",
)


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A writable copy of the spec's tiny bundle (14 dossiers)."""
    target = tmp_path / "tiny"
    target.mkdir()
    for name in BUNDLE_FILES:
        shutil.copy(TINY / name, target / name)
    return target


def table_counts() -> dict[str, int]:
    """Row counts of every model of the project (a change anywhere shows up)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "contenttypes", "auth", "admin"}
    }


def dump() -> dict[str, list[tuple]]:
    """Every row of the tables an import touches, all columns, ordered by primary key."""
    result = {}
    for label in TOUCHED:
        model = apps.get_model(label)
        fields = [f.attname for f in model._meta.concrete_fields]
        result[label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return result
