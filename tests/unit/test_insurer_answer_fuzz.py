"""Fuzzing the insurer's answers at the protocol level (``insurance/protocol.py``).

Whatever body the platform sends, ``parse_answer`` gives an :class:`Answer` or raises
:class:`MalformedAnswer` (an ``InsurerUnavailable``: retry) with a Chinese message, never
another exception; ``parse_money`` gives an exact, bounded amount or the same refusal.
The client's handling of whole answers over a real socket (HTTP garbage included) is
fuzzed in ``tests/integration/test_insurer_fuzz.py``.
CI-sized runs are derandomized; ``[long]`` (marked ``slow``) runs 10,000 examples.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pharmacy_pos.insurance.ports import InsurerUnavailable
from pharmacy_pos.insurance.protocol import (
    MAX_MONEY,
    Answer,
    MalformedAnswer,
    answer,
    encode,
    parse_answer,
    parse_money,
)
from tests.fuzzing import attempt, chinese, fuzz

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
SETTLED = encode(answer("H11010500001202611011000000001", {
    "setlinfo": {"setl_id": "S1", "medfee_sumamt": "12.50", "fund_pay_sumamt": "8.75",
                 "acct_pay": "3.75", "psn_cash_pay": "0.00", "balc": "96.25"},
    "setldetail": [{"feedetl_sn": "1", "det_item_fee_sumamt": "12.50", "hifp_pay": "8.75"}],
}, at=AT))
REFUSED = encode(answer("H11010500001202611011000000002", at=AT, infcode=-1,
                        err_msg="[2102] 人员不存在"))

JSON_LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
               | st.text(max_size=12))
JSON_VALUES = st.recursive(JSON_LEAVES, lambda kids: st.lists(kids, max_size=4)
                           | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                           max_leaves=15)
INFCODES = st.one_of(JSON_VALUES, st.sampled_from(
    ["0", "-1", "²", "---5", "-", "", " 0", "0 ", "1e3", "٠", "9" * 5000, 10**30, True,
     -1.0, "+1", "0x0"]))


def with_fields(args: tuple[dict, dict]) -> bytes:
    base, fields = args
    raw = json.dumps({**base, **fields}, ensure_ascii=False, allow_nan=True)
    return raw.encode("utf-8", "surrogatepass")


def damaged(args: tuple[bytes, str, int, bytes]) -> bytes:
    raw, how, at, garbage = args
    at %= len(raw) + 1
    if how == "cut":
        return raw[:at]
    if how == "splice":
        return raw[:at] + garbage + raw[at:]
    return raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:] if at < len(raw) else raw


BODIES = st.one_of(
    st.tuples(st.sampled_from([json.loads(SETTLED), json.loads(REFUSED)]),
              st.fixed_dictionaries({}, optional={
                  "infcode": INFCODES, "output": JSON_VALUES, "err_msg": JSON_VALUES,
                  "warn_msg": JSON_VALUES, "inf_refmsgid": JSON_VALUES,
                  "ext_err_code": JSON_VALUES})).map(with_fields),
    st.tuples(st.sampled_from([SETTLED, REFUSED]), st.sampled_from(["cut", "splice", "flip"]),
              st.integers(0, 600), st.binary(min_size=1, max_size=6)).map(damaged),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.integers(1, 5000).map(lambda n: b'{"infcode":0,"output":' + b"[" * n + b"]" * n + b"}"),
    st.sampled_from([b'{"infcode":0,"err_msg":"\\ud800"}', b'{"infcode":NaN}',
                     b'{"infcode":0,"output":{"a":1e999}}', b'{"infcode":' + b"9" * 5000 + b"}",
                     b"\xef\xbb\xbf" + SETTLED, SETTLED.decode().encode("utf-16"), b"null"]),
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_parse_answer_gives_an_answer_or_malformed(examples):
    @fuzz(examples)
    @given(BODIES)
    @example(SETTLED)
    @example(b'{"infcode":"\xc2\xb2"}')                  # crashed: int("²")
    @example(b'{"infcode":"---5"}')                      # crashed: int("---5")
    @example(b"[" * 100_000)                             # crashed: RecursionError
    @example(b'{"infcode":' + b"9" * 5000 + b"}")       # crashed: int conversion limit
    @example(b'{"infcode":0,"err_msg":"\\ud800"}')      # a text no database can store
    def check(body):
        parsed, refused = attempt(lambda: parse_answer(body), MalformedAnswer)
        if refused is not None:
            event("malformed")
            assert isinstance(refused, InsurerUnavailable) and chinese(str(refused))
            return
        event("ok" if parsed.ok else "refusal")
        assert isinstance(parsed, Answer) and type(parsed.infcode) is int
        assert isinstance(parsed.output, dict)
        for text in (parsed.err_msg, parsed.warn_msg, parsed.inf_refmsgid, parsed.code):
            assert isinstance(text, str)
            text.encode("utf-8")  # storable in the upload log and shown to the cashier

    check()


AMOUNTS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-10**6, max_value=10**6, places=2).map(str),
    st.text(max_size=20), JSON_LEAVES,
    st.sampled_from(["12.30", "-0.01", "0", "9E+999999", "1E-999999", "1_000", "٣",
                     " 12.30", "12.30 ", "12.301", "NaN", "-Infinity", "sNaN", "1e3",
                     "9" * 5000, "999999999999.99", "1000000000000.00", "+1.00", ".5", "5."]),
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_parse_money_is_exact_and_bounded_or_malformed(examples):
    @fuzz(examples)
    @given(AMOUNTS, AMOUNTS)
    @example("9E+999999", "9E+999999")   # crashed: adding them overflowed the context
    def check(first, second):
        amounts, refused = attempt(
            lambda: (parse_money(first, "balc"), parse_money(second, "acct_pay")),
            MalformedAnswer)
        if refused is not None:
            event("malformed")
            assert chinese(str(refused)) and len(str(refused)) < 200
            return
        event("amounts")
        a, b = amounts
        for value in (a, b):
            assert isinstance(value, Decimal) and value.is_finite() and abs(value) < MAX_MONEY
            assert value == value.quantize(Decimal("0.01"))
        assert a + b - b == a   # what the client does with them stays exact

    check()
