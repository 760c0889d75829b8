"""Back office for the scorecard: read-only views. Plans change through `motcua load-plans`, reported
values through their services (audited), results through the engine."""

from django.contrib import admin

from motcua.scorecard.models import DataSnapshot, IndicatorResult, Plan, ReportedValue, ResultSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "year", "kind", "loaded_at")
    list_filter = ("kind", "year")
    search_fields = ("code", "name")


@admin.register(ResultSet)
class ResultSetAdmin(ReadOnlyAdmin):
    list_display = ("plan", "period", "as_of", "computed_at", "duration_ms", "stale_since")
    list_filter = ("plan",)


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyAdmin):
    list_display = (
        "plan",
        "period",
        "indicator",
        "scope",
        "key",
        "numerator",
        "denominator",
        "value",
        "target",
        "met",
    )
    list_filter = ("plan", "period", "scope")
    search_fields = ("indicator", "key")


@admin.register(ReportedValue)
class ReportedValueAdmin(ReadOnlyAdmin):
    list_display = ("plan", "indicator", "unit", "period", "value", "status", "submitted_at", "reviewed_at")
    list_filter = ("plan", "status", "period")
    search_fields = ("indicator", "unit__code", "unit__name")


@admin.register(DataSnapshot)
class DataSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("as_of", "imported_at", "live_since")
