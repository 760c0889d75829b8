"""Generated bundles: valid, reproducible, imported at scale, in memory that does not grow with them."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Dossier, DossierFact
from motcua.exchange import importer
from motcua.exchange.generator import generate_bundle
from motcua.exchange.services import import_bundle

pytestmark = pytest.mark.django_db


def digest(path) -> str:
    return hashlib.sha256(
        b"".join((path / n).read_bytes() for n in sorted(p.name for p in path.iterdir()))
    ).hexdigest()


def test_the_same_seed_gives_the_same_bundle(tmp_path):
    generate_bundle(tmp_path / "a", dossiers=300, seed=7)
    generate_bundle(tmp_path / "b", dossiers=300, seed=7)
    generate_bundle(tmp_path / "c", dossiers=300, seed=8)
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")


def test_a_generated_bundle_of_20000_dossiers_imports(tmp_path, capsys):
    call_command(
        "generate-bundle".replace("-", "_"), str(tmp_path / "g"), "--dossiers", "20000", "--seed", "1"
    )
    summary = import_bundle(tmp_path / "g")
    assert summary.dossiers.created == 20000
    assert DossierFact.objects.count() == Dossier.objects.count() == 20000
    with capsys.disabled():
        print(
            f"\nimport of 20,000 generated dossiers: {summary.seconds:.1f} s, {summary.rate:,.0f} dossiers/s"
        )
    assert not import_bundle(tmp_path / "g").changed


def test_a_generated_bundle_uses_the_units_and_catalog_in_the_database(tmp_path, make):
    root = make.unit("ROOT", level="province", kind="people_committee")
    make.unit("XA.1", parent=root, level="commune")
    make.procedure("9.000001", fee=15000, online_level="full")
    generate_bundle(tmp_path / "g", dossiers=50, seed=2)
    units = (tmp_path / "g" / "units.csv").read_text(encoding="utf-8")
    assert "XA.1" in units and "000.00.00.H29" not in units
    summary = import_bundle(tmp_path / "g")
    assert summary.dossiers.created == 50
    assert set(Dossier.objects.values_list("procedure__code", flat=True)) == {"9.000001"}


def peak_memory_of_import(path) -> int:
    tracemalloc.start()
    try:
        import_bundle(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_dossiers(tmp_path, monkeypatch):
    # Small batches so that both runs hold full batches; what remains is the set of codes seen.
    monkeypatch.setattr(importer, "BATCH_SIZE", 500)
    monkeypatch.setattr("motcua.exchange.services.BATCH_SIZE", 500)
    generate_bundle(tmp_path / "warm", dossiers=500, seed=3)
    generate_bundle(tmp_path / "small", dossiers=2_000, seed=1)
    generate_bundle(tmp_path / "big", dossiers=15_000, seed=2)
    import_bundle(tmp_path / "warm")  # first-use allocations (imports, the calendar) out of the way
    small = peak_memory_of_import(tmp_path / "small")
    big = peak_memory_of_import(tmp_path / "big")
    input_growth = (tmp_path / "big" / "dossiers.jsonl").stat().st_size - (
        tmp_path / "small" / "dossiers.jsonl"
    ).stat().st_size
    # Holding the records (or even the raw lines) would add at least the input's growth (~9 MB);
    # the codes kept for the duplicate check add about 3 MB.
    assert big - small < input_growth / 2, (small, big, input_growth)
