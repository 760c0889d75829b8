"""`/api/forms/{code}/{form}.pdf`: a dossier's printed slip (forms 01–05) as PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.accounts.auth import api_auth
from motcua.dossiers.forms.slips import FORMS
from motcua.dossiers.models import Dossier
from motcua.errors import NotFound

router = Router(tags=["forms"])


@router.get("/{code}/{form}.pdf", auth=api_auth)
def printed_form(request: HttpRequest, code: str, form: str, item: int | None = None) -> HttpResponse:
    """Form `form` (01 receipt, 02 supplement request, 03 refusal, 04 apology, 05 process control)
    of the dossier `code`. `item` picks a supplement (02) or an apology (04) other than the latest.
    404 for a dossier outside the caller's scope; 409 when the dossier has no such slip."""
    renderer = FORMS.get(form)
    if renderer is None:
        raise NotFound(_("Không có mẫu %(form)s (chỉ có 01–05).") % {"form": form})
    dossier = (
        Dossier.objects.restrict(request.auth)
        .select_related("unit__parent", "procedure", "received_by")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    body = renderer(dossier, item) if form in ("02", "04") else renderer(dossier)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-mau-{form}.pdf"'
    return response
