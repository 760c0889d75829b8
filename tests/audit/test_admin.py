"""The audit log is read-only in the admin."""

import pytest

from motcua.audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, make):
    client.force_login(make.user(is_superuser=True, is_staff=True))
    return client


def test_events_can_be_listed_and_viewed(superuser_client):
    event = record_event(actor=None, action="test.visible")

    assert superuser_client.get("/admin/audit/auditevent/").status_code == 200
    page = superuser_client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert "test.visible" in page.content.decode()
    assert b'name="_save"' not in page.content


def test_events_cannot_be_added_changed_or_deleted(superuser_client):
    event = record_event(actor=None, action="test.sealed")

    assert superuser_client.get("/admin/audit/auditevent/add/").status_code == 403
    assert (
        superuser_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"}).status_code
        == 403
    )
    assert (
        superuser_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.action == "test.sealed"
