"""Small factories for tests: each builds a valid object with sensible defaults, overridable by keyword."""

from __future__ import annotations

import itertools

from motcua.accounts.choices import Role
from motcua.accounts.models import Membership, User
from motcua.catalog.models import Procedure
from motcua.orgs.choices import UnitKind, UnitLevel
from motcua.orgs.models import Unit

_seq = itertools.count(1)


def unit(
    code: str | None = None,
    *,
    parent: Unit | None = None,
    level: str = UnitLevel.COMMUNE,
    kind: str = UnitKind.PEOPLE_COMMITTEE,
    **fields,
) -> Unit:
    n = next(_seq)
    u = Unit(
        code=code or f"T.{n:05d}",
        name=fields.pop("name", f"Đơn vị thử {n}"),
        level=level,
        kind=kind,
        parent=parent,
        **fields,
    )
    u.save()
    if not u.path:
        u.path = (parent.path if parent else "/") + f"{u.pk}/"
        u.save(update_fields=["path"])
    return u


def user(
    username: str | None = None,
    *,
    password: str = "matkhau-thu-123",
    unit: Unit | None = None,
    role: str | None = None,
    **fields,
) -> User:
    n = next(_seq)
    u = User.objects.create_user(username=username or f"user{n}", password=password, **fields)
    if role and role != Role.CITIZEN:
        if unit is None:
            raise ValueError("a staff role needs a unit")
        Membership.objects.create(user=u, unit=unit, role=role)
    return u


def citizen(citizen_id: str | None = None, **fields) -> User:
    n = next(_seq)
    return user(
        applicant_kind="person",
        citizen_id=citizen_id or f"042{n:09d}",
        full_name=fields.pop("full_name", f"Công dân {n}"),
        **fields,
    )


def procedure(code: str | None = None, **fields) -> Procedure:
    n = next(_seq)
    defaults = dict(name=f"Thủ tục thử {n}", field="Hộ tịch", duration_days=5)
    defaults.update(fields)
    return Procedure.objects.create(code=code or f"9.{n:06d}", **defaults)
