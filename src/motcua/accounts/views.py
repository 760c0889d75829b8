"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse

from motcua.accounts import services
from motcua.accounts.forms import SignInForm


class SignInView(LoginView):
    """`/accounts/login/`: Django's login view with the rate-limited form."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(LogoutView):
    """`/accounts/logout/` (POST): audits the sign-out, then ends the session."""

    next_page = "/"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.sign_out(request)
        return super().post(request, *args, **kwargs)
