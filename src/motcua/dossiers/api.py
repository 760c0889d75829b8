"""The dossier API (mounted at /api/dossiers): citizens, officers and leaders.

Thin: parse, find the dossier through the caller's scope, call a service, render. Every endpoint
needs sign-in. A dossier outside the caller's scope answers 404 on every endpoint — the same as a
code that does not exist, so codes cannot be probed; 403 means the dossier is visible but the
caller lacks the role the action needs; 409 means the state does not allow the action (the
answer lists `allowed` actions) or the dossier changed since the caller's `version`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from motcua.accounts.auth import api_auth
from motcua.accounts.client_ip import client_ip
from motcua.accounts.models import User
from motcua.accounts.scoping import CHANGE, units_for
from motcua.catalog.models import Procedure
from motcua.documents import services as documents
from motcua.documents.models import StoredFile
from motcua.dossiers import selectors, services, workflow
from motcua.dossiers.choices import NATIONAL_CHANNEL, NATIONAL_STATUS, Channel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, DocumentInput
from motcua.errors import InvalidInput, NotFound
from motcua.orgs.models import Unit

router = Router(tags=["dossiers"], auth=api_auth)


# --- schemas -------------------------------------------------------------------------------------


class Ref(Schema):
    code: str
    name: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    unit: Ref
    assigned_to: str | None = None
    started_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    finished_by: str | None = None
    note: str = ""
    on_time: bool | None = None


class CurrentStepOut(Schema):
    order: int
    name: str
    role: str
    unit: Ref
    assigned_to: str | None = None
    due_at: dt.datetime | None = None
    late: bool
    at_risk: bool


class DossierOut(Schema):
    code: str
    procedure: Ref
    unit: Ref
    channel: str
    channel_code: int
    status: str
    status_label: str
    status_code: int
    outcome: str | None
    applicant_name: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    paused_at: dt.datetime | None
    late: bool
    at_risk: bool
    current_step: CurrentStepOut | None
    version: int


class DocumentOut(Schema):
    id: int
    name: str
    source: str
    available: bool
    digitized: bool
    file_id: int | None
    registry_reference: str = ""


class SupplementOut(Schema):
    requested_at: dt.datetime
    reason: str
    items: list[str]
    received_at: dt.datetime | None
    due_before: dt.datetime | None
    due_after: dt.datetime | None


class ApologyOut(Schema):
    issued_at: dt.datetime
    reason: str
    original_due_at: dt.datetime | None
    new_due_at: dt.datetime


class RefusalOut(Schema):
    refused_at: dt.datetime
    reasons: str


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    status: str | None = None
    note: str = ""


class DossierDetailOut(DossierOut):
    applicant_kind: str
    applicant_id_number: str
    contact_phone: str
    contact_email: str
    contact_address: str
    procedure_version: int | None
    result_note: str
    result_file_id: int | None
    result_electronic: bool
    result_digitized: bool
    result_to_store: bool
    return_method: str
    documents: list[DocumentOut]
    steps: list[StepOut]
    supplements: list[SupplementOut]
    apologies: list[ApologyOut]
    refusal: RefusalOut | None
    timeline: list[EventOut]
    allowed_actions: list[str]


class DocumentIn(Schema):
    component: int
    source: str
    file_id: int | None = None
    store_item_id: int | None = None


class ApplicantIn(Schema):
    name: str
    kind: str = "person"
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class SubmitIn(Schema):
    unit: str
    procedure: str
    documents: list[DocumentIn]
    phone: str = ""
    email: str = ""
    address: str = ""


class CounterIn(Schema):
    unit: str
    procedure: str
    applicant: ApplicantIn
    documents: list[DocumentIn]
    channel: str = Channel.COUNTER
    received_at: dt.datetime | None = None


class VersionIn(Schema):
    version: int | None = None


class AcceptIn(VersionIn):
    scans: dict[int, int] = {}


class ReasonsIn(VersionIn):
    reasons: str


class ReasonIn(VersionIn):
    reason: str


class NoteIn(VersionIn):
    note: str = ""


class AssignIn(VersionIn):
    officer: str


class ForwardIn(NoteIn):
    to_unit: str


class SupplementIn(ReasonIn):
    items: list[str] = []


class SupplyIn(VersionIn):
    documents: list[DocumentIn] = []


class ApproveIn(NoteIn):
    result_file_id: int | None = None


class ApologyIn(ReasonIn):
    new_due_at: dt.datetime


class ReturnIn(VersionIn):
    method: str = "counter"


class FileOut(Schema):
    id: int
    sha256: str
    size: int
    content_type: str
    name: str


class StoreItemOut(Schema):
    id: int
    document_type: str
    name: str
    number: str
    issuer: str
    issued_on: dt.date | None
    valid_until: dt.date | None
    file_id: int | None
    source_dossier: str | None


class OfferOut(Schema):
    component: int
    name: str
    document_type: str
    required: bool
    reusable: bool
    items: list[StoreItemOut]
    expired: list[StoreItemOut]


class UnitOverviewOut(Schema):
    unit: str
    name: str
    total: int
    open: int
    late: int
    by_status: dict[str, int]


class CodeOut(Schema):
    value: str
    label: str
    national_code: int


class CodesOut(Schema):
    statuses: list[CodeOut]
    channels: list[CodeOut]


# --- rendering -----------------------------------------------------------------------------------


def _ref(obj: Any) -> Ref:
    return Ref(code=obj.code, name=obj.name)


def _user_label(user: Any) -> str | None:
    return str(user) if user is not None else None


def _out(d: Dossier, today: selectors.Today) -> dict[str, Any]:
    state = today.judge(d.due_at, paused=d.paused_at is not None)
    open_ = d.status in workflow.OPEN_STATES
    step = d.current_step
    current = None
    if step is not None:
        step_state = today.judge(step.due_at, paused=d.paused_at is not None)
        current = CurrentStepOut(
            order=step.order,
            name=step.name,
            role=step.role,
            unit=_ref(step.unit),
            assigned_to=_user_label(step.assigned_to),
            due_at=step.due_at,
            late=step_state.late,
            at_risk=step_state.at_risk,
        )
    return {
        "code": d.code,
        "procedure": _ref(d.procedure),
        "unit": _ref(d.unit),
        "channel": d.channel,
        "channel_code": NATIONAL_CHANNEL[Channel(d.channel)],
        "status": d.status,
        "status_label": str(Status(d.status).label),
        "status_code": NATIONAL_STATUS[Status(d.status)],
        "outcome": d.outcome,
        "applicant_name": d.applicant_name,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "paused_at": d.paused_at,
        "late": open_ and state.late,
        "at_risk": open_ and state.at_risk,
        "current_step": current,
        "version": d.version,
    }


def _list(rows: Any) -> list[DossierOut]:
    today = selectors.Today.at(timezone.now())
    return [DossierOut(**_out(d, today)) for d in rows]


def _event(event: Any) -> EventOut:
    action = event.action.removeprefix("dossier.")
    after = event.after or {}
    note = next((str(after[k]) for k in ("reasons", "reason", "note") if after.get(k)), "")
    label = str(workflow.Action(action).label) if action in workflow.Action.values else event.action
    return EventOut(
        at=event.at,
        action=action,
        label=label,
        actor=event.actor_label,
        status=after.get("status"),
        note=note,
    )


def _detail(user: Any, d: Dossier) -> DossierDetailOut:
    now = timezone.now()
    steps = list(d.steps.all())
    controls = {c.order: c for c in selectors.process_control(d, now)}
    refusal = getattr(d, "refusal", None)  # a missing one-to-one raises an AttributeError subclass
    return DossierDetailOut(
        **_out(d, selectors.Today.at(now)),
        applicant_kind=d.applicant_kind,
        applicant_id_number=d.applicant_id_number,
        contact_phone=d.contact_phone,
        contact_email=d.contact_email,
        contact_address=d.contact_address,
        procedure_version=d.procedure_version.number if d.procedure_version else None,
        result_note=d.result_note,
        result_file_id=d.result_file_id,
        result_electronic=d.result_electronic,
        result_digitized=d.result_digitized,
        result_to_store=d.result_to_store,
        return_method=d.return_method,
        documents=[
            DocumentOut(
                id=doc.pk,
                name=doc.name,
                source=doc.source,
                available=doc.available,
                digitized=doc.digitized,
                file_id=doc.file_id,
                registry_reference=doc.registry_reference,
            )
            for doc in d.documents.all()
        ],
        steps=[
            StepOut(
                order=s.order,
                name=s.name,
                role=s.role,
                unit=_ref(s.unit),
                assigned_to=_user_label(s.assigned_to),
                started_at=s.started_at,
                due_at=s.due_at,
                finished_at=s.finished_at,
                finished_by=_user_label(s.finished_by),
                note=s.note,
                on_time=controls[s.order].on_time if s.order in controls else None,
            )
            for s in sorted(steps, key=lambda s: (s.order, s.pk))
        ],
        supplements=[
            SupplementOut(
                requested_at=s.requested_at,
                reason=s.reason,
                items=list(s.items or []),
                received_at=s.received_at,
                due_before=s.due_before,
                due_after=s.due_after,
            )
            for s in d.supplements.all()
        ],
        apologies=[
            ApologyOut(
                issued_at=a.issued_at,
                reason=a.reason,
                original_due_at=a.original_due_at,
                new_due_at=a.new_due_at,
            )
            for a in d.apologies.all()
        ],
        refusal=RefusalOut(refused_at=refusal.refused_at, reasons=refusal.reasons) if refusal else None,
        timeline=[_event(e) for e in selectors.timeline(d)],
        allowed_actions=workflow.allowed_actions(d, steps, user),
    )


def _store_item_out(item: Any) -> StoreItemOut:
    return StoreItemOut(
        id=item.pk,
        document_type=item.document_type,
        name=item.name,
        number=item.number,
        issuer=item.issuer,
        issued_on=item.issued_on,
        valid_until=item.valid_until,
        file_id=item.file_id,
        source_dossier=item.source_dossier.code if item.source_dossier else None,
    )


# --- lookups -------------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    """The signed-in user (`api_auth` sets `request.auth`)."""
    return request.auth  # type: ignore[attr-defined]


def _unit(code: str, field: str = "unit") -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput(_("Không có đơn vị mã %(code)s.") % {"code": code}, field=field)
    return unit


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise InvalidInput(_("Không có thủ tục mã %(code)s.") % {"code": code}, field="procedure")
    return procedure


def _documents(items: list[DocumentIn]) -> list[DocumentInput]:
    return [
        DocumentInput(
            component=i.component, source=i.source, file_id=i.file_id, store_item_id=i.store_item_id
        )
        for i in items
    ]


def _aware(value: dt.datetime) -> dt.datetime:
    # A time without an offset is Vietnam time, as in the exchange format.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _changeable(request: HttpRequest, code: str) -> Dossier:
    return selectors.get_dossier(_caller(request), code, CHANGE)


def _answer(request: HttpRequest, code: str) -> DossierDetailOut:
    return _detail(_caller(request), selectors.detail(_caller(request), code))


# --- files and the data store --------------------------------------------------------------------


@router.post("/files", response={201: FileOut}, summary="Tải lên một tệp (PDF, PNG, JPEG, DOCX)")
def upload(request: HttpRequest, file: File[UploadedFile]) -> FileOut:
    stored = documents.store_upload(file, _caller(request), ip=client_ip(request))
    # The only declared status (201) is the one Ninja answers with.
    return FileOut(
        id=stored.pk,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        name=file.name or "",
    )


@router.get("/store", response=list[StoreItemOut], summary="Kho dữ liệu của tôi")
def my_store(request: HttpRequest) -> list[StoreItemOut]:
    user = _caller(request)
    items = documents.store_items_of(documents.identity_number(user), user).order_by(
        "document_type", "-issued_on"
    )
    return [_store_item_out(i) for i in items]


@router.get(
    "/store/offers", response=list[OfferOut], summary="Giấy tờ trong kho dùng lại được cho một thủ tục"
)
def store_offers(request: HttpRequest, procedure: str) -> list[OfferOut]:
    offers = documents.offer_from_store(_caller(request), _procedure(procedure))
    return [
        OfferOut(
            component=o.component,
            name=o.name,
            document_type=o.document_type,
            required=o.required,
            reusable=o.reusable,
            items=[_store_item_out(i) for i in o.items],
            expired=[_store_item_out(i) for i in o.expired],
        )
        for o in offers
    ]


# --- lists ---------------------------------------------------------------------------------------


@router.get("/codes", response=CodesOut, summary="Mã trạng thái và kênh nộp theo Cổng DVC quốc gia")
def codes(request: HttpRequest) -> CodesOut:
    return CodesOut(
        statuses=[
            CodeOut(value=s.value, label=str(s.label), national_code=NATIONAL_STATUS[s]) for s in Status
        ],
        channels=[
            CodeOut(value=c.value, label=str(c.label), national_code=NATIONAL_CHANNEL[c]) for c in Channel
        ],
    )


@router.get("/mine", response=list[DossierOut], summary="Hồ sơ của tôi")
def my_dossiers(request: HttpRequest) -> list[DossierOut]:
    return _list(selectors.mine(_caller(request))[:500])


@router.get("/queue", response=list[DossierOut], summary="Hồ sơ đang chờ đơn vị của tôi xử lý")
def officer_queue(
    request: HttpRequest,
    unit: str | None = None,
    status: str | None = None,
    late: bool = False,
    all_roles: bool = False,
) -> list[DossierOut]:
    """Soonest due first. By default only the dossiers whose current step is for one of the caller's
    roles; `all_roles=true` lists everything held at the caller's units; `late=true` only the late."""
    if status and status not in Status.values:
        raise InvalidInput(_("Trạng thái không hợp lệ: %(s)s.") % {"s": status}, field="status")
    return _list(
        selectors.queue(_caller(request), unit=unit, status=status, late_only=late, all_roles=all_roles)[:500]
    )


@router.get("/overview", response=list[UnitOverviewOut], summary="Số hồ sơ theo trạng thái của các đơn vị")
def overview(request: HttpRequest) -> list[UnitOverviewOut]:
    rows = selectors.visible(_caller(request)).filter(unit__in=units_for(_caller(request)).values("pk"))
    return [UnitOverviewOut(**row) for row in selectors.unit_overview(rows, timezone.now())]


# --- intake --------------------------------------------------------------------------------------


@router.post("", response={201: DossierDetailOut}, summary="Nộp hồ sơ trực tuyến")
def submit(request: HttpRequest, payload: SubmitIn) -> DossierDetailOut:
    dossier = services.submit_online(
        _caller(request),
        _unit(payload.unit),
        _procedure(payload.procedure),
        _documents(payload.documents),
        phone=payload.phone,
        email=payload.email,
        address=payload.address,
        ip=client_ip(request),
    )
    return _answer(request, dossier.code)


@router.post("/counter", response={201: DossierDetailOut}, summary="Tiếp nhận hồ sơ tại bộ phận một cửa")
def receive(request: HttpRequest, payload: CounterIn) -> DossierDetailOut:
    a = payload.applicant
    dossier = services.receive_at_counter(
        _caller(request),
        _unit(payload.unit),
        _procedure(payload.procedure),
        Applicant(
            name=a.name, kind=a.kind, id_number=a.id_number, phone=a.phone, email=a.email, address=a.address
        ),
        _documents(payload.documents),
        channel=payload.channel,
        received_at=_aware(payload.received_at) if payload.received_at else None,
        ip=client_ip(request),
    )
    return _answer(request, dossier.code)


# --- one dossier ---------------------------------------------------------------------------------


@router.get("/{code}", response=DossierDetailOut, summary="Chi tiết hồ sơ, tiến trình và ngày hẹn trả")
def detail(request: HttpRequest, code: str) -> DossierDetailOut:
    return _answer(request, code)


@router.get("/{code}/files/{file_id}", summary="Tải tệp của hồ sơ (giấy tờ hoặc kết quả)")
def download(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    dossier = selectors.get_dossier(_caller(request), code)
    attached = dossier.result_file_id == file_id or dossier.documents.filter(file_id=file_id).exists()
    stored = StoredFile.objects.filter(pk=file_id).first() if attached else None
    if stored is None:
        raise NotFound(_("Hồ sơ không có tệp này."))
    return FileResponse(
        documents.open_stored(stored),
        content_type=stored.content_type,
        as_attachment=True,
        filename=stored.original_name,
    )


@router.post("/{code}/accept", response=DossierDetailOut, summary="Tiếp nhận hồ sơ trực tuyến")
def accept(request: HttpRequest, code: str, payload: AcceptIn) -> DossierDetailOut:
    services.accept_online(
        _caller(request),
        _changeable(request, code),
        scans=payload.scans,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/refuse", response=DossierDetailOut, summary="Từ chối tiếp nhận (mẫu 03)")
def refuse(request: HttpRequest, code: str, payload: ReasonsIn) -> DossierDetailOut:
    services.refuse_at_intake(
        _caller(request),
        _changeable(request, code),
        payload.reasons,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/assign", response=DossierDetailOut, summary="Phân công xử lý bước hiện tại")
def assign(request: HttpRequest, code: str, payload: AssignIn) -> DossierDetailOut:
    officer = User.objects.filter(username=payload.officer, is_active=True).first()
    if officer is None:
        raise InvalidInput(_("Không có cán bộ %(u)s.") % {"u": payload.officer}, field="officer")
    services.assign(
        _caller(request), _changeable(request, code), officer, version=payload.version, ip=client_ip(request)
    )
    return _answer(request, code)


@router.post(
    "/{code}/complete-step", response=DossierDetailOut, summary="Hoàn thành bước, chuyển bước tiếp theo"
)
def complete_step(request: HttpRequest, code: str, payload: NoteIn) -> DossierDetailOut:
    services.complete_step(
        _caller(request),
        _changeable(request, code),
        payload.note,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/forward", response=DossierDetailOut, summary="Chuyển liên thông sang đơn vị khác")
def forward(request: HttpRequest, code: str, payload: ForwardIn) -> DossierDetailOut:
    services.forward(
        _caller(request),
        _changeable(request, code),
        _unit(payload.to_unit, "to_unit"),
        payload.note,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post(
    "/{code}/supplement-requests", response=DossierDetailOut, summary="Yêu cầu bổ sung hồ sơ (mẫu 02)"
)
def request_supplement(request: HttpRequest, code: str, payload: SupplementIn) -> DossierDetailOut:
    services.request_supplement(
        _caller(request),
        _changeable(request, code),
        payload.reason,
        payload.items,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/supply", response=DossierDetailOut, summary="Bổ sung hồ sơ")
def supply(request: HttpRequest, code: str, payload: SupplyIn) -> DossierDetailOut:
    services.supply(
        _caller(request),
        _changeable(request, code),
        _documents(payload.documents),
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/approve", response=DossierDetailOut, summary="Phê duyệt, giải quyết")
def approve(request: HttpRequest, code: str, payload: ApproveIn) -> DossierDetailOut:
    services.approve(
        _caller(request),
        _changeable(request, code),
        result_file_id=payload.result_file_id,
        note=payload.note,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/reject", response=DossierDetailOut, summary="Từ chối giải quyết")
def reject(request: HttpRequest, code: str, payload: ReasonsIn) -> DossierDetailOut:
    services.reject(
        _caller(request),
        _changeable(request, code),
        payload.reasons,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/stop", response=DossierDetailOut, summary="Dừng xử lý")
def stop(request: HttpRequest, code: str, payload: ReasonsIn) -> DossierDetailOut:
    services.stop(
        _caller(request),
        _changeable(request, code),
        payload.reasons,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/apologies", response=DossierDetailOut, summary="Xin lỗi và hẹn lại ngày trả (mẫu 04)")
def apologize(request: HttpRequest, code: str, payload: ApologyIn) -> DossierDetailOut:
    services.apologize(
        _caller(request),
        _changeable(request, code),
        _aware(payload.new_due_at),
        payload.reason,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/return", response=DossierDetailOut, summary="Trả kết quả")
def return_result(request: HttpRequest, code: str, payload: ReturnIn) -> DossierDetailOut:
    services.return_result(
        _caller(request),
        _changeable(request, code),
        payload.method,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)


@router.post("/{code}/withdraw", response=DossierDetailOut, summary="Rút hồ sơ")
def withdraw(request: HttpRequest, code: str, payload: ReasonIn) -> DossierDetailOut:
    services.withdraw(
        _caller(request),
        _changeable(request, code),
        payload.reason,
        version=payload.version,
        ip=client_ip(request),
    )
    return _answer(request, code)
