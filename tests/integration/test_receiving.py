"""Receiving against a delivery note, quality acceptance and purchase returns (INV-1, INV-2).

On SQLite and PostgreSQL. After every test the whole database must still verify: chains
intact, cached balances equal to the ledger, nothing negative.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pharmacy_pos.db.models import (
    Acceptance,
    Batch,
    BatchStatusEvent,
    Delivery,
    DeliveryLine,
    LedgerEntry,
    Product,
    ProductBarcode,
    PurchaseReturn,
    PurchaseReturnLine,
    Supplier,
)
from pharmacy_pos.domain.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from pharmacy_pos.domain.picking import pick_fefo
from pharmacy_pos.domain.product import (
    BatchStatus,
    ControlledCategory,
    InsuranceClass,
    LedgerEntryType,
    OtcClass,
    ProductCategory,
)
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.receiving import LineDecision, ReceivingService
from pharmacy_pos.services.sales import SaleService
from pharmacy_pos.services.verify import verify_database

AMOX = "6901234567892"   # 阿莫西林胶囊, 24 粒 a box, may be split, approval 国药准字H20003263
COLD = "6902345678903"   # 感冒灵颗粒, 10 袋 a box, never split
TODAY = date(2026, 11, 1)


@pytest.fixture
def catalogue(uow_factory, clock) -> dict[str, int]:
    """Two products without stock; barcode -> product id."""
    now = clock.now()
    ids = {}
    with uow_factory() as uow:
        for barcode, code, name, per_pack, split, min_unit, approval in (
            (AMOX, "P001", "阿莫西林胶囊", 24, True, "粒", "国药准字H20003263"),
            (COLD, "P002", "感冒灵颗粒", 10, False, "袋", "国药准字Z44021940"),
        ):
            product = uow.products.add(Product(
                item_code=code, med_list_codg=None, generic_name=name, trade_name="",
                specification="规格", manufacturer="测试药业", approval_no=approval,
                is_prescription=False, otc_class=OtcClass.A, insurance_class=InsuranceClass.NONE,
                category=ProductCategory.DRUG, controlled_category=ControlledCategory.NONE,
                package_unit="盒", min_unit=min_unit,
                units_per_pack=per_pack, split_allowed=split, retail_price=Decimal("20.00"),
                pinyin_initials=code, created_at=now, updated_at=now,
                barcodes=[ProductBarcode(barcode=barcode)]))
            uow.products.flush()
            ids[barcode] = product.id
        uow.commit()
    return ids


@pytest.fixture
def suppliers(uow_factory, clock) -> dict[str, int]:
    """A supplier with a valid licence ("good") and one whose licence expired ("lapsed")."""
    now = clock.now()
    with uow_factory() as uow:
        good = uow.suppliers.add(Supplier(
            name="国药控股北京有限公司", credit_code="91110000101123456X",
            licence_no="京AA0100123", licence_expiry=TODAY + timedelta(days=365),
            created_at=now))
        lapsed = uow.suppliers.add(Supplier(
            name="某市康达医药有限公司", credit_code="91440300MA5F123456",
            licence_no="粤AA7550321", licence_expiry=TODAY - timedelta(days=1),
            created_at=now))
        uow.commit()
        return {"good": good.id, "lapsed": lapsed.id}


@pytest.fixture
def service(uow_factory, clock, store, catalogue, suppliers) -> Iterator[ReceivingService]:
    """Receiving for the test store; the database must verify after the test (INV-1, INV-5)."""
    yield ReceivingService(uow_factory, clock, store_code=store.code)
    report = verify_database(uow_factory, workers=1)
    assert report.ok, list(report.problems())


@pytest.fixture
def manager(staff):
    """Receives goods (store manager)."""
    return staff[Role.STORE_MANAGER]


@pytest.fixture
def inspector(staff):
    """The quality inspector."""
    return staff[Role.QUALITY_INSPECTOR]


def line(row: int = 1, key: str = AMOX, lot: str = "A2611", *, made: str = "2026-06-01",
         expiry: str = "2028-05-31", price: str = "9.60", quantity: str = "5",
         unit: str = "pack", gift: bool | str = False, approval: str = "") -> LineInput:
    """A delivery line as typed."""
    return LineInput(row=row, product_key=key, lot_no=lot, manufacture_date=made,
                     expiry_date=expiry, purchase_price=price, quantity=quantity, unit=unit,
                     is_gift=gift, approval_no=approval)


def receive(service, actor, suppliers, lines, note="SH-0001", **kw):
    """Receive ``lines`` from the good supplier."""
    return service.receive(actor, supplier_id=suppliers["good"], delivery_note_no=note,
                           invoice_code="011001900111", invoice_no="12345678",
                           lines=lines, **kw)


def counts(uow_factory) -> tuple[int, ...]:
    """Rows of every table receiving writes."""
    with uow_factory(readonly=True) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(t)) for t in (
            Delivery, DeliveryLine, Batch, LedgerEntry, Acceptance, PurchaseReturn,
            PurchaseReturnLine, BatchStatusEvent))


def batch_of(uow_factory, line_id: int) -> tuple[BatchStatus, int]:
    """(status, units on hand by the ledger) of a delivery line's batch."""
    with uow_factory(readonly=True) as uow:
        batch_id = uow.session.get(DeliveryLine, line_id).batch_id
        return uow.batches.get(batch_id).status, uow.ledger.balance_of(batch_id)


# -- receiving ---------------------------------------------------------------------------


def test_inv_1_receiving_puts_units_into_the_ledger_in_batches_awaiting_acceptance(
        service, manager, suppliers, uow_factory, catalogue):
    result = receive(service, manager, suppliers, [
        line(1, AMOX, "A2611", quantity="5"),
        line(2, COLD, "C2701", quantity="3", price="7.20"),
        line(3, COLD, "C2702", quantity="1", price="", gift="是"),
    ])
    assert result.doc_no == "RK-H11010500001-20261101-0001"
    assert result.units == 5 * 24 + 3 * 10 + 10
    assert result.amount == Decimal("48.00") + Decimal("21.60")
    with uow_factory(readonly=True) as uow:
        entries = uow.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert [(e.entry_type, e.quantity, e.unit_cost, e.doc_no, e.operator_id)
                for e in entries] == [
            (LedgerEntryType.PURCHASE_IN, 120, Decimal("9.60"), result.doc_no, manager.user_id),
            (LedgerEntryType.PURCHASE_IN, 30, Decimal("7.20"), result.doc_no, manager.user_id),
            (LedgerEntryType.PURCHASE_IN, 10, Decimal("0"), result.doc_no, manager.user_id),
        ]
        delivery = uow.session.get(Delivery, result.delivery_id)
        assert (delivery.delivery_note_no, delivery.invoice_code, delivery.invoice_no,
                delivery.received_by) == ("SH-0001", "011001900111", "12345678",
                                          manager.user_id)
        lines = delivery.lines
        assert [(dl.line_no, dl.quantity, dl.is_gift, dl.approval_no) for dl in lines] == [
            (1, 120, False, "国药准字H20003263"), (2, 30, False, "国药准字Z44021940"),
            (3, 10, True, "国药准字Z44021940")]
        for dl in lines:
            batch = uow.batches.get(dl.batch_id)
            assert batch.status is BatchStatus.AWAITING_ACCEPTANCE
            assert batch.supplier_id == suppliers["good"]
            assert uow.ledger.cached_balance_of(batch.id) == dl.quantity
        assert [r.action for r in uow.audit.by_action("receiving.receive")] == [
            "receiving.receive"]


def test_inv_2_received_stock_cannot_be_sold_before_acceptance(
        service, manager, suppliers, uow_factory, store, catalogue, staff, policy, sim,
        clock):
    receive(service, manager, suppliers, [line(1, AMOX, quantity="5")])
    with uow_factory(readonly=True) as uow:
        stock = uow.batches.sellable_stock(catalogue[AMOX], store.id)
    assert sum(b.units for b in stock) == 120  # in stock (INV-1) ...
    picking = pick_fefo(stock, 24, today=TODAY, near_expiry_days=30, unit_name="粒")
    assert picking.blocked and picking.allocations == ()  # ... but not sellable
    assert "待验收 120粒" in picking.findings[0].message

    till = SaleService(uow_factory, clock, lambda: (policy, policy.version), sim,
                       store_code=store.code)
    cart = till.new_cart(staff[Role.CASHIER])
    till.scan(staff[Role.CASHIER], cart, AMOX)
    assert cart.blocked
    assert any(f.rule_id == "SALE-5" and f.blocks for f in cart.findings)


def test_inv_2_supplier_with_an_expired_licence_is_refused(
        service, manager, suppliers, uow_factory):
    before = counts(uow_factory)
    with pytest.raises(DomainError) as refused:
        service.receive(manager, supplier_id=suppliers["lapsed"], delivery_note_no="X-1",
                        lines=[line()])
    assert refused.value.rule_id == "INV-2"
    assert "许可证" in refused.value.message and "已于 2026-10-31 过期" in refused.value.message
    assert counts(uow_factory) == before


def test_inv_2_unknown_supplier_is_refused(service, manager, uow_factory):
    with pytest.raises(NotFound, match="没有供应商“无名公司”"):
        service.receive(manager, supplier_name="无名公司", delivery_note_no="X-1",
                        lines=[line()])


@pytest.mark.parametrize(("bad", "field", "message"), [
    (line(made="2026-06-01", expiry="2026-05-01"), "有效期至", "早于生产日期 2026-06-01"),
    (line(made="2024-01-01", expiry="2026-10-31"), "有效期至", "到货已过期（有效期至 2026-10-31）"),
    (line(key="6999999999999"), "商品", "“6999999999999”不在商品目录中"),
    (line(key=COLD, quantity="25", unit="袋"), "数量", "25袋 不是整盒（每盒 10袋），此商品不拆零"),
    (line(key=COLD, quantity="1.5"), "数量", "数量必须是整数"),
    (line(quantity="0"), "数量", "数量必须大于 0"),
    (line(price="0"), "进价", "进价必须大于 0"),
    (line(price="abc"), "进价", "不是数字"),
    (line(gift="也许"), "赠品", "应填“是”或“否”"),
    (line(expiry="2028-13-01"), "有效期至", "日期“2028-13-01”无效"),
    (line(made="2026-12-01", expiry="2028-12-01"), "生产日期", "晚于今天"),
    (line(approval="国药准字H99999999"), "批准文号", "与商品目录中的批准文号"),
    (line(lot=""), "批号", "必填项为空"),
])
def test_bad_line_is_refused_with_its_message_and_nothing_is_written(
        service, manager, suppliers, uow_factory, bad, field, message):
    before = counts(uow_factory)
    good = line(row=1, key=COLD, lot="C1", quantity="2", price="7.20")
    bad = LineInput(**{**{f: getattr(bad, f) for f in bad.__slots__}, "row": 2})
    with pytest.raises(ValidationFailed) as refused:
        receive(service, manager, suppliers, [good, bad])
    assert "未保存任何内容" in refused.value.message
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, field)]
    assert message in refused.value.problems[0].message
    assert counts(uow_factory) == before


def test_duplicate_lines_are_refused_naming_the_first(service, manager, suppliers, uow_factory):
    before = counts(uow_factory)
    with pytest.raises(ValidationFailed) as refused:
        receive(service, manager, suppliers, [
            line(1, AMOX, "A1"), line(2, COLD, "C1"), line(3, AMOX, "a1", quantity="2")])
    [problem] = refused.value.problems
    assert (problem.row, problem.field) == (3, "批号")
    assert "与第 1 行重复" in problem.message
    assert counts(uow_factory) == before


def test_every_problem_of_a_delivery_is_listed_at_once(service, manager, suppliers,
                                                        uow_factory):
    receive(service, manager, suppliers, [line()], note="SH-7")
    before = counts(uow_factory)
    with pytest.raises(ValidationFailed) as refused:
        receive(service, manager, suppliers, [
            line(1, "nope"), line(2, expiry="2026-01-01"), line(3, COLD, quantity="x")],
            note="SH-7")
    problems = [(p.row, p.field) for p in refused.value.problems]
    assert problems == [(None, "随货单号"), (1, "商品"), (2, "有效期至"), (3, "数量")]
    assert "已于" in refused.value.problems[0].message  # the note was received before
    assert counts(uow_factory) == before


def test_control_characters_in_the_delivery_note_number_are_refused(
        service, manager, suppliers, uow_factory):
    # PostgreSQL cannot store a NUL; a damaged file must not get as far as the database.
    before = counts(uow_factory)
    with pytest.raises(ValidationFailed) as refused:
        receive(service, manager, suppliers, [line()], note="SH-\x008")
    [problem] = refused.value.problems
    assert (problem.row, problem.field) == (None, "随货单号")
    assert "控制字符" in problem.message
    assert counts(uow_factory) == before


def test_a_delivery_without_lines_is_refused(service, manager, suppliers):
    with pytest.raises(ValidationFailed) as refused:
        receive(service, manager, suppliers, [])
    assert "没有商品行" in str(refused.value.problems[0])


def test_only_staff_who_receive_goods_may_receive(service, staff, suppliers):
    with pytest.raises(PermissionDenied):
        receive(service, staff[Role.CASHIER], suppliers, [line()])


def test_the_command_line_must_name_a_receiver_who_may_receive(
        service, system_actor, suppliers, manager, staff, uow_factory):
    with pytest.raises(DomainError, match="请指定收货人"):
        receive(service, system_actor, suppliers, [line()])
    with pytest.raises(PermissionDenied):
        receive(service, system_actor, suppliers, [line()], receiver="cashier")
    result = receive(service, system_actor, suppliers, [line()], receiver="store.manager")
    with uow_factory(readonly=True) as uow:
        assert uow.session.get(Delivery, result.delivery_id).received_by == manager.user_id


# -- acceptance --------------------------------------------------------------------------


def test_inv_2_accepted_units_become_sellable(service, manager, inspector, suppliers,
                                              uow_factory, store, catalogue):
    received = receive(service, manager, suppliers, [line(1, AMOX, quantity="5"),
                                                     line(2, COLD, "C1", quantity="3")])
    pending = service.pending(inspector)
    assert [(p.line_id, p.doc_no, p.units, p.quantity_text) for p in pending] == [
        (received.line_ids[0], received.doc_no, 120, "5盒"),
        (received.line_ids[1], received.doc_no, 30, "3盒")]
    before = counts(uow_factory)
    result = service.accept(inspector, [LineDecision(p.line_id, p.units) for p in pending])
    assert (result.lines, result.accepted_units, result.rejected_units,
            result.return_doc_nos) == (2, 150, 0, ())
    assert service.pending(inspector) == []
    assert batch_of(uow_factory, received.line_ids[0]) == (BatchStatus.SELLABLE, 120)
    # No stock moved: acceptance changes status only (two events, two acceptances).
    after = counts(uow_factory)
    assert after[3] == before[3] and after[4] == before[4] + 2 and after[7] == before[7] + 2
    with uow_factory(readonly=True) as uow:
        stock = uow.batches.sellable_stock(catalogue[AMOX], store.id)
        events = {(e.from_status, e.to_status, e.by_user, e.doc_no)
                  for e in uow.session.scalars(select(BatchStatusEvent))}
    assert pick_fefo(stock, 24, today=TODAY, near_expiry_days=30).units == 24
    assert events == {
        (BatchStatus.AWAITING_ACCEPTANCE, BatchStatus.SELLABLE, inspector.user_id,
         received.doc_no)}


def test_inv_2_partial_acceptance_returns_the_rejected_units_to_the_supplier(
        service, manager, inspector, suppliers, uow_factory):
    received = receive(service, manager, suppliers, [line(1, AMOX, quantity="5")])
    line_id = received.line_ids[0]
    result = service.accept(inspector, [LineDecision(line_id, 2 * 24, "外包装破损 3 盒")])
    assert (result.accepted_units, result.rejected_units) == (48, 72)
    assert result.return_doc_nos == ("CT-H11010500001-20261101-0001",)
    assert batch_of(uow_factory, line_id) == (BatchStatus.SELLABLE, 48)
    with uow_factory(readonly=True) as uow:
        document = uow.session.scalars(select(PurchaseReturn)).one()
        assert (document.delivery_id, document.supplier_id, document.operator_id,
                document.reason) == (received.delivery_id, suppliers["good"],
                                     inspector.user_id, "验收拒收: 外包装破损 3 盒")
        return_line = uow.session.scalars(select(PurchaseReturnLine)).one()
        entry = uow.session.get(LedgerEntry, return_line.ledger_entry_id)
        assert (entry.entry_type, entry.quantity, entry.amount, entry.doc_no) == (
            LedgerEntryType.PURCHASE_RETURN, -72, Decimal("-28.80"), document.doc_no)
        acceptance = uow.session.scalars(select(Acceptance)).one()
        assert (acceptance.accepted_units, acceptance.rejected_units,
                acceptance.inspector_id) == (48, 72, inspector.user_id)


def test_inv_2_a_line_rejected_whole_is_locked_and_leaves_stock(
        service, manager, inspector, suppliers, uow_factory):
    received = receive(service, manager, suppliers, [line(1, AMOX, quantity="5"),
                                                     line(2, COLD, "C1", quantity="3")])
    first, second = received.line_ids
    result = service.accept(inspector, [LineDecision(first, 0, "批号与随货单不符"),
                                        LineDecision(second, 30)])
    assert result.rejected_units == 120 and len(result.return_doc_nos) == 1
    assert batch_of(uow_factory, first) == (BatchStatus.LOCKED, 0)
    assert batch_of(uow_factory, second) == (BatchStatus.SELLABLE, 30)


def test_inv_2_each_reason_gets_its_own_return(service, manager, inspector, suppliers):
    received = receive(service, manager, suppliers, [
        line(1, AMOX, "A1"), line(2, AMOX, "A2"), line(3, COLD, "C1")])
    a, b, c = received.line_ids
    result = service.accept(inspector, [LineDecision(a, 0, "破损"), LineDecision(b, 24, "破损"),
                                        LineDecision(c, 0, "无检验报告")])
    assert len(result.return_doc_nos) == 2


def test_inv_2_a_rejection_needs_a_reason(service, manager, inspector, suppliers, uow_factory):
    received = receive(service, manager, suppliers, [line()])
    before = counts(uow_factory)
    with pytest.raises(DomainError, match="请填写拒收原因") as refused:
        service.accept(inspector, [LineDecision(received.line_ids[0], 24, "  ")])
    assert refused.value.rule_id == "INV-2"
    assert counts(uow_factory) == before


def test_inv_2_the_inspector_may_not_accept_a_delivery_they_received(
        service, inspector, suppliers, uow_factory):
    received = receive(service, inspector, suppliers, [line()])
    before = counts(uow_factory)
    with pytest.raises(DomainError) as refused:
        service.accept(inspector, [LineDecision(received.line_ids[0], 120)])
    assert refused.value.rule_id == "INV-2"
    assert f"{received.doc_no} 由您本人收货" in refused.value.message
    assert "收货与质量验收由不同人员完成" in refused.value.message
    assert counts(uow_factory) == before
    assert batch_of(uow_factory, received.line_ids[0]) == (BatchStatus.AWAITING_ACCEPTANCE, 120)


def test_only_a_quality_inspector_accepts(service, manager, suppliers, staff, system_actor):
    received = receive(service, manager, suppliers, [line()])
    for actor in (manager, staff[Role.PHARMACIST]):
        with pytest.raises(PermissionDenied):
            service.accept(actor, [LineDecision(received.line_ids[0], 120)])
    with pytest.raises(DomainError, match="本人登录"):
        service.accept(system_actor, [LineDecision(received.line_ids[0], 120)])


def test_a_line_is_decided_once(service, manager, inspector, suppliers, uow_factory):
    received = receive(service, manager, suppliers, [line()])
    service.accept(inspector, [LineDecision(received.line_ids[0], 120)])
    before = counts(uow_factory)
    with pytest.raises(DomainError, match="已验收，不能重复验收"):
        service.accept(inspector, [LineDecision(received.line_ids[0], 0, "误操作")])
    assert counts(uow_factory) == before


@pytest.mark.parametrize(("accepted", "message"), [
    (121, "超出到货数量"), (-1, "超出到货数量"),
])
def test_accepted_quantity_must_fit_the_line(service, manager, inspector, suppliers,
                                             accepted, message):
    received = receive(service, manager, suppliers, [line()])
    with pytest.raises(DomainError, match=message):
        service.accept(inspector, [LineDecision(received.line_ids[0], accepted, "x")])


def test_a_whole_pack_product_is_accepted_in_whole_packs(service, manager, inspector,
                                                         suppliers, uow_factory):
    received = receive(service, manager, suppliers, [line(1, COLD, "C1", quantity="3")])
    with pytest.raises(DomainError, match="合格数量须为整盒"):
        service.accept(inspector, [LineDecision(received.line_ids[0], 15, "破损")])
    assert batch_of(uow_factory, received.line_ids[0]) == (BatchStatus.AWAITING_ACCEPTANCE, 30)


def test_goods_that_expired_while_waiting_cannot_be_accepted(
        service, manager, inspector, suppliers, clock, uow_factory):
    received = receive(service, manager, suppliers, [line(expiry="2026-11-02")])
    clock.advance(days=2)
    with pytest.raises(DomainError, match="不能验收合格，请拒收"):
        service.accept(inspector, [LineDecision(received.line_ids[0], 120)])
    result = service.accept(inspector, [LineDecision(received.line_ids[0], 0, "已过期")])
    assert result.rejected_units == 120
    assert batch_of(uow_factory, received.line_ids[0]) == (BatchStatus.LOCKED, 0)


def test_a_failed_decision_saves_none_of_the_others(service, manager, inspector, suppliers,
                                                    uow_factory):
    received = receive(service, manager, suppliers, [line(1, AMOX), line(2, COLD, "C1")])
    before = counts(uow_factory)
    with pytest.raises(DomainError):
        service.accept(inspector, [LineDecision(received.line_ids[0], 0, "破损"),
                                   LineDecision(received.line_ids[1], 7, "")])
    assert counts(uow_factory) == before
    assert len(service.pending(inspector)) == 2


# -- purchase returns later --------------------------------------------------------------


def test_inv_7_a_purchase_return_later_takes_units_back_to_the_supplier(
        service, manager, inspector, suppliers, uow_factory, staff):
    received = receive(service, manager, suppliers, [line(quantity="5")])
    line_id = received.line_ids[0]
    service.accept(inspector, [LineDecision(line_id, 120)])
    result = service.return_to_supplier(manager, line_id, 48, "厂家召回（批号 A2611）")
    assert result.doc_no == "CT-H11010500001-20261101-0001"
    assert (result.units, result.amount) == (48, Decimal("19.20"))
    assert batch_of(uow_factory, line_id) == (BatchStatus.SELLABLE, 72)
    with uow_factory(readonly=True) as uow:
        document = uow.session.scalars(select(PurchaseReturn)).one()
        assert (document.delivery_id, document.reason, document.operator_id) == (
            received.delivery_id, "厂家召回（批号 A2611）", manager.user_id)
        assert [r.action for r in uow.audit.by_action("purchase_return.add")] == [
            "purchase_return.add"]

    with pytest.raises(DomainError, match="现有库存 3盒，不能退 96粒"):
        service.return_to_supplier(manager, line_id, 96, "召回")
    with pytest.raises(DomainError, match="请填写退货原因"):
        service.return_to_supplier(manager, line_id, 24, " ")
    with pytest.raises(PermissionDenied):
        service.return_to_supplier(staff[Role.CASHIER], line_id, 24, "召回")


def test_a_line_awaiting_acceptance_is_rejected_there_not_returned(
        service, manager, suppliers, uow_factory):
    received = receive(service, manager, suppliers, [line()])
    with pytest.raises(DomainError, match="尚待验收") as refused:
        service.return_to_supplier(manager, received.line_ids[0], 24, "召回")
    assert refused.value.rule_id == "INV-2"
    assert batch_of(uow_factory, received.line_ids[0]) == (BatchStatus.AWAITING_ACCEPTANCE, 120)
