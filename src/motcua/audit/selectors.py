"""Reading the audit log: province administrators and superusers only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.scoping import has_role
from motcua.audit.models import AuditEvent
from motcua.errors import Forbidden

MAX_LIMIT = 500


def may_read_audit(user: Any) -> bool:
    """The audit log reveals actions across every unit, so only province-wide administrators read it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or has_role(user, Role.PROVINCE_ADMIN)


def latest_events(
    user: Any, *, object_type: str = "", object_id: str = "", limit: int = 50
) -> QuerySet[AuditEvent]:
    """The newest events first, optionally for one object; raises Forbidden for anyone else."""
    if not may_read_audit(user):
        raise Forbidden(_("Chỉ quản trị hệ thống cấp tỉnh được xem nhật ký."))
    events = AuditEvent.objects.all()
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    return events.order_by("-seq")[: max(1, min(limit, MAX_LIMIT))]
