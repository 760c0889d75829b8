"""`/api/accounts`: who am I, who works in a unit, and my API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from motcua.accounts import selectors, services
from motcua.accounts.auth import api_auth
from motcua.accounts.client_ip import client_ip
from motcua.errors import NotFound

router = Router(tags=["accounts"], auth=api_auth)


class RoleOut(Schema):
    role: str
    role_label: str
    unit_code: str
    unit_name: str
    title: str


class MeOut(Schema):
    username: str
    full_name: str
    kind: str = Field(description="person, organization (applicants) or official")
    citizen_id: str | None
    tax_code: str | None
    organization_name: str
    is_superuser: bool
    roles: list[RoleOut]
    viewable_units: int = Field(description="how many units' data this user may view")


class MemberOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    title: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class TokenIn(Schema):
    name: str = Field(max_length=100)
    expires_at: dt.datetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    secret: str = Field(description="shown once; store it now (Authorization: Bearer <secret>)")


def _role_out(membership: Any) -> RoleOut:
    return RoleOut(
        role=membership.role,
        role_label=str(membership.get_role_display()),
        unit_code=membership.unit.code,
        unit_name=membership.unit.name,
        title=membership.title,
    )


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    """The signed-in user, their roles in force and how many units they may view."""
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        kind=user.applicant_kind or "official",
        citizen_id=user.citizen_id,
        tax_code=user.tax_code,
        organization_name=user.organization_name,
        is_superuser=user.is_superuser,
        roles=[_role_out(m) for m in selectors.roles_of(user)],
        viewable_units=selectors.viewable_unit_count(user),
    )


@router.get("/members", response=list[MemberOut])
def members(request: HttpRequest, unit: str) -> list[MemberOut]:
    """Officials holding a role in the unit with code `unit` today (403 outside your units)."""
    return [
        MemberOut(
            username=m.user.username,
            full_name=m.user.full_name,
            role=m.role,
            role_label=str(m.get_role_display()),
            title=m.title,
            valid_from=m.valid_from,
            valid_to=m.valid_to,
        )
        for m in selectors.unit_members(request.auth, unit)  # type: ignore[attr-defined]
    ]


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> Any:
    """Your API tokens (never their secrets)."""
    return list(selectors.own_tokens(request.auth))  # type: ignore[attr-defined]


@router.post("/tokens", response={201: NewTokenOut})
def create_token(request: HttpRequest, payload: TokenIn) -> NewTokenOut:
    """Create an API token for yourself. The secret is in this answer only."""
    user = request.auth  # type: ignore[attr-defined]
    token, secret = services.create_api_token(
        user, payload.name, user, expires_at=payload.expires_at, ip=client_ip(request)
    )
    # The only declared status (201) is the one Ninja answers with.
    return NewTokenOut(**TokenOut.from_orm(token).model_dump(), secret=secret)


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: int) -> None:
    """Revoke one of your tokens (404 for anyone else's)."""
    user = request.auth  # type: ignore[attr-defined]
    token = selectors.own_tokens(user).filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("Không tìm thấy mã truy cập này."))
    services.revoke_api_token(token, user, ip=client_ip(request))
