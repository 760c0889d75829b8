"""Citizen IDs (số định danh cá nhân) and tax codes (mã số thuế) are checked before they are stored."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from motcua.accounts.validators import (
    CITIZEN_ID_PROVINCE_CODES,
    normalize_tax_code,
    tax_code_check_digit,
    validate_citizen_id,
    validate_tax_code,
)


def message(validator, value) -> str:
    with pytest.raises(ValidationError) as error:
        validator(value)
    return " ".join(error.value.messages)


@pytest.mark.parametrize("value", ["042095000123", "001200123456", "096189999999", "079301000001"])
def test_a_twelve_digit_citizen_id_with_a_province_code_is_accepted(value):
    validate_citizen_id(value)


@pytest.mark.parametrize(
    "value", ["04209500012", "0420950001234", "04209500012a", "", "042 95000123", "０４２０９５０００１２３"]
)
def test_a_citizen_id_must_be_exactly_twelve_ascii_digits(value):
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in message(validate_citizen_id, value)


@pytest.mark.parametrize("code", ["000", "003", "097", "100", "999"])
def test_a_citizen_id_must_start_with_a_province_code(code):
    assert f"mã tỉnh không hợp lệ “{code}”" in message(validate_citizen_id, code + "095000123")


def test_the_province_codes_are_the_sixty_three_provinces():
    assert len(CITIZEN_ID_PROVINCE_CODES) == 63
    assert {"001", "042", "079", "096"} <= CITIZEN_ID_PROVINCE_CODES
    assert all("001" <= code <= "096" for code in CITIZEN_ID_PROVINCE_CODES)


def test_the_check_digit_of_a_known_tax_code():
    # 0100109106: weights 31,29,23,19,17,13,7,5,3 give 114; 114 mod 11 = 4; 10 − 4 = 6.
    assert tax_code_check_digit("010010910") == 6
    validate_tax_code("0100109106")
    validate_tax_code("0100109106-001")


def test_a_thirteen_digit_branch_code_is_written_with_a_hyphen():
    assert normalize_tax_code(" 0100109106001 ") == "0100109106-001"
    assert normalize_tax_code("0100109106") == "0100109106"


def test_a_wrong_check_digit_is_refused():
    assert "chữ số kiểm tra không đúng" in message(validate_tax_code, "0100109107")


@pytest.mark.parametrize(
    "value", ["010010910", "01001091066", "0100109106-01", "0100109106_001", "0100109106-001\n"]
)
def test_a_tax_code_must_have_ten_or_ten_plus_three_digits(value):
    assert "Mã số thuế phải gồm 10 chữ số" in message(validate_tax_code, value)


def test_branch_number_zero_is_refused():
    assert "từ 001 đến 999" in message(validate_tax_code, "0100109106-000")


def test_nine_digits_whose_check_would_be_ten_have_no_valid_tax_code():
    # The weighted sum of 000000000 is 0, so the check would be 10 − 0 = 10: no such code is issued.
    assert tax_code_check_digit("000000000") is None
    for digit in "0123456789":
        with pytest.raises(ValidationError):
            validate_tax_code("000000000" + digit)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits.filter(lambda d: tax_code_check_digit(d) is not None), st.integers(1, 999) | st.none())
def test_a_tax_code_with_its_computed_check_digit_is_accepted(first_nine, branch):
    code = first_nine + str(tax_code_check_digit(first_nine))
    validate_tax_code(code)
    if branch is not None:
        validate_tax_code(f"{code}-{branch:03d}")


@given(
    nine_digits.filter(lambda d: tax_code_check_digit(d) is not None),
    st.integers(0, 9),
    st.integers(1, 9),
)
def test_changing_any_one_of_the_first_ten_digits_is_caught(first_nine, position, shift):
    code = first_nine + str(tax_code_check_digit(first_nine))
    changed = code[:position] + str((int(code[position]) + shift) % 10) + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_tax_code(changed)
