"""A local payment gateway that speaks the motcua protocol, for demos and tests (cổng mô phỏng).

It plays both sides a real gateway has: the bank's pay page (`/payments/simulator/pay/<ref>/`,
with "Thanh toán" / "Hủy"), the signed notification to the merchant, the status query and the
daily reconciliation file. It keeps its own ledger (`SimulatorTransaction`), so a reconciliation
compares two independent records, as with a real bank. Being in the same process, it notifies
the merchant by calling `services.handle_callback` with exactly the parameters a real gateway
would send to `/api/payments/callback/<gateway>`.

Never configure it in production: anyone can "pay" on its page.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import urllib.parse
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.errors import InvalidInput, NotFound, StateError
from motcua.payments import gateway as gw
from motcua.payments.models import SimulatorStatus, SimulatorTransaction

BANK_CODE = "NCB"


class SimulatorGateway(gw.SignedGateway):
    """The simulator as a gateway: payment URLs point at its pages, and status queries and
    reconciliation files are answered in-process by the same code its HTTP endpoints use."""

    def pay_url(self, intent: gw.PaymentIntent) -> str:
        return reverse("payments:simulator-pay", args=[intent.reference])

    def exchange(self, command: str, params: dict[str, str]) -> str:
        if command == "query":
            return json.dumps(answer_query(self, params))
        return reconciliation_file(self, params)


def simulator_gateway() -> SimulatorGateway:
    """The configured simulator gateway; NotFound when none is configured (production)."""
    for name, config in gw.configured_gateways().items():
        if config.get("CLASS") == f"{SimulatorGateway.__module__}.{SimulatorGateway.__qualname__}":
            gateway = gw.get_gateway(name)
            assert isinstance(gateway, SimulatorGateway)
            return gateway
    raise NotFound(_("Cổng thanh toán mô phỏng không được cấu hình."))


def _check_request(gateway: SimulatorGateway, params: Mapping[str, str], command: str) -> None:
    if not gw.verify_signature(params, gateway.secret):
        raise gw.ForgedMessage(_("Chữ ký của yêu cầu không hợp lệ."))
    if params.get("merchant") != gateway.merchant or params.get("command") != command:
        raise InvalidInput(_("Yêu cầu không đúng đơn vị hoặc không đúng lệnh."))


def open_payment(
    gateway: SimulatorGateway, reference: str, params: Mapping[str, str]
) -> SimulatorTransaction:
    """The bank receives the payer with the merchant's signed payment request (the pay page's GET)."""
    params = {str(k): str(v) for k, v in params.items()}
    _check_request(gateway, params, "pay")
    if params.get("reference") != reference:
        raise InvalidInput(_("Mã giao dịch không khớp."), field="reference")
    amount = gw.parse_amount(params.get("amount", ""))
    expires_at = gw.parse_time(params.get("expire_date", ""), "expire_date")
    with transaction.atomic():
        txn, created = SimulatorTransaction.objects.select_for_update().get_or_create(
            merchant=gateway.merchant,
            reference=reference,
            defaults={
                "amount": amount,
                "order_info": params.get("order_info", "")[:255],
                "return_url": params.get("return_url", "")[:500],
                "transaction_no": f"{secrets.randbelow(10**12):012d}",
                "bank_code": BANK_CODE,
                "created_at": timezone.now(),
                "expires_at": expires_at,
            },
        )
        if not created and txn.amount != amount:
            raise InvalidInput(_("Số tiền khác với giao dịch đã mở."), field="amount")
    return txn


def notification_params(gateway: SimulatorGateway, txn: SimulatorTransaction, code: str) -> dict[str, str]:
    """The signed notification the bank sends about `txn` (also appended to the return URL)."""
    return gw.signed(
        {
            "version": gw.PROTOCOL_VERSION,
            "merchant": gateway.merchant,
            "reference": txn.reference,
            "amount": txn.amount,
            "currency": "VND",
            "response_code": code,
            "transaction_no": txn.transaction_no,
            "bank_code": txn.bank_code,
            "pay_date": gw.format_time(txn.paid_at) if txn.paid_at else "",
            "nonce": secrets.token_hex(16),
            "notify_date": gw.format_time(timezone.now()),
        },
        gateway.secret,
    )


def complete_payment(
    gateway: SimulatorGateway, reference: str, *, pay: bool
) -> tuple[SimulatorTransaction, dict[str, str]]:
    """The payer pressed "Thanh toán" (pay) or "Hủy" (cancel) on the bank page: the bank records
    it, notifies the merchant, and returns the parameters for the redirect back."""
    from motcua.payments import services

    with transaction.atomic():
        txn = (
            SimulatorTransaction.objects.select_for_update()
            .filter(merchant=gateway.merchant, reference=reference)
            .first()
        )
        if txn is None:
            raise NotFound(_("Không có giao dịch %(ref)s.") % {"ref": reference})
        if txn.status != SimulatorStatus.PENDING:
            raise StateError(_("Giao dịch đã được xử lý."))
        now = timezone.now()
        if now > txn.expires_at:
            txn.status = SimulatorStatus.CANCELLED
            code = gw.EXPIRED
        elif pay:
            txn.status = SimulatorStatus.PAID
            txn.paid_at = now
            code = gw.SUCCESS
        else:
            txn.status = SimulatorStatus.CANCELLED
            code = gw.CANCELLED_BY_PAYER
        txn.save(update_fields=["status", "paid_at"])
        params = notification_params(gateway, txn, code)
    # After the bank's own commit, as a real gateway's server-to-server call would be.
    services.handle_callback(params, "127.0.0.1", gateway=gateway.name)
    return txn, params


def return_redirect_url(
    gateway: SimulatorGateway, txn: SimulatorTransaction, params: Mapping[str, str]
) -> str:
    """Where the bank sends the payer back: the merchant's return URL with the signed result."""
    base = txn.return_url or reverse("payments:return", args=[gateway.name])
    sep = "&" if "?" in base else "?"
    return base + sep + urllib.parse.urlencode(params, quote_via=urllib.parse.quote_plus)


def answer_query(gateway: SimulatorGateway, params: Mapping[str, str]) -> dict[str, str]:
    """The bank's signed answer to a status query."""
    params = {str(k): str(v) for k, v in params.items()}
    _check_request(gateway, params, "query")
    reference = params.get("reference", "")
    txn = SimulatorTransaction.objects.filter(merchant=gateway.merchant, reference=reference).first()
    answer: dict[str, Any] = {
        "merchant": gateway.merchant,
        "reference": reference,
        "request_id": params.get("request_id", ""),
        "response_code": gw.QUERY_OK if txn else gw.QUERY_NOT_FOUND,
    }
    if txn is not None:
        pending = txn.status == SimulatorStatus.PENDING and timezone.now() <= txn.expires_at
        status = {SimulatorStatus.PAID: gw.STATUS_PAID}.get(
            SimulatorStatus(txn.status), gw.STATUS_PENDING if pending else gw.STATUS_FAILED
        )
        answer.update(
            transaction_status=status,
            amount=txn.amount,
            transaction_no=txn.transaction_no,
            pay_date=gw.format_time(txn.paid_at) if txn.paid_at else "",
            transaction_response_code=(
                gw.SUCCESS
                if status == gw.STATUS_PAID
                else gw.CANCELLED_BY_PAYER
                if status == gw.STATUS_FAILED
                else ""
            ),
        )
    return gw.signed(answer, gateway.secret)


def reconciliation_file(gateway: SimulatorGateway, params: Mapping[str, str]) -> str:
    """The bank's signed settlement file for the day named in the request."""
    params = {str(k): str(v) for k, v in params.items()}
    _check_request(gateway, params, "reconcile")
    try:
        day = dt.datetime.strptime(params.get("date", ""), "%Y%m%d").date()
    except ValueError:
        raise InvalidInput(_("Ngày đối soát không hợp lệ (yyyyMMdd)."), field="date") from None
    start = dt.datetime.combine(day, dt.time.min, tzinfo=gw.VIETNAM)
    paid = SimulatorTransaction.objects.filter(
        merchant=gateway.merchant,
        status=SimulatorStatus.PAID,
        paid_at__gte=start,
        paid_at__lt=start + dt.timedelta(days=1),
    ).order_by("paid_at", "id")
    settlements = [
        gw.Settlement(t.reference, t.transaction_no, t.amount, t.paid_at, t.bank_code)
        for t in paid
        if t.paid_at
    ]
    return gw.write_reconciliation_file(gateway.merchant, day, settlements, gateway.secret, timezone.now())
