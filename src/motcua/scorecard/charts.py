"""Vega-Lite specifications of the dashboard's charts, in the active language.

The browser draws them with the vendored Vega, Vega-Lite and vega-embed
(static/scorecard/vendor); every chart on a page also has a table that says the same thing, for
readers who cannot see it and for browsers without JavaScript.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from motcua.scorecard import formatting

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier; never fetched
LINE_COLOUR = "#0a4f96"
TARGET_COLOUR = "#8f1d21"
MAX_COLOUR = "#c9d0d6"


def _locale() -> dict[str, Any]:
    """Number formatting of the active language (Vietnamese: 1.234,5)."""
    return {
        "number": {
            "decimal": formats.get_format("DECIMAL_SEPARATOR"),
            "thousands": formats.get_format("THOUSAND_SEPARATOR"),
            "grouping": [3],
            "currency": ["", " đ"],
        }
    }


def _config() -> dict[str, Any]:
    return {
        "locale": _locale(),
        "font": "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif",
        "axis": {"labelFontSize": 12, "titleFontSize": 12},
        "view": {"stroke": None},
        # The chart's container is the accessible image (role img, a label, the table beside it):
        # Vega's own ARIA roles on marks would only be unlabelled images inside it.
        "aria": False,
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trend_spec(
    title: str,
    unit: str,
    points: list[tuple[str, Decimal | None]],
    target: Decimal | None,
    comparator: str = ">=",
) -> dict[str, Any]:
    """A line chart of monthly values (labels in order on the x axis), the target as a dashed rule."""
    labels = [label for label, _value in points]
    percent = unit == "%"
    value_title = _("Giá trị (%)") if percent else _("Giá trị")
    month_title = _("Tháng")
    y: dict[str, Any] = {
        "field": "value",
        "type": "quantitative",
        "title": value_title,
        "axis": {"format": ",.4~f"},
    }
    if percent:
        y["scale"] = {"domain": [0, 100]}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": {"filled": True, "size": 50}, "color": LINE_COLOUR},
            "encoding": {
                "x": {
                    "field": "month",
                    "type": "ordinal",
                    "sort": labels,
                    "scale": {"domain": labels},
                    "title": month_title,
                    "axis": {"labelAngle": 0},
                },
                "y": y,
                "tooltip": [
                    {"field": "month", "type": "ordinal", "title": month_title},
                    {"field": "value", "type": "quantitative", "title": value_title, "format": ",.4~f"},
                ],
            },
        }
    ]
    if target is not None:
        label = _("Mục tiêu %(target)s") % {"target": formatting.target_text(target, comparator, unit)}
        layers.append(
            {
                "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [6, 4], "strokeWidth": 2},
                "encoding": {"y": {"datum": float(target)}},
            }
        )
        layers.append(
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 4,
                    "dy": -4,
                    "x": 0,
                    "color": TARGET_COLOUR,
                },
                "encoding": {"y": {"datum": float(target)}, "text": {"value": label}},
            }
        )
    return {
        "$schema": SCHEMA,
        "description": _("Diễn biến theo tháng: %(title)s") % {"title": title},
        "width": "container",
        "height": 200,
        "data": {"values": [{"month": label, "value": _number(v)} for label, v in points if v is not None]},
        "layer": layers,
        "config": _config(),
    }


def groups_spec(groups: list[tuple[str, str, Decimal, Decimal]]) -> dict[str, Any]:
    """A bar per group (code, name, points, maximum): the points over a lighter bar of the maximum."""
    points_title, max_title, group_title = _("Điểm"), _("Điểm tối đa"), _("Nhóm chỉ số")
    y = {"field": "group", "type": "nominal", "title": group_title, "sort": None}
    tooltip = [
        {"field": "name", "type": "nominal", "title": group_title},
        {"field": "points", "type": "quantitative", "title": points_title, "format": ",.2~f"},
        {"field": "max_points", "type": "quantitative", "title": max_title, "format": ",.2~f"},
    ]
    return {
        "$schema": SCHEMA,
        "description": _("Điểm theo nhóm chỉ số so với điểm tối đa"),
        "width": "container",
        "height": {"step": 28},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {
            "values": [
                {"group": code, "name": name, "points": float(points), "max_points": float(maximum)}
                for code, name, points, maximum in groups
            ]
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": MAX_COLOUR},
                "encoding": {
                    "y": y,
                    "x": {"field": "max_points", "type": "quantitative", "title": points_title},
                    "tooltip": tooltip,
                },
            },
            {
                "mark": {"type": "bar", "color": LINE_COLOUR, "height": {"band": 0.55}},
                "encoding": {"y": y, "x": {"field": "points", "type": "quantitative"}, "tooltip": tooltip},
            },
        ],
        "config": _config(),
    }
