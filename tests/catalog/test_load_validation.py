"""A catalog file with errors is refused whole, and every error names its file, line and field."""

import io

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import Procedure
from motcua.catalog.services import load_catalog, load_catalog_csv
from motcua.errors import LoadError
from tests.catalog.conftest import procedure_record

pytestmark = pytest.mark.django_db


def _errors(path, loader=load_catalog):
    with pytest.raises(LoadError) as caught:
        loader(path)
    return caught.value.errors


def test_every_error_is_listed_with_its_location_and_nothing_is_loaded(catalog_file):
    path = catalog_file(
        [
            procedure_record("1.000001"),
            procedure_record("1.000002", duration_days=-1, day_kind="weekly"),
            procedure_record(
                "1.000003",
                online_level="sometimes",
                announced_on="2023-02-30",
                components=[{"name": "Tờ khai", "copy_kind": "scan"}],
            ),
            procedure_record("1.000001"),
        ]
    )
    errors = _errors(path)
    found = {(line, field) for _, line, field, _ in errors}
    assert all(file == str(path) for file, *_ in errors)
    lines = [line for line, _ in found]
    assert len(set(lines)) == 3  # records 2, 3 and 4 each start on their own line
    assert {field for _, field in found} == {
        "procedures[1].duration_days",
        "procedures[1].day_kind",
        "procedures[2].online_level",
        "procedures[2].announced_on",
        "procedures[2].components[0].copy_kind",
        "procedures[3].code",
    }
    assert Procedure.objects.count() == 0


def test_the_line_points_at_the_record(catalog_file):
    path = catalog_file([procedure_record("1.000001"), procedure_record("1.000002", name="")])
    [(_, line, field, _)] = _errors(path)
    text = path.read_text(encoding="utf-8").splitlines()
    assert field == "procedures[1].name"
    assert text[line - 1].strip() == "{"
    assert '"1.000002"' in text[line]


def test_step_shares_must_add_up_to_100(catalog_file):
    steps = [
        {"name": "Tiếp nhận", "role": "counter_officer", "time_share": 50},
        {"name": "Thẩm định", "role": "mayor", "time_share": 30},
        {"name": "Trả", "role": "counter_officer", "unit_kind": "galaxy", "time_share": 10},
    ]
    fields = {field for *_, field, _ in _errors(catalog_file([procedure_record(steps=steps)]))}
    assert fields == {"procedures[0].steps[1].role", "procedures[0].steps[2].unit_kind"}
    steps[1]["role"], steps[2]["unit_kind"] = "processing_officer", ""
    [(_, _, field, message)] = _errors(catalog_file([procedure_record(steps=steps)]))
    assert field == "procedures[0].steps" and "100" in message


def test_the_fee_must_equal_its_fee_lines(catalog_file):
    [(_, _, field, _)] = _errors(catalog_file([procedure_record(fee=5000)]))
    assert field == "procedures[0].fee"


def test_a_made_up_national_code_is_refused_unless_marked_local(catalog_file):
    [(_, _, field, _)] = _errors(catalog_file([procedure_record("HT.0001")]))
    assert field == "procedures[0].code"
    load_catalog(catalog_file([procedure_record("HT.0001", national_code_known=False)]))
    assert not Procedure.objects.get(code="HT.0001").national_code_known


def test_unknown_keys_and_missing_process_are_errors(catalog_file):
    record = procedure_record(dureation_days=3)
    del record["steps"]
    fields = {field for *_, field, _ in _errors(catalog_file([record]))}
    assert fields == {"procedures[0].dureation_days", "procedures[0].steps"}


def test_a_process_template_can_be_named(catalog_file):
    record = procedure_record()
    del record["steps"]
    record["process"] = "chuan"
    template = [{"name": "Xử lý", "role": "processing_officer", "time_share": 100}]
    load_catalog(catalog_file([record], process_templates={"chuan": template}))
    assert Procedure.objects.get().steps.get().name == "Xử lý"
    record["process"] = "khong-co"
    [(_, _, field, _)] = _errors(catalog_file([record], process_templates={"chuan": template}))
    assert field == "procedures[0].process"


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "motcua-catalog",\n  "procedures": [\n}', encoding="utf-8")
    [(file, line, _, message)] = _errors(path)
    assert (file, line) == (str(path), 4)
    assert "JSON" in message


def test_csv_errors_name_line_and_column_and_nothing_is_loaded(csv_file):
    path = csv_file(
        "code,name,field,duration_days,day_kind,fee,online_level,internal,announced_on\n"
        "1.000001,Thủ tục một,Hộ tịch,3,,0,full,0,2023-01-05\n"
        "1.000002,Thủ tục hai,Hộ tịch,ba,monthly,-5,full,maybe,05/01/2023\n"
        "1.000001,Thủ tục ba,,3,,0,none,0,\n"
    )
    errors = _errors(path, load_catalog_csv)
    assert {(line, field) for _, line, field, _ in errors} == {
        (3, "duration_days"),
        (3, "day_kind"),
        (3, "fee"),
        (3, "internal"),
        (3, "announced_on"),
        (4, "field"),
        (4, "code"),
    }
    assert Procedure.objects.count() == 0


def test_csv_without_a_required_column_is_refused(csv_file):
    [(_, line, field, _)] = _errors(csv_file("code,name,field\n1.000001,Một,Hộ tịch\n"), load_catalog_csv)
    assert (line, field) == (1, "duration_days")


def test_the_command_exits_non_zero_with_file_line_field_errors(catalog_file):
    path = catalog_file([procedure_record(duration_days="3")])
    with pytest.raises(CommandError) as caught:
        call_command("load_catalog", "--file", str(path), stdout=io.StringIO())
    assert f"{path}:" in str(caught.value)
    assert ":procedures[0].duration_days:" in str(caught.value)
    assert Procedure.objects.count() == 0


def test_the_command_loads_json_and_csv(catalog_file, csv_file):
    out = io.StringIO()
    call_command("load_catalog", "--file", str(catalog_file([procedure_record()])), stdout=out)
    call_command(
        "load_catalog",
        "--file",
        str(csv_file("code,name,field,duration_days\n2.000002,Hai,Hộ tịch,5\n")),
        stdout=out,
    )
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.000001", "2.000002"}
    assert "1 mới" in out.getvalue()
