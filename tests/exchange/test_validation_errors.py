"""A bundle with errors lists every one (file, line, field) and changes nothing."""

from __future__ import annotations

import json
import re

import pytest

from motcua.errors import LoadError
from motcua.exchange.services import import_bundle
from tests.exchange.conftest import dump, table_counts

pytestmark = pytest.mark.django_db

UNITS = """code,name,kind,level,parent
R,Ủy ban nhân dân tỉnh,people_committee,province,
S,Sở Tư pháp,department,province,R
S,Sở trùng mã,department,province,R
K,Đơn vị loại lạ,ministry,province,R
L,Đơn vị cấp lạ,people_committee,region,R
O,Đơn vị mồ côi,people_committee,district,NOWHERE
A,Vòng A,other,commune,B
B,Vòng B,other,commune,A
"""

PROCEDURES = """code,name,field,duration_days,day_kind,fee,online_level,full_online_eligible,online_payment,public_national,paper_result,internal,published,announced_on,effective_on,public_on
P1,Thủ tục một,Hộ tịch,5,working,0,full,1,0,1,1,0,1,2023-01-02,,
P1,Thủ tục trùng,Hộ tịch,5,working,0,full,1,0,1,1,0,1,,,
P2,Thời hạn âm,Hộ tịch,-1,working,0,full,1,0,1,1,0,1,,,
P3,Thời hạn lẻ,Hộ tịch,2.5,weekly,-5,everything,yes,0,1,1,0,1,2023-13-01,03/01/2023,
"""


def dossier(**fields):
    base = {
        "code": "OK",
        "procedure": "P1",
        "unit": "S",
        "channel": "online",
        "received_at": "2023-03-06T08:30:00+07:00",
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not ...}, ensure_ascii=False)


DOSSIER_LINES = [
    dossier(code="G1"),  # 1: valid
    '{"code": "BROKEN", ',  # 2: malformed JSON
    dossier(code="G3", channel=...),  # 3: missing required key
    dossier(code="G4", procedure="NOPE", unit="NOWHERE-UNIT"),  # 4: unknown codes
    dossier(code="G5", channel="fax", outcome="lost", rating="meh"),  # 5: enums
    dossier(code="G6", received_at="06/03/2023 08:30"),  # 6: not ISO 8601
    dossier(code="G7", finished_at="2023-03-05T08:00:00+07:00"),  # 7: finished before received
    dossier(code="G8", finished_at="2023-03-07T08:00:00+07:00", returned_at="2023-03-07T07:00:00+07:00"),  # 8
    dossier(
        code="G9",
        supplements=[
            {"requested_at": "2023-03-08T08:00:00+07:00", "received_at": "2023-03-07T08:00:00+07:00"}
        ],
    ),
    dossier(code="G1"),  # 10: duplicate code
    dossier(
        code="G11",
        payments=[
            {"amount": -5, "online": True, "paid_at": "2023-03-06T09:00:00+07:00"},
            {"amount": 100.5},
            {"amount": "100"},
        ],
    ),
    dossier(
        code="G12",
        documents=[{"component": "Tờ khai", "source": "email", "available": False, "digitized": True}],
    ),
    dossier(code="G13", synced="yes", applicant={"kind": "robot", "id": "1", "vneid": 1}),
    "[1, 2, 3]",  # 14: not an object
]

EXPECTED = [
    ("units.csv", 4, "code"),
    ("units.csv", 5, "kind"),
    ("units.csv", 6, "level"),
    ("units.csv", 7, "parent"),
    ("units.csv", 8, "parent"),
    ("units.csv", 9, "parent"),
    ("procedures.csv", 3, "code"),
    ("procedures.csv", 4, "duration_days"),
    ("procedures.csv", 5, "duration_days"),
    ("procedures.csv", 5, "day_kind"),
    ("procedures.csv", 5, "fee"),
    ("procedures.csv", 5, "online_level"),
    ("procedures.csv", 5, "full_online_eligible"),
    ("procedures.csv", 5, "announced_on"),
    ("procedures.csv", 5, "effective_on"),
    ("dossiers.jsonl", 2, None),
    ("dossiers.jsonl", 3, "channel"),
    ("dossiers.jsonl", 4, "procedure"),
    ("dossiers.jsonl", 4, "unit"),
    ("dossiers.jsonl", 5, "channel"),
    ("dossiers.jsonl", 5, "outcome"),
    ("dossiers.jsonl", 5, "rating"),
    ("dossiers.jsonl", 6, "received_at"),
    ("dossiers.jsonl", 7, "finished_at"),
    ("dossiers.jsonl", 8, "returned_at"),
    ("dossiers.jsonl", 9, "supplements[0].received_at"),
    ("dossiers.jsonl", 10, "code"),
    ("dossiers.jsonl", 11, "payments[0].amount"),
    ("dossiers.jsonl", 11, "payments[1].amount"),
    ("dossiers.jsonl", 11, "payments[2].amount"),
    ("dossiers.jsonl", 12, "documents[0].source"),
    ("dossiers.jsonl", 13, "synced"),
    ("dossiers.jsonl", 13, "applicant.kind"),
    ("dossiers.jsonl", 13, "applicant.vneid"),
    ("dossiers.jsonl", 14, "-"),
]


def write_bundle(path, *, manifest=None, units=UNITS, procedures=PROCEDURES, dossiers=DOSSIER_LINES):
    path.mkdir()
    manifest = manifest or {
        "format": "motcua-exchange",
        "version": 1,
        "as_of": "2024-01-15T10:00:00+07:00",
        "province": "42",
    }
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (path / "units.csv").write_text(units, encoding="utf-8")
    (path / "procedures.csv").write_text(procedures, encoding="utf-8")
    (path / "dossiers.jsonl").write_text("\n".join(dossiers) + "\n", encoding="utf-8")
    return path


def errors_of(path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(LoadError) as caught:
        import_bundle(path)
    return caught.value.errors


def test_every_error_is_listed_with_file_line_and_field_and_nothing_changes(tiny, tmp_path):
    import_bundle(tiny)  # data already there must stay exactly as it is
    before_counts, before = table_counts(), dump()
    found = {(file, line, field) for file, line, field, _message in errors_of(write_bundle(tmp_path / "bad"))}
    missing = [e for e in EXPECTED if e not in found]
    assert not missing, f"not reported: {missing}\nreported: {sorted(found, key=str)}"
    assert ("dossiers.jsonl", 1, None) not in found and not any(
        f == "dossiers.jsonl" and line == 1 for f, line, _x in found
    )
    assert table_counts() == before_counts
    assert dump() == before


def test_the_message_reads_file_line_field(tmp_path):
    with pytest.raises(LoadError) as caught:
        import_bundle(write_bundle(tmp_path / "bad"))
    text = caught.value.message
    assert re.search(r"^dossiers\.jsonl:6: received_at: .*ISO 8601", text, re.MULTILINE)
    assert re.search(r"^units\.csv:7: parent: .*NOWHERE", text, re.MULTILINE)


def test_manifest_is_checked(tmp_path):
    # Any province is welcome in an empty database (test_other_province); an empty code is not.
    manifest = {"format": "other", "version": 2, "as_of": "yesterday", "province": ""}
    found = {(f, field) for f, _line, field, _m in errors_of(write_bundle(tmp_path / "b", manifest=manifest))}
    assert {
        ("manifest.json", "format"),
        ("manifest.json", "version"),
        ("manifest.json", "as_of"),
        ("manifest.json", "province"),
    } <= found


def test_missing_files_and_required_columns_are_reported(tmp_path):
    path = write_bundle(tmp_path / "b", units="code,name,level\nR,Tỉnh,province\n", dossiers=[])
    (path / "procedures.csv").unlink()
    found = {(f, line, field) for f, line, field, _m in errors_of(path)}
    assert ("procedures.csv", None, None) in found
    assert ("units.csv", 1, "kind") in found


def test_references_may_point_to_rows_already_in_the_database(tmp_path, make):
    make.unit("S", level="province", kind="department")
    make.procedure("P1")
    line = dossier(code="DB1")
    path = write_bundle(
        tmp_path / "b",
        units="code,name,kind,level,parent\n",
        procedures="code,name,duration_days\n",
        dossiers=[line],
    )
    summary = import_bundle(path)
    assert summary.dossiers.created == 1


def test_a_csv_row_with_a_stray_comma_is_reported(tmp_path):
    units = "code,name,kind,level,parent\nR,Ủy ban nhân dân tỉnh, Hà Tĩnh,people_committee,province,\n"
    found = {
        (f, line) for f, line, _field, _m in errors_of(write_bundle(tmp_path / "b", units=units, dossiers=[]))
    }
    assert ("units.csv", 2) in found


def test_a_repeated_code_is_listed_at_its_line_naming_the_first(tmp_path):
    lines = [dossier(code="A"), dossier(code="B", channel="fax"), dossier(code="A"), dossier(code="C")]
    lines += [dossier(code="D", channel="fax"), dossier(code="A")]
    rows = [
        (line, field, message)
        for file, line, field, message in errors_of(write_bundle(tmp_path / "b", dossiers=lines))
        if file == "dossiers.jsonl"
    ]
    assert [(line, field) for line, field, _m in rows] == [
        (2, "channel"),
        (3, "code"),
        (5, "channel"),
        (6, "code"),
    ]
    assert "dòng 1" in rows[1][2] and "dòng 1" in rows[3][2]


def test_code_hashes_find_every_repeat_and_the_second_pass_drops_false_alarms(tmp_path):
    from motcua.exchange.bundle import Bundle
    from motcua.exchange.validation import CodeHashes, ErrorList, _report_repeated_codes

    seen = CodeHashes()
    for code in [f"X-{n}" for n in range(5000)] + ["X-17", "X-4999"]:
        seen.add(code)
    assert seen.repeated() == {hash("X-17"), hash("X-4999")}

    # A hash shared by two different codes (as if they collided) is not a repeat.
    path = write_bundle(tmp_path / "c", dossiers=[dossier(code="P"), dossier(code="Q")])
    errors = ErrorList()
    _report_repeated_codes(Bundle(path), {hash("P"), hash("Q")}, errors)
    assert not errors


VALID_UNITS = "code,name,kind,level,parent\nR,Ủy ban nhân dân tỉnh,people_committee,province,\nS,Sở Tư pháp,department,province,R\n"
VALID_PROCEDURES = PROCEDURES.splitlines()[0] + "\n" + PROCEDURES.splitlines()[1] + "\n"


def _streamed_or_not(monkeypatch, path, *, streamed: bool):
    """errors_of(path) with dossiers.jsonl checked first as a whole, or checked by the pipeline's
    workers while they prepare the rows (batches of 3 lines, so both workers get several)."""
    from motcua.exchange import pipeline, services

    monkeypatch.setattr(pipeline, "PIPELINE_FROM", 1 if streamed else 10**9)
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 3)
    used = []
    original = pipeline.run_pipeline
    monkeypatch.setattr(services, "run_pipeline", lambda *args: used.append(original(*args)) or used[-1])
    found = errors_of(path)
    assert used == ([True] if streamed else [])
    return found


def test_a_large_import_checked_while_written_lists_the_same_errors_and_keeps_nothing(tmp_path, monkeypatch):
    lines = [dossier(code=f"V{n}") for n in range(30)]
    bad = [line for line in DOSSIER_LINES if '"unit": "NOWHERE-UNIT"' not in line]  # S, P1 exist here
    lines[2:2] = bad[:5]
    lines[13:13] = ["", dossier(code="V4"), *bad[5:]]  # a blank line, a code repeated across workers
    lines.append(dossier(code="V0"))
    path = write_bundle(tmp_path / "b", units=VALID_UNITS, procedures=VALID_PROCEDURES, dossiers=lines)
    before_counts = table_counts()
    plain = _streamed_or_not(monkeypatch, path, streamed=False)
    streamed = _streamed_or_not(monkeypatch, path, streamed=True)
    assert streamed == plain
    assert [(line, field) for _f, line, field, _m in plain if field == "code"] == [
        (15, "code"),
        (19, "code"),
        (len(lines), "code"),
    ]
    assert len(plain) > 15 and {f for f, *_rest in plain} == {"dossiers.jsonl"}
    assert table_counts() == before_counts


def test_a_large_import_with_errors_in_units_lists_the_dossiers_errors_too(tmp_path, monkeypatch):
    path = write_bundle(tmp_path / "b", procedures=VALID_PROCEDURES)
    plain = _streamed_or_not(monkeypatch, path, streamed=False)
    from motcua.exchange import pipeline

    monkeypatch.setattr(pipeline, "PIPELINE_FROM", 1)
    assert errors_of(path) == plain  # the whole check, not the pipeline: units.csv has errors
    assert any(f == "units.csv" for f, *_rest in plain) and any(f == "dossiers.jsonl" for f, *_rest in plain)
