"""On the demo data: `motcua export` then `motcua import` into an empty database reproduces the same
scorecards — for a year imported through the bulk path and for today's dossiers handled through
the services alike. The empty database is a new SQLite file driven through the real command line,
so on the PostgreSQL run this also shows both databases give the same numbers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from motcua.catalog.services import load_catalog
from motcua.dossiers.choices import Source
from motcua.dossiers.models import Dossier
from motcua.exchange.export import export_bundle
from motcua.operations import demo_live, demo_year
from motcua.operations.demo_users import DEMO_CITIZEN, LIVE_COMMUNE, LIVE_DEPARTMENT, ensure_demo_users
from motcua.orgs.services import load_units
from motcua.scorecard.engine import evaluate, resolve_plan
from motcua.scorecard.output import document

pytestmark = pytest.mark.django_db(transaction=True)


def _motcua(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MOTCUA_DATA_DIR"] = str(data_dir)
    env["MOTCUA_SCORECARD_REFRESH"] = "off"
    result = subprocess.run(
        [sys.executable, "-m", "motcua", *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _here(plan: str, period: str, as_of: dt.datetime) -> list[dict]:
    doc = document(resolve_plan(plan)[0], period, as_of, evaluate(plan, period, as_of))
    return json.loads(json.dumps(doc["results"]))


def test_export_then_import_into_an_empty_database_gives_the_same_scorecards(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    load_units("42")
    load_catalog()
    ensure_demo_users()
    demo_year.ensure_year(dossiers=1500)
    demo_live.ensure_live([LIVE_COMMUNE, LIVE_DEPARTMENT], DEMO_CITIZEN)
    assert Dossier.objects.filter(source=Source.MOTCUA).count() > 20
    bundle = tmp_path / "bundle"
    export_bundle(bundle)

    empty = tmp_path / "empty"
    _motcua("migrate", "-v0", data_dir=empty)
    _motcua("import", str(bundle), data_dir=empty)

    now = timezone.localtime().replace(microsecond=0)
    year = str(now.year)
    month = f"{now:%Y-%m}"
    cases = [
        ("hatinh-2023", "2023", demo_year.AS_OF),
        ("qd766", "2023", demo_year.AS_OF),
        ("qd766", "2023-Q4", demo_year.AS_OF),
        ("hatinh-2023", year, now),  # today's dossiers, made through the services
        ("qd766", month, now),
    ]
    for plan, period, as_of in cases:
        out = tmp_path / f"{plan}-{period}.json"
        _motcua(
            "scorecard",
            "--plan",
            plan,
            "--period",
            period,
            "--as-of",
            as_of.isoformat(),
            "--format",
            "json",
            "--output",
            str(out),
            data_dir=empty,
        )
        there = json.loads(out.read_text(encoding="utf-8"))["results"]
        here = _here(plan, period, as_of)
        assert here, f"{plan} {period}: no rows to compare"
        assert there == here, f"{plan} {period} differs after the round trip"
