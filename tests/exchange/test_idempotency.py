"""Importing the same bundle twice changes nothing; a dossier whose code exists is updated."""

from __future__ import annotations

import json

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.models import Dossier, DossierFact
from motcua.exchange.services import import_bundle
from motcua.orgs.models import Unit
from tests.exchange.conftest import dump, table_counts

pytestmark = pytest.mark.django_db


def rewrite_dossier(bundle, code, **changes):
    lines = (bundle / "dossiers.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        record = json.loads(line)
        if record["code"] == code:
            record.update(changes)
        out.append(json.dumps(record, ensure_ascii=False))
    (bundle / "dossiers.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")


def test_second_import_changes_nothing(tiny):
    import_bundle(tiny)
    counts, rows = table_counts(), dump()
    summary = import_bundle(tiny)
    assert summary.dossiers.as_dict() == {"created": 0, "updated": 0, "unchanged": 14, "facts_written": 0}
    assert summary.units.updated == summary.procedures.updated == 0
    assert not summary.changed
    assert table_counts() == counts
    assert dump() == rows  # same ids, same values, no audit event


def test_an_updated_dossier_is_updated(tiny):
    import_bundle(tiny)
    d12 = Dossier.objects.get(code="D12")
    fact_before = DossierFact.objects.get(pk=d12.pk)
    untouched = dump()["dossiers.Dossier"]
    rewrite_dossier(
        tiny,
        "D12",
        outcome="approved",
        finished_at="2023-12-20T10:00:00+07:00",
        returned_at="2023-12-21T10:00:00+07:00",
        payments=[{"amount": 5000, "online": True, "paid_at": "2023-12-11T09:30:00+07:00"}],
        documents=[],
        rating="satisfied",
        complaint=False,
    )
    summary = import_bundle(tiny)
    assert summary.dossiers.updated == 1 and summary.dossiers.unchanged == 13
    d12.refresh_from_db()
    assert (d12.outcome, d12.status, d12.version) == ("approved", "returned", 1)
    assert list(d12.payments.values_list("amount", "online")) == [(5000, True)]
    assert d12.documents.count() == 0
    assert d12.rating.value == "satisfied"
    assert d12.complaints.count() == 0
    fact = DossierFact.objects.get(pk=d12.pk)
    assert fact.outcome == "approved" and fact.any_online_payment and fact.rating == "satisfied"
    assert fact.finished_date != fact_before.finished_date
    # The other dossiers kept their rows untouched.
    others = [row for row in dump()["dossiers.Dossier"] if row[0] != d12.pk]
    assert others == [row for row in untouched if row[0] != d12.pk]
    event = AuditEvent.objects.filter(action="exchange.import").order_by("-seq").first()
    assert event.after["dossiers"]["updated"] == 1


def test_a_dossier_moved_to_another_unit_is_held_there(tiny):
    import_bundle(tiny)
    d12 = Dossier.objects.get(code="D12")
    other = Unit.objects.get(code="000.00.21.H29")  # the district, D12 being at a commune
    assert d12.unit_id != other.pk
    rewrite_dossier(tiny, "D12", unit=other.code)
    import_bundle(tiny)
    d12.refresh_from_db()
    assert (d12.unit_id, d12.held_by_id) == (other.pk, other.pk)
    assert all(held == unit for unit, held in Dossier.objects.values_list("unit", "held_by"))


def test_changed_units_and_procedures_are_updated(tiny):
    import_bundle(tiny)
    text = (tiny / "units.csv").read_text(encoding="utf-8").replace("Sở Tư pháp tỉnh Hà Tĩnh", "Sở Tư pháp")
    (tiny / "units.csv").write_text(text, encoding="utf-8")
    text = (
        (tiny / "procedures.csv")
        .read_text(encoding="utf-8")
        .replace(
            "1.000006,Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội,Bảo trợ xã hội,5,",
            "1.000006,Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội,Bảo trợ xã hội,7,",
        )
    )
    (tiny / "procedures.csv").write_text(text, encoding="utf-8")
    summary = import_bundle(tiny)
    assert summary.units.as_dict() == {"created": 0, "updated": 1, "unchanged": 3}
    assert summary.procedures.updated == 1
    assert Unit.objects.get(code="000.00.01.H29").name == "Sở Tư pháp"
    assert summary.dossiers.updated == 0


def test_a_unit_moved_under_another_parent_gets_a_new_path(tiny):
    import_bundle(tiny)
    text = (
        (tiny / "units.csv")
        .read_text(encoding="utf-8")
        .replace(
            "000.01.21.H29,Ủy ban nhân dân phường Bắc Hà,people_committee,commune,000.00.21.H29",
            "000.01.21.H29,Ủy ban nhân dân phường Bắc Hà,people_committee,commune,000.00.01.H29",
        )
    )
    (tiny / "units.csv").write_text(text, encoding="utf-8")
    import_bundle(tiny)
    department = Unit.objects.get(code="000.00.01.H29")
    assert (
        Unit.objects.get(code="000.01.21.H29").path
        == f"{department.path}{Unit.objects.get(code='000.01.21.H29').pk}/"
    )


def test_a_bundle_mixing_new_and_known_dossiers_creates_and_keeps(tiny):
    import_bundle(tiny)
    with open(tiny / "dossiers.jsonl", "a", encoding="utf-8") as out:
        out.write(
            '{"code":"D15","procedure":"1.000002","unit":"000.01.21.H29","channel":"online",'
            '"received_at":"2024-01-12T09:00:00+07:00"}\n'
        )
    summary = import_bundle(tiny)
    assert summary.dossiers.as_dict() == {"created": 1, "updated": 0, "unchanged": 14, "facts_written": 1}
    assert DossierFact.objects.filter(dossier__code="D15").exists()


def test_dossiers_created_after_an_import_get_fresh_ids(tiny):
    import_bundle(tiny)
    imported = Dossier.objects.get(code="D1")
    later = Dossier.objects.create(
        code="LATER", procedure=imported.procedure, unit=imported.unit, channel="counter", status="received"
    )
    assert later.pk > max(Dossier.objects.exclude(pk=later.pk).values_list("pk", flat=True))
