from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.scoping import RestrictedQuerySet


class PlanKind(models.TextChoices):
    PLAN = "plan", _("Kế hoạch")
    INDEX = "index", _("Bộ chỉ số")


class Plan(models.Model):
    """A plan (kế hoạch CCHC) or an index (bộ chỉ số) loaded from a definition file.

    `definition` is the file's JSON as validated by `scorecard.definition`; `checksum` is its
    SHA-256 (canonical JSON), so reloading an unchanged file changes nothing.
    """

    code = models.CharField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại"), max_length=8, choices=PlanKind.choices)
    definition = models.JSONField(_("định nghĩa"))
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch, bộ chỉ số")
        verbose_name_plural = _("kế hoạch, bộ chỉ số")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class DataSnapshot(models.Model):
    """The one row saying which instant the data describes.

    An import writes the bundle's `as_of` here (services.set_data_as_of); scorecards then default
    to that instant. Once a dossier changes through motcua after the import (`live_since`), the
    data describes the present and scorecards default to now.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    as_of = models.DateTimeField(_("số liệu tính đến"), null=True, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    live_since = models.DateTimeField(_("có thay đổi trực tiếp từ"), null=True, blank=True)
    # The latest change of any data a scorecard reads: a computation that started before it is stale.
    changed_at = models.DateTimeField(_("số liệu thay đổi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời điểm số liệu")
        verbose_name_plural = _("thời điểm số liệu")

    def __str__(self) -> str:
        return f"as_of {self.as_of}"


class ResultSet(models.Model):
    """The stored evaluation of one plan for one period: when, at which as_of, and whether the data
    changed since (`stale_since`, set by services.mark_stale)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="result_sets")
    period = models.CharField(_("kỳ"), max_length=8)
    as_of = models.DateTimeField(_("số liệu tính đến"))
    as_of_default = models.BooleanField(
        default=True, help_text=_("as_of là mặc định (thời điểm số liệu), không do người dùng chọn.")
    )
    computed_at = models.DateTimeField(_("tính lúc"))
    duration_ms = models.PositiveIntegerField(default=0)
    stale_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả tính theo kỳ")
        verbose_name_plural = _("kết quả tính theo kỳ")
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="result_set_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.period}"


class IndicatorResult(models.Model):
    """One stored scorecard row: an indicator (or `total`) at one scope and key, for a plan and period.

    numerator/denominator are floats because a formula indicator's numerator is not a count
    (qd766 mdhl_satisfaction); counts are exact in a double up to 2⁵³.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="results")
    period = models.CharField(_("kỳ"), max_length=8)
    indicator = models.CharField(_("chỉ tiêu"), max_length=64)
    scope = models.CharField(_("phạm vi"), max_length=8)  # province | level | unit
    key = models.CharField(_("khóa"), max_length=64)  # province code, level, or unit code
    position = models.PositiveIntegerField(default=0)  # order of the row in the output
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("chỉ tiêu"), max_digits=16, decimal_places=4, null=True, blank=True)
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    points = models.DecimalField(_("điểm"), max_digits=10, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=10, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))
    as_of = models.DateTimeField(_("số liệu tính đến"))

    class Meta:
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        ordering = ["plan", "period", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "indicator", "scope", "key"], name="indicator_result_unique"
            )
        ]
        indexes = [models.Index(fields=["plan", "period", "indicator", "scope"], name="result_lookup")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.scope}:{self.key} = {self.value}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã phê duyệt")
    RETURNED = "returned", _("Trả lại")


class ReportedValue(models.Model):
    """A value a unit reports for an indicator no dossier data can give, with its evidence.

    `unit` empty means the province as a whole. Only approved values count in the scorecard.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reported_values")
    indicator = models.CharField(_("chỉ tiêu"), max_length=64)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_values",
        verbose_name=_("đơn vị"),
    )
    period = models.CharField(_("kỳ"), max_length=8)
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=6, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=6, null=True, blank=True)
    evidence = models.TextField(_("minh chứng"), blank=True)
    evidence_file = models.ForeignKey(
        "documents.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tệp minh chứng"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_unit_path = "unit"

    class Meta:
        verbose_name = _("số liệu đơn vị báo cáo")
        verbose_name_plural = _("số liệu đơn vị báo cáo")
        ordering = ["plan", "period", "indicator", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "unit", "period"],
                condition=Q(unit__isnull=False),
                name="reported_value_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period"],
                condition=Q(unit__isnull=True),
                name="reported_value_province_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.unit_id or 'province'}: {self.value}"


# --- month cells: the scorecard's partial counts kept current (scorecard.aggregates) ---------------


class CellState(models.Model):
    """The one row describing the month cells: whether they hold the current counts, which cell
    measures they keep, and which cut-offs have stock cells.

    `version` changes with every change of any cell, so a process may keep cells it has read
    until then. `imported_at` is the DataSnapshot.imported_at the cells were built after: an
    import writes fact rows in bulk, past the fact hook, so a later import makes them outdated.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    valid = models.BooleanField(default=False)
    version = models.CharField(max_length=32, blank=True)
    parts = models.JSONField(default=list)  # the cell measures kept (aggregates.Part.as_json)
    imported_at = models.DateTimeField(null=True, blank=True)
    first_received = models.DateTimeField(null=True, blank=True)  # no stock before this instant
    stock_cutoffs = models.JSONField(default=list)  # ISO instants whose stock cells are kept
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("trạng thái ô số liệu tháng")
        verbose_name_plural = _("trạng thái ô số liệu tháng")

    def __str__(self) -> str:
        return f"cells {'valid' if self.valid else 'invalid'} {self.version}"


class MonthCount(models.Model):
    """Counts of one cell measure for one unit (and level, and procedure when the measure counts
    procedures; 0 otherwise) in each month of a year: m01 … m12, Vietnam-time months."""

    measure = models.CharField(max_length=40)
    year = models.SmallIntegerField()
    unit_id = models.BigIntegerField()
    level = models.CharField(max_length=16)
    procedure_id = models.BigIntegerField(default=0)
    m01 = models.IntegerField(default=0)
    m02 = models.IntegerField(default=0)
    m03 = models.IntegerField(default=0)
    m04 = models.IntegerField(default=0)
    m05 = models.IntegerField(default=0)
    m06 = models.IntegerField(default=0)
    m07 = models.IntegerField(default=0)
    m08 = models.IntegerField(default=0)
    m09 = models.IntegerField(default=0)
    m10 = models.IntegerField(default=0)
    m11 = models.IntegerField(default=0)
    m12 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ô số liệu tháng")
        verbose_name_plural = _("ô số liệu tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "unit_id", "level", "procedure_id"], name="month_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} unit {self.unit_id}"


class StockCount(models.Model):
    """The count of one stock measure (dossiers still open) for one unit at one cut-off instant."""

    measure = models.CharField(max_length=40)
    cutoff = models.DateTimeField()
    unit_id = models.BigIntegerField()
    level = models.CharField(max_length=16)
    procedure_id = models.BigIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ô số liệu tồn")
        verbose_name_plural = _("ô số liệu tồn")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "cutoff", "unit_id", "level", "procedure_id"], name="stock_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.cutoff} unit {self.unit_id}"
