"""Who may open which page of the web faces, decided once per request.

A page is for citizens and organisations (an account with a citizen ID or tax code), for officials
holding one of some roles, or for everyone. Signed out, a protected page sends the visitor to sign
in; signed in with the wrong role, it answers 403 in the site's layout. What a user may *see* on a
page is still decided by the selectors' scoping (`Model.objects.restrict`), and what they may *do*
by the services: these checks only keep people out of pages that are not for them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motcua.accounts.choices import STAFF_ROLES, Role
from motcua.accounts.scoping import active_memberships
from motcua.documents.services import identity_number

# Roles that see the officer workspace's queue and dossier pages.
OFFICE_ROLES = frozenset(STAFF_ROLES)
# Roles that receive dossiers at the counter.
COUNTER_ROLES = frozenset({Role.COUNTER_OFFICER})
# Roles that see the overview of their units.
OVERVIEW_ROLES = frozenset({Role.UNIT_LEADER, Role.PROVINCE_ADMIN, Role.REFORM_MANAGER})
# Roles that follow the reform scorecard (the dashboard).
DASHBOARD_ROLES = frozenset({Role.UNIT_LEADER, Role.REFORM_MANAGER, Role.PROVINCE_ADMIN})

View = Callable[..., HttpResponse]


def staff_roles(request: HttpRequest) -> frozenset[str]:
    """The staff roles the signed-in user holds today (every one for a superuser); one query per
    request, kept on the request so the layout and the view share it."""
    cached = getattr(request, "_motcua_roles", None)
    if cached is not None:
        return cached
    # An error page may be drawn before the authentication middleware ran (a bad Host header).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        roles: frozenset[str] = frozenset()
    elif user.is_superuser:
        roles = OFFICE_ROLES
    else:
        roles = frozenset(m.role for m in active_memberships(user))
    request._motcua_roles = roles  # type: ignore[attr-defined]
    return roles


def is_applicant(user: Any) -> bool:
    """Whether the account can file dossiers for itself: it has a citizen ID or a tax code."""
    return bool(getattr(user, "is_authenticated", False) and identity_number(user))


def _guard(check: Callable[[HttpRequest], bool], refusal: Callable[[], str]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request):
                raise PermissionDenied(refusal())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def roles_required(roles: frozenset[str], refusal: Callable[[], str]) -> Callable[[View], View]:
    """The page is for officials holding one of `roles`."""
    return _guard(lambda request: bool(staff_roles(request) & roles), refusal)


officer_required = roles_required(
    OFFICE_ROLES, lambda: _("Trang này dành cho cán bộ, công chức giải quyết thủ tục hành chính.")
)
counter_required = roles_required(
    COUNTER_ROLES, lambda: _("Chỉ cán bộ tiếp nhận (bộ phận một cửa) được tiếp nhận hồ sơ tại quầy.")
)
overview_required = roles_required(
    OVERVIEW_ROLES,
    lambda: _("Trang tổng quan dành cho lãnh đạo đơn vị và người quản lý cải cách hành chính."),
)
applicant_required = _guard(
    lambda request: is_applicant(request.user),
    lambda: _("Trang này dành cho công dân, tổ chức: tài khoản cần có số định danh cá nhân hoặc mã số thuế."),
)


def signed_in_required(view: View) -> View:
    """The page needs a signed-in user, whoever they are."""
    return _guard(lambda request: True, lambda: "")(view)
