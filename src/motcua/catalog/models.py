from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import Role
from motcua.catalog.choices import CopyKind, DayKind, NationalDatabase, OnlineLevel
from motcua.catalog.search import fold
from motcua.orgs.choices import UnitKind


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính, TTHC) as it stands now.

    Editing goes through `catalog.services`, which freezes each published state into a
    `ProcedureVersion`; a dossier keeps the version it started under.
    """

    code = models.CharField(_("mã thủ tục"), max_length=64, unique=True, help_text=_("Mã TTHC quốc gia"))
    national_code_known = models.BooleanField(
        _("là mã TTHC quốc gia"),
        default=True,
        help_text=_("Bỏ chọn khi mã là mã nội bộ của tỉnh (vd: HT.0001) vì chưa xác định được mã quốc gia."),
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.CharField(_("lĩnh vực"), max_length=255, db_index=True)
    duration_days = models.PositiveIntegerField(_("thời hạn giải quyết (ngày)"))
    day_kind = models.CharField(
        _("loại ngày"), max_length=16, choices=DayKind.choices, default=DayKind.WORKING
    )
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    full_online_eligible = models.BooleanField(_("đủ điều kiện trực tuyến toàn trình"), default=False)
    online_payment = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    public_national = models.BooleanField(_("công khai trên Cổng DVC quốc gia"), default=False)
    paper_result = models.BooleanField(_("kết quả là giấy tờ"), default=True)
    internal = models.BooleanField(_("thủ tục nội bộ"), default=False)
    published = models.BooleanField(_("đã công bố, công khai"), default=True)
    announced_on = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    public_on = models.DateField(_("ngày công khai trên CSDL quốc gia"), null=True, blank=True)
    at_province = models.BooleanField(_("thực hiện ở cấp tỉnh"), default=False)
    at_district = models.BooleanField(_("thực hiện ở cấp huyện"), default=False)
    at_commune = models.BooleanField(_("thực hiện ở cấp xã"), default=False)
    agency = models.CharField(_("cơ quan thực hiện"), max_length=500, blank=True)
    province_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị cấp tỉnh thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procedures",
    )
    eligibility = models.TextField(_("đối tượng, điều kiện thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    source_note = models.TextField(
        _("ghi chú nguồn số liệu"),
        blank=True,
        help_text=_("Nguồn của thời hạn, phí, lệ phí; ghi rõ số liệu nào chưa được đối chiếu."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)
    # Folded name, code and field ("dang ky khai sinh 1.001193 ho tich"), kept by save() for search.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.name} {self.code} {self.field}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "code", "field"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def levels(self) -> list[str]:
        """The administrative levels that perform the procedure: province, district, commune."""
        flags = (("province", self.at_province), ("district", self.at_district), ("commune", self.at_commune))
        return [level for level, on in flags if on]


class Component(models.Model):
    """A paper the applicant provides (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    required = models.BooleanField(_("bắt buộc"), default=True)
    copy_kind = models.CharField(
        _("bản chính/bản sao"), max_length=24, choices=CopyKind.choices, default=CopyKind.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    from_store = models.BooleanField(_("có thể lấy từ kho dữ liệu của người nộp"), default=False)
    national_db = models.CharField(
        _("có thể lấy từ CSDL quốc gia"),
        max_length=16,
        choices=NationalDatabase.choices,
        blank=True,
        default="",
    )
    document_type = models.CharField(
        _("loại giấy tờ"),
        max_length=64,
        blank=True,
        help_text=_("Khóa để đối chiếu với giấy tờ trong kho dữ liệu (vd: cccd, giay_khai_sinh)."),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class FeeLine(models.Model):
    """One fee or charge of a procedure (phí, lệ phí)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fee_lines")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên khoản thu"), max_length=255)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("khoản phí, lệ phí")
        verbose_name_plural = _("khoản phí, lệ phí")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class ProcessStep(models.Model):
    """A step of the internal process (quy trình nội bộ): who does it and its share of the time limit."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=32, choices=Role.choices)
    unit_kind = models.CharField(
        _("loại đơn vị thực hiện"),
        max_length=32,
        choices=UnitKind.choices,
        blank=True,
        help_text=_("Để trống: đơn vị tiếp nhận hồ sơ."),
    )
    time_share = models.DecimalField(
        _("tỷ lệ thời hạn (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="process_step_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ProcedureVersion(models.Model):
    """A frozen state of a procedure: its fields, components, fees and steps as JSON.

    A dossier points to the version it started under, so later catalog edits never change
    the rules of a running dossier.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    snapshot = models.JSONField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"
