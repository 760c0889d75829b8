"""Signed gateway messages for tests, built the way the simulator builds them."""

from __future__ import annotations

import secrets
import urllib.parse
from typing import Any

from django.utils import timezone

from motcua.payments import gateway as gw
from motcua.payments.models import Payment


def notification(payment: Payment, secret: str | None = None, **overrides: Any) -> dict[str, str]:
    """A notification (IPN) saying `payment` was paid, signed with the simulator's secret
    (or `secret`). Keyword arguments replace or, with None, drop parameters before signing."""
    gateway = gw.get_gateway(payment.gateway or "simulator")
    params: dict[str, Any] = {
        "version": gw.PROTOCOL_VERSION,
        "merchant": gateway.config["MERCHANT"],
        "reference": payment.reference,
        "amount": payment.amount,
        "currency": "VND",
        "response_code": gw.SUCCESS,
        "transaction_no": "140000001",
        "bank_code": "NCB",
        "pay_date": gw.format_time(timezone.now()),
        "nonce": secrets.token_hex(16),
        "notify_date": gw.format_time(timezone.now()),
    }
    for key, value in overrides.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return gw.signed(params, secret or gateway.config["SECRET"])


def pay_at_the_bank(payment: Payment, redirect_url: str, *, pay: bool = True) -> None:
    """What the payer does on the simulator's page: open it from the redirect URL, then press
    "Thanh toán" (or "Hủy"); the bank notifies motcua in the same step."""
    from motcua.payments import simulator

    bank = simulator.simulator_gateway()
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(redirect_url).query))
    simulator.open_payment(bank, payment.reference, params)
    simulator.complete_payment(bank, payment.reference, pay=pay)
