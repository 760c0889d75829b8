"""Loading is an upsert on the unit code: loading again changes nothing, a changed file updates in place."""

import datetime as dt

import pytest
from django.core.management import call_command

from motcua.audit.models import AuditEvent
from motcua.orgs.models import Unit
from motcua.orgs.services import load_units
from tests.orgs.conftest import DAY_2023


@pytest.mark.django_db
def test_the_first_load_creates_every_unit_and_writes_one_audit_event():
    summary = load_units("42", DAY_2023)
    assert (summary.created, summary.updated, summary.unchanged) == (324, 0, 0)
    assert summary.in_force == {"province": 25, "district": 13, "commune": 216}
    events = AuditEvent.objects.filter(action="orgs.load_units")
    assert events.count() == 1
    assert events.get().after["created"] == 324


@pytest.mark.django_db
def test_loading_again_changes_nothing(ha_tinh):
    before = dict(Unit.objects.values_list("code", "pk"))
    paths = dict(Unit.objects.values_list("code", "path"))
    summary = load_units("42", dt.date(2025, 7, 1))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 324)
    assert summary.in_force == {"province": 20, "district": 0, "commune": 69}
    assert dict(Unit.objects.values_list("code", "pk")) == before
    assert dict(Unit.objects.values_list("code", "path")) == paths


@pytest.mark.django_db
def test_a_changed_row_updates_the_unit_in_place_and_keeps_its_contacts(ha_tinh, tmp_path):
    justice = ha_tinh("Sở Tư pháp")
    justice.phone = "0239 3855 123"
    justice.save()
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,level,parent,note\n000.00.03.H29,Sở Tư pháp tỉnh Hà Tĩnh,department,province,000.00.00.H29,x\n",
        encoding="utf-8",
    )
    summary = load_units("42", files=[path])
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    justice.refresh_from_db()
    assert (justice.name, justice.note, justice.phone) == ("Sở Tư pháp tỉnh Hà Tĩnh", "x", "0239 3855 123")


@pytest.mark.django_db
def test_the_command_prints_the_units_in_force_per_level(capsys):
    call_command("load_units", "--province", "42", "--as-of", "2023-12-31")
    out = capsys.readouterr().out
    assert "tạo mới 324" in out
    assert "Còn hiệu lực ngày 31/12/2023" in out
    assert "Cấp huyện: 13" in out
    assert "Cấp xã: 216" in out
