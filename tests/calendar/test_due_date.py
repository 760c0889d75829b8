"""Due dates computed from a receipt (indicators.md "Due date when absent")."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.calendar import services as cal
from motcua.errors import InvalidInput

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def due(calendar, received: str, n: int, kind: str = "working") -> dt.date:
    value = calendar.due_date(at(received), n, kind)
    assert value.time() == dt.time(17, 0) and value.utcoffset() == dt.timedelta(hours=7)
    return value.date()


# The tiny bundle of spec/examples/tiny: received_at, the procedure's time limit and kind, due date.
@pytest.mark.parametrize(
    ("code", "received", "n", "kind", "expected"),
    [
        ("D1 after 17:00 on a Friday", "2023-03-03T18:30:00+07:00", 10, "working", dt.date(2023, 3, 20)),
        ("D2 on a Saturday", "2023-10-07T09:00:00+07:00", 10, "working", dt.date(2023, 10, 23)),
        ("D3 at 17:00:00 exactly, N = 0", "2023-03-10T17:00:00+07:00", 0, "working", dt.date(2023, 3, 10)),
        ("D4 Sunday 17:00 given in UTC", "2023-10-08T10:00:00Z", 0, "working", dt.date(2023, 10, 9)),
        ("D5 calendar days, naive", "2023-03-02T10:00:00", 3, "calendar", dt.date(2023, 3, 6)),
        (
            "D6 across New Year 2023 observed",
            "2022-12-20T09:00:00+07:00",
            15,
            "working",
            dt.date(2023, 1, 11),
        ),
        ("D8 received at 2024-01-01 00:00", "2023-12-31T17:00:00Z", 3, "working", dt.date(2024, 1, 5)),
        ("D9", "2023-06-15T09:00:00+07:00", 10, "working", dt.date(2023, 6, 29)),
        ("D12 N = 0", "2023-12-11T09:00:00+07:00", 0, "working", dt.date(2023, 12, 11)),
        ("D13 across 1/1/2024", "2023-12-12T09:00:00+07:00", 15, "working", dt.date(2024, 1, 3)),
    ],
)
def test_the_worked_examples_of_the_tiny_bundle(bundled, code, received, n, kind, expected):
    assert due(bundled, received, n, kind) == expected


def test_d7_received_on_new_years_eve_counts_from_2_january(bundled):
    # Sunday 31/12/2023 23:59:59 → receipt day Tue 02/01/2024 (1/1 is a holiday); 3 working days.
    # The bundle carries its own due_at (04/01/2024) for D7, so this computed date is not used there.
    assert bundled.receipt_day(at("2023-12-31T16:59:59Z")) == dt.date(2024, 1, 2)
    assert due(bundled, "2023-12-31T16:59:59Z", 3) == dt.date(2024, 1, 5)


def test_17_00_00_still_counts_for_the_day_and_a_moment_later_does_not(bundled):
    assert bundled.receipt_day(at("2023-03-08T16:59:59+07:00")) == dt.date(2023, 3, 8)
    assert bundled.receipt_day(at("2023-03-08T17:00:00+07:00")) == dt.date(2023, 3, 8)
    assert bundled.receipt_day(at("2023-03-08T17:00:00.000001+07:00")) == dt.date(2023, 3, 8) + dt.timedelta(
        1
    )
    assert bundled.receipt_day(at("2023-03-08T17:00:01+07:00")) == dt.date(2023, 3, 9)


def test_the_date_is_taken_in_vietnam_time(bundled):
    # 2023-03-08T20:00Z is Thursday 03:00 in Vietnam: counts for Thursday.
    assert bundled.receipt_day(at("2023-03-08T20:00:00Z")) == dt.date(2023, 3, 9)
    # 09:30Z is 16:30 in Vietnam: still the same day.
    assert bundled.receipt_day(at("2023-03-08T09:30:00Z")) == dt.date(2023, 3, 8)


def test_a_naive_time_stamp_is_vietnam_time(bundled):
    assert bundled.due_date(at("2023-03-03T18:30:00"), 10, "working") == dt.datetime(
        2023, 3, 20, 17, tzinfo=VN
    )


def test_received_after_hours_before_tet_2023_counts_from_27_january(bundled):
    assert bundled.receipt_day(at("2023-01-19T17:30:00+07:00")) == dt.date(2023, 1, 27)
    assert due(bundled, "2023-01-19T17:30:00+07:00", 3) == dt.date(2023, 2, 1)


def test_received_after_hours_before_tet_2024_counts_from_15_february(bundled):
    assert bundled.receipt_day(at("2024-02-07T17:30:00+07:00")) == dt.date(2024, 2, 15)
    assert due(bundled, "2024-02-07T17:30:00+07:00", 2) == dt.date(2024, 2, 19)


def test_30_april_2023_without_a_make_up_saturday(bundled):
    assert bundled.receipt_day(at("2023-04-28T18:00:00+07:00")) == dt.date(2023, 5, 4)
    assert due(bundled, "2023-04-28T18:00:00+07:00", 2) == dt.date(2023, 5, 8)


def test_the_make_up_saturday_of_4_may_2024_counts_in_a_due_date(bundled):
    # Receipt day Thu 02/05; then Fri 03/05 (1) and Saturday 04/05 (2), worked in exchange for 29/04.
    assert bundled.receipt_day(at("2024-04-26T17:30:00+07:00")) == dt.date(2024, 5, 2)
    assert due(bundled, "2024-04-26T17:30:00+07:00", 2) == dt.date(2024, 5, 4)


def test_a_dossier_received_on_a_make_up_saturday_counts_that_day(bundled):
    assert due(bundled, "2025-04-26T09:00:00+07:00", 0) == dt.date(2025, 4, 26)
    assert due(bundled, "2025-04-26T09:00:00+07:00", 1) == dt.date(2025, 4, 28)


def test_new_year_2026_swap_in_a_due_date(bundled):
    # 1/1 holiday, Fri 2/1 swapped off, weekend: receipt Mon 05/01; Saturday 10/01 is worked.
    assert bundled.receipt_day(at("2025-12-31T17:30:00+07:00")) == dt.date(2026, 1, 5)
    assert due(bundled, "2026-01-09T10:00:00+07:00", 1) == dt.date(2026, 1, 10)


def test_calendar_days_count_from_the_receipt_date_without_the_17_00_cut_off(bundled):
    assert due(bundled, "2023-03-02T18:00:00+07:00", 1, "calendar") == dt.date(2023, 3, 3)
    assert due(bundled, "2023-03-04T10:00:00+07:00", 0, "calendar") == dt.date(2023, 3, 6)


def test_calendar_days_landing_in_a_holiday_move_to_the_next_working_day(bundled):
    assert due(bundled, "2023-04-26T10:00:00+07:00", 3, "calendar") == dt.date(2023, 5, 4)


def test_an_empty_day_kind_means_working_days(bundled):
    assert due(bundled, "2023-03-03T18:30:00+07:00", 10, "") == dt.date(2023, 3, 20)


def test_negative_durations_and_unknown_kinds_are_refused_naming_the_field(bundled):
    with pytest.raises(InvalidInput) as err:
        bundled.due_date(at("2023-03-03T10:00:00+07:00"), -1, "working")
    assert err.value.field == "duration_days"
    with pytest.raises(InvalidInput) as err:
        bundled.due_date(at("2023-03-03T10:00:00+07:00"), 3, "weeks")
    assert err.value.field == "day_kind"


@pytest.mark.django_db
def test_the_module_function_gives_the_same_due_dates():
    value = cal.due_date(at("2024-04-26T17:30:00+07:00"), 2, "working")
    assert value == dt.datetime(2024, 5, 4, 17, tzinfo=VN)
    assert str(value.tzinfo) == "Asia/Ho_Chi_Minh"
    assert cal.receipt_day(at("2023-10-08T10:00:00Z")) == dt.date(2023, 10, 9)
