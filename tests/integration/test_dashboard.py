"""The manager's dashboard figures (issue 7): computed from sales rung through the till's
services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pharmacy_pos.db.models import Sale, SaleFlag
from pharmacy_pos.db.stockkeeping_repository import ON_SHELF, StockkeepingRepository
from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.domain.policy import IdentityPolicy, InsurerPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.domain.stockkeeping import near_expiry_buckets
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.ports import InsuredPerson
from pharmacy_pos.reports.dashboard import DAYS, TOP, WEEKS, dashboard_figures
from pharmacy_pos.services.identity import IdentityService
from tests.cards import HOLDER_SSN, card
from tests.conftest import STAFF_PASSWORD
from tests.till_world import COLD_GRANULES, HOLDER_PSN_NO, MASKS

NOV_1 = date(2026, 11, 1)  # the clock's day, a Sunday
NOV_2 = date(2026, 11, 2)  # a Monday: a new week


@pytest.fixture
def sim(clock) -> SimulatedInsurer:
    return SimulatedInsurer(InsurerPolicy(), [InsuredPerson(
        psn_no=HOLDER_PSN_NO, certno=HOLDER_SSN, psn_name="张三丰", insutype="310",
        balc=Decimal("1200.00"))], clock=clock)


@pytest.fixture
def identity(uow_factory, clock) -> IdentityService:
    return IdentityService(uow_factory, clock, IdentityPolicy())


@pytest.fixture
def manager(staff):
    return staff[Role.STORE_MANAGER]


def _cash_sale(sales, cashier, *codes):
    cart = sales.new_cart(cashier)
    for code in codes:
        sales.scan(cashier, cart, code)
    return sales.complete(cashier, cart, method=PaymentMethod.CASH)


def _insured_sale(sales, identity, cashier, *codes):
    record = card()
    check = identity.record_card_read(cashier, record, source="pcsc")
    identity.verify_document(cashier, check.read_id, id_number=record.ssn, name=record.name,
                             record=record)
    cart = sales.new_cart(cashier)
    for code in codes:
        sales.scan(cashier, cart, code)
    sales.attach_insured(cashier, cart,
                         identity.settlement_identity(cashier, read_id=check.read_id))
    return sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)


def test_two_days_of_sales_give_two_points_with_their_totals(
        sales, identity, cashier, manager, uow_factory, clock):
    first = _cash_sale(sales, cashier, COLD_GRANULES, MASKS)
    second = _insured_sale(sales, identity, cashier, COLD_GRANULES)
    clock.advance(days=1)
    third = _cash_sale(sales, cashier, MASKS)
    figures = dashboard_figures(uow_factory, manager, NOV_2, as_of=clock.now())
    assert len(figures.days) == DAYS
    assert figures.days[0].day == NOV_2 - timedelta(days=DAYS - 1)
    assert figures.days[-1].day == NOV_2
    sold = {d.day: d for d in figures.days if d.documents}
    assert set(sold) == {NOV_1, NOV_2}
    assert sold[NOV_1].total == first.total + second.total == Decimal("29.00")
    assert sold[NOV_1].documents == 2
    assert sold[NOV_1].split.insured == second.fund_pay + second.acct_pay > 0
    assert sold[NOV_2].total == third.total == Decimal("5.00")
    assert sold[NOV_2].split.insured == 0
    assert all(d.total == 0 for d in figures.days if d.day not in sold)
    assert figures.as_of == clock.now()


def test_the_months_insured_share_adds_up_to_the_takings(
        sales, identity, cashier, manager, uow_factory, clock):
    done = [_insured_sale(sales, identity, cashier, COLD_GRANULES, MASKS),
            _cash_sale(sales, cashier, COLD_GRANULES)]
    clock.advance(days=1)
    done.append(_insured_sale(sales, identity, cashier, COLD_GRANULES))
    month = dashboard_figures(uow_factory, manager, NOV_2).month
    assert month.fund == sum(s.fund_pay for s in done)
    assert month.account == sum(s.acct_pay for s in done)
    assert month.cash == sum(s.cash_pay for s in done)
    assert month.total == sum(s.total for s in done) == Decimal("41.00")
    assert month.insured > 0 and month.cash > 0
    # October's figures do not see November's sales.
    assert dashboard_figures(uow_factory, manager, date(2026, 10, 31)).month.total == 0


def test_top_products_are_ordered_by_net_amount_and_returns_count_against_them(
        sales, returns, cashier, manager, uow_factory):
    _cash_sale(sales, cashier, COLD_GRANULES, COLD_GRANULES)  # 24.00
    _cash_sale(sales, cashier, MASKS)                         # 5.00
    masks_twice = _cash_sale(sales, cashier, MASKS, MASKS)    # 10.00, returned below
    top = dashboard_figures(uow_factory, manager, NOV_1).top_products
    assert [(p.item_code, p.amount) for p in top] == [
        ("P002", Decimal("24.00")), ("P003", Decimal("15.00"))]
    assert top[0].name == "感冒灵颗粒" and top[0].units == 20
    found = returns.find(cashier, masks_twice.doc_no)
    returns.return_items(cashier, masks_twice.doc_no,
                         {line.line_id: line.sold_units for line in found.lines},
                         reason="买多了", approver="store.manager",
                         approver_password=STAFF_PASSWORD)
    figures = dashboard_figures(uow_factory, manager, NOV_1)
    assert [(p.item_code, p.amount) for p in figures.top_products] == [
        ("P002", Decimal("24.00")), ("P003", Decimal("5.00"))]
    assert figures.days[-1].total == Decimal("29.00")
    assert len(figures.top_products) <= TOP


def test_near_expiry_buckets_equal_the_batches_values(world, manager, uow_factory, clock):
    figures = dashboard_figures(uow_factory, manager, NOV_1, windows=(30, 60, 90))
    with uow_factory(readonly=True) as uow:
        shelf = StockkeepingRepository(uow.session).shelf(manager.store_id, ON_SHELF)
    expected = near_expiry_buckets(shelf, NOV_1, (30, 60, 90))
    assert [(e.window_days, e.value, e.batches) for e in figures.near_expiry] == [
        (b.window_days, b.value, len(b.batches)) for b in expected]
    # The amoxicillin lot expiring 2026-11-20: 2 boxes at 6.00; the expired lot is left out.
    assert [(e.window_days, e.value) for e in figures.near_expiry] == [
        (30, Decimal("12.00")), (60, Decimal("0")), (90, Decimal("0"))]
    later = dashboard_figures(uow_factory, manager, date(2026, 10, 1), windows=(30, 60, 90))
    assert [e.value for e in later.near_expiry] == [0, Decimal("12.00"), 0]


def test_flags_per_week_count_the_sale_flag_rows(
        sales, identity, cashier, manager, uow_factory, clock):
    _insured_sale(sales, identity, cashier, COLD_GRANULES)
    _insured_sale(sales, identity, cashier, MASKS)       # ID-8: second purchase that day
    _insured_sale(sales, identity, cashier, MASKS)       # ID-8 again
    clock.advance(days=1)
    _insured_sale(sales, identity, cashier, COLD_GRANULES)
    _insured_sale(sales, identity, cashier, COLD_GRANULES)  # ID-8, the next week
    figures = dashboard_figures(uow_factory, manager, NOV_2)
    assert len(figures.weeks) == WEEKS
    assert figures.weeks[-1].week_start == NOV_2
    assert figures.weeks[-2].week_start == NOV_2 - timedelta(weeks=1)
    with uow_factory(readonly=True) as uow:
        rows = uow.session.query(SaleFlag.rule_id, Sale.completed_at).join(
            Sale, Sale.id == SaleFlag.sale_id).all()
    assert len(rows) == 3
    assert figures.weeks[-2].count("ID-8") == 2
    assert figures.weeks[-1].count("ID-8") == 1
    assert sum(w.total for w in figures.weeks) == len(rows)
    assert figures.flag_rules == ("ID-8",)


def test_the_dashboard_needs_the_right_to_view_reports(cashier, uow_factory):
    with pytest.raises(PermissionDenied):
        dashboard_figures(uow_factory, cashier, NOV_1)
