"""`motcua load-catalog [--file PATH]`: load a procedure catalog (the Hà Tĩnh demo catalog by default)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog import services
from motcua.errors import LoadError


class Command(BaseCommand):
    help = (
        "Nạp danh mục thủ tục hành chính từ tệp JSON (định dạng motcua-catalog) hoặc procedures.csv "
        "(định dạng trao đổi); mặc định là danh mục mẫu của Hà Tĩnh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            dest="path",
            help="Tệp .json (motcua-catalog) hoặc .csv (procedures.csv của gói trao đổi)",
        )

    def handle(self, *args: object, path: str | None = None, **options: object) -> None:
        try:
            if path and Path(path).suffix.lower() == ".csv":
                summary = services.load_catalog_csv(path)
            else:
                summary = services.load_catalog(path)
        except LoadError as exc:
            lines = [
                f"{file}:{line if line is not None else '-'}:{field or '-'}: {message}"
                for file, line, field, message in exc.errors
            ]
            raise CommandError(f"{len(lines)} lỗi, không nạp gì:\n" + "\n".join(lines)) from exc
        self.stdout.write(
            f"{summary.source}: {summary.total} thủ tục — {summary.created} mới, "
            f"{summary.updated} cập nhật, {summary.unchanged} không đổi."
        )
        if summary.unresolved_units:
            self.stdout.write(
                "Chưa có đơn vị cấp tỉnh (để trống province_unit): " + "; ".join(summary.unresolved_units)
            )
