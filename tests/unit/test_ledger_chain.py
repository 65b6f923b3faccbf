from decimal import Decimal

import pytest

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.hashchain import GENESIS_HASH, link_hash_raw
from pharmacy_pos.domain.ledger import StockMovement, join_segments, walk_chain
from pharmacy_pos.domain.product import LedgerEntryType

SEP = "\x1f"


def _row(row_id: int, seq: int, prev: str, fields: tuple[str, ...], digest: str | None = None):
    payload = SEP.join([prev, *fields]).encode()
    return (seq, (digest or link_hash_raw(prev, fields)).encode(), payload)


def _chain(n: int) -> list[tuple]:
    rows, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        row = _row(seq * 10, seq, prev, ("1", str(seq), "sale_out", str(-seq)))
        rows.append(row)
        prev = row[1].decode()
    return rows


def test_intact_chain_walks_to_the_end():
    result = walk_chain("ledger/1", _chain(5))
    assert result.broken is None and result.count == 5 and result.last_seq == 5


def test_inv_5_edited_entry_is_the_first_break():
    rows = _chain(5)
    seq, digest, payload = rows[2]
    rows[2] = _row(30, seq, payload[:64].decode(), ("1", "3", "sale_out", "-30"), digest.decode())
    result = walk_chain("ledger/1", rows)
    assert result.broken is not None
    assert result.broken.seq == 3
    assert "篡改" in result.broken.reason


def test_inv_5_deleted_entry_breaks_the_sequence():
    rows = _chain(5)
    del rows[1]
    broken = walk_chain("ledger/1", rows).broken
    assert broken is not None and broken.seq == 3 and "不连续" in broken.reason


def test_inv_5_rehashed_entry_still_breaks_the_next_link():
    rows = _chain(4)
    seq, _, payload = rows[1]
    rows[1] = _row(20, seq, payload[:64].decode(), ("1", "2", "sale_out", "-99"))
    broken = walk_chain("ledger/1", rows).broken
    assert broken is not None and broken.seq == 3 and "前一条" in broken.reason


@pytest.mark.parametrize("cut", [1, 2, 3, 4, 5, 6, 7])
def test_segments_joined_equal_one_walk(cut):
    rows = _chain(8)
    first = walk_chain("c", rows[:cut])
    second = walk_chain("c", rows[cut:], start_seq=cut + 1, start_prev=None)
    joined = join_segments("c", [first, second])
    whole = walk_chain("c", rows)
    assert (joined.count, joined.last_seq, joined.last_hash) == (
        whole.count, whole.last_seq, whole.last_hash)
    assert joined.broken is None


def _rewritten_chain() -> list[tuple]:
    """Links 1..3 genuine; 4..6 rewritten by a tamperer into a consistent chain of their own."""
    rows = _chain(3)
    prev = "f" * 64
    for seq in (4, 5, 6):
        row = _row(seq * 10, seq, prev, ("1", str(seq), "sale_out", "-1"))
        rows.append(row)
        prev = row[1].decode()
    return rows


def test_inv_5_a_break_at_a_segment_boundary_is_found():
    rows = _rewritten_chain()
    first = walk_chain("c", rows[:3])
    second = walk_chain("c", rows[3:], start_seq=4, start_prev=None)
    assert second.broken is None  # the rewritten segment alone looks fine
    joined = join_segments("c", [first, second])
    assert joined.broken is not None and joined.broken.seq == 4
    assert walk_chain("c", rows).broken.seq == 4


def test_inv_5_a_bad_boundary_is_reported_before_a_later_break_inside():
    rows = _rewritten_chain()
    seq, digest, payload = rows[5]
    rows[5] = (seq, digest, payload + b"tampered")
    first = walk_chain("c", rows[:3])
    second = walk_chain("c", rows[3:], start_seq=4, start_prev=None)
    assert second.broken is not None and second.broken.seq == 6
    assert join_segments("c", [first, second]).broken.seq == 4


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


@pytest.mark.parametrize(("last", "parts"), [(10, 2), (11, 3), (100, 2), (7, 4), (3, 4), (1, 2)])
def test_segments_cover_the_chain_once(last, parts):
    from pharmacy_pos.db.chain_scan import segment_bounds

    bounds = segment_bounds(last, parts)
    covered = [seq for lo, hi, _ in bounds for seq in range(lo, hi + 1)]
    assert covered == list(range(1, last + 1))
    assert bounds[0][2] == "0" * 64 and all(start is None for _, _, start in bounds[1:])
