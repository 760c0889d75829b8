from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class SwapKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ (hoán đổi)")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class DaySwap(models.Model):
    """A day the government moved: a weekday declared off, or a weekend day worked in exchange.

    Public holidays and their observed days come from the `holidays` package; only these
    yearly decisions (e.g. Công văn of the Ministry of Home Affairs) are kept as rows.
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=SwapKind.choices)
    description = models.CharField(_("mô tả"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    # Lets every process notice a change made elsewhere and reload its cached calendar.
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày hoán đổi")
        verbose_name_plural = _("ngày hoán đổi")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


class WorkingHours(models.Model):
    """Office hours in force from a date (giờ hành chính). The latest row not after a day applies."""

    valid_from = models.DateField(_("áp dụng từ"), unique=True, default=dt.date(2000, 1, 1))
    morning_start = models.TimeField(_("sáng từ"), default=dt.time(7, 0))
    morning_end = models.TimeField(_("sáng đến"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), default=dt.time(17, 0))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, {self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
