"""First-expiry-first-out picking (SALE-5, INV-2) and typed quantities (SALE-2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.identity import Action
from pharmacy_pos.domain.picking import (
    MAX_PACKS_PER_LINE,
    BatchStock,
    pick_fefo,
    units_for,
)
from pharmacy_pos.domain.product import BatchStatus

TODAY = date(2026, 11, 1)
S = BatchStatus.SELLABLE


def batch(batch_id: int, expiry: date, units: int, status: BatchStatus = S) -> BatchStock:
    return BatchStock(batch_id=batch_id, lot_no=f"L{batch_id}", expiry_date=expiry,
                      status=status, units=units)


def pick(batches: list[BatchStock], wanted: int, near: int = 30):
    return pick_fefo(batches, wanted, today=TODAY, near_expiry_days=near, unit_name="粒")


def test_sale_5_fefo_takes_earliest_expiry_first_across_three_batches():
    batches = [batch(1, date(2028, 6, 1), 50), batch(2, date(2027, 3, 1), 10),
               batch(3, date(2027, 9, 1), 20)]
    picking = pick(batches, 25)
    assert [(a.batch_id, a.units) for a in picking.allocations] == [(2, 10), (3, 15)]
    assert not picking.findings and not picking.blocked
    assert picking.units == 25 and picking.available == 80


def test_sale_5_same_expiry_goes_to_the_lower_batch_id():
    batches = [batch(7, date(2027, 3, 1), 10), batch(4, date(2027, 3, 1), 10)]
    assert [a.batch_id for a in pick(batches, 5).allocations] == [4]


def test_sale_5_expired_batch_is_never_picked():
    # Expired by date even though its status was not yet updated, and by status.
    batches = [batch(1, TODAY - timedelta(days=1), 100), batch(2, date(2026, 12, 1), 5,
               BatchStatus.EXPIRED), batch(3, date(2028, 1, 1), 40)]
    picking = pick(batches, 30)
    assert [(a.batch_id, a.units) for a in picking.allocations] == [(3, 30)]
    assert not picking.blocked


def test_sale_5_batch_expiring_today_is_still_sellable_and_warns():
    picking = pick([batch(1, TODAY, 10)], 3)
    assert [a.batch_id for a in picking.allocations] == [1]
    assert [f.action for f in picking.findings] == [Action.WARN]
    assert "今天到期" in picking.findings[0].message


def test_sale_5_near_expiry_allocation_warns_per_batch():
    batches = [batch(1, TODAY + timedelta(days=10), 5), batch(2, TODAY + timedelta(days=30), 5),
               batch(3, TODAY + timedelta(days=31), 50)]
    picking = pick(batches, 20, near=30)
    assert [a.batch_id for a in picking.allocations] == [1, 2, 3]
    assert [(f.rule_id, f.action) for f in picking.findings] == [("SALE-5", Action.WARN)] * 2
    assert "L1" in picking.findings[0].message and "还有 10 天到期" in picking.findings[0].message
    assert "L2" in picking.findings[1].message
    assert not picking.blocked


def test_sale_5_no_warning_when_window_not_reached():
    picking = pick([batch(1, TODAY + timedelta(days=31), 5)], 5, near=30)
    assert picking.findings == ()


@pytest.mark.parametrize("status", [BatchStatus.LOCKED, BatchStatus.AWAITING_ACCEPTANCE,
                                    BatchStatus.DESTROYED])
def test_inv_2_locked_awaiting_or_destroyed_batches_are_skipped(status):
    batches = [batch(1, date(2027, 1, 1), 100, status), batch(2, date(2028, 1, 1), 10)]
    picking = pick(batches, 10)
    assert [(a.batch_id, a.units) for a in picking.allocations] == [(2, 10)]


def test_sale_5_not_enough_stock_blocks_and_says_how_much():
    batches = [batch(1, date(2027, 1, 1), 8), batch(2, date(2028, 1, 1), 4)]
    picking = pick(batches, 24)
    assert picking.blocked and picking.allocations == () and picking.available == 12
    (finding,) = picking.findings
    assert (finding.rule_id, finding.action) == ("SALE-5", Action.BLOCK)
    assert "需要 24粒" in finding.message and "合格可售仅 12粒" in finding.message
    assert "另有" not in finding.message


def test_sale_5_shortage_says_stock_exists_but_is_expired_or_locked():
    batches = [batch(1, TODAY - timedelta(days=3), 30), batch(2, date(2027, 1, 1), 6,
               BatchStatus.LOCKED), batch(3, date(2027, 1, 1), 2,
               BatchStatus.AWAITING_ACCEPTANCE), batch(4, date(2028, 1, 1), 1)]
    (finding,) = pick(batches, 5).findings
    assert finding.blocks
    assert "合格可售仅 1粒" in finding.message
    assert "已过期 30粒" in finding.message and "锁定 6粒" in finding.message
    assert "待验收 2粒" in finding.message


def test_sale_5_no_stock_at_all():
    (finding,) = pick([], 1).findings
    assert finding.blocks and "合格可售仅 0粒" in finding.message


@pytest.mark.parametrize("wanted", [0, -1])
def test_sale_2_pick_refuses_non_positive_units(wanted):
    with pytest.raises(DomainError) as refused:
        pick([batch(1, date(2028, 1, 1), 10)], wanted)
    assert refused.value.rule_id == "SALE-2"


def test_batch_stock_refuses_negative_units():
    with pytest.raises(ValueError, match="negative"):
        batch(1, TODAY, -1)


# --- units_for ---------------------------------------------------------------------------

def test_packs_become_minimum_units():
    assert units_for("2", "pack", 24, split_allowed=False) == 48
    assert units_for(3, "pack", 24, split_allowed=True) == 72
    assert units_for(Decimal(1), "pack", 10, split_allowed=False) == 10


def test_full_width_digits_and_spaces_are_accepted():
    assert units_for(" ２ ", "pack", 12, split_allowed=False) == 24
    assert units_for("+3", "unit", 12, split_allowed=True) == 3


def test_split_units_allowed():
    assert units_for("5", "unit", 24, split_allowed=True) == 5


def test_split_units_refused_when_product_may_not_be_split():
    with pytest.raises(DomainError, match="不允许拆零"):
        units_for("5", "unit", 24, split_allowed=False)


@pytest.mark.parametrize("typed", ["-1", "－2", -3, Decimal("-0.5")])
def test_sale_2_negative_quantity_is_refused(typed):
    with pytest.raises(DomainError, match="数量必须大于 0") as refused:
        units_for(typed, "pack", 24, split_allowed=True)
    assert refused.value.rule_id == "SALE-2"


@pytest.mark.parametrize("typed", ["0", 0, "0.0", "-0"])
def test_sale_2_zero_quantity_is_refused(typed):
    with pytest.raises(DomainError) as refused:
        units_for(typed, "unit", 24, split_allowed=True)
    assert refused.value.rule_id == "SALE-2"


@pytest.mark.parametrize("typed", ["1.5", "0.5", Decimal("2.25")])
def test_fraction_is_refused(typed):
    with pytest.raises(DomainError, match="整数") as refused:
        units_for(typed, "pack", 24, split_allowed=True)
    assert "拆零" in refused.value.message


def test_fraction_of_a_split_unit_is_refused():
    with pytest.raises(DomainError, match="整数"):
        units_for("1.5", "unit", 24, split_allowed=True)


def test_whole_number_written_with_decimals_is_accepted():
    assert units_for("2.0", "pack", 10, split_allowed=False) == 20


@pytest.mark.parametrize("typed", [str(MAX_PACKS_PER_LINE + 1), "6901234567892", 10**30])
def test_absurd_pack_quantity_is_refused(typed):
    with pytest.raises(DomainError, match="超出合理范围"):
        units_for(typed, "pack", 24, split_allowed=True)


def test_absurd_split_quantity_is_refused_at_the_same_cap():
    assert units_for(str(MAX_PACKS_PER_LINE * 24), "unit", 24, split_allowed=True) == 239_976
    with pytest.raises(DomainError, match="超出合理范围"):
        units_for(str(MAX_PACKS_PER_LINE * 24 + 1), "unit", 24, split_allowed=True)


def test_largest_sane_quantity_is_accepted():
    assert units_for(str(MAX_PACKS_PER_LINE), "pack", 1, split_allowed=False) == 9_999


@pytest.mark.parametrize("typed", ["", "   ", "abc", "1e3", "0x10", "1,000", "١٢", "NaN",
                                   Decimal("NaN"), Decimal("Infinity"), "1.", ".5"])
def test_not_a_number_is_refused(typed):
    with pytest.raises(DomainError, match="数量") as refused:
        units_for(typed, "pack", 24, split_allowed=True)
    assert refused.value.rule_id is None


def test_caller_bugs_raise_plain_errors():
    with pytest.raises(ValueError, match="unit"):
        units_for("1", "box", 24, split_allowed=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="units_per_pack"):
        units_for("1", "pack", 0, split_allowed=True)
    with pytest.raises(TypeError):
        units_for(True, "pack", 24, split_allowed=True)


# --- properties --------------------------------------------------------------------------

_statuses = st.sampled_from(list(BatchStatus))
_batches = st.lists(
    st.builds(batch, st.integers(1, 10_000),
              st.dates(TODAY - timedelta(days=60), TODAY + timedelta(days=900)),
              st.integers(0, 500), st.one_of(st.just(S), _statuses)),
    max_size=8, unique_by=lambda b: b.batch_id,
)


@given(_batches, st.integers(1, 2_000), st.integers(0, 365))
def test_sale_5_allocations_respect_stock_and_fill_the_line(batches, wanted, near):
    picking = pick(batches, wanted, near)
    by_id = {b.batch_id: b for b in batches}
    sellable = [b for b in batches if b.status is S and b.expiry_date >= TODAY]
    assert picking.available == sum(b.units for b in sellable)
    if picking.available >= wanted:
        assert not picking.blocked and picking.units == wanted
    else:
        assert picking.blocked and picking.allocations == ()
    for allocation in picking.allocations:
        source = by_id[allocation.batch_id]
        assert 0 < allocation.units <= source.units
        assert source.status is S and source.expiry_date >= TODAY
    keys = [(a.expiry_date, a.batch_id) for a in picking.allocations]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    # FEFO: every batch but the last is emptied before a later-expiring one is touched.
    for allocation in picking.allocations[:-1]:
        assert allocation.units == by_id[allocation.batch_id].units


def test_an_opened_split_pack_sells_before_a_sealed_batch_of_the_same_expiry():
    sealed = BatchStock(1, "L1", date(2027, 1, 1), BatchStatus.SELLABLE, 24)
    opened = BatchStock(2, "L1", date(2027, 1, 1), BatchStatus.SELLABLE, 10, opened=True)
    picking = pick_fefo([sealed, opened], 12, today=date(2026, 11, 1), near_expiry_days=30)
    assert [(a.batch_id, a.units) for a in picking.allocations] == [(2, 10), (1, 2)]
