"""`motcua dossier`: look at dossiers from the command line.

    motcua dossier show CODE [--json]
    motcua dossier list [--unit CODE] [--status S] [--limit N]
    motcua dossier overdue [--unit CODE]

An operator with shell access to the server reads every dossier; nothing here changes one.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from motcua.dossiers import selectors
from motcua.dossiers.choices import NATIONAL_STATUS, Status
from motcua.dossiers.models import Dossier
from motcua.orgs.models import Unit


def _when(value: Any) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else "—"


def _on_time(flag: bool | None) -> str:
    return {True: "đúng hạn", False: "trễ hạn", None: ""}[flag]


class Command(BaseCommand):
    help = "Xem hồ sơ: chi tiết một hồ sơ, danh sách theo đơn vị và trạng thái, hồ sơ quá hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        show = sub.add_parser("show", help="Chi tiết một hồ sơ: tiến trình, giấy tờ, bổ sung, nhật ký.")
        show.add_argument("code")
        show.add_argument("--json", action="store_true", help="In dạng JSON.")
        listing = sub.add_parser("list", help="Danh sách hồ sơ, mới nhất trước.")
        listing.add_argument("--unit", help="Mã đơn vị.")
        listing.add_argument("--status", choices=Status.values)
        listing.add_argument("--limit", type=int, default=50)
        overdue = sub.add_parser("overdue", help="Hồ sơ đang giải quyết đã quá ngày hẹn trả.")
        overdue.add_argument("--unit", help="Mã đơn vị.")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"show": self.show, "list": self.list, "overdue": self.overdue}[options["command"]]
        handler(**options)

    def _rows(self, unit: str | None) -> QuerySet[Dossier]:
        # The operator reads everything; the API and the web read through the user's scope.
        rows = Dossier.objects.select_related("unit", "procedure", "current_step", "current_step__unit")
        if unit:
            if not Unit.objects.filter(code=unit).exists():
                raise CommandError(f"Không có đơn vị mã {unit}.")
            rows = rows.filter(unit__code=unit)
        return rows

    def _line(self, d: Dossier, extra: str = "") -> None:
        step = d.current_step.name if d.current_step else ""
        self.stdout.write(
            f"{d.code}  {d.get_status_display():<32} hẹn {_when(d.due_at):<16}  {d.procedure.code}  {step}{extra}"
        )

    def show(self, code: str, **options: Any) -> None:
        d = (
            selectors.with_details(Dossier.objects.select_related("unit", "procedure"))
            .filter(code=code)
            .first()
        )
        if d is None:
            raise CommandError(f"Không có hồ sơ mã {code}.")
        steps = selectors.process_control(d)
        events = selectors.timeline(d)
        if options.get("json"):
            data = {
                "code": d.code,
                "procedure": d.procedure.code,
                "unit": d.unit.code,
                "channel": d.channel,
                "status": d.status,
                "national_status": NATIONAL_STATUS[Status(d.status)],
                "outcome": d.outcome,
                "applicant": d.applicant_name,
                "received_at": d.received_at,
                "due_at": d.due_at,
                "finished_at": d.finished_at,
                "returned_at": d.returned_at,
                "steps": [s.__dict__ for s in steps],
                "documents": [
                    {"name": x.name, "source": x.source, "available": x.available, "digitized": x.digitized}
                    for x in d.documents.all()
                ],
                "supplements": [
                    {"requested_at": s.requested_at, "received_at": s.received_at, "reason": s.reason}
                    for s in d.supplements.all()
                ],
                "events": [{"at": e.at, "action": e.action, "actor": e.actor_label} for e in events],
            }
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        w = self.stdout.write
        w(f"Hồ sơ {d.code} – {d.procedure.name} ({d.procedure.code})")
        w(f"Đơn vị: {d.unit.name} ({d.unit.code}); kênh: {d.get_channel_display()}")
        w(f"Trạng thái: {d.get_status_display()} (mã {NATIONAL_STATUS[Status(d.status)]})")
        w(f"Người nộp: {d.applicant_name} {d.applicant_id_number}".rstrip())
        w(
            f"Tiếp nhận: {_when(d.received_at)}; hẹn trả: {_when(d.due_at)}; kết thúc: {_when(d.finished_at)}; trả: {_when(d.returned_at)}"
        )
        if d.result_note:
            w(f"Kết quả / lý do: {d.result_note}")
        w("Quy trình (phiếu kiểm soát):")
        for s in steps:
            w(
                f"  {s.order}. {s.name} – {s.unit}: {_when(s.started_at)} → {_when(s.finished_at)} (hạn {_when(s.due_at)}) {_on_time(s.on_time)}"
            )
        w("Giấy tờ:")
        for x in d.documents.all():
            flags = ", ".join(f for f, on in (("đã có", x.available), ("số hóa", x.digitized)) if on)
            w(f"  - {x.name}: {x.get_source_display()}" + (f" ({flags})" if flags else ""))
        for s in d.supplements.all():
            w(f"Bổ sung: yêu cầu {_when(s.requested_at)}, nhận {_when(s.received_at)}: {s.reason}")
        for a in d.apologies.all():
            w(f"Xin lỗi {_when(a.issued_at)}: hẹn lại {_when(a.new_due_at)}: {a.reason}")
        w("Nhật ký:")
        for e in events:
            w(f"  {_when(e.at)}  {e.action}  {e.actor_label}")

    def list(
        self, unit: str | None = None, status: str | None = None, limit: int = 50, **options: Any
    ) -> None:
        rows = self._rows(unit)
        if status:
            rows = rows.filter(status=status)
        found = list(rows.order_by("-submitted_at", "-id")[: max(limit, 0)])
        for d in found:
            self._line(d)
        self.stdout.write(f"{len(found)} hồ sơ.")

    def overdue(self, unit: str | None = None, **options: Any) -> None:
        now = timezone.now()
        found = list(selectors.overdue(self._rows(unit), now).order_by("due_at", "id"))
        today = timezone.localtime(now).date()
        for d in found:
            assert d.due_at is not None
            days = (today - timezone.localtime(d.due_at).date()).days
            self._line(d, f"  (quá hạn {days} ngày)")
        self.stdout.write(f"{len(found)} hồ sơ quá hạn.")
