"""`optional_auth` lets anonymous callers through; `api_auth` does not. Both accept a session or a token."""

import pytest
from django.contrib.auth.models import AnonymousUser
from ninja import Router
from ninja.testing import TestClient

from motcua.accounts import services
from motcua.accounts.auth import api_auth, optional_auth

pytestmark = pytest.mark.django_db

router = Router()


@router.get("/optional", auth=optional_auth)
def optional(request):
    return {"signed_in": request.auth.is_authenticated, "user": getattr(request.auth, "username", None)}


@router.get("/required", auth=api_auth)
def required(request):
    return {"user": request.auth.username}


client = TestClient(router)


def test_an_anonymous_caller_passes_as_an_anonymous_user():
    response = client.get("/optional")
    assert response.status_code == 200
    assert response.json() == {"signed_in": False, "user": ""}


def test_a_session_user_is_recognised(make):
    user = make.user("phien")
    assert client.get("/optional", user=user).json() == {"signed_in": True, "user": "phien"}
    assert client.get("/required", user=user).json() == {"user": "phien"}


def test_a_token_user_is_recognised(make):
    user = make.user("token")
    _token, secret = services.create_api_token(user, "x", user)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/optional", headers=headers).json()["user"] == "token"
    assert client.get("/required", headers=headers).json() == {"user": "token"}


def test_a_bad_token_is_refused_even_where_anonymous_is_allowed():
    assert client.get("/optional", headers={"Authorization": "Bearer mc_0_sai"}).status_code == 401


def test_the_required_variant_refuses_anonymous_callers():
    assert client.get("/required", user=AnonymousUser()).status_code == 401
