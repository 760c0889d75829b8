"""The dossier state machine, as data.

`TRANSITIONS` is the whole of it: for each action, the states it may start from, the state it
leads to (None: the state does not change), who may do it and at which unit. Services look their
action up here before changing anything, so an action tried in the wrong state raises
`StateError` naming the actions that are allowed from the current state (the API answers 409).

Who: a role held at the unit named by `where` —
- `unit`: the dossier's unit (the receiving unit with authority over it);
- `holder`: the unit that holds the dossier now (the current step's unit, after a forward possibly
  another agency), or the dossier's unit when no step is open;
- `either`: one of the two.
A unit leader acts at their unit and every unit below it (as in `accounts.scoping`). Three
pseudo-roles complete the table: `applicant` (the account that owns the dossier), `step_role` (the
role the current step names) and `system` (no user: a payment callback, a scheduled job).

Steps: the decision step is the last step done by a unit leader (or, in a process without one,
the last step). Steps before it are finished with `complete_step` — or `forward`, when the next
step is another agency's; the decision step itself only with a decision (`approve`, `reject`).
`stop` and `withdraw` may come at any time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.choices import PROVINCE_WIDE_ROLES, Role
from motcua.accounts.scoping import active_memberships
from motcua.dossiers.choices import Status
from motcua.errors import Forbidden, StateError

if TYPE_CHECKING:
    from motcua.accounts.models import Membership
    from motcua.dossiers.models import Dossier, DossierStep
    from motcua.orgs.models import Unit

APPLICANT = "applicant"
STEP_ROLE = "step_role"
SYSTEM = "system"

UNIT = "unit"
HOLDER = "holder"
EITHER = "either"

IN_PLACE = "in_place"  # before the decision step, and the next step is done where the dossier is
TO_OTHER_UNIT = "to_other_unit"  # before the decision step, and the next step is another agency's
AT_DECISION = "at_decision"


class Action(models.TextChoices):
    """What can be done to a dossier; the value is also the audit action (`dossier.<value>`)."""

    RECEIVE_AT_COUNTER = "receive_at_counter", gettext_lazy("Tiếp nhận tại bộ phận một cửa")
    SUBMIT_ONLINE = "submit_online", gettext_lazy("Nộp hồ sơ trực tuyến")
    ACCEPT_ONLINE = "accept_online", gettext_lazy("Tiếp nhận hồ sơ trực tuyến")
    REFUSE_AT_INTAKE = "refuse_at_intake", gettext_lazy("Từ chối tiếp nhận")
    ASSIGN = "assign", gettext_lazy("Phân công xử lý")
    COMPLETE_STEP = "complete_step", gettext_lazy("Hoàn thành bước xử lý")
    FORWARD = "forward", gettext_lazy("Chuyển liên thông")
    REQUEST_SUPPLEMENT = "request_supplement", gettext_lazy("Yêu cầu bổ sung hồ sơ")
    SUPPLY = "supply", gettext_lazy("Bổ sung hồ sơ")
    MARK_WAITING_PAYMENT = "mark_waiting_payment", gettext_lazy("Chờ thực hiện nghĩa vụ tài chính")
    PAYMENT_SETTLED = "payment_settled", gettext_lazy("Đã thực hiện nghĩa vụ tài chính")
    APPROVE = "approve", gettext_lazy("Phê duyệt, giải quyết")
    REJECT = "reject", gettext_lazy("Từ chối giải quyết")
    STOP = "stop", gettext_lazy("Dừng xử lý")
    RETURN_RESULT = "return_result", gettext_lazy("Trả kết quả")
    WITHDRAW = "withdraw", gettext_lazy("Rút hồ sơ")
    APOLOGIZE = "apologize", gettext_lazy("Xin lỗi và hẹn lại")


@dataclass(frozen=True)
class Transition:
    """One row of the state machine."""

    action: Action
    sources: frozenset[str]  # empty: the action creates the dossier
    target: Status | None  # None: the status stays as it is
    roles: frozenset[str]
    where: str = UNIT
    step_guard: str | None = None


_OPEN = (Status.RECEIVED, Status.PROCESSING)
_PAUSABLE = (Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT)
_OFFICERS = (Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER)


def _t(action, sources, target, roles, where=UNIT, step_guard=None) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), where, step_guard)


TRANSITIONS: dict[str, Transition] = {
    t.action.value: t
    for t in (
        _t(Action.RECEIVE_AT_COUNTER, (), Status.RECEIVED, {Role.COUNTER_OFFICER}),
        _t(Action.SUBMIT_ONLINE, (), Status.NEW, {APPLICANT}),
        _t(Action.ACCEPT_ONLINE, (Status.NEW,), Status.RECEIVED, {Role.COUNTER_OFFICER}),
        _t(Action.REFUSE_AT_INTAKE, (Status.NEW,), Status.NOT_RECEIVED, {Role.COUNTER_OFFICER}),
        _t(Action.ASSIGN, _OPEN, None, {Role.UNIT_LEADER, STEP_ROLE}, HOLDER),
        _t(
            Action.COMPLETE_STEP,
            _OPEN,
            Status.PROCESSING,
            {Role.UNIT_LEADER, STEP_ROLE},
            HOLDER,
            IN_PLACE,
        ),
        _t(Action.FORWARD, _OPEN, Status.PROCESSING, {Role.UNIT_LEADER, STEP_ROLE}, HOLDER, TO_OTHER_UNIT),
        _t(Action.REQUEST_SUPPLEMENT, _OPEN, Status.WAITING_SUPPLEMENT, _OFFICERS, EITHER),
        _t(Action.SUPPLY, (Status.WAITING_SUPPLEMENT,), Status.PROCESSING, {APPLICANT, Role.COUNTER_OFFICER}),
        _t(Action.MARK_WAITING_PAYMENT, _OPEN, Status.WAITING_PAYMENT, {*_OFFICERS, SYSTEM}, EITHER),
        _t(
            Action.PAYMENT_SETTLED,
            (Status.WAITING_PAYMENT,),
            Status.PROCESSING,
            {Role.COUNTER_OFFICER, SYSTEM},
        ),
        _t(Action.APPROVE, _OPEN, Status.PROCESSED, {Role.UNIT_LEADER}, HOLDER, AT_DECISION),
        _t(Action.REJECT, _OPEN, Status.PROCESSED, {Role.UNIT_LEADER}, HOLDER, AT_DECISION),
        _t(Action.STOP, _PAUSABLE, Status.STOPPED, {Role.UNIT_LEADER}, EITHER),
        _t(Action.RETURN_RESULT, (Status.PROCESSED,), Status.RETURNED, {Role.COUNTER_OFFICER}),
        _t(Action.WITHDRAW, (Status.NEW, *_PAUSABLE), Status.WITHDRAWN, {APPLICANT, Role.COUNTER_OFFICER}),
        _t(Action.APOLOGIZE, _PAUSABLE, None, _OFFICERS, EITHER),
    )
}

# States in which the dossier is still with the administration (not finished, not refused).
OPEN_STATES = frozenset(
    {Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT}
)


def transition(action: str) -> Transition:
    return TRANSITIONS[action]


# --- steps ---------------------------------------------------------------------------------------


def decision_order(steps: list[DossierStep]) -> int | None:
    """The order of the decision step: the last unit-leader step, else the last step (None: no steps)."""
    if not steps:
        return None
    leader_steps = [s.order for s in steps if s.role == Role.UNIT_LEADER]
    return max(leader_steps) if leader_steps else max(s.order for s in steps)


def next_step(steps: list[DossierStep], current: DossierStep) -> DossierStep | None:
    return next((s for s in steps if s.order > current.order), None)


def needs_forward(dossier: Dossier, current: DossierStep, following: DossierStep) -> bool:
    """A step done by another kind of unit (`unit_kind` set) needs the dossier forwarded to a chosen
    unit, unless the step before it was already done there (two steps at one department in a row)."""
    if not following.unit_kind:
        return False
    return not (current.unit_kind == following.unit_kind and current.unit_id != dossier.unit_id)


def guard_problem(guard: str | None, dossier: Dossier, steps: list[DossierStep]) -> str | None:
    """Why the dossier's step position does not allow an action with `guard` (None: it does)."""
    if guard is None:
        return None
    current = dossier.current_step
    decision = decision_order(steps)
    if guard == AT_DECISION:
        # At the decision step, or no step open (no process, or every step done).
        if current is None or decision is None or current.order >= decision:
            return None
        return _("Hồ sơ chưa đến bước quyết định: đang ở bước “%(step)s”.") % {"step": current.name}
    if current is None or decision is None:
        return _("Hồ sơ không có bước đang xử lý.")
    if current.order >= decision:
        return _("Bước “%(step)s” kết thúc bằng quyết định (phê duyệt, từ chối hoặc dừng xử lý).") % {
            "step": current.name
        }
    following = next_step(steps, current)
    elsewhere = following is not None and needs_forward(dossier, current, following)
    if guard == IN_PLACE and elsewhere:
        assert following is not None
        return _("Bước tiếp theo “%(step)s” do đơn vị khác thực hiện: hãy chuyển hồ sơ và chọn đơn vị.") % {
            "step": following.name
        }
    if guard == TO_OTHER_UNIT and not elsewhere:
        return _("Bước tiếp theo do chính đơn vị đang xử lý thực hiện: hoàn thành bước thay vì chuyển.")
    return None


def actions_from(dossier: Dossier, steps: list[DossierStep]) -> list[str]:
    """The actions the state machine allows from the dossier's current state and step, whoever asks."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if dossier.status in t.sources and guard_problem(t.step_guard, dossier, steps) is None
    ]


# --- who may act ---------------------------------------------------------------------------------


def roles_at(user: Any, unit: Unit, memberships: list[Membership] | None = None) -> set[str]:
    """The roles `user` holds with authority over `unit`: a role held at the unit itself, a unit
    leader's role at the unit or one above it, a province-wide role in the unit's province.
    A superuser holds every staff role. `memberships` saves the query when asking many times."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return set()
    if user.is_superuser:
        return {r.value for r in Role if r != Role.CITIZEN}
    roles: set[str] = set()
    for membership in active_memberships(user) if memberships is None else memberships:
        held = membership.unit
        if membership.role in PROVINCE_WIDE_ROLES:
            applies = held.province_code == unit.province_code
        elif membership.role == Role.UNIT_LEADER:
            applies = unit.pk == held.pk or bool(held.path and unit.path.startswith(held.path))
        else:
            applies = unit.pk == held.pk
        if applies:
            roles.add(membership.role)
    return roles


def acting_units(dossier: Dossier, where: str) -> list[Unit]:
    holder = dossier.current_step.unit if dossier.current_step is not None else dossier.unit
    if where == UNIT:
        return [dossier.unit]
    if where == HOLDER:
        return [holder]
    return [dossier.unit] if holder.pk == dossier.unit.pk else [dossier.unit, holder]


def needed_roles(t: Transition, dossier: Dossier | None) -> set[str]:
    roles = set(t.roles) - {APPLICANT, SYSTEM, STEP_ROLE}
    if STEP_ROLE in t.roles and dossier is not None and dossier.current_step is not None:
        roles.add(dossier.current_step.role)
    return roles


def may(
    actor: Any,
    t: Transition,
    dossier: Dossier | None = None,
    unit: Unit | None = None,
    memberships: list[Membership] | None = None,
) -> bool:
    """Whether `actor` (None: the system) may perform `t` on `dossier` (or, for intake, at `unit`)."""
    if actor is None:
        return SYSTEM in t.roles
    if APPLICANT in t.roles and dossier is not None and dossier.applicant_id == actor.pk:
        return True
    if APPLICANT in t.roles and dossier is None:
        # Anyone signed in may file for themselves.
        return bool(getattr(actor, "is_authenticated", False))
    roles = needed_roles(t, dossier)
    units = acting_units(dossier, t.where) if dossier is not None else [unit]
    return any(roles_at(actor, u, memberships) & roles for u in units if u is not None)


def _role_names(t: Transition, dossier: Dossier | None) -> str:
    names = [str(Role(r).label) for r in sorted(needed_roles(t, dossier))]
    if APPLICANT in t.roles:
        names.append(_("người nộp hồ sơ"))
    return ", ".join(names)


def check(action: str, actor: Any, dossier: Dossier, steps: list[DossierStep]) -> Transition:
    """Raise `StateError` (naming the allowed actions) or `Forbidden` unless `actor` may do `action` now."""
    t = TRANSITIONS[action]
    allowed = actions_from(dossier, steps)
    if dossier.status not in t.sources:
        raise StateError(
            _("Không thể “%(action)s” khi hồ sơ ở trạng thái “%(status)s”.")
            % {"action": t.action.label, "status": Status(dossier.status).label},
            allowed=allowed,
            status=dossier.status,
        )
    problem = guard_problem(t.step_guard, dossier, steps)
    if problem is not None:
        raise StateError(problem, allowed=allowed, status=dossier.status)
    if not may(actor, t, dossier):
        raise Forbidden(
            _("Bạn không có quyền “%(action)s” hồ sơ này (cần: %(roles)s).")
            % {"action": t.action.label, "roles": _role_names(t, dossier)}
        )
    return t


def check_intake(action: str, actor: Any, unit: Unit) -> Transition:
    """Raise `Forbidden` unless `actor` may create a dossier with `action` at `unit`."""
    t = TRANSITIONS[action]
    if not may(actor, t, None, unit):
        raise Forbidden(
            _("Bạn không có quyền “%(action)s” tại %(unit)s (cần: %(roles)s).")
            % {"action": t.action.label, "unit": unit.name, "roles": _role_names(t, None)}
        )
    return t


def allowed_actions(dossier: Dossier, steps: list[DossierStep], actor: Any) -> list[str]:
    """The actions `actor` may perform on the dossier now (state, step and role): what a UI offers."""
    memberships = list(active_memberships(actor)) if getattr(actor, "is_authenticated", False) else []
    return [
        name
        for name in actions_from(dossier, steps)
        if may(actor, TRANSITIONS[name], dossier, None, memberships)
    ]
