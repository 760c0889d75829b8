"""`motcua create-token USERNAME --name NAME`: an API token; prints its secret once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import services
from motcua.accounts.models import User
from motcua.errors import MotcuaError


class Command(BaseCommand):
    help = "Create an API token for a user and print its secret, shown only once (tạo mã truy cập API)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for (tên)")
        parser.add_argument("--expires-days", type=int, help="expire after this many days (default: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("Không có người dùng “%(u)s”.") % {"u": options["username"]})
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError(_("--expires-days phải là số nguyên dương."))
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            _token, secret = services.create_api_token(user, options["name"], None, expires_at=expires_at)
        except MotcuaError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
