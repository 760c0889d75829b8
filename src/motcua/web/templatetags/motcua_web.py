"""Template tags of the web faces: the site's name and navigation, money, statuses and deadlines.

{% load motcua_web %}
{% site_name %}                      the installation's name
{% main_navigation %}                the role-dependent navigation
{{ 1234000|money }}                  "1.234.000 đ" (grouping of the active language)
{{ dossier.status|status_label }}    "Đang xử lý"
{% deadline dossier.due_at today paused=… open=… %}   the date, and "Quá hạn" / "Sắp đến hạn"
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone

from motcua.dossiers.choices import Status
from motcua.dossiers.selectors import Today
from motcua.web import navigation

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return navigation.site_name()


@register.inclusion_tag("web/_navigation.html", takes_context=True)
def main_navigation(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    return {"links": navigation.main_links(request) if request is not None else []}


@register.filter
def money(amount: Any) -> str:
    """An amount in đồng with the active language's digit grouping: "1.234.000 đ"."""
    if amount in (None, ""):
        return ""
    # A no-break space keeps "đ" with its number.
    return f"{formats.number_format(int(amount), 0, use_l10n=True, force_grouping=True)}\u00a0đ"


@register.filter
def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


# Statuses grouped by the colour of their badge (text always says the status: colour only helps).
_STATUS_TONES = {
    Status.NEW: "info",
    Status.RECEIVED: "info",
    Status.PROCESSING: "info",
    Status.WAITING_SUPPLEMENT: "warn",
    Status.WAITING_PAYMENT: "warn",
    Status.PROCESSED: "good",
    Status.RETURNED: "good",
    Status.NOT_RECEIVED: "bad",
    Status.WITHDRAWN: "muted",
    Status.STOPPED: "bad",
}


@register.filter
def status_tone(value: str) -> str:
    return _STATUS_TONES.get(value, "muted") if value in Status.values else "muted"


@register.inclusion_tag("web/_deadline.html")
def deadline(
    due_at: dt.datetime | None, today: Today | None, paused: bool = False, open: bool = True
) -> dict[str, Any]:
    """A promised date with its state: late (its date has passed), at risk (today or the next
    working day), or neither; a paused or finished dossier is neither."""
    state = today.judge(due_at, paused=paused) if (today is not None and open) else None
    return {
        "due_at": timezone.localtime(due_at) if due_at else None,
        "late": bool(state and state.late),
        "at_risk": bool(state and state.at_risk),
        "paused": paused and open,
    }


@register.filter
def accessible(field: Any) -> str:
    """The field's widget, described by its help text and its errors (`<id>_helptext`, `<id>_error`)
    so that a screen reader reads the error with the field."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """The current URL with `page` set to `number`, every other query parameter kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def is_open(status: str) -> bool:
    """Whether a dossier in `status` is still with the administration (its deadline still runs)."""
    from motcua.dossiers.workflow import OPEN_STATES

    return status in OPEN_STATES


@register.simple_tag
def vneid_available() -> bool:
    """Whether "Đăng nhập bằng VNeID" is offered (a provider is configured, or the demo simulator)."""
    from motcua.web.identity import provider

    return provider() is not None
