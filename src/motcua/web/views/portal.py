"""The public pages of the citizen portal: home, the procedure catalog, a procedure, the dossier lookup."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog
from motcua.catalog.choices import OnlineLevel
from motcua.dossiers import selectors as dossiers
from motcua.errors import NotFound
from motcua.web import selectors
from motcua.web.access import staff_roles
from motcua.web.forms.search import CatalogSearchForm, LookupForm
from motcua.web.views.errors import domain_errors

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: search, the fields of the catalog, the way to follow a dossier."""
    fields = catalog.field_counts()
    online = catalog.search_procedures(online_level=OnlineLevel.FULL)
    return render(
        request,
        "web/portal/home.html",
        {
            "form": CatalogSearchForm(fields=fields),
            "fields": fields,
            "total": sum(int(f["count"]) for f in fields),
            "online_count": online.count(),
            "featured": online[:6],
            "lookup": LookupForm(),
        },
    )


def procedures(request: HttpRequest) -> HttpResponse:
    """The catalog, searched without accents ("dang ky khai sinh" finds "Đăng ký khai sinh") and
    filtered by level, field and online level. An htmx request gets only the results."""
    fields = catalog.field_counts()
    form = CatalogSearchForm(request.GET or None, fields=fields)
    query = form.cleaned_data if form.is_valid() else {}
    rows = catalog.search_procedures(
        query=query.get("q") or None,
        level=query.get("level") or None,
        field=query.get("field") or None,
        online_level=query.get("online") or None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "searched": bool(request.GET)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "web/portal/_procedure_results.html", context)
    return render(request, "web/portal/procedures.html", context)


@domain_errors
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    """One procedure: components, fees, time limit, where it is performed, and how to file it."""
    proc = catalog.procedure_detail(code)
    units = (
        selectors.receiving_units(proc, timezone.localdate()) if proc.online_level != OnlineLevel.NONE else []
    )
    return render(
        request,
        "web/portal/procedure.html",
        {
            "procedure": proc,
            "components": list(proc.components.all()),
            "fee_lines": list(proc.fee_lines.all()),
            "steps": list(proc.steps.all()),
            "units": units,
            "online": proc.online_level != OnlineLevel.NONE,
        },
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """Follow a dossier by its code. Anyone sees its status and promised date, nothing personal;
    the applicant is taken to the full dossier page, an officer who may see it gets a link."""
    form = LookupForm(request.GET or None)
    status = None
    full_url = None
    if form.is_valid():
        code = form.cleaned_data["code"]
        try:
            status = selectors.public_status(code)
        except NotFound:
            form.add_error("code", _("Không tìm thấy hồ sơ có mã “%(code)s”.") % {"code": code})
        if status is not None and request.user.is_authenticated:
            visible = dossiers.visible(request.user).filter(code=code).values("applicant_id").first()
            if visible is not None and visible["applicant_id"] == request.user.pk:
                return redirect("web:dossier", code=code)
            if visible is not None and staff_roles(request):
                full_url = reverse("web:office-dossier", args=[code])
    today = dossiers.Today.at(timezone.now())
    return render(
        request,
        "web/portal/lookup.html",
        {"form": form, "status": status, "full_url": full_url, "today": today},
    )
