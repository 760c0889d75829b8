"""The site's name and the main navigation, which depends on who is signed in.

- signed out: Thủ tục, Tra cứu hồ sơ;
- a citizen or organisation: Thủ tục, Hồ sơ của tôi, Kho dữ liệu, Tra cứu hồ sơ;
- an official: Hàng đợi, Tiếp nhận (counter officers), Tổng quan (leaders, reform managers,
  province administrators), and "Bảng theo dõi CCHC" when the dashboard is installed (the URL
  name `dashboard:home` resolves).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.web.access import COUNTER_ROLES, DASHBOARD_ROLES, OVERVIEW_ROLES, is_applicant, staff_roles

DEFAULT_SITE_NAME = gettext_noop("Hệ thống thông tin giải quyết TTHC tỉnh Hà Tĩnh")


def site_name() -> str:
    """`settings.MOTCUA_SITE_NAME`, else the environment variable of that name, else the default
    (translated: the default is ours, an installation's own name is shown as written)."""
    configured = getattr(settings, "MOTCUA_SITE_NAME", None) or os.environ.get("MOTCUA_SITE_NAME")
    return configured or _(DEFAULT_SITE_NAME)


@dataclass(frozen=True)
class Link:
    """One entry of the main navigation."""

    label: str
    url: str
    current: bool = False


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _is_current(path: str, url: str) -> bool:
    if url == "/":
        return path == "/"
    return path.startswith(url)


def main_links(request: HttpRequest) -> list[Link]:
    """The navigation entries for the user of `request`, the one being viewed marked current."""
    roles = staff_roles(request)
    entries: list[tuple[str, str]] = []
    if roles:
        entries.append((_("Hàng đợi"), reverse("web:queue")))
        if roles & COUNTER_ROLES:
            entries.append((_("Tiếp nhận"), reverse("web:receive")))
        if roles & OVERVIEW_ROLES:
            entries.append((_("Tổng quan"), reverse("web:overview")))
        dashboard = _optional_url("dashboard:home")
        if dashboard and roles & DASHBOARD_ROLES:
            entries.append((_("Bảng theo dõi CCHC"), dashboard))
    applicant = is_applicant(getattr(request, "user", None))
    if not roles or applicant:
        entries.append((_("Thủ tục"), reverse("web:procedures")))
        if applicant:
            entries.append((_("Hồ sơ của tôi"), reverse("web:my-dossiers")))
            entries.append((_("Kho dữ liệu"), reverse("web:my-store")))
        entries.append((_("Tra cứu hồ sơ"), reverse("web:lookup")))
    # The longest matching prefix is the current page ("/office/" must not win over "/office/receive/").
    matching = [url for _label, url in entries if _is_current(request.path, url)]
    current = max(matching, key=len, default=None)
    return [Link(label, url, url == current) for label, url in entries]
