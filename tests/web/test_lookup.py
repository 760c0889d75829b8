"""Following a dossier by its code: status and promised date for anyone, everything for its owner."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_only_status_and_promised_date(client, world):
    dossier = world.receive()
    body = client.get("/lookup/", {"code": dossier.code}).content.decode()
    assert "Đã tiếp nhận" in body
    assert "Ngày hẹn trả" in body
    assert world.citizen.full_name not in body
    assert world.citizen.citizen_id not in body
    assert world.procedure.name not in body


def test_the_promised_date_is_shown_dd_mm_yyyy(client, world):
    from django.utils import timezone

    dossier = world.receive()
    body = client.get("/lookup/", {"code": f"  {dossier.code} "}).content.decode()
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in body


def test_an_unknown_code_is_said_next_to_the_field(client, world):
    body = client.get("/lookup/", {"code": "000.21.01.H42-000000-9999"}).content.decode()
    assert "Không tìm thấy hồ sơ có mã “000.21.01.H42-000000-9999”." in body
    assert 'value="000.21.01.H42-000000-9999"' in body


def test_the_owner_is_taken_to_the_full_dossier(client, world):
    dossier = world.receive()
    client.force_login(world.citizen)
    response = client.get("/lookup/", {"code": dossier.code})
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{dossier.code}/"


def test_another_citizen_sees_only_what_a_visitor_sees(client, world):
    dossier = world.receive()
    client.force_login(world.other_citizen)
    response = client.get("/lookup/", {"code": dossier.code})
    assert response.status_code == 200
    assert world.citizen.full_name not in response.content.decode()


def test_an_officer_of_the_unit_gets_a_link_to_the_workspace(client, world):
    dossier = world.receive()
    client.force_login(world.processor)
    body = client.get("/lookup/", {"code": dossier.code}).content.decode()
    assert f'href="/office/dossiers/{dossier.code}/"' in body
