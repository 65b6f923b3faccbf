"""The RX and SALE rules of the till (domain/rules.py), one rule id at a time."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from pharmacy_pos.domain.cart import CartContext, CartLine, Prescription, PrescriptionItem
from pharmacy_pos.domain.identity import Action
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.product import ControlledCategory, InsuranceClass, ProductCategory
from pharmacy_pos.domain.rules import (
    RuleFinding,
    diagnosis_fits,
    evaluate,
    rule_ids,
    self_paid_item_codes,
    supply_limit,
)
from pharmacy_pos.paths import resource

TODAY = date(2026, 3, 10)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))


def otc(**changes) -> CartLine:
    """A catalogue-listed OTC drug, 24 tablets a box, a fair price, a distant expiry."""
    line = CartLine(
        item_code="OTC1", name="维生素C片", category=ProductCategory.DRUG,
        insurance_class=InsuranceClass.A, is_prescription=False, quantity=24,
        unit_price=Decimal("12.50"), retail_price=Decimal("12.50"), units_per_pack=24,
        expiry_date=date(2028, 1, 31),
    )
    return replace(line, **changes)


def rx_drug(**changes) -> CartLine:
    """A prescription drug, 7 tablets a box."""
    values = {"item_code": "RX1", "name": "苯磺酸氨氯地平片", "is_prescription": True,
              "quantity": 7, "units_per_pack": 7}
    return otc(**(values | changes))


def prescription(**changes) -> Prescription:
    """A clean in-store prescription for one box of RX1, 7 days, issued today."""
    rx = Prescription(
        issue_date=TODAY, items=(PrescriptionItem("RX1", 7, 7),), physician_code="D001",
        patient_name="张三", diagnosis="高血压",
    )
    return replace(rx, **changes)


def context(**changes) -> CartContext:
    return replace(CartContext(today=TODAY), **changes)


def ids(cart, ctx, policy) -> list[str]:
    return rule_ids(evaluate(cart, ctx, policy))


# --- clean carts ---------------------------------------------------------------------

def test_clean_otc_cart_has_no_findings(policy):
    assert evaluate([otc()], context(pay_with_insurance=True), policy) == []


def test_clean_prescription_cart_only_needs_the_pharmacist(policy):
    findings = evaluate([rx_drug()], context(prescription=prescription()), policy)
    assert rule_ids(findings) == ["RX-2"]
    assert findings[0].action is Action.APPROVE
    assert Action.APPROVE.label == "需审批"
    assert not findings[0].blocks


# --- RX --------------------------------------------------------------------------------

def test_rx_1_prescription_drug_without_prescription_is_refused(policy):
    findings = evaluate([rx_drug(), otc()], context(), policy)
    assert rule_ids(findings) == ["RX-1"]
    assert findings[0].blocks and "处方" in findings[0].message


def test_rx_2_every_prescription_needs_pharmacist_approval(policy):
    findings = evaluate([rx_drug()], context(prescription=prescription()), policy)
    assert [(f.rule_id, f.action) for f in findings] == [("RX-2", Action.APPROVE)]


def test_rx_3_external_prescription_from_undesignated_institution_is_refused(policy):
    rx = prescription(external=True, institution_designated=False)
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2", "RX-3"]


def test_rx_3_external_prescription_without_seal_is_refused(policy):
    rx = prescription(external=True, seal_present=False)
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2", "RX-3"]


def test_rx_3_electronic_external_prescription_is_accepted(policy):
    rx = prescription(external=True, electronic=True, signature_present=False,
                      seal_present=False)
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2"]


def test_rx_4_drug_not_on_prescription_is_refused(policy):
    cart = [rx_drug(), rx_drug(item_code="RX2", name="阿莫西林胶囊")]
    findings = evaluate(cart, context(prescription=prescription()), policy)
    assert rule_ids(findings) == ["RX-2", "RX-4"]
    assert isinstance(findings[1], RuleFinding) and findings[1].item_code == "RX2"


def test_rx_4_more_than_prescribed_over_two_batches_is_refused(policy):
    cart = [rx_drug(quantity=4), rx_drug(quantity=4, expiry_date=date(2027, 6, 30))]
    assert ids(cart, context(prescription=prescription()), policy) == ["RX-2", "RX-4"]


def test_rx_6_acute_supply_over_7_days_is_refused(policy):
    rx = prescription(items=(PrescriptionItem("RX1", 7, 8),))
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2", "RX-6"]


def test_rx_6_general_supply_of_exactly_7_days_passes(policy):
    rx = prescription(items=(PrescriptionItem("RX1", 7, 7),))
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2"]


def test_rx_6_emergency_supply_over_3_days_is_refused(policy):
    ok = prescription(emergency=True, items=(PrescriptionItem("RX1", 7, 3),))
    over = prescription(emergency=True, items=(PrescriptionItem("RX1", 7, 4),))
    assert ids([rx_drug()], context(prescription=ok), policy) == ["RX-2"]
    assert ids([rx_drug()], context(prescription=over), policy) == ["RX-2", "RX-6"]


def test_rx_6_listed_chronic_disease_with_reason_allows_30_days(policy):
    base = prescription(chronic_disease="高血压", chronic_reason="病情稳定需长期服药")
    ok = replace(base, items=(PrescriptionItem("RX1", 7, 30),))
    over = replace(base, items=(PrescriptionItem("RX1", 7, 31),))
    assert ids([rx_drug()], context(prescription=ok), policy) == ["RX-2"]
    assert ids([rx_drug()], context(prescription=over), policy) == ["RX-2", "RX-6"]


def test_rx_6_chronic_without_reason_or_unlisted_disease_gets_general_limit(policy):
    no_reason = prescription(chronic_disease="高血压")
    unlisted = prescription(chronic_disease="感冒", chronic_reason="顾客要求")
    assert supply_limit(no_reason, policy)[0] == 7
    assert supply_limit(unlisted, policy)[0] == 7


def test_rx_6_long_term_prescription_allows_12_weeks(policy):
    base = prescription(chronic_disease="糖尿病", long_term=True)
    ok = replace(base, items=(PrescriptionItem("RX1", 7, 84),))
    over = replace(base, items=(PrescriptionItem("RX1", 7, 85),))
    assert ids([rx_drug()], context(prescription=ok), policy) == ["RX-2"]
    assert ids([rx_drug()], context(prescription=over), policy) == ["RX-2", "RX-6"]


def test_rx_7_six_drugs_on_one_prescription_are_refused(policy):
    five = (*(PrescriptionItem(f"D{i}", 1, 3) for i in range(4)), PrescriptionItem("RX1", 7, 7))
    six = (*five, PrescriptionItem("D9", 1, 3))
    assert ids([rx_drug()], context(prescription=prescription(items=five)), policy) == ["RX-2"]
    assert ids([rx_drug()], context(prescription=prescription(items=six)),
               policy) == ["RX-2", "RX-7"]


def test_rx_8_prescription_is_valid_on_its_day_only(policy):
    yesterday = prescription(issue_date=TODAY - timedelta(days=1))
    assert ids([rx_drug()], context(prescription=prescription()), policy) == ["RX-2"]
    assert ids([rx_drug()], context(prescription=yesterday), policy) == ["RX-2", "RX-8"]


def test_rx_8_extended_validity_passes_on_last_day_and_fails_after(policy):
    last_day = prescription(issue_date=TODAY - timedelta(days=2), validity_extended=True)
    too_late = prescription(issue_date=TODAY - timedelta(days=3), validity_extended=True)
    assert ids([rx_drug()], context(prescription=last_day), policy) == ["RX-2"]
    assert ids([rx_drug()], context(prescription=too_late), policy) == ["RX-2", "RX-8"]


def test_rx_8_prescription_dated_in_the_future_is_refused(policy):
    rx = prescription(issue_date=TODAY + timedelta(days=1))
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2", "RX-8"]


def test_rx_9_revoked_physician_is_not_settled_by_insurance(policy):
    rx = prescription(physician_insurance_right_revoked=True)
    insured = context(prescription=rx, pay_with_insurance=True)
    findings = evaluate([rx_drug()], insured, policy)
    assert rule_ids(findings) == ["RX-2", "RX-9"]
    assert findings[1].blocks
    # Paid in cash the same prescription may be dispensed.
    assert ids([rx_drug()], context(prescription=rx), policy) == ["RX-2"]


def ephedrine(**changes) -> CartLine:
    values = {"item_code": "EPH1", "name": "复方盐酸伪麻黄碱缓释胶囊", "units_per_pack": 10,
              "quantity": 10, "controlled_category": ControlledCategory.EPHEDRINE_COMPOUND}
    return otc(**(values | changes))


def test_rx_12_ephedrine_compound_needs_buyer_id(policy):
    findings = evaluate([ephedrine()], context(), policy)
    assert [(f.rule_id, f.action) for f in findings] == [
        ("RX-12", Action.BLOCK), ("RX-12", Action.RECORD)]


def test_rx_12_ephedrine_compound_two_packs_pass_three_are_refused(policy):
    with_id = context(buyer_id_recorded=True)
    two = [ephedrine(quantity=15), ephedrine(quantity=5)]
    three = [ephedrine(quantity=21)]
    assert [(f.rule_id, f.action) for f in evaluate(two, with_id, policy)] == [
        ("RX-12", Action.RECORD)]
    assert [(f.rule_id, f.action) for f in evaluate(three, with_id, policy)] == [
        ("RX-12", Action.BLOCK), ("RX-12", Action.RECORD)]


def test_rx_13_restricted_drug_with_unfitting_diagnosis_goes_to_self_pay(policy):
    line = rx_drug(restricted_scope="限糖尿病患者")
    ctx = context(prescription=prescription(diagnosis="高血压"), pay_with_insurance=True)
    findings = evaluate([line], ctx, policy)
    assert rule_ids(findings) == ["RX-2", "RX-13"]
    assert findings[1].action is Action.WARN
    assert self_paid_item_codes(findings) == {"RX1"}


def test_rx_13_restricted_drug_with_fitting_diagnosis_is_insured(policy):
    line = rx_drug(restricted_scope="限高血压、糖尿病患者")
    ctx = context(prescription=prescription(diagnosis="原发性高血压"), pay_with_insurance=True)
    assert ids([line], ctx, policy) == ["RX-2"]


def test_rx_13_diagnosis_matching():
    assert diagnosis_fits("", "")
    assert diagnosis_fits("限高血压、糖尿病患者", "2型糖尿病")
    assert diagnosis_fits("限二线用药", "二线") is True
    assert not diagnosis_fits("限糖尿病患者", "")
    assert not diagnosis_fits("限糖尿病患者", "急性上呼吸道感染")


def test_rx_14_previous_supply_not_used_up_warns(policy):
    running = context(supply_covered_until={"OTC1": TODAY + timedelta(days=3)})
    findings = evaluate([otc(), otc(expiry_date=date(2027, 12, 31))], running, policy)
    assert [(f.rule_id, f.action) for f in findings] == [("RX-14", Action.WARN)]


def test_rx_14_buying_on_the_last_covered_day_is_fine(policy):
    assert ids([otc()], context(supply_covered_until={"OTC1": TODAY}), policy) == []


# --- SALE ------------------------------------------------------------------------------

def test_sale_1_cosmetic_is_never_paid_by_insurance(policy):
    cream = otc(item_code="COS1", name="保湿面霜", category=ProductCategory.COSMETIC)
    findings = evaluate([otc(), cream], context(pay_with_insurance=True), policy)
    assert rule_ids(findings) == ["SALE-1"]
    # Split, not refused: the cream goes to self-pay, the vitamin C stays insured.
    assert not findings[0].blocks
    assert self_paid_item_codes(findings) == {"COS1"}


def test_sale_1_non_catalogue_item_goes_to_self_pay(policy):
    for klass in (InsuranceClass.NONE, InsuranceClass.C):
        line = otc(insurance_class=klass)
        assert ids([line], context(pay_with_insurance=True), policy) == ["SALE-1"]


def test_sale_1_cosmetic_paid_in_cash_has_no_finding(policy):
    cream = otc(category=ProductCategory.COSMETIC)
    assert ids([cream], context(), policy) == []


def test_sale_2_zero_or_negative_quantity_is_refused(policy):
    assert ids([otc(quantity=0)], context(), policy) == ["SALE-2"]
    assert ids([otc(quantity=-1)], context(), policy) == ["SALE-2"]


def test_sale_2_negative_price_is_refused(policy):
    line = otc(unit_price=Decimal("-5.00"), retail_price=Decimal("12.50"))
    assert ids([line], context(), policy) == ["SALE-2"]


def test_sale_3_price_other_than_retail_price_is_refused(policy):
    line = otc(unit_price=Decimal("11.00"))
    assert ids([line], context(), policy) == ["SALE-3"]


def test_sale_5_expired_batch_is_refused(policy):
    findings = evaluate([otc(expiry_date=TODAY - timedelta(days=1))], context(), policy)
    assert [(f.rule_id, f.action) for f in findings] == [("SALE-5", Action.BLOCK)]


def test_sale_5_near_expiry_batch_warns_and_expiry_day_still_sells(policy):
    window = policy.sale.near_expiry_warn_days
    for expiry in (TODAY, TODAY + timedelta(days=window)):
        findings = evaluate([otc(expiry_date=expiry)], context(), policy)
        assert [(f.rule_id, f.action) for f in findings] == [("SALE-5", Action.WARN)]
    assert ids([otc(expiry_date=TODAY + timedelta(days=window + 1))], context(), policy) == []


def test_sale_11_annual_cap_is_announced_and_left_to_the_split(policy):
    # The fund never pays past the cap (tests/unit/test_settlement.py proves the split);
    # the engine tells the cashier beforehand instead of refusing the whole sale.
    cap = policy.insurer.annual_outpatient_cap
    assert cap == Decimal("250.00")
    exactly = context(pay_with_insurance=True, insured_total_this_year=cap - Decimal("12.50"))
    over = context(pay_with_insurance=True, insured_total_this_year=cap - Decimal("12.49"))
    used_up = context(pay_with_insurance=True, insured_total_this_year=cap)
    assert ids([otc()], exactly, policy) == []
    findings = evaluate([otc()], over, policy)
    assert rule_ids(findings) == ["SALE-11"] and not findings[0].blocks
    assert "超出部分由个人自付" in findings[0].message
    assert "已用完" in evaluate([otc()], used_up, policy)[0].message


def test_sale_11_self_paid_lines_do_not_count_against_the_cap(policy):
    cream = otc(item_code="COS1", category=ProductCategory.COSMETIC,
                unit_price=Decimal("300.00"), retail_price=Decimal("300.00"))
    assert ids([otc(), cream], context(pay_with_insurance=True), policy) == ["SALE-1"]


def test_split_pack_line_amount_is_exact():
    line = otc(quantity=6, unit_price=Decimal("12.50"), retail_price=Decimal("12.50"))
    assert line.amount == Decimal("3.13")


def test_context_does_not_share_the_callers_mapping():
    covered = {"OTC1": TODAY}
    ctx = context(supply_covered_until=covered)
    covered["OTC2"] = TODAY
    assert "OTC2" not in ctx.supply_covered_until


def test_evaluation_reads_only_the_cart(policy):
    # A year of condensed history is one number and one mapping: evaluation cost is the
    # cart's, whatever the history (the issue measures this with a benchmark as well).
    history = {f"P{i}": TODAY - timedelta(days=1) for i in range(10_000)}
    ctx = context(pay_with_insurance=True, supply_covered_until=history,
                  insured_total_this_year=Decimal("100.00"))
    assert evaluate([otc()], ctx, policy) == []
