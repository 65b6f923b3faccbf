"""The loopback insurer simulator over real HTTP, in a real process (tests/insurer_sim.py)."""

from __future__ import annotations

import http.client
import itertools
import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.domain.product import InsuranceClass
from pharmacy_pos.domain.settlement import compute_split
from pharmacy_pos.insurance import protocol
from pharmacy_pos.insurance.adapters.simulated import DEMO_HOLDER_SSN
from pharmacy_pos.insurance.ports import make_msgid
from tests.insurer_sim import SimProcess, running_simulator, start_simulator

STORE = "H11010500001"
AMOXICILLIN = "XJ01CAA359A002110150138"     # 甲 in resources/demo/catalogue.csv
CLAVULANATE = "XJ01CRA213A001070149326"     # 乙
_sequence = itertools.count(1)


def next_msgid() -> str:
    n = next(_sequence)
    when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=n // 10000)
    return make_msgid(STORE, when, n % 10000)


class Client:
    """A bare-protocol client on one keep-alive connection."""

    def __init__(self, sim: SimProcess) -> None:
        self.sim = sim
        self.profile = sim.profile
        self.conn = sim.connect()
        self.caller = protocol.Caller(STORE, "测试药店", "0001", "张药师")

    def sign_in(self) -> str:
        answer, _ = self.call("9001", {"signIn": {"opter_no": "0001", "mac": "00-11",
                                                  "ip": "127.0.0.1"}})
        assert answer.ok, answer.err_msg
        sign_no = answer.output["signinoutb"]["sign_no"]
        self.caller = protocol.Caller(STORE, "测试药店", "0001", "张药师", sign_no=sign_no)
        return sign_no

    def request(self, infno: str, input_: dict, msgid: str | None = None) -> dict[str, Any]:
        return protocol.build_request(self.profile, infno, msgid or next_msgid(), input_,
                                      self.caller, datetime.now(UTC))

    def send(self, request: dict[str, Any]) -> tuple[protocol.Answer, dict[str, Any]]:
        status, body = self.raw(protocol.encode(request))
        assert status == 200, body
        return protocol.parse_answer(body), json.loads(body)

    def raw(self, body: bytes) -> tuple[int, bytes]:
        try:
            return self.sim.post(body, connection=self.conn)
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = self.sim.connect()
            raise

    def call(self, infno: str, input_: dict,
             msgid: str | None = None) -> tuple[protocol.Answer, dict[str, Any]]:
        return self.send(self.request(infno, input_, msgid))

    def upload(self, infno: str, records: list[dict], msgid: str | None = None, *,
               batch: bool = False) -> tuple[protocol.Answer, dict[str, Any]]:
        spec = self.profile.spec(infno)
        if batch:
            assert spec.batch is not None
            infno = spec.batch.infno
        return self.call(infno, protocol.wrap(spec, records, batch=batch), msgid)

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = self.sim.connect()


def sale_record(bchno: str, **changes: str) -> dict[str, str]:
    record = {
        "med_list_codg": AMOXICILLIN, "fixmedins_hilist_id": "P000001",
        "fixmedins_hilist_name": "阿莫西林胶囊", "fixmedins_bchno": bchno, "rx_flag": "1",
        "trdn_flag": "0", "finl_trns_pric": "12.50", "sel_retn_cnt": "1",
        "sel_retn_time": "2026-01-01 10:00:00", "sel_retn_opter_name": "李药师",
        "manu_lotnum": "L2025001", "expy_end": "2027-12-31", "drug_prod_barc": "6938265910656",
        "drug_trac_codg": "81234567890123456789",
    }
    record.update(changes)
    return record


def drug_input(psn_no: str, lines: list[tuple[str, str]], *, insutype: str = "310",
               acct: str = "1", self_paid: tuple[int, ...] = ()) -> dict[str, Any]:
    """2101/2102 input for (national code, amount) lines."""
    total = sum((Decimal(amount) for _, amount in lines), Decimal("0"))
    details = [{
        "feedetl_sn": f"D{i}", "rxno": "", "rx_circ_flag": "0",
        "fee_ocur_time": "2026-01-01 10:00:00", "med_list_codg": code,
        "medins_list_codg": f"P{i:06d}", "det_item_fee_sumamt": amount, "cnt": "1",
        "pric": amount, "sin_dos_dscr": "", "used_frqu_dscr": "", "prd_days": "",
        "medc_way_dscr": "", "bilg_dr_codg": "", "bilg_dr_name": "",
        "hosp_appr_flag": "2" if i in self_paid else "1",
    } for i, (code, amount) in enumerate(lines, start=1)]
    return {"druginfo": {
        "psn_no": psn_no, "mdtrt_cert_type": "02", "mdtrt_cert_no": "X", "begntime":
        "2026-01-01 10:00:00", "medfee_sumamt": protocol.money(total), "insutype": insutype,
        "dise_codg": "", "dise_name": "", "acct_used_flag": acct, "med_type": "41"},
        "drugdetail": details}


_persons = itertools.count(1)


def new_person(sim: SimProcess, balc: str = "500.00") -> str:
    """A fresh insured person (so tests do not share balances)."""
    n = next(_persons)
    psn_no = f"T{n:012d}"
    sim.control(person={"psn_no": psn_no, "certno": f"11010519900101{n:04d}",
                        "psn_name": f"测试{n}", "insutype": "310", "balc": balc,
                        "ec_token": f"EC-T-{n}"})
    return psn_no


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> SimProcess:
    with running_simulator(tmp_path_factory.mktemp("insurer-sim")) as running:
        yield running


@pytest.fixture
def client(sim) -> Client:
    c = Client(sim)
    c.sign_in()
    yield c
    c.conn.close()


# -- sign-in and person info ---------------------------------------------------------------


def test_1101_finds_the_demo_holder_by_id_number_card_and_e_voucher(client):
    by_id, _ = client.call("1101", {"data": {"mdtrt_cert_type": "02",
                                             "mdtrt_cert_no": DEMO_HOLDER_SSN.lower(),
                                             "psn_cert_type": "01"}})
    by_card, _ = client.call("1101", {"data": {"mdtrt_cert_type": "03",
                                               "mdtrt_cert_no": "E12345678",
                                               "card_sn": "SN1", "certno": DEMO_HOLDER_SSN,
                                               "psn_cert_type": "01"}})
    by_voucher, _ = client.call("1101", {"data": {"mdtrt_cert_type": "01",
                                                  "mdtrt_cert_no": "EC-DEMO-0001",
                                                  "psn_cert_type": "01"}})
    for answer in (by_id, by_card, by_voucher):
        assert answer.ok, answer.err_msg
        assert answer.output["baseinfo"]["psn_no"] == "SIM0000000001"
        assert answer.output["baseinfo"]["psn_name"] == "张三丰"
        insured = answer.output["insuinfo"][0]
        assert insured["insutype"] == "310" and insured["psn_insu_stas"] == "1"
        assert protocol.parse_money(insured["balc"]) >= 0
    assert by_id.output["baseinfo"]["brdy"] == "1980-01-01"


def test_1101_unknown_person_is_refused(client):
    answer, raw = client.call("1101", {"data": {"mdtrt_cert_type": "02",
                                                "mdtrt_cert_no": "110105199912310000",
                                                "psn_cert_type": "01"}})
    assert not answer.ok
    assert answer.err_msg == "[1101] 未查询到该人员的参保信息，请核对证件或改为自费"
    assert raw["ext_err_code"] == "person_not_found"


def test_a_bad_sign_no_is_refused_and_sign_out_invalidates_it(client, sim):
    other = Client(sim)
    other.caller = protocol.Caller(STORE, "测试药店", "0001", "张药师", sign_no="SIGN-BOGUS")
    answer, raw = other.call("1101", {"data": {"mdtrt_cert_type": "02",
                                               "mdtrt_cert_no": DEMO_HOLDER_SSN,
                                               "psn_cert_type": "01"}})
    assert answer.err_msg == "[1101] 签到号无效或已过期，请重新签到(9001)"
    assert raw["ext_err_code"] == "sign_no"
    sign_no = other.sign_in()
    out, _ = other.call("9002", {"signOut": {"sign_no": sign_no, "opter_no": "0001"}})
    assert out.ok
    _, raw = other.call("1101", {"data": {"mdtrt_cert_type": "02",
                                              "mdtrt_cert_no": DEMO_HOLDER_SSN,
                                              "psn_cert_type": "01"}})
    assert raw["ext_err_code"] == "sign_no"
    other.conn.close()


def test_a_missing_envelope_field_is_refused_listing_it(client):
    request = client.request("1101", {"data": {}})
    del request["opter"]
    request["inf_time"] = ""
    answer, raw = client.send(request)
    assert not answer.ok and raw["ext_err_code"] == "envelope"
    assert answer.err_msg.startswith("[1101]")
    assert "opter" in answer.err_msg and "inf_time" in answer.err_msg


def test_not_json_unknown_infno_and_bad_msgid_are_refused(client):
    status, body = client.raw(b"{not json")
    assert status == 200 and json.loads(body)["ext_err_code"] == "envelope"
    answer, raw = client.call("9999", {"data": {}})
    assert raw["ext_err_code"] == "unknown_infno" and not answer.ok
    answer, raw = client.call("1101", {"data": {}}, msgid="short")
    assert raw["ext_err_code"] == "invalid_msgid"


# -- settlement -----------------------------------------------------------------------------


def test_2101_equals_2102_and_books_nothing(client, sim):
    psn_no = new_person(sim)
    lines = [(AMOXICILLIN, "25.00"), (CLAVULANATE, "23.60"), ("XNOTLISTED", "10.00")]
    pre, _ = client.call("2101", drug_input(psn_no, lines))
    pre_again, _ = client.call("2101", drug_input(psn_no, lines))
    assert pre.ok, pre.err_msg
    assert pre.output["setlinfo"] == pre_again.output["setlinfo"]   # nothing was booked
    assert pre.output["setlinfo"]["setl_id"] == ""
    settled, _ = client.call("2102", drug_input(psn_no, lines))
    assert settled.ok, settled.err_msg
    info = settled.output["setlinfo"]
    assert info["setl_id"] and info["mdtrt_id"]
    assert {k: v for k, v in info.items() if k not in ("setl_id", "mdtrt_id")} == {
        k: v for k, v in pre.output["setlinfo"].items() if k not in ("setl_id", "mdtrt_id")}
    assert settled.output["setldetail"] == pre.output["setldetail"]
    assert [d["chrgitm_lv"] for d in settled.output["setldetail"]] == ["01", "02", "03"]
    # The same split as the domain function computes (SimulatedInsurer's).
    from pharmacy_pos.domain.cart import CartLine
    from pharmacy_pos.domain.product import ProductCategory
    cart = [CartLine(item_code=f"P{i:06d}", name="x", category=ProductCategory.DRUG,
                     insurance_class=cls, is_prescription=False, quantity=1,
                     unit_price=Decimal(a), retail_price=Decimal(a))
            for i, (cls, a) in enumerate([(InsuranceClass.A, "25.00"),
                                          (InsuranceClass.B, "23.60"),
                                          (InsuranceClass.NONE, "10.00")], start=1)]
    split = compute_split(cart, policy=InsurerPolicy(), account_balance=Decimal("500.00"),
                          insured_total_this_year=Decimal("0"))
    assert info["fund_pay_sumamt"] == protocol.money(split.fund_pay_sumamt)
    assert info["acct_pay"] == protocol.money(split.acct_pay)
    assert info["balc"] == protocol.money(split.balc)
    assert sim.state(psn_no=psn_no)["person"]["balc"] == info["balc"]


def test_2102_replay_returns_the_identical_answer_and_books_once(client, sim):
    psn_no = new_person(sim)
    request = client.request("2102", drug_input(psn_no, [(AMOXICILLIN, "30.00")]))
    before = sim.state()["settlements"]
    first_status, first = client.raw(protocol.encode(request))
    request["inf_time"] = protocol.format_time(datetime.now(UTC) + timedelta(minutes=1))
    again_status, again = client.raw(protocol.encode(request))
    assert first_status == again_status == 200
    assert again == first
    assert sim.state()["settlements"] == before + 1


def test_msgid_reused_for_another_input_is_refused(client, sim):
    psn_no = new_person(sim)
    msgid = next_msgid()
    ok, _ = client.call("2102", drug_input(psn_no, [(AMOXICILLIN, "30.00")]), msgid)
    assert ok.ok
    other, raw = client.call("2102", drug_input(psn_no, [(AMOXICILLIN, "31.00")]), msgid)
    assert not other.ok and raw["ext_err_code"] == "msgid_reused"
    assert other.err_msg.startswith("[2102]")


def test_2103_restores_the_balance_and_a_second_2103_is_refused(client, sim):
    psn_no = new_person(sim, balc="100.00")
    settled, _ = client.call("2102", drug_input(psn_no, [(AMOXICILLIN, "40.00")]))
    info = settled.output["setlinfo"]
    assert info["balc"] == "88.00"          # 70 % fund, the 12.00 rest from the account
    cancel = {"data": {"setl_id": info["setl_id"], "mdtrt_id": info["mdtrt_id"],
                       "psn_no": psn_no}}
    cancelled, _ = client.call("2103", cancel)
    assert cancelled.ok, cancelled.err_msg
    assert cancelled.output["setlinfo"] == {"setl_id": info["setl_id"],
                                            "fund_pay_sumamt": "28.00", "acct_pay": "12.00",
                                            "balc": "100.00"}
    person = sim.state(psn_no=psn_no)["person"]
    assert (person["balc"], person["fund_paid_year"]) == ("100.00", "0.00")
    again, raw = client.call("2103", cancel)
    assert again.err_msg == f"[2103] 结算记录 {info['setl_id']} 已撤销，不能重复撤销"
    assert raw["ext_err_code"] == "already_cancelled"
    unknown, raw = client.call("2103", {"data": {"setl_id": "NOPE", "mdtrt_id": "x",
                                                 "psn_no": psn_no}})
    assert raw["ext_err_code"] == "settlement_not_found" and not unknown.ok


def test_2601_reverses_a_booked_2102_and_warns_for_an_unbooked_msgid(client, sim):
    psn_no = new_person(sim, balc="100.00")
    msgid = next_msgid()
    settled, _ = client.call("2102", drug_input(psn_no, [(AMOXICILLIN, "40.00")]), msgid)
    assert settled.ok
    reversed_, _ = client.call("2601", {"data": {"psn_no": psn_no, "omsgid": msgid,
                                                 "oinfno": "2102"}})
    assert reversed_.ok and reversed_.output["setlinfo"]["balc"] == "100.00"
    assert sim.state(psn_no=psn_no)["person"]["balc"] == "100.00"
    twice, _ = client.call("2601", {"data": {"psn_no": psn_no, "omsgid": msgid,
                                             "oinfno": "2102"}})
    assert twice.ok and twice.warn_msg
    nothing, _ = client.call("2601", {"data": {"psn_no": psn_no, "omsgid": next_msgid(),
                                               "oinfno": "2102"}})
    assert nothing.ok and nothing.warn_msg == "原交易未成功，无需冲正"
    assert sim.state(psn_no=psn_no)["person"]["balc"] == "100.00"


def test_settlement_refusals_agreement_scheme_amounts(client, sim):
    psn_no = new_person(sim)
    _, raw = client.call("2101", drug_input(psn_no, [(AMOXICILLIN, "1.00")],
                                                     insutype="390"))
    assert raw["ext_err_code"] == "insutype_mismatch"
    bad_total = drug_input(psn_no, [(AMOXICILLIN, "1.00")])
    bad_total["druginfo"]["medfee_sumamt"] = "2.00"
    _, raw = client.call("2101", bad_total)
    assert raw["ext_err_code"] == "bad_input"
    float_amount = drug_input(psn_no, [(AMOXICILLIN, "1.00")])
    float_amount["drugdetail"][0]["det_item_fee_sumamt"] = 1.0
    _, raw = client.call("2101", float_amount)
    assert raw["ext_err_code"] == "bad_input"
    sim.control(agreement="suspended")
    try:
        refused, raw = client.call("2102", drug_input(psn_no, [(AMOXICILLIN, "1.00")]))
        assert raw["ext_err_code"] == "agreement_inactive"
        assert refused.err_msg.startswith("[2102] 本店医保定点协议已中止")
    finally:
        sim.control(agreement="active")
    sim.control(person={"psn_no": psn_no, "status": "suspended"})
    _, raw = client.call("2101", drug_input(psn_no, [(AMOXICILLIN, "1.00")]))
    assert raw["ext_err_code"] == "insurance_suspended"


def test_a_detail_missing_a_field_is_refused_naming_it(client, sim):
    psn_no = new_person(sim)
    request = drug_input(psn_no, [(AMOXICILLIN, "1.00"), (AMOXICILLIN, "2.00")])
    request["drugdetail"][1]["pric"] = ""
    before = sim.state()["settlements"]
    answer, raw = client.call("2102", request)
    assert raw["ext_err_code"] == "missing_field"
    assert "drugdetail[2].pric" in answer.err_msg
    assert sim.state()["settlements"] == before


# -- uploads ---------------------------------------------------------------------------------


def test_3505_missing_med_list_codg_is_refused_and_nothing_booked(client, sim):
    record = sale_record("MISS-1")
    del record["med_list_codg"]
    answer, raw = client.upload("3505", [record])
    assert not answer.ok and raw["ext_err_code"] == "missing_field"
    assert answer.err_msg.startswith("[3505]") and "med_list_codg" in answer.err_msg
    assert "第1条" in answer.err_msg
    assert sim.state(bchno="MISS-1")["records"] == []


def test_duplicate_identical_upload_is_not_booked_twice(client, sim):
    first, _ = client.upload("3505", [sale_record("DUP-1")])
    # Another message with the same record in another key order.
    reordered = dict(reversed(list(sale_record("DUP-1").items())))
    second, _ = client.upload("3505", [reordered])
    assert first.ok and not first.warn_msg
    assert second.ok and second.warn_msg == "记录已存在，重复上传已忽略"
    assert len(sim.state(bchno="DUP-1")["records"]) == 1


def test_changed_record_is_refused_until_3507_then_accepted(client, sim):
    assert client.upload("3505", [sale_record("CHG-1")])[0].ok
    changed, raw = client.upload("3505", [sale_record("CHG-1", sel_retn_cnt="2")])
    assert raw["ext_err_code"] == "duplicate_record"
    assert changed.err_msg == ("[3505] 流水号 CHG-1 已上传且内容不同：如需更正请先删除(3507)"
                               "后重传")
    deleted, _ = client.call("3507", {"data": {"fixmedins_bchno": "CHG-1", "inv_data_type": "4"}})
    assert deleted.ok
    again, _ = client.call("3507", {"data": {"fixmedins_bchno": "CHG-1", "inv_data_type": "4"}})
    assert again.ok and again.warn_msg
    accepted, _ = client.upload("3505", [sale_record("CHG-1", sel_retn_cnt="2")])
    assert accepted.ok and not accepted.warn_msg
    records = sim.state(bchno="CHG-1")["records"]
    assert [(r["deleted"], r["record"]["sel_retn_cnt"]) for r in records] == [
        (True, "1"), (False, "2")]
    missing, raw = client.call("3507", {"data": {"fixmedins_bchno": "NONE-1",
                                                 "inv_data_type": "4"}})
    assert missing.err_msg == "[3507] 未找到流水号 NONE-1 的记录"
    assert raw["ext_err_code"] == "bad_input"


def test_batch_variant_of_the_example_profile_is_all_or_nothing(tmp_path):
    with running_simulator(tmp_path, profile="example-province") as sim:
        client = Client(sim)
        client.sign_in()
        good = [sale_record(f"BATCH-{i}") for i in range(3)]
        bad = [*good[:1], sale_record("BATCH-X", drug_prod_barc=""), good[2]]
        refused, raw = client.upload("3505", bad, batch=True)
        assert raw["ext_err_code"] == "missing_field"
        assert "第2条" in refused.err_msg and "drug_prod_barc" in refused.err_msg
        assert sim.state()["uploads"] == {}
        accepted, raw = client.upload("3505", good, batch=True)
        assert accepted.ok and accepted.output["count"] == 3
        # The province's wire name for the trace code came back to the national one.
        record = sim.state(bchno="BATCH-0")["records"][0]["record"]
        assert record["drug_trac_codg"] == "81234567890123456789"
        changed = [sale_record("BATCH-3"), sale_record("BATCH-1", sel_retn_cnt="9")]
        refused, raw = client.upload("3505", changed, batch=True)
        assert raw["ext_err_code"] == "duplicate_record" and "第2条" in refused.err_msg
        assert sim.state()["uploads"] == {"4": 3}
        # The batch wrapper under the single transaction's number is not accepted.
        _, raw = client.call("3505", protocol.wrap(sim.profile.spec("3505"),
                                                   [sale_record("BATCH-9")], batch=True))
        assert raw["ext_err_code"] == "bad_input"
        client.conn.close()


# -- faults, crashes and restarts ------------------------------------------------------------


def test_replay_after_a_restart_of_the_process(tmp_path):
    sim = start_simulator(tmp_path)
    try:
        client = Client(sim)
        client.sign_in()
        request = client.request("2102", drug_input("SIM0000000001", [(AMOXICILLIN, "20.00")]))
        _, first = client.raw(protocol.encode(request))
        sim.kill()
        sim.restart()
        client.reconnect()
        _, again = client.raw(protocol.encode(request))   # same sign_no: it was persisted
        assert again == first
        assert sim.state()["settlements"] == 1
        client.conn.close()
    finally:
        sim.stop()


def test_kill_after_a_booked_but_unanswered_upload_then_resend(tmp_path):
    sim = start_simulator(tmp_path)
    try:
        client = Client(sim)
        client.sign_in()
        sim.control(drop_after_book_next=1)
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            client.upload("3505", [sale_record("LOST-1")])
        sim.kill()
        sim.restart()
        client.reconnect()
        assert len(sim.state(bchno="LOST-1")["records"]) == 1
        # The client does not know it was booked: it re-sends under a new msgid.
        answer, _ = client.upload("3505", [sale_record("LOST-1")])
        assert answer.ok and answer.warn_msg == "记录已存在，重复上传已忽略"
        assert len(sim.state(bchno="LOST-1")["records"]) == 1
        client.conn.close()
    finally:
        sim.stop()


def test_fail_next_answers_503_without_booking(client, sim):
    sim.control(fail_next=2)
    request = client.request("3505", protocol.wrap(sim.profile.spec("3505"),
                                                   [sale_record("FAIL-1")]))
    for _ in range(2):
        status, body = client.raw(protocol.encode(request))
        assert status == 503 and json.loads(body) == {"infcode": -1, "err_msg": "系统繁忙"}
    assert sim.state(bchno="FAIL-1")["records"] == []
    answer, _ = client.send(request)                        # the same msgid now books
    assert answer.ok and len(sim.state(bchno="FAIL-1")["records"]) == 1


def test_malformed_next_answers_non_json_without_booking(client, sim):
    sim.control(malformed_next=1)
    request = client.request("3505", protocol.wrap(sim.profile.spec("3505"),
                                                   [sale_record("MAL-1")]))
    status, body = client.raw(protocol.encode(request))
    assert status == 200
    with pytest.raises(protocol.MalformedAnswer):
        protocol.parse_answer(body)
    assert sim.state(bchno="MAL-1")["records"] == []
    assert client.send(request)[0].ok


def test_drop_next_closes_the_connection_without_booking(client, sim):
    sim.control(drop_next=1)
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        client.upload("3505", [sale_record("DROP-1")])
    assert sim.state(bchno="DROP-1")["records"] == []


def test_slow_ms_delays_the_answer(client, sim):
    started = time.perf_counter()
    client.upload("3505", [sale_record("FAST-1")])
    fast = time.perf_counter() - started
    sim.control(slow_ms=300)
    try:
        started = time.perf_counter()
        answer, _ = client.upload("3505", [sale_record("SLOW-1")])
        slow = time.perf_counter() - started
    finally:
        sim.control(slow_ms=0)
    assert answer.ok
    assert slow >= 0.3 > fast


def test_control_refuses_unknown_keys_and_bad_values(sim):
    with pytest.raises(RuntimeError, match="400"):
        sim.control(explode=1)
    with pytest.raises(RuntimeError, match="400"):
        sim.control(error_rate=2)
    assert sim.state()["faults"]["error_rate"] == 0.0
