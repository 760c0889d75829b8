"""`motcua export DIR [--zip]`: write the database out as an exchange bundle."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.exchange.export import export_bundle


class Command(BaseCommand):
    help = _("Xuất toàn bộ dữ liệu thành gói dữ liệu trao đổi (thư mục, hoặc tệp .zip với --zip).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help=_("thư mục đích (hoặc tên tệp .zip với --zip)"))
        parser.add_argument("--zip", action="store_true", help=_("ghi thành một tệp .zip"))
        parser.add_argument("--json", action="store_true", help=_("in bản tóm tắt dạng JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        summary = export_bundle(options["path"], as_zip=options["zip"])
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            _(
                "Đã ghi %(path)s: %(units)d đơn vị, %(procedures)d thủ tục, %(dossiers)d hồ sơ (as_of %(as_of)s)."
            )
            % summary.as_dict()
        )
        if summary.reported is not None:
            self.stdout.write(_("Số liệu báo cáo: %(n)d dòng.") % {"n": summary.reported})
