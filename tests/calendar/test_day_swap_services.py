"""Changing the swaps and office hours: who may, what is checked, the audit trail, the cache."""

import datetime as dt

import pytest

from motcua.accounts.choices import Role
from motcua.audit.models import AuditEvent
from motcua.calendar import services as cal
from motcua.calendar.models import DaySwap, WorkingHours
from motcua.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2023, 3, 13)
SATURDAY = dt.date(2023, 3, 18)


@pytest.fixture
def admin_user(make):
    return make.user(role=Role.PROVINCE_ADMIN, unit=make.unit(level="province"))


def swap(actor, day=MONDAY, kind="day_off", **fields):
    return cal.save_day_swap(
        actor=actor,
        date=day,
        kind=kind,
        description=fields.get("description", "Nghỉ thử"),
        legal_basis=fields.get("legal_basis", "Công văn thử"),
        swap_id=fields.get("swap_id"),
    )


def test_a_province_administrator_declares_a_day_off_and_it_takes_effect_at_once(admin_user):
    assert cal.is_working_day(MONDAY)
    created = swap(admin_user)
    assert not cal.is_working_day(MONDAY)
    event = AuditEvent.objects.get(action="calendar.day_swap.create", object_id=str(created.pk))
    assert event.actor_id == admin_user.pk
    assert event.before is None
    assert event.after == {
        "date": "2023-03-13",
        "kind": "day_off",
        "description": "Nghỉ thử",
        "legal_basis": "Công văn thử",
    }


def test_a_make_up_saturday_becomes_a_working_day(admin_user):
    swap(admin_user, SATURDAY, "working_day")
    assert cal.is_working_day(SATURDAY)
    assert cal.add_working_days(dt.date(2023, 3, 17), 1) == SATURDAY


def test_saving_the_same_swap_again_changes_nothing_and_records_nothing(admin_user):
    first = swap(admin_user)
    again = swap(admin_user)
    assert again.pk == first.pk
    assert DaySwap.objects.filter(date=MONDAY).count() == 1
    assert AuditEvent.objects.filter(object_type="calendar.dayswap", object_id=str(first.pk)).count() == 1


def test_a_change_records_before_and_after(admin_user):
    first = swap(admin_user)
    swap(admin_user, description="Nghỉ bù đã sửa", swap_id=first.pk)
    event = AuditEvent.objects.get(action="calendar.day_swap.update")
    assert event.before["description"] == "Nghỉ thử"
    assert event.after["description"] == "Nghỉ bù đã sửa"


def test_moving_a_swap_onto_another_swap_s_date_is_refused(admin_user):
    first = swap(admin_user)
    swap(admin_user, dt.date(2023, 3, 14))
    with pytest.raises(InvalidInput) as err:
        swap(admin_user, dt.date(2023, 3, 14), swap_id=first.pk)
    assert err.value.field == "date"


def test_deleting_a_swap_restores_the_day_and_is_recorded(admin_user):
    created = swap(admin_user)
    assert not cal.is_working_day(MONDAY)
    cal.delete_day_swap(actor=admin_user, swap_id=created.pk)
    assert cal.is_working_day(MONDAY)
    event = AuditEvent.objects.get(action="calendar.day_swap.delete")
    assert event.before["date"] == "2023-03-13" and event.after is None


@pytest.mark.parametrize(
    ("day", "kind", "field"),
    [
        (SATURDAY, "day_off", "date"),  # a day off must be a weekday
        (MONDAY, "working_day", "date"),  # an ordinary Monday is already a working day
        (MONDAY, "holiday", "kind"),
        (dt.date(1989, 3, 13), "day_off", "date"),
    ],
)
def test_implausible_swaps_are_refused_naming_the_field(admin_user, day, kind, field):
    with pytest.raises(InvalidInput) as err:
        swap(admin_user, day, kind)
    assert err.value.field == field
    assert not DaySwap.objects.filter(date=day).exists()


def test_a_swap_needs_a_description_and_a_legal_basis(admin_user):
    with pytest.raises(InvalidInput) as err:
        swap(admin_user, legal_basis="  ")
    assert err.value.field == "legal_basis"


def test_only_calendar_managers_may_change_swaps(make, admin_user):
    officer = make.user(role=Role.COUNTER_OFFICER, unit=make.unit())
    with pytest.raises(Forbidden):
        swap(officer)
    with pytest.raises(Forbidden):
        swap(make.citizen())
    superuser = make.user(is_superuser=True, is_staff=True)
    assert swap(superuser).pk
    created = DaySwap.objects.get(date=MONDAY)
    with pytest.raises(Forbidden):
        cal.delete_day_swap(actor=officer, swap_id=created.pk)
    assert cal.can_manage_calendar(admin_user)
    assert not cal.can_manage_calendar(officer)
    assert not cal.can_manage_calendar(None)


def test_office_hours_are_saved_checked_and_recorded(admin_user):
    hours = cal.save_working_hours(
        actor=admin_user,
        valid_from=dt.date(2025, 1, 1),
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 0),
        afternoon_end=dt.time(17, 0),
    )
    assert AuditEvent.objects.get(action="calendar.working_hours.create").after["morning_start"] == "07:30:00"
    with pytest.raises(InvalidInput) as err:
        cal.save_working_hours(
            actor=admin_user,
            valid_from=dt.date(2026, 1, 1),
            morning_start=dt.time(7, 30),
            morning_end=dt.time(14, 0),
            afternoon_start=dt.time(13, 0),
            afternoon_end=dt.time(17, 0),
        )
    assert err.value.field == "afternoon_start"
    cal.delete_working_hours(actor=admin_user, hours_id=hours.pk)
    assert not WorkingHours.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.working_hours.delete").count() == 1


def test_a_change_made_by_another_process_is_noticed_after_the_recheck_interval(admin_user, monkeypatch):
    assert cal.is_working_day(MONDAY)
    # Another process writes the row: this process's cache does not know.
    DaySwap.objects.create(date=MONDAY, kind="day_off", description="Nghỉ", legal_basis="Công văn")
    assert cal.is_working_day(MONDAY)
    monkeypatch.setattr(cal, "RECHECK_SECONDS", 0.0)
    assert not cal.is_working_day(MONDAY)


def test_bulk_code_can_hold_its_own_calendar_without_queries(admin_user, django_assert_num_queries):
    swap(admin_user)
    calendar = cal.load_calendar()
    with django_assert_num_queries(0):
        assert not calendar.is_working_day(MONDAY)
        calendar.due_date(dt.datetime(2023, 3, 10, 9), 5, "working")
