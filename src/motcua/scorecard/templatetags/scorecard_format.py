"""Template filters of the dashboard: scorecard figures in the active language.

{% load scorecard_format %}
{{ row.value|num }}            "1.234,5" (up to two decimals, trailing zeros dropped)
{{ row.value|measure:"%" }}    "62,95%"
{{ result_set.as_of|moment }}  "15/01/2024 10:00"
{% drill_url selection "online_dossier_rate" "unit" "000.00.21.H29" %}
{% scope_url "home" selection "unit:000.00.21.H29" %}
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse

from motcua.scorecard import dashboard, formatting

register = template.Library()


@register.filter
def num(value: Any, places: int = 2) -> str:
    return formatting.number(value, int(places))


@register.filter
def measure(value: Any, unit: str = "%") -> str:
    return formatting.measure(value, unit)


@register.filter
def moment(value: dt.datetime | None) -> str:
    return formatting.moment(value)


@register.simple_tag
def drill_url(selection: Any, indicator: str, scope: str, key: str) -> str:
    """The drill-down page of an indicator at a scope and key, for the selected plan and period."""
    return reverse("dashboard:drilldown") + dashboard.query_string(
        plan=selection.plan_code, period=selection.period.code, indicator=indicator, scope=scope, key=key
    )


@register.simple_tag
def scope_url(name: str, selection: Any, scope: str, **extra: Any) -> str:
    """A dashboard page (`dashboard:<name>`) for the selected plan and period at another scope."""
    return reverse(f"dashboard:{name}") + selection.query(scope=scope, **extra)
