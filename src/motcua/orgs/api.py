"""`/api/units`: the organisation units (public reads), and their contact details (signed-in change)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from motcua.accounts.auth import api_auth
from motcua.accounts.client_ip import client_ip
from motcua.orgs import selectors, services
from motcua.orgs.choices import UnitLevel
from motcua.orgs.models import Unit

router = Router(tags=["units"])


class UnitRef(Schema):
    code: str = Field(description="Mã đơn vị")
    name: str = Field(description="Tên đơn vị")


class UnitOut(Schema):
    code: str = Field(description="Mã đơn vị (mã định danh theo QCVN 102:2016 hoặc mã ổn định khác)")
    name: str = Field(description="Tên đơn vị")
    kind: str = Field(
        description="Loại: people_committee, department, central_agency, service_unit, school, other"
    )
    level: str = Field(description="Cấp: province, district, commune")
    parent: str | None = Field(description="Mã đơn vị cấp trên; trống với đơn vị gốc")
    admin_code: str = Field(description="Mã đơn vị hành chính (tỉnh, huyện, xã) theo danh mục Việt Nam")
    valid_from: dt.date | None = Field(description="Hiệu lực từ ngày; trống nếu có trước mọi dữ liệu")
    valid_to: dt.date | None = Field(description="Hiệu lực đến hết ngày; trống nếu còn hiệu lực")


class UnitNodeOut(UnitOut):
    children: list[UnitNodeOut] = Field(description="Các đơn vị trực thuộc còn hiệu lực tại ngày đã chọn")


class UnitDetailOut(UnitOut):
    parent_unit: UnitRef | None = Field(description="Đơn vị cấp trên")
    merged_into: UnitRef | None = Field(description="Đơn vị mà đơn vị này được sáp nhập vào")
    merged_from: list[UnitRef] = Field(description="Các đơn vị đã sáp nhập vào đơn vị này")
    successor_today: UnitRef | None = Field(
        description="Đơn vị kế thừa còn hiệu lực hôm nay (chính nó nếu còn hiệu lực; trống nếu đã giải thể)"
    )
    address: str = Field(description="Địa chỉ")
    phone: str = Field(description="Điện thoại")
    email: str = Field(description="Thư điện tử")
    note: str = Field(description="Ghi chú: căn cứ pháp lý, lịch sử sáp nhập")


class ContactIn(Schema):
    """Only the contact details can be changed here; any other field is refused (422)."""

    model_config = ConfigDict(extra="forbid")

    address: str | None = Field(None, max_length=255, description="Địa chỉ")
    phone: str | None = Field(None, max_length=32, description="Điện thoại")
    email: str | None = Field(None, max_length=254, description="Thư điện tử")


class ListFilters(Schema):
    as_of: dt.date | None = Field(None, description="Ngày xem (YYYY-MM-DD); mặc định hôm nay")
    level: UnitLevel | None = Field(None, description="Chỉ lấy một cấp: province, district, commune")
    parent: str | None = Field(None, description="Chỉ lấy các đơn vị trực thuộc đơn vị có mã này")
    q: str | None = Field(None, max_length=100, description="Tìm theo một phần mã hoặc tên")


class TreeFilters(Schema):
    as_of: dt.date | None = Field(None, description="Ngày xem (YYYY-MM-DD); mặc định hôm nay")


def _out(unit: Unit, parent_code: str | None) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "level": unit.level,
        "parent": parent_code,
        "admin_code": unit.admin_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def _ref(unit: Unit | None) -> dict | None:
    return None if unit is None else {"code": unit.code, "name": unit.name}


def _node(node: selectors.UnitNode, parent_code: str | None) -> dict:
    return {
        **_out(node.unit, parent_code),
        "children": [_node(child, node.unit.code) for child in node.children],
    }


@router.get("", response=list[UnitOut], summary="Danh sách đơn vị còn hiệu lực tại một ngày")
def list_units(request: HttpRequest, filters: Query[ListFilters]) -> list[dict]:
    day = filters.as_of or timezone.localdate()
    parent = selectors.unit_by_code(filters.parent) if filters.parent else None
    units = selectors.units_as_of(day, level=filters.level, parent=parent, q=filters.q)
    return [_out(u, u.parent.code if u.parent else None) for u in units]


@router.get("/tree", response=list[UnitNodeOut], summary="Cây đơn vị còn hiệu lực tại một ngày")
def unit_tree(request: HttpRequest, filters: Query[TreeFilters]) -> list[dict]:
    day = filters.as_of or timezone.localdate()
    return [_node(root, None) for root in selectors.unit_tree(day)]


@router.get("/{code}", response=UnitDetailOut, summary="Thông tin một đơn vị")
def unit_detail(request: HttpRequest, code: str) -> dict:
    unit = selectors.unit_by_code(code)
    return _detail(unit)


@router.patch(
    "/{code}",
    response=UnitDetailOut,
    auth=api_auth,
    summary="Sửa thông tin liên hệ của đơn vị (địa chỉ, điện thoại, email)",
)
def update_unit_contact(request: HttpRequest, code: str, payload: ContactIn) -> dict:
    unit = selectors.unit_by_code(code)
    changes = payload.model_dump(exclude_unset=True)
    unit = services.update_unit_contact(unit, actor=request.auth, changes=changes, ip=client_ip(request))
    return _detail(selectors.unit_by_code(unit.code))


def _detail(unit: Unit) -> dict:
    return {
        **_out(unit, unit.parent.code if unit.parent else None),
        "parent_unit": _ref(unit.parent),
        "merged_into": _ref(unit.merged_into),
        "merged_from": [_ref(u) for u in unit.merged_from.order_by("code")],
        "successor_today": _ref(selectors.successor_as_of(unit, timezone.localdate())),
        "address": unit.address,
        "phone": unit.phone,
        "email": unit.email,
        "note": unit.note,
    }
