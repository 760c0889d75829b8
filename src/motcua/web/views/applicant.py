"""The applicant's pages: filing a dossier online, "Hồ sơ của tôi", a dossier and its actions, the
data store (kho dữ liệu)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.client_ip import client_ip
from motcua.catalog import selectors as catalog
from motcua.catalog.choices import OnlineLevel
from motcua.documents import services as documents
from motcua.dossiers import selectors as dossiers
from motcua.dossiers import services as dossier_services
from motcua.dossiers.rules import rules_for_procedure
from motcua.errors import MotcuaError
from motcua.web import actions, dossier_page, selectors
from motcua.web.access import applicant_required, signed_in_required, staff_roles
from motcua.web.forms.components import ComponentsForm, Offer
from motcua.web.forms.intake import SubmitForm
from motcua.web.views import dossier as dossier_views
from motcua.web.views.errors import domain_errors

PAGE_SIZE = 20
TEMPLATE = "web/applicant/dossier.html"


def _uploader(request: HttpRequest):
    """Stores an uploaded file for the signed-in user (the documents service checks it)."""
    return lambda upload: documents.store_upload(upload, request.user, ip=client_ip(request))


def _own_upload(user, file_id: int):
    try:
        return documents.attachable_file(user, file_id)
    except MotcuaError:
        return None


@require_http_methods(["GET", "POST"])
@applicant_required
@domain_errors
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """File a dossier online: choose the receiving unit, then provide each component — reusing
    what the data store holds first, else uploading (or, for a partial-online procedure, paper at
    the counter). Errors come back next to their field, with everything typed or uploaded kept."""
    procedure = catalog.procedure_detail(code)
    if procedure.online_level == OnlineLevel.NONE:
        messages.error(request, _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."))
        return redirect("web:procedure", code=code)
    user = request.user
    units = selectors.receiving_units(procedure, timezone.localdate())
    rules = rules_for_procedure(procedure)
    offers = documents.offer_from_store(user, procedure)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = SubmitForm(
        data,
        units=units,
        initial={"phone": user.phone, "email": user.email},
    )
    components = ComponentsForm(
        data,
        files,
        components=rules.components,
        offer=Offer(paper=procedure.online_level == OnlineLevel.PARTIAL),
        store_items={o.document_type: o.items for o in offers if o.items},
        kept_files=lambda file_id: _own_upload(user, file_id),
    )
    if request.method == "POST":
        form_ok = form.is_valid()
        components_ok = components.is_valid()
        components_ok = components.keep_uploads(_uploader(request)) and components_ok
        if form_ok and components_ok:
            inputs, numbers = components.document_inputs()
            try:
                dossier = dossier_services.submit_online(
                    user,
                    form.cleaned_data["unit"],
                    procedure,
                    inputs,
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    address=form.cleaned_data["address"],
                    ip=client_ip(request),
                )
            except MotcuaError as exc:
                if not components.place_error(exc, numbers):
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Đã nộp hồ sơ %(code)s. Đơn vị sẽ kiểm tra và tiếp nhận; bạn theo dõi tiến trình tại đây."
                    )
                    % {"code": dossier.code},
                )
                return redirect("web:dossier", code=dossier.code)
    failed = request.method == "POST"
    return render(
        request,
        "web/applicant/submit.html",
        {
            "procedure": procedure,
            "form": form,
            "components": components,
            "expired": [item for o in offers for item in o.expired],
            "units": units,
        },
        status=400 if failed else 200,
    )


@require_GET
@applicant_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers the user filed or owns, newest first."""
    page = Paginator(dossiers.mine(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/applicant/my_dossiers.html",
        {"page": page, "today": dossiers.Today.at(timezone.now())},
    )


@require_GET
@applicant_required
def my_store(request: HttpRequest) -> HttpResponse:
    """The applicant's data store: accepted papers and digitized results, reused by new dossiers."""
    user = request.user
    items = documents.store_items_of(documents.identity_number(user), user).order_by(
        "document_type", "-issued_on", "-id"
    )
    today = timezone.localdate()
    return render(
        request,
        "web/applicant/store.html",
        {"items": [(item, documents.is_valid(item, today)) for item in items]},
    )


@require_GET
@applicant_required
def store_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file of one document of the user's own data store."""
    user = request.user
    item = documents.store_items_of(documents.identity_number(user), user).filter(pk=pk).first()
    if item is None or item.file is None:
        raise Http404(_("Không tìm thấy giấy tờ này trong kho dữ liệu của bạn."))
    return FileResponse(
        documents.open_stored(item.file),
        content_type=item.file.content_type,
        as_attachment=True,
        filename=item.file.original_name,
    )


@require_GET
@signed_in_required
@domain_errors
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    """A dossier as its applicant sees it: status, promised date, timeline, papers, fees, result,
    and the actions open to them now. An official is taken to the workspace's page."""
    page = dossier_page.load(request.user, code)
    if not page.is_applicant and staff_roles(request):
        return redirect("web:office-dossier", code=code)
    reference = request.GET.get("reference")
    if reference:
        _payment_notice(request, page, reference)
    return dossier_views.show(request, page, actions.APPLICANT_FORMS, TEMPLATE)


def _payment_notice(request: HttpRequest, page: dossier_page.DossierPage, reference: str) -> None:
    """Back from the payment gateway (its signed result rides on the URL): say how it went, from
    our own record of the payment, which only the gateway's notification changes."""
    payment = next((p for p in page.payments if p.reference == reference), None)
    if payment is None:
        return
    if payment.status == "paid":
        messages.success(request, _("Thanh toán thành công. Cảm ơn bạn."))
    elif payment.status == "pending":
        messages.info(request, _("Đang chờ cổng thanh toán xác nhận giao dịch."))
    else:
        messages.warning(request, _("Thanh toán không thành công hoặc đã bị hủy."))


@require_POST
@signed_in_required
@domain_errors
def applicant_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Run one of the applicant's actions (supply, withdraw, pay online, rate, complain)."""
    return dossier_views.act(request, code, action, actions.APPLICANT_FORMS, TEMPLATE, "web:dossier")
