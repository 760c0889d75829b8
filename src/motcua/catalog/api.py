"""`/api/procedures`: the public procedure catalog — search, fields, detail, and a due-date preview."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.calendar import services as cal
from motcua.catalog import selectors
from motcua.catalog.models import Procedure

router = Router(tags=["procedures"])

Level = Literal["province", "district", "commune"]
OnlineLevelParam = Literal["full", "partial", "none"]


class ListFilters(Schema):
    q: str | None = Field(
        None, max_length=200, description="Tìm theo tên, mã hoặc lĩnh vực; không phân biệt dấu"
    )
    level: Level | None = Field(None, description="Cấp thực hiện: province, district, commune")
    field: str | None = Field(
        None, max_length=255, description="Lĩnh vực (đúng tên, xem /api/procedures/fields)"
    )
    online_level: OnlineLevelParam | None = Field(None, description="Mức độ trực tuyến: full, partial, none")
    limit: int = Field(20, ge=1, le=200, description="Số thủ tục mỗi trang (1–200)")
    offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu thủ tục đầu")


class ProcedureItem(Schema):
    code: str = Field(description="Mã thủ tục (mã TTHC quốc gia hoặc mã nội bộ HT.xxxx)")
    name: str = Field(description="Tên thủ tục")
    field: str = Field(description="Lĩnh vực")
    duration_days: int = Field(description="Thời hạn giải quyết (0 = trong ngày)")
    day_kind: str = Field(description="working: ngày làm việc; calendar: ngày")
    fee: int = Field(description="Phí, lệ phí (đồng)")
    online_level: str = Field(description="full, partial, none")
    levels: list[str] = Field(description="Cấp thực hiện")
    internal: bool = Field(description="Thủ tục nội bộ giữa các cơ quan nhà nước")
    version: int = Field(description="Phiên bản hiện hành")


class ProcedurePage(Schema):
    total: int = Field(description="Tổng số thủ tục khớp bộ lọc")
    limit: int
    offset: int
    items: list[ProcedureItem]


class FieldCount(Schema):
    field: str = Field(description="Lĩnh vực")
    count: int = Field(description="Số thủ tục")


class ComponentOut(Schema):
    order: int
    name: str
    required: bool
    copy_kind: str = Field(description="original, copy, certified_copy, original_or_copy")
    quantity: int
    from_store: bool = Field(description="Có thể lấy từ kho dữ liệu của người nộp")
    national_db: str = Field(
        description="CSDL quốc gia có thể khai thác: population, business, land hoặc trống"
    )
    document_type: str = Field(description="Khóa loại giấy tờ để đối chiếu kho dữ liệu")


class FeeLineOut(Schema):
    order: int
    name: str
    amount: int = Field(description="Số tiền (đồng)")
    note: str


class StepOut(Schema):
    order: int
    name: str
    role: str = Field(description="Vai trò thực hiện")
    unit_kind: str = Field(description="Loại đơn vị thực hiện; trống: đơn vị tiếp nhận")
    time_share: float = Field(description="Tỷ lệ thời hạn (%)")


class UnitRef(Schema):
    code: str
    name: str


class ProcedureDetail(ProcedureItem):
    national_code_known: bool = Field(description="Mã là mã TTHC quốc gia (false: mã nội bộ)")
    full_online_eligible: bool
    online_payment: bool
    public_national: bool
    paper_result: bool
    published: bool
    announced_on: dt.date | None
    effective_on: dt.date | None
    public_on: dt.date | None
    agency: str = Field(description="Cơ quan thực hiện")
    province_unit: UnitRef | None = Field(description="Đơn vị cấp tỉnh thực hiện")
    eligibility: str
    legal_basis: str
    result_name: str
    source_note: str = Field(description="Nguồn số liệu; số liệu chưa đối chiếu được ghi rõ")
    components: list[ComponentOut]
    fee_lines: list[FeeLineOut]
    steps: list[StepOut]


class DueDateOut(Schema):
    received_at: dt.datetime
    due_at: dt.datetime = Field(description="Hạn trả kết quả, 17:00 giờ Việt Nam của ngày đến hạn")
    duration_days: int
    day_kind: str


class DueDateQuery(Schema):
    received_at: dt.datetime | None = Field(
        None, description="Thời điểm tiếp nhận (ISO 8601; không có múi giờ = giờ Việt Nam); mặc định bây giờ"
    )


def _item(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "duration_days": procedure.duration_days,
        "day_kind": procedure.day_kind,
        "fee": procedure.fee,
        "online_level": procedure.online_level,
        "levels": procedure.levels,
        "internal": procedure.internal,
        "version": procedure.version,
    }


@router.get("", response=ProcedurePage, summary="Tìm thủ tục hành chính")
def list_procedures(request: HttpRequest, filters: Query[ListFilters]) -> dict:
    procedures = selectors.search_procedures(
        query=filters.q, level=filters.level, field=filters.field, online_level=filters.online_level
    )
    page = procedures[filters.offset : filters.offset + filters.limit]
    return {
        "total": procedures.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_item(p) for p in page],
    }


@router.get("/fields", response=list[FieldCount], summary="Các lĩnh vực và số thủ tục")
def list_fields(request: HttpRequest) -> list[dict[str, object]]:
    return selectors.field_counts()


@router.get("/{code}", response=ProcedureDetail, summary="Chi tiết thủ tục")
def get_procedure(request: HttpRequest, code: str) -> dict:
    procedure = selectors.procedure_detail(code)
    unit = procedure.province_unit
    return {
        **_item(procedure),
        "national_code_known": procedure.national_code_known,
        "full_online_eligible": procedure.full_online_eligible,
        "online_payment": procedure.online_payment,
        "public_national": procedure.public_national,
        "paper_result": procedure.paper_result,
        "published": procedure.published,
        "announced_on": procedure.announced_on,
        "effective_on": procedure.effective_on,
        "public_on": procedure.public_on,
        "agency": procedure.agency,
        "province_unit": {"code": unit.code, "name": unit.name} if unit else None,
        "eligibility": procedure.eligibility,
        "legal_basis": procedure.legal_basis,
        "result_name": procedure.result_name,
        "source_note": procedure.source_note,
        "components": list(procedure.components.all()),
        "fee_lines": list(procedure.fee_lines.all()),
        "steps": list(procedure.steps.all()),
    }


@router.get(
    "/{code}/due-date", response=DueDateOut, summary="Hạn trả kết quả nếu tiếp nhận vào một thời điểm"
)
def due_date(request: HttpRequest, code: str, params: Query[DueDateQuery]) -> dict:
    procedure = selectors.procedure_detail(code)
    received_at = params.received_at or timezone.now()
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at, timezone.get_default_timezone())
    return {
        "received_at": received_at,
        "due_at": cal.due_date(received_at, procedure.duration_days, procedure.day_kind),
        "duration_days": procedure.duration_days,
        "day_kind": procedure.day_kind,
    }
