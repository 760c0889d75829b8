"""/accounts/login/, /accounts/logout/ and the admin's sign-in all go through the rate limit."""

import pytest

from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-dung-123"


def test_the_login_page_is_in_vietnamese(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()


def test_signing_in_starts_a_session_and_is_audited(client, make):
    user = make.user("an", password=PASSWORD)

    response = client.post("/accounts/login/", {"username": "an", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="accounts.sign_in", actor_id=user.pk).exists()


def test_a_wrong_password_shows_the_error(client, make):
    make.user("an", password=PASSWORD)
    page = client.post("/accounts/login/", {"username": "an", "password": "sai"})
    assert page.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content.decode()


def test_the_login_page_refuses_after_five_failures(client, make, settings):
    settings.LOGIN_MAX_FAILURES = 5
    make.user("an", password=PASSWORD)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "an", "password": "sai"})

    page = client.post("/accounts/login/", {"username": "an", "password": PASSWORD})

    assert page.status_code == 200
    assert "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_rate_limited_too(client, make, settings):
    settings.LOGIN_MAX_FAILURES = 5
    make.user("quantri", password=PASSWORD, is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "quantri", "password": "sai"})

    page = client.post("/admin/login/?next=/admin/", {"username": "quantri", "password": PASSWORD})

    assert page.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in page.content.decode()


def test_the_admin_login_still_requires_staff(client, make):
    make.user("congdan", password=PASSWORD)
    page = client.post("/admin/login/?next=/admin/", {"username": "congdan", "password": PASSWORD})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session_and_is_audited(client, make):
    user = make.user("an", password=PASSWORD)
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.sign_out", actor_id=user.pk).exists()
