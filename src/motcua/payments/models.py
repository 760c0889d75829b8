from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import RestrictedQuerySet


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")  # an online payment intent sent to the gateway
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thất bại")  # the gateway reported a failure (declined, expired…)
    CANCELLED = "cancelled", _("Đã hủy")  # the payer cancelled, or the intent was replaced


class Payment(models.Model):
    """A fee payment for a dossier: at the counter, or online through a payment gateway.

    An online payment starts as a pending intent with a unique `reference` (mã giao dịch) that
    the gateway echoes in its signed notification; the notification settles it.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    online = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PAID)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    gateway = models.CharField(max_length=32, blank=True)
    reference = models.CharField(_("mã giao dịch"), max_length=64, blank=True, db_index=True)
    gateway_transaction = models.CharField(max_length=64, blank=True)
    response_code = models.CharField(_("mã phản hồi của cổng thanh toán"), max_length=8, blank=True)
    expires_at = models.DateTimeField(_("hết hạn thanh toán"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người ghi nhận / người khởi tạo"),
    )
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
        indexes = [
            models.Index(fields=["gateway", "paid_at"], name="payment_gateway_paid"),
            # The scorecard counts payments by the month they were paid in (month cells, the
            # part of a month up to a cut-off): a range on paid_at alone.
            models.Index(fields=["paid_at"], name="payment_paid_at"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.amount}"


class GatewayNotification(models.Model):
    """A signed notification (IPN) from a payment gateway that changed a payment.

    Its `nonce` is spent: the same message again is a harmless repeat (same `digest`), a
    different message with a spent nonce is a replay and is refused.
    """

    gateway = models.CharField(max_length=32)
    nonce = models.CharField(max_length=64)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="notifications")
    transaction_no = models.CharField(_("mã giao dịch của cổng"), max_length=64, blank=True)
    response_code = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, help_text=_("SHA-256 của chuỗi tham số đã ký."))
    sent_at = models.DateTimeField(_("thời điểm cổng gửi"))
    received_at = models.DateTimeField(_("thời điểm nhận"))
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_unit_path = "payment__dossier__unit"

    class Meta:
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "nonce"], name="gateway_notification_nonce_unique")
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.nonce}"


class SimulatorStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    CANCELLED = "cancelled", _("Đã hủy")


class SimulatorTransaction(models.Model):
    """The simulated bank's own ledger (what a real gateway keeps on its side), for demos and tests."""

    merchant = models.CharField(max_length=32)
    reference = models.CharField(max_length=64)
    amount = models.PositiveBigIntegerField()
    order_info = models.CharField(max_length=255, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=SimulatorStatus.choices, default=SimulatorStatus.PENDING)
    transaction_no = models.CharField(max_length=64, unique=True)
    bank_code = models.CharField(max_length=16, default="NCB")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch của cổng thanh toán mô phỏng")
        verbose_name_plural = _("giao dịch của cổng thanh toán mô phỏng")
        constraints = [
            models.UniqueConstraint(fields=["merchant", "reference"], name="simulator_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.merchant} {self.reference} {self.status}"
