"""The back office: changes are audited, API token secrets are shown once, failed sign-ins are read-only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.accounts.models import ApiToken, Membership, SignInAttempt, User
from motcua.audit.models import AuditEvent
from motcua.audit.services import verify_chain

pytestmark = pytest.mark.django_db


# The management form of the memberships inline, with no rows.
EMPTY_INLINE = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def superuser(make):
    return make.user("quantri", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def user_form(user, **changes):
    """The change form as the browser would post it, with `changes` applied."""
    # A whole-second join time, as the form shows it, so only `changes` differ.
    user.date_joined = dt.datetime(2026, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    user.save(update_fields=["date_joined"])
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "applicant_kind": user.applicant_kind,
        "citizen_id": user.citizen_id or "",
        "tax_code": user.tax_code or "",
        "organization_name": user.organization_name,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        # A field with a callable default carries its initial value in hidden inputs.
        "initial-date_joined_0": "01/01/2026",
        "initial-date_joined_1": "08:00:00",
        **EMPTY_INLINE,
    }
    data.update(changes)
    return data


def test_the_admin_pages_answer(admin_client, make):
    user = make.user()
    for url in [
        "/admin/accounts/user/",
        f"/admin/accounts/user/{user.pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/accounts/membership/",
        "/admin/accounts/apitoken/",
        "/admin/accounts/signinattempt/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_a_user_change_is_audited_with_before_and_after(admin_client, superuser, make):
    user = make.user("dan", full_name="Tên cũ")

    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/", user_form(user, full_name="Tên mới")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="admin.change")
    assert (event.actor_id, event.object_type, event.object_id) == (
        superuser.pk,
        "accounts.user",
        str(user.pk),
    )
    assert (event.before, event.after) == ({"full_name": "Tên cũ"}, {"full_name": "Tên mới"})
    assert verify_chain().ok


def test_the_admin_checks_the_citizen_id(admin_client, make):
    user = make.user("dan")

    page = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        user_form(user, applicant_kind="person", citizen_id="000123456789"),
    )

    assert page.status_code == 200
    assert "mã tỉnh không hợp lệ" in page.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_membership_added_inline_is_audited(admin_client, make):
    user = make.user("dan")
    unit = make.unit("H42.07")
    data = user_form(
        user,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-unit": str(unit.pk),
            "memberships-0-role": Role.COUNTER_OFFICER,
            "memberships-0-title": "Chuyên viên",
        },
    )

    assert admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data).status_code == 302

    membership = Membership.objects.get(user=user)
    event = AuditEvent.objects.get(action="admin.create", object_type="accounts.membership")
    assert event.object_id == str(membership.pk)
    assert event.after["unit"] == unit.pk and event.after["role"] == "counter_officer"


def test_a_deleted_membership_is_audited(admin_client, make):
    membership = Membership.objects.create(user=make.user(), unit=make.unit(), role=Role.UNIT_LEADER)

    response = admin_client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.object_id == str(membership.pk) and event.before["role"] == "unit_leader"


def test_a_password_change_is_audited_without_the_password(admin_client, make):
    user = make.user("dan")

    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "mat-khau-moi-dai", "password2": "mat-khau-moi-dai", "usable_password": "true"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mat-khau-moi-dai")
    event = AuditEvent.objects.get(action="admin.change", object_id=str(user.pk))
    assert event.after == {"password": "(đã đổi)"}


def test_a_new_user_is_audited_without_the_password(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "moi",
            "full_name": "Người Mới",
            "usable_password": "true",
            "password1": "mat-khau-rat-dai",
            "password2": "mat-khau-rat-dai",
            **EMPTY_INLINE,
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.create")
    assert event.object_id == str(User.objects.get(username="moi").pk)
    assert "mat-khau-rat-dai" not in str(event.after)


def test_an_api_token_secret_is_shown_once_and_only_its_hash_kept(admin_client, make):
    owner = make.user("tichhop")

    page = admin_client.post("/admin/accounts/apitoken/add/", {"user": owner.pk, "name": "Cổng quốc gia"})

    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("mc_") and secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.user == owner and token.key_hash != secret
    listing = admin_client.get("/admin/accounts/apitoken/").content.decode()
    assert secret not in listing and token.key_hash not in listing
    assert secret not in admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()


def test_tokens_are_revoked_by_an_admin_action(admin_client, make):
    owner = make.user()
    admin_client.post("/admin/accounts/apitoken/add/", {"user": owner.pk, "name": "a"})
    token = ApiToken.objects.get()

    admin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
        follow=True,
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.revoke_token").count() == 1


def test_failed_sign_ins_are_read_only(admin_client):
    attempt = SignInAttempt.objects.create(username="x", ip="10.0.0.1", at=timezone.now())
    assert admin_client.get("/admin/accounts/signinattempt/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/accounts/signinattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_the_admin_refuses_a_citizen_membership(admin_client, make):
    user, unit = make.user(), make.unit()

    page = admin_client.post(
        "/admin/accounts/membership/add/", {"user": user.pk, "unit": unit.pk, "role": Role.CITIZEN}
    )

    assert page.status_code == 200
    assert "Công dân không giữ vai trò trong đơn vị." in page.content.decode()
    assert not Membership.objects.exists()
