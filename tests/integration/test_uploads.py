"""INV-6: every stock change leaves its 进销存 upload record in the same transaction."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pharmacy_pos.db.models import LedgerEntry, OutboxMessage
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from tests.till_world import COLD_GRANULES, MASKS


def _outbox(uow_factory, doc_no: str) -> list[tuple[str, dict]]:
    with uow_factory(readonly=True) as uow:
        return [(m.infno, json.loads(m.payload)) for m in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.doc_no == doc_no)
            .order_by(OutboxMessage.id))]


def _move(world, barcode: str, entry_type: LedgerEntryType, quantity: int, doc_no: str,
          note: str = "") -> StockMovement:
    return StockMovement(
        batch_id=world.batches[barcode][0], product_id=world.products[barcode],
        entry_type=entry_type, quantity=quantity, unit_cost=Decimal("6.00"),
        units_per_pack=10 if barcode == COLD_GRANULES else 1, doc_type="test",
        doc_no=doc_no, note=note)


def test_inv_6_receiving_stock_leaves_a_3503_purchase_record(uow_factory, world):
    # The world was received through the ledger: each receipt document owes a 3503.
    [(infno, payload)] = _outbox(uow_factory, "RK-C2801")
    assert infno == "3503"
    [row] = payload["rows"]
    assert (row["fixmedins_hilist_id"], row["purc_retn_cnt"], row["manu_lotnum"]) == (
        "P002", "300", "C2801")
    assert row["finl_trns_pric"] == "6.00"


def test_inv_6_stock_changes_leave_3502_records_with_their_change_type(
        uow_factory, clock, store, world, staff):
    manager = staff[Role.STORE_MANAGER]
    with uow_factory() as uow:
        uow.ledger.append(store.id, [
            _move(world, COLD_GRANULES, LedgerEntryType.STOCKTAKE_GAIN, 3, "PD-1"),
            _move(world, MASKS, LedgerEntryType.STOCKTAKE_LOSS, -2, "PD-1"),
        ], operator_id=manager.user_id, occurred_at=clock.now())
        uow.ledger.append(store.id, [
            _move(world, COLD_GRANULES, LedgerEntryType.DESTRUCTION, -5, "XH-1", note="破损"),
        ], operator_id=manager.user_id, occurred_at=clock.now())
        uow.commit()
    [(infno, stocktake)] = _outbox(uow_factory, "PD-1")
    assert infno == "3502"
    assert sorted((r["fixmedins_hilist_id"], r["inv_chg_type"], r["cnt"])
                  for r in stocktake["rows"]) == [("P002", "103", "3")]
    # The masks are daily goods outside the insurance catalogue: not reported (INV-6).
    [(_, destruction)] = _outbox(uow_factory, "XH-1")
    assert [(r["inv_chg_type"], r["memo"]) for r in destruction["rows"]] == [("105", "破损")]


def test_inv_6_a_refused_stock_change_leaves_no_record(uow_factory, clock, store, world,
                                                      staff):
    before = _count(uow_factory)
    with pytest.raises(DomainError), uow_factory() as uow:
        uow.ledger.append(store.id, [
            _move(world, MASKS, LedgerEntryType.DESTRUCTION, -10_000, "XH-2")],
            operator_id=staff[Role.STORE_MANAGER].user_id, occurred_at=clock.now())
        uow.commit()
    assert _count(uow_factory) == before
    assert _outbox(uow_factory, "XH-2") == []


def test_inv_6_a_sale_is_reported_once_by_the_till(sales, cashier, uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert [infno for infno, _ in _outbox(uow_factory, sold.doc_no)] == ["3505"]


def _count(uow_factory) -> tuple[int, int]:
    with uow_factory(readonly=True) as uow:
        return (uow.session.scalar(select(func.count()).select_from(OutboxMessage)),
                uow.session.scalar(select(func.count()).select_from(LedgerEntry)))
