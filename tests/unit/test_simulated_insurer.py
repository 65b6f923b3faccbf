"""The simulated insurer (insurance/adapters/simulated.py) behind the settlement gateway port."""

import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.ports import (
    AgreementStatus,
    InsuranceStatus,
    InsurerRefused,
    InsurerUnavailable,
    RefusalCode,
    SettlementGateway,
    SettlementRequest,
    is_valid_msgid,
    make_msgid,
)
from tests.cards import HOLDER_SSN, OTHER_SSN

D = Decimal
STORE = "P11010500001"


def msgid(sequence: int) -> str:
    return make_msgid(STORE, datetime(2026, 3, 10, 9, 30, 0), sequence)  # noqa: DTZ001


def drug(code: str = "A1", price: str = "100.00",
         category: ProductCategory = ProductCategory.DRUG) -> CartLine:
    return CartLine(item_code=code, name="阿莫西林胶囊", category=category,
                    insurance_class=InsuranceClass.A, is_prescription=False, quantity=1,
                    unit_price=D(price), retail_price=D(price))


@pytest.fixture
def insurer() -> SimulatedInsurer:
    return SimulatedInsurer.demo()


@pytest.fixture
def request_(insurer: SimulatedInsurer) -> SettlementRequest:
    person = insurer.person_info(HOLDER_SSN)
    return SettlementRequest(person.psn_no, person.insutype,
                             (drug(), drug("COS", "20.00", ProductCategory.COSMETIC)))


def test_simulated_insurer_is_a_settlement_gateway(insurer: SimulatedInsurer) -> None:
    gateway: SettlementGateway = insurer
    assert gateway.person_info(HOLDER_SSN.lower()).psn_name == "张三丰"


def test_demo_holder_matches_the_test_card(insurer: SimulatedInsurer) -> None:
    person = insurer.person_info(HOLDER_SSN)
    assert (person.psn_name, person.insutype, person.balc) == ("张三丰", "310", D("1200.00"))
    assert person.insutype_label == "职工基本医疗保险"
    assert person.status is InsuranceStatus.ACTIVE


def test_unknown_person_is_refused(insurer: SimulatedInsurer) -> None:
    with pytest.raises(InsurerRefused) as refused:
        insurer.person_info(OTHER_SSN)
    assert refused.value.code == RefusalCode.PERSON_NOT_FOUND
    assert refused.value.infcode == -1
    with pytest.raises(InsurerRefused) as refused:
        insurer.pre_settle(SettlementRequest("NOBODY", "310", (drug(),)))
    assert refused.value.code == RefusalCode.PERSON_NOT_FOUND


def test_pre_settle_books_nothing(insurer: SimulatedInsurer,
                                  request_: SettlementRequest) -> None:
    first = insurer.pre_settle(request_)
    again = insurer.pre_settle(request_)
    assert first == again
    assert (first.fund_pay_sumamt, first.acct_pay, first.psn_cash_pay) == (
        D("70.00"), D("30.00"), D("20.00"))
    person = insurer.person_info(HOLDER_SSN)
    assert person.balc == D("1200.00")
    assert person.fund_paid_this_year == D(0)


def test_settle_books_once_per_msgid(insurer: SimulatedInsurer,
                                     request_: SettlementRequest) -> None:
    settlement = insurer.settle(request_, msgid(1))
    retry = insurer.settle(request_, msgid(1))
    assert retry == settlement
    assert settlement.split.balc == D("1170.00")
    person = insurer.person_info(HOLDER_SSN)
    assert person.balc == D("1170.00")
    assert person.fund_paid_this_year == D("70.00")
    second = insurer.settle(request_, msgid(2))
    assert second.setl_id != settlement.setl_id
    assert insurer.person_info(HOLDER_SSN).balc == D("1140.00")


def test_settle_uses_the_year_total_against_the_cap(insurer: SimulatedInsurer) -> None:
    person = insurer.person_info(HOLDER_SSN)
    big = SettlementRequest(person.psn_no, "310", (drug(price="300.00"),))
    assert insurer.settle(big, msgid(1)).split.fund_pay_sumamt == D("210.00")
    # The cap is 250.00 a year: only 40.00 is left for the fund.
    assert insurer.pre_settle(big).fund_pay_sumamt == D("40.00")


def test_msgid_reused_for_another_request_is_refused(insurer: SimulatedInsurer,
                                                     request_: SettlementRequest) -> None:
    insurer.settle(request_, msgid(1))
    other = SettlementRequest(request_.psn_no, "310", (drug(price="5.00"),))
    with pytest.raises(InsurerRefused) as refused:
        insurer.settle(other, msgid(1))
    assert refused.value.code == RefusalCode.MSGID_REUSED


def test_malformed_msgid_is_refused(insurer: SimulatedInsurer,
                                    request_: SettlementRequest) -> None:
    assert is_valid_msgid(msgid(1))
    assert len(msgid(1)) == 30
    with pytest.raises(InsurerRefused) as refused:
        insurer.settle(request_, "123")
    assert refused.value.code == RefusalCode.INVALID_MSGID
    with pytest.raises(ValueError, match="sequence"):
        make_msgid(STORE, datetime(2026, 3, 10), 10_000)  # noqa: DTZ001


def test_cancel_restores_balance_and_year_total(insurer: SimulatedInsurer,
                                                request_: SettlementRequest) -> None:
    settlement = insurer.settle(request_, msgid(1))
    cancellation = insurer.cancel(settlement.setl_id, msgid(2))
    assert (cancellation.fund_returned, cancellation.acct_returned) == (D("70.00"), D("30.00"))
    assert cancellation.balc == D("1200.00")
    person = insurer.person_info(HOLDER_SSN)
    assert (person.balc, person.fund_paid_this_year) == (D("1200.00"), D("0.00"))
    # A retry of the same cancellation answers the same, without restoring twice.
    assert insurer.cancel(settlement.setl_id, msgid(2)) == cancellation
    assert insurer.person_info(HOLDER_SSN).balc == D("1200.00")


def test_cancel_restores_the_deductible() -> None:
    insurer = SimulatedInsurer.demo(InsurerPolicy(deductible=D("50.00")))
    person = insurer.person_info(HOLDER_SSN)
    request = SettlementRequest(person.psn_no, "310", (drug(),))
    settlement = insurer.settle(request, msgid(1))
    assert insurer.person_info(HOLDER_SSN).deductible_paid_this_year == D("50.00")
    insurer.cancel(settlement.setl_id, msgid(2))
    assert insurer.person_info(HOLDER_SSN).deductible_paid_this_year == D("0.00")
    assert insurer.pre_settle(request) == settlement.split


def test_cancel_twice_is_refused(insurer: SimulatedInsurer,
                                 request_: SettlementRequest) -> None:
    settlement = insurer.settle(request_, msgid(1))
    insurer.cancel(settlement.setl_id, msgid(2))
    with pytest.raises(InsurerRefused) as refused:
        insurer.cancel(settlement.setl_id, msgid(3))
    assert refused.value.code == RefusalCode.ALREADY_CANCELLED
    assert "已撤销" in refused.value.message
    assert insurer.person_info(HOLDER_SSN).balc == D("1200.00")


def test_cancel_unknown_settlement_is_refused(insurer: SimulatedInsurer) -> None:
    with pytest.raises(InsurerRefused) as refused:
        insurer.cancel("NOPE", msgid(1))
    assert refused.value.code == RefusalCode.SETTLEMENT_NOT_FOUND


@pytest.mark.parametrize("status", [AgreementStatus.SUSPENDED, AgreementStatus.ENDED])
def test_sale_8_settlement_blocked_while_agreement_suspended_or_ended(
        insurer: SimulatedInsurer, request_: SettlementRequest,
        status: AgreementStatus) -> None:
    insurer.set_agreement(status)
    for call in (lambda: insurer.pre_settle(request_),
                 lambda: insurer.settle(request_, msgid(1))):
        with pytest.raises(InsurerRefused) as refused:
            call()
        assert refused.value.rule_id == "SALE-8"
        assert status.label in refused.value.message
    assert insurer.person_info(HOLDER_SSN).balc == D("1200.00")


def test_sale_8_agreement_status_passed_in_by_the_till_is_checked(
        insurer: SimulatedInsurer, request_: SettlementRequest) -> None:
    with pytest.raises(InsurerRefused) as refused:
        insurer.pre_settle(replace(request_, agreement=AgreementStatus.SUSPENDED))
    assert refused.value.rule_id == "SALE-8"


def test_sale_8_cancel_still_allowed_while_suspended(insurer: SimulatedInsurer,
                                                     request_: SettlementRequest) -> None:
    settlement = insurer.settle(request_, msgid(1))
    insurer.set_agreement(AgreementStatus.SUSPENDED)
    assert insurer.cancel(settlement.setl_id, msgid(2)).balc == D("1200.00")


def test_suspended_insurance_status_is_refused(insurer: SimulatedInsurer,
                                               request_: SettlementRequest) -> None:
    insurer.set_insurance_status(request_.psn_no, InsuranceStatus.SUSPENDED)
    with pytest.raises(InsurerRefused) as refused:
        insurer.settle(request_, msgid(1))
    assert refused.value.code == RefusalCode.INSURANCE_SUSPENDED
    assert "暂停参保" in refused.value.message


def test_wrong_scheme_is_refused(insurer: SimulatedInsurer,
                                 request_: SettlementRequest) -> None:
    with pytest.raises(InsurerRefused) as refused:
        insurer.pre_settle(replace(request_, insutype="390"))
    assert refused.value.code == RefusalCode.INSUTYPE_MISMATCH


def test_outage_raises_insurer_unavailable(insurer: SimulatedInsurer,
                                           request_: SettlementRequest) -> None:
    insurer.set_online(False)
    with pytest.raises(InsurerUnavailable):
        insurer.settle(request_, msgid(1))
    insurer.set_online(True)
    assert insurer.settle(request_, msgid(1)).split.acct_pay == D("30.00")


def test_concurrent_settles_book_each_msgid_once(insurer: SimulatedInsurer,
                                                 request_: SettlementRequest) -> None:
    # 40 threads, 20 distinct msgids: each msgid books once, and the book matches them.
    results = []
    barrier = threading.Barrier(40)

    def settle(sequence: int) -> None:
        barrier.wait()
        results.append(insurer.settle(request_, msgid(sequence)))

    threads = [threading.Thread(target=settle, args=(n % 20,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    booked = {r.setl_id: r.split for r in results}
    assert len(booked) == 20
    person = insurer.person_info(HOLDER_SSN)
    assert person.balc == D("1200.00") - sum(s.acct_pay for s in booked.values())
    assert person.fund_paid_this_year == sum(s.fund_pay_sumamt for s in booked.values())
    assert person.fund_paid_this_year == D("250.00")  # the cap, reached and not exceeded


def test_rep_2_the_statement_lists_the_periods_settlements_with_the_insurers_clock(
        request_: SettlementRequest) -> None:
    # 2026-10-31 23:30 in Shanghai: the last half hour of October.
    clock = FixedClock(datetime(2026, 10, 31, 15, 30, tzinfo=UTC))
    insurer = SimulatedInsurer.demo(clock=clock)
    october = insurer.settle(request_, msgid(1))
    clock.advance(hours=1)  # 2026-11-01 00:30 in Shanghai
    november = insurer.settle(request_, msgid(2))
    insurer.cancel(october.setl_id, msgid(3))
    rows = insurer.statement(date(2026, 11, 1), date(2026, 11, 30))
    # November's settlement, and October's because it was cancelled in November.
    assert [(r.setl_id, r.cancelled) for r in rows] == [
        (october.setl_id, True), (november.setl_id, False)]
    assert rows[0].settled_at == datetime(2026, 10, 31, 15, 30, tzinfo=UTC)
    assert rows[0].cancelled_at == clock.now()
    assert rows[1].medfee_sumamt == november.split.medfee_sumamt == D("120.00")
    assert rows[1].fund_pay_sumamt == november.split.fund_pay_sumamt
    assert rows[1].acct_pay == november.split.acct_pay
    october_only = insurer.statement(date(2026, 10, 1), date(2026, 10, 31))
    assert [r.setl_id for r in october_only] == [october.setl_id]
    insurer.set_online(False)
    with pytest.raises(InsurerUnavailable):
        insurer.statement(date(2026, 11, 1), date(2026, 11, 30))
