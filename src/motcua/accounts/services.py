"""Everything that changes users, roles, API tokens and sign-ins. Each service is atomic and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import STAFF_ROLES, ApplicantKind, Role
from motcua.accounts.client_ip import client_ip
from motcua.accounts.models import ApiToken, Membership, SignInAttempt, User
from motcua.accounts.scoping import CHANGE, has_role, units_for
from motcua.accounts.validators import normalize_tax_code, validate_citizen_id, validate_tax_code
from motcua.audit.services import record_event
from motcua.errors import Forbidden, InvalidInput, MotcuaError, NotFound
from motcua.orgs.models import Unit

TOKEN_PREFIX = "mc"
# A token's last use is written at most this often, so busy integrations do not write on every call.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


class SignInFailed(MotcuaError):
    """Wrong username or password (or an inactive account: the message does not say which)."""

    status = 401
    code = "invalid_credentials"


class SignInBlocked(SignInFailed):
    """Too many failed sign-ins for this username or address; refused even with the right password."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, minutes: int) -> None:
        super().__init__(
            _("Đăng nhập sai quá nhiều lần, vui lòng thử lại sau %(minutes)s phút.") % {"minutes": minutes},
            retry_after_minutes=minutes,
        )
        self.minutes = minutes


def _is_system(actor: Any) -> bool:
    # No actor: the command line or a migration, run by whoever controls the server.
    return actor is None


def _check_may_manage(actor: Any, unit: Unit) -> None:
    """Superusers, and province administrators for units in their province, manage officials."""
    if _is_system(actor) or actor.is_superuser:
        return
    if has_role(actor, Role.PROVINCE_ADMIN) and units_for(actor, CHANGE).filter(pk=unit.pk).exists():
        return
    raise Forbidden(_("Không có quyền quản lý cán bộ của đơn vị này."))


def _validated(value: str, validator: Any, field: str) -> str:
    try:
        validator(value)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field=field) from exc
    return value


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field=field) from exc


def _staff_role(role: str) -> Role:
    if role not in STAFF_ROLES:
        raise InvalidInput(
            _("Vai trò “%(role)s” không hợp lệ; chọn một trong: %(roles)s.")
            % {"role": role, "roles": ", ".join(r.value for r in STAFF_ROLES)},
            field="role",
        )
    return Role(role)


def user_snapshot(user: User) -> dict[str, Any]:
    """What the audit log records about an account (never the password hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "applicant_kind": user.applicant_kind,
        "citizen_id": user.citizen_id,
        "tax_code": user.tax_code,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def membership_snapshot(membership: Membership) -> dict[str, Any]:
    return {
        "user": membership.user.username,
        "unit": membership.unit.code,
        "role": membership.role,
        "title": membership.title,
        "valid_from": membership.valid_from,
        "valid_to": membership.valid_to,
    }


@transaction.atomic
def register_citizen(
    *,
    password: str,
    full_name: str,
    citizen_id: str | None = None,
    tax_code: str | None = None,
    organization_name: str = "",
    email: str = "",
    phone: str = "",
    ip: str | None = None,
) -> User:
    """Open an account for a person (by citizen ID) or an organisation (by tax code).

    The identity number is also the username. Exactly one of `citizen_id` and `tax_code` is given.
    """
    if bool(citizen_id) == bool(tax_code):
        raise InvalidInput(
            _("Cần đúng một trong hai: số định danh cá nhân (cá nhân) hoặc mã số thuế (tổ chức)."),
            field="citizen_id",
        )
    if not full_name.strip():
        raise InvalidInput(_("Họ và tên không được để trống."), field="full_name")
    user = User(full_name=full_name.strip(), email=email.strip(), phone=phone.strip())
    if citizen_id:
        user.applicant_kind = ApplicantKind.PERSON
        user.citizen_id = _validated(citizen_id.strip(), validate_citizen_id, "citizen_id")
        user.username = user.citizen_id
        taken = User.objects.filter(citizen_id=user.citizen_id).exists()
        field, taken_message = "citizen_id", _("Số định danh cá nhân này đã được đăng ký.")
    else:
        assert tax_code is not None
        if not organization_name.strip():
            raise InvalidInput(_("Tên tổ chức không được để trống."), field="organization_name")
        user.applicant_kind = ApplicantKind.ORGANIZATION
        user.tax_code = _validated(normalize_tax_code(tax_code), validate_tax_code, "tax_code")
        user.organization_name = organization_name.strip()
        user.username = user.tax_code
        taken = User.objects.filter(tax_code=user.tax_code).exists()
        field, taken_message = "tax_code", _("Mã số thuế này đã được đăng ký.")
    if taken or User.objects.filter(username=user.username).exists():
        raise InvalidInput(taken_message, field=field)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # registered by a concurrent request between the check and the insert
        raise InvalidInput(taken_message, field=field) from exc
    record_event(actor=user, action="accounts.register", obj=user, after=user_snapshot(user), ip=ip)
    return user


@transaction.atomic
def create_official(
    username: str,
    password: str,
    full_name: str,
    unit: Unit,
    role: str,
    actor: Any,
    *,
    title: str = "",
    email: str = "",
) -> User:
    """Create an official's account holding `role` in `unit` (tạo tài khoản cán bộ)."""
    staff_role = _staff_role(role)
    _check_may_manage(actor, unit)
    username = username.strip()
    if not username:
        raise InvalidInput(_("Tên đăng nhập không được để trống."), field="username")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(_("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username}, field="username")
    user = User(username=username, full_name=full_name.strip(), email=email.strip())
    _validated(username, User.username_validator, "username")
    _check_password(password, user)
    user.set_password(password)
    user.save()
    record_event(actor=actor, action="accounts.create_official", obj=user, after=user_snapshot(user))
    grant_role(user, unit, staff_role, actor, title=title)
    return user


@transaction.atomic
def grant_role(
    user: User,
    unit: Unit,
    role: str,
    actor: Any,
    *,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Membership:
    """Give `user` `role` in `unit`. Granting a role the user already holds there changes nothing."""
    staff_role = _staff_role(role)
    _check_may_manage(actor, unit)
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput(_("Ngày kết thúc phải sau ngày bắt đầu."), field="valid_to")
    membership, created = Membership.objects.get_or_create(
        user=user,
        unit=unit,
        role=staff_role,
        defaults={"title": title, "valid_from": valid_from, "valid_to": valid_to},
    )
    if created:
        record_event(
            actor=actor, action="accounts.grant_role", obj=membership, after=membership_snapshot(membership)
        )
    return membership


@transaction.atomic
def revoke_role(user: User, unit: Unit, role: str, actor: Any) -> None:
    """Take `role` in `unit` away from `user` (the audit log keeps what it was)."""
    _check_may_manage(actor, unit)
    membership = (
        Membership.objects.filter(user=user, unit=unit, role=role).select_related("user", "unit").first()
    )
    if membership is None:
        raise NotFound(_("Người dùng không giữ vai trò này tại đơn vị này."))
    before = membership_snapshot(membership)
    pk = membership.pk
    membership.delete()
    record_event(
        actor=actor,
        action="accounts.revoke_role",
        object_type=Membership._meta.label_lower,
        object_id=str(pk),
        before=before,
    )


def hash_token(secret: str) -> str:
    """What is stored for a token: the SHA-256 (hex) of its secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_may_manage_tokens(actor: Any, owner: User) -> None:
    if _is_system(actor) or actor.pk == owner.pk or actor.is_superuser:
        return
    raise Forbidden(_("Chỉ chủ tài khoản được quản lý mã truy cập của mình."))


@transaction.atomic
def create_api_token(
    user: User, name: str, actor: Any, expires_at: dt.datetime | None = None, *, ip: str | None = None
) -> tuple[ApiToken, str]:
    """Create a bearer token for `user`; returns it with its secret, which is never shown again.

    The secret reads `mc_<prefix>_<random>`; the prefix identifies the token in lists.
    """
    _check_may_manage_tokens(actor, user)
    name = name.strip()
    if not name:
        raise InvalidInput(_("Tên mã truy cập không được để trống."), field="name")
    if len(name) > (ApiToken._meta.get_field("name").max_length or 0):
        raise InvalidInput(_("Tên mã truy cập quá dài."), field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("Thời điểm hết hạn phải ở tương lai."), field="expires_at")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=hash_token(secret), expires_at=expires_at
    )
    record_event(
        actor=actor,
        action="accounts.create_token",
        obj=token,
        after={"user": user.username, "name": name, "prefix": prefix, "expires_at": expires_at},
        ip=ip,
    )
    return token, secret


@transaction.atomic
def revoke_api_token(token: ApiToken, actor: Any, *, ip: str | None = None) -> ApiToken:
    """Revoke `token` at once; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _check_may_manage_tokens(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="accounts.revoke_token",
            obj=token,
            after={"user": token.user.username, "name": token.name, "prefix": token.prefix},
            ip=ip,
        )
    return token


def authenticate_token(secret: str) -> User | None:
    """The active user a bearer secret belongs to, or None if it is unknown, revoked or expired."""
    if not secret.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
    now = timezone.now()
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or not token.user.is_active
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        # Bookkeeping, not an audited change: a plain UPDATE, so it never races a revocation.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _rate_limit_key(username: str) -> str:
    # Usernames differ only by case rarely; counting them together stops "Admin"/"admin" rotation.
    return username.strip().lower()


def _blocked_minutes(username: str, ip: str | None, now: dt.datetime) -> int | None:
    """Minutes until a sign-in may be tried again, or None when it may be tried now."""
    limit = settings.LOGIN_MAX_FAILURES
    window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = SignInAttempt.objects.filter(at__gt=now - window)
    waits = []
    for attempts in (recent.filter(username=username), recent.filter(ip=ip) if ip else None):
        if attempts is None:
            continue
        # The limit-th newest failure is the one whose expiry lets the count drop below the limit.
        times = list(attempts.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            waits.append(times[limit - 1] + window - now)
    if not waits:
        return None
    return max(1, math.ceil(max(waits).total_seconds() / 60))


def authenticate_with_limit(request: HttpRequest | None, username: str, password: str) -> User:
    """Check a username and password, refusing after too many recent failures.

    After `settings.LOGIN_MAX_FAILURES` failures for the username, or from the address, within
    `settings.LOGIN_FAILURE_WINDOW_SECONDS`, every attempt is refused (SignInBlocked), even with
    the right password, until the oldest of those failures leaves the window. A success clears
    the username's failures. Every outcome is audited. Returns the user; does not log them in.
    """
    ip = client_ip(request)
    key = _rate_limit_key(username)
    now = timezone.now()
    minutes = _blocked_minutes(key, ip, now)
    if minutes is not None:
        # Blocked attempts are not counted as failures, so the lock ends on time even under attack.
        with transaction.atomic():
            record_event(actor=None, action="accounts.sign_in_blocked", after={"username": username}, ip=ip)
        raise SignInBlocked(minutes)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        with transaction.atomic():
            window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
            SignInAttempt.objects.filter(at__lte=now - window).delete()
            SignInAttempt.objects.create(username=key, ip=ip, at=now)
            record_event(actor=None, action="accounts.sign_in_failed", after={"username": username}, ip=ip)
        raise SignInFailed(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    with transaction.atomic():
        SignInAttempt.objects.filter(username=key).delete()
        record_event(actor=user, action="accounts.sign_in", obj=user, ip=ip)
    return user


def sign_out(request: HttpRequest) -> None:
    """End the session of the signed-in user, audited."""
    user = getattr(request, "user", None)
    with transaction.atomic():
        if user is not None and user.is_authenticated:
            record_event(actor=user, action="accounts.sign_out", obj=user, ip=client_ip(request))
        logout(request)
