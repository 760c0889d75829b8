"""`motcua demo [--no-serve]`: set up Hà Tĩnh's demo and serve it.

Migrates, loads the real units, the calendar's day swaps, the procedure catalog and the reform
plans, creates one demo user per role, generates the demo year of dossiers, then serves. A second
run reuses what is there: loaders are idempotent and the year is generated only once.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.operations.demo_users import DEMO_PASSWORD, ensure_demo_users


class Command(BaseCommand):
    help = "Dựng dữ liệu mẫu Hà Tĩnh và chạy hệ thống / Set up the Hà Tĩnh demo and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument(
            "--dossiers", type=int, default=None, help="dossiers in the demo year (default 100000)"
        )
        parser.add_argument("--bind", default=None)

    def step(self, label: str):
        self.stdout.write(f"→ {label}…")
        self.stdout.flush()
        return time.monotonic()

    def done(self, started: float, detail: str = "") -> None:
        self.stdout.write(
            f"  {detail} ({time.monotonic() - started:.1f} s)"
            if detail
            else f"  ({time.monotonic() - started:.1f} s)"
        )

    def handle(self, *args, no_serve, dossiers, bind, **options):
        from motcua.catalog.services import load_catalog
        from motcua.orgs.services import load_units
        from motcua.scorecard.services import load_plans

        # The demo pays with the built-in simulator "bank" (never enabled by default elsewhere).
        settings.PAYMENT_SIMULATOR = True
        total = time.monotonic()
        t = self.step("Cập nhật cơ sở dữ liệu (migrate)")
        call_command("migrate", interactive=False, verbosity=0)
        self.done(t)

        t = self.step("Đơn vị hành chính Hà Tĩnh")
        units = load_units("42")
        self.done(t, f"{units.created} mới, {units.updated} cập nhật, {units.unchanged} không đổi")

        t = self.step("Danh mục thủ tục hành chính")
        catalog = load_catalog()
        self.done(t, f"{catalog.created} mới, {catalog.updated} cập nhật, {catalog.unchanged} không đổi")

        t = self.step("Kế hoạch CCHC và bộ chỉ số")
        plans = load_plans()
        self.done(t, ", ".join(p.code for p in plans))

        t = self.step("Tài khoản mẫu")
        users = ensure_demo_users()
        self.done(t, f"{sum(created for _, created in users)} mới")

        from motcua.operations import demo_live, demo_year
        from motcua.operations.demo_users import DEMO_CITIZEN, LIVE_COMMUNE, LIVE_DEPARTMENT

        t = self.step("Một năm hồ sơ mẫu (2023)")
        summary = demo_year.ensure_year(dossiers=dossiers)
        self.done(t, summary)

        t = self.step("Hồ sơ đang giải quyết hôm nay (qua các dịch vụ nghiệp vụ)")
        made = demo_live.ensure_live([LIVE_COMMUNE, LIVE_DEPARTMENT], DEMO_CITIZEN)
        self.done(t, f"{made} hồ sơ mới" if made else "đã có, giữ nguyên")

        self.stdout.write(
            f"\nSẵn sàng sau {time.monotonic() - total:.0f} s. Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):"
        )
        for demo, _ in users:
            where = demo.unit_code or "—"
            self.stdout.write(f"  {demo.username:<18} {demo.role:<20} {where:<16} {demo.full_name}")
        self.stdout.write("")
        if not no_serve:
            serve_args = ["serve"] + (["--bind", bind] if bind else [])
            call_command(*serve_args)
