"""PATCH /api/units/{code}: contact details only, by whoever may change the unit, audited."""

import json

import pytest

from motcua.accounts.choices import Role
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _patch(client, code, body):
    return client.patch(f"/api/units/{code}", data=json.dumps(body), content_type="application/json")


def test_a_unit_leader_may_change_the_contacts_of_the_unit(client, ha_tinh, make):
    commune = ha_tinh("UBND Xã Xuân Thành")
    client.force_login(make.user(role=Role.UNIT_LEADER, unit=commune))
    response = _patch(client, commune.code, {"phone": "0239 3821 234", "email": "xuanthanh@hatinh.gov.vn"})
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["email"]) == (
        "0239 3821 234",
        "xuanthanh@hatinh.gov.vn",
    )
    commune.refresh_from_db()
    assert commune.phone == "0239 3821 234"
    event = AuditEvent.objects.get(action="orgs.update_unit_contact")
    assert (event.object_id, event.before, event.after) == (
        str(commune.pk),
        {"phone": "", "email": ""},
        {"phone": "0239 3821 234", "email": "xuanthanh@hatinh.gov.vn"},
    )


def test_a_district_leader_may_change_a_commune_of_the_district(client, ha_tinh, make):
    client.force_login(make.user(role=Role.UNIT_LEADER, unit=ha_tinh("UBND Huyện Nghi Xuân")))
    assert _patch(client, ha_tinh("UBND Xã Xuân Thành").code, {"address": "Xã Xuân Thành"}).status_code == 200


def test_an_officer_of_another_commune_is_refused_with_a_reason(client, ha_tinh, make):
    client.force_login(make.user(role=Role.COUNTER_OFFICER, unit=ha_tinh("UBND Xã Xuân Yên")))
    response = _patch(client, ha_tinh("UBND Xã Xuân Thành").code, {"phone": "0239 0000 000"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền sửa thông tin của đơn vị này."
    assert ha_tinh("UBND Xã Xuân Thành").phone == ""
    assert not AuditEvent.objects.filter(action="orgs.update_unit_contact").exists()


def test_signed_out_is_401(client, ha_tinh):
    assert _patch(client, ha_tinh("UBND Xã Xuân Thành").code, {"phone": "1"}).status_code == 401


def test_an_unknown_code_is_404(client, make, db):
    client.force_login(make.user(is_superuser=True))
    assert _patch(client, "000.99.99.H29", {"phone": "1"}).status_code == 404


def test_only_contact_fields_can_be_changed(client, ha_tinh, make):
    commune = ha_tinh("UBND Xã Xuân Thành")
    client.force_login(make.user(role=Role.UNIT_LEADER, unit=commune))
    response = _patch(client, commune.code, {"name": "Tên khác"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert ha_tinh("UBND Xã Xuân Thành").name == "UBND Xã Xuân Thành"


def test_a_malformed_email_is_refused_naming_the_field(client, ha_tinh, make):
    commune = ha_tinh("UBND Xã Xuân Thành")
    client.force_login(make.user(role=Role.UNIT_LEADER, unit=commune))
    response = _patch(client, commune.code, {"email": "không-phải-email"})
    assert response.status_code == 400
    assert response.json()["field"] == "email"
