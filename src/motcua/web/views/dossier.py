"""What the applicant's and the officer's dossier pages share: showing a dossier with the forms of
the actions its reader may take, running one action (POST), a dossier's files and printed slips."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.accounts.client_ip import client_ip
from motcua.documents import services as documents
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.forms import FORMS
from motcua.errors import MotcuaError
from motcua.web import actions, dossier_page, selectors
from motcua.web.access import signed_in_required
from motcua.web.dossier_page import DossierPage
from motcua.web.views.errors import domain_errors


def show(
    request: HttpRequest,
    page: DossierPage,
    registry: dict[str, type[actions.ActionForm]],
    template: str,
    *,
    bound: actions.ActionForm | None = None,
) -> HttpResponse:
    """Render a dossier page; `bound` is an action form that failed, shown open with its errors."""
    return render(
        request,
        template,
        {
            "page": page,
            "dossier": page.dossier,
            "action_forms": actions.forms_for(page, registry, bound),
            "failed": bound.action if bound is not None else None,
        },
        status=400 if bound is not None else 200,
    )


def act(
    request: HttpRequest,
    code: str,
    action: str,
    registry: dict[str, type[actions.ActionForm]],
    template: str,
    url_name: str,
) -> HttpResponse:
    """Run `action` on the dossier `code` from the page at `url_name`.

    Invalid input goes back to the page with the form open and the errors next to the fields (the
    typed values kept); a refusal of the state machine or of a permission becomes a message on the
    page. Never an error page for something the user can correct or the dossier's state explains.
    """
    page = dossier_page.load(request.user, code)
    here = reverse(url_name, args=[code])
    form_class = registry.get(action)
    if form_class is None:
        raise Http404(action)
    if action not in actions.available(page, registry):
        messages.error(request, _not_available(page, form_class))
        return redirect(here)
    form = form_class(request.POST, request.FILES, page=page, ip=client_ip(request))
    if form.is_valid():
        try:
            done = form.perform(request)
        except MotcuaError as exc:
            if not form.place_error(exc):
                messages.error(request, exc.message)
                return redirect(here)
        else:
            messages.success(request, done.message)
            return redirect(done.redirect or here)
    return show(request, page, registry, template, bound=form)


def _not_available(page: DossierPage, form_class: type[actions.ActionForm]) -> str:
    return _("Không thể “%(action)s” hồ sơ này lúc này (trạng thái: %(status)s).") % {
        "action": form_class.label,
        "status": page.dossier.get_status_display(),
    }


@require_GET
@signed_in_required
@domain_errors
def dossier_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    """A file of a dossier the user may see (a submitted paper, or the result once released)."""
    stored = selectors.dossier_file(request.user, code, file_id)
    return FileResponse(
        documents.open_stored(stored),
        content_type=stored.content_type,
        as_attachment=True,
        filename=stored.original_name,
    )


@require_GET
@signed_in_required
@domain_errors
def printed_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """A printed slip of the dossier (forms 01–05) as PDF; a slip the dossier does not have is a
    message on its page, not an error page."""
    renderer = FORMS.get(form)
    if renderer is None:
        raise Http404(_("Không có mẫu %(form)s (chỉ có 01–05).") % {"form": form})
    dossier = dossier_selectors.get_dossier(request.user, code)
    back = reverse(
        "web:dossier" if dossier.applicant_id == request.user.pk else "web:office-dossier", args=[code]
    )
    try:
        body = renderer(dossier)
    except MotcuaError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-mau-{form}.pdf"'
    return response
