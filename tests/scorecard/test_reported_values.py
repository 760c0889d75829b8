"""Values units report: who may report and review, how they roll up, how they meet targets."""

from decimal import Decimal

import pytest

from motcua.accounts.choices import Role
from motcua.audit.models import AuditEvent
from motcua.errors import Forbidden, InvalidInput, LoadError, StateError
from motcua.orgs.choices import UnitKind, UnitLevel
from motcua.scorecard import services
from motcua.scorecard.engine import evaluate
from motcua.scorecard.models import ReportedValue, ReportStatus


@pytest.fixture
def province(make):
    root = make.unit("R.ROOT", level=UnitLevel.PROVINCE)
    units = {
        "S1": make.unit("R.S1", parent=root, level=UnitLevel.PROVINCE, kind=UnitKind.DEPARTMENT),
        "S2": make.unit("R.S2", parent=root, level=UnitLevel.PROVINCE, kind=UnitKind.DEPARTMENT),
        "H1": make.unit("R.H1", parent=root, level=UnitLevel.DISTRICT),
    }
    manager = make.user("quanly", unit=root, role=Role.REFORM_MANAGER)
    officials = {
        code: make.user(f"cb-{code}", unit=unit, role=Role.UNIT_LEADER) for code, unit in units.items()
    }
    return units, manager, officials


def report(actor, indicator, period="2023", unit=None, **values):
    return services.report_value(
        actor=actor, plan_code="hatinh-2023", indicator=indicator, period=period, unit=unit, **values
    )


def approved(manager, *reported):
    for value in reported:
        services.approve(actor=manager, reported_id=value.pk)


def rows(indicator, period="2023"):
    return {(r.scope, r.key): r for r in evaluate("hatinh-2023", period) if r.indicator == indicator}


@pytest.mark.django_db
def test_an_official_reports_for_their_unit_and_it_is_audited(province):
    units, _manager, officials = province
    value = report(officials["S1"], "par_plan_issued", unit=units["S1"], value=1, evidence="QĐ 12/QĐ-STP")
    assert value.status == ReportStatus.SUBMITTED and value.submitted_by == officials["S1"]
    event = AuditEvent.objects.get(action="scorecard.value_submitted")
    assert event.after["unit"] == "R.S1" and event.after["evidence"] == "QĐ 12/QĐ-STP"


@pytest.mark.django_db
def test_an_official_cannot_report_for_another_unit_or_the_province(province):
    units, _manager, officials = province
    with pytest.raises(Forbidden):
        report(officials["S1"], "par_plan_issued", unit=units["S2"], value=1)
    with pytest.raises(Forbidden):
        report(officials["S1"], "par_index", value=88)


@pytest.mark.django_db
def test_only_a_reform_manager_approves(province):
    units, manager, officials = province
    value = report(officials["S1"], "par_plan_issued", unit=units["S1"], value=1)
    with pytest.raises(Forbidden):
        services.approve(actor=officials["S1"], reported_id=value.pk)
    assert services.approve(actor=manager, reported_id=value.pk).status == ReportStatus.APPROVED
    assert AuditEvent.objects.filter(action="scorecard.value_approved", object_id=str(value.pk)).exists()


@pytest.mark.django_db
def test_an_approved_value_is_changed_only_after_it_is_sent_back(province):
    units, manager, officials = province
    value = report(officials["S1"], "par_plan_issued", unit=units["S1"], value=1)
    approved(manager, value)
    with pytest.raises(StateError):
        report(officials["S1"], "par_plan_issued", unit=units["S1"], value=0)
    with pytest.raises(InvalidInput):
        services.send_back(actor=manager, reported_id=value.pk, note=" ")
    returned = services.send_back(actor=manager, reported_id=value.pk, note="Thiếu quyết định ban hành")
    assert returned.status == ReportStatus.RETURNED and returned.review_note == "Thiếu quyết định ban hành"
    again = report(officials["S1"], "par_plan_issued", unit=units["S1"], value=0)
    assert again.pk == value.pk and again.status == ReportStatus.SUBMITTED and again.value == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("indicator", "values", "field"),
    [
        ("par_plan_issued", {"value": 2}, "value"),
        ("e_records_rate", {"numerator": 5}, "denominator"),
        ("e_records_rate", {"numerator": 5, "denominator": 0}, "denominator"),
        ("e_records_rate", {}, "value"),
        ("on_time_rate", {"value": 90}, "indicator"),
    ],
)
def test_malformed_reports_are_refused(province, indicator, values, field):
    units, _manager, officials = province
    with pytest.raises(InvalidInput) as caught:
        report(officials["S1"], indicator, unit=units["S1"], **values)
    assert caught.value.field == field


@pytest.mark.django_db
def test_only_approved_values_count(province):
    units, _manager, officials = province
    report(officials["S1"], "par_plan_issued", unit=units["S1"], value=1)
    assert rows("par_plan_issued") == {}


@pytest.mark.django_db
def test_yes_no_values_roll_up_as_the_share_of_units_reporting_yes(province):
    units, manager, officials = province
    approved(
        manager,
        report(officials["S1"], "par_plan_issued", unit=units["S1"], value=1),
        report(officials["S2"], "par_plan_issued", unit=units["S2"], value=0),
        report(officials["H1"], "par_plan_issued", unit=units["H1"], value=1),
    )
    found = {key: (r.numerator, r.denominator, r.value, r.met) for key, r in rows("par_plan_issued").items()}
    assert found == {
        ("province", "42"): (2, 3, Decimal("66.67"), False),
        ("level", "province"): (1, 2, Decimal("50.00"), False),
        ("level", "district"): (1, 1, Decimal("100.00"), True),
        ("unit", "R.H1"): (1, 1, Decimal("100.00"), True),
        ("unit", "R.S1"): (1, 1, Decimal("100.00"), True),
        ("unit", "R.S2"): (0, 1, Decimal("0.00"), False),
    }


@pytest.mark.django_db
def test_numerators_and_denominators_roll_up_by_summing_with_targets_by_level(province):
    units, manager, officials = province
    approved(
        manager,
        report(officials["S1"], "e_records_rate", unit=units["S1"], numerator=70, denominator=100),
        report(officials["H1"], "e_records_rate", unit=units["H1"], numerator=29, denominator=50),
    )
    found = {
        key: (r.numerator, r.denominator, r.value, r.target, r.met)
        for key, r in rows("e_records_rate").items()
    }
    assert found == {
        ("province", "42"): (99, 150, Decimal("66.00"), None, None),
        ("level", "province"): (70, 100, Decimal("70.00"), Decimal(70), True),
        ("level", "district"): (29, 50, Decimal("58.00"), Decimal(60), False),
        ("unit", "R.H1"): (29, 50, Decimal("58.00"), Decimal(60), False),
        ("unit", "R.S1"): (70, 100, Decimal("70.00"), Decimal(70), True),
    }


@pytest.mark.django_db
def test_an_approved_province_value_is_used_as_is(province):
    units, manager, officials = province
    approved(
        manager,
        report(officials["S1"], "online_reports", unit=units["S1"], numerator=9, denominator=10),
        report(manager, "online_reports", value=Decimal("78.5")),
    )
    found = rows("online_reports")
    assert found[("province", "42")].value == Decimal("78.50") and found[("province", "42")].met is False
    assert found[("level", "province")].value == Decimal("90.00")


@pytest.mark.django_db
def test_par_index_must_not_fall_below_the_previous_year(province):
    _units, manager, _officials = province
    approved(
        manager,
        report(manager, "par_index", period="2022", value=Decimal("85.95")),
        report(manager, "par_index", period="2023", value=Decimal("88.35")),
        report(manager, "pci_rank", period="2023", value=18),
    )
    par = rows("par_index")[("province", "42")]
    assert (par.value, par.target, par.met, par.numerator) == (Decimal("88.35"), Decimal("85.95"), True, None)
    assert par.as_dict(with_points=False)["target"] == 85.95
    pci = rows("pci_rank")[("province", "42")]
    assert (pci.value, pci.target, pci.met) == (Decimal("18.00"), Decimal(20), True)


@pytest.mark.django_db
def test_a_year_without_a_previous_value_has_no_target(province):
    _units, manager, _officials = province
    approved(manager, report(manager, "sipas", value=Decimal("88.97")))
    row = rows("sipas")[("province", "42")]
    assert (row.target, row.met) == (None, None)


@pytest.mark.django_db
def test_reported_csv_is_loaded_as_approved_values(province, tmp_path):
    path = tmp_path / "reported.csv"
    path.write_text(
        "indicator,unit,period,value,numerator,denominator,evidence\n"
        "par_plan_issued,R.S1,2023,1,,,QĐ 12\n"
        "e_records_rate,R.H1,2023,,29,50,Báo cáo 3\n"
        "par_index,,2022,85.95,,,Quyết định 876\n"
        "par_index,,2023,88.35,,,\n",
        encoding="utf-8",
    )
    assert services.import_reported_csv(path) == 4
    assert set(ReportedValue.objects.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    assert rows("par_index")[("province", "42")].met is True
    assert rows("e_records_rate")[("unit", "R.H1")].value == Decimal("58.00")
    assert services.import_reported_csv(path) == 0  # the same file again changes nothing


@pytest.mark.django_db
def test_reported_csv_errors_name_file_line_and_field_and_load_nothing(province, tmp_path):
    path = tmp_path / "reported.csv"
    path.write_text(
        "\ufeffindicator,unit,period,value\n"
        "par_plan_issued,R.S1,2023,1\n"
        "par_plan_issued,R.XX,2023,1\n"
        "par_plan_issued,R.S2,2023-13,1\n"
        "no_such_indicator,R.S1,2023,1\n"
        "par_plan_issued,R.S2,2023,yes\n"
        "par_plan_issued,R.S1,2023,1\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        services.import_reported_csv(path)
    assert [(line, field) for _file, line, field, _m in caught.value.errors] == [
        (3, "unit"),
        (4, "period"),
        (5, "indicator"),
        (6, "value"),
        (7, "indicator"),
    ]
    assert {file for file, *_rest in caught.value.errors} == {str(path)}
    assert not ReportedValue.objects.exists()
