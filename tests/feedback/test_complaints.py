"""Complaints (phản ánh, kiến nghị): filed by the applicant after receipt, answered by the unit."""

import pytest

from motcua.audit.models import AuditEvent
from motcua.dossiers.choices import Status
from motcua.dossiers.models import DossierFact
from motcua.errors import Forbidden, InvalidInput, StateError
from motcua.feedback import services
from motcua.feedback.models import ComplaintStatus


@pytest.mark.django_db
def test_the_applicant_files_a_complaint_about_a_received_dossier(office):
    dossier = office.dossier(Status.PROCESSING)

    complaint = services.file_complaint(office.citizen, dossier, "Quá hạn mà chưa có kết quả.")

    assert complaint.status == ComplaintStatus.OPEN and complaint.filed_by == office.citizen
    assert DossierFact.objects.get(dossier=dossier).complaint
    assert (
        AuditEvent.objects.get(action="feedback.complaint_filed").after["text"]
        == "Quá hạn mà chưa có kết quả."
    )


@pytest.mark.django_db
def test_a_complaint_can_be_filed_after_the_result_too(office):
    assert services.file_complaint(office.citizen, office.dossier(Status.RETURNED), "Kết quả sai tên.").pk


@pytest.mark.django_db
def test_no_complaint_before_the_dossier_was_received(office):
    with pytest.raises(StateError, match="chưa được tiếp nhận"):
        services.file_complaint(office.citizen, office.dossier(Status.NEW), "Sao lâu thế?")


@pytest.mark.django_db
def test_only_the_applicant_files_a_complaint_and_it_must_say_something(office):
    dossier = office.dossier()
    with pytest.raises(Forbidden):
        services.file_complaint(office.stranger, dossier, "Tôi cũng phản ánh.")
    with pytest.raises(InvalidInput):
        services.file_complaint(office.citizen, dossier, "   ")


@pytest.mark.django_db
def test_an_officer_of_the_dossiers_unit_answers_once(office):
    complaint = services.file_complaint(office.citizen, office.dossier(), "Chưa nhận được phiếu hẹn.")

    answered = services.answer_complaint(office.processor, complaint, "Đã gửi lại phiếu hẹn qua thư điện tử.")

    assert answered.status == ComplaintStatus.ANSWERED and answered.answered_by == office.processor
    assert answered.answered_at
    event = AuditEvent.objects.get(action="feedback.complaint_answered")
    assert event.actor_id == office.processor.pk
    with pytest.raises(StateError, match="đã được trả lời"):
        services.answer_complaint(office.leader, answered, "Trả lời lần hai.")


@pytest.mark.django_db
def test_officers_of_other_units_and_citizens_cannot_answer(office):
    complaint = services.file_complaint(office.citizen, office.dossier(), "Chưa nhận được phiếu hẹn.")

    for outsider in (office.other_counter, office.citizen):
        with pytest.raises(Forbidden):
            services.answer_complaint(outsider, complaint, "Trả lời.")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.OPEN


@pytest.mark.django_db
def test_the_complaints_api_files_lists_and_answers_within_scope(client, office):
    dossier = office.dossier()
    client.force_login(office.citizen)
    filed = client.post(
        f"/api/feedback/dossiers/{dossier.code}/complaints",
        {"text": "Cán bộ hẹn nhiều lần."},
        content_type="application/json",
    )
    assert filed.status_code == 201
    complaint_id = filed.json()["id"]

    client.force_login(office.other_counter)
    assert client.get("/api/feedback/complaints").json() == []
    not_theirs = client.post(
        f"/api/feedback/complaints/{complaint_id}/answer", {"answer": "?"}, content_type="application/json"
    )
    assert not_theirs.status_code == 404

    client.force_login(office.counter)
    assert [c["id"] for c in client.get("/api/feedback/complaints?status=open").json()] == [complaint_id]
    answered = client.post(
        f"/api/feedback/complaints/{complaint_id}/answer",
        {"answer": "Đơn vị xin tiếp thu và chấn chỉnh."},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"

    client.force_login(office.citizen)
    mine = client.get(f"/api/feedback/dossiers/{dossier.code}/complaints").json()
    assert mine[0]["answer"] == "Đơn vị xin tiếp thu và chấn chỉnh."
    assert client.get("/api/feedback/complaints?status=bogus").status_code == 422
