"""Back-office views of feedback: read-only, since every change goes through feedback.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.feedback.models import Complaint, DossierRating


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DossierRating)
class DossierRatingAdmin(_ReadOnly):
    list_display = ("dossier", "value", "rated_at")
    list_filter = ("value",)
    search_fields = ("dossier__code",)


@admin.register(Complaint)
class ComplaintAdmin(_ReadOnly):
    list_display = ("dossier", "status", "filed_at", "answered_at")
    list_filter = ("status",)
    search_fields = ("dossier__code", "text")
