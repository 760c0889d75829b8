import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command


def _motcua(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_sqlite_online_backup_is_a_consistent_copy(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MOTCUA_DATA_DIR"] = str(tmp_path / "data")
    assert _motcua("migrate", "-v0", env=env).returncode == 0
    live = sqlite3.connect(tmp_path / "data" / "motcua.sqlite3")
    live.execute("CREATE TABLE probe (name TEXT)")
    live.execute("INSERT INTO probe VALUES ('Ủy ban nhân dân tỉnh Hà Tĩnh')")
    live.commit()
    live.execute("BEGIN")
    live.execute("INSERT INTO probe VALUES ('uncommitted')")  # a writer still busy: not in the copy
    target = tmp_path / "copy.sqlite3"
    result = _motcua("backup", str(target), env=env)
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(target)
    assert [r[0] for r in copy.execute("SELECT name FROM probe")] == ["Ủy ban nhân dân tỉnh Hà Tĩnh"]
    assert copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 10
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.django_db
def test_postgres_backup_writes_a_pg_dump_archive(tmp_path, on_postgres):
    import shutil

    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    target = tmp_path / "motcua.dump"
    call_command("backup", str(target))
    assert target.read_bytes()[:5] == b"PGDMP"
