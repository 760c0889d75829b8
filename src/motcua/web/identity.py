"""Signing in with the national electronic identity (VNeID): the adapter and a demo simulator.

Citizens log in with VNeID (Decree 59/2022 on electronic identification; Decree 45/2020 on
electronic procedures). motcua speaks to it as an OpenID Connect provider, authorization-code flow:

1. `authorization_url(state, nonce, redirect_uri)`: where the browser is sent; the person signs in
   to VNeID and consents to share their identity with this system.
2. The provider sends the browser back to `redirect_uri?code=…&state=…` (or `?error=…&state=…`).
   The callback checks `state` against the one kept in the session (a forged callback fails).
3. `exchange(code, redirect_uri, nonce)`: a server-to-server call trading the one-time code for the
   identity claims; a real provider verifies the ID token's signature, audience, expiry and
   `nonce` here. It returns `IdentityClaims` (citizen ID, name, whether the identity is verified
   at level 2, optional contact data) or raises `IdentityError`.
4. `sign_in_with_claims(request, claims)`: the account whose citizen ID matches is signed in; a
   person without one gets an account (`accounts.services.register_citizen`, no usable password:
   they sign in with VNeID). Audited as `accounts.sign_in_vneid`.

The provider class is named by `settings.MOTCUA_IDENTITY_PROVIDER` (dotted path). Without one,
`SimulatedVNeID` answers — only where the demo simulators are on (`MOTCUA_VNEID_SIMULATOR`, else
`PAYMENT_SIMULATOR`): its consent page lets anyone claim any citizen ID, so it must never run in
production. With neither, VNeID sign-in is not offered.

This module belongs with the accounts app; it lives here until the accounts owner moves it.
"""

from __future__ import annotations

import os
import secrets
import urllib.parse
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import login
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.accounts import services as accounts
from motcua.accounts.client_ip import client_ip
from motcua.accounts.models import User
from motcua.accounts.validators import validate_citizen_id
from motcua.audit.services import record_event
from motcua.errors import Forbidden, InvalidInput, MotcuaError

SIMULATOR_SALT = "motcua.web.identity.simulator"
# A simulated authorization code is good for five minutes, like a real one-time code.
CODE_MAX_AGE = 300


class IdentityError(MotcuaError):
    """The provider refused, or its answer could not be trusted (bad code, wrong nonce, expired)."""

    status = 400
    code = "identity_error"


@dataclass(frozen=True)
class IdentityClaims:
    """Who the provider says the person is."""

    citizen_id: str  # 12-digit personal identification number (số định danh cá nhân)
    full_name: str
    verified: bool  # identity verified at level 2 (face and chip checked)
    email: str = ""
    phone: str = ""


class IdentityProvider(Protocol):
    """The two calls of the authorization-code flow."""

    def authorization_url(self, *, state: str, nonce: str, redirect_uri: str) -> str: ...

    def exchange(self, *, code: str, redirect_uri: str, nonce: str) -> IdentityClaims: ...


class SimulatedVNeID:
    """A stand-in for VNeID for the demo and tests: its consent page (`web:vneid-simulator`) asks
    for a citizen ID and a name, and its authorization code is those claims, signed."""

    def authorization_url(self, *, state: str, nonce: str, redirect_uri: str) -> str:
        query = urllib.parse.urlencode({"state": state, "nonce": nonce, "redirect_uri": redirect_uri})
        return f"{reverse('web:vneid-simulator')}?{query}"

    def issue_code(self, claims: IdentityClaims, nonce: str) -> str:
        """What the simulator's consent page hands back: the claims and the nonce, signed."""
        return signing.dumps(
            {"citizen_id": claims.citizen_id, "full_name": claims.full_name, "nonce": nonce},
            salt=SIMULATOR_SALT,
        )

    def exchange(self, *, code: str, redirect_uri: str, nonce: str) -> IdentityClaims:
        try:
            data = signing.loads(code, salt=SIMULATOR_SALT, max_age=CODE_MAX_AGE)
        except signing.BadSignature as exc:
            raise IdentityError(_("Mã xác thực VNeID không hợp lệ hoặc đã hết hạn.")) from exc
        if not secrets.compare_digest(str(data.get("nonce", "")), nonce):
            raise IdentityError(_("Phiên đăng nhập VNeID không khớp; vui lòng thử lại."))
        return IdentityClaims(
            citizen_id=str(data["citizen_id"]), full_name=str(data["full_name"]), verified=True
        )


def _flag(name: str) -> bool | None:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def simulator_enabled() -> bool:
    """Whether the simulated VNeID may answer: `MOTCUA_VNEID_SIMULATOR` if set, else the demo's
    `PAYMENT_SIMULATOR` (both off by default)."""
    own = _flag("MOTCUA_VNEID_SIMULATOR")
    return own if own is not None else bool(getattr(settings, "PAYMENT_SIMULATOR", False))


def provider() -> IdentityProvider | None:
    """The configured provider, the simulator where allowed, or None (VNeID sign-in not offered)."""
    path = getattr(settings, "MOTCUA_IDENTITY_PROVIDER", None) or os.environ.get("MOTCUA_IDENTITY_PROVIDER")
    if path:
        provider_class: Any = import_string(path)
        return provider_class()  # type: ignore[no-any-return]
    return SimulatedVNeID() if simulator_enabled() else None


def sign_in_with_claims(request: HttpRequest, claims: IdentityClaims) -> User:
    """Sign in the account of the person the provider vouched for, opening one if they have none."""
    try:
        validate_citizen_id(claims.citizen_id)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="citizen_id") from exc
    if not claims.verified:
        raise Forbidden(_("Tài khoản định danh điện tử chưa được xác thực mức 2."))
    ip = client_ip(request)
    with transaction.atomic():
        user = User.objects.filter(citizen_id=claims.citizen_id).first()
        if user is None:
            user = accounts.register_citizen(
                # Nobody knows this password: the account signs in with VNeID.
                password=secrets.token_urlsafe(32),
                full_name=claims.full_name,
                citizen_id=claims.citizen_id,
                email=claims.email,
                phone=claims.phone,
                ip=ip,
            )
        if not user.is_active:
            raise Forbidden(_("Tài khoản này đã bị khóa."))
        record_event(actor=user, action="accounts.sign_in_vneid", obj=user, ip=ip)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user
