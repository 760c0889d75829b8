"""Working time inside office hours, and moving a deadline after a supplement pause."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.calendar import services as cal
from motcua.calendar.working_calendar import OfficeHours, WorkingCalendar
from motcua.errors import InvalidInput

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = dt.timedelta(hours=1)


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def test_only_office_hours_count(bundled):
    assert bundled.working_time_between(vn(2023, 3, 8, 8), vn(2023, 3, 8, 10)) == 2 * H
    # 11:00–14:00 crosses the lunch break (11:30–13:30).
    assert bundled.working_time_between(vn(2023, 3, 8, 11), vn(2023, 3, 8, 14)) == H
    assert bundled.working_time_between(vn(2023, 3, 8, 5), vn(2023, 3, 8, 22)) == 8 * H


def test_nights_weekends_and_holidays_do_not_count(bundled):
    # Friday 10:00 to Tuesday 09:00: 5 h on Friday, a full Monday, 2 h on Tuesday.
    assert bundled.working_time_between(vn(2023, 3, 3, 10), vn(2023, 3, 7, 9)) == 15 * H
    # Tết 2023: from Thursday 19/1 at 16:00 to Friday 27/1 at 08:00.
    assert bundled.working_time_between(vn(2023, 1, 19, 16), vn(2023, 1, 27, 8)) == 2 * H


def test_a_make_up_saturday_counts_in_full(bundled):
    assert bundled.working_time_between(vn(2024, 5, 4, 0), vn(2024, 5, 5, 0)) == 8 * H


def test_no_working_time_when_the_end_is_not_after_the_start(bundled):
    assert bundled.working_time_between(vn(2023, 3, 8, 10), vn(2023, 3, 8, 10)) == dt.timedelta()
    assert bundled.working_time_between(vn(2023, 3, 8, 10), vn(2023, 3, 7, 10)) == dt.timedelta()


def test_time_zones_are_converted_before_counting(bundled):
    # 01:00Z–03:00Z is 08:00–10:00 in Vietnam.
    start = dt.datetime(2023, 3, 8, 1, tzinfo=dt.UTC)
    assert bundled.working_time_between(start, start + 2 * H) == 2 * H


def test_adding_working_time_skips_the_evening_and_the_weekend(bundled):
    assert bundled.add_working_time(vn(2023, 3, 3, 16, 30), H) == vn(2023, 3, 6, 7, 30)
    assert bundled.add_working_time(vn(2023, 3, 8, 22), H) == vn(2023, 3, 9, 8)


def test_working_time_ending_at_the_end_of_a_session_stops_there(bundled):
    assert bundled.add_working_time(vn(2023, 3, 8, 10), dt.timedelta(hours=1, minutes=30)) == vn(
        2023, 3, 8, 11, 30
    )
    assert bundled.add_working_time(vn(2023, 3, 8, 7), 8 * H) == vn(2023, 3, 8, 17)


def test_adding_no_time_leaves_the_instant_alone_and_negative_time_is_refused(bundled):
    assert bundled.add_working_time(vn(2023, 3, 11, 20), dt.timedelta()) == vn(2023, 3, 11, 20)
    with pytest.raises(InvalidInput) as err:
        bundled.add_working_time(vn(2023, 3, 8, 10), -H)
    assert err.value.field == "span"


def test_a_deadline_extended_by_a_working_day_moves_to_the_next_working_day(bundled):
    due = vn(2023, 3, 10, 17)
    assert bundled.extend_by_working_time(due, 8 * H) == vn(2023, 3, 13, 17)
    assert bundled.extend_by_working_time(due, dt.timedelta()) == due


def test_resuming_after_a_pause_moves_the_deadline_by_the_pause_in_working_time(bundled):
    # Due Friday 10/03 17:00; paused Tuesday 07/03 09:00, resumed Thursday 09/03 09:00: 16 h.
    due = vn(2023, 3, 10, 17)
    assert bundled.resume_deadline(due, vn(2023, 3, 7, 9), vn(2023, 3, 9, 9)) == vn(2023, 3, 14, 17)
    # The same pause over a weekend costs nothing more than the working time it held.
    assert bundled.resume_deadline(due, vn(2023, 3, 10, 17), vn(2023, 3, 13, 7)) == due


def test_the_remaining_working_time_is_what_a_pause_keeps(bundled):
    due = vn(2023, 3, 10, 17)
    remaining = bundled.remaining_working_time(due, vn(2023, 3, 9, 13, 30))
    assert remaining == dt.timedelta(hours=11, minutes=30)
    assert bundled.remaining_working_time(due, vn(2023, 3, 11, 9)) == dt.timedelta()
    # Stopping the clock at the pause and starting it again at resumption gives the same deadline.
    resumed = vn(2023, 3, 16, 8)
    assert bundled.add_working_time(resumed, remaining) == bundled.resume_deadline(
        due, vn(2023, 3, 9, 13, 30), resumed
    )


def test_office_hours_in_force_on_each_day_are_used():
    calendar = WorkingCalendar(
        hours=[
            OfficeHours(dt.date(2025, 1, 1), dt.time(7, 30), dt.time(11, 30), dt.time(13, 0), dt.time(17, 0))
        ]
    )
    assert calendar.working_time_between(vn(2024, 12, 31, 0), vn(2025, 1, 1, 0)) == 8 * H
    assert calendar.working_time_between(vn(2025, 1, 2, 0), vn(2025, 1, 3, 0)) == dt.timedelta(hours=8)
    assert calendar.working_time_between(vn(2025, 1, 2, 7), vn(2025, 1, 2, 8)) == dt.timedelta(minutes=30)
    assert calendar.working_time_between(vn(2025, 1, 2, 12, 30), vn(2025, 1, 2, 13, 30)) == dt.timedelta(
        minutes=30
    )
    # Full days on both sides of the change: Mon 30/12/2024 .. Fri 03/01/2025 (1/1 is a holiday).
    assert calendar.working_time_between(vn(2024, 12, 30, 0), vn(2025, 1, 4, 0)) == 4 * 8 * H


@pytest.mark.django_db
def test_the_working_hours_row_in_force_is_read_from_the_database():
    cal.save_working_hours(
        actor=None,
        valid_from=dt.date(2025, 1, 1),
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 0),
        afternoon_end=dt.time(17, 0),
    )
    assert cal.working_time_between(vn(2025, 1, 2, 12, 30), vn(2025, 1, 2, 13, 30)) == dt.timedelta(
        minutes=30
    )
    assert cal.working_time_between(vn(2024, 12, 31, 12, 30), vn(2024, 12, 31, 13, 30)) == dt.timedelta()
    assert cal.add_working_time(vn(2025, 1, 2, 11, 30), H) == vn(2025, 1, 2, 14)
    assert cal.extend_by_working_time(vn(2025, 1, 2, 17), H) == vn(2025, 1, 3, 8, 30)
    assert cal.remaining_working_time(vn(2025, 1, 2, 17), vn(2025, 1, 2, 16)) == H
    # Half an hour paused: the 17:00 deadline moves to half an hour into the next morning (07:30).
    assert cal.resume_deadline(vn(2025, 1, 2, 17), vn(2025, 1, 2, 16), vn(2025, 1, 2, 16, 30)) == vn(
        2025, 1, 3, 8
    )
