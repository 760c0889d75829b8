"""Loading is an upsert on the procedure code: a second load of the same file changes nothing."""

import pytest

from motcua.audit.models import AuditEvent
from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.catalog.services import load_catalog, load_catalog_csv
from tests.catalog.conftest import procedure_record

pytestmark = pytest.mark.django_db


def test_loading_the_same_file_twice_changes_nothing(catalog_file):
    path = catalog_file([procedure_record("1.000001"), procedure_record("1.000002")])
    first = load_catalog(path)
    rows = list(Component.objects.values_list("pk", "name"))
    second = load_catalog(path)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert ProcedureVersion.objects.count() == 2
    assert list(Component.objects.values_list("pk", "name")) == rows


def test_a_changed_record_is_updated_and_gets_a_new_version(catalog_file):
    load_catalog(catalog_file([procedure_record("1.000001"), procedure_record("1.000002")]))
    summary = load_catalog(
        catalog_file([procedure_record("1.000001", duration_days=5), procedure_record("1.000002")])
    )
    assert (summary.updated, summary.unchanged) == (1, 1)
    changed = Procedure.objects.get(code="1.000001")
    assert (changed.duration_days, changed.version) == (5, 2)
    assert Procedure.objects.get(code="1.000002").version == 1


def test_an_edited_component_keeps_its_row(catalog_file):
    components = [{"name": "Tờ khai"}, {"name": "Giấy chứng sinh"}]
    load_catalog(catalog_file([procedure_record(components=components)]))
    ids = list(Component.objects.order_by("order").values_list("pk", flat=True))
    components[1]["name"] = "Giấy chứng sinh (bản chính)"
    load_catalog(catalog_file([procedure_record(components=components)]))
    assert list(Component.objects.order_by("order").values_list("pk", flat=True)) == ids
    assert Component.objects.get(pk=ids[1]).name == "Giấy chứng sinh (bản chính)"


def test_each_load_and_each_new_version_is_audited(catalog_file):
    path = catalog_file([procedure_record("1.000001")])
    load_catalog(path)
    load_catalog(path)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["catalog.publish_version", "catalog.load", "catalog.load"]
    last = AuditEvent.objects.order_by("seq").last()
    assert last.after["unchanged"] == 1


def test_the_department_is_resolved_by_name(catalog_file, make):
    unit = make.unit("000.00.03.H29", name="Sở Tư pháp", level="province", kind="department")
    record = procedure_record(levels=["province"], province_unit="Sở Tư pháp")
    summary = load_catalog(catalog_file([record, procedure_record("1.000002", province_unit="Sở Không Có")]))
    assert Procedure.objects.get(code="1.000001").province_unit == unit
    assert Procedure.objects.get(code="1.000002").province_unit is None
    assert summary.unresolved_units == ["Sở Không Có"]


def test_a_csv_row_updates_only_what_it_carries(catalog_file, csv_file):
    load_catalog(catalog_file([procedure_record("1.000001", agency="UBND cấp xã")]))
    load_catalog_csv(
        csv_file("code,name,field,duration_days,fee,online_level\n1.000001,Tên mới,Hộ tịch,4,10000,full\n")
    )
    procedure = Procedure.objects.get(code="1.000001")
    assert (procedure.name, procedure.duration_days, procedure.online_level) == ("Tên mới", 4, "full")
    assert procedure.agency == "UBND cấp xã"
    assert procedure.components.count() == 1 and procedure.steps.count() == 4
    assert procedure.fee_lines.get().amount == 10000
    assert procedure.version == 2


def test_a_new_csv_procedure_gets_the_default_process_and_one_fee_line(csv_file):
    load_catalog_csv(
        csv_file(
            "code,name,field,duration_days,day_kind,fee,online_level,full_online_eligible,online_payment,"
            "public_national,paper_result,internal,published,announced_on,effective_on,public_on,extra\n"
            "1.000009,Thủ tục CSV,Chứng thực,0,,2000,partial,true,1,0,FALSE,0,1,2023-03-01,,2023-03-10,x\n",
            bom=True,
        )
    )
    procedure = Procedure.objects.get(code="1.000009")
    assert procedure.day_kind == "working"
    assert (procedure.full_online_eligible, procedure.online_payment, procedure.paper_result) == (
        True,
        True,
        False,
    )
    assert str(procedure.announced_on) == "2023-03-01" and procedure.effective_on is None
    assert [s.role for s in procedure.steps.order_by("order")] == [
        "counter_officer",
        "processing_officer",
        "unit_leader",
        "counter_officer",
    ]
    assert procedure.fee_lines.get().amount == 2000
    assert procedure.version == 1
