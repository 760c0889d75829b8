"""The day-swaps data file: the bundled decisions, validation with file:line:field, idempotent loading."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.audit.models import AuditEvent
from motcua.calendar import services as cal
from motcua.calendar.day_swaps_file import read_day_swaps
from motcua.calendar.models import DaySwap
from motcua.errors import LoadError

HEADER = "date,kind,description,legal_basis\n"


def write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "swaps.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_the_bundled_file_holds_the_known_swaps_in_pairs():
    swaps = {s.date: s for s in read_day_swaps()}
    assert swaps[dt.date(2024, 4, 29)].kind == "day_off"
    assert swaps[dt.date(2024, 5, 4)].kind == "working_day"
    assert swaps[dt.date(2025, 5, 2)].kind == "day_off"
    assert swaps[dt.date(2025, 4, 26)].kind == "working_day"
    assert swaps[dt.date(2026, 1, 2)].kind == "day_off"
    assert swaps[dt.date(2026, 1, 10)].kind == "working_day"
    assert all(s.legal_basis and s.description for s in swaps.values())
    kinds = [s.kind for s in swaps.values()]
    assert kinds.count("day_off") == kinds.count("working_day")


def test_every_error_is_reported_with_its_line_and_field(tmp_path):
    path = write(
        tmp_path,
        "2023-03-18,day_off,Nghỉ,Công văn\n"
        "2023-02-30,day_off,Nghỉ,Công văn\n"
        "2023-03-13,holiday,Nghỉ,Công văn\n"
        "2023-03-14,day_off,,Công văn\n"
        "2023-03-15,day_off,Nghỉ,Công văn\n"
        "2023-03-15,day_off,Nghỉ lại,Công văn\n",
    )
    with pytest.raises(LoadError) as err:
        read_day_swaps(path)
    assert [(line, field) for _file, line, field, _message in err.value.errors] == [
        (2, "date"),
        (3, "date"),
        (4, "kind"),
        (5, "description"),
        (7, "date"),
    ]
    assert f"{path}:2: date:" in err.value.message


def test_a_wrong_header_is_reported_on_line_1(tmp_path):
    with pytest.raises(LoadError) as err:
        read_day_swaps(write(tmp_path, "2023-03-13,day_off,Nghỉ,CV\n", header="ngay,loai,mo_ta,can_cu\n"))
    assert err.value.errors[0][1] == 1


def test_blank_lines_and_a_byte_order_mark_are_accepted(tmp_path):
    path = tmp_path / "swaps.csv"
    path.write_text("\ufeff" + HEADER + "\n2023-03-13,day_off,Nghỉ,Công văn\n\n", encoding="utf-8")
    assert [s.date for s in read_day_swaps(path)] == [dt.date(2023, 3, 13)]


@pytest.mark.django_db
def test_the_migration_loaded_the_bundled_swaps():
    assert set(DaySwap.objects.values_list("date", flat=True)) >= {s.date for s in read_day_swaps()}


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time():
    DaySwap.objects.all().delete()
    first = cal.load_day_swaps()
    events = AuditEvent.objects.count()
    second = cal.load_day_swaps()
    assert first.created == len(read_day_swaps()) and first.updated == first.unchanged == 0
    assert second.created == second.updated == 0 and second.unchanged == first.created
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_loading_updates_changed_rows_and_keeps_rows_the_file_does_not_name(tmp_path):
    DaySwap.objects.create(date=dt.date(2023, 3, 13), kind="day_off", description="Cũ", legal_basis="CV cũ")
    DaySwap.objects.create(
        date=dt.date(2023, 3, 14), kind="day_off", description="Thêm trong admin", legal_basis="CV"
    )
    result = cal.load_day_swaps(write(tmp_path, "2023-03-13,day_off,Mới,CV mới\n"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert DaySwap.objects.get(date=dt.date(2023, 3, 13)).description == "Mới"
    assert DaySwap.objects.filter(date=dt.date(2023, 3, 14)).exists()
    assert AuditEvent.objects.get(action="calendar.day_swap.update").actor_id is None


@pytest.mark.django_db
def test_a_file_with_an_error_loads_nothing(tmp_path):
    before = DaySwap.objects.count()
    path = write(tmp_path, "2023-03-13,day_off,Nghỉ,CV\n2023-03-18,day_off,Nghỉ thứ Bảy,CV\n")
    with pytest.raises(LoadError):
        cal.load_day_swaps(path)
    assert DaySwap.objects.count() == before


@pytest.mark.django_db
def test_the_command_reports_what_it_did_and_fails_on_errors(tmp_path, capsys):
    call_command("load_day_swaps")
    assert "không đổi" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"swaps.csv:2: date"):
        call_command("load_day_swaps", "--file", str(write(tmp_path, "2023-03-18,day_off,Nghỉ,CV\n")))
