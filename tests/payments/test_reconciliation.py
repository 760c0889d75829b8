"""The daily reconciliation compares the gateway's settlement file with the payments we recorded."""

import datetime as dt
import urllib.parse

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.payments import gateway as gw
from motcua.payments import services, simulator
from motcua.payments.models import Payment, SimulatorTransaction
from tests.payments.helpers import pay_at_the_bank


def _pay_through_the_bank(office) -> Payment:
    """The applicant pays on the simulator's page (the bank notifies us in the same step)."""
    payment, url = services.create_online_payment(office.citizen, office.dossier(Status.WAITING_PAYMENT))
    pay_at_the_bank(payment, url)
    payment.refresh_from_db()
    return payment


def _today() -> dt.date:
    return timezone.now().astimezone(gw.VIETNAM).date()


@pytest.mark.django_db
def test_reconciliation_matches_payments_settled_by_the_gateway(office):
    payment = _pay_through_the_bank(office)
    assert payment.status == "paid"

    report = services.reconcile(_today())

    assert report.ok and report.matched == 1
    assert report.gateway_total == report.our_total == 70_000
    assert AuditEvent.objects.get(action="payments.reconciled").after["matched"] == 1


@pytest.mark.django_db
def test_reconciliation_reports_a_payment_the_gateway_settled_but_we_did_not_record(office):
    payment, url = services.create_online_payment(office.citizen, office.dossier(Status.WAITING_PAYMENT))
    bank = simulator.simulator_gateway()
    txn = simulator.open_payment(
        bank, payment.reference, dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    )
    # The bank took the money; its notification was lost.
    SimulatorTransaction.objects.filter(pk=txn.pk).update(status="paid", paid_at=timezone.now())

    report = services.reconcile(_today())

    assert [(m.kind, m.reference, m.gateway_amount, m.detail) for m in report.mismatches] == [
        ("missing_here", payment.reference, 70_000, "status here: pending")
    ]


@pytest.mark.django_db
def test_reconciliation_reports_a_payment_missing_at_the_gateway_and_a_different_amount(office):
    lone = office.dossier().payments.create(
        amount=70_000,
        online=True,
        status="paid",
        paid_at=timezone.now(),
        gateway="simulator",
        reference="MCLONE",
    )
    paid = _pay_through_the_bank(office)
    SimulatorTransaction.objects.filter(reference=paid.reference).update(amount=75_000)

    report = services.reconcile(_today())

    assert sorted((m.kind, m.reference, m.gateway_amount, m.our_amount) for m in report.mismatches) == [
        ("amount_differs", paid.reference, 75_000, 70_000),
        ("missing_at_gateway", lone.reference, None, 70_000),
    ]
    assert report.matched == 0


@pytest.mark.django_db
def test_the_reconcile_command_exits_1_on_a_mismatch(office, capsys):
    office.dossier().payments.create(
        amount=70_000,
        online=True,
        status="paid",
        paid_at=timezone.now(),
        gateway="simulator",
        reference="MCLONE",
    )

    with pytest.raises(CommandError) as failed:
        call_command("payments", "reconcile", "--date", _today().isoformat())

    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "missing_at_gateway\tMCLONE" in out


@pytest.mark.django_db
def test_the_reconcile_command_reports_a_clean_day(office, capsys):
    _pay_through_the_bank(office)

    call_command("payments", "reconcile", "--date", _today().isoformat())

    out = capsys.readouterr().out
    assert "khớp 1 giao dịch" in out and "Đối soát khớp." in out


@pytest.mark.django_db
def test_the_reconcile_command_rejects_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("payments", "reconcile", "--date", "06/03/2023")
