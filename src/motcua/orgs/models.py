from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import RestrictedQuerySet
from motcua.orgs.choices import UnitKind, UnitLevel


class UnitQuerySet(RestrictedQuerySet):
    def as_of(self, day: dt.date) -> UnitQuerySet:
        """Units in force on `day` (valid_from ≤ day ≤ valid_to, open ends allowed)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """`unit` and every unit below it (by the materialized path)."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """An organisation unit (đơn vị): a people's committee, a department, an agency, a school…

    Units are effective-dated: a commune merged on 1 July 2025 keeps its row, with `valid_to`
    set and `merged_into` naming its successor, so earlier scores stay comparable.
    """

    code = models.CharField(_("mã đơn vị"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=32, choices=UnitKind.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=8, default="42", db_index=True)
    admin_code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("Mã theo danh mục đơn vị hành chính Việt Nam (tỉnh, huyện, xã)."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến (hết ngày)"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    # Materialized path of primary keys ("/1/5/23/"), for subtree reads in one query.
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    note = models.TextField(
        _("ghi chú"),
        blank=True,
        help_text=_("Căn cứ pháp lý, lịch sử sáp nhập, chia tách."),
    )

    objects = UnitQuerySet.as_manager()
    scope_unit_path = "pk"

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then keep `path` right for this unit and, when it moved, for every unit below it.

        Every way of creating or moving a unit (loader, admin, services, tests) goes through here,
        so subtree reads and the unit-leader scope never see a stale path.
        """
        parent_path = "/"
        if self.parent_id is not None:
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).get() or "/"
            if self.pk is not None and f"/{self.pk}/" in parent_path:
                raise ValueError(f"unit {self.code}: its parent is itself or below it")
        super().save(*args, **kwargs)
        expected = f"{parent_path}{self.pk}/"
        if self.path == expected:
            return
        old = self.path
        Unit.objects.filter(pk=self.pk).update(path=expected)
        self.path = expected
        if old:
            # Move the subtree: replace the old prefix of every descendant's path in one UPDATE.
            Unit.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                path=Concat(Value(expected), Substr("path", len(old) + 1))
            )

    def clean(self) -> None:
        """Refuse a parent that would make a cycle, and an end before the start."""
        super().clean()
        errors = {}
        if self.parent_id is not None and self.pk is not None:
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
            if self.parent_id == self.pk or f"/{self.pk}/" in parent_path:
                errors["parent"] = _(
                    "Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó."
                )
        if self.merged_into_id is not None and self.merged_into_id == self.pk:
            errors["merged_into"] = _("Đơn vị không thể sáp nhập vào chính nó.")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
