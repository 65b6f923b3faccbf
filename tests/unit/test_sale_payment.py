"""Paying the rest, refunds that add up, document numbers, refusal reasons (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.sale import (
    PaymentMethod,
    RefusalReason,
    refund_share,
    refusal_message,
    sale_doc_no,
    take_tender,
)


def test_cash_change_is_tendered_minus_due():
    tender = take_tender(PaymentMethod.CASH, Decimal("17.30"), Decimal("20"), insured=False)
    assert (tender.tendered, tender.change) == (Decimal("20"), Decimal("2.70"))


def test_no_tender_means_exactly_the_amount_due():
    tender = take_tender(PaymentMethod.WECHAT, Decimal("8.00"), None, insured=True)
    assert (tender.tendered, tender.change) == (Decimal("8.00"), Decimal("0"))


@pytest.mark.parametrize("method", [PaymentMethod.WECHAT, PaymentMethod.ALIPAY,
                                    PaymentMethod.BANK_CARD])
def test_sale_2_non_cash_methods_give_no_change(method):
    with pytest.raises(DomainError) as refused:
        take_tender(method, Decimal("8.00"), Decimal("10.00"), insured=True)
    assert refused.value.rule_id == "SALE-2"


@pytest.mark.parametrize("method", [PaymentMethod.FUND, PaymentMethod.ACCOUNT])
def test_sale_2_insurance_money_is_not_a_tender(method):
    with pytest.raises(DomainError) as refused:
        take_tender(method, Decimal("8.00"), None, insured=True)
    assert refused.value.rule_id == "SALE-2"


def test_sale_4_gift_cards_only_without_insurance():
    with pytest.raises(DomainError) as refused:
        take_tender(PaymentMethod.GIFT_CARD, Decimal("8.00"), None, insured=True)
    assert refused.value.rule_id == "SALE-4"
    assert take_tender(PaymentMethod.GIFT_CARD, Decimal("8.00"), None,
                       insured=False).change == 0


@pytest.mark.parametrize(("tendered", "message"), [
    (Decimal("5.00"), "少于应收"),
    (Decimal("-1"), "不合理"),
    (Decimal("1000000"), "不合理"),
    (Decimal("10.001"), "精确到分"),
])
def test_bad_tenders_are_refused_with_a_reason(tendered, message):
    with pytest.raises(DomainError, match=message):
        take_tender(PaymentMethod.CASH, Decimal("8.00"), tendered, insured=False)


def test_doc_numbers_name_kind_store_day_and_counter():
    assert sale_doc_no("S001", date(2026, 11, 1), 42) == "XS-S001-20261101-00042"
    assert sale_doc_no("S001", date(2026, 11, 1), 1, kind="return") == "TH-S001-20261101-00001"
    with pytest.raises(ValueError, match="out of range"):
        sale_doc_no("S001", date(2026, 11, 1), 100_000)


@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),
       quantity=st.integers(min_value=1, max_value=500), data=st.data())
def test_partial_refunds_always_add_up_to_the_line(amount, quantity, data):
    returned = 0
    total = Decimal("0")
    while returned < quantity:
        units = data.draw(st.integers(min_value=1, max_value=quantity - returned))
        part = refund_share(amount, quantity, returned, units)
        assert part >= 0
        total += part
        returned += units
    assert total == amount


def test_returning_more_than_is_left_is_refused():
    with pytest.raises(DomainError, match="超过可退数量 2") as refused:
        refund_share(Decimal("10.00"), 10, 8, 3)
    assert refused.value.rule_id == "SALE-2"


def test_rx_5_incompatibility_and_overdose_refusals_name_the_rule_and_the_way_out():
    assert RefusalReason.INCOMPATIBILITY.rule_id == RefusalReason.OVERDOSE.rule_id == "RX-5"
    assert RefusalReason.PATIENT_MISMATCH.rule_id == "ID-6"
    text = refusal_message(RefusalReason.OVERDOSE, " 日剂量超过说明书 ")
    assert text == ("药师拒绝调配：超剂量（日剂量超过说明书）。"
                    "须由开方医师更正并重新签字后，作为新处方重新提交审核")
    assert "重新签字" not in refusal_message(RefusalReason.IRREGULAR, "")
