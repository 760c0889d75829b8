"""Online payment end to end through the simulator gateway: create → bank page → signed callback → paid."""

import urllib.parse

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.dossiers.models import DossierFact
from motcua.errors import Forbidden, StateError
from motcua.payments import gateway as gw
from motcua.payments import services
from motcua.payments.models import GatewayNotification, Payment, PaymentStatus


def _start(client, office, dossier):
    client.force_login(office.citizen)
    response = client.post(f"/api/payments/dossiers/{dossier.code}/online")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_an_online_payment_through_the_simulator_pays_the_dossier(client, office):
    dossier = office.dossier(Status.WAITING_PAYMENT)

    started = _start(client, office, dossier)
    assert started["amount"] == 70_000
    url = urllib.parse.urlsplit(started["redirect_url"])
    params = dict(urllib.parse.parse_qsl(url.query))
    assert url.path == f"/payments/simulator/pay/{started['reference']}/"
    assert params["amount"] == "70000" and gw.verify_signature(params, gw.get_gateway().config["SECRET"])

    bank_page = client.get(started["redirect_url"])
    assert bank_page.status_code == 200
    assert "Thanh toán" in bank_page.content.decode() and "Hủy" in bank_page.content.decode()

    back = client.post(url.path, {"action": "pay"})
    assert back.status_code == 302
    landing = client.get(back["Location"])
    assert "Thanh toán thành công" in landing.content.decode()

    payment = Payment.objects.get(reference=started["reference"])
    assert payment.status == PaymentStatus.PAID and payment.online and payment.paid_at
    assert payment.gateway_transaction and payment.response_code == "00"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert DossierFact.objects.get(dossier=dossier).any_online_payment
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"payments.online_started", "payments.paid_online", "dossier.payment_settled"} <= actions

    status = client.get(f"/api/payments/{payment.reference}")
    assert status.status_code == 200 and status.json()["status"] == "paid"


@pytest.mark.django_db
def test_cancelling_on_the_bank_page_leaves_the_dossier_waiting(client, office):
    dossier = office.dossier(Status.WAITING_PAYMENT)
    started = _start(client, office, dossier)
    path = urllib.parse.urlsplit(started["redirect_url"]).path
    client.get(started["redirect_url"])

    back = client.post(path, {"action": "cancel"})
    landing = client.get(back["Location"])

    assert "Bạn đã hủy giao dịch" in landing.content.decode()
    assert Payment.objects.get(reference=started["reference"]).status == PaymentStatus.CANCELLED
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_PAYMENT
    assert not DossierFact.objects.get(dossier=dossier).any_online_payment


@pytest.mark.django_db
def test_starting_twice_reuses_the_pending_payment(office):
    dossier = office.dossier()

    first, first_url = services.create_online_payment(office.citizen, dossier)
    second, second_url = services.create_online_payment(office.citizen, dossier)

    assert first.pk == second.pk and first_url == second_url
    assert Payment.objects.filter(dossier=dossier).count() == 1


@pytest.mark.django_db
def test_an_expired_intent_is_closed_and_a_new_reference_issued(office):
    dossier = office.dossier()
    old, _ = services.create_online_payment(office.citizen, dossier)
    Payment.objects.filter(pk=old.pk).update(expires_at=old.created_at)

    new, _ = services.create_online_payment(office.citizen, dossier)

    old.refresh_from_db()
    assert new.reference != old.reference
    assert old.status == PaymentStatus.FAILED and old.response_code == gw.EXPIRED


@pytest.mark.django_db
def test_only_the_applicant_pays_online_and_only_where_the_procedure_allows_it(office, make):
    dossier = office.dossier()
    with pytest.raises(Forbidden):
        services.create_online_payment(office.stranger, dossier)
    with pytest.raises(Forbidden):
        services.create_online_payment(office.counter, dossier)

    counter_only = office.dossier(procedure=make.procedure(fee=10_000, online_payment=False))
    with pytest.raises(StateError, match="không hỗ trợ thanh toán trực tuyến"):
        services.create_online_payment(office.citizen, counter_only)


@pytest.mark.django_db
def test_a_lost_notification_is_recovered_by_a_status_query(client, office):
    dossier = office.dossier(Status.WAITING_PAYMENT)
    started = _start(client, office, dossier)
    path = urllib.parse.urlsplit(started["redirect_url"]).path
    client.get(started["redirect_url"])
    # The bank takes the money but its notification never reaches us.
    from motcua.payments.models import SimulatorTransaction

    txn = SimulatorTransaction.objects.get(reference=started["reference"])
    txn.status, txn.paid_at = "paid", txn.created_at
    txn.save()
    assert client.get(f"/api/payments/{started['reference']}").json()["status"] == "pending"

    refreshed = client.post(f"/api/payments/{started['reference']}/refresh")

    assert refreshed.status_code == 200 and refreshed.json()["status"] == "paid"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert not GatewayNotification.objects.exists()
    assert AuditEvent.objects.get(action="payments.paid_online").after["via"] == "query"
    assert path  # the bank page was the one the applicant saw


@pytest.mark.django_db
def test_the_dossier_payments_summary_lists_fee_lines_and_payments(client, office):
    dossier = office.dossier()
    services.record_counter_payment(office.counter, dossier, 70_000)
    client.force_login(office.citizen)

    body = client.get(f"/api/payments/dossiers/{dossier.code}").json()

    assert body["amount_due"] == 70_000 and body["amount_paid"] == 70_000 and body["outstanding"] == 0
    assert [line["amount"] for line in body["fee_lines"]] == [50_000, 20_000]
    assert [p["status"] for p in body["payments"]] == ["paid"]
