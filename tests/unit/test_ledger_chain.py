from dataclasses import replace
from decimal import Decimal

import pytest

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.hashchain import GENESIS_HASH, link_hash_raw
from pharmacy_pos.domain.ledger import ChainRow, StockMovement, walk_chain
from pharmacy_pos.domain.product import LedgerEntryType


def _chain(n: int) -> list[ChainRow]:
    rows, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        fields = ("1", str(seq), "sale_out", str(-seq))
        digest = link_hash_raw(prev, fields)
        rows.append(ChainRow(seq * 10, seq, prev, digest, fields))
        prev = digest
    return rows


def test_intact_chain_walks_to_the_end():
    result = walk_chain("ledger/1", _chain(5))
    assert result.broken is None and result.count == 5 and result.last_seq == 5


def test_inv_5_edited_entry_is_the_first_break():
    rows = _chain(5)
    rows[2] = replace(rows[2], fields=("1", "3", "sale_out", "-30"))
    result = walk_chain("ledger/1", rows)
    assert result.broken is not None
    assert (result.broken.seq, result.broken.row_id) == (3, 30)
    assert "篡改" in result.broken.reason


def test_inv_5_deleted_entry_breaks_the_sequence():
    rows = _chain(5)
    del rows[1]
    broken = walk_chain("ledger/1", rows).broken
    assert broken is not None and broken.seq == 3 and "不连续" in broken.reason


def test_inv_5_rehashed_entry_still_breaks_the_next_link():
    rows = _chain(4)
    fields = ("1", "2", "sale_out", "-99")
    rows[1] = replace(rows[1], fields=fields, entry_hash=link_hash_raw(rows[1].prev_hash, fields))
    broken = walk_chain("ledger/1", rows).broken
    assert broken is not None and broken.seq == 3 and "前一条" in broken.reason


def _move(entry_type: LedgerEntryType, quantity: int, **extra) -> StockMovement:
    return StockMovement(batch_id=1, product_id=1, entry_type=entry_type, quantity=quantity,
                         unit_cost=Decimal("12.00"), units_per_pack=24, doc_type="t",
                         doc_no="1", **extra)


def test_inv_1_movement_direction_must_match_its_type():
    with pytest.raises(DomainError, match="方向") as refused:
        _move(LedgerEntryType.SALE_OUT, 5)
    assert refused.value.rule_id == "INV-1"
    with pytest.raises(DomainError, match="方向"):
        _move(LedgerEntryType.PURCHASE_IN, -5)


def test_inv_1_zero_movement_and_missing_document_are_refused():
    with pytest.raises(DomainError, match="不能为 0"):
        _move(LedgerEntryType.PURCHASE_IN, 0)
    with pytest.raises(DomainError, match="单据"):
        StockMovement(1, 1, LedgerEntryType.PURCHASE_IN, 1, Decimal(1), 1, "", "")


def test_inv_5_reversal_must_name_what_it_reverses():
    with pytest.raises(DomainError, match="冲正"):
        _move(LedgerEntryType.REVERSAL, -3)
    assert _move(LedgerEntryType.REVERSAL, -3, reverses_id=7).reverses_id == 7


def test_amount_at_cost_per_minimum_unit():
    # 30 tablets of a 24-tablet pack costing 12.00 = 15.00
    assert _move(LedgerEntryType.PURCHASE_IN, 30).amount == Decimal("15.00")
    assert _move(LedgerEntryType.SALE_OUT, -1).amount == Decimal("-0.50")
