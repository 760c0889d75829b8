"""Authentication for the HTTP API: a session cookie (with CSRF) or a bearer token.

    @router.get("/…", auth=api_auth)       # 401 unless signed in; request.auth is the User
    @router.get("/…", auth=optional_auth)  # anonymous allowed; request.auth is then an AnonymousUser

Ninja treats a falsy result as "not authenticated", so an anonymous caller under
`optional_auth` gets an `AnonymousUser` (is_authenticated False), never None;
`Model.objects.restrict(request.auth, …)` gives such a caller nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from motcua.accounts import services


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer mc_…`: an API token (see services.create_api_token).

    A bearer header that does not name a valid token answers 401 at once, rather than falling
    back to the session: a broken integration should fail loudly.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.authenticate_token(token.strip())
        if user is None:
            raise AuthenticationError()
        # Code that reads request.user (templates, Django permissions) sees the token's owner too.
        request.user = user
        return user


class SessionCsrfAuth(SessionAuth):
    """Django's session, with the CSRF check for unsafe methods.

    CSRF protects a session that rides along with a forged request, so it is checked only when
    there is a signed-in session: an anonymous caller gets 401, not a CSRF 403.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def _anonymous(request: HttpRequest) -> AnonymousUser:
    return AnonymousUser()


# Bearer first: a token client sends no CSRF header, and must not be stopped by the session check.
api_auth: list[Any] = [BearerTokenAuth(), SessionCsrfAuth(csrf=True)]
optional_auth: list[Any] = [*api_auth, _anonymous]
