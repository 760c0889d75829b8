"""Payments of fees (phí, lệ phí): what a dossier owes, payment at the counter, online payment
through a gateway (start, notification, status query) and the daily reconciliation.

Every change locks the row it changes (SELECT … FOR UPDATE), writes its audit event in the
same transaction and refreshes the dossier's fact row.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.audit.services import record_event
from motcua.dossiers import facts
from motcua.dossiers import services as dossier_services
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import roles_at
from motcua.errors import Forbidden, InvalidInput, MotcuaError, NotFound, StateError
from motcua.payments import gateway as gw
from motcua.payments.models import GatewayNotification, Payment, PaymentStatus

# A fee can be paid from submission until the result is handed back.
PAYABLE_STATUSES = {
    Status.NEW,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.WAITING_SUPPLEMENT,
    Status.WAITING_PAYMENT,
    Status.PROCESSED,
}
COUNTER_ROLES = (Role.COUNTER_OFFICER, Role.UNIT_LEADER, Role.PROVINCE_ADMIN)


@dataclass(frozen=True)
class FeeItem:
    """One fee line a dossier owes (khoản phí, lệ phí)."""

    name: str
    amount: int


def fee_items(dossier: Dossier) -> list[FeeItem]:
    """The fee lines of the procedure version the dossier started under (else the current
    catalog): its fee lines, or the procedure's single fee when it has none."""
    version = dossier.procedure_version
    if version is not None and isinstance(version.snapshot, dict):
        lines = version.snapshot.get("fee_lines") or []
        fee = int((version.snapshot.get("procedure") or {}).get("fee") or 0)
        items = [FeeItem(str(line.get("name", "")), int(line.get("amount", 0))) for line in lines]
    else:
        items = [FeeItem(line.name, line.amount) for line in dossier.procedure.fee_lines.all()]
        fee = dossier.procedure.fee
    if not items and fee:
        items = [FeeItem(_("Phí, lệ phí"), fee)]
    return items


def amount_due(dossier: Dossier) -> int:
    """The total the dossier owes, in đồng."""
    return sum(item.amount for item in fee_items(dossier))


def amount_paid(dossier: Dossier) -> int:
    total = dossier.payments.filter(status=PaymentStatus.PAID).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def amount_outstanding(dossier: Dossier) -> int:
    """What remains to be paid (never negative)."""
    return max(amount_due(dossier) - amount_paid(dossier), 0)


def _lock_dossier(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "procedure_version", "unit")
        .get(pk=dossier.pk)
    )


def _check_payable(dossier: Dossier) -> int:
    """The outstanding amount; StateError when the dossier cannot or need not be paid now."""
    if dossier.status not in PAYABLE_STATUSES:
        raise StateError(
            _("Không thể nộp phí cho hồ sơ ở trạng thái “%(status)s”.")
            % {"status": Status(dossier.status).label}
        )
    outstanding = amount_outstanding(dossier)
    if outstanding == 0:
        if amount_due(dossier) == 0:
            raise StateError(_("Thủ tục này không thu phí, lệ phí."))
        raise StateError(_("Hồ sơ đã nộp đủ phí, lệ phí."))
    return outstanding


def payment_snapshot(payment: Payment) -> dict[str, Any]:
    """The audited fields of a payment."""
    return {
        "dossier": payment.dossier.code,
        "amount": payment.amount,
        "online": payment.online,
        "status": payment.status,
        "paid_at": payment.paid_at,
        "gateway": payment.gateway,
        "reference": payment.reference,
        "gateway_transaction": payment.gateway_transaction,
        "response_code": payment.response_code,
    }


def _after_payment(dossier: Dossier, ip: str | None = None) -> None:
    """Move a dossier that waited for its fees back to processing, and refresh its fact row.

    The resumption is the system's doing (actor None), whoever recorded the payment.
    """
    dossier.refresh_from_db()
    if dossier.status == Status.WAITING_PAYMENT and amount_outstanding(dossier) == 0:
        dossier_services.payment_settled(dossier, ip=ip)
        dossier.refresh_from_db()
    facts.refresh_fact(dossier)


def _cancel_pending(dossier: Dossier, actor: Any, reason: str, ip: str | None = None) -> None:
    """Cancel the dossier's pending online intents (they must not settle a second time)."""
    for payment in dossier.payments.select_for_update().filter(status=PaymentStatus.PENDING):
        before = payment_snapshot(payment)
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="payments.intent_cancelled",
            obj=payment,
            before=before,
            after={**payment_snapshot(payment), "reason": reason},
            ip=ip,
        )


def record_counter_payment(officer: Any, dossier: Dossier, amount: int, *, ip: str | None = None) -> Payment:
    """Record fees paid in cash or by card at the counter (nộp trực tiếp).

    The amount must be exactly what the dossier still owes; pending online intents are cancelled.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidInput(_("Số tiền phải là số nguyên không âm (đồng)."), field="amount")
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        if not roles_at(officer, dossier.unit) & set(COUNTER_ROLES):
            raise Forbidden(_("Chỉ cán bộ tiếp nhận của đơn vị giải quyết hồ sơ được ghi nhận nộp phí."))
        outstanding = _check_payable(dossier)
        if amount != outstanding:
            raise InvalidInput(
                _("Số tiền nộp (%(amount)s đồng) không đúng số phải nộp (%(due)s đồng).")
                % {"amount": f"{amount:,}".replace(",", "."), "due": f"{outstanding:,}".replace(",", ".")},
                field="amount",
            )
        _cancel_pending(dossier, officer, "counter_payment", ip)
        payment = Payment.objects.create(
            dossier=dossier,
            amount=amount,
            online=False,
            status=PaymentStatus.PAID,
            paid_at=timezone.now(),
            recorded_by=officer,
        )
        record_event(
            actor=officer,
            action="payments.counter_payment",
            obj=payment,
            after=payment_snapshot(payment),
            ip=ip,
        )
        _after_payment(dossier, ip)
    return payment


def new_reference() -> str:
    """A fresh payment reference: MC + yyMMddHHmmss (Vietnam time) + 8 random hex digits."""
    now = timezone.now().astimezone(gw.VIETNAM)
    return f"MC{now:%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def _intent(payment: Payment, return_url: str, ip: str | None) -> gw.PaymentIntent:
    assert payment.expires_at is not None
    return gw.PaymentIntent(
        reference=payment.reference,
        amount=payment.amount,
        order_info=_("Thanh toán phí, lệ phí hồ sơ %(code)s") % {"code": payment.dossier.code},
        return_url=return_url,
        created_at=payment.created_at,
        expires_at=payment.expires_at,
        ip=ip or "",
    )


def create_online_payment(
    citizen: Any,
    dossier: Dossier,
    *,
    return_url: str = "",
    ip: str | None = None,
    gateway: str | None = None,
) -> tuple[Payment, str]:
    """Start an online payment of what the dossier owes: a pending payment with a unique
    reference, and the gateway URL to send the applicant to.

    A still-valid pending intent for the same amount is reused (the applicant clicked twice);
    expired ones are closed as failed.
    """
    with transaction.atomic():
        dossier = _lock_dossier(dossier)
        if citizen is None or dossier.applicant_id is None or dossier.applicant_id != citizen.pk:
            raise Forbidden(_("Chỉ người nộp hồ sơ được thanh toán trực tuyến cho hồ sơ này."))
        if not dossier.procedure.online_payment:
            raise StateError(_("Thủ tục này không hỗ trợ thanh toán trực tuyến."))
        outstanding = _check_payable(dossier)
        gateway_ = gw.get_gateway(gateway)
        now = timezone.now()
        pending = dossier.payments.select_for_update().filter(status=PaymentStatus.PENDING, online=True)
        payment = pending.filter(gateway=gateway_.name, amount=outstanding, expires_at__gt=now).first()
        for stale in pending.filter(Q(expires_at__lte=now) | Q(expires_at__isnull=True)):
            before = payment_snapshot(stale)
            stale.status = PaymentStatus.FAILED
            stale.response_code = gw.EXPIRED
            stale.save(update_fields=["status", "response_code"])
            record_event(
                actor=citizen,
                action="payments.intent_expired",
                obj=stale,
                before=before,
                after=payment_snapshot(stale),
            )
        if payment is None:
            payment = Payment.objects.create(
                dossier=dossier,
                amount=outstanding,
                online=True,
                status=PaymentStatus.PENDING,
                gateway=gateway_.name,
                reference=new_reference(),
                expires_at=now + dt.timedelta(minutes=gateway_.expire_minutes),
                recorded_by=citizen,
            )
            record_event(
                actor=citizen,
                action="payments.online_started",
                obj=payment,
                after=payment_snapshot(payment),
                ip=ip,
            )
        url = gateway_.create_payment(
            _intent(payment, return_url or reverse("payments:return", args=[gateway_.name]), ip)
        )
    return payment, url


@dataclass(frozen=True)
class CallbackAnswer:
    """Our answer to a gateway notification: the code the gateway reads and the HTTP status."""

    code: str
    message: str
    status: int = 200
    payment: Payment | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, str]:
        return {"RspCode": self.code, "Message": self.message}


CONFIRMED = "00"
ORDER_NOT_FOUND = "01"
ALREADY_CONFIRMED = "02"
INVALID_AMOUNT = "04"
INVALID_SIGNATURE = "97"
REPLAYED = "98"
INVALID_REQUEST = "99"


def _refuse_replay(
    result: gw.CallbackResult, payment: Payment | None, ip: str | None, why: str
) -> CallbackAnswer:
    record_event(
        actor=None,
        action="payments.callback_replayed",
        object_type="payments.payment",
        object_id=str(payment.pk) if payment else result.reference,
        after={
            "gateway": result.gateway,
            "reference": result.reference,
            "nonce": result.nonce,
            "transaction_no": result.transaction_no,
            "response_code": result.response_code,
            "sent_at": result.sent_at,
            "reason": why,
        },
        ip=ip,
    )
    return CallbackAnswer(REPLAYED, "Replayed notification", 409, payment)


def _settle(
    payment: Payment, *, success: bool, code: str, transaction_no: str, paid_at: dt.datetime | None
) -> None:
    """Apply a gateway's verdict to a locked pending payment."""
    if success:
        payment.status = PaymentStatus.PAID
        payment.online = True
        payment.paid_at = paid_at or timezone.now()
    else:
        payment.status = PaymentStatus.CANCELLED if code == gw.CANCELLED_BY_PAYER else PaymentStatus.FAILED
    payment.gateway_transaction = transaction_no
    payment.response_code = code
    payment.save(update_fields=["status", "online", "paid_at", "gateway_transaction", "response_code"])


def handle_callback(
    params: dict[str, str], ip: str | None = None, *, gateway: str | None = None
) -> CallbackAnswer:
    """Process a gateway notification (IPN) about one payment. Never raises for bad input: the
    answer carries the code and HTTP status for the gateway.

    - a bad signature is refused and audited (`payments.callback_forged`);
    - the same message again is a no-op (`02`, already confirmed), and so is a resend of the
      verdict already applied;
    - a spent nonce on a different message, a message older than the gateway's CALLBACK_MAX_AGE,
      or a verdict on a payment already settled by another transaction is refused and audited
      (`payments.callback_replayed`);
    - an amount other than the intent's is refused and audited (`payments.callback_amount_mismatch`).
    """
    try:
        gateway_ = gw.get_gateway(gateway)
    except NotFound:
        return CallbackAnswer(INVALID_REQUEST, "Unknown gateway", 404)
    try:
        result = gateway_.verify_callback(params)
    except gw.ForgedMessage:
        with transaction.atomic():
            record_event(
                actor=None,
                action="payments.callback_forged",
                object_type="payments.payment",
                object_id=str(params.get("reference", ""))[:128],
                # Bounded: the caller is unauthenticated and chooses the size of what it sends.
                after={
                    "gateway": gateway_.name,
                    "params": {str(k)[:64]: str(v)[:200] for k, v in list(params.items())[:40]},
                },
                ip=ip,
            )
        return CallbackAnswer(INVALID_SIGNATURE, "Invalid signature", 400)
    except InvalidInput as exc:
        return CallbackAnswer(INVALID_REQUEST, exc.message, 400)
    except MotcuaError as exc:  # our side is misconfigured (no secret): the gateway will retry
        return CallbackAnswer(INVALID_REQUEST, exc.message, exc.status)

    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .filter(gateway=gateway_.name, reference=result.reference)
            .first()
        )
        if payment is None:
            return CallbackAnswer(ORDER_NOT_FOUND, "Order not found", 404)
        spent = GatewayNotification.objects.filter(gateway=gateway_.name, nonce=result.nonce).first()
        if spent is not None:
            if spent.digest == result.digest:
                return CallbackAnswer(ALREADY_CONFIRMED, "Order already confirmed", 200, payment)
            return _refuse_replay(result, payment, ip, "nonce already used by another message")
        if timezone.now() - result.sent_at > gateway_.callback_max_age:
            return _refuse_replay(result, payment, ip, "notification too old")
        if payment.status != PaymentStatus.PENDING:
            if (
                payment.gateway_transaction == result.transaction_no
                and payment.response_code == result.response_code
            ):
                return CallbackAnswer(ALREADY_CONFIRMED, "Order already confirmed", 200, payment)
            return _refuse_replay(result, payment, ip, f"payment already {payment.status}")
        if result.amount != payment.amount:
            record_event(
                actor=None,
                action="payments.callback_amount_mismatch",
                obj=payment,
                after={"expected": payment.amount, "received": result.amount, "nonce": result.nonce},
                ip=ip,
            )
            return CallbackAnswer(INVALID_AMOUNT, "Invalid amount", 400, payment)
        before = payment_snapshot(payment)
        try:
            with transaction.atomic():
                GatewayNotification.objects.create(
                    gateway=gateway_.name,
                    nonce=result.nonce,
                    payment=payment,
                    transaction_no=result.transaction_no,
                    response_code=result.response_code,
                    digest=result.digest,
                    sent_at=result.sent_at,
                    received_at=timezone.now(),
                    ip=ip,
                )
        except IntegrityError:
            # The same nonce was spent concurrently by a message about another payment.
            return _refuse_replay(result, payment, ip, "nonce already used by another message")
        _settle(
            payment,
            success=result.success,
            code=result.response_code,
            transaction_no=result.transaction_no,
            paid_at=result.paid_at,
        )
        record_event(
            actor=None,
            action="payments.paid_online" if result.success else "payments.failed",
            obj=payment,
            before=before,
            after={**payment_snapshot(payment), "nonce": result.nonce, "via": "notification"},
            ip=ip,
        )
        if result.success:
            _after_payment(payment.dossier, ip)
    return CallbackAnswer(CONFIRMED, "Confirm Success", 200, payment)


def refresh_from_gateway(user: Any, payment: Payment, *, ip: str | None = None) -> Payment:
    """Ask the gateway how a pending online payment stands (when its notification went missing)
    and apply a final answer. The applicant or an officer who can see the dossier may ask."""
    if not Payment.objects.restrict(user).filter(pk=payment.pk).exists():
        raise NotFound(_("Không tìm thấy giao dịch."))
    if payment.status != PaymentStatus.PENDING or not payment.online:
        return payment
    gateway_ = gw.get_gateway(payment.gateway)
    answer = gateway_.query_status(payment.reference)  # outside the transaction: a network call
    with transaction.atomic():
        payment = Payment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=payment.pk)
        if payment.status != PaymentStatus.PENDING or answer.status == gw.STATUS_PENDING:
            return payment
        if answer.amount != payment.amount:
            record_event(
                actor=user,
                action="payments.callback_amount_mismatch",
                obj=payment,
                after={"expected": payment.amount, "received": answer.amount, "via": "query"},
                ip=ip,
            )
            raise StateError(_("Số tiền cổng thanh toán báo không khớp với giao dịch."))
        before = payment_snapshot(payment)
        paid = answer.status == gw.STATUS_PAID
        _settle(
            payment,
            success=paid,
            code=gw.SUCCESS if paid else (answer.response_code or gw.DECLINED),
            transaction_no=answer.transaction_no,
            paid_at=answer.paid_at,
        )
        record_event(
            actor=user,
            action="payments.paid_online" if paid else "payments.failed",
            obj=payment,
            before=before,
            after={**payment_snapshot(payment), "via": "query"},
            ip=ip,
        )
        if paid:
            _after_payment(payment.dossier, ip)
    return payment


@dataclass(frozen=True)
class Mismatch:
    """One difference between the gateway's settlement file and our records."""

    kind: str  # see MISMATCH_KINDS
    reference: str
    gateway_amount: int | None = None
    our_amount: int | None = None
    detail: str = ""


MISMATCH_KINDS = {
    "missing_here": "the gateway settled a payment we have not recorded as paid (that day)",
    "missing_at_gateway": "we recorded an online payment the gateway did not settle",
    "amount_differs": "both sides have it, with different amounts",
}


@dataclass
class ReconciliationReport:
    """The result of `reconcile` for one gateway and one day."""

    gateway: str
    day: dt.date
    matched: int = 0
    gateway_total: int = 0
    our_total: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=gw.VIETNAM)
    return start, start + dt.timedelta(days=1)


def reconcile(day: dt.date, *, gateway: str | None = None, actor: Any = None) -> ReconciliationReport:
    """Compare the gateway's settlement file for `day` (Vietnam time) with the online payments
    we recorded as paid that day, and report every difference. The run is audited."""
    gateway_ = gw.get_gateway(gateway)
    settlements = gateway_.reconciliation(day)
    start, end = _day_bounds(day)
    ours = {
        p.reference: p
        for p in Payment.objects.filter(
            gateway=gateway_.name, online=True, status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end
        )
    }
    report = ReconciliationReport(gateway=gateway_.name, day=day)
    report.gateway_total = sum(s.amount for s in settlements)
    report.our_total = sum(p.amount for p in ours.values())
    for settlement in settlements:
        payment = ours.pop(settlement.reference, None)
        if payment is None:
            elsewhere = Payment.objects.filter(gateway=gateway_.name, reference=settlement.reference).first()
            if elsewhere is None:
                detail = "unknown reference"
            elif elsewhere.status != PaymentStatus.PAID:
                detail = f"status here: {elsewhere.status}"
            else:
                detail = (
                    f"paid here on {timezone.localtime(elsewhere.paid_at):%d/%m/%Y}"
                    if elsewhere.paid_at
                    else ""
                )
            report.mismatches.append(
                Mismatch("missing_here", settlement.reference, settlement.amount, None, detail=detail)
            )
        elif payment.amount != settlement.amount:
            report.mismatches.append(
                Mismatch("amount_differs", settlement.reference, settlement.amount, payment.amount)
            )
        else:
            report.matched += 1
    for reference, payment in sorted(ours.items()):
        report.mismatches.append(Mismatch("missing_at_gateway", reference, None, payment.amount))
    with transaction.atomic():
        record_event(
            actor=actor,
            action="payments.reconciled",
            object_type="payments.gateway",
            object_id=gateway_.name,
            after={
                "day": day,
                "matched": report.matched,
                "gateway_total": report.gateway_total,
                "our_total": report.our_total,
                "mismatches": [m.__dict__ for m in report.mismatches],
            },
        )
    return report
