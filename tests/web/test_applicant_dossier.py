"""The applicant's dossier page: status, promised date, timeline, and the actions open now —
answering a supplement request, withdrawing, paying online, rating, complaining, the result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers import services
from motcua.feedback.models import Complaint, DossierRating
from motcua.payments.models import Payment
from tests.web.world import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client, world):
    client.force_login(world.citizen)
    return client


def _page(client, dossier) -> str:
    response = client.get(f"/dossiers/{dossier.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_status_promised_date_and_timeline(citizen_client, world):
    dossier = world.receive()
    body = _page(citizen_client, dossier)
    assert "Đã tiếp nhận" in body
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in body
    assert "Tiếp nhận tại bộ phận một cửa" in body  # the timeline's first event
    assert "motcua.xa" in body  # who did it, as the audit log recorded
    assert "Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in body


def test_the_applicant_may_withdraw_with_a_reason(citizen_client, world):
    dossier = world.submit()
    assert "Rút hồ sơ" in _page(citizen_client, dossier)
    response = citizen_client.post(
        f"/dossiers/{dossier.code}/do/withdraw/",
        {"withdraw-version": dossier.version, "withdraw-reason": "Nộp nhầm thủ tục"},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"
    assert "Hồ sơ đã được rút." in response.content.decode()


def test_withdrawing_without_a_reason_keeps_the_form_open_with_the_error(citizen_client, world):
    dossier = world.submit()
    response = citizen_client.post(
        f"/dossiers/{dossier.code}/do/withdraw/", {"withdraw-version": dossier.version, "withdraw-reason": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert '<details class="action" id="action-withdraw" open>' in body
    assert "Trường này là bắt buộc." in body
    dossier.refresh_from_db()
    assert dossier.status == "new"


def test_a_stale_page_is_refused_with_a_message(citizen_client, world):
    dossier = world.submit()
    seen = dossier.version
    services.accept_online(world.counter, dossier)
    response = citizen_client.post(
        f"/dossiers/{dossier.code}/do/withdraw/",
        {"withdraw-version": seen, "withdraw-reason": "Không cần nữa"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Hồ sơ đã được cập nhật bởi người khác" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_an_action_not_open_now_is_a_message_not_an_error_page(citizen_client, world):
    dossier = world.returned()
    response = citizen_client.post(
        f"/dossiers/{dossier.code}/do/withdraw/",
        {"withdraw-version": dossier.version, "withdraw-reason": "Muộn rồi"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Không thể “Rút hồ sơ” hồ sơ này lúc này" in response.content.decode()


def test_the_applicant_answers_a_supplement_request_with_a_file(citizen_client, world):
    dossier = world.receive()
    services.request_supplement(world.processor, dossier, "Tờ khai thiếu chữ ký", ["Tờ khai có chữ ký"])
    dossier.refresh_from_db()
    body = _page(citizen_client, dossier)
    assert "Cơ quan đề nghị bổ sung hồ sơ" in body and "Tờ khai thiếu chữ ký" in body
    response = citizen_client.post(
        f"/dossiers/{dossier.code}/do/supply/",
        {
            "supply-version": dossier.version,
            "supply-c1_source": "upload",
            "supply-c1_file": SimpleUploadedFile(
                "to-khai-ky.pdf", PDF + b"ky", content_type="application/pdf"
            ),
            "supply-c2_source": "skip",
            "supply-c3_source": "skip",
        },
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == "processing"
    assert dossier.paused_at is None
    assert "Đã gửi giấy tờ bổ sung" in response.content.decode()


def test_paying_online_goes_through_the_simulator_bank_and_back(citizen_client, world):
    dossier = world.approved()
    body = _page(citizen_client, dossier)
    assert "Còn phải nộp" in body and "20.000\u00a0đ" in body
    start = citizen_client.post(
        f"/dossiers/{dossier.code}/do/pay_online/", {"pay_online-version": dossier.version}
    )
    assert start.status_code == 302
    bank = start["Location"]
    assert bank.startswith("/payments/simulator/pay/")
    assert "Thanh toán trực tuyến" in citizen_client.get(bank).content.decode()
    back = citizen_client.post(bank.split("?", 1)[0], {"action": "pay"})
    assert back.status_code == 302
    assert f"/dossiers/{dossier.code}/?" in back["Location"]
    page = citizen_client.get(back["Location"]).content.decode()
    assert "Thanh toán thành công. Cảm ơn bạn." in page
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == "paid" and payment.online


def test_a_cancelled_payment_is_said_so(citizen_client, world):
    dossier = world.approved()
    start = citizen_client.post(
        f"/dossiers/{dossier.code}/do/pay_online/", {"pay_online-version": dossier.version}
    )
    citizen_client.get(start["Location"])
    back = citizen_client.post(start["Location"].split("?", 1)[0], {"action": "cancel"})
    page = citizen_client.get(back["Location"]).content.decode()
    assert "Thanh toán không thành công hoặc đã bị hủy." in page


def test_the_result_is_downloadable_only_once_returned(citizen_client, world):
    dossier = world.approved()
    assert "Tải tệp kết quả" not in _page(citizen_client, dossier)
    assert citizen_client.get(f"/dossiers/{dossier.code}/files/{dossier.result_file_id}/").status_code == 404
    services.return_result(world.counter, dossier, "online")
    dossier.refresh_from_db()
    assert "Tải tệp kết quả" in _page(citizen_client, dossier)
    download = citizen_client.get(f"/dossiers/{dossier.code}/files/{dossier.result_file_id}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_the_applicant_rates_after_the_result_is_returned(citizen_client, world):
    dossier = world.returned()
    assert "Đánh giá mức độ hài lòng" in _page(citizen_client, dossier)
    response = citizen_client.post(
        f"/dossiers/{dossier.code}/do/rate/",
        {"rate-version": dossier.version, "rate-value": "very_satisfied", "rate-comment": "Nhanh, chu đáo"},
        follow=True,
    )
    assert "Cảm ơn bạn đã đánh giá." in response.content.decode()
    assert DossierRating.objects.get(dossier=dossier).value == "very_satisfied"
    # Rated once: the form is gone, the rating shown.
    body = _page(citizen_client, dossier)
    assert 'id="action-rate"' not in body and "Rất hài lòng" in body


def test_the_applicant_files_a_complaint(citizen_client, world):
    dossier = world.receive()
    citizen_client.post(
        f"/dossiers/{dossier.code}/do/complaint/",
        {"complaint-version": dossier.version, "complaint-text": "Chưa thấy liên hệ"},
    )
    assert Complaint.objects.get(dossier=dossier).text == "Chưa thấy liên hệ"
    assert "Chưa thấy liên hệ" in _page(citizen_client, dossier)


def test_another_citizen_can_act_on_nothing(client, world):
    dossier = world.submit()
    client.force_login(world.other_citizen)
    response = client.post(
        f"/dossiers/{dossier.code}/do/withdraw/",
        {"withdraw-version": dossier.version, "withdraw-reason": "x"},
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == "new"


def test_the_receipt_prints_as_pdf(citizen_client, world):
    dossier = world.receive()
    response = citizen_client.get(f"/dossiers/{dossier.code}/forms/01.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_slip_the_dossier_does_not_have_is_a_message(citizen_client, world):
    dossier = world.receive()
    response = citizen_client.get(f"/dossiers/{dossier.code}/forms/03.pdf", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/dossiers/{dossier.code}/"


def test_my_dossiers_lists_the_citizens_own(citizen_client, world):
    mine = world.submit()
    theirs = world.submit(citizen=world.other_citizen)
    body = citizen_client.get("/my/dossiers/").content.decode()
    assert mine.code in body and theirs.code not in body


def test_the_data_store_lists_the_results_and_papers(citizen_client, world):
    world.returned()
    body = citizen_client.get("/my/store/").content.decode()
    assert "Căn cước công dân" in body
    assert "Bản sao được chứng thực" in body  # the digitized result went into the store
