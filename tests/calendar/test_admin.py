"""The calendar back office: swaps and office hours edited through the services, with audit."""

import datetime as dt

import pytest

from motcua.accounts.choices import Role
from motcua.audit.models import AuditEvent
from motcua.calendar import services as cal
from motcua.calendar.models import DaySwap, WorkingHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, make):
    user = make.user(is_superuser=True, is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def test_adding_a_swap_in_the_admin_goes_through_the_service(superuser_client):
    response = superuser_client.post(
        "/admin/calendar/dayswap/add/",
        {"date": "2023-03-13", "kind": "day_off", "description": "Nghỉ thử", "legal_basis": "Công văn thử"},
    )
    assert response.status_code == 302
    swap = DaySwap.objects.get(date=dt.date(2023, 3, 13))
    event = AuditEvent.objects.get(action="calendar.day_swap.create")
    assert event.object_id == str(swap.pk) and event.actor_id == superuser_client.user.pk
    assert event.ip == "127.0.0.1"
    assert not cal.is_working_day(dt.date(2023, 3, 13))


def test_an_implausible_swap_is_shown_as_a_form_error(superuser_client):
    response = superuser_client.post(
        "/admin/calendar/dayswap/add/",
        {"date": "2023-03-18", "kind": "day_off", "description": "Nghỉ thứ Bảy", "legal_basis": "CV"},
    )
    assert response.status_code == 200
    assert "phải là ngày từ thứ Hai đến thứ Sáu" in response.content.decode()
    assert not DaySwap.objects.filter(date=dt.date(2023, 3, 18)).exists()


def test_editing_and_deleting_a_swap_are_recorded(superuser_client):
    swap = cal.save_day_swap(
        actor=None, date=dt.date(2023, 3, 13), kind="day_off", description="A", legal_basis="B"
    )
    response = superuser_client.post(
        f"/admin/calendar/dayswap/{swap.pk}/change/",
        {"date": "2023-03-14", "kind": "day_off", "description": "A", "legal_basis": "B"},
    )
    assert response.status_code == 302
    assert DaySwap.objects.get(pk=swap.pk).date == dt.date(2023, 3, 14)
    assert cal.is_working_day(dt.date(2023, 3, 13)) and not cal.is_working_day(dt.date(2023, 3, 14))
    response = superuser_client.post(f"/admin/calendar/dayswap/{swap.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not DaySwap.objects.filter(pk=swap.pk).exists()
    assert [
        e.action for e in AuditEvent.objects.filter(object_id=str(swap.pk), object_type="calendar.dayswap")
    ] == [
        "calendar.day_swap.create",
        "calendar.day_swap.update",
        "calendar.day_swap.delete",
    ]


def test_bulk_delete_goes_through_the_service_for_each_row(superuser_client):
    ids = [s.pk for s in DaySwap.objects.filter(date__year=2024)]
    response = superuser_client.post(
        "/admin/calendar/dayswap/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not DaySwap.objects.filter(date__year=2024).exists()
    assert AuditEvent.objects.filter(action="calendar.day_swap.delete").count() == len(ids)
    # The `holidays` package still knows the 2024 swap; only the row (and its legal basis) is gone.
    status = cal.day_status(dt.date(2024, 5, 4))
    assert status.working and status.legal_basis == ""


def test_the_list_shows_weekday_and_filters_by_year(superuser_client):
    page = superuser_client.get("/admin/calendar/dayswap/?year=2024").content.decode()
    assert "04/05/2024" in page and "Thứ Bảy" in page
    assert "26/04/2025" not in page


def test_staff_without_the_province_administrator_role_cannot_edit(client, make):
    staff = make.user(is_staff=True, role=Role.UNIT_LEADER, unit=make.unit())
    client.force_login(staff)
    response = client.post(
        "/admin/calendar/dayswap/add/",
        {"date": "2023-03-13", "kind": "day_off", "description": "A", "legal_basis": "B"},
    )
    assert response.status_code == 403
    assert not DaySwap.objects.filter(date=dt.date(2023, 3, 13)).exists()


def test_office_hours_are_edited_in_the_admin(superuser_client):
    data = {
        "valid_from": "2025-01-01",
        "morning_start": "07:30",
        "morning_end": "11:30",
        "afternoon_start": "13:00",
        "afternoon_end": "17:00",
    }
    assert superuser_client.post("/admin/calendar/workinghours/add/", data).status_code == 302
    assert WorkingHours.objects.get().morning_start == dt.time(7, 30)
    assert AuditEvent.objects.filter(action="calendar.working_hours.create").count() == 1
    bad = dict(data, valid_from="2026-01-01", afternoon_end="12:00")
    response = superuser_client.post("/admin/calendar/workinghours/add/", bad)
    assert response.status_code == 200 and WorkingHours.objects.count() == 1
