"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL names one."""

import pytest
from django.db import connection

from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the production hasher (checked in tests/accounts); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PAYMENT_SIMULATOR = True
    # The in-process scorecard refresher would touch the test database from another thread;
    # tests of freshness turn it back on themselves.
    settings.MOTCUA_SCORECARD_REFRESH = "off"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # The working calendar is cached per process; a swap rolled back with a test must not linger.
    from motcua.calendar import services as cal

    cal.invalidate_cache()
    yield
    cal.invalidate_cache()


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def make():
    """The test factories: `make.unit(...)`, `make.user(...)`, `make.procedure(...)`."""
    return factories
