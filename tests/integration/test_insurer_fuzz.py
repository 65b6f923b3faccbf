"""Fuzzing the national platform client against a real socket that answers garbage.

A small TCP server on 127.0.0.1 answers sign-in properly and the call under test with
fuzzed bytes: a well-formed HTTP answer whose JSON is damaged (values replaced by wrong
types, huge or NaN amounts, nesting, ids too long to store; keys dropped), or HTTP
itself damaged (status line, ``Content-Length``, chunking, cut short), or random bytes.
Each gateway call (9001, 1101, 2101, 2102, 2103, 2601, uploads) then returns a sane
value or raises ``InsurerUnavailable`` (retry: a malformed answer is one) or
``InsurerRefused``, with a Chinese message; never another exception.
CI-sized runs are derandomized; ``[long]`` (marked ``slow``) runs 10,000 examples.
"""

from __future__ import annotations

import contextlib
import copy
import json
import socket
import threading
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.insurance.adapters.platform import PlatformGateway
from pharmacy_pos.insurance.ports import (
    InsurerRefused,
    InsurerUnavailable,
    SettlementRequest,
    make_msgid,
)
from pharmacy_pos.insurance.protocol import Caller, Exchange, load_profile
from pharmacy_pos.paths import resource
from tests.fuzzing import chinese, fuzz

RUNS = [
    pytest.param(60, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


NATIONAL = load_profile(resource("insurer", "national.toml"))
CLOCK = FixedClock(datetime(2026, 11, 1, 2, 0, tzinfo=UTC))
STORE = "H11010500001"


def http(body: bytes, *, status: bytes = b"200 OK", headers: bytes | None = None) -> bytes:
    """A whole HTTP/1.1 answer; the server closes the connection after each one."""
    if headers is None:
        headers = b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
    return b"HTTP/1.1 " + status + b"\r\n" + headers + b"Connection: close\r\n\r\n" + body


def ok(output: dict[str, Any]) -> dict[str, Any]:
    return {"infcode": 0, "inf_refmsgid": "R1", "err_msg": None, "warn_msg": None,
            "output": output}


DETAIL = {"feedetl_sn": "1", "det_item_fee_sumamt": "12.50", "fulamt_ownpay_amt": "0.00",
          "preselfpay_amt": "0.00", "inscp_scp_amt": "12.50", "ext_deductible_pay": "0.00",
          "hifp_pay": "8.75", "overlmt_selfpay": "0.00", "acct_pay": "3.75",
          "psn_cash_pay": "0.00", "memo": ""}
SETTLED = {"setlinfo": {"setl_id": "SIMSETL0001", "mdtrt_id": "SIMMDTRT0001",
                        "medfee_sumamt": "12.50", "fund_pay_sumamt": "8.75", "acct_pay": "3.75",
                        "psn_cash_pay": "0.00", "balc": "96.25", "ext_balc_before": "100.00"},
           "setldetail": [DETAIL]}
# The well-formed answer of each transaction, which the fuzz damages.
GOOD: dict[str, dict[str, Any]] = {
    "9001": ok({"signinoutb": {"sign_no": "SIGN0001", "sign_time": "2026-11-01 10:00:00"}}),
    "1101": ok({"baseinfo": {"psn_no": "P0001", "certno": "110105198001011238",
                             "psn_name": "张三丰"},
                "insuinfo": [{"insutype": "310", "balc": "1200.00", "psn_insu_stas": "1",
                              "ext_fund_paid_year": "0.00", "ext_dedc_paid_year": "0.00"}]}),
    "2101": ok(SETTLED),
    "2102": ok(SETTLED),
    "2103": ok({"setlinfo": {"setl_id": "SIMSETL0001", "fund_pay_sumamt": "8.75",
                             "acct_pay": "3.75", "balc": "100.00"}}),
    "2601": ok({"setlinfo": {"setl_id": "SIMSETL0001", "fund_pay_sumamt": "8.75",
                             "acct_pay": "3.75", "balc": "100.00"}}),
    "3505": ok({}),
}
LINE = CartLine(item_code="P000001", name="阿莫西林胶囊", category=ProductCategory.DRUG,
                insurance_class=InsuranceClass.A, is_prescription=False, quantity=24,
                unit_price=Decimal("12.50"), retail_price=Decimal("12.50"), units_per_pack=24,
                national_code="XJ01CAA359A002110150138")
REQUEST = SettlementRequest(psn_no="P0001", insutype="310", lines=(LINE,))
UPLOAD = {"med_list_codg": "XJ01CAA359A002110150138", "fixmedins_hilist_id": "P000001",
          "fixmedins_hilist_name": "阿莫西林胶囊", "fixmedins_bchno": "1", "sel_retn_cnt": "1"}


class FuzzedPlatform:
    """A TCP server on 127.0.0.1: sign-in answered well, the call under test with
    ``self.answer`` (raw bytes); each connection is closed after its answer."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.answer = b""
        self.target = ""
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed: the test is over
            with conn, contextlib.suppress(OSError):  # OSError: the client gave up first
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(body) < length:
            body += conn.recv(65536)
        infno = json.loads(body)["infno"]
        if infno == "9001" and self.target != "9001":
            conn.sendall(http(json.dumps(GOOD["9001"]).encode()))
        else:
            conn.sendall(self.answer)
        conn.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def platform():
    server = FuzzedPlatform()
    yield server
    server.close()


def gateway_for(server: FuzzedPlatform) -> PlatformGateway:
    numbers = iter(range(1, 10**9))
    profile = replace(NATIONAL, timeout_seconds=5.0)
    return PlatformGateway(
        f"http://127.0.0.1:{server.port}", profile,
        Caller(fixmedins_code=STORE, fixmedins_name="测试大药房", opter="T01",
               opter_name="收银员", dev_no="T01"),
        clock=CLOCK, msgids=lambda: make_msgid(STORE, CLOCK.now(), next(numbers)))


def call(gateway: PlatformGateway, target: str) -> Any:
    if target == "9001":
        return gateway.sign_in()
    if target == "1101":
        return gateway.person_info("110105198001011238")
    if target == "2101":
        return gateway.pre_settle(REQUEST)
    if target == "2102":
        return gateway.settle(REQUEST, "H11010500001202611011000009999")
    if target == "2103":
        return gateway.cancel("SIMSETL0001", "H11010500001202611011000009998")
    if target == "2601":
        return gateway.reverse("P0001", "H11010500001202611011000009999", "2102",
                               "H11010500001202611011000009997")
    return gateway.upload("3505", [UPLOAD])


# -- damaged answers -----------------------------------------------------------------------

def leaf_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += leaf_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += leaf_paths(value, (*prefix, index))
    return found


NASTY = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
    st.sampled_from(["", "-1", "²", "---5", "9E+999999", "1E-999999", "NaN", "12.345",
                     "1_000.00", "٣", "99999999999999.99", "x" * 41, "S\x00", "\ud800", [],
                     {}, [{}], [[]], {"setl_id": 1}, 10**400, "0", "12.50", "-12.50", "1",
                     "sign_no", -1]),
    st.recursive(st.none() | st.text(max_size=4) | st.integers(),
                 lambda kids: st.lists(kids, max_size=3)
                 | st.dictionaries(st.text(max_size=4), kids, max_size=3), max_leaves=6),
)


def damaged_json(target: str, edits: list[tuple[int, str, Any]]) -> bytes:
    data = copy.deepcopy(GOOD[target])
    paths = leaf_paths(data)
    for index, how, value in edits:
        path = paths[index % len(paths)]
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            if how == "delete":
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


def damaged_http(body: bytes, how: str, value: bytes, at: int) -> bytes:
    if how == "status":
        return http(body, status=value)
    if how == "length":
        return http(body, headers=b"Content-Length: " + value + b"\r\n")
    if how == "chunked":
        # One chunk with the given size line, the body, then the end.
        return http(value + b"\r\n" + body + b"\r\n0\r\n\r\n",
                    headers=b"Transfer-Encoding: chunked\r\n")
    if how == "no-length":
        return http(body, headers=b"")
    whole = http(body)
    at %= len(whole) + 1
    if how == "cut":
        return whole[:at]
    return whole[:at] + value + whole[at:]  # splice


HTTP_VALUES = st.one_of(
    st.binary(max_size=12),
    st.sampled_from([b"200 OK", b"\xc2\xb200 OK", b"2000", b"", b"99 OK", b"404 Not Found",
                     b"503", b"-1", b"9" * 5000, b"+12", b"1_0", b"0x10", b"\xb2", b"ff",
                     b"7fffffffffffffffffff", b"\r\n", b"-5", b"\x00"]),
)
ANSWERS = st.one_of(
    st.tuples(st.sampled_from(sorted(GOOD)), st.lists(
        st.tuples(st.integers(0, 60), st.sampled_from(["set", "delete"]), NASTY),
        max_size=3)).map(lambda t: (t[0], http(damaged_json(*t)))),
    st.tuples(st.sampled_from(sorted(GOOD)), st.sampled_from(
        ["status", "length", "chunked", "no-length", "cut", "splice"]), HTTP_VALUES,
        st.integers(0, 2000)).map(
        lambda t: (t[0], damaged_http(json.dumps(GOOD[t[0]]).encode(), t[1], t[2], t[3]))),
    st.tuples(st.sampled_from(sorted(GOOD)), st.binary(max_size=200)),
)


def test_the_undamaged_answers_are_accepted(platform):
    # The fuzz damages answers the client takes: each one works as it is.
    for target in sorted(GOOD):
        platform.target, platform.answer = target, http(json.dumps(GOOD[target]).encode())
        gateway = gateway_for(platform)
        try:
            result = call(gateway, target)
        finally:
            gateway.close()
        assert result is not None and not isinstance(result, Exception), target


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_platform_answers_give_a_value_or_an_insurer_error(examples, platform):
    outcomes: Counter[str] = Counter()

    @fuzz(examples)
    @given(ANSWERS)
    @example(("1101", http(b'{"infcode":"\xc2\xb2"}')))                      # int("²")
    @example(("2102", http(json.dumps(ok({**SETTLED, "setlinfo": {
        **SETTLED["setlinfo"], "setl_id": "S" * 41}})).encode())))          # too long to store
    @example(("1101", http(json.dumps(ok({"baseinfo": {"psn_no": "P1"},
                                          "insuinfo": {"0": 1}})).encode())))  # KeyError 0
    @example(("9001", http(json.dumps(ok({"signinoutb": ["x"]})).encode())))  # .get on a list
    @example(("2101", http(json.dumps(ok({**SETTLED, "setldetail": ["x"]})).encode())))
    @example(("2103", http(json.dumps(ok({"setlinfo": [1]})).encode())))
    @example(("2101", http(json.dumps(ok({**SETTLED, "setlinfo": {
        **SETTLED["setlinfo"], "balc": "9E+999999"}})).encode())))          # decimal.Overflow
    @example(("1101", b"HTTP/1.1 \xb200 OK\r\nContent-Length: 2\r\n\r\n{}"))  # int("²")
    @example(("1101", http(b"{}", headers=b"Content-Length: \xc2\xb2\r\n")))
    @example(("1101", http(b"{}", headers=b"Content-Length: " + b"9" * 5000 + b"\r\n")))
    @example(("1101", http(b"zz\r\n{}\r\n0\r\n\r\n", headers=b"Transfer-Encoding: chunked\r\n")))
    @example(("1101", http(json.dumps({**GOOD["1101"], "infcode": 1,
                                       "err_msg": True}).encode())))       # str(True) shown
    @example(("1101", http(json.dumps({**GOOD["1101"], "infcode": 1,
                                       "err_msg": "error"}).encode())))    # not Chinese
    def check(answer):
        target, raw = answer
        platform.target, platform.answer = target, raw
        gateway = gateway_for(platform)
        try:
            result = call(gateway, target)
        except InsurerUnavailable as exc:
            outcomes["unavailable"] += 1
            failure: Exception | None = exc
        except InsurerRefused as exc:
            outcomes["refused"] += 1
            failure = exc
        else:
            outcomes["answered"] += 1
            failure = None
        finally:
            gateway.close()  # a damaged "Connection: close" leaves the connection open
        if failure is not None:
            assert chinese(str(failure)), failure
            return
        if isinstance(result, Exchange):
            assert result.answer is not None
        elif target in ("2101", "2102"):
            split = result if target == "2101" else result.split
            assert split.medfee_sumamt == LINE.amount
            assert split.fund_pay_sumamt + split.acct_pay + split.psn_cash_pay == LINE.amount
        if target == "2102":
            assert 0 < len(result.setl_id) <= 40 and result.setl_id.isprintable()

    check()
    print(f"{examples} examples: {dict(outcomes)}")
    assert outcomes["answered"] and outcomes["unavailable"]
