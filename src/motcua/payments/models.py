from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import RestrictedQuerySet


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thất bại")
    CANCELLED = "cancelled", _("Đã hủy")


class Payment(models.Model):
    """A fee payment for a dossier: at the counter, or online through a payment gateway."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    online = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PAID)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    gateway = models.CharField(max_length=32, blank=True)
    reference = models.CharField(_("mã giao dịch"), max_length=64, blank=True, db_index=True)
    gateway_transaction = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_unit_path = "dossier__unit"
    scope_owner_path = "dossier__applicant"

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="payment_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.amount}"
