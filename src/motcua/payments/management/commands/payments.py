"""`motcua payments reconcile --date YYYY-MM-DD`: compare a gateway's settlement file with our records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.errors import MotcuaError
from motcua.payments import services


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Ngày không hợp lệ: %(value)s (cần YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = "Payments: reconcile a day's online payments with the gateway (đối soát thanh toán trực tuyến)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{reconcile}")
        reconcile = sub.add_parser(
            "reconcile",
            help="Compare the gateway's settlement file for one day with the payments recorded here; "
            "exit 1 when they differ.",
        )
        reconcile.add_argument("--date", required=True, help="the day, YYYY-MM-DD (Vietnam time)")
        reconcile.add_argument("--gateway", default=None, help="gateway name (default: the default gateway)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"])
        try:
            report = services.reconcile(day, gateway=options["gateway"])
        except MotcuaError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _(
                "Cổng %(gateway)s, ngày %(day)s: khớp %(matched)s giao dịch; "
                "tổng theo cổng %(theirs)s đồng, theo hệ thống %(ours)s đồng."
            )
            % {
                "gateway": report.gateway,
                "day": day.strftime("%d/%m/%Y"),
                "matched": report.matched,
                "theirs": report.gateway_total,
                "ours": report.our_total,
            }
        )
        for m in report.mismatches:
            theirs = "-" if m.gateway_amount is None else m.gateway_amount
            ours = "-" if m.our_amount is None else m.our_amount
            line = f"{m.kind}\t{m.reference}\t{_('cổng')}={theirs}\t{_('hệ thống')}={ours}"
            self.stdout.write(f"{line}\t{m.detail}".rstrip())
        if not report.ok:
            raise CommandError(
                _("%(count)s chênh lệch khi đối soát.") % {"count": len(report.mismatches)}, returncode=1
            )
        self.stdout.write(self.style.SUCCESS(_("Đối soát khớp.")))
