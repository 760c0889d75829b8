"""Sign-in forms for the site and the admin, both behind the sign-in rate limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts import services


class RateLimitedSignInMixin:
    """Replaces Django's authenticate() in AuthenticationForm.clean() with the rate-limited one."""

    request: Any
    user_cache: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.authenticate_with_limit(self.request, username, password)
            except services.SignInFailed as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
            self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
        return self.cleaned_data


class SignInForm(RateLimitedSignInMixin, AuthenticationForm):
    """The site's sign-in form: a citizen ID, tax code or official's username, and a password."""

    username = forms.CharField(
        label=_("Tên đăng nhập (số định danh, mã số thuế hoặc tài khoản cán bộ)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class AdminSignInForm(RateLimitedSignInMixin, AdminAuthenticationForm):
    """The admin's sign-in form: staff only, same rate limit."""
