from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pharmacy_pos.domain.money import (
    format_yuan,
    from_minor,
    has_at_most_places,
    parse_decimal,
    round_amount,
    to_minor,
)


def test_to_minor_and_back_is_exact():
    assert to_minor(Decimal("12.34"), 2) == 1234
    assert from_minor(1234, 2) == Decimal("12.34")
    assert to_minor(Decimal("0.0125"), 4) == 125


def test_to_minor_refuses_to_round_away_money():
    with pytest.raises(ValueError, match="decimal places"):
        to_minor(Decimal("1.005"), 2)


def test_float_is_refused_as_money():
    with pytest.raises(TypeError):
        to_minor(1.1, 2)  # type: ignore[arg-type]


def test_non_finite_is_refused():
    with pytest.raises(ValueError, match="finite"):
        to_minor(Decimal("NaN"), 2)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from([2, 4]))
def test_minor_round_trip(value, scale):
    assert to_minor(from_minor(value, scale), scale) == value


def test_parse_decimal_accepts_full_width_and_yuan_sign():
    assert parse_decimal("￥１８．５", max_places=2) == Decimal("18.5")


@pytest.mark.parametrize(
    ("text", "message"),
    [("-1", "负数"), ("abc", "不是数字"), ("1.234", "最多 2 位小数"), ("", "不能为空"),
     ("Infinity", "有效数字")],
)
def test_parse_decimal_rejects_bad_input_in_chinese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_decimal(text, max_places=2)


def test_trailing_zeros_do_not_count_as_decimals():
    assert parse_decimal("4.8000", max_places=2) == Decimal("4.8")
    assert parse_decimal("12", max_places=0) == Decimal("12")


def test_zero_can_be_refused():
    with pytest.raises(ValueError, match="大于 0"):
        parse_decimal("0", max_places=2, allow_zero=False)


def test_rounding_is_half_up_to_fen():
    assert round_amount(Decimal("0.125")) == Decimal("0.13")
    assert format_yuan(Decimal("1234.5")) == "¥1,234.50"


def test_huge_numbers_are_refused_not_crashing():
    # Found by the catalogue fuzz test: quantize() overflowed the decimal context.
    with pytest.raises(ValueError, match="数值过大"):
        parse_decimal("100000000000000000000000000", max_places=2)
    assert has_at_most_places(Decimal("1E+26"), 2)
    assert not has_at_most_places(Decimal("0.001"), 2)
