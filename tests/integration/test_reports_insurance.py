"""Insurance reports: reconciliation (REP-2), external prescriptions (REP-3), insured
purchases by category (REP-4) and the self-inspection report (REP-5).

Sales are made through the till's services (card read, document check, settlement with
the simulated insurer), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from pharmacy_pos.db.models import Sale, SaleFlag
from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.domain.policy import IdentityPolicy, InsurerPolicy
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod, RefusalReason
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.ports import InsuredPerson, SettlementRequest, make_msgid
from pharmacy_pos.reports.catalog import REPORTS, Cancelled, Period
from pharmacy_pos.reports.insured_categories import category_rows
from pharmacy_pos.reports.reconcile import Cause, reconcile
from pharmacy_pos.reports.rx_statement import by_institution, entries
from pharmacy_pos.reports.self_inspection import events, summary
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.policy import PolicyService
from pharmacy_pos.services.printing import PrintService
from tests.cards import HOLDER_SSN, card
from tests.conftest import STAFF_PASSWORD
from tests.till_world import (
    AMOXICILLIN,
    COLD_GRANULES,
    HOLDER_PSN_NO,
    MASKS,
    paper_prescription,
)

NOVEMBER = Period.month(2026, 11)


@pytest.fixture
def sim(clock) -> SimulatedInsurer:
    """The simulated insurer on the test's clock, so its statement has the test's days."""
    return SimulatedInsurer(InsurerPolicy(), [InsuredPerson(
        psn_no=HOLDER_PSN_NO, certno=HOLDER_SSN, psn_name="张三丰", insutype="310",
        balc=Decimal("1200.00"))], clock=clock)


@pytest.fixture
def identity(uow_factory, clock) -> IdentityService:
    return IdentityService(uow_factory, clock, IdentityPolicy())


@pytest.fixture
def manager(staff):
    return staff[Role.STORE_MANAGER]


def _insured_identity(identity, cashier):
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    identity.verify_document(cashier, check.read_id, id_number=record.ssn, name=record.name,
                             record=record)
    return identity.settlement_identity(cashier, read_id=check.read_id)


def _insured_sale(sales, identity, cashier, *codes):
    cart = sales.new_cart(cashier)
    for code in codes:
        sales.scan(cashier, cart, code)
    sales.attach_insured(cashier, cart, _insured_identity(identity, cashier))
    return sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)


def _return_whole(returns, cashier, doc_no):
    found = returns.find(cashier, doc_no)
    return returns.return_items(
        cashier, doc_no, {line.line_id: line.sold_units for line in found.lines},
        reason="医生改方", approver="store.manager", approver_password=STAFF_PASSWORD)


def _cash_sale(sales, cashier, *codes):
    cart = sales.new_cart(cashier)
    for code in codes:
        sales.scan(cashier, cart, code)
    return sales.complete(cashier, cart, method=PaymentMethod.CASH)


def _direct_settlement(sim, clock, sequence=9001):
    """A settlement booked on the insurer without a sale here (another till, a bug)."""
    line = CartLine(item_code="X1", name="外部药品", category=ProductCategory.DRUG,
                    insurance_class=InsuranceClass.A, is_prescription=False, quantity=1,
                    unit_price=Decimal("30.00"), retail_price=Decimal("30.00"))
    return sim.settle(SettlementRequest(HOLDER_PSN_NO, "310", (line,)),
                      make_msgid("H11010500001", clock.now(), sequence % 10000))


# --- REP-2 reconciliation -----------------------------------------------------------------

def test_rep_2_settlements_and_cancellations_agree_with_the_insurers_statement(
        sales, returns, identity, cashier, manager, uow_factory, sim, clock):
    first = _insured_sale(sales, identity, cashier, COLD_GRANULES, MASKS)
    clock.advance(minutes=5)
    second = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    _cash_sale(sales, cashier, MASKS)  # not insured: not on either side
    clock.advance(minutes=5)
    _return_whole(returns, cashier, second.doc_no)
    result = reconcile(uow_factory, manager, NOVEMBER, insurer=sim)
    assert result.agrees, result.differences
    assert sorted(result.matched) == sorted([first.setl_id, second.setl_id])
    for side in (result.here, result.there):
        assert side.settlements == 2 and side.cancellations == 1
        assert side.medfee_sumamt == first.total + second.total == Decimal("29.00")
        assert side.fund_pay_sumamt == first.fund_pay + second.fund_pay
        assert side.acct_pay == first.acct_pay + second.acct_pay
        assert side.cancelled_fund == second.fund_pay
        assert side.net_fund == first.fund_pay
    progress: list[tuple[int, int]] = []
    report = REPORTS["reconcile"].build(uow_factory, manager, NOVEMBER, insurer=sim,
                                        progress=lambda d, t: progress.append((d, t)),
                                        cancelled=lambda: False, clock=clock)
    totals, differences, detail = report.sections
    assert totals.rows[0][:5] == ("本店", 2, Decimal("29.00"), result.here.fund_pay_sumamt,
                                  result.here.acct_pay)
    zero = Decimal("0.00")
    assert totals.total == ("差额（本店−医保）", 0, zero, zero, zero, 0, zero, zero, zero, zero)
    assert differences.rows == [] and differences.notes == ("无差异",)
    assert [row[-1] for row in detail.rows] == ["一致", "一致"]
    assert progress[-1] == (3, 3) and report.period == "2026年11月"


def test_rep_2_a_settlement_the_store_never_recorded_is_missing_here(
        sales, identity, cashier, manager, uow_factory, sim, clock):
    sold = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    stray = _direct_settlement(sim, clock)
    result = reconcile(uow_factory, manager, NOVEMBER, insurer=sim)
    assert [(d.setl_id, d.cause, d.there) for d in result.differences] == [
        (stray.setl_id, Cause.MISSING_HERE, Decimal("30.00"))]
    assert result.matched == (sold.setl_id,)
    assert (result.here.settlements, result.there.settlements) == (1, 2)
    assert result.there.medfee_sumamt - result.here.medfee_sumamt == Decimal("30.00")


def test_rep_2_a_sale_the_insurer_does_not_list_is_missing_there(
        sales, identity, cashier, manager, uow_factory, sim):
    kept = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    lost = _insured_sale(sales, identity, cashier, COLD_GRANULES, MASKS)
    sim.forget(lost.setl_id)  # the platform lost it
    result = reconcile(uow_factory, manager, NOVEMBER, insurer=sim)
    assert [(d.setl_id, d.cause, d.here, d.doc_no) for d in result.differences] == [
        (lost.setl_id, Cause.MISSING_THERE, lost.total, lost.doc_no)]
    assert result.matched == (kept.setl_id,)
    assert (result.here.settlements, result.there.settlements) == (2, 1)
    report = REPORTS["reconcile"].build(uow_factory, manager, NOVEMBER, insurer=sim)
    assert [row[1] for row in report.sections[1].rows] == ["医保无记录（本店有结算）"]


def test_rep_2_amounts_that_differ_are_listed_per_field(
        sales, identity, cashier, manager, uow_factory, sim, clock, store):
    booked = _direct_settlement(sim, clock)
    split = booked.split
    # A sale row recorded under that settlement with a wrong total and account payment.
    with uow_factory() as uow:
        uow.sales.add(Sale(
            store_id=store.id, terminal_id="T01", doc_no="XS-CRAFTED-1",
            client_token="crafted-1", kind="sale", cashier_id=cashier.user_id,
            completed_at=clock.now(), policy_version="test", insured_ssn=HOLDER_SSN,
            psn_no=HOLDER_PSN_NO, insutype="310", setl_id=booked.setl_id, msgid=booked.msgid,
            total_amount=split.medfee_sumamt + Decimal("1.00"), fund_pay=split.fund_pay_sumamt,
            acct_pay=split.acct_pay + Decimal("0.50"), cash_pay=split.psn_cash_pay + Decimal(
                "0.50")))
        uow.commit()
    result = reconcile(uow_factory, manager, NOVEMBER, insurer=sim)
    assert [(d.cause, d.field, d.here - d.there) for d in result.differences] == [
        (Cause.AMOUNT_DIFFERS, "medfee_sumamt", Decimal("1.00")),
        (Cause.AMOUNT_DIFFERS, "acct_pay", Decimal("0.50"))]
    assert all(d.doc_no == "XS-CRAFTED-1" for d in result.differences)
    assert result.matched == ()
    assert result.here.settlements == result.there.settlements == 1


def test_rep_2_honours_cancellation(sales, identity, cashier, manager, uow_factory, sim):
    _insured_sale(sales, identity, cashier, COLD_GRANULES)
    with pytest.raises(Cancelled):
        REPORTS["reconcile"].build(uow_factory, manager, NOVEMBER, insurer=sim,
                                   cancelled=lambda: True)


# --- REP-3 external prescriptions ------------------------------------------------------------

def _rx_sale(sales, identity, cashier, pharmacist, clock, world, institution, physician):
    cart = sales.new_cart(cashier)
    sales.add_product(cashier, cart, world.products[AMOXICILLIN], "24", "unit")
    document = paper_prescription([("P001", 24, 4)], issue_date=clock.today(),
                                  institution=institution, physician=physician)
    sales.submit_prescription(cashier, cart, document)
    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    sales.refresh_review(cashier, cart)
    sales.attach_insured(cashier, cart, _insured_identity(identity, cashier))
    return sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)


def test_rep_3_external_prescriptions_are_totalled_per_institution_and_physician(
        sales, returns, identity, cashier, pharmacist, manager, uow_factory, clock, world):
    first_hospital = {"code": "H11010500002", "name": "朝阳区第一社区卫生服务中心",
                      "designated": True}
    second_hospital = {"code": "H11010500003", "name": "海淀医院", "designated": True}
    a = _rx_sale(sales, identity, cashier, pharmacist, clock, world, first_hospital,
                 {"name": "李时珍", "code": "D1"})
    clock.advance(minutes=10)
    b = _rx_sale(sales, identity, cashier, pharmacist, clock, world, first_hospital,
                 {"name": "华佗", "code": "D2"})
    clock.advance(minutes=10)
    c = _rx_sale(sales, identity, cashier, pharmacist, clock, world, second_hospital,
                 {"name": "扁鹊", "code": "D3"})
    _cash_sale(sales, cashier, MASKS)  # no prescription: not in the book
    clock.advance(minutes=10)
    _return_whole(returns, cashier, c.doc_no)
    found = entries(uow_factory, manager, NOVEMBER)
    assert [e.doc_no for e in found] == [a.doc_no, b.doc_no, c.doc_no]
    totals = by_institution(found)
    first = totals[("H11010500002", "朝阳区第一社区卫生服务中心")]
    assert first.prescriptions == 2
    assert first.total == first.net == a.total + b.total
    assert first.net_fund == a.fund_pay + b.fund_pay
    assert first.net_acct == a.acct_pay + b.acct_pay
    second = totals[("H11010500003", "海淀医院")]
    assert (second.prescriptions, second.total, second.returned, second.net) == (
        1, c.total, c.total, Decimal("0.00"))
    assert second.net_fund == second.net_acct == Decimal("0.00")
    report = REPORTS["rx-statement"].build(uow_factory, manager, NOVEMBER, clock=clock)
    institutions, physicians, book = report.sections
    assert institutions.total == ("合计", "", 3, a.total + b.total + c.total, c.total,
                                  a.total + b.total, a.fund_pay + b.fund_pay,
                                  a.acct_pay + b.acct_pay)
    assert [row[1] for row in physicians.rows] == ["华佗", "李时珍", "扁鹊"]
    assert len(book.rows) == 3 and book.rows[0][7].startswith(HOLDER_SSN[:3])
    assert HOLDER_SSN not in {row[7] for row in book.rows}  # masked (SEC-5)


# --- REP-4 insured purchases by category ---------------------------------------------------

def test_rep_4_insured_lines_are_summed_by_category_and_class(
        sales, returns, identity, cashier, manager, uow_factory, clock):
    first = _insured_sale(sales, identity, cashier, COLD_GRANULES, COLD_GRANULES, MASKS)
    clock.advance(minutes=5)
    second = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    _cash_sale(sales, cashier, COLD_GRANULES, MASKS)  # not insured: not counted
    clock.advance(minutes=5)
    _return_whole(returns, cashier, second.doc_no)
    with uow_factory(readonly=True) as uow:
        lines = [SimpleNamespace(item_code=line.item_code, sale_id=line.sale_id,
                                 amount=line.amount, fund_pay=line.fund_pay,
                                 acct_pay=line.acct_pay, cash_pay=line.cash_pay)
                 for doc in (first.doc_no, second.doc_no)
                 for line in uow.sales.by_doc_no(doc).lines]
        drug_lines = [ln for ln in lines if ln.item_code == "P002"]
        mask_lines = [ln for ln in lines if ln.item_code == "P003"]
    rows = {(r.category, r.insurance_class): r
            for r in category_rows(uow_factory, manager, NOVEMBER)}
    assert set(rows) == {(ProductCategory.DRUG, InsuranceClass.B),
                         (ProductCategory.DAILY_GOODS, InsuranceClass.NONE)}
    drugs = rows[(ProductCategory.DRUG, InsuranceClass.B)]
    assert drugs.sold == sum(ln.amount for ln in drug_lines) == Decimal("36.00")
    assert drugs.returned == Decimal("12.00") and drugs.net == Decimal("24.00")
    first_drug = [ln for ln in drug_lines if ln.sale_id == first.sale_id]
    assert drugs.fund_pay == sum(ln.fund_pay for ln in first_drug)
    assert drugs.acct_pay == sum(ln.acct_pay for ln in first_drug)
    assert drugs.cash_pay == sum(ln.cash_pay for ln in first_drug)
    masks = rows[(ProductCategory.DAILY_GOODS, InsuranceClass.NONE)]
    assert (masks.sold, masks.fund_pay, masks.acct_pay) == (
        sum(ln.amount for ln in mask_lines), Decimal("0.00"), Decimal("0.00"))
    # The categories add up to the insured sales' own totals, net of the return.
    assert drugs.fund_pay + masks.fund_pay == first.fund_pay
    assert drugs.net + masks.net == first.total
    report = REPORTS["insured-categories"].build(uow_factory, manager, NOVEMBER)
    section = report.sections[0]
    assert section.total is not None and section.total[3:6] == (
        Decimal("41.00"), Decimal("12.00"), first.total)
    assert [row[:2] for row in section.rows] == [("药品", "乙类"), ("日用品", "非医保")]
    assert [row[0] for row in section.subtotals] == ["药品 小计", "日用品 小计"]


# --- REP-5 self-inspection ------------------------------------------------------------------

def test_rep_5_every_kind_of_event_is_listed_with_operator_and_rule(
        sales, returns, identity, cashier, pharmacist, manager, uow_factory, clock, store,
        world):
    # Sale flags: a second insured purchase the same day (ID-8).
    _insured_sale(sales, identity, cashier, COLD_GRANULES)
    clock.advance(minutes=5)
    sold = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    # A refused card (expired, ID-4) and a blacklisted one (ID-3).
    identity.record_card_read(cashier, card(expiry_date=date(2026, 1, 1)), source="pcsc")
    identity.blacklist_add(manager, "B99999999", reason="本人挂失")
    identity.record_card_read(cashier, card(card_number="B99999999"), source="pcsc")
    # A prescription refused for incompatibility (RX-5).
    cart = sales.new_cart(cashier)
    sales.add_product(cashier, cart, world.products[AMOXICILLIN], "24", "unit")
    sales.submit_prescription(cashier, cart, paper_prescription(
        [("P001", 24, 4)], issue_date=clock.today()))
    sales.decide(pharmacist, cart.review.prescription_id, approve=False,
                 reason=RefusalReason.INCOMPATIBILITY, note="与头孢类同用")
    # A return (SALE-7), a reprint and a dismissed print job (SALE-6), a policy change.
    back = _return_whole(returns, cashier, sold.doc_no)
    printing = PrintService(uow_factory, clock, None, columns=32, store_name="测试大药房",
                            store_code=store.code, terminal_id="T01")
    printing.reprint(cashier, "receipt", sold.doc_no, reason="顾客遗失小票")
    with uow_factory(readonly=True) as uow:
        job_id = uow.sales.pending_print_jobs("T01")[0][0].id
        job_doc = uow.sales.print_job(job_id).doc_no
    printing.dismiss(cashier, job_id, reason="顾客已离开")
    policy = PolicyService.for_store(uow_factory, clock, store.id, None)
    policy.ensure_installed(manager)
    clock.advance(minutes=1)
    found = events(uow_factory, manager, NOVEMBER)
    seen = {(e.source, e.rule_id, e.operator) for e in found}
    with uow_factory(readonly=True) as uow:
        flags = {(f.rule_id, f.detail) for f in uow.session.query(SaleFlag).all()}
    assert "ID-8" in {rule for rule, _ in flags}
    assert {("sale_flag", rule, "cashier") for rule, _ in flags} <= seen
    assert ("card.refused", "ID-4", "cashier") in seen
    assert ("incident.lost_card", "ID-3", "cashier") in seen
    assert ("prescription.refused", "RX-5", "pharmacist") in seen
    assert ("sale.return", "SALE-7", "cashier") in seen
    assert ("print.reprint", "SALE-6", "cashier") in seen
    assert ("print.dismiss", "SALE-6", "cashier") in seen
    returned = next(e for e in found if e.source == "sale.return")
    assert returned.document == back.doc_no and "store.manager" in returned.what
    assert sold.doc_no in returned.what
    refused = next(e for e in found if e.source == "prescription.refused")
    assert "配伍禁忌" in refused.what and "与头孢类同用" in refused.what
    dismissed = next(e for e in found if e.source == "print.dismiss")
    assert dismissed.document == job_doc and "顾客已离开" in dismissed.what
    installs = [e for e in found if e.source == "policy.install"]
    assert [(e.rule_id, e.operator) for e in installs] == [("SEC-2", "store.manager")]
    counts = {(rule, operator): n for rule, operator, n in summary(found)}
    assert counts[("SALE-6", "cashier")] == 2
    assert sum(counts.values()) == len(found)
    report = REPORTS["self-inspection"].build(uow_factory, manager, NOVEMBER,
                                              identity=identity, clock=clock)
    grouped, detail, card_use = report.sections
    assert grouped.total == ("合计", "", len(found))
    assert len(detail.rows) == len(found)
    assert any(row[0] == "ID-8" for row in card_use.rows)
    # Nothing of the period before it.
    assert events(uow_factory, manager, Period.month(2026, 10)) == []


def test_rep_5_needs_the_report_permission(uow_factory, cashier):
    with pytest.raises(PermissionDenied):
        events(uow_factory, cashier, NOVEMBER)


def test_rep_2_the_period_boundary_is_the_store_day(
        sales, identity, cashier, manager, uow_factory, sim, clock):
    sold = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    october = reconcile(uow_factory, manager, replace(
        NOVEMBER, first=date(2026, 10, 1), last=date(2026, 10, 31)), insurer=sim)
    assert october.here.settlements == october.there.settlements == 0
    day = reconcile(uow_factory, manager, Period(clock.today(), clock.today()), insurer=sim)
    assert day.matched == (sold.setl_id,)
