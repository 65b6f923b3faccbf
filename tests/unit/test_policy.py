from decimal import Decimal

import pytest

from pharmacy_pos.domain.errors import ValidationFailed
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.paths import resource


def test_default_policy_ships_and_validates():
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    assert policy.version == "2026.1"
    assert policy.stock.near_expiry_days == (30, 60, 90)
    assert policy.security.max_failed_logins == 5


def test_invalid_policy_lists_every_problem():
    text = """
version = "x"
region = "r"
effective_from = 2026-13-01
"""
    with pytest.raises(ValidationFailed, match="格式错误"):
        Policy.from_toml(text)
    text = """
version = "x"
region = "r"
effective_from = 2026-01-01
[stock]
near_expiry_days = [90, 30]
[security]
password_min_length = 2
unknown = 1
"""
    with pytest.raises(ValidationFailed) as failed:
        Policy.from_toml(text)
    fields = {p.field for p in failed.value.problems}
    assert {"stock", "security.password_min_length", "security.unknown"} <= fields


def test_default_policy_holds_the_prescription_and_insurer_numbers():
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    rx = policy.prescription
    assert (rx.general_max_days, rx.emergency_max_days, rx.chronic_max_days,
            rx.long_term_max_days) == (7, 3, 30, 84)
    assert "高血压" in rx.chronic_diseases and "糖尿病" in rx.chronic_diseases
    assert (rx.max_drugs_per_prescription, rx.validity_days, rx.extended_validity_days) == (5, 1, 3)
    assert policy.controlled.ephedrine_max_packs_without_rx == 2
    assert policy.sale.near_expiry_warn_days == 30
    assert policy.insurer.annual_outpatient_cap == Decimal("250.00")
    assert policy.insurer.fund_ratio_class_a == Decimal("0.70")
    # The file and the code defaults agree, so an old file without the sections behaves
    # like the shipped one.
    bare = Policy.from_toml('version = "x"\nregion = "r"\neffective_from = 2026-01-01\n')
    assert bare.prescription == rx and bare.insurer == policy.insurer


def test_invalid_prescription_and_insurer_numbers_are_listed_with_their_paths():
    text = """
version = "x"
region = "r"
effective_from = 2026-01-01
[prescription]
general_max_days = 0
max_drugs_per_prescription = 99
[controlled]
ephedrine_max_packs_without_rx = -1
[insurer]
fund_ratio_class_a = "1.5"
class_b_self_pay_ratio = 0.1
deductible = "-1"
annual_outpatient_cap = "250.001"
"""
    with pytest.raises(ValidationFailed) as failed:
        Policy.from_toml(text)
    fields = {p.field for p in failed.value.problems}
    assert {
        "prescription.general_max_days",
        "prescription.max_drugs_per_prescription",
        "controlled.ephedrine_max_packs_without_rx",
        "insurer.fund_ratio_class_a",
        "insurer.class_b_self_pay_ratio",
        "insurer.deductible",
        "insurer.annual_outpatient_cap",
    } <= fields


def test_inconsistent_prescription_limits_are_refused():
    text = """
version = "x"
region = "r"
effective_from = 2026-01-01
[prescription]
emergency_max_days = 10
chronic_diseases = ["高血压", "高血压"]
"""
    with pytest.raises(ValidationFailed) as failed:
        Policy.from_toml(text)
    assert "prescription" in {p.field for p in failed.value.problems}
