"""`motcua load-units`: load the shipped unit tree of a province, or a units.csv file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.errors import LoadError, MotcuaError
from motcua.orgs.choices import UnitLevel
from motcua.orgs.services import load_units


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of: not a date YYYY-MM-DD: {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Load organisation units (nạp danh mục đơn vị): the shipped data of a province, or a units.csv "
        "in the exchange format. Every unit is loaded with its validity dates; --as-of only chooses the "
        "day whose units in force are counted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province", default="42", help="administrative code of the province (default 42)"
        )
        parser.add_argument(
            "--as-of", type=str, default=None, help="count units in force on this day (default today)"
        )
        parser.add_argument(
            "--file",
            type=Path,
            action="append",
            default=None,
            help="a units.csv to load instead of the shipped data (may be given more than once)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else None
        try:
            summary = load_units(options["province"], as_of, files=options["file"])
        except LoadError as exc:
            for file, line, field, message in exc.errors:
                self.stderr.write(f"{file}:{line if line is not None else '-'}: {field or '-'}: {message}")
            raise CommandError(
                _("Dữ liệu có %(n)d lỗi; không nạp đơn vị nào.") % {"n": len(exc.errors)}, returncode=1
            ) from exc
        except MotcuaError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(
            _(
                "Đã nạp %(total)d đơn vị của tỉnh %(province)s từ %(files)s: "
                "tạo mới %(created)d, cập nhật %(updated)d, không đổi %(unchanged)d."
            )
            % {
                "total": summary.total,
                "province": summary.province,
                "files": ", ".join(summary.files),
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
        )
        self.stdout.write(_("Còn hiệu lực ngày %(day)s:") % {"day": summary.as_of.strftime("%d/%m/%Y")})
        for level in UnitLevel:
            self.stdout.write(f"  {level.label}: {summary.in_force.get(level.value, 0)}")
