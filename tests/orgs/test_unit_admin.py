"""The unit back office: list, filters, search; saving goes through the audited service; no deletion."""

import pytest

from motcua.audit.models import AuditEvent
from motcua.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make):
    client.force_login(make.user(is_superuser=True, is_staff=True))
    return client


def test_the_list_filters_by_level_and_searches_by_name(admin_client, ha_tinh):
    response = admin_client.get("/admin/orgs/unit/", {"level__exact": "district", "q": "Can Lộc"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ha_tinh("UBND Huyện Can Lộc")]


def test_the_in_force_filter_keeps_todays_units(admin_client, ha_tinh):
    response = admin_client.get("/admin/orgs/unit/", {"in_force": "yes", "level__exact": "commune"})
    assert response.context["cl"].result_count == 69


def test_the_parent_is_chosen_by_autocomplete(admin_client, ha_tinh):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "orgs", "model_name": "unit", "field_name": "parent", "term": "Hương Khê"},
    )
    assert response.status_code == 200
    assert "UBND Huyện Hương Khê" in {r["text"] for r in response.json()["results"]}


def test_a_change_in_the_admin_is_audited_and_keeps_the_path(admin_client, ha_tinh):
    centre = ha_tinh("Trung tâm Phục vụ hành chính công tỉnh")
    root = Unit.objects.get(code="000.00.00.H29")
    response = admin_client.post(
        f"/admin/orgs/unit/{centre.pk}/change/",
        {
            "code": centre.code,
            "name": centre.name,
            "kind": centre.kind,
            "level": centre.level,
            "parent": root.pk,
            "province_code": "42",
            "admin_code": "",
            "valid_from": "",
            "valid_to": "",
            "merged_into": "",
            "note": "",
            "address": "02 Nguyễn Chí Thanh, thành phố Hà Tĩnh",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    centre.refresh_from_db()
    assert centre.path == f"{root.path}{centre.pk}/"
    event = AuditEvent.objects.get(action="orgs.change_unit")
    assert event.after["parent_id"] == root.pk
    assert event.after["address"] == "02 Nguyễn Chí Thanh, thành phố Hà Tĩnh"


def test_a_unit_cannot_be_deleted_only_ended(admin_client, ha_tinh):
    unit = ha_tinh("Sở Tư pháp")
    assert admin_client.get(f"/admin/orgs/unit/{unit.pk}/delete/").status_code == 403
