"""Feedback on dossiers: the applicant's rating after the result is returned (đánh giá mức độ hài
lòng) and complaints (phản ánh, kiến nghị) with the unit's answers.

Each service locks the dossier row, audits in the same transaction and refreshes the fact row.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.audit.services import record_event
from motcua.dossiers import facts
from motcua.dossiers.choices import Rating, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import roles_at
from motcua.errors import Forbidden, InvalidInput, StateError
from motcua.feedback.models import Complaint, ComplaintStatus, DossierRating

COMMENT_MAX = 2000
TEXT_MAX = 5000
ANSWERING_ROLES = {Role.COUNTER_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER, Role.PROVINCE_ADMIN}


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).select_related("unit").get(pk=dossier.pk)


def _check_applicant(user: Any, dossier: Dossier, message: str) -> None:
    if user is None or dossier.applicant_id is None or dossier.applicant_id != user.pk:
        raise Forbidden(message)


def _text(value: str, field: str, max_length: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Nội dung không được để trống."), field=field)
    if len(value) > max_length:
        raise InvalidInput(
            _("Nội dung dài quá %(max)s ký tự.") % {"max": max_length},
            field=field,
        )
    return value


def rate(
    citizen: Any, dossier: Dossier, value: str, comment: str = "", *, ip: str | None = None
) -> DossierRating:
    """The applicant rates how the dossier was handled: once, after the result was returned."""
    if value not in Rating.values:
        raise InvalidInput(
            _("Mức độ hài lòng không hợp lệ (chọn một trong: %(values)s).")
            % {"values": ", ".join(Rating.values)},
            field="value",
        )
    comment = _text(comment, "comment", COMMENT_MAX, required=False)
    with transaction.atomic():
        dossier = _lock(dossier)
        _check_applicant(citizen, dossier, _("Chỉ người nộp hồ sơ được đánh giá hồ sơ này."))
        if dossier.status != Status.RETURNED:
            raise StateError(
                _("Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ."), status=dossier.status
            )
        if DossierRating.objects.filter(dossier=dossier).exists():
            raise StateError(_("Hồ sơ đã được đánh giá."))
        try:
            with transaction.atomic():
                rating = DossierRating.objects.create(
                    dossier=dossier, value=value, comment=comment, rated_by=citizen, rated_at=timezone.now()
                )
        except IntegrityError:
            raise StateError(_("Hồ sơ đã được đánh giá.")) from None
        record_event(
            actor=citizen,
            action="feedback.rated",
            obj=rating,
            after={"dossier": dossier.code, "value": value, "comment": comment},
            ip=ip,
        )
        facts.refresh_fact(dossier)
    return rating


def file_complaint(citizen: Any, dossier: Dossier, text: str, *, ip: str | None = None) -> Complaint:
    """The applicant files a complaint or feedback about the dossier, any time after it was received."""
    text = _text(text, "text", TEXT_MAX, required=True)
    with transaction.atomic():
        dossier = _lock(dossier)
        _check_applicant(citizen, dossier, _("Chỉ người nộp hồ sơ được phản ánh, kiến nghị về hồ sơ này."))
        if dossier.received_at is None:
            raise StateError(
                _("Hồ sơ chưa được tiếp nhận; chỉ phản ánh, kiến nghị được sau khi tiếp nhận."),
                status=dossier.status,
            )
        complaint = Complaint.objects.create(
            dossier=dossier, text=text, filed_by=citizen, filed_at=timezone.now()
        )
        record_event(
            actor=citizen,
            action="feedback.complaint_filed",
            obj=complaint,
            after={"dossier": dossier.code, "text": text},
            ip=ip,
        )
        facts.refresh_fact(dossier)
    return complaint


def answer_complaint(officer: Any, complaint: Complaint, answer: str, *, ip: str | None = None) -> Complaint:
    """An officer of the dossier's unit answers a complaint (once)."""
    answer = _text(answer, "answer", TEXT_MAX, required=True)
    with transaction.atomic():
        dossier = _lock(complaint.dossier)
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not roles_at(officer, dossier.unit) & ANSWERING_ROLES:
            raise Forbidden(_("Chỉ cán bộ của đơn vị giải quyết hồ sơ được trả lời phản ánh, kiến nghị."))
        if complaint.status == ComplaintStatus.ANSWERED:
            raise StateError(_("Phản ánh, kiến nghị này đã được trả lời."))
        complaint.status = ComplaintStatus.ANSWERED
        complaint.answer = answer
        complaint.answered_at = timezone.now()
        complaint.answered_by = officer
        complaint.save(update_fields=["status", "answer", "answered_at", "answered_by"])
        record_event(
            actor=officer,
            action="feedback.complaint_answered",
            obj=complaint,
            before={"status": ComplaintStatus.OPEN},
            after={"dossier": dossier.code, "status": complaint.status, "answer": answer},
            ip=ip,
        )
        facts.refresh_fact(dossier)
    return complaint
