"""The settlement split (domain/settlement.py): fund, personal account, cash, to the fen."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.domain.settlement import SettlementSplit, compute_split

D = Decimal
POLICY = InsurerPolicy()  # 甲/乙 70 %, 乙类 10 % self-pay, no deductible, cap 250.00


def line(code: str = "A1", price: str = "100.00", *, cls: InsuranceClass = InsuranceClass.A,
         category: ProductCategory = ProductCategory.DRUG, quantity: int = 1,
         units_per_pack: int = 1) -> CartLine:
    return CartLine(
        item_code=code, name=f"商品{code}", category=category, insurance_class=cls,
        is_prescription=False, quantity=quantity, unit_price=D(price), retail_price=D(price),
        units_per_pack=units_per_pack,
    )


def split(lines: list[CartLine], *, policy: InsurerPolicy = POLICY, balance: str = "1000.00",
          year: str = "0.00", **options) -> SettlementSplit:
    return compute_split(lines, policy=policy, account_balance=D(balance),
                         insured_total_this_year=D(year), **options)


def test_sale_1_class_a_line_is_paid_by_fund_ratio_then_account() -> None:
    result = split([line()])
    only = result.lines[0]
    assert (only.inscp_scp_amt, only.fund_pay, only.acct_pay, only.cash_pay) == (
        D("100.00"), D("70.00"), D("30.00"), D("0.00"))
    assert result.fund_pay_sumamt == D("70.00")
    assert result.psn_part_amt == D("30.00")
    assert result.balc == D("970.00")
    assert result.self_paid_lines == ()


def test_sale_10_class_b_self_pay_share_is_paid_and_shown() -> None:
    result = split([line("B1", cls=InsuranceClass.B)])
    only = result.lines[0]
    assert only.preselfpay_amt == D("10.00")
    assert only.inscp_scp_amt == D("90.00")
    assert only.fund_pay == D("63.00")
    # The account pays the in-scope personal share only; the 乙类 share is cash.
    assert (only.acct_pay, only.cash_pay) == (D("27.00"), D("10.00"))
    assert result.self_paid_lines == (only,)
    assert result.self_paid_notes() == ["“商品B1”为乙类药品，先行自付 10%：自付 ¥10.00"]


def test_sale_10_account_may_cover_class_b_share_when_the_policy_allows() -> None:
    policy = POLICY.model_copy(update={"personal_account_covers_self_pay": True})
    only = split([line("B1", cls=InsuranceClass.B)], policy=policy).lines[0]
    assert (only.fund_pay, only.acct_pay, only.cash_pay) == (D("63.00"), D("37.00"), D("0.00"))


def test_sale_1_cosmetic_is_never_paid_by_insurance() -> None:
    policy = POLICY.model_copy(update={"personal_account_covers_self_pay": True})
    result = split([line("COS", "58.00", category=ProductCategory.COSMETIC)], policy=policy)
    only = result.lines[0]
    assert only.fulamt_ownpay_amt == D("58.00")
    assert (only.fund_pay, only.acct_pay, only.cash_pay) == (D("0.00"), D("0.00"), D("58.00"))
    assert "化妆品" in result.self_paid_notes()[0]


@pytest.mark.parametrize("cls", [InsuranceClass.C, InsuranceClass.NONE])
def test_sale_1_class_c_and_unlisted_drugs_are_fully_self_paid(cls: InsuranceClass) -> None:
    only = split([line("X", "20.00", cls=cls)]).lines[0]
    assert only.fulamt_ownpay_amt == D("20.00")
    assert (only.fund_pay, only.acct_pay, only.cash_pay) == (D("0.00"), D("0.00"), D("20.00"))
    assert cls.label in only.self_pay_reason


def test_sale_1_line_moved_to_self_pay_by_the_rules_is_not_insured() -> None:
    result = split([line("A1"), line("RX13")], self_paid_item_codes={"RX13"})
    moved = result.lines[1]
    assert (moved.fund_pay, moved.acct_pay, moved.cash_pay) == (D(0), D(0), D("100.00"))
    assert result.fund_pay_sumamt == D("70.00")


def test_sale_1_mixed_basket_insurance_pays_only_eligible_lines() -> None:
    result = split([line("A1"), line("FOOD", "30.00", category=ProductCategory.HEALTH_FOOD)])
    assert result.medfee_sumamt == D("130.00")
    assert result.fund_pay_sumamt + result.acct_pay == D("100.00")
    assert result.psn_cash_pay == D("30.00")


def test_sale_11_deductible_is_borne_by_the_person_before_the_fund_pays() -> None:
    policy = POLICY.model_copy(update={"deductible": D("50.00")})
    only = split([line()], policy=policy).lines[0]
    assert only.deductible_pay == D("50.00")
    assert only.fund_pay == D("35.00")
    partly_met = split([line()], policy=policy, deductible_paid_this_year=D("30.00")).lines[0]
    assert (partly_met.deductible_pay, partly_met.fund_pay) == (D("20.00"), D("56.00"))


def test_sale_11_deductible_is_used_up_across_lines() -> None:
    policy = POLICY.model_copy(update={"deductible": D("50.00")})
    first, second = split([line("A1", "30.00"), line("A2", "30.00")], policy=policy).lines
    assert (first.deductible_pay, first.fund_pay) == (D("30.00"), D("0.00"))
    assert (second.deductible_pay, second.fund_pay) == (D("20.00"), D("7.00"))


def test_sale_11_annual_cap_reached_mid_cart_fund_pays_only_what_remains() -> None:
    result = split([line("A1", "50.00"), line("A2", "50.00"), line("A3", "20.00")],
                   year="200.00")
    funds = [x.fund_pay for x in result.lines]
    overs = [x.overlmt_selfpay for x in result.lines]
    assert funds == [D("35.00"), D("15.00"), D("0.00")]
    assert overs == [D("0.00"), D("20.00"), D("14.00")]
    assert result.fund_pay_sumamt == D("50.00")
    assert result.overlmt_selfpay == D("34.00")
    assert result.fund_pay_sumamt + result.acct_pay + result.psn_cash_pay == D("120.00")


def test_sale_11_cap_already_used_up_fund_pays_nothing() -> None:
    result = split([line()], year="300.00")
    assert result.fund_pay_sumamt == D("0.00")
    assert result.acct_pay == D("100.00")


def test_account_balance_smaller_than_personal_share_rest_is_cash() -> None:
    result = split([line(), line("A2")], balance="10.00")
    assert [x.acct_pay for x in result.lines] == [D("10.00"), D("0.00")]
    assert result.psn_cash_pay == D("50.00")
    assert result.balc == D("0.00")


def test_account_not_used_when_disabled_or_declined() -> None:
    disabled = POLICY.model_copy(update={"personal_account_enabled": False})
    assert split([line()], policy=disabled).acct_pay == D(0)
    assert split([line()], use_account=False).acct_pay == D(0)
    assert split([line()], use_account=False).psn_cash_pay == D("30.00")


def test_split_package_amount_is_rounded_per_line() -> None:
    # 3 of 24 tablets at 12.50 a box = 1.5625 -> 1.56; 70 % = 1.092 -> 1.09.
    only = split([line(price="12.50", quantity=3, units_per_pack=24)]).lines[0]
    assert (only.amount, only.fund_pay, only.acct_pay) == (D("1.56"), D("1.09"), D("0.47"))


@pytest.mark.parametrize(("quantity", "price"), [(0, "10.00"), (-1, "10.00"), (1, "-5.00")])
def test_sale_2_zero_or_negative_lines_are_refused(quantity: int, price: str) -> None:
    with pytest.raises(DomainError) as refused:
        split([line(price=price, quantity=quantity)])
    assert refused.value.rule_id == "SALE-2"


def test_sale_2_change_comes_only_from_cash_tendered() -> None:
    result = split([line("B1", cls=InsuranceClass.B)])  # cash part 10.00
    assert result.change_for(D("50.00")) == D("40.00")
    fully_insured = split([line()])
    assert fully_insured.psn_cash_pay == D(0)
    assert fully_insured.change_for(D(0)) == D(0)
    with pytest.raises(DomainError) as short:
        result.change_for(D("5.00"))
    assert short.value.rule_id == "SALE-2"


def test_negative_balance_or_year_total_is_refused() -> None:
    with pytest.raises(DomainError):
        split([line()], balance="-1.00")
    with pytest.raises(DomainError):
        split([line()], year="-1.00")


def test_sale_10_display_rows_have_chinese_labels_and_balance() -> None:
    rows = dict(split([line("B1", cls=InsuranceClass.B)]).display_rows())
    assert rows["医疗费总额"] == D("100.00")
    assert rows["乙类先行自付"] == D("10.00")
    assert rows["统筹基金支付"] == D("63.00")
    assert rows["个人账户支付"] == D("27.00")
    assert rows["个人现金支付"] == D("10.00")
    assert rows["个人账户余额"] == D("973.00")


# -- exact totals, whatever the cart (hypothesis) -----------------------------------------

def _money(max_yuan: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, max_yuan * 100).map(lambda fen: D(fen).scaleb(-2))


def _ratio() -> st.SearchStrategy[Decimal]:
    return st.integers(0, 10_000).map(lambda n: D(n).scaleb(-4))


_lines = st.lists(st.builds(
    CartLine,
    item_code=st.sampled_from(["L1", "L2", "L3", "L4"]),
    name=st.just("药品"),
    category=st.sampled_from(list(ProductCategory)),
    insurance_class=st.sampled_from(list(InsuranceClass)),
    is_prescription=st.booleans(),
    quantity=st.integers(1, 60),
    unit_price=st.integers(0, 99_999_999).map(lambda n: D(n).scaleb(-4)),
    retail_price=st.just(D(0)),
    units_per_pack=st.integers(1, 24),
), max_size=8)

_policies = st.builds(
    InsurerPolicy, fund_ratio_class_a=_ratio(), fund_ratio_class_b=_ratio(),
    class_b_self_pay_ratio=_ratio(), deductible=_money(500), annual_outpatient_cap=_money(5000),
    personal_account_enabled=st.booleans(), personal_account_covers_self_pay=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(lines=_lines, policy=_policies, balance=_money(3000), year=_money(6000),
       deductible_paid=_money(600), self_paid=st.sets(st.sampled_from(["L1", "L2"])),
       use_account=st.booleans())
def test_sale_2_totals_always_add_up_to_the_fen_and_are_never_negative(
        lines, policy, balance, year, deductible_paid, self_paid, use_account) -> None:
    result = compute_split(lines, policy=policy, account_balance=balance,
                           insured_total_this_year=year, self_paid_item_codes=self_paid,
                           deductible_paid_this_year=deductible_paid, use_account=use_account)
    for x in result.lines:
        parts = (x.fulamt_ownpay_amt, x.preselfpay_amt, x.inscp_scp_amt, x.deductible_pay,
                 x.fund_pay, x.overlmt_selfpay, x.acct_pay, x.cash_pay)
        assert all(p >= 0 and p == p.quantize(D("0.01")) for p in parts)
        assert x.fund_pay + x.acct_pay + x.cash_pay == x.amount
        assert x.fulamt_ownpay_amt + x.preselfpay_amt + x.inscp_scp_amt == x.amount
    assert result.medfee_sumamt == sum((x.amount for x in lines), D(0))
    assert result.fund_pay_sumamt + result.acct_pay + result.psn_cash_pay == result.medfee_sumamt
    assert result.fund_pay_sumamt <= max(policy.annual_outpatient_cap - year, D(0))
    assert 0 <= result.acct_pay <= balance
    assert result.balc >= 0
    if not (policy.personal_account_enabled and use_account):
        assert result.acct_pay == 0
    for cart_line, x in zip(lines, result.lines, strict=True):
        if not cart_line.listed_for_insurance or cart_line.item_code in self_paid:
            # SALE-1: nothing of such a line comes from insurance money.
            assert x.fund_pay == x.acct_pay == 0
