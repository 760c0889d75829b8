"""Scorecard API (mounted at /api/scorecard): plans, stored results, rankings, drill-down, and the
values units report.

Every call needs a signed-in official (a staff role in some unit) or a superuser; rows are scoped
as `selectors` describes. Results are served from the stored table, computed first when they are
missing or no longer fresh.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.accounts.auth import api_auth
from motcua.accounts.client_ip import client_ip
from motcua.errors import Forbidden, NotFound
from motcua.scorecard import selectors, services
from motcua.scorecard.models import ReportedValue

router = Router(tags=["scorecard"])


class PlanOut(Schema):
    code: str
    name: str
    year: int
    kind: str
    loaded: bool


class ResultsOut(Schema):
    plan: str
    period: str
    as_of: str
    computed_at: str
    results: list[dict[str, Any]]


class RankedUnitOut(Schema):
    rank: int
    unit: str
    name: str
    value: float | None
    numerator: int | float | None
    denominator: int | float | None
    met: bool | None
    points: float | None


class CodePage(Schema):
    count: int
    items: list[str]


class DrilldownOut(Schema):
    kind: Literal["dossier", "payment", "procedure"]
    lists: dict[str, CodePage]


class RankingQuery(Schema):
    indicator: str
    level: Literal["province", "district", "commune"]


class DrilldownQuery(Schema):
    indicator: str
    scope: Literal["province", "level", "unit"]
    key: str
    offset: int = 0
    limit: int = 100


class ReportedIn(Schema):
    plan: str
    indicator: str
    period: str
    unit: str | None = None  # unit code; empty for the province as a whole
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    evidence: str = ""
    evidence_file_id: int | None = None
    submit: bool = True


class ReviewIn(Schema):
    note: str = ""


class ReportedOut(Schema):
    id: int
    plan: str
    indicator: str
    period: str
    unit: str | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    evidence: str
    evidence_file_id: int | None
    status: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_note: str


def _user(request: HttpRequest) -> Any:
    """The signed-in user, which Ninja's auth put on the request."""
    return getattr(request, "auth", None)


def _reader(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.may_read_scorecard(user):
        raise Forbidden(_("Chỉ cán bộ, công chức có vai trò trong đơn vị được xem bảng theo dõi."))
    return user


def _reported_out(value: ReportedValue) -> ReportedOut:
    return ReportedOut(
        id=value.pk,
        plan=value.plan.code,
        indicator=value.indicator,
        period=value.period,
        unit=value.unit.code if value.unit is not None else None,
        value=value.value,
        numerator=value.numerator,
        denominator=value.denominator,
        evidence=value.evidence,
        evidence_file_id=value.evidence_file_id,
        status=value.status,
        submitted_at=value.submitted_at,
        reviewed_at=value.reviewed_at,
        review_note=value.review_note,
    )


@router.get("/plans", response=list[PlanOut], auth=api_auth, summary="Kế hoạch, bộ chỉ số")
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    _reader(request)
    return selectors.plans()


@router.get("/reported-values", response=list[ReportedOut], auth=api_auth, summary="Số liệu đơn vị báo cáo")
def list_reported(request: HttpRequest, plan: str, period: str | None = None) -> list[ReportedOut]:
    user = _reader(request)
    return [_reported_out(v) for v in selectors.reported_values(user, plan, period)]


@router.post(
    "/reported-values", response=ReportedOut, auth=api_auth, summary="Báo cáo (hoặc lưu nháp) một số liệu"
)
def report_value(request: HttpRequest, payload: ReportedIn) -> ReportedOut:
    from motcua.documents.models import StoredFile
    from motcua.orgs.models import Unit

    unit = None
    if payload.unit:
        unit = Unit.objects.filter(code=payload.unit).first()
        if unit is None:
            raise NotFound(_("Không có đơn vị “%(code)s”.") % {"code": payload.unit}, field="unit")
    evidence_file = None
    if payload.evidence_file_id is not None:
        evidence_file = StoredFile.objects.filter(pk=payload.evidence_file_id).first()
        if evidence_file is None:
            raise NotFound(_("Không có tệp minh chứng này."), field="evidence_file_id")
    value = services.report_value(
        actor=_user(request),
        plan_code=payload.plan,
        indicator=payload.indicator,
        period=payload.period,
        unit=unit,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        evidence=payload.evidence,
        evidence_file=evidence_file,
        submit=payload.submit,
        ip=client_ip(request),
    )
    return _reported_out(value)


@router.post(
    "/reported-values/{value_id}/approve", response=ReportedOut, auth=api_auth, summary="Phê duyệt số liệu"
)
def approve_value(request: HttpRequest, value_id: int, payload: ReviewIn) -> ReportedOut:
    value = services.approve(
        actor=_user(request),
        reported_id=value_id,
        note=payload.note,
        ip=client_ip(request),
    )
    return _reported_out(value)


@router.post(
    "/reported-values/{value_id}/send-back", response=ReportedOut, auth=api_auth, summary="Trả lại số liệu"
)
def send_back_value(request: HttpRequest, value_id: int, payload: ReviewIn) -> ReportedOut:
    value = services.send_back(
        actor=_user(request),
        reported_id=value_id,
        note=payload.note,
        ip=client_ip(request),
    )
    return _reported_out(value)


@router.get("/{plan}/{period}", response=ResultsOut, auth=api_auth, summary="Bảng kết quả của một kỳ")
def results(request: HttpRequest, plan: str, period: str) -> dict[str, Any]:
    user = _reader(request)
    return selectors.results_document(user, services.current_results(plan, period))


@router.get(
    "/{plan}/{period}/rankings", response=list[RankedUnitOut], auth=api_auth, summary="Xếp hạng đơn vị"
)
def rankings(request: HttpRequest, plan: str, period: str, query: Query[RankingQuery]) -> list[Any]:
    user = _reader(request)
    return selectors.ranking(user, services.current_results(plan, period), query.indicator, query.level)


@router.get(
    "/{plan}/{period}/drilldown", response=DrilldownOut, auth=api_auth, summary="Hồ sơ làm nên con số"
)
def drilldown(request: HttpRequest, plan: str, period: str, query: Query[DrilldownQuery]) -> dict[str, Any]:
    user = _reader(request)
    offset, limit = max(query.offset, 0), min(max(query.limit, 1), 1000)
    kind, lists = selectors.drilldown(user, plan, period, query.indicator, query.scope, query.key)
    return {
        "kind": kind,
        "lists": {
            name: {"count": codes.count(), "items": list(codes[offset : offset + limit])}
            for name, codes in lists.items()
        },
    }
