"""Reads of dossiers, always through the reader's scope (`Dossier.objects.restrict`), in a fixed
number of queries however many rows there are (select_related / prefetch_related).

Lists that an operator runs from the command line (`motcua dossier …`) take the rows to read as
an argument, so the CLI can pass every dossier while the API passes the user's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.scoping import VIEW, active_memberships, units_for
from motcua.audit.models import AuditEvent
from motcua.calendar import services as cal
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier, DossierDocument, DossierStep
from motcua.dossiers.workflow import OPEN_STATES
from motcua.errors import NotFound
from motcua.orgs.models import Unit

# What an officer's queue holds: dossiers still to accept, to process, or to hand back.
QUEUE_STATES = frozenset({Status.NEW, *OPEN_STATES, Status.PROCESSED})


def visible(user: Any, action: str = VIEW) -> QuerySet[Dossier]:
    """Every dossier `user` may see (or change), with what a list shows."""
    return Dossier.objects.restrict(user, action).select_related(
        "unit", "procedure", "current_step", "current_step__unit", "current_step__assigned_to", "assigned_to"
    )


def get_dossier(user: Any, code: str, action: str = VIEW) -> Dossier:
    """The dossier with `code` if `user` may see it; otherwise NotFound, whether it exists or not."""
    dossier = visible(user, action).filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


def with_details(rows: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`rows` with steps, documents, supplements, apologies and the refusal, for a detail page."""
    return rows.select_related("procedure_version", "refusal", "result_file", "received_by").prefetch_related(
        Prefetch("steps", queryset=DossierStep.objects.select_related("unit", "assigned_to", "finished_by")),
        Prefetch("documents", queryset=DossierDocument.objects.select_related("file", "store_item")),
        "supplements",
        "apologies",
    )


def detail(user: Any, code: str) -> Dossier:
    """One dossier with everything its detail page shows (a fixed number of queries)."""
    dossier = with_details(visible(user)).filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


def mine(user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` filed or owns as applicant, newest first."""
    return visible(user).filter(applicant=user).order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class Timeliness:
    """Where a deadline stands: `late` once its date has passed (the scorecard's rule: dates,
    Vietnam time), `at_risk` when it falls today or on the next working day; neither while the
    clock is paused."""

    late: bool
    at_risk: bool


@dataclass(frozen=True)
class Today:
    """The day deadlines are judged on, and the last day that still counts as "at risk"."""

    day: dt.date
    horizon: dt.date

    @classmethod
    def at(cls, at: dt.datetime) -> Today:
        day = timezone.localtime(at).date()
        return cls(day, cal.add_working_days(day, 1))

    def judge(self, due_at: dt.datetime | None, *, paused: bool = False) -> Timeliness:
        if due_at is None or paused:
            return Timeliness(False, False)
        due = timezone.localtime(due_at).date()
        if due < self.day:
            return Timeliness(True, False)
        return Timeliness(False, due <= self.horizon)


def _waiting_on_roles(user: Any) -> Q:
    """The dossiers whose next move belongs to one of `user`'s roles: the current step names a role
    the user holds at the step's unit; a new online dossier waits on the unit's counter officers;
    a dossier past its last step without a decision waits on the unit's leaders. A unit leader
    answers for everything held in their units."""
    if user.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for membership in active_memberships(user):
        unit = membership.unit
        if membership.role == Role.UNIT_LEADER:
            below = Q(path__startswith=unit.path) if unit.path else Q(pk=unit.pk)
            condition |= Q(held_by__in=Unit.objects.filter(below).values("pk"))
        elif membership.role in (Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER):
            condition |= Q(held_by=unit, current_step__role=membership.role)
            if membership.role == Role.COUNTER_OFFICER:
                condition |= Q(held_by=unit, current_step__isnull=True, status=Status.NEW)
    return condition


def queue(
    user: Any,
    *,
    unit: str | None = None,
    status: str | None = None,
    late_only: bool = False,
    all_roles: bool = False,
) -> QuerySet[Dossier]:
    """The dossiers waiting on `user`: held at the user's units now (the current step's unit, or the
    dossier's unit when no step is open), in a state that still needs someone, and — unless
    `all_roles` — at a step the user's role does. Soonest due first."""
    rows = visible(user).filter(held_by__in=units_for(user, VIEW).values("pk"), status__in=QUEUE_STATES)
    if not all_roles:
        rows = rows.filter(_waiting_on_roles(user))
    if unit:
        rows = rows.filter(held_by__code=unit)
    if status:
        rows = rows.filter(status=status)
    if late_only:
        rows = overdue(rows, timezone.now())
    return rows.order_by("due_at", "submitted_at", "id")


def overdue(rows: QuerySet[Dossier], at: dt.datetime) -> QuerySet[Dossier]:
    """Those of `rows` still open whose promised date is before the day of `at` (not paused)."""
    start_of_day = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return rows.filter(status__in=OPEN_STATES - {Status.WAITING_SUPPLEMENT}, due_at__lt=start_of_day)


def unit_overview(rows: QuerySet[Dossier], at: dt.datetime) -> list[dict[str, Any]]:
    """Per unit of `rows`: how many dossiers in each state, how many open, and how many open and
    late — one grouped query."""
    start_of_day = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    open_q = Q(status__in=OPEN_STATES)
    counts = {f"status_{s.value}": Count("pk", filter=Q(status=s)) for s in Status}
    grouped = (
        rows.order_by()
        .values("unit__code", "unit__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=open_q),
            late=Count(
                "pk", filter=Q(status__in=OPEN_STATES - {Status.WAITING_SUPPLEMENT}, due_at__lt=start_of_day)
            ),
            **counts,
        )
        .order_by("unit__code")
    )
    return [
        {
            "unit": row["unit__code"],
            "name": row["unit__name"],
            "total": row["total"],
            "open": row["open"],
            "late": row["late"],
            "by_status": {s.value: row[f"status_{s.value}"] for s in Status if row[f"status_{s.value}"]},
        }
        for row in grouped
    ]


def timeline(dossier: Dossier) -> list[AuditEvent]:
    """What happened to the dossier, in order: its audit events (one query)."""
    return list(
        AuditEvent.objects.filter(object_type=Dossier._meta.label_lower, object_id=str(dossier.pk)).order_by(
            "seq"
        )
    )


@dataclass(frozen=True)
class StepControl:
    """One line of the process-control slip (form 05): who held the dossier when, on time or not."""

    order: int
    name: str
    unit: str
    assigned_to: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    finished_by: str
    note: str
    on_time: bool | None  # None: not finished and not yet late


def process_control(dossier: Dossier, at: dt.datetime | None = None) -> list[StepControl]:
    """The process-control data of `dossier` (form 05), from its steps (prefetched when available)."""
    at = at or timezone.now()
    lines = []
    for step in sorted(dossier.steps.all(), key=lambda s: (s.order, s.pk)):
        if step.finished_at is not None:
            on_time: bool | None = step.due_at is None or step.finished_at <= step.due_at
        elif (
            step.due_at is not None
            and step.started_at is not None
            and step.due_at < at
            and dossier.paused_at is None
        ):
            on_time = False
        else:
            on_time = None
        lines.append(
            StepControl(
                order=step.order,
                name=step.name,
                unit=step.unit.name,
                assigned_to=str(step.assigned_to) if step.assigned_to else "",
                started_at=step.started_at,
                due_at=step.due_at,
                finished_at=step.finished_at,
                finished_by=str(step.finished_by) if step.finished_by else "",
                note=step.note,
                on_time=on_time,
            )
        )
    return lines
