"""The Word report, laid out per Decree 30/2020/NĐ-CP: A4 and its margins, Times New Roman, the
national title and motto, number and symbol, place and date, numbered sections, recipients and
the signature."""

import datetime as dt
import io
import re

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from motcua.scorecard import reports, services


def report(plan="hatinh-2023", period="2023", heading=None, day=dt.date(2026, 11, 27)):
    data = reports.from_stored(services.current_results(plan, period))
    return Document(io.BytesIO(reports.word_bytes(data, heading, day)))


def paragraph(doc, text):
    return next(p for p in doc.paragraphs if p.text == text)


def cell_paragraph(cell, text):
    return next(p for p in cell.paragraphs if p.text == text)


def has_rule(p):
    return p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None


@pytest.mark.django_db
def test_a4_with_the_decrees_margins_and_times_new_roman(tiny):
    doc = report()
    section = doc.sections[0]
    # Word keeps lengths in twentieths of a point: compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    fonts = {run.font.name for p in doc.paragraphs for run in p.runs}
    assert fonts == {"Times New Roman"}


@pytest.mark.django_db
def test_the_header_names_the_issuer_and_carries_the_national_title_and_motto(tiny):
    doc = report()
    left, right = doc.tables[0].rows[0].cells
    superior = cell_paragraph(left, "UBND TỈNH HÀ TĨNH")
    assert not superior.runs[0].bold
    issuer = cell_paragraph(left, "SỞ NỘI VỤ")
    assert issuer.runs[0].bold
    assert has_rule(left.paragraphs[[p.text for p in left.paragraphs].index("SỞ NỘI VỤ") + 1])
    assert left.paragraphs[-1].text.replace("\u00a0", "").replace(" ", "") == "Số:/BC-SNV"

    title = cell_paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert title.runs[0].bold and Pt(12) <= title.runs[0].font.size <= Pt(13)
    motto = cell_paragraph(right, "Độc lập - Tự do - Hạnh phúc")
    assert motto.runs[0].bold and Pt(13) <= motto.runs[0].font.size <= Pt(14)
    texts = [p.text for p in right.paragraphs]
    assert has_rule(right.paragraphs[texts.index("Độc lập - Tự do - Hạnh phúc") + 1])
    date = cell_paragraph(right, "Hà Tĩnh, ngày 27 tháng 11 năm 2026")
    assert date.runs[0].italic and date.alignment == WD_ALIGN_PARAGRAPH.CENTER


@pytest.mark.django_db
def test_the_document_type_and_title_are_bold_and_centred(tiny):
    doc = report()
    kind = paragraph(doc, "BÁO CÁO")
    subject = paragraph(doc, "Tiến độ thực hiện Kế hoạch cải cách hành chính tỉnh Hà Tĩnh năm 2023")
    for p in (kind, subject):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(run.bold for run in p.runs)
    quarter = report(period="2023-Q2")
    assert paragraph(
        quarter, "Tiến độ thực hiện Kế hoạch cải cách hành chính tỉnh Hà Tĩnh năm 2023 (quý II năm 2023)"
    )
    index = report(plan="qd766")
    assert any(p.text.startswith("Kết quả Bộ chỉ số chỉ đạo, điều hành") for p in index.paragraphs)


@pytest.mark.django_db
def test_numbered_sections_list_each_target_its_result_and_the_units_holding_it_back(tiny):
    doc = report()
    texts = [p.text for p in doc.paragraphs]
    headings = [t for t in texts if re.match(r"^[IVX]+\. ", t)]
    assert headings == [
        "I. KẾT QUẢ CHUNG",
        "II. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
        "IV. CẢI CÁCH TỔ CHỨC BỘ MÁY, BIÊN CHẾ",
        "V. XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
        "VI. NHIỆM VỤ KHÁC",
        "VII. CÁC CHỈ SỐ ĐÁNH GIÁ",
    ]
    assert all(paragraph(doc, h).runs[0].bold for h in headings)
    assert (
        "7. Tỷ lệ hồ sơ TTHC thuộc danh mục dịch vụ công trực tuyến toàn trình được tiếp nhận và thụ lý trực tuyến"
        in texts
    )
    position = texts.index("9. Tỷ lệ số hóa kết quả giải quyết TTHC")
    assert texts[position + 1].startswith(
        "Mục tiêu: cấp tỉnh ≥ 70%, cấp huyện ≥ 60%, cấp xã ≥ 55%. Kết quả: toàn tỉnh 33,33% (2/6); cấp tỉnh 50% (1/2): không đạt"
    )
    # The city reached 0% against its level's 60%: first of the units holding the target back.
    assert texts[position + 2].startswith(
        "Đơn vị chưa đạt mục tiêu (3 đơn vị): Ủy ban nhân dân thành phố Hà Tĩnh (0%; mục tiêu ≥ 60%)"
    )
    assert "Mục tiêu: ≥ 60%. Kết quả: toàn tỉnh 71,43% (5/7): đạt" in " ".join(texts)
    summary = texts[texts.index("I. KẾT QUẢ CHUNG") + 1]
    assert "4 chỉ tiêu đạt, 7 chỉ tiêu không đạt" in summary
    assert texts[-1].endswith("của Sở Nội vụ./.")


@pytest.mark.django_db
def test_recipients_bottom_left_and_the_signature_bottom_right(tiny):
    heading = reports.Heading(signer_title="Phó Giám đốc", signer_name="Nguyễn Văn A", number="125")
    doc = report(heading=heading)
    left, right = doc.tables[-1].rows[0].cells
    recipients = left.paragraphs[0]
    assert recipients.text == "Nơi nhận:"
    assert recipients.runs[0].bold and recipients.runs[0].italic and recipients.runs[0].font.size == Pt(12)
    assert left.paragraphs[-1].text == "- Lưu: VT, CCHC."
    assert all(p.runs[0].font.size == Pt(11) for p in left.paragraphs[1:])
    title = right.paragraphs[0]
    assert title.text == "PHÓ GIÁM ĐỐC" and title.runs[0].bold
    name = right.paragraphs[-1]
    assert name.text == "Nguyễn Văn A" and name.runs[0].bold
    assert doc.tables[0].rows[0].cells[0].paragraphs[-1].text == "Số: 125/BC-SNV"


@pytest.mark.django_db
def test_the_word_download(client, tiny, make):
    from django.urls import reverse

    from tests.scorecard import dashboard_people

    client.force_login(dashboard_people.people(make)["manager"])
    response = client.get(reverse("dashboard:export", args=["docx"]) + "?plan=qd766&period=2023")
    assert response["Content-Type"] == reports.CONTENT_TYPES["docx"]
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-qd766-2023.docx"'
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Tổng điểm toàn tỉnh: ") for t in texts)
    assert "II. CÔNG KHAI, MINH BẠCH" in texts
