"""A valid bundle imports: as a directory or a zip, with or without a byte-order mark."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.models import Dossier, DossierFact
from motcua.exchange.services import import_bundle
from motcua.feedback.models import Complaint, DossierRating
from motcua.orgs.models import Unit
from motcua.payments.models import Payment
from tests.exchange.conftest import BUNDLE_FILES

pytestmark = pytest.mark.django_db


def _check_tiny_loaded() -> None:
    assert Unit.objects.count() == 4
    assert Dossier.objects.count() == 14
    assert DossierFact.objects.count() == 14
    assert set(Dossier.objects.values_list("source", flat=True)) == {"import"}


def test_tiny_directory_imports(tiny):
    summary = import_bundle(tiny)
    _check_tiny_loaded()
    assert summary.units.as_dict() == {"created": 4, "updated": 0, "unchanged": 0}
    assert summary.procedures.created == 8
    assert summary.dossiers.created == 14
    event = AuditEvent.objects.get(action="exchange.import")
    assert event.after["dossiers"]["created"] == 14


@pytest.mark.parametrize("inside_folder", [False, True])
def test_tiny_zip_imports(tiny, tmp_path, inside_folder):
    archive = tmp_path / "tiny.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in BUNDLE_FILES:
            out.write(tiny / name, f"export-2024/{name}" if inside_folder else name)
    import_bundle(archive)
    _check_tiny_loaded()


def test_files_with_a_byte_order_mark_import(tiny):
    for name in BUNDLE_FILES:
        path = tiny / name
        path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    import_bundle(tiny)
    _check_tiny_loaded()
    assert Unit.objects.filter(code="000.00.00.H29").exists()  # the first CSV column is not "\ufeffcode"


def test_status_follows_outcome_and_times(tiny):
    import_bundle(tiny)
    status = dict(Dossier.objects.values_list("code", "status"))
    assert status["D1"] == "returned"  # approved, result handed back
    assert status["D2"] == "processed"  # rejected, not handed back
    assert status["D9"] == "withdrawn"
    assert status["D10"] == "stopped"
    assert status["D12"] == "processing"


def test_open_dossier_with_unanswered_supplement_waits(tiny):
    line = (
        '{"code":"W1","procedure":"1.000001","unit":"000.00.01.H29","channel":"counter",'
        '"received_at":"2023-12-01T09:00:00+07:00","supplements":[{"requested_at":"2023-12-02T09:00:00+07:00",'
        '"received_at":null}]}\n'
    )
    with open(tiny / "dossiers.jsonl", "a", encoding="utf-8") as out:
        out.write(line)
    import_bundle(tiny)
    dossier = Dossier.objects.get(code="W1")
    assert dossier.status == "waiting_supplement"
    assert dossier.applicant_kind == "" and dossier.synced is True  # defaults for missing keys


def test_related_rows_are_written(tiny):
    import_bundle(tiny)
    d5 = Dossier.objects.get(code="D5")
    assert sorted(d5.payments.values_list("amount", "online", "status")) == [
        (0, True, "paid"),
        (10000, False, "paid"),
    ]
    assert list(d5.documents.values_list("name", "source", "available", "digitized")) == [
        ("Văn bản", "paper", False, True),
        ("Căn cước công dân", "paper", False, False),
    ]
    d6 = Dossier.objects.get(code="D6")
    assert d6.supplements.count() == 2
    # Rating time: returned_at, else finished_at, else received_at.
    assert DossierRating.objects.get(dossier=d6).rated_at == d6.finished_at
    complaint = Complaint.objects.get(dossier=d6)
    assert complaint.filed_at == d6.finished_at
    assert "nhập từ hệ thống nguồn" in complaint.text
    assert Payment.objects.count() == 12


def test_times_keep_their_instant_and_naive_ones_are_vietnam_time(tiny):
    import_bundle(tiny)
    vn = dt.timezone(dt.timedelta(hours=7))
    assert Dossier.objects.get(code="D4").received_at == dt.datetime(2023, 10, 8, 17, 0, tzinfo=vn)
    assert Dossier.objects.get(code="D5").received_at == dt.datetime(2023, 3, 2, 10, 0, tzinfo=vn)
    # due_at stays as given (null here); the fact row carries the computed one.
    d1 = Dossier.objects.get(code="D1")
    assert d1.due_at is None
    assert d1.fact.due_date == dt.date(2023, 3, 20)


def test_fact_rows_follow_the_due_date_rules(tiny):
    import_bundle(tiny)
    due = dict(DossierFact.objects.values_list("dossier__code", "due_date"))
    assert due["D2"] == dt.date(2023, 10, 23)
    assert due["D3"] == dt.date(2023, 3, 10)
    assert due["D4"] == dt.date(2023, 10, 9)
    assert due["D5"] == dt.date(2023, 3, 6)
    assert due["D11"] == dt.date(2023, 5, 22)
    level = dict(DossierFact.objects.values_list("dossier__code", "level"))
    assert (level["D1"], level["D6"], level["D3"]) == ("province", "district", "commune")


def test_imported_units_get_their_materialized_path(tiny):
    import_bundle(tiny)
    units = {u.code: u for u in Unit.objects.all()}
    root, city, ward = units["000.00.00.H29"], units["000.00.21.H29"], units["000.01.21.H29"]
    assert root.path == f"/{root.pk}/"
    assert ward.path == f"/{root.pk}/{city.pk}/{ward.pk}/"
    assert set(Unit.objects.subtree(city).values_list("code", flat=True)) == {
        "000.00.21.H29",
        "000.01.21.H29",
    }


def test_units_may_hang_under_units_already_in_the_database(tiny, make):
    parent = make.unit("EXISTING.ROOT", level="province", kind="people_committee")
    text = (
        (tiny / "units.csv")
        .read_text(encoding="utf-8")
        .replace("people_committee,province,\n", "people_committee,province,EXISTING.ROOT\n")
    )
    (tiny / "units.csv").write_text(text, encoding="utf-8")
    import_bundle(tiny)
    root = Unit.objects.get(code="000.00.00.H29")
    assert root.parent == parent
    assert Unit.objects.get(code="000.01.21.H29").path.startswith(parent.path)


def test_unknown_columns_and_keys_are_ignored(tiny):
    units = (tiny / "units.csv").read_text(encoding="utf-8").splitlines()
    units = [units[0] + ",extra"] + [line + ",x" for line in units[1:]]
    (tiny / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    lines = (tiny / "dossiers.jsonl").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0][:-1] + ',"future_field":{"a":1}}'
    (tiny / "dossiers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_bundle(tiny)
    _check_tiny_loaded()


def test_an_empty_dossiers_file_imports_the_catalog(tiny):
    (tiny / "dossiers.jsonl").write_text("", encoding="utf-8")
    summary = import_bundle(tiny)
    assert summary.procedures.created == 8
    assert Dossier.objects.count() == 0


def test_only_a_province_administrator_may_import(tiny, make):
    from motcua.errors import Forbidden

    province = make.unit("PROVINCE", level="province", kind="people_committee")
    with pytest.raises(Forbidden):
        import_bundle(tiny, actor=make.user(unit=province, role="counter_officer"))
    assert not Dossier.objects.exists()
    admin = make.user(unit=province, role="province_admin")
    import_bundle(tiny, actor=admin)
    assert AuditEvent.objects.get(action="exchange.import").actor_id == admin.pk
