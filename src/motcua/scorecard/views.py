"""The reform dashboard's pages (/dashboard/): the targets at a glance, monthly trends, units at a
glance, an indicator's ranking within a level, the dossiers behind a number, reported values with
their evidence and review, and the Excel and Word exports.

Thin: each view reads the query string, asks `dashboard` (stored results, scoped to the reader) or
a service, and renders. Pages are for unit leaders, reform managers and province administrators;
other signed-in users get the 403 page in the site's layout.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.choices import PROVINCE_WIDE_ROLES, Role
from motcua.accounts.client_ip import client_ip
from motcua.accounts.scoping import CHANGE, units_for
from motcua.errors import InvalidInput, MotcuaError, StateError
from motcua.scorecard import charts, dashboard, engine, reports, selectors, services
from motcua.scorecard.definition import REPORTED
from motcua.scorecard.forms import PROVINCE_CHOICE, ReportedValueForm, ReviewForm
from motcua.scorecard.models import ReportStatus
from motcua.web.access import DASHBOARD_ROLES, roles_required, staff_roles
from motcua.web.views.errors import domain_errors

dashboard_required = roles_required(
    DASHBOARD_ROLES,
    lambda: _(
        "Bảng theo dõi cải cách hành chính dành cho lãnh đạo đơn vị, người quản lý cải cách hành chính "
        "và quản trị hệ thống cấp tỉnh."
    ),
)


def _may_review(request: HttpRequest) -> bool:
    return request.user.is_superuser or Role.REFORM_MANAGER in staff_roles(request)


def _context(request: HttpRequest, selection: dashboard.Selection, **extra: Any) -> dict[str, Any]:
    """What every dashboard page shows around its content: the filter, the tabs, the exports."""
    return {"selection": selection, "query": selection.query(), **extra}


@require_GET
@dashboard_required
@domain_errors
def home(request: HttpRequest) -> HttpResponse:
    """The plan's targets at a glance (or the qd766 index by group) for the chosen scope."""
    selection = dashboard.select(request.GET, request.user)
    board = dashboard.Board.load(request.user, selection.plan_code, selection.period.code)
    context = _context(request, selection, board=board)
    if board.is_index:
        key = board.province_key if selection.scope == "province" else selection.key
        groups = dashboard.index_groups(board, selection.scope, key)
        context.update(
            groups=groups,
            groups_spec=charts.groups_spec([(g.code, g.name, g.points, g.max_points) for g in groups]),
            total=board.cell(engine.TOTAL, selection.scope, key),
            level_totals=[
                (dashboard.level_label(level), level, board.cell(engine.TOTAL, "level", level))
                for level in board.definition.level_order
            ],
            lines=dashboard.index_lines(board, selection.scope, key),
            scope_key=key,
        )
    else:
        columns = dashboard.columns_for(board, selection)
        groups = dashboard.target_groups(board, columns)
        context.update(columns=columns, groups=groups, counts=dashboard.state_counts(columns, groups))
    return render(request, "scorecard/home.html", context)


@require_GET
@dashboard_required
@domain_errors
def trends(request: HttpRequest) -> HttpResponse:
    """Each indicator month by month over the period's year, with its target."""
    selection = dashboard.select(request.GET, request.user)
    key = selection.key
    series = dashboard.monthly_series(
        request.user, selection.plan_code, selection.period.year, selection.scope, key
    )
    return render(request, "scorecard/trends.html", _context(request, selection, series=series))


@require_GET
@dashboard_required
@domain_errors
def units(request: HttpRequest) -> HttpResponse:
    """Every unit the reader sees, with how many of its targets are met, at risk, missed."""
    selection = dashboard.select(request.GET, request.user)
    board = dashboard.Board.load(request.user, selection.plan_code, selection.period.code)
    level = request.GET.get("level") or ""
    if level not in board.definition.level_order:
        level = ""
    sort, descending = dashboard.sort_params(request.GET, dashboard.UNIT_SORTS, "code")
    lines = dashboard.sort_rows(
        dashboard.unit_lines(board, level or None), dashboard.UNIT_SORTS[sort], descending
    )
    columns = [
        ("code", _("Mã đơn vị"), False, False),
        ("name", _("Đơn vị"), False, False),
        ("level", _("Cấp"), False, False),
        ("met", _("Đạt"), True, True),
        ("at_risk", _("Có nguy cơ"), True, True),
        ("missed", _("Chưa đạt") if not board.closed else _("Không đạt"), True, True),
    ]
    if board.is_index:
        columns.append(("total", _("Tổng điểm (%)"), True, True))
    context = _context(
        request,
        selection,
        board=board,
        lines=lines,
        level=level,
        levels=[(lv, dashboard.level_label(lv)) for lv in board.definition.level_order],
        headers=dashboard.headers(request.GET, columns, sort, descending),
    )
    return render(request, "scorecard/units.html", context)


@require_GET
@dashboard_required
@domain_errors
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: the province and each level, and the ranking of the units of a level."""
    selection = dashboard.select(request.GET, request.user)
    board = dashboard.Board.load(request.user, selection.plan_code, selection.period.code)
    spec = board.indicator(code)
    if spec is None and not (code == engine.TOTAL and board.is_index):
        raise Http404(_("Chỉ tiêu “%(code)s” không có trong kế hoạch này.") % {"code": code})
    levels = list(board.definition.level_order)
    level = request.GET.get("level") or ""
    if level not in levels:
        level = next((lv for lv in levels if board.cell(code, "level", lv) is not None), levels[0])
    scopes = spec.scopes if spec is not None else ("province", "level", "unit")
    sort, descending = dashboard.sort_params(request.GET, dashboard.RANK_SORTS, "rank")
    lines: list[dashboard.RankLine] = []
    if "unit" in scopes:
        lines = dashboard.sort_rows(
            dashboard.rank_lines(request.user, board, code, level), dashboard.RANK_SORTS[sort], descending
        )
    columns = [
        ("rank", _("Hạng"), True, False),
        ("code", _("Mã đơn vị"), False, False),
        ("name", _("Đơn vị"), False, False),
        ("numerator", _("Tử số"), True, True),
        ("denominator", _("Mẫu số"), True, True),
        ("value", _("Giá trị"), True, True),
    ]
    if board.is_index:
        columns.append(("points", _("Điểm"), True, True))
    columns.append(("state", _("Trạng thái"), False, False))
    summary = [(_("Toàn tỉnh"), "province", board.province_key, board.cell(code, "province", ""))]
    summary += [(dashboard.level_label(lv), "level", lv, board.cell(code, "level", lv)) for lv in levels]
    context = _context(
        request,
        selection,
        board=board,
        code=code,
        spec=spec,
        name=spec.name if spec is not None else _("Tổng điểm"),
        drillable=spec is not None and spec.source != REPORTED,
        summary=[entry for entry in summary if entry[3] is not None],
        level=level,
        levels=[(lv, dashboard.level_label(lv)) for lv in levels],
        lines=lines,
        has_units="unit" in scopes,
        headers=dashboard.headers(request.GET, columns, sort, descending),
    )
    return render(request, "scorecard/indicator.html", context)


@require_GET
@dashboard_required
@domain_errors
def drilldown(request: HttpRequest) -> HttpResponse:
    """The dossiers (or procedures) behind a number, list by list, paginated."""
    selection = dashboard.select(request.GET, request.user, with_scope=False)
    code = request.GET.get("indicator") or ""
    scope = request.GET.get("scope") or "province"
    key = request.GET.get("key") or ""
    definition, _plan = engine.resolve_plan(selection.plan_code)
    spec = definition.indicator(code)  # NotFound → 404
    kind, lists = selectors.drilldown(
        request.user, selection.plan_code, selection.period.code, code, scope, key
    )
    summary = dashboard.drill_lists(lists)
    current = request.GET.get("list") or (summary[0].name if summary else "")
    if current not in lists:
        current = summary[0].name if summary else ""
    page = (
        Paginator(lists[current], dashboard.DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
        if current
        else None
    )
    board = dashboard.Board.load(request.user, selection.plan_code, selection.period.code, with_trends=False)
    unit = dashboard.unit_infos([key]).get(key) if scope == "unit" else None
    place = (
        _("Toàn tỉnh")
        if scope == "province"
        else dashboard.level_label(key)
        if scope == "level"
        else (unit.name if unit else key)
    )
    base = {
        "plan": selection.plan_code,
        "period": selection.period.code,
        "indicator": code,
        "scope": scope,
        "key": key,
    }
    links = {
        name: reverse("dashboard:drilldown") + dashboard.query_string(**base, list=name) for name in lists
    }
    context = _context(
        request,
        selection,
        spec=spec,
        kind=kind,
        place=place,
        scope=scope,
        key=key,
        cell=board.cell(code, scope, key),
        tabs=[(item, links[item.name]) for item in summary],
        current=current,
        current_url=links.get(current, ""),
        page=page,
        codes=[(c, dashboard.code_url(kind, c)) for c in (page.object_list if page else [])],
    )
    return render(request, "scorecard/drilldown.html", context)


# --- reported values --------------------------------------------------------------------------------------


def _reported_form(
    request: HttpRequest, selection: dashboard.Selection, data: Any = None, files: Any = None, **kwargs: Any
) -> ReportedValueForm:
    definition, _plan = engine.resolve_plan(selection.plan_code)
    province_allowed = request.user.is_superuser or bool(staff_roles(request) & PROVINCE_WIDE_ROLES)
    units = [
        (code, f"{name} ({code})")
        for code, name in units_for(request.user, CHANGE).order_by("code").values_list("code", "name")
    ]
    years = {definition.year, selection.period.year}
    return ReportedValueForm(
        data,
        files,
        indicators=[i for i in definition.indicators if i.source == REPORTED],
        units=units,
        province_allowed=province_allowed,
        periods=dashboard.period_choices(years),
        **kwargs,
    )


@require_GET
@dashboard_required
@domain_errors
def reported(request: HttpRequest) -> HttpResponse:
    """The values reported for the plan and period that the reader sees, with their review."""
    selection = dashboard.select(request.GET, request.user, with_scope=False)
    definition, _plan = engine.resolve_plan(selection.plan_code)
    names = {i.code: i.name for i in definition.indicators}
    values = (
        selectors.reported_values(request.user, selection.plan_code, selection.period.code)
        .select_related("evidence_file")
        .order_by("indicator", "unit__code")
    )
    context = _context(
        request,
        selection,
        values=[(value, names.get(value.indicator, value.indicator)) for value in values],
        may_review=_may_review(request),
        review_form=ReviewForm(),
        reviewable=(ReportStatus.SUBMITTED,),
        returnable=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
        editable=(ReportStatus.DRAFT, ReportStatus.RETURNED),
    )
    return render(request, "scorecard/reported.html", context)


def _plain(number: Decimal | None) -> Decimal | None:
    """A stored decimal without its trailing zeros (3.000000 → 3), as a person would type it."""
    if number is None:
        return None
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


@require_http_methods(["GET", "POST"])
@dashboard_required
@domain_errors
def report_value(request: HttpRequest) -> HttpResponse:
    """Enter a value with its evidence (file uploaded through documents), as a draft or for review."""
    selection = dashboard.select(request.GET, request.user, with_scope=False)
    initial: dict[str, Any] = {"period": selection.period.code}
    editing = request.GET.get("edit")
    if editing and editing.isdigit():
        value = selectors.reported_values(request.user, selection.plan_code).filter(pk=int(editing)).first()
        if value is None:
            raise Http404(_("Không tìm thấy số liệu báo cáo."))
        initial.update(
            indicator=value.indicator,
            unit=value.unit.code if value.unit is not None else PROVINCE_CHOICE,
            period=value.period,
            value=_plain(value.value) if value.numerator is None else None,
            numerator=_plain(value.numerator),
            denominator=_plain(value.denominator),
            evidence=value.evidence,
        )
    elif request.GET.get("indicator"):
        initial["indicator"] = request.GET["indicator"]
    if request.method == "POST":
        form = _reported_form(request, selection, request.POST, request.FILES)
        if form.is_valid():
            stored = _submit_report(request, selection, form)
            if stored is not None:
                if stored.status == ReportStatus.SUBMITTED:
                    messages.success(request, _("Đã gửi số liệu để thẩm định."))
                else:
                    messages.success(request, _("Đã lưu nháp số liệu."))
                target = reverse("dashboard:reported") + dashboard.query_string(
                    plan=selection.plan_code, period=stored.period
                )
                return redirect(target)
    else:
        form = _reported_form(request, selection, initial=initial)
    return render(request, "scorecard/report_value.html", _context(request, selection, form=form))


def _submit_report(request: HttpRequest, selection: dashboard.Selection, form: ReportedValueForm) -> Any:
    """Store the evidence file and the value; errors go back onto the form (returns None)."""
    from motcua.documents.services import store_upload
    from motcua.orgs.models import Unit

    data = form.cleaned_data
    unit = None
    if data["unit"] != PROVINCE_CHOICE:
        unit = Unit.objects.filter(code=data["unit"]).first()
    evidence_file = None
    try:
        if data.get("evidence_file"):
            evidence_file = store_upload(data["evidence_file"], request.user, ip=client_ip(request))
        return services.report_value(
            actor=request.user,
            plan_code=selection.plan_code,
            indicator=data["indicator"],
            period=data["period"],
            unit=unit,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            evidence=data.get("evidence") or "",
            evidence_file=evidence_file,
            submit=request.POST.get("action") != "draft",
            ip=client_ip(request),
        )
    except MotcuaError as exc:
        field = {"file": "evidence_file"}.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        return None


@require_POST
@dashboard_required
@domain_errors
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """A reform manager approves a submitted value or sends it back with a note."""
    form = ReviewForm(request.POST)
    back = reverse("dashboard:reported") + dashboard.query_string(
        plan=request.POST.get("plan") or None, period=request.POST.get("period") or None
    )
    if not form.is_valid():
        messages.error(request, _("Chưa chọn phê duyệt hay trả lại."))
        return redirect(back)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == ReviewForm.APPROVE:
            services.approve(actor=request.user, reported_id=pk, note=note, ip=client_ip(request))
            messages.success(request, _("Đã phê duyệt số liệu."))
        else:
            services.send_back(actor=request.user, reported_id=pk, note=note, ip=client_ip(request))
            messages.success(request, _("Đã trả lại số liệu cho đơn vị."))
    except (InvalidInput, StateError) as exc:
        messages.error(request, exc.message)
    return redirect(back)


@require_GET
@dashboard_required
@domain_errors
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a reported value the reader may see."""
    from motcua.documents.services import open_stored

    plan = request.GET.get("plan") or ""
    value = (
        selectors.reported_values(request.user, plan).select_related("evidence_file").filter(pk=pk).first()
        if plan
        else None
    )
    if value is None or value.evidence_file is None:
        raise Http404(_("Không tìm thấy tệp minh chứng."))
    stored = value.evidence_file
    return FileResponse(
        open_stored(stored),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


# --- exports ---------------------------------------------------------------------------------------------


@require_GET
@dashboard_required
@domain_errors
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The chosen plan and period as an Excel workbook or a Word report (rows the reader sees)."""
    if fmt not in reports.FORMATS:
        raise Http404(_("Không có định dạng này."))
    selection = dashboard.select(request.GET, request.user, with_scope=False)
    result_set = services.current_results(selection.plan_code, selection.period.code)
    data = reports.from_stored(result_set, request.user)
    body = reports.workbook_bytes(data) if fmt == "xlsx" else reports.word_bytes(data)
    response = HttpResponse(body, content_type=reports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{reports.file_name(data, fmt)}"'
    return response
