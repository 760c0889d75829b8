"""Applicants' identity numbers: the citizen ID (số định danh cá nhân, CCCD) and the tax code (mã số thuế)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes that open a 12-digit personal identification number (the Ministry of Public
# Security's list): the 63 provinces as they were when the numbers were issued. Numbers stay
# valid after the 2025 mergers, so the old codes stay here.
# fmt: off
CITIZEN_ID_PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
    "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
    "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
    "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
    "089", "091", "092", "093", "094", "095", "096",
})
# fmt: on

# Weights of the first nine digits of a tax code in the tax office's check-digit rule.
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

_TAX_CODE_RE = re.compile(r"([0-9]{10})(?:-([0-9]{3}))?")


def validate_citizen_id(value: str) -> None:
    """Exactly 12 digits: province code (3), century and sex (1), year of birth (2), serial (6)."""
    if not (len(value) == 12 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("Số định danh cá nhân phải gồm đúng 12 chữ số (đang là “%(value)s”)."),
            code="citizen_id_format",
            params={"value": value},
        )
    if value[:3] not in CITIZEN_ID_PROVINCE_CODES:
        raise ValidationError(
            _("Số định danh cá nhân bắt đầu bằng mã tỉnh không hợp lệ “%(code)s”."),
            code="citizen_id_province",
            params={"code": value[:3]},
        )


def tax_code_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a tax code whose first nine digits are `first_nine`, or None when no
    valid check digit exists (10 − (Σ mod 11) would be 10, a number the tax office never issues)."""
    if len(first_nine) != 9 or not (first_nine.isascii() and first_nine.isdigit()):
        raise ValueError(f"need nine digits, got {first_nine!r}")
    total = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def normalize_tax_code(value: str) -> str:
    """A tax code as stored: spaces removed, a 13-digit branch code written 0123456789-001."""
    value = "".join(value.split())
    if len(value) == 13 and value.isascii() and value.isdigit():
        return f"{value[:10]}-{value[10:]}"
    return value


def validate_tax_code(value: str) -> None:
    """10 digits with a correct check digit, or 10 digits, a hyphen and a 3-digit branch number."""
    match = _TAX_CODE_RE.fullmatch(value)
    if match is None:
        raise ValidationError(
            _(
                "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số của đơn vị phụ thuộc "
                "(đang là “%(value)s”)."
            ),
            code="tax_code_format",
            params={"value": value},
        )
    base, branch = match.groups()
    if tax_code_check_digit(base[:9]) != int(base[9]):
        raise ValidationError(
            _("Mã số thuế “%(value)s” có chữ số kiểm tra không đúng."),
            code="tax_code_check_digit",
            params={"value": value},
        )
    if branch == "000":
        raise ValidationError(
            _("Mã số thuế: số thứ tự đơn vị phụ thuộc phải từ 001 đến 999."), code="tax_code_branch"
        )
