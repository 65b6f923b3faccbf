"""Stock keeping (INV-3, INV-7, INV-1, INV-5): expiry, maintenance checks, destruction by
two people, split packages, low-stock suggestions; ``verify`` stays clean after every test
and every refusal writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pharmacy_pos.cli import EXIT_OK, main
from pharmacy_pos.db.models import (
    AuditRecord,
    Batch,
    BatchStatusEvent,
    LedgerEntry,
    MaintenanceCheck,
    MaintenanceItem,
    Product,
    SplitRecord,
)
from pharmacy_pos.domain.errors import AuthenticationFailed, DomainError, PermissionDenied
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.domain.stockkeeping import LowStockParams
from pharmacy_pos.services.stockkeeping import StockkeepingService
from pharmacy_pos.services.verify import verify_database
from tests.conftest import STAFF_PASSWORD
from tests.till_world import (
    AMLODIPINE,
    AMOXICILLIN,
    COLD_GRANULES,
    CONTAC,
    EXPIRED_ONLY,
    MASKS,
)

MANAGER = "store.manager"
INSPECTOR = "quality.inspector"


@pytest.fixture
def keeping(uow_factory, clock, policy, store, user_service, world) -> StockkeepingService:
    """Stock keeping at terminal T01 (second persons log in there)."""
    return StockkeepingService(
        uow_factory, clock, policy.stock,
        lambda u, p: user_service.authenticate(u, p, terminal_id="T01"),
        store_code=store.code, params=LowStockParams(30, 7, 14))


@pytest.fixture
def keeper(staff):
    """The pharmacist doing the maintenance (holds MAINTAIN_STOCK, not APPROVE)."""
    return staff[Role.PHARMACIST]


@pytest.fixture(autouse=True)
def _verify_after(uow_factory) -> Iterator[None]:
    """INV-1/INV-5: chains intact and stock = ledger after every test of this module."""
    yield
    report = verify_database(uow_factory, workers=1)
    assert report.ok, list(report.problems())


def _counts(uow_factory) -> tuple[int, ...]:
    """Rows of every table stock keeping writes to (a refusal must leave them alone).

    Log-ins of second persons are audit-logged by the user service whatever the outcome
    (SEC-3), so audit records of log-ins are not counted.
    """
    with uow_factory(readonly=True) as uow:
        counts = [uow.session.scalar(select(func.count()).select_from(t)) for t in (
            LedgerEntry, BatchStatusEvent, MaintenanceCheck, MaintenanceItem, SplitRecord,
            Batch)]
        counts.append(uow.session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action.not_like("login.%"))))
        return tuple(counts)


def _status(uow_factory, batch_id) -> BatchStatus:
    with uow_factory(readonly=True) as uow:
        return uow.batches.get(batch_id).status


def _balance(uow_factory, batch_id) -> int:
    with uow_factory(readonly=True) as uow:
        return uow.ledger.balance_of(batch_id)


def _sellable(sales, cashier, barcode, item_code) -> bool:
    cart = sales.scan(cashier, sales.new_cart(cashier), barcode)
    return not any(f.blocks and f.rule_id == "SALE-5" and f.item_code == item_code
                   for f in cart.findings)


def _receive(uow_factory, clock, store, operator_id, product_id, lot, expiry, units) -> int:
    """A further batch of a product, received through the ledger."""
    with uow_factory() as uow:
        product = uow.session.get(Product, product_id)
        batch = uow.batches.add(Batch(
            store_id=store.id, product_id=product_id, supplier_id=None, lot_no=lot,
            manufacture_date=date(2025, 1, 1), expiry_date=expiry,
            purchase_price=Decimal("6.00"), status=BatchStatus.SELLABLE,
            created_at=clock.now()))
        uow.ledger.append(store.id, [StockMovement(
            batch_id=batch.id, product_id=product_id, entry_type=LedgerEntryType.PURCHASE_IN,
            quantity=units, unit_cost=Decimal("6.00"), units_per_pack=product.units_per_pack,
            doc_type="purchase", doc_no=f"RK-{lot}")],
            operator_id=operator_id, occurred_at=clock.now())
        uow.commit()
        return batch.id


# -- expiry ----------------------------------------------------------------------------------

def test_inv_3_expiry_marks_past_expiry_batches_expired_once_and_the_till_refuses_them(
        keeping, keeper, system_actor, world, uow_factory, clock, sales, cashier):
    expired = world.batches[EXPIRED_ONLY][0]
    near = world.batches[AMOXICILLIN][0]  # expires 2026-11-20
    assert _status(uow_factory, expired) is BatchStatus.SELLABLE
    changed = keeping.expire_due_batches(system_actor)  # the nightly CLI run
    assert [(c.batch_id, c.from_status, c.to_status, c.units) for c in changed] == [
        (expired, BatchStatus.SELLABLE, BatchStatus.EXPIRED, 500)]
    assert _status(uow_factory, expired) is BatchStatus.EXPIRED
    assert _status(uow_factory, near) is BatchStatus.SELLABLE
    assert not _sellable(sales, cashier, EXPIRED_ONLY, "P005")
    before = _counts(uow_factory)
    assert keeping.expire_due_batches(keeper) == ()
    assert _counts(uow_factory) == before  # idempotent: nothing written at all
    # Three weeks on, the near-expiry amoxicillin lot is past its date too.
    clock.advance(days=20)
    assert [c.lot_no for c in keeping.expire_due_batches(keeper)] == ["A2611"]
    with uow_factory(readonly=True) as uow:
        event = uow.session.scalars(select(BatchStatusEvent).where(
            BatchStatusEvent.batch_id == near)).one()
        assert (event.from_status, event.to_status) == ("sellable", "expired")
        assert "2026-11-20" in event.reason


def test_inv_3_a_locked_batch_past_expiry_is_expired_too(
        keeping, keeper, world, uow_factory, clock):
    near = world.batches[AMOXICILLIN][0]
    sheet = keeping.open_check(keeper)
    keeping.record_check(keeper, sheet.check_id, near, "doubtful", "外盒受潮")
    clock.advance(days=20)
    with pytest.raises(DomainError, match="已过有效期，不能解除锁定") as refused:
        keeping.release(keeper, near, reason="复查合格", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    assert refused.value.rule_id == "INV-7"
    changed = keeping.expire_due_batches(keeper)
    assert [(c.batch_id, c.from_status) for c in changed] == [
        (world.batches[EXPIRED_ONLY][0], BatchStatus.SELLABLE), (near, BatchStatus.LOCKED)]
    assert _status(uow_factory, near) is BatchStatus.EXPIRED


def test_inv_3_expire_cli_marks_expired_batches(db_url, store, world, uow_factory, capsys,
                                                monkeypatch, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("the CLI test runs once")
    monkeypatch.setenv("PHARMACY_POS_STORE_CODE", store.code)
    monkeypatch.setenv("PHARMACY_POS_DATA_DIR", str(tmp_path / "data"))
    assert main(["--database", db_url, "expire"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "V2601" in out and "已标记过期" in out  # expired 2026-06-30, before today
    assert _status(uow_factory, world.batches[EXPIRED_ONLY][0]) is BatchStatus.EXPIRED
    assert main(["--database", db_url, "expire"]) == EXIT_OK
    assert "没有需要标记过期的批次" in capsys.readouterr().out


# -- near expiry -------------------------------------------------------------------------------

def test_inv_3_near_expiry_is_bucketed_by_the_policy_windows_with_value(
        keeping, keeper, world, uow_factory, clock, store, staff):
    manager_id = staff[Role.STORE_MANAGER].user_id
    in_60 = _receive(uow_factory, clock, store, manager_id, world.products[COLD_GRANULES],
                     "C2612", date(2026, 12, 15), 25)        # 44 days left
    on_90 = _receive(uow_factory, clock, store, manager_id, world.products[MASKS],
                     "M2701", date(2027, 1, 30), 3)          # exactly 90 days left
    _receive(uow_factory, clock, store, manager_id, world.products[MASKS],
             "M2702", date(2027, 1, 31), 3)                  # 91 days: not near
    report = keeping.near_expiry(keeper)
    assert [b.window_days for b in report.buckets] == [30, 60, 90]
    assert [[x.batch_id for x in b.batches] for b in report.buckets] == [
        [world.batches[AMOXICILLIN][0]], [in_60], [on_90]]
    # 48 capsules at 6.00 per box of 24; 25 sachets at 6.00 per 10; 3 masks at 6.00 each.
    assert [b.value for b in report.buckets] == [
        Decimal("12.00"), Decimal("15.00"), Decimal("18.00")]
    assert report.value == Decimal("45.00")
    # The expired lot is not "near expiry": it belongs to the expired list.
    assert all(x.lot_no != "V2601" for b in report.buckets for x in b.batches)


# -- maintenance (INV-3) -----------------------------------------------------------------------

def test_inv_3_the_check_list_puts_near_expiry_and_split_packages_first(
        keeping, keeper, staff, world, uow_factory):
    split = keeping.split_package(keeper, world.batches[AMOXICILLIN][1], 1,
                                  checker=INSPECTOR, checker_password=STAFF_PASSWORD)
    sheet = keeping.open_check(keeper)
    assert sheet.month == "2026-11" and sheet.done == 0
    lots = [(line.batch.lot_no, line.batch.is_split) for line in sheet.lines]
    # Expired (still on the shelf), near-expiry, then the split package; then by item code.
    assert lots[:3] == [("V2601", False), ("A2611", False), ("A2801", True)]
    assert sheet.lines[2].batch.batch_id == split.split_batch_id
    rest = [line.batch.item_code for line in sheet.lines[3:]]
    assert rest == sorted(rest) and len(rest) == 5
    # Opening again continues the same month's check.
    assert keeping.open_check(keeper).check_id == sheet.check_id
    with uow_factory(readonly=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(MaintenanceCheck)) == 1


def test_inv_3_a_doubtful_batch_is_locked_from_sale_until_a_manager_releases_it(
        keeping, keeper, world, uow_factory, sales, cashier, staff):
    batch = world.batches[COLD_GRANULES][0]
    sheet = keeping.open_check(keeper)
    ok = keeping.record_check(keeper, sheet.check_id, world.batches[MASKS][0], "ok")
    assert ok.result == "ok" and ok.batch.status is BatchStatus.SELLABLE
    line = keeping.record_check(keeper, sheet.check_id, batch, "doubtful", "包装破损")
    assert line.batch.status is BatchStatus.LOCKED and line.checked_by == keeper.display_name
    assert _status(uow_factory, batch) is BatchStatus.LOCKED
    assert not _sellable(sales, cashier, COLD_GRANULES, "P002")
    again = keeping.check_sheet(keeper, sheet.check_id)
    assert again.done == 2
    assert {(x.batch.batch_id, x.result, x.note) for x in again.lines if x.result} == {
        (world.batches[MASKS][0], "ok", ""), (batch, "doubtful", "包装破损")}
    assert [b.batch_id for b in keeping.held_batches(keeper)] == [batch]

    before = _counts(uow_factory)
    with pytest.raises(PermissionDenied):  # a pharmacist is no approver
        keeping.release(keeper, batch, reason="复查合格", approver="pharmacist",
                        approver_password=STAFF_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        keeping.release(keeper, batch, reason="复查合格", approver=MANAGER,
                        approver_password="wrong-password")
    with pytest.raises(DomainError, match="原因"):
        keeping.release(keeper, batch, reason="  ", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    with pytest.raises(DomainError, match="只有锁定的批次"):
        keeping.release(keeper, world.batches[MASKS][0], reason="x", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    assert _counts(uow_factory) == before

    released = keeping.release(keeper, batch, reason="复查外观合格", approver=MANAGER,
                               approver_password=STAFF_PASSWORD)
    assert released.to_status is BatchStatus.SELLABLE
    assert _sellable(sales, cashier, COLD_GRANULES, "P002")
    with uow_factory(readonly=True) as uow:
        events = uow.session.scalars(select(BatchStatusEvent).where(
            BatchStatusEvent.batch_id == batch).order_by(BatchStatusEvent.id)).all()
        assert [(e.to_status, e.by_user) for e in events] == [
            ("locked", keeper.user_id), ("sellable", staff[Role.STORE_MANAGER].user_id)]


def test_inv_3_bad_check_input_is_refused_in_chinese_and_writes_nothing(
        keeping, keeper, world, uow_factory, staff):
    sheet = keeping.open_check(keeper)
    batch = world.batches[COLD_GRANULES][0]
    before = _counts(uow_factory)
    with pytest.raises(DomainError, match="写明情况"):
        keeping.record_check(keeper, sheet.check_id, batch, "doubtful", " ")
    with pytest.raises(DomainError, match="无效"):
        keeping.record_check(keeper, sheet.check_id, batch, "bad")
    with pytest.raises(DomainError, match="找不到该批次"):
        keeping.record_check(keeper, sheet.check_id, 999_999, "ok")
    with pytest.raises(DomainError, match="养护检查"):
        keeping.record_check(keeper, 999_999, batch, "ok")
    with pytest.raises(DomainError, match="YYYY-MM"):
        keeping.open_check(keeper, "2026-13")
    with pytest.raises(PermissionDenied):
        keeping.record_check(staff[Role.CASHIER], sheet.check_id, batch, "ok")
    assert _counts(uow_factory) == before
    assert _status(uow_factory, batch) is BatchStatus.SELLABLE


# -- destruction (INV-7) -----------------------------------------------------------------------

def test_inv_7_destruction_needs_a_reason_and_a_manager_who_is_not_the_operator(
        keeping, keeper, world, uow_factory, staff, user_service, system_actor):
    batch = world.batches[CONTAC][0]
    sheet = keeping.open_check(keeper)
    keeping.record_check(keeper, sheet.check_id, batch, "doubtful", "药片变色")
    user_service.add_user(system_actor, username="boss", display_name="店长兼药师",
                          password=STAFF_PASSWORD, roles=[Role.STORE_MANAGER, Role.PHARMACIST],
                          qualification_no="ZY0002")
    boss = user_service.authenticate("boss", STAFF_PASSWORD, terminal_id="T01")
    before = _counts(uow_factory)
    with pytest.raises(DomainError, match="原因"):
        keeping.destroy(keeper, batch, reason="", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    with pytest.raises(PermissionDenied):
        keeping.destroy(keeper, batch, reason="变色", approver=INSPECTOR,
                        approver_password=STAFF_PASSWORD)
    with pytest.raises(DomainError, match="不能自己复核自己") as own:
        keeping.destroy(boss, batch, reason="变色", approver="boss",
                        approver_password=STAFF_PASSWORD)
    assert own.value.rule_id == "INV-7"
    with pytest.raises(DomainError, match="只能销毁已锁定或已过期"):
        keeping.destroy(keeper, world.batches[MASKS][0], reason="变色", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    with pytest.raises(DomainError, match="命令行"):
        keeping.destroy(system_actor, batch, reason="变色", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    assert _counts(uow_factory) == before and _balance(uow_factory, batch) == 100

    done = keeping.destroy(keeper, batch, reason="养护发现药片变色", approver=MANAGER,
                           approver_password=STAFF_PASSWORD)
    assert done.doc_no == f"XH-{keeping._store_code}-20261101-00001"
    assert (done.units, done.value, done.approved_by) == (100, Decimal("60.00"), "店长")
    assert _balance(uow_factory, batch) == 0
    assert _status(uow_factory, batch) is BatchStatus.DESTROYED
    with uow_factory(readonly=True) as uow:
        entry = uow.session.scalars(select(LedgerEntry).where(
            LedgerEntry.doc_no == done.doc_no)).one()
        assert (entry.entry_type, entry.quantity, entry.amount, entry.operator_id) == (
            "destruction", -100, Decimal("-60.00"), keeper.user_id)
        assert entry.note == "养护发现药片变色"
        event = uow.session.scalars(select(BatchStatusEvent).where(
            BatchStatusEvent.doc_no == done.doc_no)).one()
        assert (event.from_status, event.to_status, event.by_user, event.second_user) == (
            "locked", "destroyed", keeper.user_id, staff[Role.STORE_MANAGER].user_id)
    assert keeping.held_batches(keeper) == ()
    with pytest.raises(DomainError):  # destroyed is final
        keeping.destroy(keeper, batch, reason="再销毁", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)


def test_inv_7_an_expired_batch_is_destroyed_with_its_whole_stock(
        keeping, keeper, world, uow_factory):
    batch = world.batches[EXPIRED_ONLY][0]
    keeping.expire_due_batches(keeper)
    with pytest.raises(DomainError, match="只有锁定的批次"):
        keeping.release(keeper, batch, reason="x", approver=MANAGER,
                        approver_password=STAFF_PASSWORD)
    done = keeping.destroy(keeper, batch, reason="过期", approver=MANAGER,
                           approver_password=STAFF_PASSWORD)
    assert done.units == 500 and _balance(uow_factory, batch) == 0
    assert done.doc_no.endswith("-00001") and done.value == Decimal("30.00")


# -- split packages ----------------------------------------------------------------------------

def test_split_opens_packs_into_a_split_batch_with_balanced_entries_and_a_full_record(
        keeping, keeper, world, uow_factory, staff, sales, cashier):
    source = world.batches[AMOXICILLIN][1]  # A2801, 20 boxes of 24
    record = keeping.split_package(keeper, source, 2, checker=INSPECTOR,
                                   checker_password=STAFF_PASSWORD)
    assert record.doc_no == f"CL-{keeping._store_code}-20261101-00001"
    assert (record.units, record.lot_no, record.expiry_date) == (48, "A2801", date(2028, 1, 1))
    assert (record.generic_name, record.specification, record.manufacturer) == (
        "阿莫西林胶囊", "0.25g*24粒", "测试药业")
    assert (record.split_by, record.checked_by) == ("药师", "质量验收员")
    assert _balance(uow_factory, source) == 432
    assert _balance(uow_factory, record.split_batch_id) == 48
    with uow_factory(readonly=True) as uow:
        entries = uow.session.scalars(select(LedgerEntry).where(
            LedgerEntry.doc_no == record.doc_no).order_by(LedgerEntry.id)).all()
        assert [(e.batch_id, e.entry_type, e.quantity) for e in entries] == [
            (source, "split_conversion", -48),
            (record.split_batch_id, "split_conversion", 48)]
        assert sum(e.quantity for e in entries) == 0 and sum(e.amount for e in entries) == 0
        split = uow.batches.get(record.split_batch_id)
        assert (split.split_from_id, split.status, split.lot_no) == (
            source, BatchStatus.SELLABLE, "A2801")
        row = uow.session.scalars(select(SplitRecord)).one()
        assert (row.source_batch_id, row.split_batch_id, row.units, row.split_by,
                row.checked_by) == (source, record.split_batch_id, 48, keeper.user_id,
                                    staff[Role.QUALITY_INSPECTOR].user_id)
    assert keeping.split_records(keeper) == (record,)


def test_split_refuses_bad_requests_in_chinese_and_writes_nothing(
        keeping, keeper, world, uow_factory, staff):
    amoxicillin = world.batches[AMOXICILLIN]
    before = _counts(uow_factory)
    cases = [
        (amoxicillin[1], 1, "pharmacist", "不能自己复核自己"),
        (amoxicillin[1], 1, "cashier", "无权复核拆零"),
        (world.batches[COLD_GRANULES][0], 1, INSPECTOR, "不允许拆零"),
        (amoxicillin[0], 3, INSPECTOR, "只有 2盒整包"),
        (amoxicillin[1], 0, INSPECTOR, "整包数"),
        (amoxicillin[1], -1, INSPECTOR, "整包数"),
        (999_999, 1, INSPECTOR, "找不到该批次"),
    ]
    for batch, packs, checker, message in cases:
        with pytest.raises(DomainError, match=message):
            keeping.split_package(keeper, batch, packs, checker=checker,
                                  checker_password=STAFF_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        keeping.split_package(keeper, amoxicillin[1], 1, checker=INSPECTOR,
                              checker_password="nope-nope")
    with pytest.raises(PermissionDenied):
        keeping.split_package(staff[Role.CASHIER], amoxicillin[1], 1, checker=INSPECTOR,
                              checker_password=STAFF_PASSWORD)
    assert _counts(uow_factory) == before
    # A split batch is not split again, and a locked one not at all.
    record = keeping.split_package(keeper, amoxicillin[1], 1, checker=INSPECTOR,
                                   checker_password=STAFF_PASSWORD)
    middle = _counts(uow_factory)
    with pytest.raises(DomainError, match="已是拆零批次"):
        keeping.split_package(keeper, record.split_batch_id, 1, checker=INSPECTOR,
                              checker_password=STAFF_PASSWORD)
    sheet = keeping.open_check(keeper)
    keeping.record_check(keeper, sheet.check_id, amoxicillin[0], "doubtful", "漏粉")
    middle = _counts(uow_factory)
    with pytest.raises(DomainError, match="锁定"):
        keeping.split_package(keeper, amoxicillin[0], 1, checker=INSPECTOR,
                              checker_password=STAFF_PASSWORD)
    assert _counts(uow_factory) == middle
    assert [b.batch_id for b in keeping.splittable(keeper)] == [amoxicillin[1]]


# -- low stock ----------------------------------------------------------------------------------

def _sell(sales, cashier, barcode, packs):
    cart = sales.scan(cashier, sales.new_cart(cashier), barcode)
    cart = sales.set_quantity(cashier, cart, 0, str(packs))
    return sales.complete(cashier, cart, method=PaymentMethod.CASH,
                          tendered=Decimal("10000.00"))


def test_low_stock_suggests_at_the_reorder_point_and_forgets_old_sales(
        keeping, keeper, world, uow_factory, sales, cashier, clock):
    with uow_factory() as uow:
        uow.session.get(Product, world.products[MASKS]).min_stock = 10
        uow.session.get(Product, world.products[AMLODIPINE]).min_stock = 100  # has 280
        uow.commit()
    assert keeping.low_stock(keeper) == ()  # 50 masks > minimum 10, nothing sold
    _sell(sales, cashier, MASKS, 30)           # 20 left; 1 a day: point 7 + 10 = 17
    _sell(sales, cashier, COLD_GRANULES, 29)   # 10 sachets left, no minimum
    assert [line.item_code for line in keeping.low_stock(keeper)] == ["P002"]
    _sell(sales, cashier, MASKS, 5)            # 15 left; 35 sold: point 9 + 10 = 19
    lines = {line.item_code: line for line in keeping.low_stock(keeper)}
    assert set(lines) == {"P002", "P003"}
    assert (lines["P003"].on_hand, lines["P003"].reorder_point) == (15, 19)
    # A month later those sales are out of the window: 15 masks > 10, granules unsold.
    clock.advance(days=31)
    assert keeping.low_stock(keeper) == ()


def test_low_stock_arithmetic_and_what_is_left_out(keeping, keeper, world, uow_factory,
                                                   sales, cashier):
    with uow_factory() as uow:
        uow.session.get(Product, world.products[MASKS]).min_stock = 10
        uow.commit()
    _sell(sales, cashier, MASKS, 45)  # 5 left
    _sell(sales, cashier, COLD_GRANULES, 29)  # 10 sachets left, 290 sold
    lines = {line.item_code: line for line in keeping.low_stock(keeper)}
    assert set(lines) == {"P002", "P003"}
    masks = lines["P003"]
    # 45 sold / 30 days: lead 7 days -> ceil(315/30) = 11, point 11 + 10 = 21 >= 5;
    # target 21 days -> ceil(945/30) = 32, + 10 - 5 = 37 masks = 37 packs of 1.
    assert (masks.on_hand, masks.sold_units, masks.reorder_point, masks.suggested_units,
            masks.suggested_packs) == (5, 45, 21, 37, 37)
    granules = lines["P002"]
    # 290 / 30: lead ceil(2030/30) = 68; target ceil(6090/30) = 203 - 10 = 193 -> 20 boxes.
    assert (granules.on_hand, granules.reorder_point, granules.suggested_units,
            granules.suggested_packs) == (10, 68, 200, 20)
