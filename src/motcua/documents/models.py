from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import ApplicantKind
from motcua.accounts.scoping import RestrictedQuerySet


class StoredFile(models.Model):
    """A file kept content-addressed: its path is derived from its SHA-256, so one content is stored once."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp")
        verbose_name_plural = _("tệp")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"


class StoreItem(models.Model):
    """A document in a person's or organisation's data store (kho dữ liệu điện tử, Decree 45/2020):
    an accepted component or a digitized result, with issuer and validity, offered for reuse."""

    owner_kind = models.CharField(max_length=16, choices=ApplicantKind.choices)
    owner_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="store_items"
    )
    document_type = models.CharField(_("loại giấy tờ"), max_length=64, db_index=True)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_owner_path = "owner"

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu")

    def __str__(self) -> str:
        return f"{self.name} – {self.owner_id_number}"


class FileUpload(models.Model):
    """One person's upload of a stored file (tải lên).

    Files are kept once per content, but who uploaded them is kept per upload: a user may attach
    to a dossier only a file they uploaded themselves, even when someone else uploaded the same bytes.
    """

    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="uploads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt tải lên")
        verbose_name_plural = _("lượt tải lên")
        indexes = [models.Index(fields=["user", "file"])]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.user_id})"
