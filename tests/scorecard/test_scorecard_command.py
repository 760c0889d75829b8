"""`motcua scorecard`: the spec's JSON, the same rows as CSV and Excel, clear errors."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.scorecard.bundle_loader import TINY


def run(*args) -> str:
    out = io.StringIO()
    call_command("scorecard", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(TINY.glob("expected-*.json")), ids=lambda p: p.stem)
def test_json_output_is_the_expected_file(tiny, path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    got = json.loads(run("--plan", expected["plan"], "--period", expected["period"]))
    assert got == expected


@pytest.mark.django_db
def test_csv_has_the_same_rows(tiny):
    expected = json.loads((TINY / "expected-qd766-2023.json").read_text(encoding="utf-8"))["results"]
    rows = list(csv.DictReader(io.StringIO(run("--plan", "qd766", "--period", "2023", "--format", "csv"))))
    assert len(rows) == len(expected)
    assert rows[0] == {
        "indicator": "ckmb_announced_on_time",
        "scope": "province",
        "key": "42",
        "numerator": "2",
        "denominator": "3",
        "value": "66.67",
        "target": "",
        "met": "",
        "points": "4.0",
        "max_points": "6.0",
    }
    assert rows[-1]["indicator"] == "total" and rows[-1]["numerator"] == ""
    assert [(r["indicator"], r["scope"], r["key"]) for r in rows] == [
        (r["indicator"], r["scope"], r["key"]) for r in expected
    ]


@pytest.mark.django_db
def test_xlsx_has_the_same_rows(tiny, tmp_path):
    target = tmp_path / "out.xlsx"
    run("--plan", "hatinh-2023", "--period", "2023-Q4", "--format", "xlsx", "--output", str(target))
    expected = json.loads((TINY / "expected-hatinh-2023-2023-Q4.json").read_text(encoding="utf-8"))["results"]
    with zipfile.ZipFile(target) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert sheet.count("<row ") == len(expected) + 1
    assert "online_dossier_rate" in strings and "Tỷ lệ số hóa kết quả giải quyết TTHC" in strings


@pytest.mark.django_db
def test_as_of_can_be_given_and_is_printed_in_vietnam_time(tiny):
    got = json.loads(run("--plan", "hatinh-2023", "--period", "2024-01", "--as-of", "2024-01-10T03:00:00Z"))
    assert got["as_of"] == "2024-01-10T10:00:00+07:00"
    on_time = [r for r in got["results"] if r["indicator"] == "on_time_rate" and r["scope"] == "province"]
    assert on_time == [
        {
            "indicator": "on_time_rate",
            "scope": "province",
            "key": "42",
            "numerator": 2,
            "denominator": 5,
            "value": 40.0,
            "target": None,
            "met": None,
        }
    ]


@pytest.mark.django_db
def test_an_empty_database_gives_empty_results():
    got = json.loads(run("--plan", "qd766", "--period", "2023", "--as-of", "2024-01-01T00:00:00+07:00"))
    assert got == {"plan": "qd766", "period": "2023", "as_of": "2024-01-01T00:00:00+07:00", "results": []}


@pytest.mark.django_db
def test_a_period_not_begun_at_as_of_is_empty(tiny):
    assert json.loads(run("--plan", "hatinh-2023", "--period", "2024-02"))["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--plan", "hatinh-2030", "--period", "2023"), "hatinh-2030"),
        (("--plan", "qd766", "--period", "2023-13"), "2023-13"),
        (("--plan", "qd766", "--period", "2023-Q5"), "2023-Q5"),
        (("--plan", "qd766", "--period", "23"), "23"),
        (("--plan", "qd766", "--period", "2023", "--as-of", "yesterday"), "yesterday"),
    ],
)
def test_unknown_plan_or_malformed_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
