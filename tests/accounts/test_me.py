"""GET /api/accounts/me describes the signed-in user."""

import pytest

from motcua.accounts import services
from motcua.accounts.choices import Role

pytestmark = pytest.mark.django_db


def test_an_official_sees_their_roles_and_reach(client, make):
    district = make.unit("H42.DT", level="district", name="UBND huyện Đức Thọ")
    make.unit(parent=district)
    leader = make.user("lanhdao", unit=district, role=Role.UNIT_LEADER, full_name="Nguyễn Văn Lãnh")
    client.force_login(leader)

    body = client.get("/api/accounts/me").json()

    assert body["username"] == "lanhdao"
    assert body["full_name"] == "Nguyễn Văn Lãnh"
    assert body["kind"] == "official"
    assert body["roles"] == [
        {
            "role": "unit_leader",
            "role_label": "Lãnh đạo đơn vị",
            "unit_code": "H42.DT",
            "unit_name": "UBND huyện Đức Thọ",
            "title": "",
        }
    ]
    assert body["viewable_units"] == 2


def test_a_citizen_sees_their_identity_number(client, make):
    citizen = services.register_citizen(
        password="mat-khau-rat-dai", full_name="Trần Thị Dân", citizen_id="042195000123"
    )
    client.force_login(citizen)

    body = client.get("/api/accounts/me").json()

    assert (body["kind"], body["citizen_id"], body["tax_code"]) == ("person", "042195000123", None)
    assert body["roles"] == [] and body["viewable_units"] == 0


def test_signed_out_callers_must_sign_in(client):
    response = client.get("/api/accounts/me")
    assert response.status_code == 401
    assert response.json() == {"error": "unauthenticated", "detail": "Cần đăng nhập"}
