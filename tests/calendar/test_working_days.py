"""Which days are working days: weekends, public holidays and observed days, and the yearly swaps."""

import datetime as dt

import pytest

from motcua.calendar import services as cal
from motcua.calendar.working_calendar import DAY_OFF, WORKING_DAY, SwapDay, WorkingCalendar
from motcua.errors import InvalidInput

D = dt.date


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_monday_to_friday_work_and_the_weekend_does_not(bundled):
    assert [bundled.is_working_day(d) for d in days(D(2023, 3, 6), D(2023, 3, 12))] == [True] * 5 + [
        False
    ] * 2


def test_new_year_2023_on_a_sunday_is_observed_on_monday(bundled):
    assert not bundled.is_working_day(D(2023, 1, 2))
    assert bundled.is_working_day(D(2023, 1, 3))


def test_tet_quy_mao_2023_is_off_from_20_to_26_january(bundled):
    assert not any(bundled.is_working_day(d) for d in days(D(2023, 1, 20), D(2023, 1, 26)))
    assert bundled.is_working_day(D(2023, 1, 19))
    assert bundled.is_working_day(D(2023, 1, 27))


def test_tet_giap_thin_2024_is_off_from_8_to_14_february(bundled):
    assert not any(bundled.is_working_day(d) for d in days(D(2024, 2, 8), D(2024, 2, 14)))
    assert bundled.is_working_day(D(2024, 2, 7))
    assert bundled.is_working_day(D(2024, 2, 15))


def test_30_april_2023_gives_29_april_to_3_may_off_without_a_make_up_saturday(bundled):
    # Hùng Kings (Sat 29/4) and 30/4 (Sun) are observed on Tue 2/5 and Wed 3/5; nothing is swapped.
    assert not any(bundled.is_working_day(d) for d in days(D(2023, 4, 29), D(2023, 5, 3)))
    assert bundled.is_working_day(D(2023, 5, 4))
    assert not bundled.is_working_day(D(2023, 5, 6))


def test_30_april_2024_swaps_monday_29_april_with_saturday_4_may(bundled):
    assert not any(bundled.is_working_day(d) for d in days(D(2024, 4, 27), D(2024, 5, 1)))
    assert bundled.is_working_day(D(2024, 5, 4))
    assert bundled.day_status(D(2024, 5, 4)).legal_basis.startswith("Công văn 2450/VPCP-KGVX")


def test_30_april_2025_swaps_friday_2_may_with_saturday_26_april(bundled):
    assert bundled.is_working_day(D(2025, 4, 26))
    assert not any(bundled.is_working_day(d) for d in days(D(2025, 4, 30), D(2025, 5, 4)))
    assert bundled.is_working_day(D(2025, 5, 5))


def test_national_day_2023_is_off_from_1_to_4_september(bundled):
    assert not any(bundled.is_working_day(d) for d in days(D(2023, 9, 1), D(2023, 9, 4)))
    assert bundled.is_working_day(D(2023, 9, 5))


def test_national_day_2024_and_2025_take_the_adjacent_weekday(bundled):
    assert not bundled.is_working_day(D(2024, 9, 2)) and not bundled.is_working_day(D(2024, 9, 3))
    assert not bundled.is_working_day(D(2025, 9, 1)) and not bundled.is_working_day(D(2025, 9, 2))
    assert bundled.is_working_day(D(2024, 9, 4)) and bundled.is_working_day(D(2025, 9, 3))


def test_new_year_2026_swaps_friday_2_january_with_saturday_10_january(bundled):
    assert not bundled.is_working_day(D(2026, 1, 2))
    assert bundled.is_working_day(D(2026, 1, 10))


def test_tet_binh_ngo_2026_is_off_from_14_to_22_february(bundled):
    assert not any(bundled.is_working_day(d) for d in days(D(2026, 2, 14), D(2026, 2, 22)))
    assert bundled.is_working_day(D(2026, 2, 13)) and bundled.is_working_day(D(2026, 2, 23))


def test_a_swap_row_is_authoritative_over_the_holiday_package():
    calendar = WorkingCalendar(
        [
            SwapDay(D(2023, 3, 8), DAY_OFF, "nghỉ thêm"),
            SwapDay(D(2023, 3, 11), WORKING_DAY, "làm bù"),
            SwapDay(D(2023, 9, 4), WORKING_DAY, "sửa dữ liệu ngày lễ"),
        ]
    )
    assert not calendar.is_working_day(D(2023, 3, 8))
    assert calendar.is_working_day(D(2023, 3, 11))
    assert calendar.is_working_day(D(2023, 9, 4))


def test_a_day_off_known_to_both_the_package_and_the_table_is_lost_only_once(bundled):
    # 29/04/2024 is in `holidays` and in day_swaps.csv: one day off, not two.
    assert WorkingCalendar().add_working_days(D(2024, 4, 26), 1) == D(2024, 5, 2)
    assert bundled.add_working_days(D(2024, 4, 26), 1) == D(2024, 5, 2)
    assert bundled.working_days_between(D(2024, 4, 26), D(2024, 5, 4)) == 3


def test_next_and_previous_working_day(bundled):
    assert bundled.next_working_day(D(2023, 3, 10)) == D(2023, 3, 10)
    assert bundled.next_working_day(D(2023, 3, 11)) == D(2023, 3, 13)
    assert bundled.next_working_day(D(2023, 1, 20)) == D(2023, 1, 27)
    assert bundled.previous_working_day(D(2023, 3, 12)) == D(2023, 3, 10)
    assert bundled.previous_working_day(D(2023, 1, 26)) == D(2023, 1, 19)


def test_add_working_days_examples_from_the_indicators(bundled):
    assert bundled.add_working_days(D(2023, 3, 1), 5) == D(2023, 3, 8)
    assert bundled.add_working_days(D(2023, 10, 2), 5) == D(2023, 10, 9)
    assert bundled.add_working_days(D(2023, 4, 27), 5) == D(2023, 5, 9)
    assert bundled.add_working_days(D(2023, 12, 29), 5) == D(2024, 1, 8)


def test_subtract_working_days_steps_back_one_working_day_at_a_time(bundled):
    assert bundled.subtract_working_days(D(2023, 3, 13), 5) == D(2023, 3, 6)
    assert bundled.subtract_working_days(D(2023, 3, 8), 5) == D(2023, 3, 1)
    assert bundled.subtract_working_days(D(2023, 10, 9), 5) == D(2023, 10, 2)
    assert bundled.subtract_working_days(D(2023, 5, 8), 5) == D(2023, 4, 26)


def test_zero_working_days_is_the_day_itself_even_when_not_working(bundled):
    assert bundled.add_working_days(D(2023, 3, 11), 0) == D(2023, 3, 11)
    assert bundled.subtract_working_days(D(2023, 3, 11), 0) == D(2023, 3, 11)


def test_working_days_between_counts_the_days_after_the_first_up_to_the_last(bundled):
    assert bundled.working_days_between(D(2023, 3, 3), D(2023, 3, 10)) == 5
    assert bundled.working_days_between(D(2023, 3, 10), D(2023, 3, 3)) == -5
    assert bundled.working_days_between(D(2023, 3, 4), D(2023, 3, 5)) == 0
    assert bundled.working_days_between(D(2023, 1, 19), D(2023, 1, 27)) == 1


def test_negative_counts_are_refused_naming_the_argument(bundled):
    with pytest.raises(InvalidInput) as err:
        bundled.add_working_days(D(2023, 3, 1), -1)
    assert err.value.field == "n"
    with pytest.raises(InvalidInput):
        bundled.subtract_working_days(D(2023, 3, 1), -1)


def test_days_outside_the_holiday_data_are_refused(bundled):
    with pytest.raises(InvalidInput) as err:
        bundled.is_working_day(D(1989, 12, 31))
    assert err.value.field == "date"
    with pytest.raises(InvalidInput):
        bundled.add_working_days(D(2100, 12, 20), 30)
    with pytest.raises(InvalidInput):
        bundled.subtract_working_days(D(1990, 1, 5), 30)


def test_day_status_says_why(bundled):
    assert bundled.day_status(D(2023, 3, 8)).reason == "weekday"
    assert bundled.day_status(D(2023, 3, 11)).reason == "weekend"
    assert bundled.day_status(D(2023, 1, 22)).reason == "weekend"
    assert bundled.day_status(D(2023, 1, 23)).reason == "holiday: Mùng hai Tết Nguyên Đán"
    assert bundled.day_status(D(2024, 5, 4)).reason.startswith("swap: Làm bù thứ Bảy 04/05/2024")


def test_a_package_make_up_saturday_without_a_row_is_named_after_its_day_off():
    status = WorkingCalendar().day_status(D(2024, 5, 4))
    assert status.working and status.reason == "swap: Làm bù cho ngày nghỉ 29/04/2024"


def test_the_year_exceptions_list_days_off_on_weekdays_and_worked_weekend_days(bundled):
    listed = {s.date: s.working for s in bundled.exceptions(2024)}
    assert listed[D(2024, 4, 29)] is False
    assert listed[D(2024, 5, 4)] is True
    assert D(2024, 2, 10) not in listed  # Tết on a Saturday: a weekend day either way
    assert all(d.weekday() < 5 for d, working in listed.items() if not working)


@pytest.mark.django_db
def test_the_module_functions_use_the_swaps_loaded_by_the_migration(bundled):
    for day in days(D(2024, 4, 20), D(2024, 5, 10)) + days(D(2026, 1, 1), D(2026, 1, 12)):
        assert cal.is_working_day(day) == bundled.is_working_day(day), day
    assert cal.add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)
    assert cal.subtract_working_days(D(2023, 3, 13), 5) == D(2023, 3, 6)
    assert cal.next_working_day(D(2023, 3, 11)) == D(2023, 3, 13)
    assert cal.previous_working_day(D(2023, 3, 11)) == D(2023, 3, 10)
    assert cal.working_days_between(D(2023, 3, 3), D(2023, 3, 10)) == 5
