"""The one place that decides what a user may read or change.

Every model that holds unit- or owner-bound data uses `RestrictedQuerySet` (directly or by
subclassing) and declares where its unit and owner are:

    scope_unit_path = "unit"          # lookup from the model to an orgs.Unit ("pk" for Unit itself)
    scope_owner_path = "applicant"    # lookup from the model to the owning accounts.User (optional)

Selectors, views and the API read through `Model.objects.restrict(user, action)`; nothing
filters by hand.

Who sees what:
- a superuser, a province administrator or a reform manager: every unit of the province;
- a unit leader: the unit and every unit below it;
- a counter or processing officer: the units where they hold that role;
- a citizen: only rows they own;
- anyone signed out, or whose account is deactivated: nothing.

Memberships count only on the days between their `valid_from` and `valid_to`. `view` and
`change` reach the same units today; services check the role an action needs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.choices import PROVINCE_WIDE_ROLES, Role

if TYPE_CHECKING:
    from motcua.orgs.models import Unit

VIEW = "view"
CHANGE = "change"


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", True)


def active_memberships(user: Any, day: dt.date | None = None) -> models.QuerySet:
    """The user's memberships in force on `day` (today by default), with their units."""
    from motcua.accounts.models import Membership

    day = day or timezone.localdate()
    return (
        Membership.objects.filter(user=user)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
    )


def units_for(user: Any, action: str = VIEW) -> models.QuerySet[Unit]:
    """The units whose data `user` may read (`view`) or act on (`change`)."""
    from motcua.orgs.models import Unit

    if not _signed_in(user):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for membership in active_memberships(user):
        if membership.role in PROVINCE_WIDE_ROLES:
            condition |= Q(province_code=membership.unit.province_code)
        elif membership.role == Role.UNIT_LEADER:
            condition |= (
                Q(path__startswith=membership.unit.path) if membership.unit.path else Q(pk=membership.unit_id)
            )
        else:
            condition |= Q(pk=membership.unit_id)
    return Unit.objects.filter(condition)


def has_role(user: Any, *roles: str) -> bool:
    """Whether the user holds, today, one of `roles` in some unit."""
    if not _signed_in(user):
        return False
    return active_memberships(user).filter(role__in=roles).exists()


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what one user may see or change."""

    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        """Rows whose unit is among `units_for(user, action)`, or which `user` owns."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser:
            return self
        unit_path: str | None = getattr(self.model, "scope_unit_path", None)
        owner_path: str | None = getattr(self.model, "scope_owner_path", None)
        condition = Q(pk__in=[])
        if unit_path is not None:
            condition |= Q(**{f"{unit_path}__in": units_for(user, action).values("pk")})
        if owner_path is not None:
            condition |= Q(**{owner_path: user})
        return self.filter(condition)
