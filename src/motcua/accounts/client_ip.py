"""The address a request came from, for the sign-in rate limit and the audit log."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR, or, behind a reverse proxy, the last address in the header named by
    `settings.MOTCUA_CLIENT_IP_HEADER` (e.g. "HTTP_X_FORWARDED_FOR"): the one our proxy added.

    Never trust the header unless the proxy sets it, or anyone can pick their own address.
    """
    if request is None:
        return None
    header = getattr(settings, "MOTCUA_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        forwarded = _valid(request.META[header].split(",")[-1])
        if forwarded:
            return forwarded
    return _valid(request.META.get("REMOTE_ADDR", ""))
