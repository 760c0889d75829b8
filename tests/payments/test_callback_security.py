"""The gateway's notification is trusted only when signed, for the right amount, and fresh."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.models import GatewayNotification, PaymentStatus
from tests.payments.helpers import notification

CALLBACK = "/api/payments/callback/simulator"


@pytest.fixture
def pending(office):
    payment, _url = services.create_online_payment(office.citizen, office.dossier(Status.WAITING_PAYMENT))
    return payment


@pytest.mark.django_db
def test_a_signed_callback_marks_the_payment_paid_at_the_gateways_pay_date(client, pending):
    params = notification(pending, pay_date="20230306091500", notify_date=gw.format_time(timezone.now()))

    response = client.get(CALLBACK, params)

    assert response.status_code == 200 and response.json() == {"RspCode": "00", "Message": "Confirm Success"}
    pending.refresh_from_db()
    assert pending.status == PaymentStatus.PAID and pending.online
    assert pending.paid_at == dt.datetime(2023, 3, 6, 9, 15, tzinfo=gw.VIETNAM)
    pending.dossier.refresh_from_db()
    assert pending.dossier.status == Status.PROCESSING


@pytest.mark.django_db
def test_a_forged_callback_is_refused_and_audited(client, pending):
    forged = notification(pending, secret="not-the-shared-secret")
    tampered = {**notification(pending), "amount": "1"}

    for params in (forged, tampered):
        response = client.get(CALLBACK, params, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 400 and response.json()["RspCode"] == "97"

    pending.refresh_from_db()
    assert pending.status == PaymentStatus.PENDING
    events = AuditEvent.objects.filter(action="payments.callback_forged")
    assert events.count() == 2
    assert {e.ip for e in events} == {"203.0.113.9"} and events[0].object_id == pending.reference


@pytest.mark.django_db
def test_a_callback_without_any_signature_is_refused(client, pending):
    params = notification(pending)
    del params["signature"]

    response = client.post(CALLBACK, params)

    assert response.status_code == 400 and response.json()["RspCode"] == "97"


@pytest.mark.django_db
def test_the_same_callback_twice_is_a_harmless_repeat(client, pending):
    params = notification(pending)

    first = client.get(CALLBACK, params)
    second = client.get(CALLBACK, params)

    assert first.json()["RspCode"] == "00"
    assert second.status_code == 200 and second.json() == {
        "RspCode": "02",
        "Message": "Order already confirmed",
    }
    assert GatewayNotification.objects.count() == 1
    assert AuditEvent.objects.filter(action="payments.paid_online").count() == 1
    assert AuditEvent.objects.filter(action="dossier.payment_settled").count() == 1


@pytest.mark.django_db
def test_a_gateway_resending_the_same_verdict_with_a_new_nonce_is_a_repeat(client, pending):
    client.get(CALLBACK, notification(pending, transaction_no="777"))

    again = client.get(CALLBACK, notification(pending, transaction_no="777"))

    assert again.status_code == 200 and again.json()["RspCode"] == "02"


@pytest.mark.django_db
def test_a_spent_nonce_on_another_message_is_a_replay(client, pending):
    first = notification(pending, nonce="a1b2c3")
    client.get(CALLBACK, first)
    other = notification(pending, nonce="a1b2c3", response_code="24", transaction_no="999")

    response = client.get(CALLBACK, other)

    assert response.status_code == 409 and response.json()["RspCode"] == "98"
    pending.refresh_from_db()
    assert pending.status == PaymentStatus.PAID
    event = AuditEvent.objects.get(action="payments.callback_replayed")
    assert event.after["nonce"] == "a1b2c3" and "nonce" in event.after["reason"]


@pytest.mark.django_db
def test_a_callback_for_an_already_settled_payment_by_another_transaction_is_a_replay(client, pending):
    client.get(CALLBACK, notification(pending, transaction_no="111"))

    response = client.get(CALLBACK, notification(pending, transaction_no="222"))

    assert response.status_code == 409 and response.json()["RspCode"] == "98"
    pending.refresh_from_db()
    assert pending.gateway_transaction == "111"
    assert AuditEvent.objects.filter(action="payments.callback_replayed").count() == 1


@pytest.mark.django_db
def test_an_old_callback_is_a_replay(client, pending, settings):
    old = timezone.now() - dt.timedelta(days=2)

    response = client.get(CALLBACK, notification(pending, notify_date=gw.format_time(old)))

    assert response.status_code == 409 and response.json()["RspCode"] == "98"
    pending.refresh_from_db()
    assert pending.status == PaymentStatus.PENDING
    assert (
        AuditEvent.objects.get(action="payments.callback_replayed").after["reason"] == "notification too old"
    )


@pytest.mark.django_db
def test_a_callback_for_the_wrong_amount_is_refused(client, pending):
    response = client.get(CALLBACK, notification(pending, amount=pending.amount - 1))

    assert response.status_code == 400 and response.json()["RspCode"] == "04"
    pending.refresh_from_db()
    assert pending.status == PaymentStatus.PENDING
    event = AuditEvent.objects.get(action="payments.callback_amount_mismatch")
    assert event.after["expected"] == 70_000 and event.after["received"] == 69_999


@pytest.mark.django_db
def test_a_declined_payment_is_recorded_as_failed(client, pending):
    response = client.get(CALLBACK, notification(pending, response_code="51", pay_date=None))

    assert response.json()["RspCode"] == "00"
    pending.refresh_from_db()
    assert pending.status == PaymentStatus.FAILED and pending.response_code == "51"
    pending.dossier.refresh_from_db()
    assert pending.dossier.status == Status.WAITING_PAYMENT


@pytest.mark.django_db
def test_callbacks_for_unknown_payments_or_gateways_get_404(client, pending):
    unknown = notification(pending, reference="MC000000000000NOPE")

    assert client.get(CALLBACK, unknown).json()["RspCode"] == "01"
    assert client.get(CALLBACK, unknown).status_code == 404
    assert client.get("/api/payments/callback/no-such-gateway", notification(pending)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"nonce": None},
        {"amount": "-5"},
        {"amount": "12abc"},
        {"notify_date": "yesterday"},
        {"merchant": "OTHER"},
        {"pay_date": None},
        {"reference": "R" * 65},
        {"response_code": "123456789"},
    ],
)
def test_a_signed_but_malformed_callback_gets_400_not_500(client, pending, overrides):
    response = client.get(CALLBACK, notification(pending, **overrides))

    assert response.status_code == 400 and response.json()["RspCode"] == "99"


@pytest.mark.django_db
def test_the_callback_accepts_a_json_body_and_rejects_a_broken_one(client, pending):
    ok = client.post(CALLBACK, notification(pending), content_type="application/json")
    broken = client.post(CALLBACK, b"{not json", content_type="application/json")
    listed = client.post(CALLBACK, [1, 2], content_type="application/json")

    assert ok.status_code == 200 and ok.json()["RspCode"] == "00"
    assert broken.status_code == 400 and listed.status_code == 400
