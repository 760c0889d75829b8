"""`motcua create-official` and `motcua create-token`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_official_with_a_password(make):
    make.unit("H42.01")

    out = StringIO()
    call_command(
        "create_official",
        "canbo",
        "--unit",
        "H42.01",
        "--role",
        "counter_officer",
        "--password",
        "mat-khau-rat-dai",
        "--full-name",
        "Võ Thị Cán",
        stdout=out,
    )

    user = User.objects.get(username="canbo")
    assert user.check_password("mat-khau-rat-dai") and user.full_name == "Võ Thị Cán"
    assert user.memberships.get().unit.code == "H42.01"
    assert "Đã tạo cán bộ canbo" in out.getvalue()


def test_create_official_generates_a_password_when_none_is_given(make, monkeypatch):
    make.unit("H42.01")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    out = StringIO()
    call_command("create_official", "canbo", "--unit", "H42.01", "--role", "unit_leader", stdout=out)

    password = out.getvalue().split("một lần): ")[1].strip()
    assert User.objects.get(username="canbo").check_password(password)


def test_create_official_names_an_unknown_unit():
    with pytest.raises(CommandError, match="KHONG"):
        call_command(
            "create_official", "canbo", "--unit", "KHONG", "--role", "unit_leader", "--password", "x" * 12
        )


def test_create_official_reports_a_taken_username(make):
    make.unit("H42.01")
    make.user("canbo")
    with pytest.raises(CommandError, match="username: Tên đăng nhập “canbo” đã có người dùng"):
        call_command(
            "create_official", "canbo", "--unit", "H42.01", "--role", "unit_leader", "--password", "x" * 12
        )


def test_create_token_prints_a_working_secret(make):
    make.user("tichhop")

    out = StringIO()
    call_command("create_token", "tichhop", "--name", "Cổng quốc gia", "--expires-days", "30", stdout=out)

    secret = out.getvalue().strip()
    response = Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.json()["username"] == "tichhop"


def test_create_token_names_an_unknown_user():
    with pytest.raises(CommandError, match="khongai"):
        call_command("create_token", "khongai", "--name", "x")
