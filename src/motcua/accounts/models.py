from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import ApplicantKind, Role
from motcua.accounts.scoping import RestrictedQuerySet


class User(AbstractUser):
    """A person who signs in: a citizen or an organisation's representative, or an official.

    A citizen is identified by a 12-digit citizen ID (căn cước công dân), an organisation by
    its tax code (mã số thuế). Officials hold roles through `Membership` in units.
    """

    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    applicant_kind = models.CharField(
        _("loại người nộp"), max_length=16, choices=ApplicantKind.choices, blank=True
    )
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True, null=True, blank=True
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True, null=True, blank=True)
    organization_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    vneid_verified = models.BooleanField(_("đã xác thực VNeID"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """An official's role in a unit (cán bộ thuộc đơn vị)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=128, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # Officials see the roles held in the units they may view; everyone sees their own.
    scope_unit_path = "unit"
    scope_owner_path = "user"

    class Meta:
        verbose_name = _("vai trò trong đơn vị")
        verbose_name_plural = _("vai trò trong đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"

    def clean(self) -> None:
        # Citizens own their rows; a citizen "membership" would give them a unit's data.
        if self.role == Role.CITIZEN:
            raise ValidationError({"role": _("Công dân không giữ vai trò trong đơn vị.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})


class ApiToken(models.Model):
    """A bearer token for an integration (mã truy cập API). Only the SHA-256 of the secret is stored;
    the secret itself (`mc_<prefix>_<random>`) is shown once, by `services.create_api_token`."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("người dùng")
    )
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInAttempt(models.Model):
    """A failed sign-in, kept in the database so the rate limit holds across server processes.

    `username` is lower-cased, so "Admin" and "admin" count together."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("đăng nhập thất bại")
        verbose_name_plural = _("đăng nhập thất bại")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%d/%m/%Y %H:%M}"
