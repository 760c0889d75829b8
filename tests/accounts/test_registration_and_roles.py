"""Registering citizens and organisations, creating officials, granting and revoking roles: all audited."""

import pytest

from motcua.accounts import services
from motcua.accounts.choices import Role
from motcua.accounts.models import Membership
from motcua.audit.models import AuditEvent
from motcua.errors import Forbidden, InvalidInput, NotFound

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-rat-dai"


def test_a_person_registers_with_their_citizen_id():
    user = services.register_citizen(password=PASSWORD, full_name=" Lê Văn Dân ", citizen_id="042095000123")

    assert (user.username, user.applicant_kind, user.full_name) == ("042095000123", "person", "Lê Văn Dân")
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="accounts.register")
    assert event.actor_id == user.pk and event.after["citizen_id"] == "042095000123"
    assert "password" not in event.after


def test_an_organisation_branch_registers_with_its_tax_code():
    user = services.register_citizen(
        password=PASSWORD,
        full_name="Phạm Đại Diện",
        tax_code="0100109106001",
        organization_name="Chi nhánh Hà Tĩnh",
    )
    assert (user.username, user.tax_code, user.applicant_kind) == (
        "0100109106-001",
        "0100109106-001",
        "organization",
    )


def test_a_citizen_id_registers_only_once():
    services.register_citizen(password=PASSWORD, full_name="Một", citizen_id="042095000123")
    with pytest.raises(InvalidInput) as error:
        services.register_citizen(password=PASSWORD, full_name="Hai", citizen_id="042095000123")
    assert error.value.field == "citizen_id"
    assert error.value.message == "Số định danh cá nhân này đã được đăng ký."


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"citizen_id": "42095000123"}, "citizen_id", "12 chữ số"),
        ({"tax_code": "0100109107", "organization_name": "Công ty"}, "tax_code", "chữ số kiểm tra"),
        ({"tax_code": "0100109106"}, "organization_name", "Tên tổ chức"),
        ({}, "citizen_id", "Cần đúng một"),
        ({"citizen_id": "042095000123", "tax_code": "0100109106"}, "citizen_id", "Cần đúng một"),
    ],
)
def test_registration_names_the_wrong_field(fields, field, words):
    with pytest.raises(InvalidInput) as error:
        services.register_citizen(password=PASSWORD, full_name="Ai đó", **fields)
    assert error.value.field == field
    assert words in error.value.message


def test_a_weak_password_is_refused():
    with pytest.raises(InvalidInput) as error:
        services.register_citizen(password="123", full_name="Ai đó", citizen_id="042095000123")
    assert error.value.field == "password"


def test_a_province_administrator_creates_an_official(make):
    unit = make.unit("H42.01")
    admin = make.user(unit=make.unit(), role=Role.PROVINCE_ADMIN)

    official = services.create_official(
        "canbo01", PASSWORD, "Hoàng Văn Cán", unit, Role.COUNTER_OFFICER, admin
    )

    assert official.memberships.get().role == Role.COUNTER_OFFICER
    actions = list(AuditEvent.objects.values_list("action", "actor_id"))
    assert actions == [("accounts.create_official", admin.pk), ("accounts.grant_role", admin.pk)]


def test_an_officer_cannot_create_officials(make):
    unit = make.unit()
    leader = make.user(unit=unit, role=Role.UNIT_LEADER)
    with pytest.raises(Forbidden):
        services.create_official("canbo02", PASSWORD, "Ai", unit, Role.COUNTER_OFFICER, leader)


def test_an_official_needs_a_staff_role(make):
    with pytest.raises(InvalidInput) as error:
        services.create_official("canbo03", PASSWORD, "Ai", make.unit(), Role.CITIZEN, None)
    assert error.value.field == "role"


def test_granting_a_held_role_again_changes_nothing(make):
    unit = make.unit()
    user = make.user()
    first = services.grant_role(user, unit, Role.PROCESSING_OFFICER, None, title="Chuyên viên")
    again = services.grant_role(user, unit, Role.PROCESSING_OFFICER, None)

    assert first == again
    assert AuditEvent.objects.filter(action="accounts.grant_role").count() == 1
    assert AuditEvent.objects.get(action="accounts.grant_role").after["title"] == "Chuyên viên"


def test_revoking_a_role_is_audited_with_what_it_was(make):
    unit = make.unit("H42.05")
    user = make.user("canbo05", unit=unit, role=Role.COUNTER_OFFICER)

    services.revoke_role(user, unit, Role.COUNTER_OFFICER, None)

    assert not Membership.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="accounts.revoke_role")
    assert event.before == {
        "user": "canbo05",
        "unit": "H42.05",
        "role": "counter_officer",
        "title": "",
        "valid_from": None,
        "valid_to": None,
    }
    with pytest.raises(NotFound):
        services.revoke_role(user, unit, Role.COUNTER_OFFICER, None)
