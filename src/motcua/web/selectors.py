"""Reads the web faces need that no app's selectors provide (read-only, scoped where the data is).

- `receiving_units`: where a citizen may file a procedure today;
- `public_status`: what anyone may learn about a dossier from its code (status and promised date);
- `dossier_file`: a file attached to a dossier the reader may see;
- `counter_units`, `forward_units`, `assignable_officers`: the choices of the officer's forms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.models import Membership, User
from motcua.accounts.scoping import active_memberships
from motcua.catalog.models import Procedure
from motcua.documents.models import StoredFile
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.errors import NotFound
from motcua.orgs.choices import UnitKind, UnitLevel
from motcua.orgs.models import Unit


def receiving_units(procedure: Procedure, day: dt.date) -> list[Unit]:
    """The units that receive the procedure's dossiers on `day`: the provincial unit the catalog
    names for province-level procedures (else the provincial People's Committee), and the People's
    Committees of each district or commune level the procedure is performed at. In force on `day`."""
    condition = Q(pk__in=[])
    if procedure.at_province:
        if procedure.province_unit_id is not None:
            condition |= Q(pk=procedure.province_unit_id)
        else:
            condition |= Q(level=UnitLevel.PROVINCE, kind=UnitKind.PEOPLE_COMMITTEE)
    lower = [level for level in (UnitLevel.DISTRICT, UnitLevel.COMMUNE) if level in procedure.levels]
    if lower:
        condition |= Q(level__in=lower, kind=UnitKind.PEOPLE_COMMITTEE)
    return list(Unit.objects.as_of(day).filter(condition).order_by("level", "name"))


@dataclass(frozen=True)
class PublicStatus:
    """What a dossier's code tells anyone: no name, no procedure, no documents."""

    code: str
    status: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    paused: bool
    open: bool


def public_status(code: str) -> PublicStatus:
    """The status and promised date of the dossier `code`, for a visitor who has only its code
    (as printed on the receipt); `NotFound` for an unknown code."""
    row = (
        Dossier.objects.filter(code=code)
        .values("code", "status", "received_at", "due_at", "paused_at")
        .first()
    )
    if row is None:
        raise NotFound(_("Không tìm thấy hồ sơ có mã “%(code)s”.") % {"code": code})
    return PublicStatus(
        code=row["code"],
        status=row["status"],
        received_at=row["received_at"],
        due_at=row["due_at"],
        paused=row["paused_at"] is not None,
        open=row["status"] in dossier_selectors.OPEN_STATES,
    )


def dossier_file(user: Any, code: str, file_id: int) -> StoredFile:
    """A file of the dossier `code` that `user` may download: one of its documents, or its result
    once released to them (`result_released`). `NotFound` otherwise, whether or not it exists."""
    dossier = dossier_selectors.get_dossier(user, code)
    attached = dossier.documents.filter(file_id=file_id).exists() or (
        dossier.result_file_id == file_id and result_released(dossier, user)
    )
    stored = StoredFile.objects.filter(pk=file_id).first() if attached else None
    if stored is None:
        raise NotFound(_("Hồ sơ không có tệp này."))
    return stored


def result_released(dossier: Dossier, user: Any) -> bool:
    """The applicant gets the result file once it is handed back; officers who see the dossier
    see it as soon as it exists."""
    if dossier.applicant_id is not None and dossier.applicant_id == getattr(user, "pk", None):
        return dossier.status == Status.RETURNED
    return True


def counter_units(user: Any) -> list[Unit]:
    """The units where `user` receives dossiers at the counter today."""
    today = timezone.localdate()
    return [
        m.unit
        for m in active_memberships(user).filter(role=Role.COUNTER_OFFICER).order_by("unit__name")
        if m.unit.is_valid_on(today)
    ]


def member_units(user: Any) -> list[Unit]:
    """The units where `user` holds a role today (the queue's unit filter)."""
    seen: dict[int, Unit] = {}
    for m in active_memberships(user).order_by("unit__name"):
        seen.setdefault(m.unit.pk, m.unit)
    return list(seen.values())


def forward_units(kind: str, day: dt.date) -> QuerySet[Unit]:
    """The units of `kind` in force on `day`, that an inter-agency step may be forwarded to."""
    return Unit.objects.as_of(day).filter(kind=kind).order_by("name")


def assignable_officers(unit: Unit, role: str, day: dt.date) -> list[User]:
    """The officials who may take a step of `role` at `unit`: those holding the role, or leading, there."""
    memberships = (
        Membership.objects.filter(unit=unit, role__in={role, Role.UNIT_LEADER}, user__is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    officers: dict[int, User] = {}
    for m in memberships:
        officers.setdefault(m.user.pk, m.user)
    return list(officers.values())
