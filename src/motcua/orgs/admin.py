"""Back office for organisation units (quản trị đơn vị)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.client_ip import client_ip
from motcua.orgs import services
from motcua.orgs.models import Unit


class InForceFilter(admin.SimpleListFilter):
    """Units in force today, or ended ones."""

    title = _("hiệu lực")
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Còn hiệu lực hôm nay")), ("no", _("Hết hiệu lực hoặc chưa có hiệu lực"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.as_of(today)
        if self.value() == "no":
            return queryset.exclude(pk__in=Unit.objects.as_of(today).values("pk"))
        return queryset


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("level", "kind", InForceFilter)
    search_fields = ("code", "name", "admin_code")
    autocomplete_fields = ("parent", "merged_into")
    list_select_related = ("parent",)
    readonly_fields = ("path",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "level", "parent", "province_code", "admin_code")}),
        (_("Hiệu lực và sáp nhập"), {"fields": ("valid_from", "valid_to", "merged_into", "note")}),
        (_("Liên hệ"), {"fields": ("address", "phone", "email")}),
        (_("Kỹ thuật"), {"fields": ("path",), "classes": ("collapse",)}),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        # A unit is never deleted: it is ended (valid_to) so history and past scores keep it.
        return False

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        # Through the service, so the change is audited like every other one.
        services.save_unit(obj, actor=request.user, ip=client_ip(request))
