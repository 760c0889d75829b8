"""Reads of payments, scoped by who asks (`Model.objects.restrict`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.payments.models import Payment


def visible_dossier(user: Any, code: str) -> Dossier | None:
    """The dossier `code` if `user` may see it (its applicant, or an officer of its unit)."""
    return (
        Dossier.objects.restrict(user)
        .select_related("procedure", "procedure_version", "unit")
        .filter(code=code)
        .first()
    )


def payments_of(dossier: Dossier) -> QuerySet[Payment]:
    """A dossier's payments, newest first (the caller has already checked it may see the dossier)."""
    return dossier.payments.order_by("-created_at", "-id")


def visible_payment(user: Any, reference: str) -> Payment | None:
    """The payment `reference` if `user` may see it."""
    return Payment.objects.restrict(user).select_related("dossier").filter(reference=reference).first()


def payment_by_reference(gateway: str, reference: str) -> Payment | None:
    """The payment the gateway's signed return names (for the return page, which shows only its state)."""
    return Payment.objects.select_related("dossier").filter(gateway=gateway, reference=reference).first()
