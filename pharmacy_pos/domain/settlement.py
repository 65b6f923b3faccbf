"""How a cart's cost is split between the fund, the personal account and cash (SALE-1/2/10/11).

``compute_split`` is pure and exact (``Decimal``, rounded to 分 per line, half up), so the
simulated insurer, the training mode and the till's own preview all agree to the fen.

Per line, in this order:

1. 全自费 (``fulamt_ownpay_amt``): out-of-catalogue, 丙类, never-insured categories
   (SALE-1) and lines the rules moved to self-pay (RX-13) are paid wholly by the buyer.
2. 乙类先行自付 (``preselfpay_amt``): the 乙类 self-pay share (SALE-10).
3. What is left is the in-scope amount (``inscp_scp_amt``). The year's deductible
   (起付线) is taken from it first, then the fund pays its class ratio of the rest, but
   never more than what remains of the annual cap (SALE-11); the part over the cap is
   ``overlmt_selfpay``.
4. The personal share (everything the fund does not pay) is paid from the personal
   account as far as the policy and the balance allow, the rest in cash.

Totals are sums of the lines, so fund + account + cash = total holds exactly. The
insurance parts of a line never exceed the line, so no change can ever come out of
insurance money (SALE-2): change is only ever given from the cash the buyer tendered.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import ZERO, format_yuan, round_amount
from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.domain.product import InsuranceClass


@dataclass(frozen=True, slots=True)
class SplitLine:
    """One cart line's split. Names follow the national platform's ``setlinfo``.

    Invariants: ``fulamt_ownpay_amt + preselfpay_amt + inscp_scp_amt == amount`` and
    ``fund_pay + acct_pay + cash_pay == amount``; every part is ≥ 0.

    Attributes:
        item_code: the store's product code.
        name: the product's display name.
        insurance_class: 医保类别 of the product.
        amount: what the line costs.
        fulamt_ownpay_amt: 全自费 part (SALE-1).
        preselfpay_amt: 乙类先行自付 part (SALE-10).
        inscp_scp_amt: 符合范围金额, the part the scheme considers.
        deductible_pay: part of the in-scope amount taken by the 起付线.
        fund_pay: what the pooled fund (统筹基金) pays.
        overlmt_selfpay: in-scope part the fund does not pay because the cap is reached.
        acct_pay: what the personal account pays.
        cash_pay: what the buyer pays in cash or otherwise.
        self_pay_reason: why the line is (partly) self-paid, in Chinese; empty if not.
    """

    item_code: str
    name: str
    insurance_class: InsuranceClass
    amount: Decimal
    fulamt_ownpay_amt: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal
    deductible_pay: Decimal
    fund_pay: Decimal
    overlmt_selfpay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal
    self_pay_reason: str = ""

    @property
    def psn_part_amt(self) -> Decimal:
        """What the person bears (account + cash): everything the fund does not pay."""
        return self.amount - self.fund_pay

    @property
    def self_paid_amt(self) -> Decimal:
        """The self-paid parts shown to the buyer (SALE-10): 全自费 + 乙类先行自付."""
        return self.fulamt_ownpay_amt + self.preselfpay_amt


@dataclass(frozen=True, slots=True)
class SettlementSplit:
    """The whole cart's split: lines and exact totals (names as in ``setlinfo``).

    Attributes:
        lines: one :class:`SplitLine` per cart line, in cart order.
        account_balance_before: the personal account balance the split started from.
    """

    lines: tuple[SplitLine, ...]
    account_balance_before: Decimal

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def medfee_sumamt(self) -> Decimal:
        """医疗费总额: the cart total."""
        return self._sum("amount")

    @property
    def fulamt_ownpay_amt(self) -> Decimal:
        """全自费金额."""
        return self._sum("fulamt_ownpay_amt")

    @property
    def preselfpay_amt(self) -> Decimal:
        """乙类先行自付金额."""
        return self._sum("preselfpay_amt")

    @property
    def inscp_scp_amt(self) -> Decimal:
        """符合政策范围金额."""
        return self._sum("inscp_scp_amt")

    @property
    def deductible_pay(self) -> Decimal:
        """起付线自付金额 (counts towards the year's deductible)."""
        return self._sum("deductible_pay")

    @property
    def fund_pay_sumamt(self) -> Decimal:
        """基金支付总额 (here only the pooled fund: ``hifp_pay``)."""
        return self._sum("fund_pay")

    @property
    def overlmt_selfpay(self) -> Decimal:
        """超限价/超限额自费金额 (over the annual cap)."""
        return self._sum("overlmt_selfpay")

    @property
    def psn_part_amt(self) -> Decimal:
        """个人负担总金额 = account + cash."""
        return self.medfee_sumamt - self.fund_pay_sumamt

    @property
    def acct_pay(self) -> Decimal:
        """个人账户支出."""
        return self._sum("acct_pay")

    @property
    def psn_cash_pay(self) -> Decimal:
        """个人现金支出: what the buyer still has to pay at the till."""
        return self._sum("cash_pay")

    @property
    def balc(self) -> Decimal:
        """个人账户余额 after this settlement."""
        return self.account_balance_before - self.acct_pay

    @property
    def self_paid_lines(self) -> tuple[SplitLine, ...]:
        """Lines with a self-paid part, to list and get consent for (SALE-10)."""
        return tuple(line for line in self.lines if line.self_paid_amt > 0)

    def change_for(self, tendered: Decimal) -> Decimal:
        """Change due when the buyer hands over ``tendered`` for the cash part (SALE-2).

        Change comes only out of the cash tendered, never out of insurance money.

        Raises:
            DomainError: the tendered cash does not cover the cash part.
        """
        if tendered < self.psn_cash_pay:
            raise DomainError(
                f"收款 {format_yuan(tendered)} 不足现金应付 {format_yuan(self.psn_cash_pay)}",
                rule_id="SALE-2")
        return tendered - self.psn_cash_pay

    def display_rows(self) -> list[tuple[str, Decimal]]:
        """The totals with Chinese labels, in the order of a 购药清单 (SALE-6, SALE-10)."""
        return [
            ("医疗费总额", self.medfee_sumamt),
            ("全自费金额", self.fulamt_ownpay_amt),
            ("乙类先行自付", self.preselfpay_amt),
            ("符合范围金额", self.inscp_scp_amt),
            ("起付线自付", self.deductible_pay),
            ("统筹基金支付", self.fund_pay_sumamt),
            ("超限额自付", self.overlmt_selfpay),
            ("个人账户支付", self.acct_pay),
            ("个人现金支付", self.psn_cash_pay),
            ("个人账户余额", self.balc),
        ]

    def self_paid_notes(self) -> list[str]:
        """One Chinese sentence per line with a self-paid part (SALE-10)."""
        return [f"“{line.name}”{line.self_pay_reason}：自付 {format_yuan(line.self_paid_amt)}"
                for line in self.self_paid_lines]


def compute_split(lines: Sequence[CartLine], *, policy: InsurerPolicy,
                  account_balance: Decimal, insured_total_this_year: Decimal,
                  self_paid_item_codes: Collection[str] = frozenset(),
                  deductible_paid_this_year: Decimal = ZERO,
                  use_account: bool = True) -> SettlementSplit:
    """Split a cart between the fund, the personal account and cash.

    Args:
        lines: the cart lines, in order (the cap and the balance are used up in it).
        policy: the scheme's numbers (ratios, self-pay share, deductible, cap).
        account_balance: the personal account balance before this settlement.
        insured_total_this_year: what the fund already paid for this person this year;
            the fund pays at most ``annual_outpatient_cap`` minus this (SALE-11).
        self_paid_item_codes: lines the rules moved to self-pay (SALE-1, RX-13).
        deductible_paid_this_year: how much of the year's 起付线 is already met.
        use_account: the buyer agrees to pay from the personal account (acct_used_flag).

    Returns:
        The split, with per-line parts and totals that add up exactly.

    Raises:
        DomainError: a line has a negative quantity or amount (SALE-2), or a negative
            balance or year total was passed in.
    """
    for name, value in (("个人账户余额", account_balance),
                        ("本年度统筹已支付", insured_total_this_year),
                        ("本年度起付线已累计", deductible_paid_this_year)):
        if value < 0:
            raise DomainError(f"{name}不能为负数：{value}")
    cap_left = max(policy.annual_outpatient_cap - insured_total_this_year, ZERO)
    deductible_left = max(policy.deductible - deductible_paid_this_year, ZERO)
    balance_left = account_balance if policy.personal_account_enabled and use_account else ZERO
    self_paid = frozenset(self_paid_item_codes)
    result: list[SplitLine] = []
    for line in lines:
        amount = line.amount
        if line.quantity <= 0 or amount < 0:
            # A negative line would move insurance money to the buyer (套现).
            raise DomainError(f"“{line.name}”数量须大于 0、金额不能为负：不允许冲抵",
                              rule_id="SALE-2")
        full_own, pre_self, reason = _self_paid_parts(line, amount, policy, self_paid)
        in_scope = amount - full_own - pre_self
        deductible = min(in_scope, deductible_left)
        deductible_left -= deductible
        ratio = (policy.fund_ratio_class_b if line.insurance_class is InsuranceClass.B
                 else policy.fund_ratio_class_a)
        by_ratio = round_amount((in_scope - deductible) * ratio)
        fund = min(by_ratio, cap_left)
        cap_left -= fund
        over_cap = by_ratio - fund
        # The account may pay the in-scope personal share; the 乙类 share only when the
        # region allows it, 全自费 never (it is not a catalogue item, SALE-1).
        account_base = in_scope - fund
        if policy.personal_account_covers_self_pay:
            account_base += pre_self
        account = min(account_base, balance_left)
        balance_left -= account
        result.append(SplitLine(
            item_code=line.item_code, name=line.name, insurance_class=line.insurance_class,
            amount=amount, fulamt_ownpay_amt=full_own, preselfpay_amt=pre_self,
            inscp_scp_amt=in_scope, deductible_pay=deductible, fund_pay=fund,
            overlmt_selfpay=over_cap, acct_pay=account, cash_pay=amount - fund - account,
            self_pay_reason=reason,
        ))
    return SettlementSplit(tuple(result), account_balance)


def _self_paid_parts(line: CartLine, amount: Decimal, policy: InsurerPolicy,
                     self_paid: frozenset[str]) -> tuple[Decimal, Decimal, str]:
    """(全自费, 乙类先行自付, Chinese reason) of one line (SALE-1, SALE-10)."""
    if line.category.never_insured:
        return amount, ZERO, f"属于{line.category.label}，医保不予支付，全自费"
    if line.insurance_class not in (InsuranceClass.A, InsuranceClass.B):
        return amount, ZERO, f"为{line.insurance_class.label}（不在医保目录内），全自费"
    if line.item_code in self_paid:
        return amount, ZERO, "不符合医保支付条件（已转为自费），全自费"
    if line.insurance_class is InsuranceClass.B:
        share = round_amount(amount * policy.class_b_self_pay_ratio)
        if share > 0:
            return ZERO, share, (f"为乙类药品，先行自付 "
                                 f"{(policy.class_b_self_pay_ratio * 100).normalize():f}%")
        return ZERO, share, ""
    return ZERO, ZERO, ""
