"""Reads of feedback, scoped by who asks (`Model.objects.restrict`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.feedback.models import Complaint, DossierRating


def visible_dossier(user: Any, code: str) -> Dossier | None:
    """The dossier `code` if `user` may see it."""
    return Dossier.objects.restrict(user).select_related("unit").filter(code=code).first()


def rating_of(dossier: Dossier) -> DossierRating | None:
    return DossierRating.objects.filter(dossier=dossier).first()


def complaints_of(dossier: Dossier) -> QuerySet[Complaint]:
    return Complaint.objects.filter(dossier=dossier).select_related("dossier").order_by("-filed_at", "-id")


def visible_complaints(user: Any, status: str = "") -> QuerySet[Complaint]:
    """The complaints `user` may see (their own, or those of their units' dossiers), newest first."""
    qs = Complaint.objects.restrict(user).select_related("dossier")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_at", "-id")


def visible_complaint(user: Any, pk: int) -> Complaint | None:
    return Complaint.objects.restrict(user).select_related("dossier").filter(pk=pk).first()
