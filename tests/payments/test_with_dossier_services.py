"""Payments inside the real dossier life: a dossier received at the counter, put to wait for its
fee, paid online through the simulator, resumes processing; its receipt (form 01) shows the fee paid."""

import pytest

from motcua.dossiers import services as dossiers
from motcua.dossiers.choices import Status
from motcua.dossiers.forms import render_form01
from motcua.dossiers.models import DossierFact
from motcua.payments import services
from tests.forms.test_printed_forms import text_of
from tests.payments.helpers import pay_at_the_bank


@pytest.mark.django_db
def test_a_dossier_waiting_for_its_fee_resumes_when_paid_online(office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossiers.receive_at_counter(
        office.counter,
        office.commune,
        office.procedure,
        dossiers.Applicant(name=office.citizen.full_name, id_number=office.citizen.citizen_id),
        [
            dossiers.DocumentInput(component=1, source="paper"),
            dossiers.DocumentInput(component=2, source="paper"),
        ],
        applicant_user=office.citizen,
    )
    dossiers.mark_waiting_payment(office.counter, dossier, note="Chờ nộp lệ phí")
    assert "7. Phí, lệ phí: 70.000 đồng (chưa nộp)" in text_of(render_form01(dossier))

    payment, url = services.create_online_payment(office.citizen, dossier)
    pay_at_the_bank(payment, url)

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert DossierFact.objects.get(dossier=dossier).any_online_payment
    assert "7. Phí, lệ phí: 70.000 đồng (đã nộp)" in text_of(render_form01(dossier))
