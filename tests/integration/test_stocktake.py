"""Stock-take (盘点, INV-4) on SQLite and PostgreSQL: snapshot, sessions, sales during the
count, approval by a manager with gain and loss entries, refusals that write nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pharmacy_pos.db.models import (
    AuditRecord,
    LedgerEntry,
    StocktakeBook,
    StocktakeClosing,
    StocktakeCount,
)
from pharmacy_pos.domain.errors import AuthenticationFailed, DomainError, NotFound, PermissionDenied
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.services.stocktake import StocktakeService
from pharmacy_pos.services.verify import verify_database
from tests.conftest import STAFF_PASSWORD
from tests.integration.helpers import add_batch, add_product
from tests.till_world import AMOXICILLIN, COLD_GRANULES, MASKS, World

MANAGER = "store.manager"


@pytest.fixture
def counter(staff) -> Actor:
    """The quality inspector counts."""
    return staff[Role.QUALITY_INSPECTOR]


@pytest.fixture
def service(uow_factory, clock, user_service, world) -> StocktakeService:
    """Stock-takes, approvers logging in at terminal T01."""
    return StocktakeService(uow_factory, clock,
                            lambda u, p: user_service.authenticate(u, p, terminal_id="T01"))


def _balances(uow_factory, world: World) -> dict[int, int]:
    with uow_factory(readonly=True) as uow:
        return {b: uow.ledger.balance_of(b) for ids in world.batches.values() for b in ids}


def _counts_and_entries(uow_factory) -> tuple[int, int, int]:
    with uow_factory(readonly=True) as uow:
        counts = uow.session.scalar(select(func.count()).select_from(StocktakeCount))
        closings = uow.session.scalar(select(func.count()).select_from(StocktakeClosing))
        return int(counts or 0), int(closings or 0), uow.ledger.count()


def _sell(uow_factory, clock, store_id: int, operator_id: int, batch_id: int,
          product_id: int, units: int) -> None:
    """What a completed sale does to stock: a sale_out entry."""
    with uow_factory() as uow:
        uow.ledger.append(store_id, [StockMovement(
            batch_id=batch_id, product_id=product_id, entry_type=LedgerEntryType.SALE_OUT,
            quantity=-units, unit_cost=Decimal("6.00"), units_per_pack=1, doc_type="sale",
            doc_no="XS-TEST")], operator_id=operator_id, occurred_at=clock.now())
        uow.commit()


def _assert_verified(uow_factory) -> None:
    report = verify_database(uow_factory, workers=1)
    assert report.ok, list(report.problems())


def test_inv_4_snapshot_equals_ledger(service, counter, uow_factory, world, store):
    before = _balances(uow_factory, world)
    info = service.start(counter)

    assert info.doc_no.startswith(f"PD-{store.code}-20261101-")
    assert info.session_no == 1
    with uow_factory(readonly=True) as uow:
        book = dict(uow.session.execute(
            select(StocktakeBook.batch_id, StocktakeBook.book_units)
            .where(StocktakeBook.stocktake_id == info.stocktake_id)).all())
        start = uow.session.scalars(select(AuditRecord.detail).where(
            AuditRecord.action == "stocktake.start")).one()
        last_seq = uow.ledger.chain_extent("ledger_entries", store.id)
    assert book == {b: units for b, units in before.items() if units > 0}
    assert info.book_batches == len(book) == 7
    assert info.uncounted_batches == 7
    assert json.loads(start)["ledger_seq"] == last_seq


def test_inv_4_only_one_open_stocktake_per_store(service, counter):
    first = service.start(counter)
    with pytest.raises(DomainError, match=first.doc_no):
        service.start(counter)


def test_inv_4_counting_in_two_sessions_and_resuming(service, counter, staff, uow_factory,
                                                     world, clock):
    info = service.start(counter)
    amox_early, amox_late = world.batches[AMOXICILLIN]
    lots = service.lots(counter, info.stocktake_id, AMOXICILLIN)
    assert [lot.batch_id for lot in lots] == [amox_early, amox_late]  # earliest expiry first
    service.count(counter, info.stocktake_id, amox_early, 48, session_no=info.session_no)
    service.count_lot(counter, info.stocktake_id, COLD_GRANULES, "c2801", 30, in_packs=True,
                      session_no=info.session_no)

    # Later, on another terminal, someone else resumes: what was counted is still there.
    clock.advance(hours=2)
    other = staff[Role.STORE_MANAGER]
    [open_one] = service.open_stocktakes(other)
    assert open_one.doc_no == info.doc_no
    resumed = service.resume(other, info.stocktake_id)
    assert resumed.session_no == 2
    assert (resumed.counted_batches, resumed.uncounted_batches) == (2, 5)
    again = service.count(other, info.stocktake_id, amox_early, 40,
                          session_no=resumed.session_no)

    assert again.previous_units == 48
    assert again.info.counted_batches == 2 and again.info.counts == 3
    lots = service.lots(other, info.stocktake_id, AMOXICILLIN)
    assert [lot.counted_units for lot in lots] == [40, None]
    with uow_factory(readonly=True) as uow:
        rows = uow.session.execute(
            select(StocktakeCount.session_no, StocktakeCount.counted_units,
                   StocktakeCount.counted_by).order_by(StocktakeCount.id)).all()
    assert rows == [(1, 48, counter.user_id), (1, 300, counter.user_id),
                    (2, 40, other.user_id)]
    diffs = service.differences(other, info.stocktake_id)
    # The granules' count matches their book: counted, but no line.
    assert {line.batch_id: line.counted_units for line in diffs.lines} == {amox_early: 40}
    assert (diffs.counted_batches, diffs.matching_batches) == (2, 1)
    assert len(service.uncounted(other, info.stocktake_id)) == 5


def test_inv_4_sale_between_snapshot_and_count_is_not_a_loss(
        service, counter, staff, uow_factory, world, clock, store):
    masks = world.batches[MASKS][0]
    info = service.start(counter)
    clock.advance(minutes=5)
    _sell(uow_factory, clock, store.id, counter.user_id, masks, world.products[MASKS], 3)
    clock.advance(minutes=5)
    service.count(counter, info.stocktake_id, masks, 47)   # 50 at the start, 3 sold since
    clock.advance(minutes=5)
    _sell(uow_factory, clock, store.id, counter.user_id, masks, world.products[MASKS], 2)

    diffs = service.differences(counter, info.stocktake_id)
    assert (diffs.lines, diffs.counted_batches) == ((), 1)
    assert diffs.loss_value == Decimal("0")

    result = service.approve(counter, info.stocktake_id, approver=MANAGER,
                             approver_password=STAFF_PASSWORD)
    assert result.entries == 0
    assert _balances(uow_factory, world)[masks] == 45
    _assert_verified(uow_factory)


def test_inv_4_gain_and_loss_entries_after_approval(service, counter, staff, uow_factory,
                                                    world, clock, store):
    before = _balances(uow_factory, world)
    amox_early, amox_late = world.batches[AMOXICILLIN]
    granules = world.batches[COLD_GRANULES][0]
    masks = world.batches[MASKS][0]
    info = service.start(counter)
    clock.advance(minutes=10)
    service.count(counter, info.stocktake_id, amox_early, 50)    # book 48: gain 2 粒
    service.count(counter, info.stocktake_id, granules, 28, in_packs=True)  # book 300: -20
    service.count(counter, info.stocktake_id, masks, 50)         # matches
    seen = service.info(counter, info.stocktake_id, 1)

    diffs = service.differences(counter, info.stocktake_id)
    by_batch = {line.batch_id: line for line in diffs.lines}
    assert by_batch[amox_early].difference == 2
    assert by_batch[amox_early].value == Decimal("0.50")        # 2 × 6.00 / 24
    assert by_batch[granules].difference == -20
    assert by_batch[granules].value == Decimal("-12.00")        # 20 × 6.00 / 10
    assert (diffs.gain_value, diffs.loss_value) == (Decimal("0.50"), Decimal("12.00"))

    clock.advance(minutes=10)
    result = service.approve(counter, info.stocktake_id, approver=MANAGER,
                             approver_password=STAFF_PASSWORD, note="季度盘点",
                             seen_count_id=seen.last_count_id)

    assert (result.entries, result.gain_units, result.loss_units) == (2, 2, 20)
    assert result.uncounted_batches == 4
    after = _balances(uow_factory, world)
    assert after[amox_early] == 50 and after[granules] == 280 and after[masks] == 50
    assert after[amox_late] == before[amox_late]                # not counted: untouched
    with uow_factory(readonly=True) as uow:
        entries = uow.session.execute(select(
            LedgerEntry.batch_id, LedgerEntry.entry_type, LedgerEntry.quantity,
            LedgerEntry.amount, LedgerEntry.operator_id, LedgerEntry.doc_type,
        ).where(LedgerEntry.doc_no == info.doc_no)).all()
        closing = uow.session.execute(select(
            StocktakeClosing.decision, StocktakeClosing.approved_by, StocktakeClosing.note,
        )).one()
        cached = {b: uow.ledger.cached_balance_of(b) for b in (amox_early, granules)}
    manager_id = staff[Role.STORE_MANAGER].user_id
    assert {tuple(e) for e in entries} == {
        (amox_early, LedgerEntryType.STOCKTAKE_GAIN, 2, Decimal("0.50"), manager_id,
         "stocktake"),
        (granules, LedgerEntryType.STOCKTAKE_LOSS, -20, Decimal("-12.00"), manager_id,
         "stocktake")}
    assert tuple(closing) == (
        "approved", staff[Role.STORE_MANAGER].user_id, "季度盘点")
    assert cached == {amox_early: 50, granules: 280}
    assert service.info(counter, info.stocktake_id, 1).decision == "approved"
    _assert_verified(uow_factory)


def test_inv_4_non_manager_cannot_approve(service, counter, uow_factory, world):
    info = service.start(counter)
    service.count(counter, info.stocktake_id, world.batches[MASKS][0], 40)
    before = _counts_and_entries(uow_factory)

    with pytest.raises(PermissionDenied, match="店长"):
        service.approve(counter, info.stocktake_id, approver="pharmacist",
                        approver_password=STAFF_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        service.approve(counter, info.stocktake_id, approver=MANAGER,
                        approver_password="wrong-password")

    assert _counts_and_entries(uow_factory) == before
    assert service.info(counter, info.stocktake_id, 1).decision is None
    _assert_verified(uow_factory)


def test_inv_4_manager_cannot_approve_only_their_own_counts(service, staff, uow_factory, world):
    manager = staff[Role.STORE_MANAGER]
    info = service.start(manager)
    service.count(manager, info.stocktake_id, world.batches[MASKS][0], 40)
    before = _counts_and_entries(uow_factory)

    with pytest.raises(DomainError, match="另一人"):
        service.approve(manager, info.stocktake_id, approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    assert _counts_and_entries(uow_factory) == before


def test_inv_4_counts_added_after_the_manager_looked_are_not_approved_blind(
        service, counter, uow_factory, world):
    info = service.start(counter)
    service.count(counter, info.stocktake_id, world.batches[MASKS][0], 40)
    seen = service.info(counter, info.stocktake_id, 1).last_count_id
    service.count(counter, info.stocktake_id, world.batches[MASKS][0], 10)
    before = _counts_and_entries(uow_factory)

    with pytest.raises(DomainError, match="刷新差异表"):
        service.approve(counter, info.stocktake_id, approver=MANAGER,
                        approver_password=STAFF_PASSWORD, seen_count_id=seen)
    assert _counts_and_entries(uow_factory) == before


@pytest.fixture
def foreign_batch(uow_factory, clock) -> int:
    """A batch of another store (its own product)."""
    other, _ = ensure_store(uow_factory, clock, code="H11010500009", name="别家药房",
                            operator="test", terminal_id="T09")
    product = add_product(uow_factory, clock, code="X1", barcode="6909999999990")
    return add_batch(uow_factory, clock, other.id, product)


@pytest.mark.parametrize(("case", "message"), [
    ("unknown batch", "不存在"),
    ("other store", "其他门店"),
    ("negative", "不能为负数"),
    ("absurd", "不合理"),
    ("absurd packs", "不合理"),
    ("not a number", "整数"),
    ("after approval", "已审批入账"),
    ("after cancelling", "已作废"),
])
def test_inv_4_bad_counts_are_refused_and_write_nothing(
        case, message, service, counter, uow_factory, world, foreign_batch):
    info = service.start(counter)
    masks = world.batches[MASKS][0]
    granules = world.batches[COLD_GRANULES][0]
    service.count(counter, info.stocktake_id, masks, 49)
    batch, quantity, in_packs = masks, 5, False
    if case == "unknown batch":
        batch = 987_654
    elif case == "other store":
        batch = foreign_batch
    elif case == "negative":
        quantity = -1
    elif case == "absurd":
        quantity = 6_901_234_567_892            # a barcode in the count field
    elif case == "absurd packs":
        batch, quantity, in_packs = granules, 200_000, True
    elif case == "not a number":
        quantity = "5"  # type: ignore[assignment]
    elif case == "after approval":
        service.approve(counter, info.stocktake_id, approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    elif case == "after cancelling":
        service.cancel(counter, info.stocktake_id, approver=MANAGER,
                       approver_password=STAFF_PASSWORD, reason="重新盘点")
    before = _counts_and_entries(uow_factory)
    balances = _balances(uow_factory, world)

    with pytest.raises(DomainError, match=message) as refused:
        service.count(counter, info.stocktake_id, batch, quantity, in_packs=in_packs)

    assert refused.value.rule_id == "INV-4"
    assert _counts_and_entries(uow_factory) == before
    assert _balances(uow_factory, world) == balances
    _assert_verified(uow_factory)


def test_inv_4_unknown_barcode_or_lot_is_refused(service, counter, uow_factory, world):
    info = service.start(counter)
    with pytest.raises(NotFound, match="不属于任何商品"):
        service.lots(counter, info.stocktake_id, "6900000000000")
    with pytest.raises(NotFound, match="批号"):
        service.count_lot(counter, info.stocktake_id, MASKS, "NOPE", 3)
    with pytest.raises(NotFound, match="盘点单"):
        service.count(counter, 424_242, world.batches[MASKS][0], 3)
    assert _counts_and_entries(uow_factory)[0] == 0


def test_inv_4_cancelled_stocktake_books_nothing(service, counter, staff, uow_factory,
                                                 world):
    before = _balances(uow_factory, world)
    entries_before = _counts_and_entries(uow_factory)[2]
    info = service.start(counter)
    service.count(counter, info.stocktake_id, world.batches[MASKS][0], 1)
    service.count(counter, info.stocktake_id, world.batches[COLD_GRANULES][0], 999)
    with pytest.raises(DomainError, match="作废原因"):
        service.cancel(counter, info.stocktake_id, approver=MANAGER,
                       approver_password=STAFF_PASSWORD, reason=" ")

    service.cancel(counter, info.stocktake_id, approver=MANAGER,
                   approver_password=STAFF_PASSWORD, reason="盘点中断，重新盘点")

    assert _balances(uow_factory, world) == before
    counts, closings, entries = _counts_and_entries(uow_factory)
    assert (counts, closings, entries) == (2, 1, entries_before)
    with pytest.raises(DomainError, match="已作废"):
        service.approve(counter, info.stocktake_id, approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    assert service.open_stocktakes(counter) == []
    assert service.start(counter).doc_no.endswith("-002")    # a new one may start
    _assert_verified(uow_factory)


def test_inv_4_loss_beyond_what_is_left_is_refused(service, counter, uow_factory, world,
                                                   clock, store):
    # Counted 5 masks, then 45 went out: the count must have been wrong.
    masks = world.batches[MASKS][0]
    info = service.start(counter)
    service.count(counter, info.stocktake_id, masks, 5)
    clock.advance(minutes=1)
    _sell(uow_factory, clock, store.id, counter.user_id, masks, world.products[MASKS], 45)
    before = _counts_and_entries(uow_factory)

    with pytest.raises(DomainError, match="复盘"):
        service.approve(counter, info.stocktake_id, approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    assert _counts_and_entries(uow_factory) == before
