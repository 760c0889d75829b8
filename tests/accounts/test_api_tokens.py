"""API tokens: the secret is shown once, only its hash is kept, and revoked or expired tokens stop working."""

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import ApiToken
from motcua.audit.models import AuditEvent
from motcua.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = {"error": "unauthenticated", "detail": "Cần đăng nhập"}


def me(client, secret: str):
    return client.get("/api/accounts/me", headers={"Authorization": f"Bearer {secret}"})


def test_only_the_hash_of_the_secret_is_stored(make):
    user = make.user()
    token, secret = services.create_api_token(user, "Cổng dịch vụ công", user)

    prefix = secret.split("_")[1]
    assert secret.startswith(f"mc_{prefix}_") and len(secret) > 40
    token.refresh_from_db()
    assert token.prefix == prefix
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    event = AuditEvent.objects.get(action="accounts.create_token")
    assert secret not in str(event.after)


def test_a_valid_token_authenticates(client, make):
    user = make.user("tichhop")
    _token, secret = services.create_api_token(user, "tích hợp", user)

    response = me(client, secret)

    assert response.status_code == 200
    assert response.json()["username"] == "tichhop"


def test_a_revoked_token_is_refused(client, make):
    user = make.user()
    token, secret = services.create_api_token(user, "tích hợp", user)
    services.revoke_api_token(token, user)

    response = me(client, secret)

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_an_expired_token_is_refused(client, make):
    user = make.user()
    token, secret = services.create_api_token(
        user, "tích hợp", user, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert me(client, secret).status_code == 401


@pytest.mark.parametrize("secret", ["mc_00000000_khong-ton-tai", "khong-dung-dinh-dang", ""])
def test_an_unknown_token_is_refused(client, make, secret):
    response = me(client, secret)
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_a_bad_token_is_refused_even_with_a_session(client, make):
    client.force_login(make.user())
    assert me(client, "mc_00000000_sai").status_code == 401


def test_a_deactivated_users_token_is_refused(client, make):
    user = make.user()
    _token, secret = services.create_api_token(user, "tích hợp", user)
    user.is_active = False
    user.save()

    assert me(client, secret).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(client, make):
    user = make.user()
    token, secret = services.create_api_token(user, "tích hợp", user)

    me(client, secret)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    me(client, secret)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    me(client, secret)
    token.refresh_from_db()
    assert token.last_used_at > first_use - dt.timedelta(minutes=2)


def test_a_token_cannot_be_created_for_someone_else(make):
    with pytest.raises(Forbidden):
        services.create_api_token(make.user(), "tích hợp", make.user())


def test_a_token_needs_a_name_and_a_future_expiry(make):
    user = make.user()
    with pytest.raises(InvalidInput) as error:
        services.create_api_token(user, "  ", user)
    assert error.value.field == "name"
    with pytest.raises(InvalidInput) as error:
        services.create_api_token(user, "cũ", user, expires_at=timezone.now() - dt.timedelta(days=1))
    assert error.value.field == "expires_at"


def test_creating_listing_and_revoking_own_tokens_through_the_api(client, make):
    user = make.user()
    client.force_login(user)

    created = client.post(
        "/api/accounts/tokens", {"name": "Phần mềm kế toán"}, content_type="application/json"
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert me(Client(), secret).status_code == 200

    listed = client.get("/api/accounts/tokens").json()
    assert [t["name"] for t in listed] == ["Phần mềm kế toán"]
    assert "secret" not in listed[0] and "key_hash" not in listed[0]

    assert client.delete(f"/api/accounts/tokens/{created.json()['id']}").status_code == 204
    assert me(Client(), secret).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.revoke_token", actor_id=user.pk).exists()


def test_someone_elses_token_is_not_found(client, make):
    owner = make.user()
    token, _secret = services.create_api_token(owner, "của người khác", owner)
    client.force_login(make.user())

    assert client.delete(f"/api/accounts/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_session_needs_the_csrf_token_to_change_anything(make):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make.user())

    response = client.post("/api/accounts/tokens", {"name": "x"}, content_type="application/json")

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_bearer_token_needs_no_csrf_token(make):
    user = make.user()
    _token, secret = services.create_api_token(user, "tích hợp", user)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/accounts/tokens",
        {"name": "thứ hai"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 201


def test_an_anonymous_change_is_unauthenticated_not_forbidden():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/accounts/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401
