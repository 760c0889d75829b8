"""Properties the deadline arithmetic keeps for any input (hypothesis), on the bundled calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.calendar.working_calendar import to_vietnam_time

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ZONES = [None, dt.UTC, VN, dt.timezone(dt.timedelta(hours=9)), dt.timezone(dt.timedelta(hours=-5))]

# The first example builds the calendar (tens of milliseconds): no per-example deadline.
thorough = settings(deadline=None, max_examples=150)

# Mostly the years whose swaps are known, sometimes anywhere the holiday data covers.
recent_days = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2027, 12, 31))
any_days = st.dates(min_value=dt.date(1991, 1, 1), max_value=dt.date(2097, 12, 31))
days = st.one_of(recent_days, recent_days, any_days)
counts = st.integers(min_value=0, max_value=300)
positive_counts = st.integers(min_value=1, max_value=300)


@st.composite
def instants(draw, first=dt.datetime(2022, 1, 1), last=dt.datetime(2027, 12, 31)):
    value = draw(st.datetimes(min_value=first, max_value=last))
    zone = draw(st.sampled_from(ZONES))
    return value if zone is None else value.replace(tzinfo=zone)


def vn_date(value: dt.datetime) -> dt.date:
    return (value if value.tzinfo is None else value.astimezone(VN)).date()


@thorough
@given(received=instants(), n=counts)
def test_a_working_day_due_date_is_a_working_day_at_17_00_after_the_receipt(bundled, received, n):
    due = bundled.due_date(received, n, "working")
    receipt = bundled.receipt_day(received)
    assert due.tzinfo is not None and due.astimezone(VN).time() == dt.time(17, 0)
    assert bundled.is_working_day(due.date())
    assert vn_date(received) <= receipt <= due.date()
    assert bundled.working_days_between(receipt, due.date()) == n


@thorough
@given(received=instants(), n=counts)
def test_a_calendar_day_due_date_is_the_first_working_day_from_receipt_date_plus_n(bundled, received, n):
    due = bundled.due_date(received, n, "calendar")
    target = vn_date(received) + dt.timedelta(days=n)
    assert due.astimezone(VN).time() == dt.time(17, 0)
    assert bundled.is_working_day(due.date())
    assert target <= due.date()
    assert bundled.working_days_between(target - dt.timedelta(days=1), due.date() - dt.timedelta(days=1)) == 0


@thorough
@given(
    first=instants(),
    later_by=st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(days=40)),
    n=counts,
)
def test_a_later_receipt_never_gives_an_earlier_due_date(bundled, first, later_by, n):
    second = first + later_by
    for kind in ("working", "calendar"):
        assert bundled.due_date(first, n, kind) <= bundled.due_date(second, n, kind)


@thorough
@given(d=days, a=counts, b=counts)
def test_adding_working_days_composes_from_a_working_day(bundled, d, a, b):
    d = bundled.next_working_day(d)
    assert bundled.add_working_days(d, a + b) == bundled.add_working_days(bundled.add_working_days(d, a), b)


@thorough
@given(d=days, n=positive_counts)
def test_adding_then_subtracting_returns_to_the_working_day_at_or_before(bundled, d, n):
    assert bundled.subtract_working_days(bundled.add_working_days(d, n), n) == bundled.previous_working_day(d)


@thorough
@given(d=days, n=positive_counts)
def test_subtracting_then_adding_returns_to_the_working_day_at_or_after(bundled, d, n):
    assert bundled.add_working_days(bundled.subtract_working_days(d, n), n) == bundled.next_working_day(d)


@thorough
@given(d=days, n=positive_counts)
def test_working_days_between_counts_what_was_added(bundled, d, n):
    later = bundled.add_working_days(d, n)
    assert later > d and bundled.is_working_day(later)
    assert bundled.working_days_between(d, later) == n
    assert bundled.working_days_between(later, d) == -n


@thorough
@given(d=days)
def test_the_next_working_day_is_the_first_working_day_not_before(bundled, d):
    following = bundled.next_working_day(d)
    assert bundled.is_working_day(following)
    assert all(not bundled.is_working_day(d + dt.timedelta(i)) for i in range((following - d).days))


@thorough
@given(
    start=instants(),
    first=st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(days=20)),
    second=st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(days=20)),
)
def test_working_time_adds_up_over_a_split_and_never_exceeds_wall_time(bundled, start, first, second):
    middle, end = start + first, start + first + second
    total = bundled.working_time_between(start, end)
    assert total == bundled.working_time_between(start, middle) + bundled.working_time_between(middle, end)
    assert dt.timedelta() <= total <= end - start


@thorough
@given(start=instants(), span=st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(hours=400)))
def test_adding_working_time_is_undone_by_measuring_it(bundled, start, span):
    reached = bundled.add_working_time(start, span)
    assert reached >= to_vietnam_time(start)
    assert bundled.working_time_between(start, reached) == span


@thorough
@given(
    due=instants(),
    paused_at=instants(),
    pause=st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(days=30)),
)
def test_resuming_never_moves_a_deadline_earlier(bundled, due, paused_at, pause):
    resumed_at = paused_at + pause
    assert bundled.resume_deadline(due, paused_at, resumed_at) >= to_vietnam_time(due)


@thorough
@given(
    d=recent_days,
    paused_at=instants(),
    pause=st.timedeltas(min_value=dt.timedelta(), max_value=dt.timedelta(days=30)),
)
def test_resuming_equals_restarting_the_clock_with_the_time_that_was_left(bundled, d, paused_at, pause):
    due = dt.datetime.combine(bundled.next_working_day(d), dt.time(17), tzinfo=VN)
    remaining = bundled.remaining_working_time(due, paused_at)
    assume(remaining > dt.timedelta())
    resumed_at = paused_at + pause
    assert bundled.resume_deadline(due, paused_at, resumed_at) == bundled.add_working_time(
        resumed_at, remaining
    )
