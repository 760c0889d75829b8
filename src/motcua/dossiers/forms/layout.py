"""The page of an official slip (thể thức văn bản hành chính, after Decree 30/2020): A4, margins
20/15/20/30 mm, a Times-like serif, the two-column header with the agency on the left and the
national motto on the right, the place-and-date line, a centred bold title, the body and the
signature block.

The font (Liberation Serif, metric-compatible with Times New Roman, SIL OFL) ships in `fonts/`,
so rendering needs no system fonts. Text is normalised to NFC, the form the font's precomposed
Vietnamese glyphs match.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "LiberationSerif"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

BODY_SIZE = 13
HEADER_SIZE = 12.5
LINE = 6.5  # mm per body line (13 pt with ~1.15 spacing)
LEFT_COLUMN = 68  # mm: agency name and number
GAP = 2


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text if text is not None else ""))


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(VIETNAM)


def short_date(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy in Vietnam time; "…" when there is no date."""
    if value is None:
        return "…"
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


def time_and_date(value: dt.datetime | None) -> str:
    """ "08 giờ 30 phút, ngày 06/03/2023" (Vietnam time)."""
    if value is None:
        return "… giờ … phút, ngày …/…/…"
    v = local(value)
    return f"{v:%H} giờ {v:%M} phút, ngày {v:%d/%m/%Y}"


def long_date(value: dt.datetime | dt.date) -> str:
    """ "ngày 06 tháng 3 năm 2023": a day below 10 and the months 1 and 2 take a leading zero
    (Decree 30/2020, Appendix I)."""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


class OfficialPage(FPDF):
    """An A4 page set up for an official slip, with helpers for its standard parts."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(left=30, top=20, right=15)
        self.set_auto_page_break(auto=True, margin=20)
        self.add_font(FAMILY, "", str(FONT_DIR / "LiberationSerif-Regular.ttf"))
        self.add_font(FAMILY, "B", str(FONT_DIR / "LiberationSerif-Bold.ttf"))
        self.add_font(FAMILY, "I", str(FONT_DIR / "LiberationSerif-Italic.ttf"))
        self.set_title(nfc(title))
        self.set_creator("motcua")
        self.set_lang("vi")
        self.add_page()
        self.set_font(FAMILY, "", BODY_SIZE)

    def use_font(self, style: str = "", size: float = BODY_SIZE) -> None:
        self.set_font(FAMILY, style, size)

    def _column(self, x: float, y: float, w: float, lines: Sequence[tuple[str, str, float]]) -> float:
        """Centred lines in a column starting at (x, y); returns the y below them."""
        self.set_xy(x, y)
        for text, style, size in lines:
            self.use_font(style, size)
            self.set_x(x)
            self.multi_cell(w, 5.6, nfc(text), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()

    def _rule_under(self, x: float, w: float, y: float, length: float) -> None:
        self.set_line_width(0.3)
        self.line(x + (w - length) / 2, y + 0.6, x + (w + length) / 2, y + 0.6)

    def header_block(
        self, parent: str, agency: str, number: str, place: str, on: dt.datetime | dt.date
    ) -> None:
        """The two-column header: parent body and agency (upper case) with a short rule and the
        number on the left; the national motto (bold, the motto underlined) and the place and
        date (italic) on the right."""
        top = self.t_margin
        x_left, x_right = self.l_margin, self.l_margin + LEFT_COLUMN + GAP
        right_w = self.epw - LEFT_COLUMN - GAP
        lines: list[tuple[str, str, float]] = []
        if parent:
            lines.append((nfc(parent).upper(), "", HEADER_SIZE))
        lines.append((nfc(agency).upper(), "B", HEADER_SIZE))
        y_left = self._column(x_left, top, LEFT_COLUMN, lines)
        self._rule_under(x_left, LEFT_COLUMN, y_left, LEFT_COLUMN / 3)

        self.use_font("B", HEADER_SIZE - 0.5)
        y_right = self._column(x_right, top, right_w, [(MOTTO_COUNTRY, "B", HEADER_SIZE - 0.5)])
        self.use_font("B", BODY_SIZE)
        self.set_xy(x_right, y_right)
        self.cell(right_w, 5.6, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._rule_under(x_right, right_w, self.get_y(), self.get_string_width(MOTTO))

        y = max(self.get_y(), y_left) + 4
        number_text = nfc(f"Số: {number}")
        size: float = BODY_SIZE
        self.use_font("", size)
        # A long dossier code must stay inside its column, clear of the date on the right.
        while size > 8 and self.get_string_width(number_text) > LEFT_COLUMN:
            size -= 0.5
            self.use_font("", size)
        self.set_xy(x_left, y)
        self.cell(LEFT_COLUMN, LINE, number_text, align="C")
        self.use_font("I", BODY_SIZE)
        self.set_xy(x_right, y)
        self.cell(
            right_w, LINE, nfc(f"{place}, {long_date(on)}"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(LINE)

    def heading(self, text: str, *subtitles: str) -> None:
        """The form's name, bold and centred, and lines under it (the dossier code…)."""
        self.use_font("B", 14)
        self.multi_cell(self.epw, 7, nfc(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for line in subtitles:
            italic = line.startswith("(")
            self.use_font("I" if italic else "B", BODY_SIZE)
            self.multi_cell(self.epw, LINE, nfc(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def para(self, text: str, *, style: str = "", indent: float = 0, align: str = "J") -> None:
        """A body paragraph (justified), optionally indented."""
        self.use_font(style)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, LINE, nfc(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: str) -> None:
        """ "Label: value" with the label plain and the value as given."""
        self.para(f"{label}: {value}" if value else f"{label}: …")

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        """A bordered table with bold centred headings; cells wrap."""
        self.use_font("", 12)
        with super().table(
            col_widths=tuple(widths),
            width=self.epw,
            line_height=5.4,
            text_align="LEFT",
            headings_style=None,
            padding=1,
            first_row_as_headings=False,
        ) as table:
            self.use_font("B", 11.5)
            head = table.row()
            for h in headings:
                head.cell(nfc(h), align="C")
            self.use_font("", 12)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(nfc(value))
        self.ln(2)

    def signatures(self, blocks: Sequence[tuple[str, str, str]]) -> None:
        """Signature blocks side by side (or one on the right): role (bold, upper case), the
        instruction in italic ("(Ký và ghi rõ họ tên)"), space to sign, then the name."""
        self.ln(4)
        if self.will_page_break(45):
            self.add_page()
        top = self.get_y()
        n = len(blocks)
        col = self.epw / 2
        bottom = top
        for i, (role, hint, name) in enumerate(blocks):
            x = self.l_margin + (col if n == 1 else i * col)
            self.set_xy(x, top)
            self.use_font("B", BODY_SIZE)
            self.multi_cell(col, LINE, nfc(role).upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.use_font("I", BODY_SIZE)
            self.multi_cell(col, LINE, nfc(hint), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_xy(x, self.get_y() + 22)
            self.use_font("B", BODY_SIZE)
            self.multi_cell(col, LINE, nfc(name), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottom = max(bottom, self.get_y())
        self.set_xy(self.l_margin, bottom)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
