"""`motcua create-official USERNAME --unit CODE --role ROLE`: an official's account with a role in a unit."""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.accounts import services
from motcua.accounts.choices import STAFF_ROLES
from motcua.errors import MotcuaError
from motcua.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "Create an official's account holding a role in a unit (tạo tài khoản cán bộ). "
        "Without --password: asks for one on a terminal, otherwise generates one and prints it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--unit", required=True, help="unit code (mã đơn vị)")
        parser.add_argument("--role", required=True, choices=[r.value for r in STAFF_ROLES])
        parser.add_argument("--full-name", default="", help="họ và tên")
        parser.add_argument("--title", default="", help="chức vụ")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="the password (visible in the shell history; prefer the prompt)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": options["unit"]})
        password, generated = options["password"], False
        if not password:
            if sys.stdin.isatty():
                password = getpass.getpass(_("Mật khẩu: "))
                if password != getpass.getpass(_("Nhập lại mật khẩu: ")):
                    raise CommandError(_("Hai lần nhập mật khẩu không khớp."))
            else:
                password, generated = secrets.token_urlsafe(12), True
        try:
            user = services.create_official(
                options["username"],
                password,
                options["full_name"],
                unit,
                options["role"],
                None,
                title=options["title"],
                email=options["email"],
            )
        except MotcuaError as exc:
            field = f"{exc.field}: " if exc.field else ""
            raise CommandError(f"{field}{exc.message}") from exc
        self.stdout.write(
            _("Đã tạo cán bộ %(user)s (%(role)s, %(unit)s).")
            % {"user": user.username, "role": options["role"], "unit": unit.code}
        )
        if generated:
            self.stdout.write(_("Mật khẩu (chỉ hiện một lần): %(password)s") % {"password": password})
