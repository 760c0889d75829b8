"""`motcua report`: the workbook or the Word report of a plan and period, from stored results, or
evaluated at another as_of without storing anything."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from motcua.scorecard.models import ResultSet


@pytest.mark.django_db
def test_the_workbook_from_stored_results(tiny, tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    out = io.StringIO()
    call_command(
        "report",
        "--plan",
        "hatinh-2023",
        "--period",
        "2023",
        "--format",
        "xlsx",
        "--output",
        str(target),
        stdout=out,
    )
    assert "bao-cao.xlsx" in out.getvalue()
    book = load_workbook(target)
    assert book.sheetnames[0] == "Tỉnh" and "15/01/2024 10:00" in book["Tỉnh"]["A1"].value
    assert ResultSet.objects.filter(plan__code="hatinh-2023", period="2023").exists()


@pytest.mark.django_db
def test_another_as_of_is_evaluated_and_not_stored(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command(
        "report",
        "--plan",
        "qd766",
        "--period",
        "2023-Q4",
        "--as-of",
        "2023-11-30T17:00:00",
        "--format",
        "xlsx",
    )
    book = load_workbook(tmp_path / "bao-cao-qd766-2023-Q4.xlsx")
    assert "30/11/2023 17:00" in book["Tỉnh"]["A1"].value
    assert not ResultSet.objects.exists()


@pytest.mark.django_db
def test_the_word_report_with_its_signer_and_date(tiny, tmp_path):
    target = tmp_path / "bao-cao.docx"
    call_command(
        "report",
        "--plan", "hatinh-2023",
        "--period", "2023",
        "--format", "docx",
        "--output", str(target),
        "--date", "05/02/2024",
        "--number", "18",
        "--signer-title", "Giám đốc",
        "--signer-name", "Trần Thị B",
        "--recipient", "Bộ Nội vụ (để báo cáo);",
        "--recipient", "Lưu: VT.",
    )  # fmt: skip
    doc = Document(target)
    header = [p.text for cell in doc.tables[0].rows[0].cells for p in cell.paragraphs]
    assert "Hà Tĩnh, ngày 05 tháng 02 năm 2024" in header and "Số: 18/BC-SNV" in header
    sign_off = [p.text for cell in doc.tables[-1].rows[0].cells for p in cell.paragraphs]
    assert sign_off[:3] == ["Nơi nhận:", "- Bộ Nội vụ (để báo cáo);", "- Lưu: VT."]
    assert sign_off[3] == "GIÁM ĐỐC" and sign_off[-1] == "Trần Thị B"


@pytest.mark.django_db
def test_mistakes_are_command_errors(tiny, tmp_path):
    with pytest.raises(CommandError, match="khong-co"):
        call_command(
            "report",
            "--plan",
            "khong-co",
            "--period",
            "2023",
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command(
            "report",
            "--plan",
            "qd766",
            "--period",
            "2023-13",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="--date"):
        call_command(
            "report", "--plan", "qd766", "--period", "2023", "--format", "docx", "--date", "31/02/2024",
            "--output", str(tmp_path / "x"),
        )  # fmt: skip
