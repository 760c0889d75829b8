from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
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

    objects = UnitQuerySet.as_manager()
    scope_unit_path = "pk"

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
