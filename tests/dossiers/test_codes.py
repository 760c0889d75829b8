"""Dossier codes: `<unit code>-<yyMMdd>-<4-digit daily sequence>`, one sequence per unit and day."""

import datetime as dt
import re

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.services import next_code
from tests.dossiers.conftest import vn


def test_codes_follow_the_national_pattern(world):
    dossier = world.receive(received_at=vn(2023, 3, 6, 8, 30))
    assert re.fullmatch(r"000\.21\.01\.H42-\d{6}-\d{4}", dossier.code)


def test_the_sequence_restarts_each_day_and_for_each_unit(world):
    day = dt.date(2023, 10, 27)
    assert next_code(world.commune, day) == "000.21.01.H42-231027-0001"
    assert next_code(world.commune, day) == "000.21.01.H42-231027-0002"
    assert next_code(world.commune_b, day) == "000.21.02.H42-231027-0001"
    assert next_code(world.commune, day + dt.timedelta(days=1)) == "000.21.01.H42-231028-0001"


def test_past_ten_thousand_the_number_just_grows(world):
    from motcua.dossiers.models import DailySequence

    day = dt.date(2023, 10, 27)
    DailySequence.objects.create(unit=world.commune, day=day, last=9999)
    assert next_code(world.commune, day) == "000.21.01.H42-231027-10000"


# Each example rolls its counters back, so the shared fixture is the same for every example.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(draws=st.lists(st.tuples(st.booleans(), st.integers(0, 3)), min_size=1, max_size=15))
def test_codes_within_a_unit_and_day_count_up_from_one_without_gaps(world, draws):
    with transaction.atomic():
        codes = [
            next_code(
                world.commune_b if other else world.commune, dt.date(2024, 1, 1) + dt.timedelta(days=offset)
            )
            for other, offset in draws
        ]
        transaction.set_rollback(True)
    assert len(set(codes)) == len(codes)
    groups: dict[str, list[int]] = {}
    for code in codes:
        prefix, number = code.rsplit("-", 1)
        groups.setdefault(prefix, []).append(int(number))
    for numbers in groups.values():
        assert numbers == list(range(1, len(numbers) + 1))
