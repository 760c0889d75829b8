"""A published version is frozen: editing the procedure afterwards makes a new version, never a change."""

import pytest

from motcua.audit.models import AuditEvent
from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.catalog.services import current_version, procedure_snapshot, publish_version

pytestmark = pytest.mark.django_db


def test_current_version_publishes_version_1_when_there_is_none(make):
    procedure = make.procedure()
    version = current_version(procedure)
    assert version.number == 1
    assert procedure.version == 1
    assert version.snapshot == procedure_snapshot(procedure)
    assert current_version(procedure) == version


def test_publishing_without_a_change_returns_the_latest_version(make):
    procedure = make.procedure()
    first = publish_version(procedure, actor=None)
    assert publish_version(procedure, actor=None) == first
    assert ProcedureVersion.objects.count() == 1


def test_editing_after_a_dossier_took_its_version_leaves_that_snapshot_unchanged(make):
    procedure = make.procedure(duration_days=5, fee=0)
    taken = current_version(procedure)
    frozen = dict(taken.snapshot)

    procedure.duration_days = 3
    procedure.save()
    ProcessStep.objects.create(
        procedure=procedure, order=1, name="Xử lý", role="processing_officer", time_share=100
    )
    second = publish_version(procedure, actor=None)

    taken.refresh_from_db()
    assert taken.snapshot == frozen
    assert taken.snapshot["procedure"]["duration_days"] == 5 and taken.snapshot["steps"] == []
    assert second.number == 2
    assert second.snapshot["procedure"]["duration_days"] == 3
    assert second.snapshot["steps"][0]["time_share"] == "100.00"
    procedure.refresh_from_db()
    assert procedure.version == 2


def test_a_snapshot_holds_fields_components_fees_and_steps(make):
    unit = make.unit("000.00.03.H29", name="Sở Tư pháp", level="province", kind="department")
    procedure = make.procedure(code="1.000777", fee=8000, province_unit=unit)
    procedure.components.create(order=1, name="Tờ khai", document_type="to_khai")
    procedure.fee_lines.create(order=1, name="Phí", amount=8000)
    snapshot = publish_version(procedure, actor=None).snapshot
    assert snapshot["procedure"]["code"] == "1.000777"
    assert snapshot["procedure"]["province_unit"] == "000.00.03.H29"
    assert snapshot["components"][0]["document_type"] == "to_khai"
    assert snapshot["fee_lines"] == [{"order": 1, "name": "Phí", "amount": 8000, "note": ""}]


def test_each_version_is_audited_with_its_actor(make):
    officer = make.user()
    procedure = make.procedure()
    publish_version(procedure, actor=officer)
    procedure.name = "Tên đã sửa"
    procedure.save()
    publish_version(procedure, actor=officer)
    events = list(AuditEvent.objects.filter(action="catalog.publish_version").order_by("seq"))
    assert [e.after["version"] for e in events] == [1, 2]
    assert events[1].before["snapshot"]["procedure"]["name"] != "Tên đã sửa"
    assert {e.actor_id for e in events} == {officer.pk}
    assert events[0].object_id == str(procedure.pk)
