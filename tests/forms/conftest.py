import pytest

from tests.payments.builders import office as build_office


@pytest.fixture
def office(db):
    return build_office()
