from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import RestrictedQuerySet
from motcua.dossiers.choices import Rating


class DossierRating(models.Model):
    """The applicant's one rating of a dossier after its result was returned."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="rating")
    value = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Rating.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()
    scope_unit_path = "dossier__unit"
    scope_owner_path = "dossier__applicant"

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.value}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")


class Complaint(models.Model):
    """Feedback or a complaint (phản ánh, kiến nghị — PAKN) about one dossier."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="complaints")
    text = models.TextField(_("nội dung"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_unit_path = "dossier__unit"
    scope_owner_path = "dossier__applicant"

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.text[:40]}"
