"""Forms 01–05 of Circular 01/2018/TT-VPCP render as PDF with the dossier's data, in Vietnamese
with correct diacritics (text read back from the PDF with pypdf)."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.accounts.choices import Role
from motcua.dossiers.choices import DocumentSource, Status
from motcua.dossiers.forms import render_form01, render_form02, render_form03, render_form04, render_form05
from motcua.dossiers.forms.layout import long_date
from motcua.dossiers.models import Apology, DossierDocument, DossierStep, Refusal, Supplement
from motcua.errors import StateError
from tests.payments.builders import vn

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def text_of(pdf: bytes) -> str:
    """The PDF's text, NFC-normalised, with runs of white space made single spaces."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture
def dossier(office):
    d = office.dossier(Status.PROCESSING, return_method="postal")
    components = list(office.procedure.components.order_by("order"))
    DossierDocument.objects.create(
        dossier=d, component=components[0], name=components[0].name, source="paper"
    )
    DossierDocument.objects.create(
        dossier=d, component=components[1], name=components[1].name, source=DocumentSource.NATIONAL_DB
    )
    return d


def test_the_header_date_follows_the_official_style():
    import datetime as dt

    assert long_date(dt.date(2023, 3, 6)) == "ngày 06 tháng 3 năm 2023"
    assert long_date(dt.date(2023, 2, 14)) == "ngày 14 tháng 02 năm 2023"
    assert long_date(dt.date(2023, 12, 1)) == "ngày 01 tháng 12 năm 2023"


@pytest.mark.django_db
def test_form01_the_receipt_and_appointment_slip(dossier, office):
    text = text_of(render_form01(dossier))

    for expected in [
        *MOTTO,
        "UBND HUYỆN THẠCH HÀ",
        "ỦY BAN NHÂN DÂN XÃ THẠCH KÊNH",
        "Hà Tĩnh, ngày 06 tháng 3 năm 2023",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "Khai thác từ cơ sở dữ liệu quốc gia",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 06/03/2023",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 13/03/2023",
        "6. Đăng ký nhận kết quả tại: Qua bưu chính",
        "7. Phí, lệ phí: 70.000 đồng (chưa nộp)",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Trần Thị Bình",
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_form01_needs_a_received_dossier(office):
    with pytest.raises(StateError):
        render_form01(office.dossier(Status.NEW))


@pytest.mark.django_db
def test_form02_the_request_to_complete_the_dossier(dossier, office):
    Supplement.objects.create(
        dossier=dossier, requested_at=vn(2023, 3, 7, 9, 0), reason="Thiếu giấy tờ", items=["x"]
    )
    Supplement.objects.create(
        dossier=dossier,
        requested_at=vn(2023, 3, 8, 10, 0),
        requested_by=office.processor,
        reason="Giấy chứng sinh bị mờ, không đọc được.",
        items=["Bản sao có chứng thực Giấy chứng sinh", "Tờ khai có chữ ký của người đi khai sinh"],
    )

    text = text_of(render_form02(dossier))

    for expected in [
        *MOTTO,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Số: {dossier.code}/BS02",
        "Hà Tĩnh, ngày 08 tháng 3 năm 2023",
        "Hồ sơ của: Nguyễn Văn An",
        "Ngày tiếp nhận hồ sơ: 06/03/2023",
        "1. Bản sao có chứng thực Giấy chứng sinh",
        "2. Tờ khai có chữ ký của người đi khai sinh",
        "Lý do: Giấy chứng sinh bị mờ, không đọc được.",
        "liên hệ với Lê Văn Cường, số điện thoại 0239 3845 111",
        "NGƯỜI HƯỚNG DẪN",
    ]:
        assert expected in text, expected
    first = text_of(render_form02(dossier, Supplement.objects.order_by("id").first().pk))
    assert f"Số: {dossier.code}/BS01" in first and "ngày 07 tháng 3 năm 2023" in first


@pytest.mark.django_db
def test_form02_needs_a_supplement_request(dossier):
    with pytest.raises(StateError, match="không có yêu cầu bổ sung"):
        render_form02(dossier)


@pytest.mark.django_db
def test_form03_the_refusal_at_intake(office):
    refused = office.dossier(Status.NOT_RECEIVED)
    Refusal.objects.create(
        dossier=refused,
        refused_at=vn(2023, 3, 6, 10, 15),
        refused_by=office.counter,
        reasons="Thủ tục không thuộc thẩm quyền của xã.\nNgười nộp không phải người có yêu cầu.",
    )

    text = text_of(render_form03(refused))

    for expected in [
        *MOTTO,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Hà Tĩnh, ngày 06 tháng 3 năm 2023",
        "Ngày nộp hồ sơ: 06/03/2023",
        "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        "- Thủ tục không thuộc thẩm quyền của xã.",
        "- Người nộp không phải người có yêu cầu.",
        "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
        "Trần Thị Bình",
    ]:
        assert expected in text, expected
    with pytest.raises(StateError):
        render_form03(office.dossier(Status.PROCESSING))


@pytest.mark.django_db
def test_form04_the_apology_with_a_new_appointment(dossier):
    Apology.objects.create(
        dossier=dossier,
        issued_at=vn(2023, 3, 14, 8, 0),
        reason="Phải xác minh thông tin với bệnh viện nơi sinh.",
        original_due_at=vn(2023, 3, 13, 17, 0),
        new_due_at=vn(2023, 3, 16, 17, 0),
    )

    text = text_of(render_form04(dossier))

    for expected in [
        *MOTTO,
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Nguyễn Văn An",
        "Hà Tĩnh, ngày 14 tháng 3 năm 2023",
        "Ngày 06/03/2023, Ủy ban nhân dân xã Thạch Kênh tiếp nhận giải quyết hồ sơ",
        "Thời hạn trả kết quả giải quyết hồ sơ: ngày 13/03/2023.",
        "Lý do: Phải xác minh thông tin với bệnh viện nơi sinh.",
        "xin lỗi Ông/Bà/tổ chức",
        "vào 17 giờ 00 phút, ngày 16/03/2023.",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_form05_the_process_control_slip(dossier, office):
    dept = office.other_commune
    steps = [
        (
            "Thẩm định hồ sơ",
            office.commune,
            office.processor,
            (2023, 3, 6, 9),
            (2023, 3, 9, 17),
            (2023, 3, 8, 16),
        ),
        (
            "Lấy ý kiến phối hợp",
            dept,
            office.other_counter,
            (2023, 3, 8, 16),
            (2023, 3, 9, 17),
            (2023, 3, 10, 9),
        ),
        ("Phê duyệt, ký kết quả", office.commune, office.leader, (2023, 3, 10, 9), (2023, 3, 13, 12), None),
    ]
    for order, (name, unit, person, started, due, finished) in enumerate(steps, start=1):
        DossierStep.objects.create(
            dossier=dossier,
            order=order,
            name=name,
            role=Role.PROCESSING_OFFICER,
            unit=unit,
            assigned_to=person,
            started_at=vn(*started),
            due_at=vn(*due),
            finished_at=vn(*finished) if finished else None,
            finished_by=person if finished else None,
        )

    text = text_of(render_form05(dossier))

    for expected in [
        *MOTTO,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {dossier.code}",
        "Ngày tiếp nhận: 06/03/2023",
        "Ngày hẹn trả: 13/03/2023",
        "Cơ quan phối hợp giải quyết hồ sơ: Ủy ban nhân dân xã Thạch Sơn",
        "Người giao",
        "Người nhận",
        "1. Giao: Bộ phận tiếp nhận và trả kết quả",
        "09 giờ 00 phút, ngày 06/03/2023",
        "Trước hạn",
        "Quá hạn",
        "Đang xử lý",
        "Lê Văn Cường",
        "Phạm Đức Dũng",
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_the_forms_api_serves_pdfs_within_scope(client, dossier, office):
    url = f"/api/forms/{dossier.code}/01.pdf"

    client.force_login(office.citizen)
    own = client.get(url)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text_of(own.content)

    client.force_login(office.counter)
    assert client.get(f"/api/forms/{dossier.code}/05.pdf").status_code == 200
    assert client.get(f"/api/forms/{dossier.code}/02.pdf").status_code == 409
    assert client.get(f"/api/forms/{dossier.code}/07.pdf").status_code == 404

    client.force_login(office.stranger)
    assert client.get(url).status_code == 404
    client.force_login(office.other_counter)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 401
