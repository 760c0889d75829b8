from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One action, append-only (nhật ký). `hash` is sha256 over the canonical JSON of the event
    and the previous event's hash, so any edit, deletion or reordering breaks the chain."""

    seq = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(editable=False, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    actor_label = models.CharField(max_length=255, blank=True, editable=False)
    action = models.CharField(max_length=64, editable=False, db_index=True)
    object_type = models.CharField(max_length=64, blank=True, editable=False)
    object_id = models.CharField(max_length=128, blank=True, editable=False, db_index=True)
    before = models.JSONField(null=True, blank=True, editable=False)
    after = models.JSONField(null=True, blank=True, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row that serializes appends: locked (SELECT … FOR UPDATE) while an event is written."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
