"""`motcua backup FILE`: a consistent copy of the database while the system runs.

SQLite: the online backup API (readers and writers may go on meanwhile).
PostgreSQL: `pg_dump --format=custom` of the database named by DATABASE_URL.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu / Back up the database (SQLite online backup or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp đích / target file")

    def handle(self, *args, file, **options):
        target = Path(file).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            dest = sqlite3.connect(str(target))
            with dest:
                connection.connection.backup(dest)
            dest.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump không có trên máy này / pg_dump is not installed")
            env = {"PGPASSWORD": db.get("PASSWORD") or ""}
            cmd = [
                "pg_dump",
                "--format=custom",
                "--file",
                str(target),
                "--host",
                db.get("HOST") or "localhost",
            ]
            if db.get("PORT"):
                cmd += ["--port", str(db["PORT"])]
            if db.get("USER"):
                cmd += ["--username", db["USER"]]
            cmd.append(db["NAME"])
            result = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(result.stderr.strip())
        else:
            raise CommandError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}")
        self.stdout.write(f"Đã sao lưu vào {target} ({target.stat().st_size:,} bytes)")
