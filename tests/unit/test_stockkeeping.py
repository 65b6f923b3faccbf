"""The pure part of stock keeping: expiry windows, the maintenance order (INV-3), reorder
arithmetic, document numbers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.domain.stockkeeping import (
    LowStockParams,
    ShelfBatch,
    check_month,
    destruction_doc_no,
    expiry_window,
    low_stock_suggestion,
    maintenance_order,
    near_expiry_buckets,
    split_doc_no,
    stock_value,
)

TODAY = date(2026, 11, 1)
WINDOWS = (30, 60, 90)


def _batch(batch_id: int, days: int, *, code: str = "P001", split: bool = False,
           units: int = 24) -> ShelfBatch:
    return ShelfBatch(
        batch_id=batch_id, product_id=1, item_code=code, generic_name="药", specification="",
        manufacturer="", lot_no=f"L{batch_id}", expiry_date=TODAY + timedelta(days=days),
        status=BatchStatus.SELLABLE, units=units, units_per_pack=24, package_unit="盒",
        min_unit="粒", purchase_price=Decimal("18.50"), split_from_id=99 if split else None)


@pytest.mark.parametrize(("days", "window"), [
    (-1, None), (0, 30), (30, 30), (31, 60), (60, 60), (61, 90), (90, 90), (91, None)])
def test_inv_3_a_batch_falls_in_the_smallest_window_it_fits(days, window):
    assert expiry_window(TODAY + timedelta(days=days), TODAY, WINDOWS) == window


def test_inv_3_buckets_hold_each_batch_once_with_value_at_cost():
    buckets = near_expiry_buckets(
        [_batch(1, 45), _batch(2, 10), _batch(3, -3), _batch(4, 200), _batch(5, 5, units=12)],
        TODAY, WINDOWS)
    assert [(b.window_days, [x.batch_id for x in b.batches]) for b in buckets] == [
        (30, [5, 2]), (60, [1]), (90, [])]
    # 12 capsules of a 24-capsule box at 18.50: 9.25; 24 capsules: 18.50.
    assert [b.value for b in buckets] == [Decimal("27.75"), Decimal("18.50"), Decimal("0")]
    assert stock_value(1, Decimal("18.50"), 24) == Decimal("0.77")


def test_inv_3_near_expiry_and_split_packages_are_checked_first():
    ordered = maintenance_order([
        _batch(1, 400, code="P009"), _batch(2, 500, code="P001", split=True),
        _batch(3, 20, code="P005"), _batch(4, 300, code="P002"), _batch(5, -10, code="P007"),
    ], TODAY, WINDOWS)
    assert [b.batch_id for b in ordered] == [5, 3, 2, 4, 1]


@pytest.mark.parametrize(
    ("on_hand", "sold", "minimum", "per_pack", "expected"),
    [
        (0, 0, 0, 10, None),                 # never sold, no minimum: nothing to say
        (50, 0, 10, 1, None),                # above the minimum
        (10, 0, 10, 1, (10, 1, 1)),          # at the minimum: at least one unit
        (20, 30, 10, 1, None),               # 1 a day: point 7 + 10 = 17 < 20
        (17, 30, 10, 1, (17, 14, 14)),       # target 21 + 10 - 17 = 14
        (10, 290, 0, 10, (68, 200, 20)),     # ceil(290*7/30) = 68; ceil(290*21/30) = 203
        (0, -5, 0, 10, None),                # more returned than sold: none sold
    ])
def test_low_stock_suggestion_arithmetic(on_hand, sold, minimum, per_pack, expected):
    got = low_stock_suggestion(on_hand=on_hand, sold_units=sold, min_stock=minimum,
                               units_per_pack=per_pack, params=LowStockParams(30, 7, 14))
    assert (None if got is None else
            (got.reorder_point, got.suggested_units, got.suggested_packs)) == expected


def test_document_numbers_and_months():
    assert split_doc_no("S1", TODAY, 7) == "CL-S1-20261101-00007"
    assert destruction_doc_no("S1", TODAY, 1) == "XH-S1-20261101-00001"
    with pytest.raises(ValueError, match="out of range"):
        split_doc_no("S1", TODAY, 0)
    assert check_month(" 2026-11 ") == "2026-11"
    for bad in ("2026-13", "2026-1", "202611", ""):
        with pytest.raises(DomainError, match="YYYY-MM"):
            check_month(bad)
