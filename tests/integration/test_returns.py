"""Returns and refunds (SALE-7): a second person approves; stock and money go back."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from pharmacy_pos.db.models import LedgerEntry, OutboxMessage, Sale, SaleLine
from pharmacy_pos.domain.errors import AuthenticationFailed, DomainError, NotFound
from pharmacy_pos.domain.policy import IdentityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.services.identity import IdentityService
from tests.cards import card
from tests.conftest import STAFF_PASSWORD
from tests.till_world import COLD_GRANULES, MASKS

TRACE = "81234560000000000009"


def _cash_sale(sales, cashier, *scans, tendered=None):
    cart = sales.new_cart(cashier)
    for code in scans:
        sales.scan(cashier, cart, code)
    return sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=tendered)


def _balance(uow_factory, batch_id) -> int:
    with uow_factory(readonly=True) as uow:
        return uow.ledger.balance_of(batch_id)


def test_sale_7_a_return_needs_a_manager_and_puts_stock_back_into_its_batch(
        sales, returns, cashier, world, uow_factory):
    sold = _cash_sale(sales, cashier, COLD_GRANULES, COLD_GRANULES, MASKS)
    batch = world.batches[COLD_GRANULES][0]
    assert _balance(uow_factory, batch) == 280
    found = returns.find(cashier, sold.doc_no.lower())
    granules = next(line for line in found.lines if line.item_code == "P002")
    back = returns.return_items(cashier, sold.doc_no, {granules.line_id: 10},
                                reason="顾客买重了", approver="store.manager",
                                approver_password=STAFF_PASSWORD)
    assert back.doc_no.startswith("TH-") and back.refund_total == Decimal("12.00")
    assert back.cash_refund == Decimal("12.00") and back.refund_method is PaymentMethod.CASH
    assert _balance(uow_factory, batch) == 290
    with uow_factory(readonly=True) as uow:
        entry = uow.session.scalars(select(LedgerEntry).where(
            LedgerEntry.doc_no == back.doc_no)).one()
        assert (entry.entry_type, entry.quantity, entry.batch_id) == ("sale_return", 10, batch)
        slip = uow.sales.by_doc_no(back.doc_no)
        original_line = uow.session.get(SaleLine, slip.lines[0].original_line_id)
        assert original_line.sale_id == sold.sale_id
        assert [a.ledger_entry_id for a in slip.lines[0].allocations] == [entry.id]
        assert (slip.kind, slip.original_sale_id) == ("return", sold.sale_id)
        assert slip.approved_by_id is not None and slip.reason == "顾客买重了"
        assert [json.loads(r.detail)["approved_by"]
                for r in uow.audit.by_action("sale.return")] == ["store.manager"]
        assert [m.infno for m in uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.infno.in_(("3505", "3506"))))] == ["3505", "3506"]
    again = returns.find(cashier, sold.doc_no)
    assert next(line for line in again.lines
                if line.item_code == "P002").returnable_units == 10
    assert again.earlier_returns == (back.doc_no,)


def test_sale_7_the_cashier_cannot_approve_and_a_cashier_is_not_an_approver(
        sales, returns, cashier, staff, user_service, system_actor, uow_factory):
    sold = _cash_sale(sales, cashier, MASKS)
    line = returns.find(cashier, sold.doc_no).lines[0]
    with pytest.raises(DomainError) as refused:
        returns.return_items(cashier, sold.doc_no, {line.line_id: 1}, reason="质量问题",
                             approver="cashier", approver_password=STAFF_PASSWORD)
    assert refused.value.rule_id == "SALE-7"
    user_service.add_user(system_actor, username="boss", display_name="店长兼收银",
                          password=STAFF_PASSWORD, roles=[Role.STORE_MANAGER, Role.CASHIER])
    manager = user_service.authenticate("boss", STAFF_PASSWORD, terminal_id="T01")
    with pytest.raises(DomainError) as own:
        returns.return_items(manager, sold.doc_no, {line.line_id: 1}, reason="质量问题",
                             approver="boss", approver_password=STAFF_PASSWORD)
    assert own.value.rule_id == "SALE-7" and "不能自己审批" in str(own.value)
    with pytest.raises(AuthenticationFailed):
        returns.return_items(cashier, sold.doc_no, {line.line_id: 1}, reason="质量问题",
                             approver="store.manager", approver_password="wrong-password")
    with uow_factory(readonly=True) as uow:
        assert uow.session.scalars(select(Sale).where(Sale.kind == "return")).all() == []


def test_partial_returns_add_up_to_the_line_and_never_exceed_it(sales, returns, cashier,
                                                                 world):
    sold = _cash_sale(sales, cashier, COLD_GRANULES, COLD_GRANULES, COLD_GRANULES)
    line = returns.find(cashier, sold.doc_no).lines[0]
    parts = []
    for units in (10, 10, 10):
        parts.append(returns.return_items(
            cashier, sold.doc_no, {line.line_id: units}, reason="退货",
            approver="store.manager", approver_password=STAFF_PASSWORD).refund_total)
    assert sum(parts) == sold.total == Decimal("36.00")
    with pytest.raises(DomainError, match="最多可退 0"):
        returns.return_items(cashier, sold.doc_no, {line.line_id: 1}, reason="退货",
                             approver="store.manager", approver_password=STAFF_PASSWORD)
    assert returns.find(cashier, sold.doc_no).fully_returned


def test_sale_7_an_insurance_refund_reverses_the_settlement(sales, returns, cashier,
                                                            uow_factory, clock, sim):
    identity = IdentityService(uow_factory, clock, IdentityPolicy())
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    identity.verify_document(cashier, check.read_id, id_number=record.ssn, name=record.name,
                             record=record)
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.scan(cashier, cart, MASKS)
    sales.attach_insured(cashier, cart, identity.settlement_identity(
        cashier, read_id=check.read_id))
    before = sim.person_info(record.ssn)
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)
    assert sim.person_info(record.ssn).balc < before.balc
    found = returns.find(cashier, sold.doc_no)
    assert found.insured
    first = found.lines[0]
    with pytest.raises(DomainError, match="整单退货") as partial:
        returns.return_items(cashier, sold.doc_no, {first.line_id: first.sold_units},
                             reason="退货", approver="store.manager",
                             approver_password=STAFF_PASSWORD)
    assert partial.value.rule_id == "SALE-7"
    back = returns.return_items(
        cashier, sold.doc_no, {line.line_id: line.sold_units for line in found.lines},
        reason="医生改方", approver="store.manager", approver_password=STAFF_PASSWORD)
    after = sim.person_info(record.ssn)
    assert after.balc == before.balc
    assert after.fund_paid_this_year == before.fund_paid_this_year
    assert back.fund_returned == sold.fund_pay and back.acct_returned == sold.acct_pay
    assert back.cash_refund == sold.cash_pay
    assert back.refund_total == sold.total


def test_a_returned_box_can_be_sold_again(sales, returns, cashier):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.scan(cashier, cart, TRACE)
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    line = returns.find(cashier, sold.doc_no).lines[0]
    returns.return_items(cashier, sold.doc_no, {line.line_id: 10}, reason="未拆封退回",
                         approver="store.manager", approver_password=STAFF_PASSWORD)
    again = sales.new_cart(cashier)
    sales.scan(cashier, again, COLD_GRANULES)
    sales.scan(cashier, again, TRACE)
    assert again.lines[0].trace_codes == [TRACE]


def test_unknown_receipt_number(returns, cashier):
    with pytest.raises(NotFound, match="找不到销售单"):
        returns.find(cashier, "XS-NOPE")
