"""Fuzzing the parsers of catalogue and delivery-note rows (the files staff import).

Whatever a row's cells hold, ``parse_catalogue_row`` answers a sane ``ProductSpec`` or
row-numbered problems with Chinese messages, and ``validate_delivery_lines`` valid lines
or a ``ValidationFailed`` listing them: never another exception. Rows start from real
ones (the demo catalogue, a delivery line) and are mutated: cells replaced by huge,
negative, NaN or Infinity numbers, other scripts' digits, control characters, enormous
text; columns dropped or unknown ones added. The writing side (all rows or none) is
fuzzed against a real database in ``tests/integration/test_import_fuzz.py``.
CI-sized runs are derandomized; ``[long]`` (marked ``slow``) runs 10,000 examples.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pharmacy_pos.domain.catalogue import (
    COLUMNS,
    MAX_RETAIL_PRICE,
    ProductSpec,
    parse_catalogue_row,
)
from pharmacy_pos.domain.catalogue import KEY_TO_HEADER as CATALOGUE_HEADERS
from pharmacy_pos.domain.errors import Problem, ValidationFailed
from pharmacy_pos.domain.receiving import (
    COLUMNS as DELIVERY_COLUMNS,
)
from pharmacy_pos.domain.receiving import (
    MAX_PURCHASE_PRICE,
    ReceivingProduct,
    ValidLine,
    check_header,
    line_from_row,
    parse_day,
    validate_delivery_lines,
)
from pharmacy_pos.paths import resource
from tests.fuzzing import attempt, chinese, fuzz

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


with resource("demo", "catalogue.csv").open(encoding="utf-8", newline="") as _file:
    DEMO_ROWS = list(csv.DictReader(_file))

# Cells a spreadsheet, a slip of the hand or a hostile file puts where a value belongs.
NASTY_NUMBERS = ["-1", "0", "-0", "1e9", "1E+999999", "1e-999999", "NaN", "-Infinity",
                 "inf", "sNaN", "9" * 30, "9" * 5000, "0.0000001", "1,000.5", "¥12.50",
                 "１２．５", "٣", "1_000", "0x10", " ", "12.5.1", "--1", "1e", "١٢"]
NASTY_TEXT = ["", " ", "\x00", "\x1b[31m", "\u202e", "\ud800", "是\x00", "\ufeff",
              "=cmd|' /C calc'!A0", "否否", "甲类 ", "含麻黄碱类复方制剂\n"]
HUGE = st.tuples(st.text(min_size=1, max_size=3), st.integers(100, 5000)).map(
    lambda t: t[0] * t[1])
CELLS = st.one_of(st.text(max_size=30), st.sampled_from(NASTY_NUMBERS),
                  st.sampled_from(NASTY_TEXT), HUGE,
                  st.sampled_from(["是", "否", "甲", "乙类", "药品", "6901234567892",
                                   "6901234567892;6901234567892", "2027-06-30"]))


def mutate_row(row: dict[str, str], changes: list[tuple[str, str]], drop: set[str],
               extra: dict[str, str]) -> dict[str, str]:
    """``row`` with cells replaced, columns dropped and unknown columns added."""
    out = dict(row)
    for header, cell in changes:
        out[header] = cell
    for header in drop:
        out.pop(header, None)
    return {**out, **extra}


CATALOGUE_ROWS = st.builds(
    mutate_row, st.sampled_from(DEMO_ROWS),
    st.lists(st.tuples(st.sampled_from([zh for zh, _, _ in COLUMNS]), CELLS), max_size=4),
    st.sets(st.sampled_from([zh for zh, _, _ in COLUMNS]), max_size=2),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
)


def assert_sane_spec(spec: ProductSpec) -> None:
    assert Decimal(0) < spec.retail_price < MAX_RETAIL_PRICE
    assert spec.retail_price == spec.retail_price.quantize(Decimal("0.01"))
    assert 1 <= spec.units_per_pack <= 10_000 and spec.min_stock >= 0
    assert spec.self_pay_ratio is None or Decimal(0) <= spec.self_pay_ratio <= Decimal(1)
    assert len(set(spec.barcodes)) == len(spec.barcodes)
    assert spec.item_code.isascii() and spec.item_code.strip() == spec.item_code


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_catalogue_row_gives_a_spec_or_row_numbered_problems(examples):
    @fuzz(examples)
    @given(st.one_of(CATALOGUE_ROWS,
                     st.fixed_dictionaries({zh: CELLS for zh, _, _ in COLUMNS}),
                     st.dictionaries(st.text(max_size=6), st.text(max_size=10), max_size=6)),
           st.integers(2, 200_001))
    @example({**DEMO_ROWS[0], "零售价": "1E+999999"}, 2)
    @example({**DEMO_ROWS[0], "包装数量": "9" * 5000}, 2)
    @example({**DEMO_ROWS[0], "最低库存": "1e-999999"}, 2)
    @example({**DEMO_ROWS[0], "条形码": "٣" * 13}, 2)
    @example({**DEMO_ROWS[0], "商品编码": "\ud800"}, 2)   # was pydantic's English message
    @example({**DEMO_ROWS[0], "通用名": "阿莫\x00西林"}, 2)  # NUL: PostgreSQL cannot store it
    def check(raw, row_number):
        parsed = parse_catalogue_row(raw, row_number)
        if isinstance(parsed, ProductSpec):
            event("spec")
            assert_sane_spec(parsed)
            return
        event("problems")
        assert parsed
        for problem in parsed:
            assert isinstance(problem, Problem) and problem.row == row_number
            assert problem.field is None or problem.field in CATALOGUE_HEADERS.values()
            assert chinese(problem.message), problem

    check()


def test_every_demo_row_parses():
    # The mutations above start from rows that are valid as they are.
    for number, row in enumerate(DEMO_ROWS, start=2):
        assert isinstance(parse_catalogue_row(row, number), ProductSpec), number


# -- delivery notes ---------------------------------------------------------------------

TODAY = date(2026, 11, 1)
PRODUCTS = {
    "6938265910656": ReceivingProduct(1, "P000001", "阿莫西林胶囊", "0.25g*24粒", "盒", "粒",
                                      24, True, "国药准字H20191379"),
    "P000002": ReceivingProduct(2, "P000002", "阿莫西林胶囊", "0.5g*20粒", "盒", "粒", 20,
                                False, "国药准字H13026758"),
    "P000003": ReceivingProduct(3, "P000003", "医用口罩", "10只", "包", "包", 1, False, "",
                                active=False),
}
DELIVERY_ROW = {"条形码": "6938265910656", "商品编码": "", "批号": "B2026-09/01",
                "生产日期": "2026-09-01", "有效期至": "2028-08-31",
                "批准文号": "国药准字H20191379", "进价": "8.1234", "数量": "10", "单位": "盒",
                "赠品": "否"}
DELIVERY_HEADERS = [zh for zh, _, _ in DELIVERY_COLUMNS] + ["有效期", "单价", "购进单价"]
DELIVERY_CELLS = st.one_of(CELLS, st.sampled_from(
    ["P000002", "P000003", "粒", "包", "unit", "pack", "赠品", "20270630", "2027/6/30",
     "2027.06.30", "2027-06-30 00:00:00", "2027-02-30", "0001-01-01", "9999-12-31",
     "２０２７－０６－３０", "B/1", "x" * 51]))
DELIVERY_ROWS = st.builds(
    mutate_row, st.just(DELIVERY_ROW),
    st.lists(st.tuples(st.sampled_from(DELIVERY_HEADERS), DELIVERY_CELLS), max_size=4),
    st.sets(st.sampled_from(DELIVERY_HEADERS), max_size=2),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=1),
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_delivery_lines_are_all_valid_or_all_listed_as_problems(examples):
    @fuzz(examples)
    @given(st.lists(DELIVERY_ROWS, min_size=0, max_size=4))
    @example([{**DELIVERY_ROW, "进价": "1E+999999"}])
    @example([{**DELIVERY_ROW, "数量": "9" * 5000}])
    @example([{**DELIVERY_ROW, "有效期至": "\x00"}])
    @example([DELIVERY_ROW, DELIVERY_ROW])
    def check(rows):
        lines = [line_from_row(number, raw) for number, raw in enumerate(rows, start=2)]
        valid, refused = attempt(lambda: validate_delivery_lines(lines, PRODUCTS, today=TODAY),
                                 ValidationFailed)
        if refused is not None:
            event("refused")
            assert chinese(refused.message)
            assert all(chinese(p.message) for p in refused.problems)
            assert all(p.row in range(2, 2 + len(rows)) for p in refused.problems)
            return
        event("valid")
        assert len(valid) == len(rows)
        for line in valid:
            assert isinstance(line, ValidLine) and line.units > 0
            assert line.expiry_date >= TODAY
            assert Decimal(0) <= line.purchase_price < MAX_PURCHASE_PRICE
            assert (line.purchase_price == 0) == line.is_gift

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_delivery_dates_and_headers(examples):
    @fuzz(examples)
    @given(DELIVERY_CELLS, st.lists(st.one_of(st.sampled_from(DELIVERY_HEADERS),
                                              st.text(max_size=8)), max_size=12))
    @example("2027-06-30 00:00:00 00:00:00", [])
    def check(text, header):
        day, refused = attempt(lambda: parse_day(text, required=True), ValueError)
        assert chinese(str(refused)) if refused else isinstance(day, date)
        _, refused = attempt(lambda: check_header(header), ValidationFailed)
        assert refused is None or chinese(refused.message)

    check()
