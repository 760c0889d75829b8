"""A units file with errors: every error is listed with file, line and field, and nothing is loaded."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.audit.models import AuditEvent
from motcua.errors import InvalidInput, LoadError
from motcua.orgs.models import Unit
from motcua.orgs.services import load_units

BAD = """\
code,name,kind,level,parent,admin_code,valid_from,valid_to,merged_into
R,UBND tỉnh thử,people_committee,province,,42,,,
A,Xã A,people_committee,commune,NOPE,,2023-02-30,,
B,Xã B,council,hamlet,R,,,2025-06-30,GONE
A,Xã A lần hai,people_committee,commune,R,,,,
C,,people_committee,commune,R,,2025-07-01,2025-06-30,
"""


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(BAD, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_every_error_is_reported_with_file_line_and_field_and_nothing_is_loaded(bad_file):
    with pytest.raises(LoadError) as caught:
        load_units("42", files=[bad_file])
    where = {(line, field) for _, line, field, _ in caught.value.errors}
    assert where == {
        (3, "parent"),  # unknown parent
        (3, "valid_from"),  # 30 February
        (4, "kind"),
        (4, "level"),
        (4, "merged_into"),  # unknown successor
        (5, "code"),  # duplicate
        (6, "name"),  # empty
        (6, "valid_to"),  # before valid_from
    }
    assert {file for file, *_ in caught.value.errors} == {str(bad_file)}
    assert not Unit.objects.exists()
    assert not AuditEvent.objects.filter(action="orgs.load_units").exists()


@pytest.mark.django_db
def test_a_missing_required_column_is_reported_on_the_header_line(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,level\nX,Tên,province\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_units("42", files=[path])
    assert [(line, field) for _, line, field, _ in caught.value.errors] == [(1, "kind"), (1, "parent")]


@pytest.mark.django_db
def test_a_parent_loop_is_an_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,level,parent\nP,P,department,province,Q\nQ,Q,department,province,P\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_units("42", files=[path])
    assert [(line, field) for _, line, field, _ in caught.value.errors] == [(2, "parent"), (3, "parent")]


@pytest.mark.django_db
def test_a_successor_not_yet_in_force_the_day_after_the_merge_is_an_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,level,parent,valid_from,valid_to,merged_into\n"
        "OLD,Xã cũ,people_committee,commune,,,2025-06-30,NEW\n"
        "NEW,Xã mới,people_committee,commune,,2025-09-01,,\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_units("42", files=[path])
    assert [(line, field) for _, line, field, _ in caught.value.errors] == [(2, "merged_into")]


@pytest.mark.django_db
def test_the_command_prints_every_error_and_exits_non_zero(bad_file, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("load_units", "--file", str(bad_file))
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert f"{bad_file}:3: valid_from: not a date YYYY-MM-DD: '2023-02-30'" in err
    assert f"{bad_file}:5: code: duplicate code 'A'" in err
    assert len([line for line in err.splitlines() if line.startswith(str(bad_file))]) == 8
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_an_unknown_province_is_a_clear_error():
    with pytest.raises(InvalidInput, match="no shipped data for province 99"):
        load_units("99")
    with pytest.raises(CommandError, match="no shipped data for province 99"):
        call_command("load_units", "--province", "99")


@pytest.mark.django_db
def test_a_file_may_name_a_parent_already_in_the_database(ha_tinh, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,level,parent\nT.1,Trường THPT Phan Đình Phùng,school,province,000.00.15.H29\n",
        encoding="utf-8-sig",
    )
    summary = load_units("42", files=[path])
    assert summary.created == 1
    school = Unit.objects.get(code="T.1")
    assert school.parent == ha_tinh("Sở Giáo dục và Đào tạo")
    assert school.path.startswith(school.parent.path)


@pytest.mark.django_db
def test_a_malformed_as_of_date_is_refused_by_the_command():
    with pytest.raises(CommandError, match="--as-of: not a date YYYY-MM-DD: '31/12/2023'"):
        call_command("load_units", "--as-of", "31/12/2023")
    assert not Unit.objects.exists()
