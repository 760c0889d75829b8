"""Stored files and data-store items in the back office: read-only (they change through
`documents.services`, which checks and audits)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.documents.models import StoredFile, StoreItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "sha256", "created_at"]
    search_fields = ["sha256", "original_name"]


@admin.register(StoreItem)
class StoreItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "document_type", "owner_id_number", "issuer", "issued_on", "valid_until"]
    list_filter = ["document_type"]
    search_fields = ["owner_id_number", "name", "number"]
