"""Card parsing: exact values of each parser, then fuzzing (hypothesis).

Whatever a card or driver returns, the parsers give a value or raise ``CardDataError``
(``IdNumber.parse``: ``InvalidIdNumber``), never anything else; a record they produce has
sane fields. Each fuzz test runs CI-sized (``[ci]``) and, marked ``slow``, with 10,000
examples (``[long]``: ``pytest -m slow``).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from hypothesis import assume, event, example, given
from hypothesis import strategies as st

from pharmacy_pos.domain.card import (
    EF05_RECORDS,
    EF06_RECORDS,
    MAX_NAME_LENGTH,
    NAME_ENCODING,
    VENDOR_FIELDS,
    CardDataError,
    CardRecord,
    decode_bcd_date,
    decode_text,
    parse_record,
    record_from_files,
    record_from_vendor,
)
from pharmacy_pos.domain.ids import IdNumber, InvalidIdNumber, id_check_digit
from tests.fuzzing import fuzz

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


# -- a full card, as its files and as the vendor driver's line -------------------------

NAME_GBK = "张三".encode("gbk")  # D5 C5 C8 FD
FULL_EF05 = {
    0x01: bytes.fromhex("110100D15600000500BF7C7A48FB4966"),
    0x02: b"1",
    0x03: b"2.00",
    0x04: b"110100000001",
    0x05: b"\x20\x15\x01\x01",
    0x06: b"\x20\x25\x01\x01",
    0x07: b"A00000001",
}
FULL_EF06 = {
    0x08: b"11010519491231002X",
    0x09: NAME_GBK + b"\x00" * 26,
    0x0A: b"2",
    0x0B: b"\x01",
    0x0C: b"\x11\x01\x05",
    0x0D: b"\x19\x49\x12\x31",
}
FULL_RECORD = CardRecord(
    region_code="110100", card_id_code="110100D15600000500BF7C7A48FB4966", card_type="1",
    spec_version="2.00", issue_date=date(2015, 1, 1), expiry_date=date(2025, 1, 1),
    card_number="A00000001", ssn="11010519491231002X", name="张三", sex="2",
    ethnicity="01", birth_date=date(1949, 12, 31),
)
VENDOR_LINE = ("110100|11010519491231002X|A00000001|110100D15600000500BF7C7A48FB4966|张三|"
               "00814E43238697159900BF7C7A|2.00|20150101|20250101|000000000001|SN20150001|")
# The driver gives no card type or ethnicity; everything else matches the card's files.
VENDOR_RECORD = dataclasses.replace(FULL_RECORD, card_type="", ethnicity="")
ALL_RECORDS = {**EF05_RECORDS, **EF06_RECORDS}


def answer(tag: int, value: bytes) -> bytes:
    """A READ RECORD answer ``[tag][len][value]`` (status word already removed)."""
    return bytes([tag, len(value)]) + value


def from_answers(answers: dict[int, bytes]) -> CardRecord:
    """What the APDU back end does: each record's answer through ``parse_record``, then
    ``record_from_files``."""
    values = {tag: parse_record(raw, tag, ALL_RECORDS[tag][1]) for tag, raw in answers.items()}
    return record_from_files({t: v for t, v in values.items() if t in EF05_RECORDS},
                             {t: v for t, v in values.items() if t in EF06_RECORDS})


FULL_ANSWERS = {tag: answer(tag, value) for tag, value in {**FULL_EF05, **FULL_EF06}.items()}


def assert_sane(record: object) -> None:
    """What any record the parsers produce must look like, whatever they were fed."""
    assert isinstance(record, CardRecord)
    for field in dataclasses.fields(CardRecord):
        value = getattr(record, field.name)
        if field.name.endswith("_date"):
            assert value is None or type(value) is date
        else:
            assert isinstance(value, str) and value.isprintable(), field.name
    assert record.card_number and len(record.card_number) <= 20
    assert record.card_number.isascii() and record.card_number == record.card_number.strip()
    assert len(record.ssn) <= 18 and record.ssn.isascii() and record.ssn == record.ssn.upper()
    assert len(record.name) <= MAX_NAME_LENGTH and record.name == record.name.strip()
    assert record.sex == "" or (record.sex.isascii() and record.sex.isdigit())
    assert record.sex_label in ("男", "女", "")
    assert record.personal_data_missing == (not record.ssn or not record.name)
    # SEC-5: the full number never reaches a log line through repr().
    shown = repr(record)
    assert f"ssn={record.masked_ssn!r}" in shown
    if len(record.ssn) > 7:
        assert f"ssn={record.ssn!r}" not in shown


# -- parse_record ----------------------------------------------------------------------

def test_parse_record_returns_the_value():
    assert parse_record(b"\x07\x09A00000001", 0x07, 9) == b"A00000001"


def test_parse_record_ignores_bytes_after_the_declared_length():
    assert parse_record(b"\x03\x042.00\x90\x00", 0x03, 4) == b"2.00"


def test_parse_record_of_an_empty_value():
    assert parse_record(b"\x09\x00", 0x09, 30) == b""


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "应答过短（0 字节）"),
        (b"\x07", "应答过短（1 字节）"),
        (b"\x08\x09A00000001", "标签不符: 应为 07，实际 08"),
        (b"\x07\x0aA000000012", "长度不符（声明 10，实际 10）"),
        (b"\x07\x09A0000", "长度不符（声明 9，实际 5）"),
    ],
)
def test_parse_record_refuses_malformed_answers(raw, fragment):
    with pytest.raises(CardDataError, match=re.escape(fragment)):
        parse_record(raw, 0x07, 9)


# -- decode_bcd_date -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\x20\x25\x01\x01", date(2025, 1, 1)),
        (b"\x19\x49\x12\x31", date(1949, 12, 31)),
        (b"\x20\x00\x02\x29", date(2000, 2, 29)),
        (b"\x00\x00\x00\x00", None),
        (b"\xff\xff\xff\xff", None),
        (b"", None),
    ],
)
def test_bcd_dates_and_not_set(raw, expected):
    assert decode_bcd_date(raw, "卡有效期") == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"\x20\x25\x01", "卡有效期不是有效的 BCD 日期: 202501"),
        (b"\x20\x25\x01\x01\x00", "不是有效的 BCD 日期"),
        (b"\x20\x2a\x01\x01", "不是有效的 BCD 日期: 202A0101"),
        (b"\x20\x25\x02\x30", "卡有效期不存在: 20250230"),
        (b"\x19\x00\x02\x29", "不存在: 19000229"),
        (b"\x00\x00\x01\x01", "不存在: 00000101"),
        (b"\x00\x00\x00\xff", "不是有效的 BCD 日期"),
    ],
)
def test_bad_bcd_dates_are_refused(raw, fragment):
    with pytest.raises(CardDataError, match=re.escape(fragment)):
        decode_bcd_date(raw, "卡有效期")


# -- decode_text -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "encoding", "expected"),
    [
        (b"A00000001", "ascii", "A00000001"),
        (b"2.00\x00\x00", "ascii", "2.00"),
        (b"A0000001 \xff\xff", "ascii", "A0000001"),
        (b"\x00\x00A00000001", "ascii", "A00000001"),
        (NAME_GBK + b"\x00" * 26, "gbk", "张三"),
        (NAME_GBK + b" " * 26, "gbk", "张三"),
        (NAME_GBK + b"\xff" * 26, "gbk", "张三"),
        ("阿依古丽·买买提".encode("gbk"), "gbk", "阿依古丽·买买提"),
        (b"JOHN SMITH\x00\x00", "gbk", "JOHN SMITH"),
        # Padding with full-width spaces (GBK A1 A1), as some issuers' tools write it.
        (NAME_GBK + b"\xa1\xa1" * 13, "gbk", "张三"),
        (b"\x00" * 30, "gbk", ""),
        (b"\xff" * 30, "gbk", ""),
    ],
)
def test_text_fields_are_decoded_and_unpadded(raw, encoding, expected):
    assert decode_text(raw, "姓名", encoding=encoding) == expected


@pytest.mark.parametrize(
    ("raw", "encoding", "fragment"),
    [
        (NAME_GBK, "ascii", "编码无法识别"),
        (b"\xd5\xc5\xc8", "gbk", "编码无法识别"),   # the second character cut in half
        (b"\x81\x20", "gbk", "编码无法识别"),
        (b"A\x01B", "ascii", "含有不可显示的字符"),
        (b"\xd5\xc5\n\xc8\xfd", "gbk", "含有不可显示的字符"),
    ],
)
def test_bad_text_fields_are_refused(raw, encoding, fragment):
    with pytest.raises(CardDataError, match=fragment):
        decode_text(raw, "姓名", encoding=encoding)


# -- record_from_files -----------------------------------------------------------------

def test_full_card_from_its_files():
    record = record_from_files(FULL_EF05, FULL_EF06)
    assert record == FULL_RECORD
    assert (record.sex_label, record.masked_ssn) == ("女", "110***********002X")
    assert not record.personal_data_missing


def test_full_card_from_its_raw_answers():
    assert from_answers(FULL_ANSWERS) == FULL_RECORD


def test_third_generation_card_with_empty_personal_fields():
    # Without the issuer's security module a 3.00 card answers EF06 with blank records.
    ef05 = {**FULL_EF05, 0x03: b"3.00"}
    ef06 = {0x08: b"\x00" * 18, 0x09: b"\x00" * 30, 0x0A: b"\x00", 0x0B: b"\xff",
            0x0D: b"\x00\x00\x00\x00"}
    record = record_from_files(ef05, ef06)
    assert record == dataclasses.replace(
        FULL_RECORD, spec_version="3.00", ssn="", name="", sex="", ethnicity="",
        birth_date=None)
    assert record.personal_data_missing
    assert (record.masked_ssn, record.sex_label) == ("", "")
    assert record_from_files(ef05, {}) == record  # EF06 not readable at all: the same


def test_one_byte_codes_as_ascii_digits_or_binary_numbers():
    binary = record_from_files({**FULL_EF05, 0x02: b"\x03"},
                               {**FULL_EF06, 0x0A: b"\x01", 0x0B: b"\x0c"})
    assert (binary.card_type, binary.sex, binary.ethnicity) == ("03", "1", "12")
    assert binary.sex_label == "男"
    ascii_digits = record_from_files(FULL_EF05, {**FULL_EF06, 0x0A: b"1", 0x0B: b"3"})
    assert (ascii_digits.sex, ascii_digits.ethnicity, ascii_digits.sex_label) == ("1", "3", "男")


def test_name_with_a_character_outside_gbk_is_read():
    # 䶮 (as in 刘䶮) is FE 9F in GB18030 and refused by Python's GBK codec: decoding the
    # name as GBK would leave this holder's card unreadable.
    name = bytes.fromhex("C1F5FE9F") + b"\x00" * 26
    assert record_from_files(FULL_EF05, {**FULL_EF06, 0x09: name}).name == "刘䶮"


def test_every_gbk_two_byte_sequence_decodes_the_same_as_a_name():
    # NAME_ENCODING (GB18030) must not change any name that GBK can decode.
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            raw = bytes([lead, trail])
            try:
                expected = raw.decode("gbk")
            except UnicodeDecodeError:
                continue
            assert raw.decode(NAME_ENCODING) == expected, raw.hex()


def test_lower_case_x_in_the_number_is_upper_cased():
    assert record_from_files(FULL_EF05, {**FULL_EF06, 0x08: b"11010519491231002x"}).ssn == (
        "11010519491231002X")


@pytest.mark.parametrize(
    ("ef05", "ef06", "fragment"),
    [
        ({}, FULL_EF06, "缺少记录 01、06、07"),
        ({k: v for k, v in FULL_EF05.items() if k != 0x07}, FULL_EF06, "缺少记录 07"),
        ({**FULL_EF05, 0x07: b"\x00" * 9}, FULL_EF06, "卡号为空"),
        ({**FULL_EF05, 0x06: b"\x20\x25\x13\x01"}, FULL_EF06, "卡有效期不存在"),
        ({**FULL_EF05, 0x07: "卡号".encode("gbk")}, FULL_EF06, "卡号的编码无法识别"),
        (FULL_EF05, {**FULL_EF06, 0x09: b"\xd5"}, "姓名的编码无法识别"),
        (FULL_EF05, {**FULL_EF06, 0x0A: b"12"}, "性别长度不对"),
        (FULL_EF05, {**FULL_EF06, 0x08: b"1" * 19}, "长度异常"),
        ({**FULL_EF05, 0x07: b"A" * 21}, FULL_EF06, "长度异常"),
    ],
)
def test_malformed_files_are_refused_with_reason(ef05, ef06, fragment):
    with pytest.raises(CardDataError, match=fragment):
        record_from_files(ef05, ef06)


# -- record_from_vendor ----------------------------------------------------------------

def test_vendor_line_gives_the_same_record_as_the_files():
    assert record_from_vendor(VENDOR_LINE) == VENDOR_RECORD


@pytest.mark.parametrize(
    "line",
    [
        VENDOR_LINE.rstrip("|"),                                   # no closing '|'
        VENDOR_LINE + "\x00\x00",                                  # NUL padding
        "  " + VENDOR_LINE + "\r\n",                               # whitespace around
        VENDOR_LINE.replace("20150101", "2015-01-01").replace("20250101", "2025-01-01"),
        VENDOR_LINE.replace("11010519491231002X", "11010519491231002x"),
        VENDOR_LINE.replace("|张三|", "| 张三 |"),
        VENDOR_LINE + "extra|fields|",                             # later versions append
    ],
)
def test_vendor_line_variants_are_accepted(line):
    assert record_from_vendor(line) == VENDOR_RECORD


def test_vendor_number_failing_the_check_digit_is_kept_without_derived_fields():
    # ID-4 is checked where the identity is used; parsing keeps what the card says.
    record = record_from_vendor(VENDOR_LINE.replace("11010519491231002X", "110105194912310021"))
    assert (record.ssn, record.birth_date, record.sex) == ("110105194912310021", None, "")


def test_vendor_third_generation_without_personal_data():
    line = ("411600||M87654321|411600D156000005C38275EEFC9B9648||008C544CB38684|3.00|"
            "20211203|20311202|||")
    record = record_from_vendor(line)
    assert record.personal_data_missing
    assert (record.card_number, record.ssn, record.name, record.birth_date, record.sex) == (
        "M87654321", "", "", None, "")


def _with_field(name: str, value: str) -> str:
    parts = VENDOR_LINE.split("|")
    parts[VENDOR_FIELDS.index(name)] = value
    return "|".join(parts)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("", "字段数不对: 应为 11，实际 0"),
        ("110100|11010519491231002X|A00000001|", "字段数不对: 应为 11，实际 3"),
        (_with_field("card_number", ""), "卡号为空"),
        (_with_field("name", "张\x07三"), "“name”含有不可显示的字符"),
        (_with_field("expiry_date", "2025010"), "卡有效期格式不对: 2025010"),
        (_with_field("issue_date", "20150230"), "发卡日期不存在: 20150230"),
        (_with_field("name", "张" * 51), "长度异常"),
        # Full-width digits look like a number on screen but are not one.
        (_with_field("issue_date", "２０１５０１０１"), "发卡日期格式不对"),
        (_with_field("ssn", "１１０１０５１９４９１２３１００２X"), "社会保障号码含有非法字符"),
        (_with_field("card_number", "Ａ00000001"), "卡号含有非法字符"),
    ],
)
def test_malformed_vendor_lines_are_refused_with_reason(line, fragment):
    with pytest.raises(CardDataError, match=fragment):
        record_from_vendor(line)


# -- IdNumber (ID-4) -------------------------------------------------------------------

def test_id_4_typed_full_width_digits_are_read_as_ascii_but_other_digits_are_refused():
    # A cashier's input method types full-width digits: normalised on purpose (NFKC).
    assert IdNumber.parse("１１０１０５１９４９１２３１００２X").value == "11010519491231002X"
    arabic_indic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"
    with pytest.raises(InvalidIdNumber):
        IdNumber.parse(arabic_indic)


# == fuzzing ===========================================================================

TAGS = st.sampled_from(sorted(ALL_RECORDS))


def flip_bits(data: bytes, positions: list[int]) -> bytes:
    """``data`` with the bits at ``positions`` (modulo its length in bits) inverted."""
    out = bytearray(data)
    for bit in positions:
        if out:
            bit %= len(out) * 8
            out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_parse_record_random_bytes(examples):
    @fuzz(examples)
    @given(st.binary(max_size=64), TAGS, st.integers(min_value=0, max_value=255))
    def check(raw, tag, max_len):
        try:
            value = parse_record(raw, tag, max_len)
        except CardDataError:
            return
        assert raw[0] == tag and len(value) == raw[1] <= max_len
        assert raw[2 : 2 + len(value)] == value

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_parse_record_truncated_answers_always_refused(examples):
    @fuzz(examples)
    @given(TAGS, st.data())
    def check(tag, data):
        max_len = ALL_RECORDS[tag][1]
        value = data.draw(st.binary(max_size=max_len))
        full = answer(tag, value) + data.draw(st.binary(max_size=4))  # e.g. a status word
        assert parse_record(full, tag, max_len) == value
        cut = data.draw(st.integers(min_value=0, max_value=len(value) + 1))
        with pytest.raises(CardDataError):
            parse_record(full[:cut], tag, max_len)

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_bcd_dates_round_trip_and_random_bytes_never_crash(examples):
    @fuzz(examples)
    @given(st.dates(min_value=date(1000, 1, 1)), st.binary(max_size=8))
    def check(day, raw):
        assert decode_bcd_date(bytes.fromhex(f"{day:%Y%m%d}"), "出生日期") == day
        try:
            parsed = decode_bcd_date(raw, "出生日期")
        except CardDataError:
            return
        assert parsed is None or raw.hex() == f"{parsed:%Y%m%d}"

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_decode_text_random_bytes(examples):
    @fuzz(examples)
    @given(st.binary(max_size=40), st.sampled_from(["ascii", "gbk"]))
    def check(raw, encoding):
        try:
            text = decode_text(raw, "姓名", encoding=encoding)
        except CardDataError:
            return
        assert text.isprintable() and text == text.strip()

    check()


GBK_NAMES = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=15,
).filter(lambda s: _encodes_in_gbk(s))


def _encodes_in_gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_gbk_names_round_trip_through_any_padding(examples):
    @fuzz(examples)
    # One kind of padding per record, as an issuer's tool writes it, to the record's end.
    @given(GBK_NAMES, st.sampled_from([b"\x00", b" ", b"\xff", b"\xa1\xa1"]))
    def check(name, pad):
        raw = name.encode("gbk")
        raw += pad * ((30 - len(raw)) // len(pad))
        assert decode_text(raw, "姓名", encoding="gbk") == name

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_record_from_files_random_values(examples):
    # Random bytes in any records at all, or a few records of the full card replaced by
    # random bytes and a few dropped, so that decoding the others is reached too.
    good = {**FULL_EF05, **FULL_EF06}
    values = st.one_of(
        st.dictionaries(TAGS, st.binary(max_size=40)),
        st.tuples(st.dictionaries(TAGS, st.binary(max_size=40), max_size=3),
                  st.sets(TAGS, max_size=2)).map(
            lambda t: {k: v for k, v in {**good, **t[0]}.items() if k not in t[1]}),
    )

    @fuzz(examples)
    @given(values)
    def check(files):
        ef05 = {t: v for t, v in files.items() if t in EF05_RECORDS}
        ef06 = {t: v for t, v in files.items() if t in EF06_RECORDS}
        try:
            record = record_from_files(ef05, ef06)
        except CardDataError:
            event("refused")
            return
        event("record")
        assert_sane(record)

    check()


MUTATIONS = st.sampled_from(["flip", "truncate", "random", "drop"])


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_card_answers_bit_flipped_truncated_or_replaced(examples):
    @fuzz(examples)
    @given(st.lists(st.tuples(TAGS, MUTATIONS, st.data()), min_size=1, max_size=4), st.data())
    def check(mutations, data):
        answers = dict(FULL_ANSWERS)
        for tag, how, draw in mutations:
            raw = answers.get(tag, answer(tag, b""))
            if how == "flip":
                answers[tag] = flip_bits(raw, draw.draw(st.lists(st.integers(0, 10**4),
                                                                 min_size=1, max_size=3)))
            elif how == "truncate":
                answers[tag] = raw[: draw.draw(st.integers(0, max(len(raw) - 1, 0)))]
            elif how == "random":
                answers[tag] = draw.draw(st.binary(max_size=40))
            else:
                answers.pop(tag, None)
        try:
            record = from_answers(answers)
        except CardDataError:
            event("refused")
            return
        event("record")
        assert_sane(record)

    check()


VENDOR_TEXT = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from("|0123456789X -")), max_size=200,
)
# Fields shaped like the driver's (empty, a date, a code) or anything at all.
VENDOR_FIELD = st.one_of(
    st.just(""), st.from_regex(r"(19|20)\d\d(0[1-9]|1[0-2])[0-2]\d", fullmatch=True),
    st.from_regex(r"[A-Z0-9]{1,20}", fullmatch=True),
    st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=24),
    VENDOR_TEXT.map(lambda s: s[:24]),
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_record_from_vendor_random_text(examples):
    @fuzz(examples)
    @given(st.one_of(VENDOR_TEXT,
                     st.lists(VENDOR_FIELD, min_size=11, max_size=13).map("|".join)))
    def check(text):
        try:
            record = record_from_vendor(text)
        except CardDataError:
            event("refused")
            return
        event("record")
        assert_sane(record)

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_record_from_vendor_mutated_lines(examples):
    @fuzz(examples)
    @given(st.lists(st.tuples(st.sampled_from(VENDOR_FIELDS),
                              st.one_of(st.text(max_size=24), st.sampled_from(
                                  ["", "１２３", "20250230", "2025-01-01", "X", "\x00"]))),
                    max_size=4),
           st.integers(min_value=0, max_value=len(VENDOR_LINE)))
    # A '|' inside a field shifts the others: a 32-character card id lands in the name,
    # which the driver allows up to MAX_NAME_LENGTH characters (found by the long run).
    @example([("spec_version", ""), ("region_code", "|")], 0)
    def check(replacements, cut):
        line = VENDOR_LINE
        for name, value in replacements:
            parts = line.split("|")
            parts[VENDOR_FIELDS.index(name)] = value
            line = "|".join(parts)
        for text in (line, line[:cut]):
            try:
                record = record_from_vendor(text)
            except CardDataError:
                event("refused")
                continue
            event("record")
            assert_sane(record)
            # A line cut before its eleventh field cannot make a record.
            assert text.count("|") >= len(VENDOR_FIELDS) - 1

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_record_from_vendor_gbk_round_trip(examples):
    # What the adapter does: GBK bytes from the driver, decoded, then parsed.
    @fuzz(examples)
    @given(GBK_NAMES, st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
           st.integers(min_value=0, max_value=999))
    def check(name, birth, serial):
        body = f"310104{birth:%Y%m%d}{serial:03d}"
        ssn = body + id_check_digit(body)
        line = _with_field("name", name).replace("11010519491231002X", ssn)
        record = record_from_vendor(line.encode("gbk").decode("gbk"))
        assert (record.name, record.ssn, record.birth_date) == (name, ssn, birth)
        assert record.sex == ("1" if serial % 2 else "2")
        assert_sane(record)

    check()


ID_CHARS = st.sampled_from("0123456789Xx ０１٣")
VALID_IDS = st.builds(
    lambda region, birth, serial: (body := f"{region}{birth:%Y%m%d}{serial:03d}")
    + id_check_digit(body),
    st.integers(min_value=110000, max_value=659999),
    st.dates(min_value=date(1880, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_id_number_random_18_character_strings(examples):
    @fuzz(examples)
    @given(st.one_of(st.text(min_size=18, max_size=18),
                     st.text(alphabet=ID_CHARS, min_size=18, max_size=18),
                     st.text(alphabet=st.sampled_from("0123456789"), min_size=17,
                             max_size=17).map(lambda s: s + id_check_digit(s)),
                     VALID_IDS,
                     st.tuples(VALID_IDS, st.integers(0, 17), ID_CHARS).map(
                         lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :])))
    def check(text):
        try:
            parsed = IdNumber.parse(text)
        except InvalidIdNumber as refused:
            reason = str(refused)
        else:
            reason = ""
        if reason:
            assert "(ID-4)" in reason
            event("refused")
            return
        event("valid")
        value = parsed.value
        assert len(value) == 18 and value[17] in "0123456789X"
        assert id_check_digit(value[:17]) == value[17]
        assert date(1880, 1, 1) <= parsed.birth_date
        assert parsed.sex in ("1", "2")

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_id_4_adjacent_transpositions_are_caught(examples):
    # MOD 11-2 weights differ at every pair of neighbours, so swapping two different
    # adjacent characters always breaks the check (or the shape or the date).
    @fuzz(examples)
    @given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
           st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=16))
    def check(birth, serial, position):
        body = f"310104{birth:%Y%m%d}{serial:03d}"
        valid = body + id_check_digit(body)
        assume(valid[position] != valid[position + 1])
        swapped = list(valid)
        swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
        with pytest.raises(InvalidIdNumber):
            IdNumber.parse("".join(swapped))

    check()
