"""Fuzzing the regional policy file (TOML, validated; RULES.md numbers).

Whatever the file holds, ``Policy.from_toml`` gives a policy whose numbers are sane or a
``ValidationFailed`` with Chinese messages (its problems too), never another exception.
Files start from the shipped default: values replaced (huge or negative numbers, floats
for money, NaN/Infinity, "1e30" and other scripts' digits in decimal strings, control
characters, deep nesting), lines dropped, duplicated or cut, bytes flipped; besides random
text. Installing a file (all or nothing) is fuzzed against a real database in
``tests/integration/test_import_fuzz.py``.
CI-sized runs are derandomized; ``[long]`` (marked ``slow``) runs 10,000 examples.
"""

from __future__ import annotations

import copy
import json
import tomllib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pharmacy_pos.domain.errors import ValidationFailed
from pharmacy_pos.domain.money import MAX_AMOUNT
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.paths import resource
from tests.fuzzing import attempt, chinese, fuzz

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


DEFAULT_TEXT = resource("policy", "default.toml").read_text(encoding="utf-8")
DEFAULT = tomllib.loads(DEFAULT_TEXT)


def toml_value(value: Any) -> str:
    """``value`` written as TOML (inline tables for nested ones)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML's (surrogates: a parse error)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_document(data: dict[str, Any]) -> str:
    """A document: top-level values first, then one ``[section]`` per table."""
    lines = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in data.items()
             if not isinstance(v, dict)]
    for name, section in data.items():
        if isinstance(section, dict):
            lines.append(f"[{json.dumps(name)}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in section.items()]
    return "\n".join(lines) + "\n"


LEAVES = [(k,) for k, v in DEFAULT.items() if not isinstance(v, dict)] + [
    (section, k) for section, table in DEFAULT.items() if isinstance(table, dict)
    for k in table]
NASTY = st.one_of(
    st.integers(), st.floats(), st.booleans(), st.dates(), st.text(max_size=12),
    st.sampled_from([10**30, -1, 0, 2**63, 10**400, "0.70", "1e30", "1E+999999", "NaN",
                     "-Infinity", "٣", "1_000", "0.123456", "-0.01", " 0.5 ", "0x1",
                     "9" * 40, "", "\x00", "2026.1\x00", "\u202e", "张" * 41, [], [0],
                     [3, 2, 1], [30, 30], ["高血压", "高血压"], [" "], ["\x07"], {},
                     {"a": 1}, [[[[]]]]]),
    st.lists(st.integers(-5, 400), max_size=5),
    st.lists(st.text(max_size=6), max_size=4),
)


def edited(changes: list[tuple[int, str, Any]]) -> str:
    data = copy.deepcopy(DEFAULT)
    for index, how, value in changes:
        path = LEAVES[index % len(LEAVES)]
        node = data
        for key in path[:-1]:
            node = node[key]
        if how == "replace":
            node[path[-1]] = value
        elif how == "delete":
            node.pop(path[-1], None)
        else:
            node[f"{path[-1]}_x"] = value
    return toml_document(data)


def damaged_text(args: tuple[str, int, int, str]) -> str:
    lines = DEFAULT_TEXT.splitlines(keepends=True)
    how, a, b, garbage = args
    a %= len(lines)
    if how == "drop":
        del lines[a]
    elif how == "double":
        lines.insert(a, lines[a])
    elif how == "cut":
        return "".join(lines)[: b % len(DEFAULT_TEXT)]
    else:
        line = lines[a]
        b %= len(line) + 1
        lines[a] = line[:b] + garbage + line[b:]
    return "".join(lines)


FILES = st.one_of(
    st.lists(st.tuples(st.integers(0, 100), st.sampled_from(["replace", "delete", "add"]),
                       NASTY), min_size=1, max_size=3).map(edited),
    st.tuples(st.sampled_from(["drop", "double", "cut", "splice"]), st.integers(0, 500),
              st.integers(0, 5000), st.text(max_size=5)).map(damaged_text),
    st.text(max_size=200),
    st.integers(1, 3000).map(lambda n: "a = " + "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: "a = " + "{b = " * n + "1" + "}" * n),
)


def assert_sane(policy: Policy) -> None:
    prescription, insurer = policy.prescription, policy.insurer
    assert 1 <= prescription.emergency_max_days <= prescription.general_max_days
    assert prescription.general_max_days <= prescription.chronic_max_days
    assert prescription.chronic_max_days <= prescription.long_term_max_days
    assert policy.version.isprintable() and policy.region.isprintable()
    for ratio in (insurer.fund_ratio_class_a, insurer.fund_ratio_class_b,
                  insurer.class_b_self_pay_ratio):
        assert Decimal(0) <= ratio <= Decimal(1)
    for amount in (insurer.deductible, insurer.annual_outpatient_cap):
        assert Decimal(0) <= amount < MAX_AMOUNT
        assert amount == amount.quantize(Decimal("0.01"))
    days = policy.stock.near_expiry_days
    assert list(days) == sorted(set(days)) and days[0] > 0


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_policy_file_is_sane_or_refused_in_chinese(examples):
    @fuzz(examples)
    @given(FILES)
    @example(DEFAULT_TEXT)
    @example(DEFAULT_TEXT.replace('deductible = "0.00"', 'deductible = "1e30"'))   # crashed
    @example("a = " + "9" * 5000)                                              # crashed
    @example("a = " + "[" * 100_000)                                           # crashed
    @example(DEFAULT_TEXT.replace('deductible = "0.00"', 'deductible = "٣"'))
    @example(DEFAULT_TEXT.replace('version = "2026.1"', 'version = "2026.1\\u0000"'))
    def check(text):
        policy, refused = attempt(lambda: Policy.from_toml(text, source="fuzz.toml"),
                                  ValidationFailed)
        if refused is not None:
            event("refused")
            assert chinese(refused.message)
            for problem in refused.problems:
                assert chinese(problem.message), problem
            return
        event("valid")
        assert_sane(policy)

    check()
