"""Reads about users, roles and tokens, scoped to what the reader may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import ApiToken, Membership, User
from motcua.accounts.scoping import VIEW, active_memberships, units_for
from motcua.errors import Forbidden, NotFound
from motcua.orgs.models import Unit


def roles_of(user: User) -> QuerySet[Membership]:
    """The user's roles in force today, with their units."""
    return active_memberships(user).order_by("unit__code", "role")


def viewable_unit_count(user: User) -> int:
    return units_for(user, VIEW).count()


def unit_members(user: Any, unit_code: str) -> QuerySet[Membership]:
    """The officials holding a role in the unit today. NotFound for an unknown unit, Forbidden
    when the unit is outside what `user` may view."""
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": unit_code})
    if not units_for(user, VIEW).filter(pk=unit.pk).exists():
        raise Forbidden(_("Không có quyền xem đơn vị này"))
    today = timezone.localdate()
    return (
        Membership.objects.restrict(user, VIEW)
        .filter(unit=unit)
        .exclude(valid_from__gt=today)
        .exclude(valid_to__lt=today)
        .select_related("user", "unit")
        .order_by("role", "user__full_name", "user__username")
    )


def own_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
