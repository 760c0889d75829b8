"""Back office for the calendar: the yearly day swaps and the office hours.

Every save and delete goes through `motcua.calendar.services` (validation, audit, cache reset);
only superusers and province administrators may change anything.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.client_ip import client_ip
from motcua.calendar import services as cal
from motcua.calendar.models import DaySwap, WorkingHours
from motcua.calendar.working_calendar import WEEKDAY_NAMES, OfficeHours


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = {d.year for d in DaySwap.objects.dates("date", "year")}
        return [(str(y), str(y)) for y in sorted(years, reverse=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        year = self.value() or ""
        return queryset.filter(date__year=int(year)) if year.isdigit() else queryset


class DaySwapForm(forms.ModelForm):
    class Meta:
        model = DaySwap
        fields = ["date", "kind", "description", "legal_basis"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(f) is not None for f in ("date", "kind", "description", "legal_basis")):
            for field, message in cal.day_swap_problems(
                data["date"], data["kind"], data["description"], data["legal_basis"]
            ):
                self.add_error(field, message)
        return data


class ManagedByServices(admin.ModelAdmin):
    """Only calendar managers change rows, and only through the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return cal.can_manage_calendar(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return cal.can_manage_calendar(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return cal.can_manage_calendar(request.user) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(DaySwap)
class DaySwapAdmin(ManagedByServices):
    form = DaySwapForm
    list_display = ["date_display", "weekday", "kind", "description", "legal_basis"]
    list_filter = [YearFilter, "kind"]
    search_fields = ["description", "legal_basis"]
    ordering = ["-date"]

    @admin.display(description=_("ngày"), ordering="date")
    def date_display(self, obj: DaySwap) -> str:
        return obj.date.strftime("%d/%m/%Y")

    @admin.display(description=_("thứ"))
    def weekday(self, obj: DaySwap) -> str:
        return str(WEEKDAY_NAMES[obj.date.weekday()])

    def save_model(self, request: HttpRequest, obj: DaySwap, form: Any, change: bool) -> None:
        saved = cal.save_day_swap(
            actor=request.user,
            swap_id=obj.pk if change else None,
            date=obj.date,
            kind=obj.kind,
            description=obj.description,
            legal_basis=obj.legal_basis,
            ip=client_ip(request),
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: DaySwap) -> None:
        cal.delete_day_swap(actor=request.user, swap_id=obj.pk, ip=client_ip(request))


class WorkingHoursForm(forms.ModelForm):
    class Meta:
        model = WorkingHours
        fields = ["valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = ("valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end")
        if all(data.get(f) is not None for f in fields):
            for field, message in OfficeHours(*(data[f] for f in fields)).problems():
                self.add_error(field, message)
        return data


@admin.register(WorkingHours)
class WorkingHoursAdmin(ManagedByServices):
    form = WorkingHoursForm
    list_display = ["valid_from_display", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]

    @admin.display(description=_("áp dụng từ"), ordering="valid_from")
    def valid_from_display(self, obj: WorkingHours) -> str:
        return obj.valid_from.strftime("%d/%m/%Y")

    def save_model(self, request: HttpRequest, obj: WorkingHours, form: Any, change: bool) -> None:
        saved = cal.save_working_hours(
            actor=request.user,
            hours_id=obj.pk if change else None,
            valid_from=obj.valid_from,
            morning_start=obj.morning_start,
            morning_end=obj.morning_end,
            afternoon_start=obj.afternoon_start,
            afternoon_end=obj.afternoon_end,
            ip=client_ip(request),
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: WorkingHours) -> None:
        cal.delete_working_hours(actor=request.user, hours_id=obj.pk, ip=client_ip(request))
