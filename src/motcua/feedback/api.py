"""`/api/feedback`: ratings and complaints (phản ánh, kiến nghị) about dossiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.accounts.auth import api_auth
from motcua.accounts.client_ip import client_ip
from motcua.dossiers.choices import Rating
from motcua.errors import NotFound
from motcua.feedback import selectors, services
from motcua.feedback.models import Complaint, ComplaintStatus, DossierRating

router = Router(tags=["feedback"])


class RatingIn(Schema):
    value: Rating
    comment: str = Field("", max_length=services.COMMENT_MAX)


class RatingOut(Schema):
    dossier: str
    value: str
    comment: str
    rated_at: dt.datetime

    @staticmethod
    def resolve_dossier(obj: DossierRating) -> str:
        return obj.dossier.code


class ComplaintIn(Schema):
    text: str = Field(..., min_length=1, max_length=services.TEXT_MAX)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=services.TEXT_MAX)


class ComplaintOut(Schema):
    id: int
    dossier: str
    text: str
    filed_at: dt.datetime
    status: str
    answer: str
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_dossier(obj: Complaint) -> str:
        return obj.dossier.code


class ComplaintFilter(Schema):
    status: ComplaintStatus | None = None


def _dossier(request: HttpRequest, code: str) -> Any:
    dossier = selectors.visible_dossier(request.auth, code)
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


@router.get("/dossiers/{code}/rating", response=RatingOut, auth=api_auth)
def get_rating(request: HttpRequest, code: str) -> Any:
    """The dossier's rating (404 when not rated yet)."""
    rating = selectors.rating_of(_dossier(request, code))
    if rating is None:
        raise NotFound(_("Hồ sơ chưa được đánh giá."))
    return rating


@router.post("/dossiers/{code}/rating", response={201: RatingOut}, auth=api_auth)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> Any:
    """The applicant rates the dossier, once, after its result was returned (409 otherwise)."""
    # The only declared status (201) is the one Ninja answers with.
    return services.rate(
        request.auth, _dossier(request, code), payload.value, payload.comment, ip=client_ip(request)
    )


@router.get("/dossiers/{code}/complaints", response=list[ComplaintOut], auth=api_auth)
def dossier_complaints(request: HttpRequest, code: str) -> Any:
    return list(selectors.complaints_of(_dossier(request, code)))


@router.post("/dossiers/{code}/complaints", response={201: ComplaintOut}, auth=api_auth)
def file_complaint(request: HttpRequest, code: str, payload: ComplaintIn) -> Any:
    """The applicant files a complaint about the dossier."""
    return services.file_complaint(request.auth, _dossier(request, code), payload.text, ip=client_ip(request))


@router.get("/complaints", response=list[ComplaintOut], auth=api_auth)
def list_complaints(request: HttpRequest, filters: Query[ComplaintFilter]) -> Any:
    """Complaints the caller may see: their own, or those about their units' dossiers."""
    return list(selectors.visible_complaints(request.auth, filters.status or "")[:500])


@router.post("/complaints/{complaint_id}/answer", response=ComplaintOut, auth=api_auth)
def answer_complaint(request: HttpRequest, complaint_id: int, payload: AnswerIn) -> Any:
    """An officer of the dossier's unit answers the complaint."""
    complaint = selectors.visible_complaint(request.auth, complaint_id)
    if complaint is None:
        raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."))
    return services.answer_complaint(request.auth, complaint, payload.answer, ip=client_ip(request))
