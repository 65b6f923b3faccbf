"""Ringing and paying sales through the sale service: rules RX and SALE at the till.

Each test is named after the rule it proves. Database tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from pharmacy_pos.db.models import (
    LedgerEntry,
    OutboxMessage,
    Sale,
    SaleAllocation,
    SaleFlag,
    SalePayment,
    Terminal,
)
from pharmacy_pos.domain.errors import (
    DomainError,
    EnvironmentFault,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from pharmacy_pos.domain.policy import IdentityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.rules import rule_ids
from pharmacy_pos.domain.sale import PaymentMethod, RefusalReason, ReviewDecision
from pharmacy_pos.insurance.ports import AgreementStatus, InsurerRefused
from pharmacy_pos.paths import resource
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.sales import SaleService
from tests.cards import BUYER_SSN, card
from tests.till_world import (
    AMLODIPINE,
    AMOXICILLIN,
    COLD_GRANULES,
    CONTAC,
    EXPIRED_ONLY,
    MASKS,
    paper_prescription,
)

TRACE_1 = "81234560000000000001"
TRACE_2 = "81234560000000000002"


@pytest.fixture
def identity(uow_factory, clock) -> IdentityService:
    return IdentityService(uow_factory, clock, IdentityPolicy())


def _insured(identity, cashier):
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    identity.verify_document(cashier, check.read_id, id_number=record.ssn, name=record.name,
                             record=record)
    return identity.settlement_identity(cashier, read_id=check.read_id)


def _count(uow_factory, model) -> int:
    with uow_factory(readonly=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def _balance(uow_factory, batch_id) -> int:
    with uow_factory(readonly=True) as uow:
        return uow.ledger.balance_of(batch_id)


# --- ringing ---------------------------------------------------------------------------

def test_scan_adds_a_pack_and_a_second_scan_adds_another(sales, cashier):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES + "\n")
    sales.scan(cashier, cart, COLD_GRANULES)
    assert len(cart.lines) == 1
    assert cart.lines[0].quantity == 20
    assert cart.total == Decimal("24.00")
    assert cart.findings == []


def test_unknown_barcode_is_refused_with_the_code_and_the_cart_is_unchanged(sales, cashier):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    with pytest.raises(NotFound, match="未知条码“6900000000000”"):
        sales.scan(cashier, cart, "6900000000000")
    assert [line.product.item_code for line in cart.lines] == ["P003"]


@pytest.mark.parametrize("typed", ["0", "-1", "abc", "100000", "1.5"])
def test_sale_2_bad_quantities_are_refused_and_the_line_keeps_its_quantity(sales, cashier,
                                                                            typed):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    with pytest.raises(DomainError):
        sales.set_quantity(cashier, cart, 0, typed)
    assert cart.lines[0].quantity == 10


def test_split_units_where_splitting_is_allowed(sales, cashier, world):
    cart = sales.new_cart(cashier)
    sales.add_product(cashier, cart, world.products[AMOXICILLIN], "12", "unit")
    assert cart.lines[0].quantity == 12
    assert cart.lines[0].amount == Decimal("9.25")


def test_sale_3_a_price_typed_by_hand_is_refused(sales, cashier):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    with pytest.raises(DomainError, match="不能手工改价") as refused:
        sales.set_price(cashier, cart, 0, "4.00")
    assert refused.value.rule_id == "SALE-3"
    assert cart.total == Decimal("5.00")


def test_sale_5_fefo_near_expiry_warns_and_expired_stock_is_never_sold(sales, cashier, world,
                                                                          uow_factory):
    cart = sales.new_cart(cashier)
    sales.add_product(cashier, cart, world.products[AMOXICILLIN], "3")
    first, later = world.batches[AMOXICILLIN]
    # 2 packs from the batch expiring 2026-11-20 first, the third from the later one.
    assert [(a.batch_id, a.units) for a in cart.lines[0].picking.allocations] == [
        (first, 48), (later, 24)]
    assert "SALE-5" in rule_ids(cart.findings)
    assert not any(f.blocks for f in cart.findings if f.rule_id == "SALE-5")
    sales.scan(cashier, cart, EXPIRED_ONLY)
    blocking = [f for f in cart.findings if f.blocks and f.item_code == "P005"]
    assert rule_ids(blocking) == ["SALE-5"]
    assert "已过期" in blocking[0].message
    assert rule_ids(f for f in cart.findings if f.blocks and f.item_code == "P001") == ["RX-1"]


def test_rx_1_a_prescription_drug_without_prescription_blocks(sales, cashier):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, AMOXICILLIN)
    assert "RX-1" in rule_ids(f for f in cart.findings if f.blocks)
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert refused.value.rule_id == "RX-1"


def test_rx_12_ephedrine_needs_the_buyer_id_and_at_most_two_packs(sales, cashier):
    cart = sales.new_cart(cashier)
    for _ in range(3):
        sales.scan(cashier, cart, CONTAC)
    blocking = [f.message for f in cart.findings if f.blocks]
    assert any("身份证" in m for m in blocking)
    assert any("最多销售 2" in m for m in blocking)
    sales.record_buyer_id(cashier, cart, BUYER_SSN)
    sales.set_quantity(cashier, cart, 0, "2")
    assert not any(f.blocks for f in cart.findings)
    sale = sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=Decimal("50"))
    assert sale.tender.change == Decimal("6.00")


# --- paying cash ------------------------------------------------------------------------

def test_a_cash_sale_is_written_whole(sales, cashier, world, uow_factory, policy):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.scan(cashier, cart, MASKS)
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=Decimal("20"))
    assert sold.doc_no.endswith("-20261101-00001")
    assert (sold.total, sold.fund_pay, sold.acct_pay, sold.cash_pay) == (
        Decimal("17.00"), 0, 0, Decimal("17.00"))
    assert sold.tender.change == Decimal("3.00")
    with uow_factory(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale.policy_version == policy.version
        assert [(line.item_code, line.quantity) for line in sale.lines] == [
            ("P002", 10), ("P003", 1)]
        entries = uow.session.scalars(select(LedgerEntry).where(
            LedgerEntry.doc_no == sold.doc_no)).all()
        assert sorted(e.quantity for e in entries) == [-10, -1]
        allocations = uow.session.scalars(select(SaleAllocation)).all()
        assert {a.ledger_entry_id for a in allocations} == {e.id for e in entries}
        payments = uow.session.scalars(select(SalePayment)).all()
        assert [(p.method, p.amount, p.tendered, p.change) for p in payments] == [
            ("cash", Decimal("17.00"), Decimal("20.00"), Decimal("3.00"))]
        outbox = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.infno.in_(("3505", "3506")))).all()
        assert [(m.infno, m.doc_no) for m in outbox] == [("3505", sold.doc_no)]
        upload = json.loads(outbox[0].payload)
        # The masks (daily goods, no national code) are not reported (INV-6).
        assert [i["fixmedins_hilist_id"] for i in upload["rows"]] == ["P002"]
        assert all(i["fixmedins_bchno"].startswith("3505-") for i in upload["rows"])
        assert [r.action for r in uow.audit.by_action("sale.complete")] == ["sale.complete"]
    assert _balance(uow_factory, world.batches[COLD_GRANULES][0]) == 290


def test_a_second_click_on_pay_commits_nothing_twice(sales, cashier, uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    first = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    again = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert again.doc_no == first.doc_no and again.repeated
    assert _count(uow_factory, Sale) == 1
    with uow_factory(readonly=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.doc_no == first.doc_no)) == 1


def test_sale_6_receipt_numbers_are_gapless_per_day(sales, cashier):
    numbers = []
    for _ in range(3):
        cart = sales.new_cart(cashier)
        sales.scan(cashier, cart, MASKS)
        numbers.append(sales.complete(cashier, cart, method=PaymentMethod.CASH).doc_no)
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003"]


def test_cash_short_of_the_amount_due_is_refused_and_nothing_is_written(sales, cashier,
                                                                         uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    with pytest.raises(DomainError, match="少于应收"):
        sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=Decimal("10"))
    assert _count(uow_factory, Sale) == 0


def test_stock_sold_by_another_terminal_meanwhile_is_picked_again_inside_the_sale(
        sales, cashier, world, uow_factory):
    cart = sales.new_cart(cashier)
    sales.add_product(cashier, cart, world.products[CONTAC], "2")
    other = sales.new_cart(cashier)
    sales.add_product(cashier, other, world.products[CONTAC], "2")
    sales.record_buyer_id(cashier, cart, BUYER_SSN)
    sales.record_buyer_id(cashier, other, BUYER_SSN)
    # Leave exactly 2 packs, then sell them at the other "terminal" first.
    third = sales.new_cart(cashier)
    sales.record_buyer_id(cashier, third, BUYER_SSN)
    for _ in range(4):
        sales.add_product(cashier, third, world.products[CONTAC], "2")
        sales.complete(cashier, third, method=PaymentMethod.CASH)
        third = sales.new_cart(cashier)
        sales.record_buyer_id(cashier, third, BUYER_SSN)
    sales.complete(cashier, other, method=PaymentMethod.CASH)
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert refused.value.rule_id == "SALE-5"
    assert _balance(uow_factory, world.batches[CONTAC][0]) == 0


def test_trace_codes_are_recorded_and_a_code_already_sold_is_refused(sales, cashier,
                                                                      uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.scan(cashier, cart, TRACE_1)
    with pytest.raises(DomainError, match="扫描过"):
        sales.scan(cashier, cart, TRACE_1)
    with pytest.raises(DomainError, match="只有 1 盒"):
        sales.scan(cashier, cart, TRACE_2)
    sales.complete(cashier, cart, method=PaymentMethod.CASH)
    again = sales.new_cart(cashier)
    sales.scan(cashier, again, COLD_GRANULES)
    with pytest.raises(DomainError, match="售出"):
        sales.scan(cashier, again, TRACE_1)
    assert again.lines[0].trace_codes == []


def test_a_box_scanned_at_two_terminals_is_sold_once(sales, cashier, identity, sim,
                                                    uow_factory):
    # Both tills checked the code while neither had sold it; the database decides.
    first, second = sales.new_cart(cashier), sales.new_cart(cashier)
    for cart in (first, second):
        sales.scan(cashier, cart, COLD_GRANULES)
        sales.scan(cashier, cart, TRACE_2)
    sales.attach_insured(cashier, second, _insured(identity, cashier))
    balance = sim.person_info(card().ssn).balc
    sales.complete(cashier, first, method=PaymentMethod.CASH)
    with pytest.raises(DomainError, match="其他终端售出"):
        sales.complete(cashier, second, method=PaymentMethod.CASH, self_pay_consent=True)
    assert _count(uow_factory, Sale) == 1
    assert sim.person_info(card().ssn).balc == balance  # its settlement was cancelled


# --- prescriptions and review -----------------------------------------------------------

def _rx_cart(sales, cashier, world, clock, units="24", **rx):
    cart = sales.new_cart(cashier)
    sales.add_product(cashier, cart, world.products[AMOXICILLIN], units, "unit")
    document = paper_prescription([("P001", 24, 4)], issue_date=clock.today(), **rx)
    sales.submit_prescription(cashier, cart, document)
    return cart


def test_rx_2_a_prescription_sale_waits_for_the_pharmacists_signature(
        sales, cashier, pharmacist, world, clock, uow_factory):
    cart = _rx_cart(sales, cashier, world, clock)
    with pytest.raises(DomainError, match="审核签字") as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert refused.value.rule_id == "RX-2"
    queue = sales.review_queue(pharmacist)
    assert [(e.prescription_id, e.decision) for e in queue] == [
        (cart.review.prescription_id, ReviewDecision.PENDING)]
    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    sales.refresh_review(cashier, cart)
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    with uow_factory(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale.prescription_id == cart.review.prescription_id
        review = uow.sales.review_of(sale.prescription_id)
        assert (review.decision, review.reviewer_qualification_no) == ("approved", "ZY0001")


def test_rx_2_the_cashier_cannot_sign_their_own_sale(sales, staff, world, clock,
                                                     user_service, system_actor):
    user_service.add_user(system_actor, username="both", display_name="双岗",
                          password="Passw0rd2026", roles=[Role.CASHIER, Role.PHARMACIST],
                          qualification_no="ZY0002")
    both = user_service.authenticate("both", "Passw0rd2026", terminal_id="T01")
    cart = _rx_cart(sales, both, world, clock)
    with pytest.raises(DomainError, match="不能是本单收银员") as refused:
        sales.decide(both, cart.review.prescription_id, approve=True)
    assert refused.value.rule_id == "RX-2"


def test_rx_2_only_a_pharmacist_can_sign(sales, cashier, staff, world, clock):
    cart = _rx_cart(sales, cashier, world, clock)
    with pytest.raises(PermissionDenied):
        sales.decide(staff[Role.STORE_MANAGER], cart.review.prescription_id, approve=True)


def test_rx_2_a_pharmacist_needs_a_qualification_number_to_exist(user_service, system_actor):
    # The review's own qualification check backs this up for accounts made otherwise.
    with pytest.raises(DomainError, match="资格证号"):
        user_service.add_user(system_actor, username="noqual", display_name="无证药师",
                              password="Passw0rd2026", roles=[Role.PHARMACIST])


def test_rx_2_changing_the_prescription_drugs_after_review_needs_a_new_review(
        sales, cashier, pharmacist, world, clock):
    cart = _rx_cart(sales, cashier, world, clock, units="12")
    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    sales.refresh_review(cashier, cart)
    sales.set_quantity(cashier, cart, 0, "24", "unit")
    assert any(f.rule_id == "RX-2" and f.blocks for f in cart.findings)


def test_rx_2_a_prescription_is_decided_once(sales, cashier, pharmacist, world, clock):
    cart = _rx_cart(sales, cashier, world, clock)
    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    with pytest.raises(DomainError, match="不能重复审核"):
        sales.decide(pharmacist, cart.review.prescription_id, approve=False,
                     reason=RefusalReason.OVERDOSE)


def test_rx_5_a_refusal_for_incompatibility_blocks_the_sale(sales, cashier, pharmacist,
                                                            world, clock, uow_factory):
    cart = _rx_cart(sales, cashier, world, clock)
    with pytest.raises(DomainError, match="须选择原因"):
        sales.decide(pharmacist, cart.review.prescription_id, approve=False)
    sales.decide(pharmacist, cart.review.prescription_id, approve=False,
                 reason=RefusalReason.INCOMPATIBILITY, note="与头孢类同用")
    sales.refresh_review(cashier, cart)
    blocking = [f for f in cart.findings if f.blocks]
    assert rule_ids(blocking) == ["RX-5"]
    assert "配伍禁忌" in blocking[0].message and "重新签字" in blocking[0].message
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert refused.value.rule_id == "RX-5"
    with uow_factory(readonly=True) as uow:
        refused_audit = uow.audit.by_action("prescription.refused")
        assert json.loads(refused_audit[0].detail)["rule_id"] == "RX-5"


def test_rx_8_an_expired_prescription_blocks(sales, cashier, world, clock):
    cart = _rx_cart(sales, cashier, world, clock)
    cart.document = paper_prescription([("P001", 24, 4)],
                                       issue_date=clock.today() - timedelta(days=5))
    sales.refresh_review(cashier, cart)
    assert "RX-8" in rule_ids(f for f in cart.findings if f.blocks)


def test_rx_4_more_than_prescribed_blocks(sales, cashier, world, clock):
    cart = _rx_cart(sales, cashier, world, clock, units="48")
    assert "RX-4" in rule_ids(f for f in cart.findings if f.blocks)


def test_the_review_queue_shows_what_will_be_dispensed(sales, cashier, pharmacist, world,
                                                       clock):
    cart = _rx_cart(sales, cashier, world, clock)
    detail = sales.review_detail(pharmacist, cart.review.prescription_id)
    assert detail.dispense == (("P001", cart.lines[0].product.name, 24),)
    assert detail.items[0][:3] == ("P001", "阿莫仙（阿莫西林胶囊）", 24)  # named from the cart
    assert detail.findings == ()


def test_an_electronic_prescription_file_is_read_against_the_catalogue(sales, cashier):
    # The example prescribes amlodipine (in this store) and valsartan (not listed here).
    with pytest.raises(ValidationFailed) as refused:
        sales.import_eprescription(
            cashier, resource("demo", "eprescription-example.json").read_bytes())
    assert [p.field for p in refused.value.problems] == ["items[1].med_list_codg"]
    assert "XC09CAA089A002120108655" in refused.value.problems[0].message


# --- insurance ----------------------------------------------------------------------------

def test_sale_1_a_mixed_basket_is_split_and_insurance_pays_only_eligible_lines(
        sales, cashier, identity, uow_factory, sim):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.scan(cashier, cart, MASKS)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    assert [f.rule_id for f in cart.findings] == ["SALE-1"]
    split = sales.pre_settle(cashier, cart)
    masks = next(line for line in split.lines if line.item_code == "P003")
    assert masks.fund_pay == masks.acct_pay == 0 and masks.cash_pay == Decimal("5.00")
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH)
    assert refused.value.rule_id == "SALE-10"
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True,
                          tendered=Decimal("10"))
    assert sold.fund_pay + sold.acct_pay + sold.cash_pay == sold.total == Decimal("17.00")
    assert sold.setl_id
    with uow_factory(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale.self_pay_consent and sale.setl_id == sold.setl_id
        assert sale.insured_ssn == card().ssn
        lines = {line.item_code: line for line in sale.lines}
        assert lines["P003"].self_paid and lines["P003"].fund_pay == 0
        methods = sorted(p.method for p in sale.payments)
    assert "cash" in methods and ("fund" in methods or "account" in methods)


def test_sale_2_no_change_from_insurance_money(sales, cashier, identity):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    split = sales.pre_settle(cashier, cart)
    # Only the 乙类 share (10 % of 12.00) is the buyer's to pay outside insurance.
    assert split.psn_cash_pay == Decimal("1.20")
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.WECHAT, tendered=Decimal("5"),
                       self_pay_consent=True)
    assert refused.value.rule_id == "SALE-2"
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=Decimal("5"),
                          self_pay_consent=True)
    # Change comes out of the cash handed over, never out of fund or account money.
    assert sold.tender.change == Decimal("3.80")
    assert sold.fund_pay + sold.acct_pay == Decimal("10.80")


def test_sale_4_no_gift_cards_on_insurance_purchases(sales, cashier, identity):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.GIFT_CARD, self_pay_consent=True)
    assert refused.value.rule_id == "SALE-4"
    cash_cart = sales.new_cart(cashier)
    sales.scan(cashier, cash_cart, MASKS)
    assert sales.complete(cashier, cash_cart, method=PaymentMethod.GIFT_CARD).doc_no


def test_sale_8_no_insurance_settlement_while_the_agreement_is_suspended(
        sales, cashier, identity, sim, uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    sim.set_agreement(AgreementStatus.SUSPENDED)
    with pytest.raises(InsurerRefused) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)
    assert refused.value.rule_id == "SALE-8"
    assert _count(uow_factory, Sale) == 0


def test_sale_9_a_terminal_bound_to_another_store_cannot_settle(
        sales, cashier, identity, uow_factory, clock):
    from pharmacy_pos.services.setup import ensure_store
    other, _ = ensure_store(uow_factory, clock, code="H99999999999", name="别家药店",
                            operator="test", terminal_id="T99")
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    with uow_factory() as uow:
        uow.session.execute(text("UPDATE terminals SET store_id = :s WHERE terminal_id = 'T01'"),
                            {"s": other.id})
        uow.commit()
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)
    assert refused.value.rule_id == "SALE-9"
    with uow_factory(readonly=True) as uow:
        assert uow.session.get(Terminal, "T99").store_id == other.id


def test_id_7_a_card_pulled_before_settling_aborts_with_nothing_written(
        sales, cashier, identity, uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    with pytest.raises(DomainError) as refused:
        sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True,
                       card_present=lambda: False)
    assert refused.value.rule_id == "ID-7"
    assert _count(uow_factory, Sale) == 0


def test_a_failed_write_cancels_the_settlement(sales, cashier, identity, uow_factory, sim,
                                               monkeypatch):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    before = sim.person_info(card().ssn).balc

    def disk_full(*args, **kwargs):
        raise EnvironmentFault("数据库磁盘已满")

    monkeypatch.setattr(sales, "_write_sale", disk_full)
    with pytest.raises(EnvironmentFault, match="磁盘已满"):
        sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)
    assert sim.person_info(card().ssn).balc == before
    assert _count(uow_factory, Sale) == 0


def test_id_8_a_second_purchase_the_same_day_is_flagged(sales, cashier, identity,
                                                       uow_factory):
    for _ in range(2):
        cart = sales.new_cart(cashier)
        sales.scan(cashier, cart, COLD_GRANULES)
        sales.attach_insured(cashier, cart, _insured(identity, cashier))
        sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)
    with uow_factory(readonly=True) as uow:
        flags = [(f.rule_id, f.detail) for f in uow.session.scalars(select(SaleFlag))]
    assert [rule for rule, _ in flags] == ["ID-8"]
    assert "同日第 2 次" in flags[0][1]


def test_rx_14_buying_again_before_the_supply_ran_out_is_warned_and_flagged(
        sales, cashier, pharmacist, identity, world, clock, uow_factory):
    def rx_sale():
        cart = sales.new_cart(cashier)
        sales.add_product(cashier, cart, world.products[AMLODIPINE], "1")
        sales.attach_insured(cashier, cart, _insured(identity, cashier))
        sales.submit_prescription(cashier, cart, paper_prescription(
            [("P006", 7, 7)], issue_date=clock.today(), diagnosis="高血压"))
        sales.decide(pharmacist, cart.review.prescription_id, approve=True)
        sales.refresh_review(cashier, cart)
        return cart

    first = rx_sale()
    assert "RX-14" not in rule_ids(first.findings)
    sales.complete(cashier, first, method=PaymentMethod.CASH, self_pay_consent=True)
    clock.advance(days=3)
    second = rx_sale()
    warned = [f for f in second.findings if f.rule_id == "RX-14"]
    assert warned and not warned[0].blocks
    assert "2026-11-08" in warned[0].message
    sales.complete(cashier, second, method=PaymentMethod.CASH, self_pay_consent=True)
    with uow_factory(readonly=True) as uow:
        assert "RX-14" in [f.rule_id for f in uow.session.scalars(select(SaleFlag))]


def test_id_6_the_prescription_patient_must_be_the_insured_person(sales, cashier, identity,
                                                                   world, clock):
    cart = _rx_cart(sales, cashier, world, clock, patient="李四", patient_id="")
    sales.attach_insured(cashier, cart, _insured(identity, cashier))
    assert "ID-6" in rule_ids(f for f in cart.findings if f.blocks)


# --- hold and recall ------------------------------------------------------------------------

def test_hold_and_recall_a_cart(sales, cashier):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    empty = sales.hold(cashier, cart)
    assert empty.lines == [] and len(sales.held) == 1
    back = sales.recall(cashier)
    assert back is cart and [line.product.item_code for line in back.lines] == ["P003"]
    with pytest.raises(DomainError, match="没有挂起"):
        sales.recall(cashier)


def test_sales_and_their_lines_cannot_be_edited(sales, cashier, uow_factory):
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, MASKS)
    sales.complete(cashier, cart, method=PaymentMethod.CASH)
    for statement in ("UPDATE sales SET total_amount = 0", "DELETE FROM sale_lines"):
        with pytest.raises(DomainError, match="只能追加") as refused, uow_factory() as uow:
            uow.session.execute(text(statement))
            uow.commit()
        assert refused.value.rule_id == "SEC-4"


def test_policy_version_in_force_is_recorded(uow_factory, clock, sim, store, world, cashier,
                                             policy):
    newer = policy.model_copy(update={"version": "2026.2-test"})
    service = SaleService(uow_factory, clock, lambda: (newer, newer.version), sim,
                          store_code=store.code)
    cart = service.new_cart(cashier)
    service.scan(cashier, cart, MASKS)
    sold = service.complete(cashier, cart, method=PaymentMethod.CASH)
    assert sold.policy_version == "2026.2-test"
    assert date(2026, 11, 1) == sold.completed_at.date()


def test_rx_10_prescriptions_and_reviews_are_kept_and_cannot_be_removed(
        sales, cashier, pharmacist, world, clock, uow_factory):
    cart = _rx_cart(sales, cashier, world, clock)
    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    for statement in ("DELETE FROM prescription_reviews", "DELETE FROM prescription_items",
                      "UPDATE prescriptions SET patient_name = 'x'"):
        with pytest.raises(DomainError) as refused, uow_factory() as uow:
            uow.session.execute(text(statement))
            uow.commit()
        assert refused.value.rule_id == "SEC-4"
    with uow_factory(readonly=True) as uow:
        record = uow.sales.prescription(cart.review.prescription_id)
        assert (record.patient_name, record.institution_name, record.physician_name) == (
            "张三丰", "朝阳区第一社区卫生服务中心", "李时珍")
        assert [(i.item_code, i.quantity, i.dosage) for i in record.items] == [
            ("P001", 24, "0.5g")]


def test_id_9_one_card_used_by_several_buyers_is_flagged(sales, cashier, identity,
                                                         uow_factory):
    from pharmacy_pos.domain.identity import ProxyPurchase
    from tests.cards import OTHER_SSN

    for buyer, name in ((BUYER_SSN, "李四"), (OTHER_SSN, "王五")):
        record = card()
        check = identity.record_card_read(cashier, record, source="pcsc")
        identity.verify_document(cashier, check.read_id, id_number=record.ssn,
                                 name=record.name, record=record)
        identity.declare_proxy(cashier, check.read_id, ProxyPurchase(
            buyer_id_number=buyer, buyer_name=name, insured_id_number=record.ssn,
            bedridden=True, certificate_ref="门诊病历 2026-001"))
        cart = sales.new_cart(cashier)
        sales.scan(cashier, cart, COLD_GRANULES)
        sales.attach_insured(cashier, cart, identity.settlement_identity(
            cashier, read_id=check.read_id, proxy_expected=True))
        sold = sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)
    with uow_factory(readonly=True) as uow:
        flags = {(f.rule_id, f.sale_id) for f in uow.session.scalars(select(SaleFlag))}
    assert ("ID-9", sold.sale_id) in flags
    assert ("ID-5", sold.sale_id) in flags


def test_rx_11_external_prescriptions_have_their_own_monthly_book(
        sales, cashier, pharmacist, world, clock, uow_factory, staff):
    from pharmacy_pos.services.rx_book import external_prescription_book

    cart = _rx_cart(sales, cashier, world, clock)
    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    sales.refresh_review(cashier, cart)
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    plain = sales.new_cart(cashier)
    sales.scan(cashier, plain, MASKS)
    sales.complete(cashier, plain, method=PaymentMethod.CASH)
    book = external_prescription_book(uow_factory, staff[Role.STORE_MANAGER], 2026, 11)
    assert [(e.doc_no, e.institution, e.physician, e.total) for e in book.entries] == [
        (sold.doc_no, "朝阳区第一社区卫生服务中心", "李时珍", Decimal("18.50"))]
    assert book.prescriptions == 1 and book.total == Decimal("18.50")
    assert book.entries[0].patient_id_masked.endswith(card().ssn[-4:])
    assert external_prescription_book(uow_factory, staff[Role.STORE_MANAGER], 2026,
                                      10).entries == ()
    with pytest.raises(PermissionDenied):
        external_prescription_book(uow_factory, cashier, 2026, 11)
