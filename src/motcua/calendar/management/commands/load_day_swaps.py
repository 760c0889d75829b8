"""`motcua load-day-swaps [--file PATH]`: load the yearly day swaps (the bundled file by default)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.calendar import services as cal
from motcua.calendar.day_swaps_file import BUNDLED_DAY_SWAPS
from motcua.errors import LoadError


class Command(BaseCommand):
    help = "Nạp các ngày hoán đổi (nghỉ bù, làm bù) từ tệp CSV date,kind,description,legal_basis; chạy lại nhiều lần không sao."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", default=str(BUNDLED_DAY_SWAPS), help="tệp CSV (mặc định: tệp đi kèm motcua)"
        )

    def handle(self, *args, **options) -> None:
        try:
            result = cal.load_day_swaps(options["file"])
        except LoadError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Ngày hoán đổi: {result.created} thêm mới, {result.updated} cập nhật, {result.unchanged} không đổi."
        )
