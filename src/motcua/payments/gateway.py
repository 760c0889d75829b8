"""The payment gateway protocol (cổng thanh toán) and its HTTP client.

One protocol, modelled on the Vietnamese gateways (VNPay, the national portal's PayGov platform):

1. `create_payment`: the payer is redirected to the gateway's pay page with signed query parameters;
2. the gateway notifies us (IPN) with a signed payload: `verify_callback`;
3. `query_status`: we ask the gateway how a payment stands (when a notification went missing);
4. `reconciliation`: the gateway's signed settlement file for one day.

Every message is signed with HMAC-SHA512 over its parameters sorted by name and URL-encoded
(`canonical_query`), with the secret shared with the gateway. docs/payments.md has the parameter
tables and a worked example. Gateways are configured in `settings.PAYMENT_GATEWAYS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.errors import InvalidInput, MotcuaError, NotFound

PROTOCOL_VERSION = "1"
SIGNATURE_FIELD = "signature"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss, Vietnam time, as VNPay's vnp_CreateDate

# Response codes of a payment (response_code in a notification), after VNPay's vnp_ResponseCode.
SUCCESS = "00"
CANCELLED_BY_PAYER = "24"
EXPIRED = "11"
DECLINED = "51"
# Transaction status in a status query answer.
STATUS_PAID = "00"
STATUS_PENDING = "01"
STATUS_FAILED = "02"
QUERY_OK = "00"
QUERY_NOT_FOUND = "91"


class ForgedMessage(MotcuaError):
    """A message whose signature does not verify with the shared secret."""

    status = 400
    code = "bad_signature"


class GatewayError(MotcuaError):
    """The gateway could not be reached, or answered something we cannot read."""

    status = 502
    code = "gateway_error"


@dataclass(frozen=True)
class PaymentIntent:
    """What we ask the gateway to collect."""

    reference: str
    amount: int
    order_info: str
    return_url: str
    created_at: dt.datetime
    expires_at: dt.datetime
    ip: str = ""
    locale: str = "vn"


@dataclass(frozen=True)
class CallbackResult:
    """A verified notification (IPN) from the gateway."""

    gateway: str
    reference: str
    amount: int
    response_code: str
    transaction_no: str
    bank_code: str
    paid_at: dt.datetime | None
    nonce: str
    sent_at: dt.datetime
    digest: str  # SHA-256 of the signed canonical string: tells a repeat from a different message
    params: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def success(self) -> bool:
        return self.response_code == SUCCESS


@dataclass(frozen=True)
class StatusResult:
    """The gateway's answer to a status query."""

    reference: str
    status: str  # STATUS_PAID, STATUS_PENDING or STATUS_FAILED
    amount: int
    transaction_no: str = ""
    response_code: str = ""
    paid_at: dt.datetime | None = None


@dataclass(frozen=True)
class Settlement:
    """One line of the gateway's daily reconciliation file: money it collected for us."""

    reference: str
    transaction_no: str
    amount: int
    paid_at: dt.datetime
    bank_code: str = ""


def canonical_query(params: Mapping[str, Any]) -> str:
    """The string that is signed: every non-empty parameter except the signature, sorted by
    name, URL-encoded (UTF-8, spaces as '+') and joined with '&' — VNPay's rule."""
    items = sorted(
        (str(key), str(value))
        for key, value in params.items()
        if key != SIGNATURE_FIELD and value is not None and str(value) != ""
    )
    return urllib.parse.urlencode(items, quote_via=urllib.parse.quote_plus)


def sign_text(text: str, secret: str) -> str:
    """HMAC-SHA512 of `text` with `secret`, lower-case hex."""
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


def sign(params: Mapping[str, Any], secret: str) -> str:
    """The signature of a parameter set (see `canonical_query`)."""
    return sign_text(canonical_query(params), secret)


def signed(params: Mapping[str, Any], secret: str) -> dict[str, str]:
    """`params` as strings, with their signature added."""
    out = {str(k): str(v) for k, v in params.items() if v is not None and str(v) != ""}
    out[SIGNATURE_FIELD] = sign(out, secret)
    return out


def verify_signature(params: Mapping[str, Any], secret: str) -> bool:
    """Whether `params` carry a valid signature (constant-time comparison)."""
    given = str(params.get(SIGNATURE_FIELD) or "").strip().lower()
    return bool(given) and hmac.compare_digest(given, sign(params, secret))


def format_time(value: dt.datetime) -> str:
    return value.astimezone(VIETNAM).strftime(DATE_FORMAT)


def parse_time(value: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        raise InvalidInput(_("Thời gian không hợp lệ (yyyyMMddHHmmss)."), field=name) from None


def parse_amount(value: str, name: str = "amount") -> int:
    """A non-negative whole number of đồng, as text; InvalidInput otherwise."""
    if not value.isascii() or not value.isdigit() or len(value) > 15:
        raise InvalidInput(_("Số tiền không hợp lệ."), field=name)
    return int(value)


def _required(params: Mapping[str, str], name: str, max_length: int = 255) -> str:
    value = str(params.get(name) or "").strip()
    if not value:
        raise InvalidInput(_("Thiếu tham số %(name)s.") % {"name": name}, field=name)
    if len(value) > max_length:
        raise InvalidInput(_("Tham số %(name)s quá dài.") % {"name": name}, field=name)
    return value


class Gateway(ABC):
    """A payment gateway. `name` is its key in settings.PAYMENT_GATEWAYS."""

    def __init__(self, name: str, config: Mapping[str, Any]) -> None:
        self.name = name
        self.config = dict(config)

    @property
    def expire_minutes(self) -> int:
        return int(self.config.get("EXPIRE_MINUTES", 15))

    @property
    def callback_max_age(self) -> dt.timedelta:
        """How old a notification may be when it first reaches us; an older one is a replay."""
        return dt.timedelta(seconds=int(self.config.get("CALLBACK_MAX_AGE", 24 * 3600)))

    @abstractmethod
    def create_payment(self, intent: PaymentIntent) -> str:
        """The URL to send the payer to."""

    @abstractmethod
    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        """Check a notification's signature and read it; `ForgedMessage` or `InvalidInput` if bad."""

    @abstractmethod
    def query_status(self, reference: str) -> StatusResult:
        """Ask the gateway how the payment `reference` stands."""

    @abstractmethod
    def reconciliation(self, day: dt.date) -> list[Settlement]:
        """The payments the gateway settled for us on `day` (Vietnam time)."""


class SignedGateway(Gateway):
    """A gateway that speaks the motcua protocol over HTTP (docs/payments.md).

    Configuration keys: MERCHANT, SECRET (or SECRET_ENV: the environment variable holding it),
    PAY_URL, QUERY_URL, RECONCILIATION_URL, and optionally EXPIRE_MINUTES (15), CALLBACK_MAX_AGE
    (seconds, 86400), TIMEOUT (seconds, 20).
    """

    @property
    def merchant(self) -> str:
        return str(self.config["MERCHANT"])

    @property
    def secret(self) -> str:
        """SECRET, or the environment variable named by SECRET_ENV (keeps the secret out of settings)."""
        if self.config.get("SECRET"):
            return str(self.config["SECRET"])
        name = str(self.config.get("SECRET_ENV") or "")
        if not os.environ.get(name):
            raise GatewayError(_("Cổng thanh toán %(name)s chưa có khóa bí mật.") % {"name": self.name})
        return os.environ[name]

    def pay_url(self, intent: PaymentIntent) -> str:
        return str(self.config["PAY_URL"])

    def payment_params(self, intent: PaymentIntent) -> dict[str, str]:
        """The signed parameters of a payment request."""
        return signed(
            {
                "version": PROTOCOL_VERSION,
                "command": "pay",
                "merchant": self.merchant,
                "reference": intent.reference,
                "amount": intent.amount,
                "currency": "VND",
                "order_info": intent.order_info,
                "locale": intent.locale,
                "return_url": intent.return_url,
                "ip_addr": intent.ip,
                "create_date": format_time(intent.created_at),
                "expire_date": format_time(intent.expires_at),
            },
            self.secret,
        )

    def create_payment(self, intent: PaymentIntent) -> str:
        query = urllib.parse.urlencode(self.payment_params(intent), quote_via=urllib.parse.quote_plus)
        return f"{self.pay_url(intent)}?{query}"

    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        params = {str(k): str(v) for k, v in params.items()}
        if not verify_signature(params, self.secret):
            raise ForgedMessage(_("Chữ ký của thông báo thanh toán không hợp lệ."))
        if _required(params, "merchant") != self.merchant:
            raise InvalidInput(_("Mã đơn vị chấp nhận thanh toán không đúng."), field="merchant")
        code = _required(params, "response_code", 8)
        transaction_no = str(params.get("transaction_no") or "").strip()
        pay_date = str(params.get("pay_date") or "").strip()
        if code == SUCCESS or transaction_no:
            transaction_no = _required(params, "transaction_no", 64)
        if code == SUCCESS:
            pay_date = _required(params, "pay_date")
        return CallbackResult(
            gateway=self.name,
            reference=_required(params, "reference", 64),
            amount=parse_amount(_required(params, "amount")),
            response_code=code,
            transaction_no=transaction_no,
            bank_code=str(params.get("bank_code") or ""),
            paid_at=parse_time(pay_date, "pay_date") if pay_date else None,
            nonce=_required(params, "nonce", 64),
            sent_at=parse_time(_required(params, "notify_date"), "notify_date"),
            digest=hashlib.sha256(canonical_query(params).encode("utf-8")).hexdigest(),
            params=params,
        )

    # Status query and reconciliation: signed requests, signed answers.

    def _request(self, command: str, **fields: Any) -> dict[str, str]:
        return signed(
            {
                "version": PROTOCOL_VERSION,
                "command": command,
                "merchant": self.merchant,
                "request_id": secrets.token_hex(12),
                "request_date": format_time(dt.datetime.now(tz=VIETNAM)),
                **fields,
            },
            self.secret,
        )

    def exchange(self, command: str, params: dict[str, str]) -> str:
        """Send a signed request to the gateway and return the body of its answer."""
        url = str(self.config["QUERY_URL" if command == "query" else "RECONCILIATION_URL"])
        data = urllib.parse.urlencode(params).encode("ascii")
        request = urllib.request.Request(url, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=float(self.config.get("TIMEOUT", 20))) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, TimeoutError, UnicodeDecodeError) as exc:
            raise GatewayError(_("Không kết nối được cổng thanh toán: %(error)s") % {"error": exc}) from exc

    def query_status(self, reference: str) -> StatusResult:
        request = self._request("query", reference=reference)
        try:
            answer = json.loads(self.exchange("query", request))
        except json.JSONDecodeError as exc:
            raise GatewayError(_("Cổng thanh toán trả lời không đúng định dạng.")) from exc
        if not isinstance(answer, dict):
            raise GatewayError(_("Cổng thanh toán trả lời không đúng định dạng."))
        answer = {str(k): str(v) for k, v in answer.items()}
        if not verify_signature(answer, self.secret):
            raise ForgedMessage(_("Chữ ký của câu trả lời tra cứu không hợp lệ."))
        if answer.get("request_id") != request["request_id"] or answer.get("reference") != reference:
            raise GatewayError(_("Câu trả lời tra cứu không khớp với yêu cầu."))
        if answer.get("response_code") == QUERY_NOT_FOUND:
            raise NotFound(_("Cổng thanh toán không có giao dịch %(ref)s.") % {"ref": reference})
        pay_date = answer.get("pay_date", "")
        try:
            return StatusResult(
                reference=reference,
                status=_required(answer, "transaction_status"),
                amount=parse_amount(_required(answer, "amount")),
                transaction_no=answer.get("transaction_no", ""),
                response_code=answer.get("transaction_response_code", ""),
                paid_at=parse_time(pay_date, "pay_date") if pay_date else None,
            )
        except InvalidInput as exc:
            raise GatewayError(exc.message) from exc

    def reconciliation(self, day: dt.date) -> list[Settlement]:
        body = self.exchange("reconcile", self._request("reconcile", date=day.strftime("%Y%m%d")))
        return parse_reconciliation_file(body, secret=self.secret, merchant=self.merchant, day=day)


# The reconciliation file: CSV lines with a record type first, after the banks' settlement files.
#   HR,<merchant>,<yyyyMMdd>,<created yyyyMMddHHmmss>
#   DR,<reference>,<transaction_no>,<amount>,<pay_date yyyyMMddHHmmss>,<bank_code>   (one per payment)
#   TR,<count>,<total amount>,<signature>
# The signature is HMAC-SHA512 over the file's text up to and including the comma before it.


def write_reconciliation_file(
    merchant: str, day: dt.date, settlements: list[Settlement], secret: str, created_at: dt.datetime
) -> str:
    """The signed reconciliation file for `settlements` (what a gateway sends; the simulator uses it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["HR", merchant, day.strftime("%Y%m%d"), format_time(created_at)])
    for s in settlements:
        writer.writerow(["DR", s.reference, s.transaction_no, s.amount, format_time(s.paid_at), s.bank_code])
    total = sum(s.amount for s in settlements)
    body = out.getvalue() + f"TR,{len(settlements)},{total},"
    return body + sign_text(body, secret) + "\n"


def parse_reconciliation_file(text: str, *, secret: str, merchant: str, day: dt.date) -> list[Settlement]:
    """Read and check a reconciliation file: its signature, header, line count and total."""
    cut = text.rstrip("\n").rfind(",")
    if cut < 0 or not hmac.compare_digest(
        text[cut + 1 :].strip().lower(), sign_text(text[: cut + 1], secret)
    ):
        raise ForgedMessage(_("Chữ ký của tệp đối soát không hợp lệ."))
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2 or rows[0][:3] != ["HR", merchant, day.strftime("%Y%m%d")] or rows[-1][0] != "TR":
        raise GatewayError(_("Tệp đối soát không đúng ngày hoặc không đúng định dạng."))
    settlements = []
    try:
        for row in rows[1:-1]:
            if row[0] != "DR" or len(row) < 5:
                raise InvalidInput(_("Dòng chi tiết không hợp lệ: %(row)s") % {"row": ",".join(row)})
            settlements.append(
                Settlement(
                    reference=row[1],
                    transaction_no=row[2],
                    amount=parse_amount(row[3]),
                    paid_at=parse_time(row[4], "pay_date"),
                    bank_code=row[5] if len(row) > 5 else "",
                )
            )
        count, total = int(rows[-1][1]), int(rows[-1][2])
    except (InvalidInput, ValueError, IndexError) as exc:
        raise GatewayError(_("Tệp đối soát không đúng định dạng: %(error)s") % {"error": exc}) from exc
    if count != len(settlements) or total != sum(s.amount for s in settlements):
        raise GatewayError(_("Số dòng hoặc tổng tiền của tệp đối soát không khớp."))
    return settlements


def default_gateways() -> dict[str, dict[str, Any]]:
    """Used when settings.PAYMENT_GATEWAYS is not set: the local simulator only, its secret
    derived from SECRET_KEY so that it is stable across restarts and differs between installations."""
    secret = hmac.new(settings.SECRET_KEY.encode(), b"motcua.payments.simulator", hashlib.sha256).hexdigest()
    return {
        "simulator": {
            "CLASS": "motcua.payments.simulator.SimulatorGateway",
            "MERCHANT": "MOTCUA",
            "SECRET": secret,
        }
    }


def configured_gateways() -> dict[str, dict[str, Any]]:
    """PAYMENT_GATEWAYS; else the simulator, but only where PAYMENT_SIMULATOR allows it (demo, tests)."""
    configured = getattr(settings, "PAYMENT_GATEWAYS", None)
    if configured:
        return dict(configured)
    if getattr(settings, "PAYMENT_SIMULATOR", False):
        return default_gateways()
    return {}


def default_gateway_name() -> str:
    configured = configured_gateways()
    name = getattr(settings, "PAYMENT_DEFAULT_GATEWAY", "") or next(iter(configured), "")
    if not name:
        raise NotFound(_("Chưa cấu hình cổng thanh toán trực tuyến."))
    return str(name)


def get_gateway(name: str | None = None) -> Gateway:
    """The gateway configured under `name` (the default gateway when None); NotFound if unknown."""
    name = name or default_gateway_name()
    config = configured_gateways().get(name)
    if config is None:
        raise NotFound(_("Không có cổng thanh toán %(name)s.") % {"name": name})
    cls = import_string(config.get("CLASS", "motcua.payments.gateway.SignedGateway"))
    gateway: Gateway = cls(name, config)
    return gateway
