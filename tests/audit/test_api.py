"""GET /api/audit/events is for province administrators and superusers only."""

import pytest

from motcua.accounts.choices import Role
from motcua.audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(make):
    unit = make.unit("H42.01")
    record_event(actor=None, action="test.other")
    for n in range(3):
        record_event(actor=None, action=f"test.unit.{n}", obj=unit)
    return unit


def test_a_province_administrator_reads_the_newest_events_first(client, make, events):
    client.force_login(make.user(unit=make.unit(), role=Role.PROVINCE_ADMIN))

    response = client.get(
        "/api/audit/events", {"object_type": "orgs.unit", "object_id": events.pk, "limit": 2}
    )

    assert response.status_code == 200
    assert [e["action"] for e in response.json()] == ["test.unit.2", "test.unit.1"]
    assert response.json()[0]["hash"]


def test_a_superuser_reads_every_event(client, make, events):
    client.force_login(make.user(is_superuser=True))
    assert len(client.get("/api/audit/events").json()) == 4


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.REFORM_MANAGER, Role.COUNTER_OFFICER])
def test_other_officials_are_refused(client, make, events, role):
    client.force_login(make.user(unit=events, role=role))

    response = client.get("/api/audit/events")

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_anonymous_callers_must_sign_in(client, events):
    response = client.get("/api/audit/events")
    assert response.status_code == 401
    assert response.json() == {"error": "unauthenticated", "detail": "Cần đăng nhập"}


def test_the_limit_is_bounded(client, make, events):
    client.force_login(make.user(is_superuser=True))
    assert client.get("/api/audit/events", {"limit": 100000}).status_code == 422
