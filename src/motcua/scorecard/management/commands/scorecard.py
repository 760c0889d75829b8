"""`motcua scorecard --plan CODE --period P [--as-of T] [--format json|csv|xlsx] [--output FILE]`."""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.errors import MotcuaError
from motcua.scorecard import engine, output
from motcua.scorecard.periods import Period, vietnam_time


def _as_of(text: str) -> dt.datetime:
    try:
        return vietnam_time(dt.datetime.fromisoformat(text.strip()))
    except ValueError as exc:
        raise CommandError(
            f"--as-of “{text}” không hợp lệ: dùng ISO 8601, vd 2023-12-31T23:59:59+07:00 (không có múi giờ: giờ Việt Nam)."
        ) from exc


class Command(BaseCommand):
    help = (
        "Tính bảng điểm của một kế hoạch hoặc bộ chỉ số cho một kỳ (2023, 2023-Q2, 2023-05) và in ra JSON, CSV "
        "hoặc Excel. as_of mặc định: thời điểm của số liệu đã nhập, hoặc hiện tại."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="mã kế hoạch / bộ chỉ số, vd hatinh-2023, qd766")
        parser.add_argument("--period", required=True, help="kỳ: 2023, 2023-Q2 hoặc 2023-05")
        parser.add_argument("--as-of", dest="as_of", help="thời điểm số liệu (ISO 8601)")
        parser.add_argument("--format", choices=output.FORMATS, default="json")
        parser.add_argument("--output", "-o", help="ghi ra tệp (mặc định: màn hình)")

    def handle(self, *args, **options) -> None:
        as_of = _as_of(options["as_of"]) if options["as_of"] else None
        try:
            definition, plan = engine.resolve_plan(options["plan"])
            period = Period.parse(options["period"])
            moment = as_of if as_of is not None else engine.effective_as_of()
            rows = engine.Evaluation(definition, plan, period, moment).rows()
        except MotcuaError as exc:
            raise CommandError(exc.message) from exc
        doc = output.document(definition, period.code, moment, rows)
        fmt, target = options["format"], options["output"]
        if fmt == "xlsx":
            data = output.xlsx_bytes(definition, doc)
            if target:
                with open(target, "wb") as f:
                    f.write(data)
            else:
                sys.stdout.buffer.write(data)
            return
        text = output.json_text(doc) if fmt == "json" else output.csv_text(definition, doc)
        if target:
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
