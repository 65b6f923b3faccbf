"""Batches with stock, read back for picking (SALE-5, INV-1), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from pharmacy_pos.domain.picking import pick_fefo
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.domain.roles import Role
from tests.integration.helpers import add_batch, add_product, move, post

IN, OUT = LedgerEntryType.PURCHASE_IN, LedgerEntryType.SALE_OUT
TODAY = date(2026, 11, 1)


def _set_batch(uow_factory, batch_id: int, *, expiry: date,
               status: BatchStatus = BatchStatus.SELLABLE) -> None:
    # Batches are master data: their expiry and status are set before stock arrives.
    with uow_factory() as uow:
        batch = uow.batches.get(batch_id)
        batch.expiry_date = expiry
        batch.status = status
        uow.commit()


@pytest.fixture
def shelf(uow_factory, clock, store, staff):
    """One product, five batches: expired, locked, two sellable, one sold out."""
    operator = staff[Role.QUALITY_INSPECTOR].user_id
    product = add_product(uow_factory, clock)
    other = add_product(uow_factory, clock, code="P2", barcode="6901234567885")
    ids = {}
    for lot, expiry, status in [
        ("EXP", date(2026, 10, 31), BatchStatus.SELLABLE),  # expired by date yesterday
        ("LCK", date(2026, 12, 1), BatchStatus.LOCKED),
        ("EARLY", date(2027, 3, 1), BatchStatus.SELLABLE),
        ("LATE", date(2028, 5, 1), BatchStatus.SELLABLE),
        ("EMPTY", date(2026, 11, 15), BatchStatus.SELLABLE),
    ]:
        ids[lot] = add_batch(uow_factory, clock, store.id, product, lot=lot)
        _set_batch(uow_factory, ids[lot], expiry=expiry, status=status)
    ids["OTHER"] = add_batch(uow_factory, clock, store.id, other, lot="OTHER")
    post(uow_factory, clock, store.id, operator,
         *(move(ids[lot], product, IN, qty, f"RK-{lot}")
           for lot, qty in [("EXP", 48), ("LCK", 24), ("EARLY", 24), ("LATE", 240),
                            ("EMPTY", 24)]),
         move(ids["OTHER"], other, IN, 24, "RK-OTHER"))
    clock.advance(minutes=5)
    post(uow_factory, clock, store.id, operator,
         move(ids["EARLY"], product, OUT, -10, "XS1"),
         move(ids["EMPTY"], product, OUT, -24, "XS2"))
    return product, ids


def test_sale_5_sellable_stock_lists_batches_with_stock_by_expiry(uow_factory, store, shelf):
    product, ids = shelf
    with uow_factory(readonly=True) as uow:
        stock = uow.batches.sellable_stock(product, store.id)
    assert [(s.batch_id, s.lot_no, s.units, s.status) for s in stock] == [
        (ids["EXP"], "EXP", 48, BatchStatus.SELLABLE),
        (ids["LCK"], "LCK", 24, BatchStatus.LOCKED),
        (ids["EARLY"], "EARLY", 14, BatchStatus.SELLABLE),
        (ids["LATE"], "LATE", 240, BatchStatus.SELLABLE),
    ]
    assert stock[0].expiry_date == date(2026, 10, 31)


def test_sale_5_pick_over_stored_stock_takes_the_earliest_sellable_batch(uow_factory, store,
                                                                         shelf):
    product, ids = shelf
    with uow_factory(readonly=True) as uow:
        stock = uow.batches.sellable_stock(product, store.id)
    picking = pick_fefo(stock, 20, today=TODAY, near_expiry_days=30)
    assert [(a.batch_id, a.units) for a in picking.allocations] == [
        (ids["EARLY"], 14), (ids["LATE"], 6)]
    assert not picking.findings

    short = pick_fefo(stock, 300, today=TODAY, near_expiry_days=30)
    assert short.blocked and short.available == 254
    assert "已过期 48" in short.findings[0].message and "锁定 24" in short.findings[0].message


def test_sellable_stock_of_another_store_or_product_is_empty(uow_factory, store, shelf):
    product, _ = shelf
    with uow_factory(readonly=True) as uow:
        assert uow.batches.sellable_stock(product, store.id + 1) == []
        assert uow.batches.sellable_stock(10_000, store.id) == []
