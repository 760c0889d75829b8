from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# The `prev_hash` of the first event, and the hash of an empty chain.
GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """An attempt to change or delete a stored audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    """Events can be added and read, never changed or deleted in bulk."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only: QuerySet.update() is refused")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only: QuerySet.delete() is refused")


class AuditEvent(models.Model):
    """One action, append-only (nhật ký). `hash` is sha256 over the canonical JSON of the event
    and the previous event's hash, so any edit, deletion or reordering breaks the chain.

    Written only by `motcua.audit.services.record_event`; checked by `verify_chain`.
    """

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

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"audit event #{self.seq} is stored and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"audit event #{self.seq} cannot be deleted")


class AuditChainHead(models.Model):
    """The single row that serializes appends: locked (SELECT … FOR UPDATE) while an event is written.

    It holds the sequence number and hash of the last event, so a deleted tail is noticed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
