"""Export writes a bundle that imports into an empty database and exports again the same."""

from __future__ import annotations

import csv
import json
import zipfile

import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.exchange.export import export_bundle
from motcua.exchange.formats import parse_timestamp
from motcua.exchange.services import import_bundle
from motcua.orgs.models import Unit

pytestmark = pytest.mark.django_db

TIMES = ("received_at", "due_at", "finished_at", "returned_at")


def read_bundle(path):
    """The bundle's content, parsed and put in a canonical form (order-free, times as instants)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            files = {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
    else:
        files = {p.name: p.read_text(encoding="utf-8-sig") for p in path.iterdir()}
    dossiers = {}
    for line in files["dossiers.jsonl"].splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        for key in TIMES:
            d[key] = parse_timestamp(d[key]) if d.get(key) else None
        d["supplements"] = sorted(
            (parse_timestamp(s["requested_at"]), s["received_at"] and parse_timestamp(s["received_at"]))
            for s in d.get("supplements", [])
        )
        d["payments"] = sorted(
            (p["amount"], p.get("online", False), p.get("paid_at") and parse_timestamp(p["paid_at"]))
            for p in d.get("payments", [])
        )
        d["documents"] = sorted(tuple(sorted(doc.items())) for doc in d.get("documents", []))
        d.setdefault("synced", True)
        d.setdefault("complaint", False)
        result = d.get("result") or {}
        d["result"] = tuple(bool(result.get(k)) for k in ("electronic", "digitized", "to_store"))
        dossiers[d["code"]] = d
    units = sorted(tuple(row.items()) for row in csv.DictReader(files["units.csv"].splitlines()))
    procedures = sorted(tuple(row.items()) for row in csv.DictReader(files["procedures.csv"].splitlines()))
    manifest = json.loads(files["manifest.json"])
    return {"manifest": manifest, "units": units, "procedures": procedures, "dossiers": dossiers}


def wipe():
    """Empty every table an import fills, as a fresh database would be."""
    Dossier.objects.all().delete()
    Procedure.objects.all().delete()
    while Unit.objects.exists():  # leaves first: a parent is protected while it has children
        Unit.objects.filter(children__isnull=True).delete()


def test_export_then_import_into_an_empty_database_gives_the_same_bundle(tiny, tmp_path):
    import_bundle(tiny)
    first = tmp_path / "first"
    export_bundle(first)
    wipe()
    import_bundle(first)
    second = tmp_path / "second"
    export_bundle(second)
    a, b = read_bundle(first), read_bundle(second)
    assert a["units"] == b["units"]
    assert a["procedures"] == b["procedures"]
    assert a["dossiers"] == b["dossiers"]
    assert a["manifest"]["province"] == b["manifest"]["province"] == "42"


def test_export_carries_what_the_tiny_bundle_said(tiny, tmp_path):
    import_bundle(tiny)
    export_bundle(tmp_path / "out")
    original, exported = read_bundle(tiny), read_bundle(tmp_path / "out")
    assert exported["dossiers"] == original["dossiers"]
    assert exported["units"] == original["units"]
    # Procedures: the same rows, an empty day_kind being written out as its meaning, "working".
    original_procedures = [
        tuple((k, "working" if k == "day_kind" and not v else v) for k, v in row)
        for row in original["procedures"]
    ]
    assert exported["procedures"] == sorted(original_procedures)
    assert exported["dossiers"]["D1"]["due_at"] is None  # a null due_at stays null


def test_export_as_zip_imports(tiny, tmp_path):
    import_bundle(tiny)
    call_command("export", str(tmp_path / "bundle"), "--zip")
    archive = tmp_path / "bundle.zip"
    assert zipfile.is_zipfile(archive)
    wipe()
    summary = import_bundle(archive)
    assert summary.dossiers.created == 14


def test_export_streams_in_chunks_without_a_query_per_dossier(
    tiny, tmp_path, django_assert_max_num_queries, monkeypatch
):
    from motcua.exchange import export

    import_bundle(tiny)
    monkeypatch.setattr(export, "CHUNK_SIZE", 4)  # 14 dossiers: 4 chunks and an empty one
    with django_assert_max_num_queries(5 * 6 + 10):
        export_bundle(tmp_path / "out")
    assert len(read_bundle(tmp_path / "out")["dossiers"]) == 14
