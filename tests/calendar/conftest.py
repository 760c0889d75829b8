"""Calendar fixtures: a fresh default calendar per test, and the bundled swaps without the database."""

import pytest

from motcua.calendar import services as cal
from motcua.calendar.day_swaps_file import read_day_swaps
from motcua.calendar.working_calendar import WorkingCalendar


@pytest.fixture(autouse=True)
def _fresh_default_calendar():
    # A test's rows are rolled back; the calendar cached from them must not outlive the test.
    cal.invalidate_cache()
    yield
    cal.invalidate_cache()


@pytest.fixture(scope="session")
def bundled():
    """The working calendar of the swaps shipped in data/day_swaps.csv, default office hours."""
    return WorkingCalendar(read_day_swaps())
