"""Editing a procedure in the admin publishes a new version; versions cannot be edited there."""

import pytest

from motcua.catalog.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


def _form(procedure, **changes):
    data = {
        "code": procedure.code,
        "national_code_known": "on",
        "name": procedure.name,
        "field": procedure.field,
        "duration_days": procedure.duration_days,
        "day_kind": procedure.day_kind,
        "fee": procedure.fee,
        "online_level": procedure.online_level,
        "paper_result": "on",
        "published": "on",
        "at_commune": "on",
    }
    for prefix in ("components", "fee_lines", "steps"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client, make):
    client.force_login(make.user(is_staff=True, is_superuser=True))
    return client


def test_saving_in_the_admin_publishes_a_version(admin_client, make):
    procedure = make.procedure(code="1.000123", duration_days=5)
    url = f"/admin/catalog/procedure/{procedure.pk}/change/"
    data = _form(
        procedure,
        duration_days=3,
        **{
            "steps-TOTAL_FORMS": "1",
            "steps-0-order": "1",
            "steps-0-name": "Xử lý",
            "steps-0-role": "processing_officer",
            "steps-0-time_share": "100",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure.refresh_from_db()
    assert procedure.version == 1
    version = ProcedureVersion.objects.get(procedure=procedure)
    assert version.snapshot["procedure"]["duration_days"] == 3
    assert version.snapshot["steps"][0]["name"] == "Xử lý"
    step = procedure.steps.get()
    data.update(
        {"steps-INITIAL_FORMS": "1", "steps-0-id": str(step.pk), "steps-0-procedure": str(procedure.pk)}
    )
    assert admin_client.post(url, data).status_code == 302
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 1


def test_step_shares_must_add_up_to_100_in_the_admin(admin_client, make):
    procedure = make.procedure()
    data = _form(
        procedure,
        **{
            "steps-TOTAL_FORMS": "1",
            "steps-0-order": "1",
            "steps-0-name": "Xử lý",
            "steps-0-role": "processing_officer",
            "steps-0-time_share": "90",
        },
    )
    response = admin_client.post(f"/admin/catalog/procedure/{procedure.pk}/change/", data)
    assert response.status_code == 200
    assert "100%" in response.content.decode()
    assert not ProcedureVersion.objects.exists()


def test_the_admin_search_ignores_accents(admin_client, make):
    make.procedure(name="Đăng ký khai sinh")
    response = admin_client.get("/admin/catalog/procedure/", {"q": "dang ky khai sinh"})
    assert "Đăng ký khai sinh" in response.content.decode()


def test_versions_are_read_only(admin_client, make):
    procedure = make.procedure()
    from motcua.catalog.services import current_version

    version = current_version(procedure)
    assert admin_client.get("/admin/catalog/procedureversion/add/").status_code == 403
    assert (
        admin_client.post(
            f"/admin/catalog/procedureversion/{version.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Procedure.objects.get().versions.count() == 1
