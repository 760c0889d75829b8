"""Every page opens for the role it is for, refuses other roles with a 403 in the site's layout, and
sends a signed-out visitor to sign in."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/procedures/", "/procedures/9.000001/", "/lookup/"]
APPLICANT = ["/procedures/9.000001/submit/", "/my/dossiers/", "/my/store/"]
OFFICE = ["/office/"]
COUNTER = ["/office/receive/", "/office/receive/9.000001/"]
OVERVIEW = ["/office/overview/"]


def _in_layout(response) -> str:
    body = response.content.decode()
    assert "Hệ thống thông tin giải quyết TTHC tỉnh Hà Tĩnh" in body
    assert 'href="#main"' in body  # the skip link
    return body


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_open_to_everyone(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    _in_layout(response)


@pytest.mark.parametrize("url", APPLICANT + OFFICE + COUNTER + OVERVIEW)
def test_signed_out_visitors_are_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", APPLICANT)
def test_applicant_pages_open_to_a_citizen(client, world, url):
    client.force_login(world.citizen)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", APPLICANT)
def test_applicant_pages_refuse_an_official_account(client, world, url):
    client.force_login(world.counter)
    response = client.get(url)
    assert response.status_code == 403
    assert "Trang này dành cho công dân, tổ chức" in _in_layout(response)


@pytest.mark.parametrize("url", OFFICE + COUNTER)
def test_counter_pages_open_to_a_counter_officer(client, world, url):
    client.force_login(world.counter)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", OFFICE + COUNTER + OVERVIEW)
def test_workspace_pages_refuse_a_citizen(client, world, url):
    client.force_login(world.citizen)
    response = client.get(url)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in _in_layout(response)


@pytest.mark.parametrize("url", COUNTER)
def test_receiving_is_refused_to_a_processing_officer(client, world, url):
    client.force_login(world.processor)
    response = client.get(url)
    assert response.status_code == 403
    assert "Chỉ cán bộ tiếp nhận" in _in_layout(response)


@pytest.mark.parametrize("user", ["leader", "reform"])
def test_the_overview_opens_to_leaders_and_reform_managers(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get("/office/overview/").status_code == 200


@pytest.mark.parametrize("user", ["counter", "processor"])
def test_the_overview_is_refused_to_officers(client, world, user):
    client.force_login(getattr(world, user))
    response = client.get("/office/overview/")
    assert response.status_code == 403
    assert "lãnh đạo đơn vị" in _in_layout(response)


def test_the_applicant_dossier_page_opens_to_its_owner_only(client, world):
    dossier = world.submit()
    client.force_login(world.citizen)
    assert client.get(f"/dossiers/{dossier.code}/").status_code == 200
    client.force_login(world.other_citizen)
    response = client.get(f"/dossiers/{dossier.code}/")
    assert response.status_code == 404
    assert f"Không tìm thấy hồ sơ {dossier.code}" in _in_layout(response)


def test_an_official_opening_the_applicant_page_is_taken_to_the_workspace(client, world):
    dossier = world.submit()
    client.force_login(world.counter)
    response = client.get(f"/dossiers/{dossier.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/office/dossiers/{dossier.code}/"


def test_the_workspace_dossier_page_opens_to_the_unit_and_not_to_another(client, world):
    dossier = world.submit()
    client.force_login(world.counter)
    assert client.get(f"/office/dossiers/{dossier.code}/").status_code == 200
    client.force_login(world.dept_officer)
    assert client.get(f"/office/dossiers/{dossier.code}/").status_code == 404


def test_an_unknown_dossier_code_is_a_404_in_the_layout(client, world):
    client.force_login(world.counter)
    response = client.get("/office/dossiers/000.21.01.H42-000000-9999/")
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ 000.21.01.H42-000000-9999" in _in_layout(response)


def test_an_unknown_procedure_is_a_404_in_the_layout(client, world):
    response = client.get("/procedures/9.999999/")
    assert response.status_code == 404
    assert "Không có thủ tục mã 9.999999" in _in_layout(response)


def test_an_unknown_address_is_a_404_in_the_layout(client, world):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in _in_layout(response)
