"""Passwords are hashed with Argon2 in production."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings

import motcua.settings


def test_argon2_is_the_production_hasher():
    # The module itself, not django.conf.settings, which tests/conftest.py points at MD5 for speed.
    assert motcua.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@override_settings(PASSWORD_HASHERS=motcua.settings.PASSWORD_HASHERS)
@pytest.mark.django_db
def test_a_new_password_is_stored_as_an_argon2_hash(make):
    user = make.user(password="mật-khẩu-đủ-dài-2026")

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("mật-khẩu-đủ-dài-2026")
    assert not user.check_password("mật-khẩu-sai")


@override_settings(PASSWORD_HASHERS=motcua.settings.PASSWORD_HASHERS)
def test_an_older_pbkdf2_hash_still_verifies():
    legacy = make_password("cũ-nhưng-đúng", hasher="pbkdf2_sha256")
    assert check_password("cũ-nhưng-đúng", legacy)
