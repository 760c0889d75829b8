"""The officer workspace: the queue, receiving at the counter, a dossier's buttons, printed slips,
and refusals shown as messages, never as error pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.payments.models import Payment
from tests.web.world import PDF

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    return client


def _act(client, dossier, action, **fields):
    dossier.refresh_from_db()
    data = {f"{action}-version": dossier.version, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/office/dossiers/{dossier.code}/do/{action}/", data, follow=True)


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_lists_what_waits_on_the_officer(client, world):
    new = world.submit()
    received = world.receive()
    body = _signed_in(client, world.counter).get("/office/").content.decode()
    assert new.code in body and received.code in body
    assert "Chờ tiếp nhận" in body
    # The processing officer waits on neither (both are at a counter step).
    body = _signed_in(client, world.processor).get("/office/").content.decode()
    assert new.code not in body and received.code not in body
    assert "Không có hồ sơ nào đang chờ bạn." in body


def test_the_queue_marks_late_and_at_risk_dossiers_in_words(client, world):
    late = world.receive(received_at=timezone.now() - dt.timedelta(days=30))
    body = _signed_in(client, world.counter).get("/office/").content.decode()
    assert late.code in body
    assert "Quá hạn" in body


def test_the_queue_filters_by_status_and_late(client, world):
    new = world.submit()
    received = world.receive()
    client = _signed_in(client, world.counter)
    body = client.get("/office/", {"status": "new"}).content.decode()
    assert new.code in body and received.code not in body
    body = client.get("/office/", {"late": "on"}).content.decode()
    assert new.code not in body and received.code not in body


def test_an_htmx_filter_gets_only_the_rows(client, world):
    world.submit()
    response = _signed_in(client, world.counter).get(
        "/office/", {"status": "new"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.content.decode()


# --- receiving at the counter --------------------------------------------------------------------


def _counter_data(world, **overrides):
    data = {
        "unit": world.commune.code,
        "channel": "counter",
        "applicant_kind": "person",
        "id_number": "042185000002",
        "applicant_name": "Trần Thị Bình",
        "phone": "0912000111",
        "email": "",
        "address": "Xã Thạch Bằng",
        "c1_source": "paper",
        "c2_source": "paper",
        "c3_source": "skip",
    }
    data.update(overrides)
    return data


def test_the_counter_finds_a_procedure_by_words_without_accents(client, world):
    body = _signed_in(client, world.counter).get("/office/receive/", {"q": "chung thuc"}).content.decode()
    assert 'href="/office/receive/9.000001/"' in body


def test_receiving_at_the_counter_gives_a_code_and_a_promised_date(client, world):
    response = _signed_in(client, world.counter).post("/office/receive/9.000001/", _counter_data(world))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/office/dossiers/{dossier.code}/"
    assert dossier.status == "received" and dossier.channel == "counter"
    assert dossier.applicant == world.other_citizen  # the account with that citizen ID owns it
    page = client.get(response["Location"]).content.decode()
    assert (
        f"Đã tiếp nhận hồ sơ {dossier.code}, hẹn trả ngày {timezone.localtime(dossier.due_at):%d/%m/%Y}"
        in page
    )
    assert f'href="/dossiers/{dossier.code}/forms/01.pdf"' in page


def test_a_wrong_citizen_id_is_said_in_vietnamese_and_the_rest_is_kept(client, world):
    response = _signed_in(client, world.counter).post(
        "/office/receive/9.000001/", _counter_data(world, id_number="12345")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số (đang là “12345”)." in body
    assert 'value="Trần Thị Bình"' in body and 'value="0912000111"' in body
    assert not Dossier.objects.exists()


def test_a_wrong_tax_code_is_refused_for_an_organisation(client, world):
    response = _signed_in(client, world.counter).post(
        "/office/receive/9.000001/",
        _counter_data(
            world, applicant_kind="organization", id_number="3000123450", applicant_name="Công ty A"
        ),
    )
    assert response.status_code == 400
    assert "có chữ số kiểm tra không đúng" in response.content.decode()


def test_the_store_lookup_offers_the_applicants_papers_without_filing(client, world):
    response = _signed_in(client, world.counter).post(
        "/office/receive/9.000001/",
        {**_counter_data(world, id_number=world.citizen.citizen_id), "lookup": "1"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tìm thấy 1 giấy tờ còn hiệu lực trong kho dữ liệu của người nộp" in body
    assert "Dùng giấy tờ đã có trong kho dữ liệu" in body
    assert "Trường này là bắt buộc." not in body
    assert not Dossier.objects.exists()


def test_a_missing_required_component_is_said_next_to_it(client, world):
    response = _signed_in(client, world.counter).post(
        "/office/receive/9.000001/", _counter_data(world, c1_source="upload")
    )
    assert response.status_code == 400
    assert "Chưa chọn tệp cho giấy tờ này." in response.content.decode()


# --- a dossier's buttons -------------------------------------------------------------------------


def test_the_page_offers_exactly_the_actions_allowed_now(client, world):
    dossier = world.submit()
    body = _signed_in(client, world.counter).get(f"/office/dossiers/{dossier.code}/").content.decode()
    assert 'id="action-accept_online"' in body and 'id="action-refuse_at_intake"' in body
    assert 'id="action-approve"' not in body and 'id="action-complete_step"' not in body
    body = _signed_in(client, world.leader).get(f"/office/dossiers/{dossier.code}/").content.decode()
    assert 'id="action-accept_online"' not in body


def test_a_dossier_goes_from_acceptance_to_return_through_the_buttons(client, world):
    dossier = world.submit()
    counter = _signed_in(client, world.counter)
    page = _act(counter, dossier, "accept_online").content.decode()
    assert "Đã tiếp nhận hồ sơ." in page
    assert counter.get(f"/dossiers/{dossier.code}/forms/01.pdf").content.startswith(b"%PDF")
    assert (
        "Đã hoàn thành bước “Tiếp nhận hồ sơ”."
        in _act(counter, dossier, "complete_step", note="Đủ").content.decode()
    )
    processor = _signed_in(client, world.processor)
    assert (
        "Đã hoàn thành bước “Thẩm định hồ sơ”." in _act(processor, dossier, "complete_step").content.decode()
    )
    leader = _signed_in(client, world.leader)
    assert "Đã phê duyệt hồ sơ" in _act(leader, dossier, "approve", note="Đồng ý").content.decode()
    counter = _signed_in(client, world.counter)
    page = _act(counter, dossier, "counter_payment", amount="20000").content.decode()
    assert "Đã ghi nhận nộp phí, lệ phí tại quầy." in page
    assert (
        "Đã trả kết quả cho người nộp."
        in _act(counter, dossier, "return_result", method="counter").content.decode()
    )
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.outcome == "approved"
    assert Payment.objects.get(dossier=dossier).online is False


def test_the_leader_approves_with_an_uploaded_result(client, world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.complete_step(world.processor, dossier)
    leader = _signed_in(client, world.leader)
    signed = SimpleUploadedFile("ket-qua-da-ky.pdf", PDF + b"ky so", content_type="application/pdf")
    _act(leader, dossier, "approve", result=signed)
    dossier.refresh_from_db()
    assert dossier.result_file.original_name == "ket-qua-da-ky.pdf"


def test_assigning_the_current_step_to_an_officer(client, world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    leader = _signed_in(client, world.leader)
    page = _act(leader, dossier, "assign", officer=str(world.processor.pk)).content.decode()
    assert "Đã phân công Hoàng Văn Xử." in page
    dossier.refresh_from_db()
    assert dossier.assigned_to == world.processor


def test_forwarding_to_another_agency_lets_it_see_and_take_the_dossier(client, world):
    dossier = services.receive_at_counter(
        world.counter,
        world.commune,
        world.interagency,
        services.Applicant(name="Trần Thị Bình"),
        [services.DocumentInput(component=1, source="paper")],
    )
    services.complete_step(world.counter, dossier)
    processor = _signed_in(client, world.processor)
    body = processor.get(f"/office/dossiers/{dossier.code}/").content.decode()
    assert 'id="action-forward"' in body and 'id="action-complete_step"' not in body
    assert f'<option value="{world.department.code}">Sở Tư pháp</option>' in body
    page = _act(processor, dossier, "forward", to_unit=world.department.code, note="Xin ý kiến").content
    assert "Đã chuyển hồ sơ đến Sở Tư pháp." in page.decode()
    department = _signed_in(client, world.dept_officer)
    assert dossier.code in department.get("/office/").content.decode()
    assert (
        "Đã hoàn thành bước “Lấy ý kiến sở”." in _act(department, dossier, "complete_step").content.decode()
    )


def test_a_supplement_request_pauses_the_dossier_and_prints_form_02(client, world):
    dossier = world.receive()
    processor = _signed_in(client, world.processor)
    page = _act(
        processor, dossier, "request_supplement", reason="Thiếu chữ ký", items="Tờ khai có chữ ký\n"
    ).content
    assert "Đã gửi yêu cầu bổ sung" in page.decode()
    dossier.refresh_from_db()
    assert dossier.status == "waiting_supplement"
    assert processor.get(f"/dossiers/{dossier.code}/forms/02.pdf").content.startswith(b"%PDF")


def test_refusing_an_online_dossier_prints_form_03(client, world):
    dossier = world.submit()
    counter = _signed_in(client, world.counter)
    _act(counter, dossier, "refuse_at_intake", reasons="Thủ tục không thuộc thẩm quyền")
    dossier.refresh_from_db()
    assert dossier.status == "not_received"
    assert counter.get(f"/dossiers/{dossier.code}/forms/03.pdf").content.startswith(b"%PDF")


def test_an_apology_sets_a_new_date_and_prints_form_04(client, world):
    dossier = world.receive()
    later = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=7)
    counter = _signed_in(client, world.counter)
    page = _act(
        counter,
        dossier,
        "apologize",
        new_date=later.strftime("%d/%m/%Y"),
        new_time="17:00",
        reason="Chờ xác minh",
    )
    assert "Đã lập phiếu xin lỗi và hẹn lại" in page.content.decode()
    assert counter.get(f"/dossiers/{dossier.code}/forms/04.pdf").content.startswith(b"%PDF")


def test_an_apology_date_before_the_promised_one_is_said_next_to_the_date(client, world):
    dossier = world.receive()
    earlier = timezone.localdate() - dt.timedelta(days=1)
    response = _act(
        _signed_in(client, world.counter),
        dossier,
        "apologize",
        new_date=earlier.strftime("%d/%m/%Y"),
        new_time="17:00",
        reason="Chờ xác minh",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ngày hẹn mới phải sau ngày hẹn trả" in body
    assert "Chờ xác minh</textarea>" in body  # what was typed is kept


def test_an_action_the_state_does_not_allow_is_a_message(client, world):
    dossier = world.receive()
    response = _act(_signed_in(client, world.counter), dossier, "return_result", method="counter")
    assert response.status_code == 200
    assert "Không thể “Trả kết quả” hồ sơ này lúc này" in response.content.decode()


def test_an_action_refused_by_the_service_is_a_message_not_a_500(client, world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.assign(world.leader, dossier, world.leader)
    # The step is the leader's now: the processing officer's "complete" is refused by the service.
    response = _act(_signed_in(client, world.processor), dossier, "complete_step")
    assert response.status_code == 200
    assert "Bước “Thẩm định hồ sơ” đã được giao cho Ngô Thị Lan." in response.content.decode()


def test_a_stale_officer_page_is_refused_with_a_message(client, world):
    dossier = world.receive()
    seen = dossier.version
    services.complete_step(world.counter, dossier)
    client = _signed_in(client, world.processor)
    response = client.post(
        f"/office/dossiers/{dossier.code}/do/request_supplement/",
        {"request_supplement-version": seen, "request_supplement-reason": "Thiếu giấy"},
        follow=True,
    )
    assert "Hồ sơ đã được cập nhật bởi người khác" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "processing"


def test_the_process_control_slip_prints_for_officers(client, world):
    dossier = world.receive()
    response = _signed_in(client, world.counter).get(f"/dossiers/{dossier.code}/forms/05.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_an_unknown_slip_number_is_a_404(client, world):
    dossier = world.receive()
    assert _signed_in(client, world.counter).get(f"/dossiers/{dossier.code}/forms/09.pdf").status_code == 404


# --- the leader's overview -----------------------------------------------------------------------


def test_the_overview_counts_dossiers_per_unit(client, world):
    world.receive()
    world.receive(received_at=timezone.now() - dt.timedelta(days=30))
    world.submit()
    body = _signed_in(client, world.leader).get("/office/overview/").content.decode()
    assert "UBND xã Thạch Bằng" in body
    assert "Đã tiếp nhận: 2" in body and "Mới đăng ký: 1" in body
