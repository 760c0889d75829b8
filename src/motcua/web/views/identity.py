"""VNeID sign-in pages: start, the provider's callback, and the simulator's consent page (demo only).
The protocol is described in `motcua.web.identity`."""

from __future__ import annotations

import secrets
import urllib.parse

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.validators import validate_citizen_id
from motcua.errors import MotcuaError
from motcua.web import identity

SESSION_KEY = "motcua_vneid"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _provider() -> identity.IdentityProvider:
    found = identity.provider()
    if found is None:
        raise Http404(_("Đăng nhập bằng VNeID chưa được cấu hình."))
    return found


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to VNeID, remembering (in the session) what the callback must see again."""
    provider = _provider()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "next": _safe_next(request, request.GET.get("next")),
    }
    callback = request.build_absolute_uri(reverse("web:vneid-callback"))
    return HttpResponseRedirect(provider.authorization_url(state=state, nonce=nonce, redirect_uri=callback))


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """VNeID sends the browser back here with a one-time code (or an error)."""
    provider = _provider()
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or not secrets.compare_digest(request.GET.get("state", ""), pending.get("state", "")):
        messages.error(request, _("Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn; vui lòng thử lại."))
        return redirect("accounts:login")
    if request.GET.get("error"):
        messages.warning(request, _("Bạn đã không đồng ý chia sẻ thông tin định danh; chưa đăng nhập."))
        return redirect("accounts:login")
    try:
        claims = provider.exchange(
            code=request.GET.get("code", ""),
            redirect_uri=request.build_absolute_uri(reverse("web:vneid-callback")),
            nonce=pending["nonce"],
        )
        user = identity.sign_in_with_claims(request, claims)
    except MotcuaError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:login")
    messages.success(request, _("Đã đăng nhập bằng VNeID: %(name)s.") % {"name": user})
    return redirect(pending.get("next") or "/")


class ConsentForm(forms.Form):
    """What the simulated VNeID asks: who you are (the real one reads it from the chip)."""

    citizen_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân"),
        max_length=12,
        initial="042090001234",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=255, initial="Nguyễn Văn An")

    def clean_citizen_id(self) -> str:
        value = "".join(self.cleaned_data["citizen_id"].split())
        validate_citizen_id(value)
        return value


@require_http_methods(["GET", "POST"])
def simulator(request: HttpRequest) -> HttpResponse:
    """The simulated VNeID consent page (demo and tests only): agree to share your identity, or not."""
    provider = _provider()
    if not isinstance(provider, identity.SimulatedVNeID):
        raise Http404(_("Không có cổng VNeID mô phỏng."))
    params = request.GET if request.method == "GET" else request.POST
    redirect_uri = params.get("redirect_uri", "")
    if not url_has_allowed_host_and_scheme(redirect_uri, allowed_hosts={request.get_host()}):
        raise Http404(_("Địa chỉ quay lại không hợp lệ."))
    state, nonce = params.get("state", ""), params.get("nonce", "")
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        back = {"state": state}
        if request.POST.get("decision") != "allow":
            back["error"] = "access_denied"
        elif form.is_valid():
            claims = identity.IdentityClaims(
                citizen_id=form.cleaned_data["citizen_id"],
                full_name=form.cleaned_data["full_name"],
                verified=True,
            )
            back["code"] = provider.issue_code(claims, nonce)
        else:
            return _consent_page(request, form, state, nonce, redirect_uri, status=400)
        return HttpResponseRedirect(f"{redirect_uri}?{urllib.parse.urlencode(back)}")
    return _consent_page(request, form, state, nonce, redirect_uri)


def _consent_page(
    request: HttpRequest, form: ConsentForm, state: str, nonce: str, redirect_uri: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "web/identity/simulator.html",
        {"form": form, "state": state, "nonce": nonce, "redirect_uri": redirect_uri, "show_sign_in": False},
        status=status,
    )
