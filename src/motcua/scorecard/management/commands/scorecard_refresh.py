"""`motcua scorecard-refresh [--watch]`: recompute stale stored scorecards of the current periods."""

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from motcua.scorecard import services


class Command(BaseCommand):
    help = (
        "Tính lại kết quả đã lưu của năm, quý, tháng hiện tại cho mọi kế hoạch khi số liệu đã thay đổi. "
        "--watch: chạy liên tục (dùng khi tắt luồng làm mới trong tiến trình web, MOTCUA_SCORECARD_REFRESH=off)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watch", action="store_true", help="chạy liên tục")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="giây giữa hai lần kiểm tra (mặc định 0,5)"
        )

    def handle(self, *args, **options) -> None:
        if not options["watch"]:
            done = services.refresh_current()
            self.stdout.write(f"Đã tính lại {done} bảng kết quả.")
            return
        while True:
            started = time.monotonic()
            done = services.refresh_current()
            if done:
                self.stdout.write(f"Đã tính lại {done} bảng kết quả ({time.monotonic() - started:.2f} giây).")
            # Do not hold a connection (or a SQLite snapshot) while sleeping.
            connection.close()
            time.sleep(options["interval"])
