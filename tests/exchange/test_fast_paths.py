"""The fast paths of a large import give exactly what the plain path gives."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.exchange import pipeline, services
from motcua.exchange.generator import generate_bundle
from motcua.exchange.records import _careful_dossier, parse_dossier
from motcua.exchange.services import import_bundle
from tests.exchange.conftest import TOUCHED, dump

pytestmark = pytest.mark.django_db

# Columns that hold the time of the run or a database-assigned id, not imported content.
VOLATILE = {"created_at", "updated_at", "id", "seq", "at", "hash", "prev_hash", "after", "reviewed_at"}


def content() -> dict[str, list[str]]:
    """Every imported row without run-dependent columns, a dossier named by its code, not its id."""
    from django.apps import apps

    codes = dict(Dossier.objects.values_list("pk", "code"))
    result = {}
    for label in TOUCHED:
        if label == "audit.AuditEvent":
            continue
        model = apps.get_model(label)
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
        rows = []
        for values in model._default_manager.values(*fields):
            if "dossier_id" in values:
                values["dossier_id"] = codes[values["dossier_id"]]
            rows.append(repr(sorted(values.items())))
        result[label] = sorted(rows)
    return result


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        tables = [
            t
            for t in connection.introspection.table_names(cursor)
            if t.startswith(("dossiers_", "payments_", "feedback_"))
        ]
        return {
            name
            for table in tables
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        }


def test_pipeline_and_plain_path_write_the_same_rows(tmp_path, monkeypatch):
    generate_bundle(tmp_path / "g", dossiers=pipeline.PIPELINE_FROM + 1500, seed=5)
    monkeypatch.setattr(pipeline, "PIPELINE_FROM", 10**9)
    import_bundle(tmp_path / "g")
    plain = content()
    Dossier.objects.all().delete()
    monkeypatch.setattr(pipeline, "PIPELINE_FROM", 1)
    used = []
    original = pipeline.run_pipeline
    monkeypatch.setattr(services, "run_pipeline", lambda *args: used.append(original(*args)) or used[-1])
    import_bundle(tmp_path / "g")
    assert used == [True]
    assert content() == plain


def test_indexes_dropped_for_a_large_load_are_built_again(tiny, monkeypatch):
    before = index_names()
    monkeypatch.setattr(services, "DEFER_INDEXES_FROM", 1)
    import_bundle(tiny)
    assert index_names() == before
    assert dump()["dossiers.Dossier"]


def test_the_fast_parser_agrees_with_the_careful_one(tiny):
    import orjson

    for line in (tiny / "dossiers.jsonl").read_bytes().splitlines():
        obj = orjson.loads(line)
        assert parse_dossier(obj) == _careful_dossier(obj)
    odd = orjson.loads((tiny / "dossiers.jsonl").read_bytes().splitlines()[0])
    odd["payments"][0]["amount"] = 200000.0  # whole but written as a float: careful path, same record
    record, problems = parse_dossier(odd)
    assert not problems and record.payments[0][0] == 200000


def _sqlite_connection(path):
    """A Django connection of its own to a SQLite file, set up as the project's settings set one."""
    from django.conf import settings
    from django.db.backends.sqlite3.base import DatabaseWrapper

    options = settings.DATABASES["default"].get("OPTIONS", {}) if connection.vendor == "sqlite" else {}
    init = options.get("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    wrapper = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {"init_command": init, "timeout": 30},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="bulk-load-test",
    )
    wrapper.ensure_connection()
    return wrapper


def _mode(conn) -> tuple[str, int]:
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        return mode, cursor.fetchone()[0]


def test_a_bulk_load_on_sqlite_leaves_wal_only_when_it_has_the_database_to_itself(tmp_path):
    import sqlite3
    import time

    from motcua.exchange.services import sqlite_journal_for_bulk_load

    conn = _sqlite_connection(tmp_path / "db.sqlite3")
    try:
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
        assert _mode(conn) == ("wal", 1)
        with sqlite_journal_for_bulk_load(conn) as switched:
            assert switched and _mode(conn) == ("delete", 2)  # rollback journal, synchronous FULL
            with conn.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (1)")
        assert _mode(conn) == ("wal", 1)

        other = sqlite3.connect(tmp_path / "db.sqlite3")  # someone else has it open, in WAL mode
        try:
            assert other.execute("SELECT COUNT(*) FROM t").fetchone() == (1,)
            started = time.perf_counter()
            with sqlite_journal_for_bulk_load(conn) as switched:
                assert not switched and _mode(conn) == ("wal", 1)
            assert time.perf_counter() - started < 5  # no wait for the 30 s busy timeout
            with conn.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] == 30_000
        finally:
            other.close()
    finally:
        conn.close()
