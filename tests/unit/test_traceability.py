"""Drug traceability codes (药品追溯码): shape only, Chinese errors, repeats in a basket."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.traceability import (
    TRACE_CODE_LENGTH,
    InvalidTraceCode,
    TraceCode,
    already_sold_message,
    is_trace_code,
    repeated_codes,
)

CODE = "81234560012345678901"


def test_a_20_digit_code_is_read_with_its_product_part():
    code = TraceCode.parse(CODE)
    assert code.value == CODE and str(code) == CODE
    assert code.product_part == "8123456"


def test_scanner_enter_and_full_width_digits_are_normalised():
    assert TraceCode.parse(f" {CODE}\r\n").value == CODE
    full_width = CODE.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert TraceCode.parse(full_width).value == CODE


@pytest.mark.parametrize(("text", "reason"), [
    ("", "请扫描药品追溯码"),
    ("   ", "请扫描药品追溯码"),
    (CODE[:-1], "收到 19 位"),
    (CODE + "0", "收到 21 位"),
    ("6901234567892", "商品条码"),
    (CODE[:10] + " " + CODE[10:], "只能包含数字"),
    (CODE[:-1] + "X", "只能包含数字"),
    ("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠", "只能包含数字"),
    ("๑" + CODE[1:], "只能包含数字"),  # Thai digit: isdigit() but not 0-9
])
def test_malformed_codes_are_refused_in_chinese(text, reason):
    with pytest.raises(InvalidTraceCode, match=reason) as refused:
        TraceCode.parse(text)
    assert isinstance(refused.value, DomainError)
    assert not is_trace_code(text)


def test_direct_construction_checks_the_shape_too():
    with pytest.raises(InvalidTraceCode, match=f"{TRACE_CODE_LENGTH} 位数字"):
        TraceCode("12345")


def test_is_trace_code_routes_scans():
    assert is_trace_code(CODE)
    assert not is_trace_code("6901234567892")


def test_repeated_codes_in_a_basket_are_reported_once_each_in_order():
    a, b, c = (TraceCode.parse(CODE[:-1] + d) for d in "123")
    assert repeated_codes([a, b, a, c, b, a]) == [a, b]
    assert repeated_codes([a, b, c]) == []


def test_already_sold_message_names_the_code_and_the_sale():
    message = already_sold_message(TraceCode.parse(CODE), "XS20261101-0007")
    assert CODE in message and "XS20261101-0007" in message and "重复销售" in message


@settings(derandomize=True, database=None)  # CI never flakes
@given(st.text(alphabet="0123456789", min_size=TRACE_CODE_LENGTH, max_size=TRACE_CODE_LENGTH))
def test_every_20_ascii_digit_string_is_accepted(text):
    assert TraceCode.parse(text).value == text


@settings(derandomize=True, database=None)  # CI never flakes
@given(st.text(max_size=40))
def test_parse_either_accepts_20_digits_or_refuses_in_chinese(text):
    # Only NFKC and surrounding whitespace are forgiven; the oracle says the same.
    digits = unicodedata.normalize("NFKC", text).strip()
    if len(digits) == TRACE_CODE_LENGTH and digits.isascii() and digits.isdigit():
        assert TraceCode.parse(text).value == digits
        return
    with pytest.raises(InvalidTraceCode) as refused:
        TraceCode.parse(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)
