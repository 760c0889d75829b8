"""Back office for the catalog: a procedure with its components, fees and steps; versions read-only.

Saving a procedure here publishes a new version through `catalog.services.publish_version`
(no version when nothing changed), so dossiers already running keep the rules they started under.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog import selectors, services
from motcua.catalog.models import Component, FeeLine, Procedure, ProcedureVersion, ProcessStep


class StepFormSet(forms.BaseInlineFormSet):
    """The time shares of a procedure's steps add up to 100%."""

    def clean(self) -> None:
        super().clean()
        shares = [
            form.cleaned_data.get("time_share") or Decimal(0)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if shares and sum(shares) != 100:
            raise forms.ValidationError(
                _("Tổng tỷ lệ thời hạn của các bước phải bằng 100%% (đang là %(total)s%%).")
                % {"total": sum(shares)}
            )


class FeeLineFormSet(forms.BaseInlineFormSet):
    """When fee lines are given, they add up to the procedure's fee."""

    def clean(self) -> None:
        super().clean()
        amounts = [
            form.cleaned_data.get("amount") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if amounts and sum(amounts) != self.instance.fee:
            raise forms.ValidationError(
                _("Tổng các khoản thu (%(total)s đồng) phải bằng mức phí, lệ phí của thủ tục (%(fee)s đồng).")
                % {"total": sum(amounts), "fee": self.instance.fee}
            )


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = (
        "order",
        "name",
        "required",
        "copy_kind",
        "quantity",
        "from_store",
        "national_db",
        "document_type",
    )


class FeeLineInline(admin.TabularInline):
    model = FeeLine
    formset = FeeLineFormSet
    extra = 0
    fields = ("order", "name", "amount", "note")


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0
    fields = ("order", "name", "role", "unit_kind", "time_share")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "duration_days", "online_level", "levels_display", "version")
    list_filter = (
        "at_province",
        "at_district",
        "at_commune",
        "online_level",
        "internal",
        "published",
        "field",
    )
    search_fields = ("code", "name")
    readonly_fields = ("version",)
    raw_id_fields = ("province_unit",)
    inlines = (ComponentInline, FeeLineInline, ProcessStepInline)
    fieldsets = (
        (None, {"fields": ("code", "national_code_known", "name", "field", "version")}),
        (_("Thời hạn, phí"), {"fields": ("duration_days", "day_kind", "fee")}),
        (
            _("Dịch vụ công trực tuyến"),
            {
                "fields": (
                    "online_level",
                    "full_online_eligible",
                    "online_payment",
                    "public_national",
                    "paper_result",
                )
            },
        ),
        (_("Công bố"), {"fields": ("internal", "published", "announced_on", "effective_on", "public_on")}),
        (
            _("Cơ quan thực hiện"),
            {"fields": ("at_province", "at_district", "at_commune", "agency", "province_unit")},
        ),
        (_("Nội dung"), {"fields": ("eligibility", "legal_basis", "result_name", "source_note")}),
    )

    @admin.display(description=_("cấp thực hiện"))
    def levels_display(self, obj: Procedure) -> str:
        names = {"province": _("Tỉnh"), "district": _("Huyện"), "commune": _("Xã")}
        return ", ".join(str(names[level]) for level in obj.levels)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Procedure], search_term: str
    ) -> tuple[QuerySet[Procedure], bool]:
        # The same accent-insensitive match as the public search: "khai sinh" finds "Khai sinh".
        if not search_term:
            return queryset, False
        return selectors.matching(queryset, search_term), False

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.publish_version(form.instance, actor=request.user)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Versions are written only by publishing; here they can be read, never changed."""

    list_display = ("procedure", "number", "created_at")
    list_filter = ("created_at",)
    search_fields = ("procedure__code", "procedure__name")
    readonly_fields = ("procedure", "number", "snapshot", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return False
