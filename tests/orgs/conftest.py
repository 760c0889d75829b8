"""Fixtures for the orgs tests: the shipped Hà Tĩnh units, loaded into the test database."""

import datetime as dt

import pytest

from motcua.orgs.models import Unit
from motcua.orgs.services import load_units

DAY_2023 = dt.date(2023, 12, 31)
DAY_2025 = dt.date(2025, 7, 1)


@pytest.fixture
def ha_tinh(db):
    """Load the shipped units of province 42; returns a lookup by unit name."""
    load_units("42", DAY_2023)

    def by_name(name: str) -> Unit:
        return Unit.objects.get(name=name)

    return by_name
