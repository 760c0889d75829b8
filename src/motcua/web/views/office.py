"""The officer workspace: the queue, receiving at the counter, a dossier with the actions allowed
now, and the leaders' overview of their units."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.client_ip import client_ip
from motcua.accounts.scoping import units_for
from motcua.catalog import selectors as catalog
from motcua.documents import services as documents
from motcua.dossiers import selectors as dossiers
from motcua.dossiers import services as dossier_services
from motcua.dossiers.rules import rules_for_procedure
from motcua.dossiers.services import Applicant
from motcua.dossiers.workflow import OPEN_STATES
from motcua.errors import MotcuaError
from motcua.web import actions, dossier_page, selectors
from motcua.web.access import counter_required, officer_required, overview_required
from motcua.web.forms.components import ComponentsForm, Offer
from motcua.web.forms.intake import CounterForm
from motcua.web.forms.search import CatalogSearchForm, QueueFilterForm
from motcua.web.views import dossier as dossier_views
from motcua.web.views.errors import domain_errors

QUEUE_PAGE_SIZE = 50
TEMPLATE = "web/office/dossier.html"


@require_GET
@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    """The dossiers waiting on the officer, soonest due first, late and at-risk ones marked."""
    units = selectors.member_units(request.user)
    form = QueueFilterForm(request.GET or None, units=[(u.code, u.name) for u in units])
    wanted = form.cleaned_data if form.is_valid() else {}
    rows = dossiers.queue(
        request.user,
        unit=wanted.get("unit") or None,
        status=wanted.get("status") or None,
        late_only=bool(wanted.get("late")),
        all_roles=bool(wanted.get("all_roles")),
    )
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": dossiers.Today.at(timezone.now()),
        "open_states": OPEN_STATES,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "web/office/_queue_rows.html", context)
    return render(request, "web/office/queue.html", context)


@require_GET
@counter_required
def receive(request: HttpRequest) -> HttpResponse:
    """Receiving at the counter, first step: find the procedure (performed at the officer's level)."""
    units = selectors.counter_units(request.user)
    levels = {u.level for u in units}
    form = CatalogSearchForm(request.GET or None, fields=catalog.field_counts())
    wanted = form.cleaned_data if form.is_valid() else {}
    rows = catalog.search_procedures(query=wanted.get("q") or None, field=wanted.get("field") or None)
    rows = (
        [p for p in rows if not p.levels or levels & set(p.levels)]
        if wanted.get("q") or wanted.get("field")
        else []
    )
    return render(request, "web/office/receive.html", {"form": form, "procedures": rows[:50], "units": units})


@require_http_methods(["GET", "POST"])
@counter_required
@domain_errors
def receive_form(request: HttpRequest, code: str) -> HttpResponse:
    """Receiving at the counter: the applicant, the channel and the components handed in; on
    success the dossier's page, where form 01 (receipt and appointment) is printed."""
    procedure = catalog.procedure_detail(code)
    units = [
        u
        for u in selectors.counter_units(request.user)
        if not procedure.levels or u.level in procedure.levels
    ]
    if not units:
        messages.error(request, _("Thủ tục này không thực hiện ở cấp của đơn vị bạn tiếp nhận."))
        return redirect("web:receive")
    rules = rules_for_procedure(procedure)
    post = request.method == "POST"
    # "Tra cứu kho dữ liệu" re-shows the form with the applicant's stored papers; nothing is filed.
    looking_up = post and "lookup" in request.POST
    form = CounterForm(request.POST if post else None, units=units, lookup_only=looking_up)
    id_number = form.id_number_for_lookup() if post and form.is_valid() else ""
    store = {}
    if id_number:
        types = {c.document_type for c in rules.components if c.document_type}
        found = documents.valid_items_by_type(id_number, None, types, timezone.localdate())
        store = {t: [item] for t, item in found.items()}
    components = ComponentsForm(
        request.POST if post and not looking_up else None,
        request.FILES if post and not looking_up else None,
        components=rules.components,
        offer=Offer(paper=True, paper_first=True, store=True),
        store_items=store,
        kept_files=lambda file_id: _own_upload(request.user, file_id),
    )
    if post and not looking_up:
        form_ok = form.is_valid()
        components_ok = components.is_valid()
        components_ok = components.keep_uploads(_uploader(request)) and components_ok
        if form_ok and components_ok:
            inputs, numbers = components.document_inputs()
            data = form.cleaned_data
            try:
                dossier = dossier_services.receive_at_counter(
                    request.user,
                    data["unit"],
                    procedure,
                    Applicant(
                        name=data["applicant_name"],
                        kind=data["applicant_kind"],
                        id_number=data["id_number"],
                        phone=data["phone"],
                        email=data["email"],
                        address=data["address"],
                    ),
                    inputs,
                    channel=data["channel"],
                    ip=client_ip(request),
                )
            except MotcuaError as exc:
                if not components.place_error(exc, numbers):
                    field = (exc.field or "").removeprefix("applicant.")
                    field = {"name": "applicant_name", "kind": "applicant_kind"}.get(field, field)
                    form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Đã tiếp nhận hồ sơ %(code)s, hẹn trả ngày %(due)s. "
                        "In giấy tiếp nhận (mẫu 01) ở mục “Phiếu in”."
                    )
                    % {"code": dossier.code, "due": f"{timezone.localtime(dossier.due_at):%d/%m/%Y}"},
                )
                return redirect("web:office-dossier", code=dossier.code)
    return render(
        request,
        "web/office/receive_form.html",
        {
            "procedure": procedure,
            "form": form,
            "components": components,
            "looked_up": bool(looking_up and id_number),
            "found": len(store),
        },
        status=400 if post and not looking_up else 200,
    )


def _uploader(request: HttpRequest):
    """Stores an uploaded file for the signed-in officer (the documents service checks it)."""
    return lambda upload: documents.store_upload(upload, request.user, ip=client_ip(request))


def _own_upload(user, file_id: int):
    try:
        return documents.attachable_file(user, file_id)
    except MotcuaError:
        return None


@require_GET
@overview_required
def overview(request: HttpRequest) -> HttpResponse:
    """Per unit the leader answers for: dossiers by status, open, late (one grouped query)."""
    user = request.user
    rows = dossiers.visible(user).filter(unit__in=units_for(user).values("pk"))
    table = dossiers.unit_overview(rows, timezone.now())
    totals = {
        "total": sum(r["total"] for r in table),
        "open": sum(r["open"] for r in table),
        "late": sum(r["late"] for r in table),
    }
    return render(request, "web/office/overview.html", {"rows": table, "totals": totals})


@require_GET
@officer_required
@domain_errors
def office_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """A dossier in the workspace: everything about it, the buttons allowed now, the printed slips."""
    page = dossier_page.load(request.user, code)
    return dossier_views.show(request, page, actions.OFFICE_FORMS, TEMPLATE)


@require_POST
@officer_required
@domain_errors
def office_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Run one officer action on the dossier (accept, assign, complete a step, approve…)."""
    return dossier_views.act(request, code, action, actions.OFFICE_FORMS, TEMPLATE, "web:office-dossier")
