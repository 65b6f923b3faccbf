"""Fuzzing what a scanner or a cashier types: product barcodes, traceability codes and
citizen ID numbers (ID-4).

Whatever the text, each parser gives a well-formed value or refuses with its own error
type (``InvalidBarcode``, ``InvalidTraceCode``, ``InvalidIdNumber``) and a Chinese
message, never another exception. Each test runs CI-sized (``[ci]``, derandomized so CI
never flakes) and, marked ``slow``, with 10,000 examples (``[long]``: ``pytest -m slow``).
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.identity import match_document
from pharmacy_pos.domain.ids import (
    IdNumber,
    InvalidBarcode,
    InvalidIdNumber,
    gtin_check_digit,
    id_check_digit,
    mask_id_number,
    validate_barcode,
)
from pharmacy_pos.domain.traceability import (
    TRACE_CODE_LENGTH,
    InvalidTraceCode,
    TraceCode,
    is_trace_code,
)
from tests.fuzzing import attempt, chinese, fuzz
from tests.unit.test_card_parsing import FULL_RECORD

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def with_check(body: str) -> str:
    return body + gtin_check_digit(body)


# Look-alikes a scanner in the wrong keyboard mode or an input method produces.
LOOK_ALIKES = st.sampled_from(list("０１２３４５６７８９ＸｘＡ٠١٢३۴๑²³¹½Ⅻ"
                                   "\u200b\u00a0\u3000\t\r\n\x00\x1b-_ "))


def mutated(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid code with one character replaced, inserted, removed, or cut short."""
    def apply(args: tuple[str, int, str, str]) -> str:
        text, at, ch, how = args
        at %= len(text) + 1
        if how == "replace":
            return text[:at] + ch + text[at + 1:]
        if how == "insert":
            return text[:at] + ch + text[at:]
        if how == "delete":
            return text[:at] + text[at + 1:]
        return text[:at]
    return st.tuples(valid, st.integers(0, 40), LOOK_ALIKES,
                     st.sampled_from(["replace", "insert", "delete", "cut"])).map(apply)


# Enormous input, cheap to generate: a short text repeated.
HUGE = st.tuples(st.text(min_size=1, max_size=3), st.integers(100, 5000)).map(
    lambda t: t[0] * t[1])


# -- product barcodes -----------------------------------------------------------------

GTINS = st.one_of(*(digits(n - 1).map(with_check) for n in (8, 12, 13, 14)))
BARCODE_TEXT = st.one_of(
    GTINS, mutated(GTINS), st.text(max_size=30),
    st.from_regex(r"[0-9A-Za-z\-]{1,24}", fullmatch=True),
    st.text(alphabet=LOOK_ALIKES, max_size=25), HUGE,
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_barcode_is_valid_or_refused_in_chinese(examples):
    @fuzz(examples)
    @given(BARCODE_TEXT)
    @example("٣" * 13)          # other scripts' digits: isdigit() but not 0-9
    @example("6901234567892\n")
    @example("x" * 100_000)
    def check(text):
        code, refused = attempt(lambda: validate_barcode(text), InvalidBarcode)
        if refused is not None:
            event("refused")
            assert chinese(str(refused)) and len(str(refused)) < 200
            return
        event("valid")
        assert code == text.strip() and code.isascii() and 4 <= len(code) <= 20
        if code.isdigit() and len(code) in (8, 12, 13, 14):
            assert gtin_check_digit(code[:-1]) == code[-1]

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_gtin_with_one_digit_changed_is_refused(examples):
    # The GS1 check digit catches every single-digit error.
    @fuzz(examples)
    @given(GTINS, st.integers(0, 13), st.integers(1, 9))
    def check(code, position, delta):
        position %= len(code)
        changed = str((int(code[position]) + delta) % 10)
        wrong = code[:position] + changed + code[position + 1:]
        with pytest.raises(InvalidBarcode, match="校验位错误"):
            validate_barcode(wrong)
        assert validate_barcode(code) == code

    check()


# -- traceability codes --------------------------------------------------------------

TRACE_CODES = digits(TRACE_CODE_LENGTH)
TRACE_TEXT = st.one_of(TRACE_CODES, mutated(TRACE_CODES), st.text(max_size=40),
                       TRACE_CODES.map(lambda c: c.translate(str.maketrans(
                           "0123456789", "０１２３４５６７８９"))),
                       st.text(alphabet=LOOK_ALIKES, max_size=30), GTINS)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_trace_code_is_20_ascii_digits_or_refused_in_chinese(examples):
    @fuzz(examples)
    @given(TRACE_TEXT)
    @example("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠")
    @example("\x00" * 20)
    def check(text):
        routed = is_trace_code(text)
        code, refused = attempt(lambda: TraceCode.parse(text), InvalidTraceCode)
        if refused is not None:
            event("refused")
            assert isinstance(refused, DomainError) and chinese(refused.message)
            assert not routed
            return
        event("valid")
        assert routed
        assert code.value == unicodedata.normalize("NFKC", text).strip()
        assert len(code.value) == TRACE_CODE_LENGTH and code.value.isascii()
        assert code.value.isdigit() and code.product_part == code.value[:7]

    check()


# -- citizen ID numbers (ID-4) -------------------------------------------------------

VALID_IDS = st.builds(
    lambda region, birth, serial: (body := f"{region}{birth:%Y%m%d}{serial:03d}")
    + id_check_digit(body),
    st.integers(min_value=110000, max_value=659999),
    st.dates(min_value=date(1880, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=999),
)

ID_TEXT = st.one_of(VALID_IDS, mutated(VALID_IDS), st.text(max_size=30),
                    st.text(alphabet=LOOK_ALIKES, max_size=20),
                    VALID_IDS.map(lambda v: v[:-1] + v[-1].lower()),
                    VALID_IDS.map(lambda v: " ".join([v[:6], v[6:14], v[14:]])),
                    digits(17).map(lambda b: b + id_check_digit(b)),
                    HUGE)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_id_number_any_text(examples):
    @fuzz(examples)
    @given(ID_TEXT, st.none() | st.dates(min_value=date(1900, 1, 1)))
    @example("11010519491231002X", date(1949, 12, 30))   # born after "today"
    @example("ⅰ" * 18, None)  # NFKC turns one character into several
    @example("11010500000000000X", None)  # year 0000: date() refuses
    def check(text, today):
        parsed, refused = attempt(lambda: IdNumber.parse(text, today=today), InvalidIdNumber)
        if refused is not None:
            event("refused")
            assert "(ID-4)" in str(refused) and chinese(str(refused))
            return
        event("valid")
        value = parsed.value
        assert len(value) == 18 and value.isascii() and value[17] in "0123456789X"
        assert id_check_digit(value[:17]) == value[17]
        assert parsed.birth_date.year >= 1880 and (today is None or parsed.birth_date <= today)
        assert parsed.sex in ("1", "2")
        assert mask_id_number(value) == parsed.masked() and value not in parsed.masked()

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_id_2_document_check_any_typed_number_and_name(examples):
    # ID-2: the cashier types the document's number and name; whatever is typed, the
    # answer is findings, or a DomainError naming ID-4 for a number that is not one.
    @fuzz(examples)
    @given(ID_TEXT, st.text(max_size=60))
    @example(FULL_RECORD.ssn, FULL_RECORD.name)
    def check(number, name):
        findings, refused = attempt(
            lambda: match_document(FULL_RECORD, id_number=number, name=name), DomainError)
        if refused is not None:
            event("refused")
            assert refused.rule_id == "ID-4" and chinese(refused.message)
            return
        event("findings" if findings else "match")
        assert all(chinese(f.message) and f.rule_id.startswith("ID-") for f in findings)

    check()
