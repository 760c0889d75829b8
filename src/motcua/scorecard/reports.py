"""The officials' reports of a plan's stored results: an Excel workbook (a sheet per scope) and a
Word report laid out as an administrative document under Decree 30/2020/NĐ-CP.

Both take a `ReportData`: the plan's definition, the period, the as_of and the result rows (the
stored rows a reader may see, `from_stored`; or rows evaluated at another as_of, `from_rows`).
docs/dashboard.md describes the formats.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.scorecard import engine, formatting, selectors
from motcua.scorecard.dashboard import UnitInfo, level_label, unit_infos
from motcua.scorecard.definition import Indicator, PlanDefinition
from motcua.scorecard.models import IndicatorResult, ResultSet
from motcua.scorecard.periods import Period, vietnam_time

FORMATS = ("xlsx", "docx")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MET_FILL, MET_FONT = "#C6EFCE", "#006100"
MISSED_FILL, MISSED_FONT = "#FFC7CE", "#9C0006"
HEADER_FILL = "#D9E1F2"
LAGGARDS = 5  # units named as holding a target back


@dataclass(frozen=True)
class ReportData:
    """What a report shows: a plan's rows for one period at one as_of, and the units they name."""

    definition: PlanDefinition
    period: Period
    as_of: dt.datetime
    rows: list[engine.ResultRow]
    units: dict[str, UnitInfo]

    @property
    def closed(self) -> bool:
        """True when the period ended at or before as_of (results are final)."""
        return vietnam_time(self.as_of) >= self.period.end

    @property
    def title(self) -> str:
        """The report's subject: "Tiến độ thực hiện Kế hoạch … năm 2023" (an index: "Kết quả …")."""
        name = self.definition.name
        if self.definition.is_index:
            return _("Kết quả %(name)s %(period)s") % {
                "name": name,
                "period": formatting.period_phrase(self.period),
            }
        text = _("Tiến độ thực hiện %(name)s") % {"name": name}
        if self.period.kind != "year" or self.period.year != self.definition.year:
            text += f" ({formatting.period_phrase(self.period)})"
        return text

    def scoped(self, scope: str, key: str | None = None) -> list[engine.ResultRow]:
        return [r for r in self.rows if r.scope == scope and (key is None or r.key == key)]

    def row(self, indicator: str, scope: str, key: str | None = None) -> engine.ResultRow | None:
        return next(
            (
                r
                for r in self.rows
                if r.indicator == indicator and r.scope == scope and (key is None or r.key == key)
            ),
            None,
        )


def from_rows(
    definition: PlanDefinition, period: Period, as_of: dt.datetime, rows: Iterable[engine.ResultRow]
) -> ReportData:
    rows = list(rows)
    return ReportData(
        definition, period, vietnam_time(as_of), rows, unit_infos({r.key for r in rows if r.scope == "unit"})
    )


def from_stored(result_set: ResultSet, user: Any = None) -> ReportData:
    """The stored rows of a result set: those `user` may see, or every row when `user` is None
    (the command line, run by the installation's operator)."""
    definition, _plan = engine.resolve_plan(result_set.plan.code)
    stored = (
        selectors.visible_results(user, result_set)
        if user is not None
        else IndicatorResult.objects.filter(plan=result_set.plan, period=result_set.period).order_by(
            "position"
        )
    )
    rows = [selectors.row_from_stored(r, definition) for r in stored]
    return from_rows(definition, Period.parse(result_set.period), result_set.as_of, rows)


def file_name(data: ReportData, extension: str) -> str:
    return f"bao-cao-{data.definition.code}-{data.period.code}.{extension}"


# --- Excel -------------------------------------------------------------------------------------------------


def _sheets(data: ReportData) -> list[tuple[str, str, list[engine.ResultRow]]]:
    """(sheet name, scope, rows): the province, each level in the plan's order, the units."""
    sheets = [(_("Tỉnh"), "province", data.scoped("province"))]
    for level in data.definition.level_order:
        sheets.append((level_label(level), "level", data.scoped("level", level)))
    units = sorted(data.scoped("unit"), key=lambda r: r.key)
    sheets.append((_("Đơn vị"), "unit", units))
    return sheets


def workbook_bytes(data: ReportData) -> bytes:
    """The Excel workbook: a sheet per scope with a title row (plan, period, as_of), a frozen
    header row and one row per result; met rows green, missed rows red.

    Numbers are numbers with the format `#,##0.00`: Excel shows them with the separators of the
    reader's regional settings, so Vietnamese Excel reads 1.234,50.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {"title": data.title, "subject": data.definition.name, "author": "motcua", "company": "motcua"}
    )
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
    fmt = {
        "title": workbook.add_format({**base, "bold": True, "font_size": 13}),
        "header": workbook.add_format(
            {
                **base,
                "bold": True,
                "bg_color": HEADER_FILL,
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "text": workbook.add_format({**base, "text_wrap": True}),
        "code": workbook.add_format(base),
        "integer": workbook.add_format({**base, "num_format": "#,##0"}),
        "decimal": workbook.add_format({**base, "num_format": "#,##0.00"}),
    }
    for name, fill, font in (("met", MET_FILL, MET_FONT), ("missed", MISSED_FILL, MISSED_FONT)):
        fmt[f"{name}_text"] = workbook.add_format(
            {**base, "bg_color": fill, "font_color": font, "bold": True}
        )
        fmt[f"{name}_decimal"] = workbook.add_format(
            {**base, "bg_color": fill, "font_color": font, "num_format": "#,##0.00"}
        )
    target_formats: dict[str, Any] = {}

    def target_format(comparator: str) -> Any:
        if comparator not in target_formats:
            sign = formatting.COMPARATOR_SIGNS.get(comparator, comparator)
            target_formats[comparator] = workbook.add_format({**base, "num_format": f'"{sign} "#,##0.00'})
        return target_formats[comparator]

    names = {i.code: i.name for i in data.definition.indicators}
    names[engine.TOTAL] = _("Tổng điểm")
    indicators = {i.code: i for i in data.definition.indicators}
    index = data.definition.is_index
    title = _("%(plan)s – %(period)s – số liệu tính đến %(as_of)s") % {
        "plan": data.definition.name,
        "period": formatting.period_label(data.period),
        "as_of": formatting.moment(data.as_of),
    }
    for sheet_name, scope, rows in _sheets(data):
        sheet = workbook.add_worksheet(sheet_name[:31])
        unit_columns = [_("Mã đơn vị"), _("Tên đơn vị"), _("Cấp")] if scope == "unit" else []
        columns = [
            *unit_columns,
            _("Mã chỉ tiêu"),
            _("Tên chỉ tiêu"),
            _("Tử số"),
            _("Mẫu số"),
            _("Giá trị (%)"),
            _("Chỉ tiêu"),
            _("Đạt/Không đạt"),
        ]
        if index:
            columns += [_("Điểm"), _("Điểm tối đa")]
        sheet.merge_range(0, 0, 0, len(columns) - 1, title, fmt["title"])
        sheet.set_row(0, 22)
        sheet.write_row(1, 0, columns, fmt["header"])
        sheet.freeze_panes(2, 0)
        offset = len(unit_columns)
        for r, row in enumerate(rows, start=2):
            c = 0
            if scope == "unit":
                unit = data.units.get(row.key)
                sheet.write_string(r, 0, row.key, fmt["code"])
                sheet.write_string(r, 1, unit.name if unit else "", fmt["text"])
                sheet.write_string(r, 2, unit.level_label if unit and unit.level else "", fmt["code"])
                c = offset
            sheet.write_string(r, c, row.indicator, fmt["code"])
            sheet.write_string(r, c + 1, names.get(row.indicator, ""), fmt["text"])
            for i, number in enumerate((row.numerator, row.denominator)):
                if number is None:
                    sheet.write_blank(r, c + 2 + i, None, fmt["integer"])
                else:
                    whole = Decimal(str(number)) == Decimal(str(number)).to_integral_value()
                    sheet.write_number(r, c + 2 + i, float(number), fmt["integer" if whole else "decimal"])
            tone = None if row.met is None else ("met" if row.met else "missed")
            value_format = fmt[f"{tone}_decimal"] if tone else fmt["decimal"]
            if row.value is None:
                sheet.write_blank(r, c + 4, None, value_format)
            else:
                sheet.write_number(r, c + 4, float(row.value), value_format)
            spec = indicators.get(row.indicator)
            if row.target is None:
                sheet.write_blank(r, c + 5, None, fmt["decimal"])
            else:
                sheet.write_number(
                    r, c + 5, float(row.target), target_format(spec.comparator if spec else ">=")
                )
            if tone:
                sheet.write_string(r, c + 6, _("Đạt") if row.met else _("Không đạt"), fmt[f"{tone}_text"])
            else:
                sheet.write_blank(r, c + 6, None, fmt["code"])
            if index:
                for i, number in enumerate((row.points, row.max_points)):
                    if number is None:
                        sheet.write_blank(r, c + 7 + i, None, fmt["decimal"])
                    else:
                        sheet.write_number(r, c + 7 + i, float(number), fmt["decimal"])
        if rows:
            sheet.autofilter(1, 0, len(rows) + 1, len(columns) - 1)
        if scope == "unit":
            sheet.set_column(0, 0, 16)
            sheet.set_column(1, 1, 36)
            sheet.set_column(2, 2, 11)
        sheet.set_column(offset, offset, 24)
        sheet.set_column(offset + 1, offset + 1, 56)
        sheet.set_column(offset + 2, len(columns) - 1, 12)
    workbook.close()
    return buffer.getvalue()


# --- Word --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """Who issues the report and who signs it; the defaults suit Hà Tĩnh's Department of Home
    Affairs (Sở Nội vụ), which follows the reform plan for the province."""

    superior: str = ""  # the governing body, e.g. "UBND tỉnh Hà Tĩnh" (default: from MOTCUA_PLACE_NAME)
    issuer: str = ""  # the issuing body, e.g. "Sở Nội vụ"
    symbol: str = "BC-SNV"
    number: str = ""  # left blank: the clerk writes it when the report is registered
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = field(default_factory=tuple)

    def resolved(self) -> Heading:
        """This heading with every blank field filled from the defaults."""
        place = self.place or settings.MOTCUA_PLACE_NAME
        return Heading(
            superior=self.superior or _("UBND tỉnh %(place)s") % {"place": place},
            issuer=self.issuer or _("Sở Nội vụ"),
            symbol=self.symbol,
            number=self.number,
            place=place,
            signer_title=self.signer_title or _("Giám đốc"),
            signer_name=self.signer_name,
            recipients=self.recipients
            or (
                _("UBND tỉnh (để báo cáo);"),
                _("Các sở, ban, ngành cấp tỉnh;"),
                _("UBND các huyện, thị xã, thành phố;"),
                _("Lưu: VT, CCHC."),
            ),
        )


FONT = "Times New Roman"
BODY_PT = 14
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}  # mm
HEADER_COLUMNS_MM = (62, 103)
# The pPr children that must come after a paragraph border (w:pBdr), in the schema's order.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _fonts(rpr: Any) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _run(paragraph: Any, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    _fonts(run._element.get_or_add_rPr())
    return run


def _paragraph(
    container: Any,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "justify",
    indent: bool = False,
    after: float = 6,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if text:
        _run(paragraph, text, size, bold, italic)
    return paragraph


def _rule(container: Any, width_mm: float, column_mm: float) -> Any:
    """A centred horizontal rule `width_mm` long (a paragraph's bottom border, indented to size)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    paragraph = _paragraph(container, align="center", after=4)
    side = max(0.0, (column_mm - width_mm) / 2)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    paragraph.paragraph_format.line_spacing = Pt(2)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)
    return paragraph


def _text_width_mm(text: str, size_pt: float) -> float:
    # Times New Roman averages about half an em per character.
    return len(text) * size_pt * 0.5 * 25.4 / 72


def _borderless_table(document: Any, widths_mm: tuple[float, ...]) -> Any:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths_mm, strict=True):
        cell.width = Mm(width)
        # A new cell holds one empty paragraph: drop it so the content starts at the top.
        for paragraph in list(cell.paragraphs):
            paragraph._p.getparent().remove(paragraph._p)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    return table


def _header(document: Any, heading: Heading, day: dt.date) -> None:
    """The national title and motto (right), the issuing body, number and symbol (left), place and date."""
    left_mm, right_mm = HEADER_COLUMNS_MM
    table = _borderless_table(document, HEADER_COLUMNS_MM)
    left, right = table.rows[0].cells
    _paragraph(left, heading.superior.upper(), size=13, align="center", after=0)
    issuer = heading.issuer.upper()
    _paragraph(left, issuer, size=13, bold=True, align="center", after=0)
    _rule(left, max(15.0, _text_width_mm(issuer, 13) * 0.5), left_mm)
    number = heading.number or "\u00a0" * 6
    _paragraph(
        left,
        _("Số: %(number)s/%(symbol)s") % {"number": number, "symbol": heading.symbol},
        size=13,
        align="center",
    )
    _paragraph(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), size=12, bold=True, align="center", after=0)
    motto = _("Độc lập - Tự do - Hạnh phúc")
    _paragraph(right, motto, size=13, bold=True, align="center", after=0)
    _rule(right, _text_width_mm(motto, 13), right_mm)
    _paragraph(right, formatting.document_date(heading.place, day), italic=True, align="center")


def _outcome(row: engine.ResultRow, closed: bool) -> str:
    if row.met is None:
        return ""
    if row.met:
        return _("đạt")
    return _("không đạt") if closed else _("chưa đạt")


def _figure(row: engine.ResultRow, indicator: Indicator | None) -> str:
    """ "62,95% (812/1.290)": a value with the counts it comes from."""
    unit = indicator.unit if indicator is not None else "%"
    text = formatting.measure(row.value, unit)
    if row.numerator is not None and row.denominator is not None and unit == "%":
        text += f" ({formatting.number(row.numerator)}/{formatting.number(row.denominator)})"
    return text


def _target_words(indicator: Indicator, data: ReportData) -> str:
    if indicator.target is None and indicator.threshold is None:
        return _("Chỉ tiêu theo dõi, không đặt mục tiêu.")
    if isinstance(indicator.target, dict):
        # In the plan's level order (a JSON column need not keep the file's key order).
        parts = [
            f"{level_label(level).lower()} "
            + formatting.target_text(indicator.target[level], indicator.comparator, indicator.unit)
            for level in data.definition.level_order
            if level in indicator.target
        ]
        return _("Mục tiêu: %(targets)s.") % {"targets": ", ".join(parts)}
    province = data.row(indicator.code, "province")
    target = indicator.threshold if indicator.threshold is not None else indicator.target
    if not isinstance(target, Decimal):
        target = province.target if province is not None else None
        if target is None:
            return _("Mục tiêu: không thấp hơn kết quả năm trước (chưa có kết quả năm trước để so sánh).")
        return _("Mục tiêu: %(target)s (kết quả năm trước).") % {
            "target": formatting.target_text(target, indicator.comparator, indicator.unit)
        }
    return _("Mục tiêu: %(target)s.") % {
        "target": formatting.target_text(target, indicator.comparator, indicator.unit)
    }


def _result_words(indicator: Indicator, data: ReportData) -> str:
    parts = []
    province = data.row(indicator.code, "province")
    if province is not None:
        text = _("toàn tỉnh %(figure)s") % {"figure": _figure(province, indicator)}
        if province.points is not None:
            text += _(", %(points)s/%(max)s điểm") % {
                "points": formatting.number(province.points),
                "max": formatting.number(province.max_points),
            }
        outcome = _outcome(province, data.closed)
        parts.append(f"{text}: {outcome}" if outcome else text)
    if "level" in indicator.scopes:
        for level in data.definition.level_order:
            row = data.row(indicator.code, "level", level)
            if row is None:
                continue
            text = f"{level_label(level).lower()} {_figure(row, indicator)}"
            outcome = _outcome(row, data.closed)
            parts.append(f"{text}: {outcome}" if outcome else text)
    if not parts:
        if indicator.source == "reported":
            return _("Chưa có số liệu được phê duyệt.")
        return _("Chưa có số liệu trong kỳ.")
    return _("Kết quả: %(parts)s.") % {"parts": "; ".join(parts)}


def laggards(data: ReportData, indicator: Indicator) -> tuple[list[engine.ResultRow], int, bool]:
    """The unit rows that hold an indicator back, worst first: (up to LAGGARDS rows, how many in
    all, whether the indicator has targets). With targets: the units missing their level's target;
    without: the units whose value is worse than the province's."""
    rows = [r for r in data.scoped("unit") if r.indicator == indicator.code and r.value is not None]
    lower_is_better = indicator.comparator in ("<=", "<")
    targeted = any(r.met is not None for r in rows)
    if targeted:
        rows = [r for r in rows if r.met is False]
    else:
        province = data.row(indicator.code, "province")
        if province is None or province.value is None:
            return [], 0, False
        bar = province.value
        rows = [r for r in rows if (r.value > bar if lower_is_better else r.value < bar)]  # type: ignore[operator]
    rows.sort(key=lambda r: (-(r.value or 0) if lower_is_better else (r.value or 0), r.key))
    return rows[:LAGGARDS], len(rows), targeted


def _laggard_words(data: ReportData, indicator: Indicator) -> str:
    if "unit" not in indicator.scopes:
        return ""
    rows, count, missing = laggards(data, indicator)
    if not rows:
        return _("Các đơn vị có số liệu đều đạt mục tiêu.") if missing else ""
    names = []
    for row in rows:
        unit = data.units.get(row.key)
        name = unit.name if unit else row.key
        figure = formatting.measure(row.value, indicator.unit)
        if missing and row.target is not None:
            names.append(
                _("%(name)s (%(value)s; mục tiêu %(target)s)")
                % {
                    "name": name,
                    "value": figure,
                    "target": formatting.target_text(row.target, indicator.comparator, indicator.unit),
                }
            )
        else:
            names.append(f"{name} ({figure})")
    more = _(" và %(count)s đơn vị khác") % {"count": count - len(rows)} if count > len(rows) else ""
    if missing:
        return _("Đơn vị chưa đạt mục tiêu (%(count)s đơn vị): %(names)s%(more)s.") % {
            "count": count,
            "names": "; ".join(names),
            "more": more,
        }
    return _("Đơn vị có kết quả thấp hơn toàn tỉnh (%(count)s đơn vị): %(names)s%(more)s.") % {
        "count": count,
        "names": "; ".join(names),
        "more": more,
    }


def _summary(document: Any, data: ReportData) -> None:
    """Section I: how many targets are met, or the index's total and groups."""
    closed = data.closed
    if data.definition.is_index:
        total = data.row(engine.TOTAL, "province")
        if total is None:
            _paragraph(document, _("Chưa có số liệu trong kỳ."), indent=True)
            return
        _paragraph(
            document,
            _("Tổng điểm toàn tỉnh: %(points)s/%(max)s điểm, đạt %(value)s.")
            % {
                "points": formatting.number(total.points),
                "max": formatting.number(total.max_points),
                "value": formatting.measure(total.value),
            },
            indent=True,
        )
        for code, name in data.definition.groups:
            members = [i for i in data.definition.indicators if i.group == code]
            points = max_points = Decimal(0)
            for indicator in members:
                row = data.row(indicator.code, "province")
                if row is not None and row.points is not None and row.max_points is not None:
                    points += row.points
                    max_points += row.max_points
            _paragraph(
                document,
                f"- {name} ({code}): "
                + _("%(points)s/%(max)s điểm.")
                % {"points": formatting.number(points), "max": formatting.number(max_points)},
                indent=True,
            )
        for level in data.definition.level_order:
            row = data.row(engine.TOTAL, "level", level)
            if row is not None:
                _paragraph(
                    document,
                    _("- %(level)s: %(points)s/%(max)s điểm (%(value)s).")
                    % {
                        "level": level_label(level),
                        "points": formatting.number(row.points),
                        "max": formatting.number(row.max_points),
                        "value": formatting.measure(row.value),
                    },
                    indent=True,
                )
        return
    met = missed = no_data = tracked = 0
    for indicator in data.definition.indicators:
        if indicator.target is None:
            tracked += 1
            continue
        rows = [r for r in (data.row(indicator.code, "province"),) if r is not None and r.met is not None]
        if not rows:
            rows = [r for r in data.scoped("level") if r.indicator == indicator.code and r.met is not None]
        if not rows:
            no_data += 1
        elif all(r.met for r in rows):
            met += 1
        else:
            missed += 1
    _paragraph(
        document,
        _(
            "Kế hoạch có %(with_target)s chỉ tiêu có mục tiêu và %(tracked)s chỉ tiêu theo dõi. Đến thời điểm "
            "báo cáo: %(met)s chỉ tiêu đạt, %(missed)s chỉ tiêu %(missed_word)s, %(no_data)s chỉ tiêu chưa có số liệu."
        )
        % {
            "with_target": met + missed + no_data,
            "tracked": tracked,
            "met": met,
            "missed": missed,
            "missed_word": _("không đạt") if closed else _("chưa đạt"),
            "no_data": no_data,
        },
        indent=True,
    )


def _sign_off(document: Any, heading: Heading) -> None:
    """ "Nơi nhận:" bottom left (12 pt bold italic, entries 11 pt); the signature bottom right."""
    table = _borderless_table(document, (85, 80))
    left, right = table.rows[0].cells
    paragraph = _paragraph(left, "", align="left", after=0)
    _run(paragraph, _("Nơi nhận:"), 12, bold=True, italic=True)
    for recipient in heading.recipients:
        _paragraph(left, f"- {recipient}", size=11, align="left", after=0)
    _paragraph(right, heading.signer_title.upper(), bold=True, align="center", after=0)
    for _line in range(4):  # room for the signature and the seal
        _paragraph(right, "", align="center", after=0)
    _paragraph(right, heading.signer_name, bold=True, align="center", after=0)


def word_bytes(data: ReportData, heading: Heading | None = None, day: dt.date | None = None) -> bytes:
    """The Word report (Decree 30/2020/NĐ-CP layout): header, title, numbered sections (I. the
    overall result; then one per group, 1., 2. per indicator with its target, result and the units
    holding it back), the closing line, recipients and signature. A4, Times New Roman 14 pt."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    heading = (heading or Heading()).resolved()
    day = day or timezone.localdate()
    document = Document()
    properties = document.core_properties
    properties.title = data.title
    properties.author = heading.issuer
    properties.language = "vi-VN"
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())

    _header(document, heading, day)
    _paragraph(document, "", after=0)
    _paragraph(document, _("BÁO CÁO"), bold=True, align="center", after=0)
    _paragraph(document, data.title, bold=True, align="center", after=0)
    _rule(document, 40, PAGE["width"] - PAGE["left"] - PAGE["right"])
    _paragraph(
        document,
        _(
            "Thực hiện %(plan)s, %(issuer)s báo cáo kết quả đến thời điểm %(as_of)s (thời điểm số liệu) "
            "như sau:"
        )
        % {"plan": data.definition.name, "issuer": heading.issuer, "as_of": formatting.moment(data.as_of)},
        indent=True,
    )
    _paragraph(document, f"{formatting.roman(1)}. " + _("KẾT QUẢ CHUNG"), bold=True, align="left")
    _summary(document, data)
    number = 1
    for code, name in data.definition.groups:
        members = [i for i in data.definition.indicators if i.group == code]
        if not members:
            continue
        number += 1
        _paragraph(document, f"{formatting.roman(number)}. {name.upper()}", bold=True, align="left")
        for position, indicator in enumerate(members, start=1):
            _paragraph(document, f"{position}. {indicator.name}", bold=True, indent=True)
            words = " ".join(w for w in (_target_words(indicator, data), _result_words(indicator, data)) if w)
            _paragraph(document, words, indent=True)
            laggard_words = _laggard_words(data, indicator)
            if laggard_words:
                _paragraph(document, laggard_words, indent=True)
    _paragraph(
        document,
        _("Trên đây là báo cáo %(subject)s của %(issuer)s./.")
        % {"subject": data.title[0].lower() + data.title[1:], "issuer": heading.issuer},
        indent=True,
    )
    _sign_off(document, heading)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
