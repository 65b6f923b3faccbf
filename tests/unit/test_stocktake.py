"""Stock-take arithmetic and count validation (INV-4), without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.stocktake import (
    MAX_COUNT_UNITS,
    CountedBatch,
    counted_units,
    difference_list,
    parse_count,
    stocktake_doc_no,
)

AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def _batch(batch_id: int, book: int, moved: int, counted: int, *, code: str = "P1",
           price: str = "18.50", per_pack: int = 24) -> CountedBatch:
    return CountedBatch(batch_id=batch_id, product_id=1, item_code=code, name="阿莫西林",
                        lot_no=f"L{batch_id}", min_unit="粒", units_per_pack=per_pack,
                        purchase_price=Decimal(price), book_units=book, moved_units=moved,
                        counted_units=counted)


def test_inv_4_doc_no_is_store_day_and_counter():
    assert stocktake_doc_no("S001", date(2026, 11, 1), 7) == "PD-S001-20261101-007"
    with pytest.raises(ValueError, match="out of range"):
        stocktake_doc_no("S001", date(2026, 11, 1), 0)


def test_inv_4_difference_is_counted_minus_book_at_the_count():
    diffs = difference_list([
        _batch(1, book=48, moved=-10, counted=40),   # 10 sold since the snapshot: 2 lost
        _batch(2, book=0, moved=24, counted=30),     # received during the count: 6 gained
        _batch(3, book=5, moved=0, counted=5),
    ])
    by_id = {line.batch_id: line for line in diffs.lines}
    assert (by_id[1].book_units, by_id[1].difference, by_id[1].kind) == (38, 2, "盘盈")
    assert (by_id[2].book_units, by_id[2].difference) == (24, 6)
    assert 3 not in by_id                                 # matches its book: no line
    assert (diffs.counted_batches, diffs.matching_batches) == (3, 1)
    assert [line.batch_id for line in diffs.differing] == [1, 2]
    assert (diffs.gain_units, diffs.loss_units) == (8, 0)


def test_inv_4_values_at_purchase_price_match_the_ledger_amount():
    diffs = difference_list([_batch(1, 100, 0, 93, price="18.50", per_pack=24),
                             _batch(2, 10, 0, 11, price="3.33", per_pack=7)])
    loss, gain = sorted(diffs.lines, key=lambda line: line.value)
    for line, entry_type in ((loss, LedgerEntryType.STOCKTAKE_LOSS),
                             (gain, LedgerEntryType.STOCKTAKE_GAIN)):
        booked = StockMovement(batch_id=line.batch_id, product_id=1, entry_type=entry_type,
                               quantity=line.difference, unit_cost=line.unit_cost,
                               units_per_pack=line.units_per_pack, doc_type="stocktake",
                               doc_no="PD-1")
        assert line.value == booked.amount
    assert loss.value == Decimal("-5.40")      # 7 × 18.50 / 24 = 5.3958…
    assert (diffs.loss_value, diffs.gain_value) == (Decimal("5.40"), Decimal("0.48"))
    assert diffs.net_value == Decimal("-4.92")


def test_inv_4_lines_come_in_item_code_and_lot_order():
    diffs = difference_list([_batch(3, 1, 0, 2, code="P2"), _batch(2, 1, 0, 0, code="P1"),
                             _batch(1, 1, 0, 3, code="P2")], counted_batches=10)
    assert [line.batch_id for line in diffs.lines] == [2, 1, 3]
    assert diffs.matching_batches == 7


@pytest.mark.parametrize(("quantity", "in_packs", "units"), [
    (0, False, 0), (17, False, 17), (3, True, 72), (MAX_COUNT_UNITS, False, MAX_COUNT_UNITS),
])
def test_inv_4_counts_in_units_or_packs(quantity, in_packs, units):
    assert counted_units(quantity, units_per_pack=24, in_packs=in_packs) == units


@pytest.mark.parametrize(("quantity", "in_packs", "message"), [
    (-1, False, "负数"), (MAX_COUNT_UNITS + 1, False, "不合理"), (50_000, True, "不合理"),
    (True, False, "整数"), (2.5, False, "整数"), ("3", False, "整数"),
])
def test_inv_4_bad_counts_are_refused(quantity, in_packs, message):
    with pytest.raises(DomainError, match=message) as refused:
        counted_units(quantity, units_per_pack=24, in_packs=in_packs)
    assert refused.value.rule_id == "INV-4"


@pytest.mark.parametrize(("text", "value"), [("12", 12), (" 0 ", 0), ("１２", 12)])
def test_inv_4_typed_counts_are_parsed(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(("text", "message"), [
    ("", "请输入"), ("-3", "负数"), ("－3", "负数"), ("3.5", "整数"), ("abc", "整数"),
    ("6901234567892", "不合理"),
])
def test_inv_4_bad_typed_counts_are_refused(text, message):
    with pytest.raises(DomainError, match=message):
        parse_count(text)
