"""`motcua dossier show | list | overdue`."""

import json

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers import services
from tests.dossiers.conftest import vn


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("dossier", *args, stdout=out)
    return out.getvalue()


def test_show_prints_the_process_control_and_the_log(world):
    dossier = world.receive(received_at=vn(2023, 3, 6, 8, 0))
    services.complete_step(world.counter, dossier, at=vn(2023, 3, 6, 9, 0))

    out = run("show", dossier.code)
    assert f"Hồ sơ {dossier.code}" in out
    assert "hẹn trả: 13/03/2023 17:00" in out
    assert "1. Tiếp nhận hồ sơ – UBND xã Thạch Bằng: 06/03/2023 08:00 → 06/03/2023 09:00" in out
    assert "dossier.complete_step" in out

    data = json.loads(run("show", dossier.code, "--json"))
    assert data["national_status"] == 4 and data["steps"][0]["on_time"] is True


def test_list_filters_by_unit_and_status(world):
    received = world.receive()
    submitted = world.submit()
    out = run("list", "--unit", world.commune.code, "--status", "new")
    assert submitted.code in out and received.code not in out
    assert "1 hồ sơ." in out
    assert "0 hồ sơ." in run("list", "--unit", world.commune_b.code)


def test_overdue_lists_open_dossiers_past_their_promise(world):
    late = world.receive(received_at=vn(2023, 3, 6, 8, 0))
    world.receive()  # due in a week
    paused = world.receive(received_at=vn(2023, 3, 6, 8, 0))
    services.request_supplement(world.counter, paused, "Bổ sung")

    out = run("overdue", "--unit", world.commune.code)
    assert late.code in out and paused.code not in out
    assert "1 hồ sơ quá hạn." in out


def test_unknown_codes_are_clear_errors(world):
    with pytest.raises(CommandError, match="Không có hồ sơ mã X"):
        run("show", "X")
    with pytest.raises(CommandError, match="Không có đơn vị mã Y"):
        run("overdue", "--unit", "Y")
