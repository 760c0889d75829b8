"""Fees paid at the counter: the exact amount owed, recorded by the unit's counter officer, audited."""

import pytest
from django.db.models import Q

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.dossiers.models import DossierFact
from motcua.errors import Forbidden, InvalidInput, StateError
from motcua.payments import services
from motcua.payments.models import PaymentStatus


@pytest.mark.django_db
def test_a_counter_payment_of_the_amount_due_is_recorded_and_audited(office):
    dossier = office.dossier()

    payment = services.record_counter_payment(office.counter, dossier, 70_000, ip="10.0.0.5")

    assert payment.status == PaymentStatus.PAID and not payment.online and payment.paid_at
    assert payment.recorded_by == office.counter
    event = AuditEvent.objects.get(action="payments.counter_payment")
    assert event.actor_id == office.counter.pk and event.after["amount"] == 70_000 and event.ip == "10.0.0.5"
    fact = DossierFact.objects.get(dossier=dossier)
    assert fact.any_payment and not fact.any_online_payment


@pytest.mark.django_db
def test_a_payment_for_the_wrong_amount_is_refused_with_a_clear_reason(office):
    dossier = office.dossier()

    with pytest.raises(InvalidInput) as refused:
        services.record_counter_payment(office.counter, dossier, 50_000)

    assert refused.value.field == "amount"
    assert refused.value.message == "Số tiền nộp (50.000 đồng) không đúng số phải nộp (70.000 đồng)."
    assert not dossier.payments.exists()
    assert not AuditEvent.objects.filter(action="payments.counter_payment").exists()


@pytest.mark.django_db
def test_only_an_officer_of_the_dossiers_unit_records_a_counter_payment(office):
    dossier = office.dossier()

    for outsider in (office.other_counter, office.citizen):
        with pytest.raises(Forbidden):
            services.record_counter_payment(outsider, dossier, 70_000)
    assert not dossier.payments.exists()


@pytest.mark.django_db
def test_a_dossier_already_paid_cannot_be_paid_again(office):
    dossier = office.dossier()
    services.record_counter_payment(office.counter, dossier, 70_000)

    with pytest.raises(StateError, match="đã nộp đủ"):
        services.record_counter_payment(office.counter, dossier, 70_000)


@pytest.mark.django_db
def test_a_dossier_refused_or_withdrawn_takes_no_payment(office):
    for status in (Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED):
        with pytest.raises(StateError):
            services.record_counter_payment(office.counter, office.dossier(status), 70_000)


@pytest.mark.django_db
def test_paying_at_the_counter_resumes_a_dossier_waiting_for_payment(office):
    dossier = office.dossier(Status.WAITING_PAYMENT)

    services.record_counter_payment(office.counter, dossier, 70_000)

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert AuditEvent.objects.filter(action="dossier.payment_settled", object_id=str(dossier.pk)).exists()


@pytest.mark.django_db
def test_paying_at_the_counter_cancels_a_pending_online_payment(office):
    dossier = office.dossier(Status.WAITING_PAYMENT)
    online, _url = services.create_online_payment(office.citizen, dossier)

    services.record_counter_payment(office.counter, dossier, 70_000)

    online.refresh_from_db()
    assert online.status == PaymentStatus.CANCELLED
    assert AuditEvent.objects.filter(Q(action="payments.intent_cancelled"), object_id=str(online.pk)).exists()


@pytest.mark.django_db
def test_the_counter_payment_api_refuses_a_wrong_amount_with_400(client, office):
    dossier = office.dossier()
    client.force_login(office.counter)

    wrong = client.post(
        f"/api/payments/dossiers/{dossier.code}/counter", {"amount": 1}, content_type="application/json"
    )
    right = client.post(
        f"/api/payments/dossiers/{dossier.code}/counter", {"amount": 70_000}, content_type="application/json"
    )

    assert wrong.status_code == 400
    assert wrong.json()["field"] == "amount" and "70.000 đồng" in wrong.json()["detail"]
    assert right.status_code == 200 and right.json()["status"] == "paid"


@pytest.mark.django_db
def test_the_payments_api_hides_other_peoples_dossiers(client, office):
    dossier = office.dossier()
    client.force_login(office.stranger)

    assert client.get(f"/api/payments/dossiers/{dossier.code}").status_code == 404
    assert client.post(f"/api/payments/dossiers/{dossier.code}/online").status_code == 404
    bad = client.post(
        f"/api/payments/dossiers/{dossier.code}/counter", {"amount": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422
