"""`/api/payments`: what a dossier owes, online payment, counter payment, and the gateway's notifications."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from motcua.accounts.auth import api_auth
from motcua.accounts.client_ip import client_ip
from motcua.errors import NotFound
from motcua.payments import gateway as gw
from motcua.payments import selectors, services
from motcua.payments.models import Payment

router = Router(tags=["payments"])


class FeeLineOut(Schema):
    name: str
    amount: int


class PaymentOut(Schema):
    reference: str
    dossier: str
    amount: int
    online: bool
    status: str
    paid_at: dt.datetime | None
    gateway: str
    gateway_transaction: str
    response_code: str
    expires_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_dossier(obj: Payment) -> str:
        return obj.dossier.code


class DossierPaymentsOut(Schema):
    dossier: str
    fee_lines: list[FeeLineOut]
    amount_due: int
    amount_paid: int
    outstanding: int
    online_payment: bool
    payments: list[PaymentOut]


class OnlinePaymentOut(Schema):
    reference: str
    amount: int
    expires_at: dt.datetime | None
    redirect_url: str


class CounterPaymentIn(Schema):
    amount: int = Field(..., ge=0, le=10**15, description="Số tiền (đồng), đúng bằng số còn phải nộp")


def _dossier(request: HttpRequest, code: str) -> Any:
    dossier = selectors.visible_dossier(request.auth, code)
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


@router.get("/dossiers/{code}", response=DossierPaymentsOut, auth=api_auth)
def dossier_payments(request: HttpRequest, code: str) -> Any:
    """What the dossier owes (fee lines), what was paid, and its payments."""
    dossier = _dossier(request, code)
    due, paid = services.amount_due(dossier), services.amount_paid(dossier)
    return {
        "dossier": dossier.code,
        "fee_lines": [item.__dict__ for item in services.fee_items(dossier)],
        "amount_due": due,
        "amount_paid": paid,
        "outstanding": max(due - paid, 0),
        "online_payment": dossier.procedure.online_payment,
        "payments": list(selectors.payments_of(dossier)),
    }


@router.post("/dossiers/{code}/online", response=OnlinePaymentOut, auth=api_auth)
def start_online_payment(request: HttpRequest, code: str) -> Any:
    """The applicant starts an online payment; send the browser to `redirect_url`."""
    dossier = _dossier(request, code)
    payment, url = services.create_online_payment(
        request.auth,
        dossier,
        return_url=request.build_absolute_uri(reverse("payments:return", args=[gw.default_gateway_name()])),
        ip=client_ip(request),
    )
    return {
        "reference": payment.reference,
        "amount": payment.amount,
        "expires_at": payment.expires_at,
        "redirect_url": request.build_absolute_uri(url),
    }


@router.post("/dossiers/{code}/counter", response=PaymentOut, auth=api_auth)
def counter_payment(request: HttpRequest, code: str, payload: CounterPaymentIn) -> Any:
    """A counter officer records fees paid at the counter (the exact amount still owed)."""
    dossier = _dossier(request, code)
    return services.record_counter_payment(request.auth, dossier, payload.amount, ip=client_ip(request))


def _callback_params(request: HttpRequest) -> dict[str, str] | None:
    if request.method == "GET":
        return request.GET.dict()
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        if not isinstance(body, dict):
            return None
        return {str(k): str(v) for k, v in body.items() if v is not None}
    return request.POST.dict()


@router.api_operation(["GET", "POST"], "/callback/{gateway}", auth=None)
def gateway_callback(request: HttpRequest, gateway: str) -> JsonResponse:
    """The gateway's notification (IPN): no sign-in, authenticated by its HMAC-SHA512 signature.

    Answers `{"RspCode": "00", "Message": "Confirm Success"}`; see docs/payments.md for the codes.
    """
    params = _callback_params(request)
    if params is None:
        return JsonResponse({"RspCode": services.INVALID_REQUEST, "Message": "Invalid request"}, status=400)
    answer = services.handle_callback(params, client_ip(request), gateway=gateway)
    return JsonResponse(answer.as_dict(), status=answer.status)


@router.get("/{reference}", response=PaymentOut, auth=api_auth)
def payment_status(request: HttpRequest, reference: str) -> Any:
    """One payment, as we know it."""
    payment = selectors.visible_payment(request.auth, reference)
    if payment is None:
        raise NotFound(_("Không tìm thấy giao dịch %(ref)s.") % {"ref": reference})
    return payment


@router.post("/{reference}/refresh", response=PaymentOut, auth=api_auth)
def refresh_payment(request: HttpRequest, reference: str) -> Any:
    """Ask the gateway how a pending online payment stands, and apply its answer."""
    payment = selectors.visible_payment(request.auth, reference)
    if payment is None:
        raise NotFound(_("Không tìm thấy giao dịch %(ref)s.") % {"ref": reference})
    return services.refresh_from_gateway(request.auth, payment, ip=client_ip(request))
