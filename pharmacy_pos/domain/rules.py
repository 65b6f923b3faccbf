"""The sale and prescription rules (RULES.md groups RX and SALE), as one pure function.

``evaluate(cart, context, policy)`` returns every finding for a cart: which rule spoke,
how it acts (block / approve / warn / record) and, in plain Chinese, what to do. It reads
only the cart, the context and the policy, so its cost grows with the cart, never with
the store's history (the services condense history into the context first).

Split, not refuse (SALE-1, RX-13): a line insurance may not pay does not stop the
insurance settlement of the other lines. Such a finding is a ``WARN`` with
``self_pay=True``; the till moves that line to self-pay and records the buyer's consent
(SALE-10). Only a problem with the whole settlement (RX-9) blocks it; the annual cap
(SALE-11) limits what the fund pays, which the settlement split enforces, so here it is
announced (``WARN``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from pharmacy_pos.domain.cart import CartContext, CartLine, Prescription
from pharmacy_pos.domain.identity import Action, Finding
from pharmacy_pos.domain.money import ZERO, format_yuan
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.product import ControlledCategory


@dataclass(frozen=True, slots=True)
class RuleFinding(Finding):
    """A finding about a sale, optionally about one line.

    Attributes:
        item_code: the line's product code, empty when the finding is about the cart.
        self_pay: the line stays in the sale but is paid outside insurance.
    """

    item_code: str = ""
    self_pay: bool = False


def rule_ids(findings: Iterable[Finding]) -> list[str]:
    """The rule ids of ``findings``, in order (for tests, logs and the status bar)."""
    return [f.rule_id for f in findings]


def self_paid_item_codes(findings: Iterable[Finding]) -> set[str]:
    """Item codes of lines the findings move to self-pay."""
    return {f.item_code for f in findings if isinstance(f, RuleFinding) and f.self_pay}


def evaluate(cart: Sequence[CartLine], context: CartContext, policy: Policy) -> list[Finding]:
    """Every RX and SALE finding for a cart, in a stable order.

    Args:
        cart: the lines being sold.
        context: the day, the payment wish, the prescription and condensed history.
        policy: the regional policy in force.

    Returns:
        The findings; empty when the sale may go on as rung.
    """
    findings: list[Finding] = []
    findings += _line_sanity(cart, context, policy)
    findings += _prescription_rules(cart, context, policy)
    findings += _ephedrine(cart, context, policy)
    findings += _repeat_supply(cart, context)
    if context.pay_with_insurance:
        findings += _insurance_rules(cart, context, policy, findings)
    return findings


# --- SALE-2, SALE-3, SALE-5: each line on its own -------------------------------------

def _line_sanity(cart: Sequence[CartLine], context: CartContext,
                 policy: Policy) -> list[Finding]:
    findings: list[Finding] = []
    warn_days = policy.sale.near_expiry_warn_days
    for line in cart:
        if line.quantity <= 0:
            findings.append(RuleFinding(
                "SALE-2", Action.BLOCK,
                f"“{line.name}”数量为 {line.quantity}：销售数量必须大于 0，退货请走退货流程",
                line.item_code))
        if line.unit_price < 0:
            findings.append(RuleFinding(
                "SALE-2", Action.BLOCK,
                f"“{line.name}”单价为负数：不允许负价冲抵，请删除此行", line.item_code))
        elif line.unit_price != line.retail_price:
            findings.append(RuleFinding(
                "SALE-3", Action.BLOCK,
                f"“{line.name}”售价 {format_yuan(line.unit_price)} 与零售价 "
                f"{format_yuan(line.retail_price)} 不一致：医保与现金顾客同价，请按零售价销售",
                line.item_code))
        if line.expiry_date is None:
            continue
        # 有效期至 is the last usable day: selling on it is allowed, the day after is not.
        days_left = (line.expiry_date - context.today).days
        if days_left < 0:
            findings.append(RuleFinding(
                "SALE-5", Action.BLOCK,
                f"“{line.name}”所选批次已于 {line.expiry_date:%Y-%m-%d} 过期：禁止销售，"
                "请换未过期批次，并将该批次下架待销毁", line.item_code))
        elif days_left <= warn_days:
            findings.append(RuleFinding(
                "SALE-5", Action.WARN,
                f"“{line.name}”所选批次将于 {line.expiry_date:%Y-%m-%d} 到期（剩 {days_left} 天）："
                "请告知顾客，并确认用药期内不会过期", line.item_code))
    return findings


# --- RX-1 to RX-8: the prescription itself ---------------------------------------------

def _prescription_rules(cart: Sequence[CartLine], context: CartContext,
                        policy: Policy) -> list[Finding]:
    rx = context.prescription
    if rx is None:
        # One finding per product, though its units may come from several batches.
        named = {line.item_code: line.name for line in cart if line.is_prescription}
        return [
            RuleFinding("RX-1", Action.BLOCK,
                        f"“{name}”是处方药：须凭处方销售，请顾客出示处方", code)
            for code, name in named.items()
        ]
    findings: list[Finding] = [Finding(
        "RX-2", Action.APPROVE,
        "凭处方销售：须由在岗执业药师（非本收银员）审核签字后方可调配",
    )]
    findings += _external(rx)
    findings += _dispensed_as_prescribed(cart, rx)
    findings += _days_of_supply(rx, policy)
    if len(rx.items) > policy.prescription.max_drugs_per_prescription:
        findings.append(Finding(
            "RX-7", Action.BLOCK,
            f"处方开具 {len(rx.items)} 种药品，超过每张处方 "
            f"{policy.prescription.max_drugs_per_prescription} 种的上限：请医师分开处方"))
    findings += _validity(rx, context, policy)
    return findings


def _external(rx: Prescription) -> list[Finding]:
    if not rx.external:
        return []
    findings: list[Finding] = []
    if not rx.institution_designated:
        findings.append(Finding(
            "RX-3", Action.BLOCK,
            "外配处方不是医保定点医疗机构开具：不予调配，请顾客到定点医疗机构就诊"))
    # An electronic prescription carries the electronic signature instead of ink and seal.
    if not rx.electronic and not (rx.signature_present and rx.seal_present):
        findings.append(Finding(
            "RX-3", Action.BLOCK,
            "外配处方缺少医师签名或医疗机构印章：不予调配，请顾客回开方机构补签盖章"))
    return findings


def _dispensed_as_prescribed(cart: Sequence[CartLine], rx: Prescription) -> list[Finding]:
    # One product may come from several batches, i.e. several lines: compare totals.
    totals: dict[str, int] = {}
    names: dict[str, str] = {}
    for line in cart:
        if line.is_prescription:
            totals[line.item_code] = totals.get(line.item_code, 0) + line.quantity
            names[line.item_code] = line.name
    findings: list[Finding] = []
    for code, quantity in totals.items():
        item = rx.item(code)
        if item is None:
            findings.append(RuleFinding(
                "RX-4", Action.BLOCK,
                f"“{names[code]}”不在处方上：不得替换或加开处方药，请按处方调配", code))
        elif quantity > item.quantity:
            findings.append(RuleFinding(
                "RX-4", Action.BLOCK,
                f"“{names[code]}”调配 {quantity} 超过处方量 {item.quantity}（最小单位）："
                "请按处方量调配", code))
    return findings


def _days_of_supply(rx: Prescription, policy: Policy) -> list[Finding]:
    limit, kind = supply_limit(rx, policy)
    return [
        RuleFinding(
            "RX-6", Action.BLOCK,
            f"处方药品 {item.item_code} 用量 {item.days_of_supply} 天，超过{kind}最多 {limit} 天："
            "请医师修改用量后重新签字", item.item_code)
        for item in rx.items if item.days_of_supply > limit
    ]


def supply_limit(rx: Prescription, policy: Policy) -> tuple[int, str]:
    """The most days one prescription may supply, and the kind's Chinese name (RX-6).

    Emergency is the strictest and wins; the chronic limits need a listed disease and
    (for 30 days) the physician's reason, otherwise the general limit applies.
    """
    rules = policy.prescription
    if rx.emergency:
        return rules.emergency_max_days, "急诊处方"
    chronic = rx.chronic_disease.strip() in {d.strip() for d in rules.chronic_diseases}
    if chronic and rx.long_term:
        return rules.long_term_max_days, "长期处方"
    if chronic and rx.chronic_reason.strip():
        return rules.chronic_max_days, "慢性病处方"
    return rules.general_max_days, "一般处方"


def _validity(rx: Prescription, context: CartContext, policy: Policy) -> list[Finding]:
    days = (policy.prescription.extended_validity_days if rx.validity_extended
            else policy.prescription.validity_days)
    # Valid on the day of issue and the following days-1 days.
    last_day = rx.issue_date + timedelta(days=days - 1)
    if context.today < rx.issue_date:
        return [Finding(
            "RX-8", Action.BLOCK,
            f"处方开具日期 {rx.issue_date:%Y-%m-%d} 晚于今天：请核对处方日期")]
    if context.today > last_day:
        return [Finding(
            "RX-8", Action.BLOCK,
            f"处方已于 {last_day:%Y-%m-%d} 失效（有效期 {days} 天）：请顾客重新就诊开方")]
    return []


# --- RX-12, RX-14 -----------------------------------------------------------------------

def _ephedrine(cart: Sequence[CartLine], context: CartContext,
               policy: Policy) -> list[Finding]:
    lines = [line for line in cart
             if line.controlled_category is ControlledCategory.EPHEDRINE_COMPOUND]
    if not lines:
        return []
    rules = policy.controlled
    findings: list[Finding] = []
    if rules.ephedrine_require_buyer_id and not context.buyer_id_recorded:
        findings.append(Finding(
            "RX-12", Action.BLOCK,
            "含麻黄碱类复方制剂：须登记购买人身份证件后方可销售，请扫描或录入身份证"))
    rx = context.prescription
    # Lines on a prescription are dispensed at the prescribed dose (RX-4 checks that);
    # the package limit is for the rest. Packs are counted exactly, split packs included.
    packs = sum((Fraction(line.quantity, line.units_per_pack) for line in lines
                 if rx is None or rx.item(line.item_code) is None), Fraction(0))
    if packs > rules.ephedrine_max_packs_without_rx:
        findings.append(Finding(
            "RX-12", Action.BLOCK,
            f"含麻黄碱类复方制剂无处方一次最多销售 {rules.ephedrine_max_packs_without_rx} "
            f"个最小包装，本单 {_packs_text(packs)} 个：请减少数量"))
    findings.append(Finding(
        "RX-12", Action.RECORD, "含麻黄碱类复方制剂：本次销售将记入专用登记册"))
    return findings


def _packs_text(packs: Fraction) -> str:
    if packs.denominator == 1:
        return str(packs.numerator)
    return f"{Decimal(packs.numerator) / Decimal(packs.denominator):.2f}"


def _repeat_supply(cart: Sequence[CartLine], context: CartContext) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[str] = set()
    for line in cart:
        until = context.supply_covered_until.get(line.item_code)
        if line.item_code in seen or until is None or context.today >= until:
            continue
        seen.add(line.item_code)
        findings.append(RuleFinding(
            "RX-14", Action.WARN,
            f"“{line.name}”上次购买的用量可用至 {until:%Y-%m-%d}，尚未用完：请询问原因，"
            "无正当理由不应重复配药（已记录备查）", line.item_code))
    return findings


# --- SALE-1, RX-13, RX-9, SALE-11: settlement through insurance ------------------------

def _insurance_rules(cart: Sequence[CartLine], context: CartContext, policy: Policy,
                     earlier: Sequence[Finding]) -> list[Finding]:
    findings: list[Finding] = []
    rx = context.prescription
    diagnosis = rx.diagnosis if rx is not None else ""
    insured_amount = ZERO
    for line in cart:
        if not line.listed_for_insurance:
            why = (line.category.label if line.category.never_insured
                   else f"{line.insurance_class.label}（不在医保目录内）")
            findings.append(RuleFinding(
                "SALE-1", Action.WARN,
                f"“{line.name}”属于{why}，医保不予支付：本行转为自费，请向顾客说明并另行收款",
                line.item_code, self_pay=True))
        elif line.restricted_scope.strip() and not diagnosis_fits(line.restricted_scope,
                                                                  diagnosis):
            findings.append(RuleFinding(
                "RX-13", Action.WARN,
                f"“{line.name}”医保限定支付范围为“{line.restricted_scope}”，"
                f"诊断“{diagnosis or '无'}”不符：本行转为自费，请向顾客说明",
                line.item_code, self_pay=True))
        elif line.quantity > 0:
            insured_amount += line.amount
    if rx is not None and rx.physician_insurance_right_revoked:
        findings.append(Finding(
            "RX-9", Action.BLOCK,
            f"开方医师 {rx.physician_code or ''} 的医保处方权已被取消：此处方不能医保结算，"
            "请顾客自费或重新就诊开方"))
    # The cap is checked only when nothing else blocks; a blocked cart's sum means little.
    if not any(f.blocks for f in [*earlier, *findings]):
        findings += _annual_cap(insured_amount, context, policy)
    return findings


def _annual_cap(insured_amount: Decimal, context: CartContext,
                policy: Policy) -> list[Finding]:
    cap = policy.insurer.annual_outpatient_cap
    if insured_amount <= 0 or context.insured_total_this_year + insured_amount <= cap:
        return []
    # The cap limits what the fund pays: the settlement split (domain/settlement.py) pays
    # at most what remains and books the rest as 超限额自付. Here the cashier is told
    # before paying, from the line amounts (an upper bound of the fund's share).
    left = max(cap - context.insured_total_this_year, ZERO)
    if left == 0:
        message = (f"本年度门诊统筹额度 {format_yuan(cap)} 已用完：统筹基金不再支付，"
                   "医保目录内药品由个人账户或现金支付")
    else:
        message = (f"本单医保金额 {format_yuan(insured_amount)} 可能超过本年度门诊统筹剩余额度 "
                   f"{format_yuan(left)}（年度限额 {format_yuan(cap)}）：超出部分由个人自付")
    return [Finding("SALE-11", Action.WARN, message)]


_SCOPE_SPLIT = re.compile(r"[、，,；;/\s]|或|及|和")
_SCOPE_AFFIXES = ("限", "的患者", "患者", "病人", "使用", "用药", "治疗")


def diagnosis_fits(restricted_scope: str, diagnosis: str) -> bool:
    """Whether a diagnosis falls within a restricted payment scope (RX-13).

    Catalogue scopes read like "限高血压、糖尿病患者": the conditions are taken from the
    text and the diagnosis fits when it names one of them. This is a first filter for
    the till; the pharmacist's review (RX-2) remains the judgement.

    Args:
        restricted_scope: the 限定支付范围 text of the product.
        diagnosis: the diagnosis written on the prescription.

    Returns:
        True when the scope is empty or the diagnosis names one of its conditions.
    """
    if not restricted_scope.strip():
        return True
    diagnosis = diagnosis.strip()
    if not diagnosis:
        return False
    for term in _SCOPE_SPLIT.split(restricted_scope):
        for affix in _SCOPE_AFFIXES:
            term = term.removeprefix(affix).removesuffix(affix)
        term = term.strip()
        if term and (term in diagnosis or diagnosis in term):
            return True
    return False
