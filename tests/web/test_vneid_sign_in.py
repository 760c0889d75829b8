"""Signing in with VNeID through the adapter (the demo simulator plays the provider)."""

import pytest

from motcua.accounts.models import User
from motcua.audit.models import AuditEvent
from motcua.web import identity

pytestmark = pytest.mark.django_db


def _consent(client, citizen_id="042090001234", full_name="Nguyễn Văn An", decision="allow", next_url=""):
    start = client.get("/sign-in/vneid/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    consent_url = start["Location"]
    assert consent_url.startswith("/sign-in/vneid/simulator/?")
    page = client.get(consent_url)
    assert "Đăng nhập bằng tài khoản định danh điện tử VNeID" in page.content.decode()
    params = page.context["state"], page.context["nonce"], page.context["redirect_uri"]
    back = client.post(
        "/sign-in/vneid/simulator/",
        {
            "state": params[0],
            "nonce": params[1],
            "redirect_uri": params[2],
            "citizen_id": citizen_id,
            "full_name": full_name,
            "decision": decision,
        },
    )
    assert back.status_code == 302
    return client.get(back["Location"])


def test_an_existing_citizen_is_signed_in(client, world):
    response = _consent(client, next_url="/my/dossiers/")
    assert response.status_code == 302 and response["Location"] == "/my/dossiers/"
    assert client.session["_auth_user_id"] == str(world.citizen.pk)
    assert AuditEvent.objects.filter(action="accounts.sign_in_vneid", actor_id=world.citizen.pk).exists()


def test_a_person_without_an_account_gets_one(client, world):
    _consent(client, citizen_id="042099000123", full_name="Phan Thị Mới")
    user = User.objects.get(citizen_id="042099000123")
    assert user.full_name == "Phan Thị Mới"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.applicant_kind == "person"
    assert AuditEvent.objects.filter(action="accounts.register", actor_id=user.pk).exists()


def test_declining_consent_signs_no_one_in(client, world):
    response = _consent(client, decision="deny")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_forged_state_is_refused(client, world):
    client.get("/sign-in/vneid/")
    response = client.get("/sign-in/vneid/callback/", {"state": "gia-mao", "code": "x"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_code_for_another_session_is_refused(client, world):
    client.get("/sign-in/vneid/")
    state = client.session["motcua_vneid"]["state"]
    forged = identity.SimulatedVNeID().issue_code(
        identity.IdentityClaims(citizen_id="042090001234", full_name="X", verified=True), nonce="khac"
    )
    client.get("/sign-in/vneid/callback/", {"state": state, "code": forged})
    assert "_auth_user_id" not in client.session


def test_an_invalid_citizen_id_is_said_on_the_consent_page(client, world):
    client.get("/sign-in/vneid/")
    pending = client.session["motcua_vneid"]
    response = client.post(
        "/sign-in/vneid/simulator/",
        {
            "state": pending["state"],
            "nonce": pending["nonce"],
            "redirect_uri": "http://testserver/sign-in/vneid/callback/",
            "citizen_id": "123",
            "full_name": "A",
            "decision": "allow",
        },
    )
    assert response.status_code == 400
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in response.content.decode()


def test_the_simulator_never_sends_the_browser_elsewhere(client, world):
    response = client.get(
        "/sign-in/vneid/simulator/", {"redirect_uri": "https://ke-gian.example/cb", "state": "s"}
    )
    assert response.status_code == 404


def test_without_a_provider_vneid_is_not_offered(client, world, settings):
    settings.PAYMENT_SIMULATOR = False
    assert client.get("/sign-in/vneid/").status_code == 404
    assert "Đăng nhập bằng VNeID" not in client.get("/").content.decode()


def test_the_simulator_can_be_turned_off_on_its_own(client, world, settings):
    settings.MOTCUA_VNEID_SIMULATOR = False
    assert client.get("/sign-in/vneid/").status_code == 404
