"""Paying for a sale, reviewing its prescription, returning it: the pure parts.

Which means of payment a sale may use (SALE-2, SALE-4), what change is due, the reasons
a pharmacist may refuse a prescription (RX-2, RX-5), how document numbers read (SALE-6),
and how much of a line a return gives back. The services hold the state and the
database; everything here is arithmetic and words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import ZERO, format_yuan, round_amount


class PaymentMethod(StrEnum):
    """How a part of a sale is paid. Fund and account come only from a settlement."""

    FUND = "fund"
    ACCOUNT = "account"
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    BANK_CARD = "bank_card"
    GIFT_CARD = "gift_card"

    @property
    def label(self) -> str:
        """Chinese name for screens and receipts."""
        return _PAYMENT_LABELS[self]

    @property
    def from_insurance(self) -> bool:
        """Paid out of insurance funds (pooled fund or personal account)."""
        return self in (PaymentMethod.FUND, PaymentMethod.ACCOUNT)


_PAYMENT_LABELS = {
    PaymentMethod.FUND: "统筹基金",
    PaymentMethod.ACCOUNT: "个人账户",
    PaymentMethod.CASH: "现金",
    PaymentMethod.WECHAT: "微信",
    PaymentMethod.ALIPAY: "支付宝",
    PaymentMethod.BANK_CARD: "银行卡",
    PaymentMethod.GIFT_CARD: "购物卡/礼券",
}

# What the buyer may pay the non-insured part with, at the till.
TENDER_METHODS = (PaymentMethod.CASH, PaymentMethod.WECHAT, PaymentMethod.ALIPAY,
                  PaymentMethod.BANK_CARD, PaymentMethod.GIFT_CARD)

# A slip of the finger (an extra zero, a barcode typed into the amount) is not a tender.
MAX_TENDER = Decimal("100000.00")


@dataclass(frozen=True, slots=True)
class Tender:
    """What the buyer hands over for the part insurance does not pay.

    Attributes:
        method: cash, mobile payment, bank card or gift card.
        amount_due: what is left to pay after fund and account.
        tendered: what was handed over (cash only; other methods pay exactly).
        change: cash given back.
    """

    method: PaymentMethod
    amount_due: Decimal
    tendered: Decimal
    change: Decimal


def take_tender(method: PaymentMethod, amount_due: Decimal, tendered: Decimal | None, *,
                insured: bool) -> Tender:
    """Check what the buyer pays the rest with, and the change (SALE-2, SALE-4).

    Change comes only out of cash the buyer handed over for the non-insured part, never
    out of insurance money (SALE-2); an insurance purchase takes no gift card or voucher
    (SALE-4). Non-cash methods pay the exact amount due.

    Args:
        method: the means of payment for the rest.
        amount_due: what remains after fund and account, ≥ 0.
        tendered: the cash handed over; ``None`` means exactly the amount due.
        insured: the sale is settled through insurance.

    Raises:
        DomainError: a means insurance sales may not use, a tender below what is due,
            an absurd tender, or a tender for a non-cash method.
    """
    if method.from_insurance:
        raise DomainError(f"{method.label}只能由医保结算支付，不能作为收款方式", rule_id="SALE-2")
    if amount_due < 0:
        raise DomainError(f"应收金额不能为负数（{format_yuan(amount_due)}）：不允许冲抵",
                          rule_id="SALE-2")
    if insured and method is PaymentMethod.GIFT_CARD:
        raise DomainError("医保购药不得使用购物卡、礼券等支付或参与促销：请改用现金、"
                          "微信、支付宝或银行卡", rule_id="SALE-4")
    if tendered is None:
        return Tender(method, amount_due, amount_due, ZERO)
    if tendered != round_amount(tendered):
        raise DomainError(f"实收金额 {tendered} 精确到分即可，请重新输入")
    if tendered < 0 or tendered > MAX_TENDER:
        raise DomainError(f"实收金额 {format_yuan(tendered)} 不合理，请重新输入")
    if method is not PaymentMethod.CASH and tendered != amount_due:
        raise DomainError(f"{method.label}按应收金额 {format_yuan(amount_due)} 收款，"
                          "不能多收或找零", rule_id="SALE-2")
    if tendered < amount_due:
        raise DomainError(f"实收 {format_yuan(tendered)} 少于应收 {format_yuan(amount_due)}："
                          "请补足现金")
    return Tender(method, amount_due, tendered, tendered - amount_due)


class ReviewDecision(StrEnum):
    """The pharmacist's decision on a prescription (RX-2)."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"pending": "待审核", "approved": "审核通过", "refused": "审核拒绝"}[self.value]


class RefusalReason(StrEnum):
    """Why a pharmacist refuses to dispense (RX-5 for incompatibility and overdose)."""

    INCOMPATIBILITY = "incompatibility"
    OVERDOSE = "overdose"
    IRREGULAR = "irregular"
    PATIENT_MISMATCH = "patient_mismatch"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Chinese name for the review screen and the record."""
        return _REFUSAL_LABELS[self]

    @property
    def rule_id(self) -> str:
        """The rule the refusal applies."""
        if self in (RefusalReason.INCOMPATIBILITY, RefusalReason.OVERDOSE):
            return "RX-5"
        if self is RefusalReason.PATIENT_MISMATCH:
            return "ID-6"
        return "RX-2"


_REFUSAL_LABELS = {
    RefusalReason.INCOMPATIBILITY: "配伍禁忌",
    RefusalReason.OVERDOSE: "超剂量",
    RefusalReason.IRREGULAR: "处方不规范",
    RefusalReason.PATIENT_MISMATCH: "患者与处方不符",
    RefusalReason.OTHER: "其他",
}


def refusal_message(reason: RefusalReason, note: str) -> str:
    """What the cashier is told when the pharmacist refused (RX-5 wording)."""
    text = f"药师拒绝调配：{reason.label}"
    if note.strip():
        text += f"（{note.strip()}）"
    if reason.rule_id == "RX-5":
        text += "。须由开方医师更正并重新签字后，作为新处方重新提交审核"
    return text


def sale_doc_no(store_code: str, day: date, number: int, *, kind: str = "sale") -> str:
    """A receipt or return-slip number: gapless per store, kind and day (SALE-6).

    ``XS`` (销售) or ``TH`` (退货), the store code, the day and a 5-digit counter, e.g.
    ``XS-S001-20261101-00042``.
    """
    if number < 1 or number > 99_999:
        raise ValueError(f"document counter out of range: {number}")
    prefix = {"sale": "XS", "return": "TH"}[kind]
    return f"{prefix}-{store_code}-{day:%Y%m%d}-{number:05d}"


def refund_share(amount: Decimal, quantity: int, returned_before: int, returning: int) -> Decimal:
    """The part of a line's ``amount`` a return of ``returning`` units gives back.

    Proportional to the units, rounded to 分; the last return of a line gives back exactly
    what is left, so the parts of several partial returns add up to the line's amount.

    Raises:
        DomainError: more units returned than were sold and not yet returned (SALE-2).
    """
    left = quantity - returned_before
    if returning <= 0:
        raise DomainError("退货数量必须大于 0", rule_id="SALE-2")
    if returning > left:
        raise DomainError(f"退货数量 {returning} 超过可退数量 {left}", rule_id="SALE-2")
    before = round_amount(amount * returned_before / quantity)
    after = (amount if returning == left
             else round_amount(amount * (returned_before + returning) / quantity))
    return after - before
