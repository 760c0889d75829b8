"""`motcua import BUNDLE`: import an exchange bundle (a directory or a .zip)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.errors import LoadError
from motcua.exchange.services import import_bundle


class Command(BaseCommand):
    help = _("Nhập gói dữ liệu trao đổi (thư mục hoặc tệp .zip): đơn vị, thủ tục, hồ sơ, số liệu báo cáo.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("bundle", help=_("thư mục hoặc tệp .zip của gói dữ liệu"))
        parser.add_argument("--json", action="store_true", help=_("in bản tóm tắt dạng JSON"))
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help=_("không hiện thanh tiến trình (mặc định chỉ hiện trên terminal)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = sys.stderr.isatty() and not options["no_progress"]
        try:
            summary = import_bundle(options["bundle"], progress=progress)
        except LoadError as exc:
            raise CommandError(
                _("Gói dữ liệu có lỗi, không có gì được nhập.\n%(e)s") % {"e": exc.message}
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=1))
            return
        line = _("%(what)s: %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi")
        for what, counts in (
            (_("Đơn vị"), summary.units),
            (_("Thủ tục"), summary.procedures),
            (_("Hồ sơ"), summary.dossiers),
        ):
            self.stdout.write(line % {"what": what, **counts.as_dict()})
        if summary.reported is not None:
            self.stdout.write(_("Số liệu báo cáo: %(r)s") % {"r": summary.reported})
        self.stdout.write(
            _("Thời gian: %(s).1f giây, %(rate).0f hồ sơ/giây") % {"s": summary.seconds, "rate": summary.rate}
            if summary.seconds > 0
            else ""
        )
        if not summary.changed:
            self.stdout.write(_("Không có thay đổi (gói dữ liệu này đã được nhập)."))
