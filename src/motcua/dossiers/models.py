from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import ApplicantKind, Role
from motcua.accounts.scoping import VIEW, RestrictedQuerySet, units_for
from motcua.dossiers.choices import Channel, DocumentSource, Outcome, ReturnMethod, Source, Status
from motcua.orgs.choices import UnitKind

# Dossier references that most dossiers lack (none of the imported ones has them).
PRESENT_ONLY = ("procedure_version", "applicant", "received_by", "assigned_to", "current_step", "result_file")
# Index names are at most 30 characters.
_SHORT = {"procedure_version": "version", "current_step": "step", "store_item": "store"}


def _present_indexes(prefix: str, fields: tuple[str, ...]) -> list[models.Index]:
    """An index per reference over the rows that have one (a partial index, WHERE … IS NOT NULL):
    a fraction of the size and build time of a full one when most rows have none."""
    return [
        models.Index(
            fields=[name],
            condition=models.Q(**{f"{name}__isnull": False}),
            name=f"{prefix}_{_SHORT.get(name, name)}_present",
        )
        for name in fields
    ]


class DossierQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        """What `user` may see: the usual unit/owner scope, plus the dossiers that have a step at one
        of the user's units (inter-agency processing, một cửa liên thông).

        A dossier forwarded to a department becomes visible to the department's officers from the
        moment a step is placed at their unit, and stays visible after (they answer for what they
        did). The extra condition is a subquery, not a join, so the result needs no DISTINCT and
        can still be locked with select_for_update().
        """
        restricted = super().restrict(user, action)
        if restricted.query.is_empty() or user.is_superuser:
            return restricted
        at_step = DossierStep.objects.filter(unit__in=units_for(user, action).values("pk")).values(
            "dossier_id"
        )
        return restricted | self.filter(pk__in=at_step)


class Dossier(models.Model):
    """A dossier (hồ sơ): one applicant's request under one procedure, at the unit with authority.

    Times follow the national sync fields: received_at [NgayTiepNhan], due_at [NgayHenTra, extended
    by supplement pauses], finished_at [NgayKetThucXuLy], returned_at [NgayTra].
    """

    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,  # partial index in Meta
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("đơn vị"),
        db_index=False,  # (unit, status) and (unit, received_at) lead with it
    )
    channel = models.CharField(_("kênh nộp"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=32, choices=Status.choices, db_index=True)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MOTCUA)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("người nộp (tài khoản)"),
        db_index=False,  # partial index in Meta
    )
    applicant_kind = models.CharField(
        _("loại người nộp"), max_length=16, choices=ApplicantKind.choices, blank=True
    )
    applicant_id_number = models.CharField(
        _("số định danh / mã số thuế"), max_length=20, blank=True, db_index=True
    )
    applicant_name = models.CharField(_("tên người nộp"), max_length=255, blank=True)
    applicant_vneid = models.BooleanField(_("xác thực VNeID"), default=False)
    contact_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    contact_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày kết thúc xử lý"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    return_method = models.CharField(
        _("hình thức trả kết quả"), max_length=16, choices=ReturnMethod.choices, blank=True
    )

    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # partial index in Meta
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
        db_index=False,  # partial index in Meta
    )
    current_step = models.ForeignKey(
        "DossierStep",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # partial index in Meta
    )
    # The unit holding the dossier now: its current step's unit, else its own unit. Derived, and kept
    # by save() (and by the import, which writes below the ORM), so that a queue of "the dossiers
    # held at my units" is one range of the (held_by, status) index instead of an OR across a join.
    held_by = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", db_index=False, editable=False
    )

    result_electronic = models.BooleanField(_("có tệp kết quả điện tử"), default=False)
    result_digitized = models.BooleanField(_("kết quả đã số hóa"), default=False)
    result_to_store = models.BooleanField(_("kết quả đã đưa vào kho dữ liệu"), default=False)
    result_note = models.TextField(_("nội dung kết quả / lý do"), blank=True)
    result_file = models.ForeignKey(
        "documents.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tệp kết quả"),
        db_index=False,  # partial index in Meta
    )
    synced = models.BooleanField(_("đã đồng bộ Cổng DVC quốc gia"), default=True)
    # Optimistic lock: every service bumps it; a stale write is refused.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()
    scope_unit_path = "unit"
    scope_owner_path = "applicant"

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["held_by", "status"], name="dossier_held_by_status"),
            # References most dossiers lack (every imported one): indexed where present only, for
            # the lookups by them (an officer's dossiers, a deletion's PROTECT check); an equality
            # implies IS NOT NULL, so both databases use these for it.
            *_present_indexes("dossier", PRESENT_ONLY),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.held_by_id = self.current_step.unit_id if self.current_step_id else self.unit_id
        fields = kwargs.get("update_fields")
        if fields is not None and {"current_step", "current_step_id", "unit", "unit_id"} & set(fields):
            kwargs["update_fields"] = [*fields, "held_by"]
        super().save(*args, **kwargs)


class DossierStep(models.Model):
    """One step of the internal process as it happened (for the process-control slip, form 05)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=32, choices=Role.choices)
    # The unit that does the step. For a step done by another kind of unit (unit_kind set), the
    # receiving unit stands in until the dossier is forwarded and the chosen unit replaces it.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_kind = models.CharField(max_length=32, choices=UnitKind.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "order", "id"]
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.order} {self.name}"


class Supplement(models.Model):
    """A request to complete the dossier (yêu cầu bổ sung, form 02); the clock stops until it is answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    requested_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    # What the applicant is asked to provide, one line each (form 02).
    items = models.JSONField(default=list, blank=True)
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at", "id"]
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.requested_at:%d/%m/%Y}"


class DossierDocument(models.Model):
    """A submitted component (thành phần hồ sơ đã nộp) and where it came from."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    component = models.ForeignKey(
        "catalog.Component",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # partial index in Meta
    )
    name = models.CharField(max_length=500)
    source = models.CharField(max_length=16, choices=DocumentSource.choices)
    available = models.BooleanField(
        default=False, help_text=_("Người nộp đã có giấy tờ này được chấp nhận trước đó.")
    )
    digitized = models.BooleanField(default=False)
    file = models.ForeignKey(
        "documents.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # partial index in Meta
    )
    store_item = models.ForeignKey(
        "documents.StoreItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # partial index in Meta
    )
    # The record pulled from a national database (source national_db): its key there.
    registry_reference = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("giấy tờ đã nộp")
        verbose_name_plural = _("giấy tờ đã nộp")
        indexes = _present_indexes("document", ("component", "file", "store_item"))

    def __str__(self) -> str:
        return self.name


class Refusal(models.Model):
    """A refusal to receive a dossier (từ chối tiếp nhận, form 03), with its reasons."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="refusal")
    refused_at = models.DateTimeField()
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField()

    class Meta:
        verbose_name = _("phiếu từ chối tiếp nhận")
        verbose_name_plural = _("phiếu từ chối tiếp nhận")

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.refused_at:%d/%m/%Y}"


class Apology(models.Model):
    """An apology for a late dossier with a new appointment (phiếu xin lỗi và hẹn lại, form 04).

    The new appointment is kept here, not in `Dossier.due_at`: the dossier still counts as late
    against the date it was promised.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    original_due_at = models.DateTimeField(null=True, blank=True)
    new_due_at = models.DateTimeField()
    notified_email = models.EmailField(blank=True)
    notified_phone = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["dossier", "issued_at", "id"]
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier.code} → {self.new_due_at:%d/%m/%Y}"


class DailySequence(models.Model):
    """The last dossier number given by a unit on a day, for codes `<unit>-<yyMMdd>-<NNNN>`.

    Incremented inside the intake transaction with an UPDATE … SET last = last + 1, so concurrent
    intakes take distinct numbers; the unique code is the last line of defence.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last}"


class DossierFact(models.Model):
    """The flat row the indicators read, kept current by every dossier service and by imports.

    One row per dossier. Dates used by the on-time rule are kept as Vietnam-time dates so that the
    scorecard compares plain dates in SQL.
    """

    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.CASCADE, related_name="fact")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    level = models.CharField(max_length=16)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=16)
    applicant_kind = models.CharField(max_length=16, blank=True)
    applicant_vneid = models.BooleanField(default=False)
    received_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)  # as given, or computed when absent
    due_date = models.DateField(null=True)  # Vietnam-time date of due_at
    finished_at = models.DateTimeField(null=True)
    finished_date = models.DateField(null=True)
    returned_at = models.DateTimeField(null=True)
    outcome = models.CharField(max_length=16, null=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    document_count = models.PositiveSmallIntegerField(default=0)
    all_documents_digitized = models.BooleanField(default=False)  # ≥ 1 document and every one digitized
    any_store_or_national = models.BooleanField(default=False)
    any_store = models.BooleanField(default=False)
    any_available = models.BooleanField(default=False)
    available_all_reused = models.BooleanField(
        default=False
    )  # every `available` document came from store/national db
    result_electronic = models.BooleanField(default=False)
    result_digitized = models.BooleanField(default=False)
    result_to_store = models.BooleanField(default=False)
    any_payment = models.BooleanField(default=False)  # ≥ 1 payment of amount > 0, any date
    any_online_payment = models.BooleanField(default=False)  # ≥ 1 online payment of amount > 0, any date
    rating = models.CharField(max_length=16, null=True)
    complaint = models.BooleanField(default=False)
    synced = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["received_at"], name="fact_received"),
            models.Index(fields=["finished_at"], name="fact_finished"),
            models.Index(fields=["unit", "received_at"], name="fact_unit_received"),
        ]

    def __str__(self) -> str:
        return f"fact {self.dossier_id}"
