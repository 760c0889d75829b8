"""Definition files: the shipped ones load, bad ones are refused with every problem named, and a
province adds its own plan by writing a file."""

import copy
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.errors import LoadError
from motcua.scorecard.definition import load_definition, parse_definition, shipped_definitions
from motcua.scorecard.engine import evaluate
from motcua.scorecard.models import Plan
from motcua.scorecard.predicates import PREDICATES
from motcua.scorecard.services import load_plans

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators-format.md"
REPORTED_TARGETS = {
    "par_plan_issued": Decimal(100),
    "inspection_plan_issued": Decimal(100),
    "units_inspected": Decimal(35),
    "initiatives": Decimal(3),
    "service_units_restructured": Decimal(100),
    "civil_servant_cut": Decimal("1.2"),
    "public_employee_cut": Decimal("2.0"),
    "data_network_connected": Decimal(100),
    "cloud_databases": Decimal(100),
    "video_conference": Decimal(1),
    "e_records_units": Decimal(100),
    "e_records_rate": {"province": Decimal(70), "district": Decimal(60), "commune": Decimal(40)},
    "online_reports": Decimal(80),
    "national_db_connected": Decimal(100),
    "bank_accounts": Decimal(73),
    "iso_maintained": Decimal(100),
    "iso_district_service_units": Decimal(15),
    "iso_high_schools": Decimal("62.5"),
    "iso_secondary_schools": Decimal(45),
    "iso_processes_digitized": Decimal(30),
    "iso_electronic_pilots": Decimal(5),
    "iso_communes_ntm": Decimal(25),
    "satisfaction_sipas": Decimal(85),
    "par_index": "previous_year",
    "sipas": "previous_year",
    "papi": "previous_year",
    "pci_rank": Decimal(20),
    "dti_rank": Decimal(35),
}


def example_plan() -> dict:
    """The complete example of docs/indicators-format.md."""
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return json.loads(blocks[-1])


def test_the_shipped_definitions_are_hatinh_2023_and_qd766():
    shipped = shipped_definitions()
    assert set(shipped) == {"hatinh-2023", "qd766"}
    qd766 = shipped["qd766"]
    assert sum(i.points for i in qd766.indicators) == 82
    assert {i.code: i.threshold for i in qd766.indicators if i.threshold} == {
        "tttt_fee_integrated": 80,
        "tttt_fee_used": 80,
        "mdsh_digitized": 80,
        "mdsh_reused": 80,
        "mdhl_satisfaction": 90,
    }


def test_hatinh_2023_carries_every_reported_target_of_the_plan():
    plan = shipped_definitions()["hatinh-2023"]
    reported = {i.code: i for i in plan.indicators if i.source == "reported"}
    assert {code: i.target for code, i in reported.items()} == REPORTED_TARGETS
    assert reported["pci_rank"].comparator == reported["dti_rank"].comparator == "<="
    assert reported["video_conference"].comparator == "="


def problems(data) -> list[tuple]:
    with pytest.raises(LoadError) as caught:
        parse_definition(data, source="plan.json")
    return [(field, message) for _file, _line, field, message in caught.value.errors]


def test_every_problem_is_reported_naming_the_indicator_and_the_key():
    data = example_plan()
    data["indicators"][1]["population"] = "submitted"
    data["indicators"][2]["numerator"] = {"all": ["result_digitized", "result_framed"]}
    del data["indicators"][3]["target"]
    data["indicators"][0]["comparator"] = "≥"
    data["indicators"][0]["scopes"] = ["province", "unit"]
    fields = [field for field, _message in problems(data)]
    assert fields == [
        "online_full_coverage.scopes",
        "online_full_coverage.comparator",
        "online_dossier_rate.population",
        "digitized_results.numerator.all[1]",
        "on_time_no_repeat_supplement.target",
    ]
    found = dict(problems(data))
    assert "result_framed" in found["digitized_results.numerator.all[1]"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(kind="scheme"), "kind"),
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d.update(colour="blue"), "colour"),
        (
            lambda d: d["indicators"][1].update(numerator={"procedure_fee": 1}),
            "online_dossier_rate.numerator",
        ),
        (lambda d: d["indicators"][1].update(numerator={"all": []}), "online_dossier_rate.numerator"),
        (lambda d: d["indicators"][1].update(numerator="payment_online"), "online_dossier_rate.numerator"),
        (lambda d: d["indicators"][0].update(numerator="channel_online"), "online_full_coverage.numerator"),
        (lambda d: d["indicators"][2].update(target={"ward": 5}), "digitized_results.target.ward"),
        (lambda d: d["indicators"][1].update(target="previous_year"), "online_dossier_rate.target"),
        (lambda d: d["indicators"][1].update(group="other"), "online_dossier_rate.group"),
        (lambda d: d["indicators"][4].update(value_kind="percent"), "par_plan_issued.value_kind"),
        (lambda d: d["indicators"][1].update(points=5), "online_dossier_rate.points"),
        (lambda d: d["indicators"][1].update(code="online_full_coverage"), "online_full_coverage.code"),
        (
            lambda d: d["indicators"][3].update(numerator={"supplements_more_than": {"count": -1}}),
            "on_time_no_repeat_supplement.numerator",
        ),
    ],
)
def test_a_bad_definition_names_the_key(change, field):
    data = copy.deepcopy(example_plan())
    change(data)
    assert field in [f for f, _m in problems(data)]


def test_an_index_needs_points():
    data = copy.deepcopy(example_plan())
    data["kind"] = "index"
    fields = [f for f, _m in problems(data)]
    assert "online_full_coverage.points" in fields and "online_full_coverage.target" in fields


def test_a_json_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{\n  "format": "motcua-indicators",\n  "version": 1,,\n}', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_definition(path)
    [(file, line, _field, _message)] = caught.value.errors
    assert (file, line) == (str(path), 3)


def test_the_documented_vocabulary_is_the_code_vocabulary():
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)`", text, flags=re.M)) | set(
        re.findall(r"`(channel_\w+|outcome_\w+|result_\w+|applicant_\w+)`", text)
    )
    documented |= {"payment_online"}
    assert set(PREDICATES) <= documented


@pytest.mark.django_db
def test_a_province_adds_its_2024_plan_by_writing_a_file(tiny, tmp_path):
    path = tmp_path / "hatinh-2024.json"
    path.write_text(json.dumps(example_plan(), ensure_ascii=False), encoding="utf-8")
    call_command("load_plans", str(path), stdout=io.StringIO())
    assert set(Plan.objects.values_list("code", flat=True)) == {"hatinh-2023", "hatinh-2024", "qd766"}
    rows = {(r.indicator, r.scope, r.key): r for r in evaluate("hatinh-2024", "2024-01")}
    # HANDLED(2024-01) of the tiny bundle: D6, D8 (finished), D7, D12, D14 (open); D8 and D14 on time.
    on_time = rows[("on_time_no_repeat_supplement", "province", "42")]
    assert (on_time.numerator, on_time.denominator) == (2, 5)
    digitized = rows[("digitized_results", "unit", "000.00.21.H29")]
    assert (digitized.value, digitized.target, digitized.met) == (Decimal("100.00"), Decimal(70), True)


@pytest.mark.django_db
def test_reloading_an_unchanged_file_changes_nothing(tmp_path):
    first = load_plans()
    again = load_plans()
    assert {p.outcome for p in first} == {"created"}
    assert {p.outcome for p in again} == {"unchanged"}


@pytest.mark.django_db
def test_a_file_with_errors_loads_nothing(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(example_plan(), ensure_ascii=False), encoding="utf-8")
    bad_data = example_plan()
    bad_data["code"] = "bad-2024"
    bad_data["indicators"][0]["source"] = "survey"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_plans([good, bad])
    assert [(e[0], e[2]) for e in caught.value.errors] == [(str(bad), "online_full_coverage.source")]
    assert not Plan.objects.exists()
