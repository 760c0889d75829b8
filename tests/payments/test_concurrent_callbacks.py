"""Concurrent notifications about one payment never settle it twice (row lock on the payment)."""

import threading

import pytest
from django.db import connection

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.payments import services
from motcua.payments.models import GatewayNotification, Payment, PaymentStatus
from tests.payments.builders import office as build_office
from tests.payments.helpers import notification

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_callbacks_settle_a_payment_once(on_postgres):
    office = build_office()
    payment, _url = services.create_online_payment(office.citizen, office.dossier(Status.WAITING_PAYMENT))
    same = notification(payment, transaction_no="555")
    # Half the threads repeat one message; the others are the gateway's retries (fresh nonces).
    messages = [same if i % 2 else notification(payment, transaction_no="555") for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    answers: list[str] = []

    def deliver(params):
        try:
            barrier.wait()
            answers.append(services.handle_callback(params, "127.0.0.1").code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(m,)) for m in messages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(answers) == ["00"] + ["02"] * (THREADS - 1)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert GatewayNotification.objects.count() == 1
    assert AuditEvent.objects.filter(action="payments.paid_online").count() == 1
    assert AuditEvent.objects.filter(action="dossier.payment_settled").count() == 1
