"""What a dossier owes comes from the catalog: the fee lines of its procedure version, else the fee."""

import pytest

from motcua.catalog.models import FeeLine, ProcedureVersion
from motcua.payments import services


@pytest.mark.django_db
def test_amount_due_is_the_sum_of_the_procedures_fee_lines(office):
    dossier = office.dossier()

    assert [(i.name, i.amount) for i in services.fee_items(dossier)] == [
        ("Lệ phí đăng ký khai sinh", 50_000),
        ("Phí cấp bản sao trích lục", 20_000),
    ]
    assert services.amount_due(dossier) == 70_000


@pytest.mark.django_db
def test_a_procedure_without_fee_lines_owes_its_single_fee(office, make):
    procedure = make.procedure(fee=35_000)
    dossier = office.dossier(procedure=procedure)

    assert [(i.name, i.amount) for i in services.fee_items(dossier)] == [("Phí, lệ phí", 35_000)]


@pytest.mark.django_db
def test_a_dossier_keeps_the_fees_of_the_version_it_started_under(office):
    version = ProcedureVersion.objects.create(
        procedure=office.procedure,
        number=1,
        snapshot={
            "procedure": {"fee": 40_000},
            "fee_lines": [{"order": 1, "name": "Lệ phí cũ", "amount": 40_000}],
        },
    )
    dossier = office.dossier(procedure_version=version)
    FeeLine.objects.filter(procedure=office.procedure).update(amount=99_000)

    assert services.amount_due(dossier) == 40_000


@pytest.mark.django_db
def test_the_outstanding_amount_counts_only_paid_payments(office):
    dossier = office.dossier()
    dossier.payments.create(amount=70_000, status="pending", online=True, reference="MC-PENDING")
    assert services.amount_outstanding(dossier) == 70_000

    dossier.payments.create(amount=70_000, status="paid")
    assert services.amount_outstanding(dossier) == 0
