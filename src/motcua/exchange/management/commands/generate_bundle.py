"""`motcua generate-bundle DIR --dossiers N --seed S [--year 2023]`: a realistic test bundle."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.exchange.generator import generate_bundle


class Command(BaseCommand):
    help = _("Sinh một gói dữ liệu trao đổi giống thật (cho đo hiệu năng và kiểm thử).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help=_("thư mục đích"))
        parser.add_argument("--dossiers", type=int, required=True, help=_("số hồ sơ"))
        parser.add_argument(
            "--seed", type=int, default=1, help=_("hạt giống ngẫu nhiên (cùng hạt giống, cùng gói)")
        )
        parser.add_argument("--year", type=int, default=2023, help=_("năm tiếp nhận hồ sơ"))

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = generate_bundle(
            options["path"], dossiers=options["dossiers"], seed=options["seed"], year=options["year"]
        )
        self.stdout.write(
            _(
                "Đã ghi %(path)s: %(units)d đơn vị, %(procedures)d thủ tục, %(dossiers)d hồ sơ trong %(s).1f giây."
            )
            % {**result.__dict__, "s": time.perf_counter() - started}
        )
