"""`/api/audit`: the audit log, for province administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.accounts.auth import api_auth
from motcua.audit import selectors

router = Router(tags=["audit"])


class EventFilter(Schema):
    object_type: str = ""
    object_id: str = ""
    limit: int = Field(50, ge=1, le=selectors.MAX_LIMIT)


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    before: Any = None
    after: Any = None
    ip: str | None
    hash: str


@router.get("/events", response=list[EventOut], auth=api_auth)
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> Any:
    """The newest audit events first (province administrators and superusers only)."""
    return list(
        selectors.latest_events(
            request.auth,  # type: ignore[attr-defined]
            object_type=filters.object_type,
            object_id=filters.object_id,
            limit=filters.limit,
        )
    )
