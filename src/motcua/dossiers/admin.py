"""Dossiers in the back office: read-only. Every change to a dossier goes through
`dossiers.services` (state machine, audit, fact row), never through an admin form."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.models import Apology, Dossier, DossierDocument, DossierStep, Refusal, Supplement


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(ReadOnly, admin.TabularInline):
    model = DossierStep
    fields = [
        "order",
        "name",
        "role",
        "unit",
        "assigned_to",
        "started_at",
        "due_at",
        "finished_at",
        "finished_by",
    ]
    extra = 0


class DocumentInline(ReadOnly, admin.TabularInline):
    model = DossierDocument
    fields = ["name", "source", "available", "digitized", "file", "store_item", "registry_reference"]
    extra = 0


class SupplementInline(ReadOnly, admin.TabularInline):
    model = Supplement
    fields = ["requested_at", "requested_by", "reason", "items", "received_at", "due_before", "due_after"]
    extra = 0


class ApologyInline(ReadOnly, admin.TabularInline):
    model = Apology
    fields = ["issued_at", "issued_by", "reason", "original_due_at", "new_due_at"]
    extra = 0


class RefusalInline(ReadOnly, admin.StackedInline):
    model = Refusal
    extra = 0


@admin.register(Dossier)
class DossierAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["code", "procedure", "unit", "channel", "status", "received_at", "due_at", "finished_at"]
    list_filter = ["status", "channel", "outcome", "source"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    date_hierarchy = "received_at"
    list_select_related = ["procedure", "unit"]
    inlines = [StepInline, DocumentInline, SupplementInline, ApologyInline, RefusalInline]
