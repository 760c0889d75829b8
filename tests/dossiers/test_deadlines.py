"""The promised date (form 01), the steps' due times, and how a supplement moves them."""

import datetime as dt

from motcua.calendar import services as cal
from motcua.dossiers import services
from motcua.dossiers.choices import Status
from tests.dossiers.conftest import vn


def test_a_receipt_on_friday_after_17h_before_tet_is_promised_after_the_holidays(world):
    # Friday 2/2/2024 17:30 counts from Monday 5/2; Tết Giáp Thìn keeps offices closed 8–14/2/2024.
    # Five working days: 6/2, 7/2, 15/2, 16/2, 19/2.
    dossier = world.receive(received_at=vn(2024, 2, 2, 17, 30))

    assert dossier.due_at == vn(2024, 2, 19, 17, 0)


def test_steps_share_the_working_time_by_their_shares_across_tet(world):
    dossier = world.receive(received_at=vn(2024, 2, 2, 17, 30))

    # 48 working hours (six days of 8 h) split 10 / 50 / 30 / 10 %.
    dues = list(dossier.steps.order_by("order").values_list("due_at", flat=True))
    assert dues == [
        vn(2024, 2, 5, 13, 48),  # 4.8 h: the morning (4.5 h) and 18 minutes
        vn(2024, 2, 15, 13, 48),  # 28.8 h: three days, then 4.8 h after Tết
        vn(2024, 2, 19, 10, 12),  # 43.2 h
        vn(2024, 2, 19, 17, 0),  # the promised date itself
    ]


def test_a_supplement_across_the_april_holidays_moves_the_promise_by_the_working_time_taken(world):
    # Received Monday 24/4/2023: due Thursday 4/5 (29/4–3/5/2023 are days off).
    dossier = world.receive(received_at=vn(2023, 4, 24, 8, 0))
    assert dossier.due_at == vn(2023, 5, 4, 17, 0)

    services.request_supplement(
        world.counter,
        dossier,
        "Thiếu bản sao giấy khai sinh",
        ["Giấy khai sinh (bản sao)"],
        at=vn(2023, 4, 28, 10, 0),
    )
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert dossier.paused_at == vn(2023, 4, 28, 10, 0)

    services.supply(world.citizen, dossier, at=vn(2023, 5, 4, 10, 0))

    # Paused 8 working hours (Friday 10:00–17:00 less lunch, Thursday 7:00–10:00): one more working day.
    supplement = dossier.supplements.get()
    assert supplement.items == ["Giấy khai sinh (bản sao)"]
    assert supplement.due_before == vn(2023, 5, 4, 17, 0)
    assert supplement.due_after == dossier.due_at == vn(2023, 5, 5, 17, 0)
    taken = cal.working_time_between(supplement.requested_at, supplement.received_at)
    assert taken == dt.timedelta(hours=8)
    assert cal.working_time_between(supplement.due_before, supplement.due_after) == taken
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_at is None


def test_open_steps_move_with_the_promise_and_finished_ones_do_not(world):
    dossier = world.receive(received_at=vn(2023, 4, 24, 8, 0))
    services.complete_step(world.counter, dossier, at=vn(2023, 4, 24, 9, 0))
    first, second = dossier.steps.order_by("order")[:2]

    services.request_supplement(world.processor, dossier, "Bổ sung", at=vn(2023, 4, 28, 10, 0))
    services.supply(world.counter, dossier, at=vn(2023, 5, 4, 10, 0))

    first_after, second_after = dossier.steps.order_by("order")[:2]
    assert first_after.due_at == first.due_at
    assert second_after.due_at == cal.extend_by_working_time(second.due_at, dt.timedelta(hours=8))


def test_every_supplement_request_is_kept(world):
    dossier = world.receive(received_at=vn(2023, 3, 6, 8, 0))
    for day in (7, 9):
        services.request_supplement(world.counter, dossier, f"Lần {day}", at=vn(2023, 3, day, 8, 0))
        services.supply(world.citizen, dossier, at=vn(2023, 3, day + 1, 8, 0))

    assert list(dossier.supplements.values_list("reason", flat=True)) == ["Lần 7", "Lần 9"]
    # Two pauses of one working day each.
    assert dossier.due_at == vn(2023, 3, 15, 17, 0)
