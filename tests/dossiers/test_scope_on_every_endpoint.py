"""An officer of one commune can neither read nor change another commune's data through ANY API
endpoint: every operation of the OpenAPI schema is called, with the other commune's identifiers."""

from __future__ import annotations

import json
import re

import pytest

from motcua.accounts.services import create_api_token
from motcua.api import api
from motcua.dossiers.models import Dossier
from motcua.feedback.services import file_complaint
from motcua.orgs.models import Unit
from motcua.payments.models import Payment
from motcua.payments.services import create_online_payment
from motcua.scorecard.models import ReportedValue
from motcua.scorecard.services import ensure_plan, report_value

# Public reference data anyone may read: units, the catalog, the calendar, code lists, plan names.
PUBLIC_READS = {
    "/api/units",
    "/api/units/tree",
    "/api/units/{code}",
    "/api/procedures",
    "/api/procedures/fields",
    "/api/procedures/{code}",
    "/api/procedures/{code}/due-date",
    "/api/calendar/working-day",
    "/api/calendar/add-working-days",
    "/api/calendar/due-date",
    "/api/calendar/holidays",
    "/api/dossiers/codes",
    "/api/scorecard/plans",
}
# Operations on one's own account or data: they succeed, but must show nothing of commune A.
OWN = {
    "/api/accounts/me",
    "/api/accounts/tokens",
    "/api/dossiers/files",
    "/api/dossiers/store",
    "/api/dossiers/store/offers",
    "/api/dossiers/mine",
    "/api/dossiers/queue",
    "/api/dossiers/overview",
    "/api/feedback/complaints",
    "/api/scorecard/reported-values",
}
# A signed gateway callback is not a user action (it is refused without the gateway's signature).
NOT_USER_ACTIONS = {"/api/payments/callback/{gateway}"}


@pytest.fixture
def commune_a_data(world, settings):
    """Commune A's data: a dossier (with a pending online payment and a complaint), a reported
    value and a token of A's leader."""
    settings.PAYMENT_SIMULATOR = True
    world.procedure.fee = 50_000
    world.procedure.online_payment = True
    world.procedure.save()
    dossier = world.receive(applicant_user=world.citizen)
    dossier.refresh_from_db()
    payment, _ = create_online_payment(world.citizen, dossier)
    complaint = file_complaint(world.citizen, dossier, "Cán bộ hẹn trả kết quả chậm.")
    ensure_plan("hatinh-2023")
    reported = report_value(
        actor=world.leader,
        plan_code="hatinh-2023",
        indicator="e_records_rate",
        period="2023",
        unit=world.commune,
        value=65,
        evidence="Báo cáo số 12/BC-UBND",
    )
    token, _ = create_api_token(world.leader, "tích hợp", world.leader)
    return {
        "dossier": dossier,
        "payment_reference": payment.reference,
        "complaint": complaint,
        "reported": reported,
        "token": token,
    }


def _operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, spec in operations.items():
            yield path, method, spec


def _fill(path: str, world, data) -> str:
    values = {
        "code": world.commune.code if path.startswith("/api/units") else data["dossier"].code,
        "file_id": str(
            data["dossier"].documents.exclude(file=None).values_list("file_id", flat=True).first() or 1
        ),
        "reference": data["payment_reference"],
        "complaint_id": str(data["complaint"].pk),
        "value_id": str(data["reported"].pk),
        "token_id": str(data["token"].pk),
        "gateway": "simulator",
        "plan": "hatinh-2023",
        "period": "2023",
        "form": "01",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _body(path: str, world) -> dict:
    """A plausible body aimed at commune A, so a refusal cannot come from an empty payload alone."""
    return {
        "unit": world.commune.code,
        "procedure": world.procedure.code,
        "applicant": {"name": "Người ngoài", "id_number": "042090000009"},
        "documents": [{"component": 1, "source": "paper"}, {"component": 2, "source": "paper"}],
        "reasons": "thử",
        "reason": "thử",
        "note": "thử",
        "text": "thử",
        "answer": "thử",
        "value": 100,
        "indicator": "e_records_rate",
        "plan": "hatinh-2023",
        "period": "2023",
        "amount": 1,
        "method": "counter",
        "officer": "mc_a",
        "to_unit": world.department.code,
        "new_due_at": "2030-01-01T17:00:00+07:00",
        "name": "x",
        "address": "Sửa trái phép",
        "items": ["x"],
    }


def _state(world, data) -> dict:
    d = Dossier.objects.get(pk=data["dossier"].pk)
    unit = Unit.objects.get(pk=world.commune.pk)
    return {
        "dossier": (d.status, d.version, d.assigned_to_id, d.due_at),
        "unit": (unit.address, unit.phone, unit.email),
        "payments": list(Payment.objects.filter(dossier=d).values_list("status", "amount")),
        "complaint": data["complaint"].__class__.objects.get(pk=data["complaint"].pk).answer,
        "reported": ReportedValue.objects.get(pk=data["reported"].pk).status,
        "token": data["token"].__class__.objects.get(pk=data["token"].pk).revoked_at,
    }


@pytest.mark.django_db
def test_an_officer_of_commune_b_reaches_nothing_of_commune_a(client, world, commune_a_data):
    _, secret = create_api_token(world.counter_b, "kiểm thử", world.counter_b)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    dossier = commune_a_data["dossier"]
    secrets_of_a = [
        dossier.code,
        world.citizen.citizen_id,
        world.citizen.full_name,
        "Cán bộ hẹn trả kết quả chậm",
    ]
    before = _state(world, commune_a_data)
    checked = 0
    for path, method, _spec in _operations():
        if path in PUBLIC_READS and method == "get":
            continue
        if path in NOT_USER_ACTIONS:
            continue
        url = _fill(path, world, commune_a_data)
        query = {
            "unit": world.commune.code,
            "indicator": "e_records_rate",
            "scope": "unit",
            "key": world.commune.code,
            "level": "commune",
            "procedure": world.procedure.code,
        }
        if method == "get":
            response = client.get(url, query, **headers)
        else:
            response = getattr(client, method)(
                url, data=json.dumps(_body(path, world)), content_type="application/json", **headers
            )
        checked += 1
        label = f"{method.upper()} {path}"
        assert response.status_code < 500, f"{label}: {response.status_code}"
        body = response.content.decode("utf-8", "replace")
        if response.status_code < 300:
            assert path in OWN or method == "get", f"{label} changed something of commune A: {body[:300]}"
            for secret_value in secrets_of_a:
                assert secret_value not in body, f"{label} shows commune A's {secret_value!r}"
        else:
            assert response.status_code in (400, 401, 403, 404, 405, 409, 422), (
                f"{label}: {response.status_code}"
            )
    assert checked > 40
    assert _state(world, commune_a_data) == before


@pytest.mark.django_db
def test_the_same_calls_work_for_commune_a_itself(client, world, commune_a_data):
    """The refusals above come from scope, not from broken calls: A's own leader reads them."""
    _, secret = create_api_token(world.leader, "kiểm thử", world.leader)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    code = commune_a_data["dossier"].code
    assert client.get(f"/api/dossiers/{code}", **headers).status_code == 200
    assert client.get(f"/api/forms/{code}/01.pdf", **headers).status_code == 200
    assert client.get(f"/api/feedback/dossiers/{code}/complaints", **headers).status_code == 200
    assert client.get("/api/accounts/members", {"unit": world.commune.code}, **headers).status_code == 200
