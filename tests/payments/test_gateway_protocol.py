"""The gateway protocol: HMAC-SHA512 over the sorted, URL-encoded parameters (docs/payments.md),
signed status answers and signed reconciliation files, also spoken over real HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers.choices import Status
from motcua.payments import gateway as gw
from motcua.payments import services
from tests.payments.builders import office as build_office
from tests.payments.helpers import pay_at_the_bank

SECRET = "MOTCUA-DEMO-SECRET"
# The worked example of docs/payments.md: a notification and its signature.
EXAMPLE = {
    "version": "1",
    "merchant": "MOTCUA",
    "reference": "MC230306083015A1B2C3D4",
    "amount": "70000",
    "currency": "VND",
    "response_code": "00",
    "transaction_no": "140000001",
    "bank_code": "NCB",
    "pay_date": "20230306083342",
    "nonce": "5f0c1e8a9b7d4c2e8f6a1b3c5d7e9f01",
    "notify_date": "20230306083343",
}
EXAMPLE_CANONICAL = (
    "amount=70000&bank_code=NCB&currency=VND&merchant=MOTCUA&nonce=5f0c1e8a9b7d4c2e8f6a1b3c5d7e9f01"
    "&notify_date=20230306083343&pay_date=20230306083342&reference=MC230306083015A1B2C3D4"
    "&response_code=00&transaction_no=140000001&version=1"
)
EXAMPLE_SIGNATURE = (
    "e437a49097b3c3f393674ce847a223e3adddd2f68757ef6e39e069741e60d4b1"
    "7e4cd8c95d2ce03e1eb912af3b8e4827afb6dc95adbb1b099f2485d08fd37ed2"
)


def test_the_documented_example_signs_as_documented():
    assert gw.canonical_query(EXAMPLE) == EXAMPLE_CANONICAL
    assert gw.sign(EXAMPLE, SECRET) == EXAMPLE_SIGNATURE
    assert gw.verify_signature({**EXAMPLE, "signature": EXAMPLE_SIGNATURE.upper()}, SECRET)


def test_empty_parameters_and_the_signature_itself_are_not_signed():
    assert gw.sign({**EXAMPLE, "bank_code": "NCB", "note": "", "signature": "x"}, SECRET) == EXAMPLE_SIGNATURE


def test_vietnamese_text_is_signed_as_utf8_url_encoding():
    assert gw.canonical_query({"order_info": "Lệ phí hồ sơ", "a": "1 2"}) == (
        "a=1+2&order_info=L%E1%BB%87+ph%C3%AD+h%E1%BB%93+s%C6%A1"
    )


@pytest.mark.parametrize("name", sorted(EXAMPLE))
def test_changing_any_parameter_breaks_the_signature(name):
    signed = {**EXAMPLE, "signature": EXAMPLE_SIGNATURE}
    signed[name] = signed[name] + "0"
    assert not gw.verify_signature(signed, SECRET)


def test_a_reconciliation_file_round_trips_and_detects_tampering():
    day = dt.date(2023, 3, 6)
    at = dt.datetime(2023, 3, 6, 9, 0, tzinfo=gw.VIETNAM)
    settlements = [
        gw.Settlement("MC1", "140000001", 70_000, at, "NCB"),
        gw.Settlement("MC2", "140000002", 25_000, at, "VCB"),
    ]
    text = gw.write_reconciliation_file("MOTCUA", day, settlements, SECRET, at)

    assert text.splitlines()[0] == "HR,MOTCUA,20230306,20230306090000"
    assert text.splitlines()[-1].startswith("TR,2,95000,")
    assert gw.parse_reconciliation_file(text, secret=SECRET, merchant="MOTCUA", day=day) == settlements
    with pytest.raises(gw.ForgedMessage):
        gw.parse_reconciliation_file(
            text.replace(",70000,", ",7000,"), secret=SECRET, merchant="MOTCUA", day=day
        )
    with pytest.raises(gw.GatewayError):
        gw.parse_reconciliation_file(text, secret=SECRET, merchant="MOTCUA", day=dt.date(2023, 3, 7))


@pytest.mark.django_db(transaction=True)
def test_the_signed_gateway_queries_status_and_reconciles_over_http(live_server, settings):
    secret = "shared-between-bank-and-us"
    settings.PAYMENT_GATEWAYS = {
        "simulator": {
            "CLASS": "motcua.payments.simulator.SimulatorGateway",
            "MERCHANT": "MOTCUA",
            "SECRET": secret,
        },
        "bank": {
            "CLASS": "motcua.payments.gateway.SignedGateway",
            "MERCHANT": "MOTCUA",
            "SECRET": secret,
            "PAY_URL": f"{live_server.url}/payments/simulator/pay/",
            "QUERY_URL": f"{live_server.url}/payments/simulator/query/",
            "RECONCILIATION_URL": f"{live_server.url}/payments/simulator/reconciliation/",
        },
    }
    office = build_office()
    payment, url = services.create_online_payment(
        office.citizen, office.dossier(Status.WAITING_PAYMENT), gateway="simulator"
    )
    pay_at_the_bank(payment, url)
    over_http = gw.get_gateway("bank")

    status = over_http.query_status(payment.reference)
    day = timezone.now().astimezone(gw.VIETNAM).date()
    settlements = over_http.reconciliation(day)

    assert status.status == gw.STATUS_PAID and status.amount == 70_000 and status.paid_at is not None
    assert [(s.reference, s.amount) for s in settlements] == [(payment.reference, 70_000)]
    with pytest.raises(services.NotFound):
        over_http.query_status("MCNOTHING")


def test_a_gateway_that_cannot_be_reached_raises_a_gateway_error():
    unreachable = gw.SignedGateway(
        "down", {"MERCHANT": "M", "SECRET": "s", "QUERY_URL": "http://127.0.0.1:9/", "TIMEOUT": 2}
    )
    with pytest.raises(gw.GatewayError):
        unreachable.query_status("MC1")


@pytest.mark.django_db
def test_the_simulator_refuses_a_pay_request_with_a_bad_signature(client, office):
    payment, url = services.create_online_payment(office.citizen, office.dossier())
    forged = url.replace("amount=70000", "amount=100")

    response = client.get(forged)

    assert response.status_code == 400
    assert "Chữ ký của yêu cầu không hợp lệ." in response.content.decode()


def test_the_secret_can_come_from_the_environment(monkeypatch):
    from_env = gw.SignedGateway("env", {"MERCHANT": "M", "SECRET_ENV": "MOTCUA_TEST_PAYMENT_SECRET"})
    monkeypatch.setenv("MOTCUA_TEST_PAYMENT_SECRET", "from-the-environment")
    assert from_env.secret == "from-the-environment"

    monkeypatch.delenv("MOTCUA_TEST_PAYMENT_SECRET")
    with pytest.raises(gw.GatewayError):
        from_env.secret  # noqa: B018


@pytest.mark.django_db
def test_a_gateway_without_its_secret_answers_the_callback_without_crashing(client, settings):
    settings.PAYMENT_GATEWAYS = {
        "nosecret": {"CLASS": "motcua.payments.gateway.SignedGateway", "MERCHANT": "M"}
    }

    response = client.get("/api/payments/callback/nosecret", {"reference": "MC1", "signature": "00"})

    assert response.status_code == 502 and response.json()["RspCode"] == "99"
