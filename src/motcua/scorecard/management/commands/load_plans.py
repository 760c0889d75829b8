"""`motcua load-plans [FILE …]`: store the shipped plans and indices, and any definition files given."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.errors import LoadError
from motcua.scorecard import services


class Command(BaseCommand):
    help = (
        "Nạp các kế hoạch, bộ chỉ số đi kèm motcua (hatinh-2023, qd766) và các tệp định nghĩa được chỉ ra "
        "(docs/indicators-format.md). Tệp có lỗi thì không nạp gì; chạy lại nhiều lần không sao."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="tệp định nghĩa JSON")
        parser.add_argument("--no-shipped", action="store_true", help="chỉ nạp các tệp được chỉ ra")

    def handle(self, *args, **options) -> None:
        try:
            loaded = services.load_plans(options["files"], shipped=not options["no_shipped"])
        except LoadError as exc:
            raise CommandError(exc.message) from exc
        labels = {"created": "thêm mới", "updated": "cập nhật", "unchanged": "không đổi"}
        for item in loaded:
            self.stdout.write(f"{item.code}: {labels[item.outcome]} – {item.name}")
