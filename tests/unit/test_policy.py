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
