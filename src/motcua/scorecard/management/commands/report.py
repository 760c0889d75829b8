"""`motcua report --plan CODE --period P [--as-of T] --format xlsx|docx [--output FILE]`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.errors import MotcuaError
from motcua.scorecard import engine, reports, services
from motcua.scorecard.management.commands.scorecard import _as_of
from motcua.scorecard.periods import Period


def _day(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(f"--date “{text}” không hợp lệ: dùng dd/mm/yyyy, vd 27/11/2026.")


class Command(BaseCommand):
    help = (
        "Báo cáo của một kế hoạch hoặc bộ chỉ số cho một kỳ: bảng Excel (mỗi phạm vi một trang) hoặc báo cáo "
        "Word theo thể thức Nghị định 30/2020/NĐ-CP. Không có --as-of: đọc kết quả đã lưu (tính trước nếu "
        "chưa có hoặc đã cũ); có --as-of: tính tại thời điểm đó, không lưu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="mã kế hoạch / bộ chỉ số, vd hatinh-2023, qd766")
        parser.add_argument("--period", required=True, help="kỳ: 2023, 2023-Q2 hoặc 2023-05")
        parser.add_argument("--as-of", dest="as_of", help="thời điểm số liệu (ISO 8601)")
        parser.add_argument("--format", choices=reports.FORMATS, required=True)
        parser.add_argument(
            "--output", "-o", help="tệp ghi ra (mặc định: bao-cao-<kế hoạch>-<kỳ>.<định dạng>)"
        )
        heading = parser.add_argument_group("báo cáo Word")
        heading.add_argument("--superior", default="", help="cơ quan chủ quản, vd “UBND tỉnh Hà Tĩnh”")
        heading.add_argument("--issuer", default="", help="cơ quan ban hành, vd “Sở Nội vụ”")
        heading.add_argument("--symbol", default="BC-SNV", help="ký hiệu văn bản (mặc định BC-SNV)")
        heading.add_argument("--number", default="", help="số văn bản (mặc định để trống)")
        heading.add_argument("--date", help="ngày ban hành dd/mm/yyyy (mặc định: hôm nay)")
        heading.add_argument("--signer-title", dest="signer_title", default="", help="chức vụ người ký")
        heading.add_argument("--signer-name", dest="signer_name", default="", help="họ và tên người ký")
        heading.add_argument(
            "--recipient", dest="recipients", action="append", default=[], help="nơi nhận (lặp lại được)"
        )

    def handle(self, *args, **options) -> None:
        as_of = _as_of(options["as_of"]) if options["as_of"] else None
        day = _day(options["date"]) if options["date"] else None
        try:
            if as_of is None:
                data = reports.from_stored(services.current_results(options["plan"], options["period"]))
            else:
                definition, _plan = engine.resolve_plan(options["plan"])
                period = Period.parse(options["period"])
                rows = engine.evaluate(options["plan"], period.code, as_of)
                data = reports.from_rows(definition, period, as_of, rows)
        except MotcuaError as exc:
            raise CommandError(exc.message) from exc
        fmt = options["format"]
        if fmt == "xlsx":
            body = reports.workbook_bytes(data)
        else:
            heading = reports.Heading(
                superior=options["superior"],
                issuer=options["issuer"],
                symbol=options["symbol"],
                number=options["number"],
                signer_title=options["signer_title"],
                signer_name=options["signer_name"],
                recipients=tuple(options["recipients"]),
            )
            body = reports.word_bytes(data, heading, day)
        target = Path(options["output"] or reports.file_name(data, fmt))
        target.write_bytes(body)
        self.stdout.write(f"Đã ghi {target} ({len(body):,} byte).".replace(",", "."))
