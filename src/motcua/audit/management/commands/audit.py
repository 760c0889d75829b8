"""`motcua audit verify`, `tail` and `head`: check and read the audit chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.models import AuditChainHead, AuditEvent
from motcua.audit.services import HEAD_PK, verify_chain


class Command(BaseCommand):
    help = (
        "Audit log: verify the hash chain or show the latest events "
        "(nhật ký: kiểm tra chuỗi, xem sự kiện mới nhất)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,tail,head}")
        sub.add_parser(
            "verify",
            help="Check every event's hash and link; exit 1 naming the first bad event "
            "(kiểm tra tính toàn vẹn của nhật ký).",
        )
        tail = sub.add_parser("tail", help="Print the latest events (in ra các sự kiện mới nhất).")
        tail.add_argument("-n", type=int, default=20, help="how many events (default 20)")
        sub.add_parser(
            "head",
            help="Print the last sequence number and hash, to keep a copy outside the database "
            "(in số thứ tự và mã băm cuối chuỗi để lưu giữ bên ngoài).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify()
        elif options["subcommand"] == "tail":
            self.tail(options["n"])
        else:
            head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
            if head is None:
                raise CommandError(_("Thiếu đầu chuỗi nhật ký."))
            self.stdout.write(f"{head.seq} {head.hash}")

    def verify(self) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(_("Nhật ký toàn vẹn: %(count)s sự kiện") % {"count": result.count})
            )
            return
        where = f"#{result.first_bad_seq}"
        if result.first_bad_id is not None:
            where += f" (id={result.first_bad_id}, {result.first_bad_action})"
        raise CommandError(
            _(
                "Nhật ký bị hỏng tại sự kiện %(where)s: %(reason)s "
                "Đã kiểm tra đúng %(count)s sự kiện trước đó."
            )
            % {"where": where, "reason": result.reason, "count": result.count},
            returncode=1,
        )

    def tail(self, n: int) -> None:
        if n < 1:
            raise CommandError(_("-n phải là số nguyên dương."))
        events = list(AuditEvent.objects.order_by("-seq")[:n])
        for event in reversed(events):
            at = timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S")
            actor = event.actor_label or _("(hệ thống)")
            target = f"{event.object_type}:{event.object_id}" if event.object_type else ""
            self.stdout.write(f"#{event.seq}  {at}  {actor}  {event.action}  {target}".rstrip())
