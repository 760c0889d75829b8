"""Users, roles, API tokens and failed sign-ins in the back office.

Every change made here is written to the audit log in the same transaction as the change
(`AuditedAdmin`), as "admin.create", "admin.change" or "admin.delete" with the changed fields.
The admin's own sign-in goes through the sign-in rate limit (`AdminSignInForm`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from motcua.accounts import services
from motcua.accounts.client_ip import client_ip
from motcua.accounts.forms import AdminSignInForm
from motcua.accounts.models import ApiToken, Membership, SignInAttempt, User
from motcua.accounts.validators import normalize_tax_code, validate_citizen_id, validate_tax_code
from motcua.audit.services import record_event

admin.site.login_form = AdminSignInForm

# Form fields whose values never reach the audit log.
_SECRET_FIELDS = {"password", "password1", "password2", "key_hash"}


def _audit_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple | set):
        return [_audit_value(v) for v in value]
    return value


def _changes(form: ModelForm) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the fields the form changed, secrets replaced by a marker."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in form.changed_data:
        if name in _SECRET_FIELDS:
            after["password"] = "(đã đổi)"
            continue
        before[name] = _audit_value(form.initial.get(name))
        after[name] = _audit_value(form.cleaned_data.get(name))
    return before, after


def _snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's fields as the audit log keeps them when it is deleted."""
    return {k: _audit_value(v) for k, v in model_to_dict(obj).items() if k not in _SECRET_FIELDS}


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions are audited in the same transaction."""

    def _record(self, request: HttpRequest, action: str, obj: models.Model, **data: Any) -> None:
        record_event(actor=request.user, action=action, obj=obj, ip=client_ip(request), **data)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            before, after = _changes(form)
            self._record(
                request, "admin.change" if change else "admin.create", obj, before=before, after=after
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            created = {id(obj) for obj in formset.new_objects}
            changed = {id(obj) for obj, _fields in formset.changed_objects}
            for inline_form in formset.forms:
                obj = inline_form.instance
                if id(obj) in created or id(obj) in changed:
                    before, after = _changes(inline_form)
                    verb = "admin.create" if id(obj) in created else "admin.change"
                    self._record(request, verb, obj, before=before, after=after)
            for obj in formset.deleted_objects:
                self._record(request, "admin.delete", obj, before=_snapshot(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            # Recorded first: after deletion the primary key is gone.
            self._record(request, "admin.delete", obj, before=_snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record(request, "admin.delete", obj, before=_snapshot(obj))
            super().delete_queryset(request, queryset)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    raw_id_fields = ["unit"]
    fields = ["unit", "role", "title", "valid_from", "valid_to"]


class IdentityNumbersMixin:
    """Checks the citizen ID and tax code in admin forms with the same rules as registration."""

    cleaned_data: dict[str, Any]

    def clean_citizen_id(self) -> str | None:
        value = self.cleaned_data.get("citizen_id")
        if value:
            validate_citizen_id(value)
        return value or None

    def clean_tax_code(self) -> str | None:
        value = self.cleaned_data.get("tax_code")
        if value:
            value = normalize_tax_code(value)
            validate_tax_code(value)
        return value or None


class UserChangeForm(IdentityNumbersMixin, DjangoUserChangeForm):
    pass


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserChangeForm
    inlines = [MembershipInline]
    list_display = [
        "username",
        "full_name",
        "applicant_kind",
        "citizen_id",
        "tax_code",
        "is_staff",
        "is_active",
    ]
    list_filter = ["applicant_kind", "is_staff", "is_superuser", "is_active", "memberships__role"]
    search_fields = ["username", "full_name", "citizen_id", "tax_code", "organization_name", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Người nộp hồ sơ"),
            {"fields": ("applicant_kind", "citizen_id", "tax_code", "organization_name", "vneid_verified")},
        ),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's password view saves without save_model; audit it when it succeeds (a redirect).
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                record_event(
                    actor=request.user,
                    action="admin.change",
                    object_type=User._meta.label_lower,
                    object_id=str(id),
                    after={"password": "(đã đổi)"},
                    ip=client_ip(request),
                )
        return response


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "title", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__code", "unit__name"]
    raw_id_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class ApiTokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), label=_("người dùng"))
    name = forms.CharField(max_length=100, label=_("tên"))
    expires_at = forms.DateTimeField(
        required=False, label=_("hết hạn"), help_text=_("Để trống nếu không hết hạn (dd/mm/yyyy hh:mm).")
    )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens are created through `create_api_token` (the secret is shown once) and revoked, not edited."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke_selected"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenCreateForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Tạo mã truy cập API"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            token, secret = services.create_api_token(
                form.cleaned_data["user"],
                form.cleaned_data["name"],
                request.user,
                expires_at=form.cleaned_data["expires_at"],
                ip=client_ip(request),
            )
            # Rendered, not flashed: a message would carry the secret in the session or a cookie.
            context.update(token=token, secret=secret, title=_("Đã tạo mã truy cập API"))
            return TemplateResponse(request, "admin/accounts/apitoken/created.html", context)
        return TemplateResponse(request, "admin/accounts/apitoken/add.html", context)

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"), permissions=["delete"])
    def revoke_selected(self, request: HttpRequest, queryset: Iterable[ApiToken]) -> None:
        count = 0
        for token in queryset:
            if token.revoked_at is None:
                services.revoke_api_token(token, request.user, ip=client_ip(request))
                count += 1
        self.message_user(request, _("Đã thu hồi %(n)s mã truy cập.") % {"n": count}, messages.SUCCESS)


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    """Failed sign-ins still inside the rate-limit window (older ones are removed on the next failure)."""

    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"
    ordering = ["-at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
