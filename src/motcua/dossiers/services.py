"""Everything that changes a dossier (hồ sơ): intake, processing, supplements, decisions, return.

Each service is one transaction that
1. locks the dossier row (SELECT … FOR UPDATE) through the user's scope — a dossier the user may
   not see is `NotFound`, whatever the action;
2. refuses a stale write: the caller passes the dossier as they saw it (or the `version` an API
   client sent); if someone changed it since, `StateError` "Hồ sơ đã được cập nhật bởi người khác";
3. checks the action against the state machine (`workflow.TRANSITIONS`: state, step, role);
4. changes the rows, bumps `version`, writes the audit event (`dossier.<action>`) and refreshes the
   dossier's fact row, all in the same transaction.
Notifications leave after commit.

Every service takes keyword `at` (default: now) so that imports, demonstrations and tests can
replay a history; the HTTP API never exposes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.choices import ApplicantKind, Role
from motcua.accounts.models import User
from motcua.accounts.scoping import CHANGE
from motcua.audit.services import record_event
from motcua.calendar import services as cal
from motcua.catalog.choices import NationalDatabase, OnlineLevel
from motcua.catalog.models import Component, Procedure
from motcua.documents import services as documents
from motcua.documents.models import StoreItem
from motcua.documents.registries import registry
from motcua.dossiers import workflow
from motcua.dossiers.choices import Channel, DocumentSource, Outcome, ReturnMethod
from motcua.dossiers.facts import refresh_fact
from motcua.dossiers.models import (
    Apology,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierStep,
    Refusal,
    Supplement,
)
from motcua.dossiers.notifications import notify_after_commit
from motcua.dossiers.result_document import result_docx
from motcua.dossiers.rules import ProcedureRules, rules_for_procedure, rules_for_version
from motcua.dossiers.workflow import Action
from motcua.errors import InvalidInput, NotFound, StateError
from motcua.orgs.models import Unit

STALE = gettext_lazy("Hồ sơ đã được cập nhật bởi người khác; vui lòng tải lại và thử lại.")


@dataclass(frozen=True)
class Applicant:
    """Who files the dossier (người nộp hồ sơ), as written on the receipt."""

    name: str
    kind: str = ApplicantKind.PERSON
    id_number: str = ""  # citizen ID (12 digits) or tax code
    phone: str = ""
    email: str = ""
    address: str = ""
    vneid: bool = False


@dataclass(frozen=True)
class DocumentInput:
    """One component handed in: `component` is its number in the procedure version.

    - `upload`: `file_id` names a file the acting user uploaded (`documents.services.store_upload`);
    - `paper`: handed in on paper; `file_id` may name a scan of it (then it counts as digitized);
    - `store`: `store_item_id` names a valid document of the applicant's data store;
    - `national_db`: pulled from the national database the component names, by the applicant's ID.
    """

    component: int
    source: str
    file_id: int | None = None
    store_item_id: int | None = None


# --- small shared pieces -------------------------------------------------------------------------


def _now(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise InvalidInput(_("Thời điểm phải có múi giờ."), field="at")
    return at


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def _steps(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.select_related("unit").order_by("order", "id"))


def _snapshot(dossier: Dossier) -> dict[str, Any]:
    """The fields an audit event compares before and after an action."""
    step = dossier.current_step
    return {
        "status": dossier.status,
        "outcome": dossier.outcome,
        "due_at": dossier.due_at,
        "current_step": step.order if step else None,
        "holder": step.unit.code if step else None,
        "assigned_to": dossier.assigned_to_id,
        "version": dossier.version,
    }


def _lock(actor: Any, dossier: Dossier, version: int | None) -> Dossier:
    """The dossier row, locked until the transaction ends, if `actor` may change it and nobody did since."""
    expected = dossier.version if version is None else version
    rows = Dossier.objects.all() if actor is None else Dossier.objects.restrict(actor, CHANGE)
    locked = rows.select_for_update().filter(pk=dossier.pk).first()
    if locked is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    if locked.version != expected:
        raise StateError(str(STALE), version=locked.version)
    return locked


def _perform(
    action: str,
    actor: Any,
    dossier: Dossier,
    *,
    version: int | None,
    ip: str | None,
    change: Callable[[Dossier, list[DossierStep]], dict[str, Any] | None],
) -> Dossier:
    """Run one action on one dossier: lock, check, `change`, save, audit, refresh the fact row.

    `change` mutates the locked dossier (and its related rows) and returns extra audit details.
    """
    with transaction.atomic():
        locked = _lock(actor, dossier, version)
        steps = _steps(locked)
        t = workflow.check(action, actor, locked, steps)
        before = _snapshot(locked)
        details = change(locked, steps) or {}
        if t.target is not None:
            locked.status = t.target
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action=f"dossier.{action}",
            obj=locked,
            before=before,
            after={**_snapshot(locked), **details},
            ip=ip,
        )
        refresh_fact(locked)
    if dossier is not locked:
        dossier.refresh_from_db()
    return locked


# --- codes ---------------------------------------------------------------------------------------


def next_code(unit: Unit, day: dt.date) -> str:
    """The next dossier code of `unit` on `day`: `<unit code>-<yyMMdd>-<NNNN>` (e.g.
    `000.00.21.H29-230306-0001`). Must run inside the intake transaction: the day's counter row
    stays locked until it commits, so concurrent intakes get distinct numbers."""
    counter = DailySequence.objects.filter(unit=unit, day=day)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DailySequence.objects.create(unit=unit, day=day, last=1)
        except IntegrityError:
            # Another intake created the day's row first: take the next number from it.
            counter.update(last=F("last") + 1)
    number = counter.values_list("last", flat=True).get()
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


# --- documents -----------------------------------------------------------------------------------


def _applicant_account(applicant: Applicant) -> User | None:
    if not applicant.id_number:
        return None
    field = "citizen_id" if applicant.kind == ApplicantKind.PERSON else "tax_code"
    return User.objects.filter(**{field: applicant.id_number}).first()


def _live_components(procedure_id: int) -> list[Component]:
    return list(Component.objects.filter(procedure_id=procedure_id).order_by("order", "id"))


def _build_documents(
    actor: Any,
    dossier: Dossier,
    rules: ProcedureRules,
    inputs: Sequence[DocumentInput],
    *,
    online: bool,
    require_all: bool,
    on: dt.date,
) -> list[DossierDocument]:
    """Check the components handed in and build (unsaved) document rows for them.

    Refuses, naming the component: an unknown or repeated component, a file the actor did not
    upload, a store document that is not the applicant's, not of the component's type or expired,
    a national-database pull the component does not allow or the database cannot answer, paper for a
    full-process online submission and — with `require_all` — a required component not provided.
    """
    if not isinstance(inputs, Sequence):
        raise InvalidInput(_("Danh sách giấy tờ không hợp lệ."), field="documents")
    seen: set[int] = set()
    store_types = {c.document_type for c in rules.components if c.document_type}
    stored_valid = documents.valid_items_by_type(
        dossier.applicant_id_number, dossier.applicant, store_types, on
    )
    live = _live_components(dossier.procedure_id)
    lookup = registry()
    built: list[DossierDocument] = []
    for i, item in enumerate(inputs):
        where = f"documents[{i}]"
        component = rules.component(item.component)
        if component is None:
            raise InvalidInput(
                _("Thủ tục không có thành phần hồ sơ số %(n)s.") % {"n": item.component},
                field=f"{where}.component",
            )
        if component.number in seen:
            raise InvalidInput(
                _("Thành phần “%(name)s” được nộp hai lần.") % {"name": component.name},
                field=f"{where}.component",
            )
        seen.add(component.number)
        doc = DossierDocument(
            dossier=dossier,
            component=live[component.number - 1] if component.number <= len(live) else None,
            name=component.name,
            source=item.source,
        )
        held = (
            lookup.lookup(component.national_db, dossier.applicant_id_number)
            if component.national_db and dossier.applicant_id_number
            else None
        )
        if item.source == DocumentSource.UPLOAD:
            if item.file_id is None:
                raise InvalidInput(
                    _("Thành phần “%(name)s”: chưa chọn tệp tải lên.") % {"name": component.name},
                    field=f"{where}.file_id",
                )
            doc.file = documents.attachable_file(actor, item.file_id)
        elif item.source == DocumentSource.PAPER:
            if online and rules.online_level == OnlineLevel.FULL:
                raise InvalidInput(
                    _("Thủ tục trực tuyến toàn trình: thành phần “%(name)s” phải nộp bản điện tử.")
                    % {"name": component.name},
                    field=f"{where}.source",
                )
            if item.file_id is not None:
                doc.file = documents.attachable_file(actor, item.file_id)
        elif item.source == DocumentSource.STORE:
            doc.store_item = _store_item(
                dossier, component.name, component.document_type, item.store_item_id, where, on
            )
            doc.file = doc.store_item.file
        elif item.source == DocumentSource.NATIONAL_DB:
            if not component.national_db:
                raise InvalidInput(
                    _("Thành phần “%(name)s” không lấy được từ cơ sở dữ liệu quốc gia.")
                    % {"name": component.name},
                    field=f"{where}.source",
                )
            if held is None:
                raise InvalidInput(
                    _("Không tìm thấy dữ liệu của số định danh %(id)s trong %(db)s.")
                    % {
                        "id": dossier.applicant_id_number or "—",
                        "db": NationalDatabase(component.national_db).label,
                    },
                    field=f"{where}.source",
                )
            doc.registry_reference = held.reference[:255]
        else:
            raise InvalidInput(
                _("Nguồn giấy tờ không hợp lệ: %(source)s.") % {"source": item.source},
                field=f"{where}.source",
            )
        doc.digitized = doc.file_id is not None or item.source == DocumentSource.NATIONAL_DB
        # Already accepted before: in the applicant's store, or held by a national database.
        doc.available = component.document_type in stored_valid or held is not None
        built.append(doc)
    if require_all:
        missing = [c.name for c in rules.components if c.required and c.number not in seen]
        if missing:
            raise InvalidInput(
                _("Thiếu thành phần hồ sơ bắt buộc: %(names)s.") % {"names": "; ".join(missing)},
                field="documents",
            )
    return built


def _store_item(
    dossier: Dossier, component_name: str, document_type: str, item_id: int | None, where: str, on: dt.date
) -> StoreItem:
    items = documents.store_items_of(dossier.applicant_id_number, dossier.applicant)
    item = items.filter(pk=item_id).first() if item_id is not None else None
    if item is None:
        raise InvalidInput(
            _("Thành phần “%(name)s”: không tìm thấy giấy tờ này trong kho dữ liệu của người nộp.")
            % {"name": component_name},
            field=f"{where}.store_item_id",
        )
    if document_type and item.document_type != document_type:
        raise InvalidInput(
            _("Thành phần “%(name)s”: giấy tờ “%(item)s” trong kho không đúng loại.")
            % {"name": component_name, "item": item.name},
            field=f"{where}.store_item_id",
        )
    if not documents.is_valid(item, on):
        raise InvalidInput(
            _("Thành phần “%(name)s”: %(reason)s.")
            % {"name": component_name, "reason": documents.expired_reason(item)},
            field=f"{where}.store_item_id",
        )
    return item


def _save_documents(dossier: Dossier, docs: list[DossierDocument], *, replace: bool = False) -> None:
    """Save `docs`; with `replace` (a supplement), each replaces the document on file for its component."""
    for doc in docs:
        doc.dossier = dossier
    if replace:
        for doc in docs:
            DossierDocument.objects.filter(dossier=dossier, name=doc.name, component=doc.component).delete()
    DossierDocument.objects.bulk_create(docs)


def _documents_summary(docs: list[DossierDocument]) -> list[dict[str, Any]]:
    return [
        {
            "name": d.name,
            "source": d.source,
            "available": d.available,
            "digitized": d.digitized,
            "file": d.file.sha256 if d.file_id and d.file else None,
        }
        for d in docs
    ]


# --- steps and deadlines -------------------------------------------------------------------------


def _plan_steps(dossier: Dossier, rules: ProcedureRules, actor: Any) -> None:
    """Create the dossier's steps from its version: each step's due time is the point where its
    cumulative share of the working time between receipt and the promised date runs out. The first
    step starts at receipt."""
    assert dossier.received_at is not None and dossier.due_at is not None
    start = dossier.received_at
    total = Decimal(cal.working_time_between(start, dossier.due_at).total_seconds())
    cumulative = Decimal(0)
    created = []
    for rule in rules.steps:
        cumulative += rule.time_share
        if cumulative >= 100:
            due = dossier.due_at
        else:
            due = cal.add_working_time(start, dt.timedelta(seconds=int(total * cumulative / 100)))
        created.append(
            DossierStep(
                dossier=dossier,
                order=rule.order,
                name=rule.name,
                role=rule.role,
                unit=dossier.unit,
                unit_kind=rule.unit_kind,
                due_at=due,
            )
        )
    if created:
        first = created[0]
        first.started_at = start
        if first.role == Role.COUNTER_OFFICER and actor is not None and actor.is_authenticated:
            first.assigned_to = actor
    DossierStep.objects.bulk_create(created)
    if created:
        # bulk_create sets primary keys on PostgreSQL and on SQLite ≥ 3.35.
        assert created[0].pk is not None
        dossier.current_step = created[0]
        dossier.assigned_to = created[0].assigned_to


def _receive(dossier: Dossier, rules: ProcedureRules, officer: Any, received_at: dt.datetime) -> None:
    """Stamp the receipt: receipt time, promised date (form 01) and the process steps."""
    dossier.received_at = received_at
    dossier.received_by = officer if officer is not None and officer.is_authenticated else None
    dossier.due_at = cal.due_date(received_at, rules.duration_days, rules.day_kind)
    dossier.save()
    _plan_steps(dossier, rules, officer)


def _finish_step(step: DossierStep, actor: Any, note: str, at: dt.datetime) -> None:
    step.finished_at = at
    step.finished_by = actor if actor is not None and actor.is_authenticated else None
    step.note = note
    step.save(update_fields=["finished_at", "finished_by", "note"])


def _advance(
    dossier: Dossier,
    steps: list[DossierStep],
    actor: Any,
    note: str,
    at: dt.datetime,
    *,
    to_unit: Unit | None = None,
    after_decision: bool = False,
) -> DossierStep | None:
    """Finish the current step and start the next one (at `to_unit` when forwarding). Returns it."""
    current = dossier.current_step
    if current is None:
        return None
    following = workflow.next_step(steps, current)
    if following is not None:
        if to_unit is not None:
            following.unit = to_unit
        elif following.unit_kind and not after_decision:
            # The guards let complete_step through only when the step stays where it is.
            assert not workflow.needs_forward(dossier, current, following)
            following.unit = current.unit
        else:
            following.unit = dossier.unit
    _finish_step(current, actor, note, at)
    dossier.assigned_to = None
    dossier.current_step = following
    if following is not None:
        following.started_at = at
        following.save(update_fields=["unit", "started_at"])
    return following


def _close_current_step(dossier: Dossier, actor: Any, note: str, at: dt.datetime) -> None:
    if dossier.current_step is not None:
        _finish_step(dossier.current_step, actor, note, at)
    dossier.current_step = None
    dossier.assigned_to = None


# --- intake --------------------------------------------------------------------------------------


def _check_unit_and_procedure(unit: Unit, procedure: Procedure, day: dt.date) -> None:
    if not unit.is_valid_on(day):
        raise InvalidInput(
            _("Đơn vị %(unit)s không còn hoạt động vào ngày %(day)s.")
            % {"unit": unit.name, "day": f"{day:%d/%m/%Y}"},
            field="unit",
        )
    if procedure.internal:
        raise InvalidInput(
            _("Thủ tục nội bộ không tiếp nhận hồ sơ của người dân, tổ chức."), field="procedure"
        )
    if procedure.levels and unit.level not in procedure.levels:
        raise InvalidInput(
            _("Thủ tục “%(procedure)s” không thực hiện ở cấp của %(unit)s.")
            % {"procedure": procedure.name, "unit": unit.name},
            field="procedure",
        )


def _create(
    action: str,
    actor: Any,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    applicant_user: Any,
    channel: str,
    documents_in: Sequence[DocumentInput],
    *,
    submitted_at: dt.datetime,
    received: bool,
    ip: str | None,
) -> Dossier:
    t = workflow.check_intake(action, actor, unit)
    assert t.target is not None
    on = timezone.localtime(submitted_at).date()
    _check_unit_and_procedure(unit, procedure, on)
    name = _required_text(applicant.name, "applicant.name", _("Thiếu tên người nộp hồ sơ."))
    if applicant.kind not in ApplicantKind.values:
        raise InvalidInput(_("Loại người nộp không hợp lệ."), field="applicant.kind")
    with transaction.atomic():
        rules = rules_for_procedure(procedure)
        if channel == Channel.ONLINE and rules.online_level == OnlineLevel.NONE:
            raise InvalidInput(
                _("Thủ tục “%(name)s” chưa cung cấp dịch vụ công trực tuyến.") % {"name": procedure.name},
                field="procedure",
            )
        dossier = Dossier(
            code=next_code(unit, on),
            procedure=procedure,
            procedure_version=rules.version,
            unit=unit,
            channel=channel,
            status=t.target,
            applicant=applicant_user,
            applicant_kind=applicant.kind,
            applicant_id_number=applicant.id_number,
            applicant_name=name,
            applicant_vneid=applicant.vneid,
            contact_phone=applicant.phone,
            contact_email=applicant.email,
            contact_address=applicant.address,
            submitted_at=submitted_at,
        )
        docs = _build_documents(
            actor, dossier, rules, documents_in, online=channel == Channel.ONLINE, require_all=True, on=on
        )
        dossier.save()
        _save_documents(dossier, docs)
        if received:
            _receive(dossier, rules, actor, submitted_at)
        dossier.save()
        record_event(
            actor=actor,
            action=f"dossier.{action}",
            obj=dossier,
            after={
                **_snapshot(dossier),
                "code": dossier.code,
                "unit": unit.code,
                "procedure": procedure.code,
                "procedure_version": rules.version.number,
                "channel": channel,
                "received_at": dossier.received_at,
                "documents": _documents_summary(docs),
            },
            ip=ip,
        )
        refresh_fact(dossier)
    return dossier


def receive_at_counter(
    officer: Any,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    documents_in: Sequence[DocumentInput],
    *,
    channel: str = Channel.COUNTER,
    received_at: dt.datetime | None = None,
    applicant_user: Any = None,
    ip: str | None = None,
) -> Dossier:
    """Receive a dossier handed in at the counter of `unit` (or arrived by post): it starts
    "received", with its code, promised date and steps. Only a counter officer of the unit.

    `received_at` defaults to now and may not be in the future (a postal dossier is received when
    it arrived). The applicant's account, when one has the applicant's ID, becomes the owner, so the
    applicant follows the dossier online.
    """
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise InvalidInput(_("Kênh tiếp nhận tại quầy phải là trực tiếp hoặc bưu chính."), field="channel")
    now = timezone.now()
    received = _now(received_at)
    if received > now + dt.timedelta(minutes=1):
        raise InvalidInput(_("Thời điểm tiếp nhận không được ở tương lai."), field="received_at")
    return _create(
        Action.RECEIVE_AT_COUNTER,
        officer,
        unit,
        procedure,
        applicant,
        applicant_user if applicant_user is not None else _applicant_account(applicant),
        channel,
        documents_in,
        submitted_at=received,
        received=True,
        ip=ip,
    )


def submit_online(
    citizen: Any,
    unit: Unit,
    procedure: Procedure,
    documents_in: Sequence[DocumentInput],
    *,
    phone: str = "",
    email: str = "",
    address: str = "",
    at: dt.datetime | None = None,
    ip: str | None = None,
) -> Dossier:
    """File a dossier online for oneself: it starts "new" with its code, until a counter officer
    accepts it (`accept_online`) or refuses it (`refuse_at_intake`).

    Only for procedures offered online. A full-process procedure takes every component
    electronically (upload, data store, national database); a partial one may name components
    that will be handed in on paper at the counter.
    """
    id_number = documents.identity_number(citizen)
    if not id_number:
        raise InvalidInput(
            _("Tài khoản chưa có số định danh cá nhân hoặc mã số thuế; cập nhật tài khoản trước khi nộp."),
            field="applicant",
        )
    kind = citizen.applicant_kind or (
        ApplicantKind.PERSON if citizen.citizen_id else ApplicantKind.ORGANIZATION
    )
    applicant = Applicant(
        name=citizen.organization_name
        if kind == ApplicantKind.ORGANIZATION and citizen.organization_name
        else (citizen.full_name or citizen.get_username()),
        kind=kind,
        id_number=id_number,
        phone=phone or citizen.phone,
        email=email or citizen.email,
        address=address,
        vneid=citizen.vneid_verified,
    )
    return _create(
        Action.SUBMIT_ONLINE,
        citizen,
        unit,
        procedure,
        applicant,
        citizen,
        Channel.ONLINE,
        documents_in,
        submitted_at=_now(at),
        received=False,
        ip=ip,
    )


def accept_online(
    officer: Any,
    dossier: Dossier,
    *,
    scans: Mapping[int, int] | None = None,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Accept an online dossier: it becomes "received" now (the receipt time is the acceptance
    time), with its promised date and steps. `scans` maps a paper component's number to the file id
    of its scan (the papers of a partial-online procedure are handed in at acceptance)."""
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        scanned = []
        live = _live_components(d.procedure_id)
        for number, file_id in (scans or {}).items():
            component = live[number - 1] if 0 < number <= len(live) else None
            doc = (
                d.documents.filter(source=DocumentSource.PAPER, component=component).first()
                if component
                else None
            )
            if doc is None:
                raise InvalidInput(
                    _("Hồ sơ không có thành phần số %(n)s nộp bản giấy.") % {"n": number}, field="scans"
                )
            doc.file = documents.attachable_file(officer, file_id)
            doc.digitized = True
            doc.save(update_fields=["file", "digitized"])
            scanned.append(doc.name)
        assert d.procedure_version is not None
        _receive(d, rules_for_version(d.procedure_version), officer, at)
        return {"received_at": d.received_at, "scanned": scanned}

    return _perform(Action.ACCEPT_ONLINE, officer, dossier, version=version, ip=ip, change=change)


def refuse_at_intake(
    officer: Any,
    dossier: Dossier,
    reasons: str,
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Refuse to receive an online dossier, with the reasons (form 03): it ends "not received"."""
    reasons = _required_text(reasons, "reasons", _("Cần nêu lý do từ chối tiếp nhận."))
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        Refusal.objects.create(dossier=d, refused_at=at, refused_by=officer, reasons=reasons)
        d.result_note = reasons
        return {"reasons": reasons}

    return _perform(Action.REFUSE_AT_INTAKE, officer, dossier, version=version, ip=ip, change=change)


# --- processing ----------------------------------------------------------------------------------


def assign(
    actor: Any, dossier: Dossier, officer: Any, *, version: int | None = None, ip: str | None = None
) -> Dossier:
    """Give the current step to `officer`, who must hold the step's role (or lead) at the step's unit."""

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        step = d.current_step
        if step is None:
            raise StateError(_("Hồ sơ không có bước đang xử lý để phân công."), allowed=[])
        if not workflow.roles_at(officer, step.unit) & {step.role, Role.UNIT_LEADER}:
            raise InvalidInput(
                _("%(user)s không giữ vai trò “%(role)s” tại %(unit)s.")
                % {"user": officer, "role": Role(step.role).label, "unit": step.unit.name},
                field="officer",
            )
        step.assigned_to = officer
        step.save(update_fields=["assigned_to"])
        d.assigned_to = officer
        return {"step": step.order, "officer": officer.get_username()}

    return _perform(Action.ASSIGN, actor, dossier, version=version, ip=ip, change=change)


def _check_assignee(officer: Any, step: DossierStep) -> None:
    """A step given to someone is theirs: others at the unit may not finish it, its leaders may."""
    taken = step.assigned_to_id is not None and step.assigned_to_id != officer.pk
    if taken and Role.UNIT_LEADER not in workflow.roles_at(officer, step.unit):
        raise InvalidInput(
            _("Bước “%(step)s” đã được giao cho %(user)s.") % {"step": step.name, "user": step.assigned_to},
            field="officer",
        )


def complete_step(
    officer: Any,
    dossier: Dossier,
    note: str = "",
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Finish the current step and move the dossier to the next one (at the same unit, or back to
    the receiving unit). A next step done by another agency needs `forward` instead."""
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        assert d.current_step is not None
        _check_assignee(officer, d.current_step)
        finished = d.current_step.order
        _advance(d, steps, officer, note, at)
        return {"finished_step": finished, "note": note}

    return _perform(Action.COMPLETE_STEP, officer, dossier, version=version, ip=ip, change=change)


def forward(
    officer: Any,
    dossier: Dossier,
    to_unit: Unit,
    note: str = "",
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Finish the current step and hand the next one to another agency (liên thông): `to_unit`,
    of the kind the step names. The dossier becomes visible to that unit's officers."""
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        current = d.current_step
        assert current is not None
        _check_assignee(officer, current)
        following = workflow.next_step(steps, current)
        assert following is not None  # the TO_OTHER_UNIT guard holds
        if to_unit.kind != following.unit_kind:
            raise InvalidInput(
                _("Bước “%(step)s” phải do đơn vị loại “%(kind)s” thực hiện; %(unit)s không phải.")
                % {"step": following.name, "kind": following.get_unit_kind_display(), "unit": to_unit.name},
                field="to_unit",
            )
        if not to_unit.is_valid_on(timezone.localtime(at).date()):
            raise InvalidInput(_("Đơn vị nhận không còn hoạt động."), field="to_unit")
        _advance(d, steps, officer, note, at, to_unit=to_unit)
        return {"finished_step": current.order, "to_unit": to_unit.code, "note": note}

    return _perform(Action.FORWARD, officer, dossier, version=version, ip=ip, change=change)


# --- supplements ---------------------------------------------------------------------------------


def request_supplement(
    officer: Any,
    dossier: Dossier,
    reason: str,
    items: Sequence[str] = (),
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Ask the applicant to complete the dossier (form 02): the clock stops until they supply."""
    reason = _required_text(reason, "reason", _("Cần nêu nội dung yêu cầu bổ sung."))
    wanted = [str(i).strip() for i in items if str(i).strip()]
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        Supplement.objects.create(
            dossier=d, requested_at=at, requested_by=officer, reason=reason, items=wanted, due_before=d.due_at
        )
        d.paused_at = at
        return {"reason": reason, "items": wanted}

    return _perform(Action.REQUEST_SUPPLEMENT, officer, dossier, version=version, ip=ip, change=change)


def supply(
    actor: Any,
    dossier: Dossier,
    documents_in: Sequence[DocumentInput] = (),
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Answer the open supplement request: processing resumes and the promised date (and every open
    step's due time) moves later by exactly the working time the applicant took."""
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        request = d.supplements.filter(received_at__isnull=True).order_by("-requested_at", "-id").first()
        assert request is not None and d.paused_at is not None and d.procedure_version is not None
        if at < d.paused_at:
            raise InvalidInput(_("Thời điểm bổ sung không được trước thời điểm yêu cầu."), field="at")
        docs = _build_documents(
            actor,
            d,
            rules_for_version(d.procedure_version),
            documents_in,
            online=actor is not None and actor.pk == d.applicant_id,
            require_all=False,
            on=timezone.localtime(at).date(),
        )
        _save_documents(d, docs, replace=True)
        paused = cal.working_time_between(d.paused_at, at)
        if d.due_at is not None:
            d.due_at = cal.extend_by_working_time(d.due_at, paused)
        for step in steps:
            if step.finished_at is None and step.due_at is not None:
                step.due_at = cal.extend_by_working_time(step.due_at, paused)
                step.save(update_fields=["due_at"])
        request.received_at = at
        request.supplied_by = actor if actor is not None and actor.is_authenticated else None
        request.due_after = d.due_at
        request.save(update_fields=["received_at", "supplied_by", "due_after"])
        d.paused_at = None
        return {"paused_working_seconds": int(paused.total_seconds()), "documents": _documents_summary(docs)}

    return _perform(Action.SUPPLY, actor, dossier, version=version, ip=ip, change=change)


# --- payment (called by the payments app) --------------------------------------------------------


def mark_waiting_payment(
    actor: Any, dossier: Dossier, *, note: str = "", version: int | None = None, ip: str | None = None
) -> Dossier:
    """The dossier waits for the applicant's financial obligation (fee, tax) to be paid."""
    return _perform(
        Action.MARK_WAITING_PAYMENT,
        actor,
        dossier,
        version=version,
        ip=ip,
        change=lambda d, s: {"note": note},
    )


def payment_settled(
    dossier: Dossier, *, actor: Any = None, version: int | None = None, ip: str | None = None
) -> Dossier:
    """The fee is paid: processing resumes. `actor` None is the payment gateway's callback."""
    return _perform(Action.PAYMENT_SETTLED, actor, dossier, version=version, ip=ip, change=lambda d, s: None)


# --- decisions -----------------------------------------------------------------------------------


def approve(
    leader: Any,
    dossier: Dossier,
    *,
    result_file_id: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Approve (giải quyết): the dossier is processed, its result issued as an electronic file — the
    one the leader uploaded, else a generated document — and put into the applicant's data store."""
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        assert d.procedure_version is not None
        rules = rules_for_version(d.procedure_version)
        issuer = d.current_step.unit if d.current_step is not None else d.unit
        if result_file_id is not None:
            result = documents.attachable_file(leader, result_file_id)
        else:
            content = result_docx(
                unit_name=issuer.name,
                code=d.code,
                procedure_name=rules.name,
                result_name=rules.result_name,
                applicant_name=d.applicant_name,
                applicant_id_number=d.applicant_id_number,
                decided_at=timezone.localtime(at),
                decided_by=getattr(leader, "full_name", "") or leader.get_username(),
                note=note,
            )
            result = documents.store_upload(
                ContentFile(content, name=f"{d.code}-ket-qua.docx"), leader, ip=ip
            )
        d.result_file = result
        d.result_electronic = True
        d.result_digitized = True
        d.outcome = Outcome.APPROVED
        d.finished_at = at
        d.result_note = note
        if d.applicant_id_number:
            documents.add_store_item(
                actor=leader,
                owner_kind=d.applicant_kind or ApplicantKind.PERSON,
                owner_id_number=d.applicant_id_number,
                owner=d.applicant,
                document_type=rules.result_document_type,
                name=rules.result_name or rules.name,
                number=d.code,
                issuer=issuer.name,
                issued_on=timezone.localtime(at).date(),
                file=result,
                source_dossier=d,
            )
            d.result_to_store = True
        _advance(d, steps, leader, note, at, after_decision=True)
        return {"result_file": result.sha256, "to_store": d.result_to_store, "note": note}

    return _perform(Action.APPROVE, leader, dossier, version=version, ip=ip, change=change)


def reject(
    leader: Any,
    dossier: Dossier,
    reasons: str,
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Refuse to grant (từ chối giải quyết), with the reasons: processed, outcome rejected."""
    reasons = _required_text(reasons, "reasons", _("Cần nêu lý do từ chối giải quyết."))
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        d.outcome = Outcome.REJECTED
        d.finished_at = at
        d.result_note = reasons
        _advance(d, steps, leader, reasons, at, after_decision=True)
        return {"reasons": reasons}

    return _perform(Action.REJECT, leader, dossier, version=version, ip=ip, change=change)


def stop(
    leader: Any,
    dossier: Dossier,
    reasons: str,
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Stop processing (dừng xử lý), with the reasons: the dossier ends "stopped"."""
    reasons = _required_text(reasons, "reasons", _("Cần nêu lý do dừng xử lý."))
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        d.outcome = Outcome.STOPPED
        d.finished_at = at
        d.result_note = reasons
        d.paused_at = None
        _close_current_step(d, leader, reasons, at)
        return {"reasons": reasons}

    return _perform(Action.STOP, leader, dossier, version=version, ip=ip, change=change)


def return_result(
    officer: Any,
    dossier: Dossier,
    method: str = ReturnMethod.COUNTER,
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Hand the result back (at the counter, online or by post): the dossier ends "returned"."""
    if method not in ReturnMethod.values:
        raise InvalidInput(_("Hình thức trả kết quả không hợp lệ."), field="method")
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        if method == ReturnMethod.ONLINE and d.outcome == Outcome.APPROVED and not d.result_electronic:
            raise InvalidInput(_("Hồ sơ chưa có kết quả điện tử để trả trực tuyến."), field="method")
        d.returned_at = at
        d.return_method = method
        _close_current_step(d, officer, str(ReturnMethod(method).label), at)
        return {"method": method}

    return _perform(Action.RETURN_RESULT, officer, dossier, version=version, ip=ip, change=change)


def withdraw(
    actor: Any,
    dossier: Dossier,
    reason: str,
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Dossier:
    """Withdraw the dossier at the applicant's request (rút hồ sơ), while it is not finished: by the
    applicant online, or by a counter officer on their written request."""
    reason = _required_text(reason, "reason", _("Cần nêu lý do rút hồ sơ."))
    at = _now(at)

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        d.outcome = Outcome.WITHDRAWN
        d.result_note = reason
        d.paused_at = None
        _close_current_step(d, actor, reason, at)
        return {"reason": reason}

    return _perform(Action.WITHDRAW, actor, dossier, version=version, ip=ip, change=change)


def apologize(
    officer: Any,
    dossier: Dossier,
    new_due_at: dt.datetime,
    reason: str,
    *,
    at: dt.datetime | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> Apology:
    """Apologise for a dossier that is or will be late, with a new appointment (form 04).

    The new appointment is kept on the apology; `Dossier.due_at` does not move, so the dossier
    still counts as late against the date first promised. An online applicant is told by email and
    SMS once the transaction commits.
    """
    reason = _required_text(reason, "reason", _("Cần nêu lý do chậm trễ."))
    if timezone.is_naive(new_due_at):
        raise InvalidInput(_("Thời điểm phải có múi giờ."), field="new_due_at")
    at = _now(at)
    created: list[Apology] = []

    def change(d: Dossier, steps: list[DossierStep]) -> dict[str, Any]:
        if d.due_at is None:
            raise InvalidInput(_("Hồ sơ chưa có ngày hẹn trả."), field="new_due_at")
        if new_due_at <= d.due_at or new_due_at <= at:
            raise InvalidInput(
                _("Ngày hẹn mới phải sau ngày hẹn trả (%(due)s) và sau thời điểm hiện tại.")
                % {"due": f"{timezone.localtime(d.due_at):%d/%m/%Y %H:%M}"},
                field="new_due_at",
            )
        email = phone = ""
        if d.channel == Channel.ONLINE:
            email = d.contact_email or (d.applicant.email if d.applicant else "")
            phone = d.contact_phone or (d.applicant.phone if d.applicant else "")
        apology = Apology.objects.create(
            dossier=d,
            issued_at=at,
            issued_by=officer,
            reason=reason,
            original_due_at=d.due_at,
            new_due_at=new_due_at,
            notified_email=email,
            notified_phone=phone,
        )
        created.append(apology)
        if email or phone:
            local_due = timezone.localtime(new_due_at)
            message = _(
                "%(unit)s xin lỗi vì hồ sơ %(code)s chưa được giải quyết đúng hẹn. Lý do: %(reason)s. "
                "Ngày hẹn trả mới: %(date)s."
            ) % {"unit": d.unit.name, "code": d.code, "reason": reason, "date": f"{local_due:%H:%M %d/%m/%Y}"}
            notify_after_commit(
                email=email,
                phone=phone,
                subject=_("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": d.code},
                message=message,
            )
        return {"apology": apology.pk, "new_due_at": new_due_at, "reason": reason}

    _perform(Action.APOLOGIZE, officer, dossier, version=version, ip=ip, change=change)
    return created[0]
