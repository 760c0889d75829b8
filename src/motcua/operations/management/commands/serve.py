"""`motcua serve`: run the web application under gunicorn (gthread workers)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Phục vụ ứng dụng bằng gunicorn / Serve the application with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("MOTCUA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "4")))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, bind, workers, threads, no_collectstatic, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"motcua: http://{bind}/  (dữ liệu: {settings.DATA_DIR})")
        self.stdout.flush()
        argv = [
            "gunicorn",
            "motcua.wsgi:application",
            "--bind",
            bind,
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        from gunicorn.app.wsgiapp import run

        sys.argv = argv
        run()
