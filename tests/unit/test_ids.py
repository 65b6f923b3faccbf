from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmacy_pos.domain.ids import (
    IdNumber,
    InvalidIdNumber,
    gtin_check_digit,
    id_check_digit,
    mask_id_number,
    validate_barcode,
)

VALID = "11010519491231002X"


def test_id_4_valid_id_number_is_accepted():
    parsed = IdNumber.parse(VALID)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "2"


def test_id_4_lower_case_x_and_spaces_are_normalised():
    assert IdNumber.parse(" 11010519491231002x ").value == VALID


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("11010519491231002", "18 位"),
        ("110105194912310021", "校验位"),
        ("11010519490231002X", "出生日期不存在"),
        ("1101051949123100AX", "17 位数字"),
        ("01010519491231002X", "地区码"),
    ],
)
def test_id_4_invalid_id_number_is_refused_with_reason(text, fragment):
    with pytest.raises(InvalidIdNumber, match=fragment):
        IdNumber.parse(text)


def test_id_4_birth_date_in_the_future_is_refused():
    body = "11010520300101001"
    with pytest.raises(InvalidIdNumber, match="不合理"):
        IdNumber.parse(body + id_check_digit(body), today=date(2026, 11, 1))


@settings(derandomize=True, database=None)  # CI never flakes
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
       st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=16),
       st.integers(min_value=1, max_value=9))
def test_id_4_any_single_digit_change_is_caught(birth, serial, position, delta):
    body = f"310104{birth:%Y%m%d}{serial:03d}"
    valid = body + id_check_digit(body)
    assert IdNumber.parse(valid).value == valid
    changed = list(valid)
    changed[position] = str((int(changed[position]) + delta) % 10)
    mutated = "".join(changed)
    with pytest.raises(InvalidIdNumber):
        IdNumber.parse(mutated)


def test_sec_5_id_number_is_masked():
    assert mask_id_number(VALID) == "110***********002X"
    assert str(IdNumber.parse(VALID)) == "110***********002X"
    assert VALID not in repr(IdNumber.parse(VALID).masked())


def test_ean13_check_digit():
    assert gtin_check_digit("690123456789") == "2"
    assert validate_barcode("6901234567892") == "6901234567892"


@pytest.mark.parametrize("code", ["6901234567891", "69012345", "", "12 34", "条码123"])
def test_bad_barcodes_are_refused(code):
    with pytest.raises(ValueError, match="条形码"):
        validate_barcode(code)


def test_in_house_codes_pass():
    assert validate_barcode("ZX-00012") == "ZX-00012"
