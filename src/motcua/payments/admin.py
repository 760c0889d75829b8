"""Back-office views of payments: read-only, since every change goes through payments.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.payments.models import GatewayNotification, Payment, SimulatorTransaction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "dossier", "amount", "online", "status", "paid_at", "gateway")
    list_filter = ("status", "online", "gateway")
    search_fields = ("reference", "gateway_transaction", "dossier__code")
    raw_id_fields = ("dossier", "recorded_by")


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(ReadOnlyAdmin):
    list_display = ("gateway", "nonce", "payment", "response_code", "sent_at", "received_at", "ip")
    list_filter = ("gateway", "response_code")
    search_fields = ("nonce", "transaction_no", "payment__reference")


@admin.register(SimulatorTransaction)
class SimulatorTransactionAdmin(ReadOnlyAdmin):
    list_display = ("reference", "merchant", "amount", "status", "paid_at", "transaction_no")
    list_filter = ("status",)
    search_fields = ("reference", "transaction_no")
