"""Reads of organisation units.

The unit list is public (the citizen portal shows where to file a dossier), so these reads are
not narrowed by user; what a user may change goes through `Unit.objects.restrict(user, "change")`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.errors import NotFound
from motcua.orgs.models import Unit


@dataclass
class UnitNode:
    """A unit with the units directly below it, in a tree as of one day."""

    unit: Unit
    children: list[UnitNode] = field(default_factory=list)


def unit_by_code(code: str) -> Unit:
    """The unit with this code (any validity), with its parent and successor; `NotFound` if none."""
    unit = Unit.objects.select_related("parent", "merged_into").filter(code=code).first()
    if unit is None:
        raise NotFound(_("Không có đơn vị mã %(code)s.") % {"code": code}, field="code")
    return unit


def units_as_of(
    day: dt.date,
    *,
    level: str | None = None,
    parent: Unit | None = None,
    q: str | None = None,
) -> QuerySet[Unit]:
    """Units in force on `day`, optionally of one level, directly below `parent`, or matching `q`.

    `q` matches part of the code or of the name (case-insensitive where the database folds case:
    PostgreSQL folds Vietnamese letters, SQLite only ASCII ones).
    """
    units = Unit.objects.as_of(day).select_related("parent")
    if level:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(parent=parent)
    if q:
        units = units.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return units.order_by("code")


def units_by_level(level: str, day: dt.date | None = None) -> QuerySet[Unit]:
    """Units of one level (province, district, commune), only those in force on `day` when given."""
    units = Unit.objects.filter(level=level)
    if day is not None:
        units = units.as_of(day)
    return units.order_by("code")


def unit_tree(day: dt.date) -> list[UnitNode]:
    """The units in force on `day` as a forest (usually one root, the provincial People's Committee).

    One query; the tree is built in Python. A unit whose parent is not in force that day (a gap in
    the data) is shown as a root rather than hidden.
    """
    units = list(Unit.objects.as_of(day).order_by("code"))
    nodes = {u.pk: UnitNode(u) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[unit.pk])
    return roots


def successor_as_of(unit: Unit, day: dt.date) -> Unit | None:
    """The unit that carries on `unit` on `day`: itself while in force, else where it merged into.

    Follows the `merged_into` chain (a 2023 commune → its 1 July 2025 commune; a department merged
    on 1 March 2025 → the department that took it over). None when the chain ends in a unit not in
    force that day: the unit was abolished without a successor (a district in 2025) or `day` is
    before it existed.
    """
    seen: set[int] = set()
    current: Unit | None = unit
    while current is not None and current.pk not in seen:
        if current.is_valid_on(day):
            return current
        if current.valid_from is not None and day < current.valid_from:
            return None  # not yet in force: merges are followed forwards only
        seen.add(current.pk)
        current = current.merged_into
    return None
