"""The simulated platform's book: every rule it checks, kept in a SQLite file.

:class:`InsurerBook` takes one request body (the national platform's JSON envelope) and
gives back the answer body, exactly as the HTTP server sends it; it can also be used
in-process. Everything it answers is committed before the answer leaves (WAL, one
transaction per request), so a ``kill -9`` loses nothing the client has seen, and every
answered ``msgid`` is kept with its answer bytes so a retry is replayed identically,
after a restart too.

The shape of the wire is :mod:`pharmacy_pos.insurance.protocol` (profiles, wrappers,
required fields); the settlement split is :func:`compute_split`, as in
:class:`~pharmacy_pos.insurance.adapters.simulated.SimulatedInsurer`, so the loopback
platform and the in-process twin agree to the fen. Refusals carry the wire extension
``ext_err_code`` (a :class:`RefusalCode` value or one of :data:`EXT_CODES`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.policy import InsurerPolicy, Policy
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.domain.settlement import SettlementSplit, compute_split
from pharmacy_pos.insurance import protocol
from pharmacy_pos.insurance.adapters.simulated import DEMO_HOLDER_SSN
from pharmacy_pos.insurance.ports import (
    AgreementStatus,
    InsuranceStatus,
    InsurerRefused,
    RefusalCode,
    check_agreement,
    is_valid_msgid,
)
from pharmacy_pos.insurance.protocol import Profile, TransactionSpec

# ext_err_code values beside the RefusalCode ones (docs/insurer-simulator.md).
MISSING_FIELD = "missing_field"
DUPLICATE_RECORD = "duplicate_record"
ENVELOPE = "envelope"
SIGN_NO = "sign_no"
UNKNOWN_INFNO = "unknown_infno"
BAD_INPUT = "bad_input"
EXT_CODES = (MISSING_FIELD, DUPLICATE_RECORD, ENVELOPE, SIGN_NO, UNKNOWN_INFNO, BAD_INPUT)

DUPLICATE_WARNING = "记录已存在，重复上传已忽略"
NOTHING_TO_REVERSE = "原交易未成功，无需冲正"

_CLASS_BY_LABEL = {"甲": InsuranceClass.A, "乙": InsuranceClass.B, "丙": InsuranceClass.C}
_CLASS_BY_LEVEL = {"01": InsuranceClass.A, "02": InsuranceClass.B, "03": InsuranceClass.C}
_LEVEL_BY_CLASS = {InsuranceClass.A: "01", InsuranceClass.B: "02"}
_STAS = {InsuranceStatus.ACTIVE: "1", InsuranceStatus.SUSPENDED: "2",
         InsuranceStatus.ENDED: "4"}
_STATUS_BY_TEXT = {**{s.value: s for s in InsuranceStatus},
                   **{code: s for s, code in _STAS.items()}}
_UPLOAD_INFNOS = ("3501", "3502", "3503", "3504", "3505", "3506")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS persons (
    psn_no TEXT PRIMARY KEY, certno TEXT NOT NULL, psn_name TEXT NOT NULL,
    insutype TEXT NOT NULL, balc TEXT NOT NULL, status TEXT NOT NULL,
    ec_token TEXT NOT NULL DEFAULT '', gend TEXT NOT NULL DEFAULT '',
    brdy TEXT NOT NULL DEFAULT '', fund_paid_year TEXT NOT NULL DEFAULT '0.00',
    dedc_paid_year TEXT NOT NULL DEFAULT '0.00');
CREATE TABLE IF NOT EXISTS catalogue (med_list_codg TEXT PRIMARY KEY, chrgitm_lv TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_nos (
    sign_no TEXT PRIMARY KEY, opter_no TEXT NOT NULL, signed_at TEXT NOT NULL,
    signed_out_at TEXT);
CREATE TABLE IF NOT EXISTS msgids (
    msgid TEXT PRIMARY KEY, infno TEXT NOT NULL, digest BLOB NOT NULL,
    answer BLOB NOT NULL, answered_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settlements (
    n INTEGER PRIMARY KEY, setl_id TEXT NOT NULL UNIQUE, mdtrt_id TEXT NOT NULL,
    psn_no TEXT NOT NULL, msgid TEXT NOT NULL UNIQUE, medfee_sumamt TEXT NOT NULL,
    fund_pay_sumamt TEXT NOT NULL, acct_pay TEXT NOT NULL, deductible_pay TEXT NOT NULL,
    settled_at TEXT NOT NULL, cancelled_at TEXT, cancel_msgid TEXT);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY, bchno TEXT NOT NULL, inv_data_type TEXT NOT NULL,
    infno TEXT NOT NULL, record TEXT NOT NULL, msgid TEXT NOT NULL, booked_at TEXT NOT NULL,
    deleted_at TEXT, deleted_msgid TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS uploads_live
    ON uploads (bchno, inv_data_type) WHERE deleted_at IS NULL;
"""

# The look-ups by condition, written out so no SQL is assembled at run time.
_QUERIES = {
    "UPPER(certno) = UPPER(?)": "SELECT * FROM persons WHERE UPPER(certno) = UPPER(?) LIMIT 1",
    "ec_token = ? AND ec_token != ''":
        "SELECT * FROM persons WHERE ec_token = ? AND ec_token != '' LIMIT 1",
    "psn_no = ?": "SELECT * FROM persons WHERE psn_no = ?",
    "setl_id = ?": "SELECT * FROM settlements WHERE setl_id = ?",
    "msgid = ?": "SELECT * FROM settlements WHERE msgid = ?",
}


class _Refusal(Exception):
    """A request the platform refuses: its Chinese message and its ``ext_err_code``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class _Call:
    """One request being booked.

    Attributes:
        canonical: ``input`` as canonical JSON (sorted keys), what retries are compared by.
        stamp: ``now`` as stored in the book (ISO 8601, UTC).
    """

    infno: str
    msgid: str
    input: Any
    canonical: str
    now: datetime
    stamp: str


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a transaction answers when it is accepted."""

    output: Mapping[str, Any]
    warn_msg: str = ""


def load_catalogue(path: Path) -> dict[str, InsuranceClass]:
    """医保编码 → 医保类别 from a catalogue CSV in the shipped format (catalogue-format.md).

    Rows without a national code are skipped; a class other than 甲/乙/丙 is ``NONE``.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["医保编码"].strip(): _CLASS_BY_LABEL.get((row.get("医保类别") or "").strip(),
                                                           InsuranceClass.NONE)
                for row in csv.DictReader(handle) if (row.get("医保编码") or "").strip()}


def load_policy(path: Path) -> InsurerPolicy:
    """The ``insurer`` section of a policy file (resources/policy/default.toml's format).

    Raises:
        ValidationFailed: the file is not a valid policy.
    """
    return Policy.from_toml(path.read_text(encoding="utf-8"), source=path.name).insurer


class InsurerBook:
    """The simulated platform's book in a SQLite file; safe to call from several threads.

    Args:
        path: the SQLite file (created with the demo holder when new).
        profile: the interface profile requests are checked against.
        catalogue: national code → insurance class (entries set by :meth:`set_catalogue`
            are kept in the file and win over these).
        policy: the scheme's numbers for the split.
    """

    def __init__(self, path: Path, profile: Profile, *,
                 catalogue: Mapping[str, InsuranceClass] | None = None,
                 policy: InsurerPolicy | None = None) -> None:
        self.profile = profile
        self._policy = policy or InsurerPolicy()
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                   cached_statements=64)
        # One process owns the book (a second simulator on the same file is refused), so
        # WAL needs no shared-memory index or file locks per transaction.
        self._db.execute("PRAGMA locking_mode=EXCLUSIVE")
        self._db.execute("PRAGMA journal_mode=WAL")
        # Every answer is committed (written to the OS) before it is sent, so a crash or
        # kill -9 of this process loses nothing it answered. Not waiting for the disk
        # (no fsync, not even at checkpoints) is what a loopback simulator can afford:
        # only an OS crash or power cut could lose recent commits. Measured: fsync at
        # checkpoints (synchronous=NORMAL) costs ~0.1 ms per upload on average.
        self._db.execute("PRAGMA synchronous=OFF")
        # Checkpoint every ~40 MB of WAL rather than every 4 MB.
        self._db.execute("PRAGMA wal_autocheckpoint=10000")
        self._db.execute("PRAGMA journal_size_limit=67108864")
        self._db.executescript(_SCHEMA)
        if self._db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] == 0:
            self._seed()
        self._catalogue = dict(catalogue or {})
        self._catalogue.update(
            {code: _CLASS_BY_LEVEL.get(level, InsuranceClass.NONE)
             for code, level in self._db.execute("SELECT * FROM catalogue")})
        self._sign_nos = {row[0] for row in self._db.execute(
            "SELECT sign_no FROM sign_nos WHERE signed_out_at IS NULL")}
        self._agreement = AgreementStatus(self._meta("agreement", "active"))

    def close(self) -> None:
        """Close the file (checkpointing the WAL)."""
        with self._lock:
            self._db.close()

    # -- the protocol -------------------------------------------------------------------

    def handle(self, body: bytes) -> bytes:
        """Answer one request body with the answer body (always a JSON answer)."""
        now = datetime.now(UTC)
        try:
            request = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return _refusal("", "", now, "请求报文不是有效的 JSON", ENVELOPE)
        if not isinstance(request, dict):
            return _refusal("", "", now, "请求报文必须是 JSON 对象", ENVELOPE)
        infno = str(request.get("infno") or "")
        msgid = request.get("msgid")
        msgid = msgid if isinstance(msgid, str) else ""
        if missing := protocol.envelope_missing(request):
            return _refusal(infno, msgid, now,
                            f"[{infno}] 报文缺少必填字段：{', '.join(missing)}", ENVELOPE)
        if not self.profile.knows(infno):
            return _refusal(infno, msgid, now, f"[{infno}] 不支持的交易编号 {infno}",
                            UNKNOWN_INFNO)
        if not is_valid_msgid(msgid):
            return _refusal(infno, msgid, now,
                            f"[{infno}] 报文ID“{msgid}”格式错误：应为定点机构编码(12位)"
                            "+时间(14位)+序号(4位)", RefusalCode.INVALID_MSGID)
        input_ = request["input"]
        # Retries are recognised by infno + input in canonical JSON (key order and
        # envelope fields such as inf_time do not matter).
        canonical = _canonical(input_)
        digest = hashlib.blake2b(f"{infno}\0{canonical}".encode(), digest_size=16).digest()
        with self._lock:
            if infno != protocol.SIGN_IN and request["sign_no"] not in self._sign_nos:
                return _refusal(infno, msgid, now,
                                f"[{infno}] 签到号无效或已过期，请重新签到(9001)", SIGN_NO)
            seen = self._db.execute("SELECT infno, digest, answer FROM msgids WHERE msgid = ?",
                                    (msgid,)).fetchone()
            if seen is not None:
                if seen[0] == infno and seen[1] == digest:
                    return seen[2]
                return _refusal(infno, msgid, now,
                                f"[{infno}] 报文ID {msgid} 已用于其他交易，请使用新的报文ID",
                                RefusalCode.MSGID_REUSED)
            return self._book(_Call(infno, msgid, input_, canonical, now, now.isoformat()),
                              digest)

    def _book(self, call: _Call, digest: bytes) -> bytes:
        """Run one transaction and store its answer, all in one SQLite transaction."""
        db = self._db
        after_commit: list[Any] = []
        db.execute("BEGIN IMMEDIATE")
        try:
            try:
                outcome = self._dispatch(call, after_commit)
                message = protocol.answer(call.msgid, outcome.output, at=call.now,
                                          warn_msg=outcome.warn_msg)
            except _Refusal as refusal:
                # Nothing of a refused call is booked (a batch is all-or-nothing); only
                # its answer is kept, for a retry of the same message.
                db.execute("ROLLBACK")
                db.execute("BEGIN IMMEDIATE")
                after_commit.clear()
                message = _refusal_message(call.msgid, call.now, refusal.message, refusal.code)
            answer = protocol.encode(message)
            db.execute("INSERT INTO msgids VALUES (?, ?, ?, ?, ?)",
                       (call.msgid, call.infno, digest, answer, call.stamp))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        for apply in after_commit:
            apply()
        return answer

    def _dispatch(self, call: _Call, after_commit: list[Any]) -> _Outcome:
        infno, msgid, input_, now = call.infno, call.msgid, call.input, call.now
        try:
            spec, records = protocol.unwrap(self.profile, infno, input_)
        except ValueError as exc:
            raise _Refusal(f"[{infno}] {exc}", BAD_INPUT) from None
        for position, record in enumerate(records, start=1):
            if missing := spec.missing(record):
                raise _Refusal(f"[{infno}] 第{position}条记录缺少必填字段：{', '.join(missing)}",
                               MISSING_FIELD)
        base = spec.infno
        if base in _UPLOAD_INFNOS:
            return self._upload(call, spec, records)
        record = records[0]
        if base == "9001":
            sign_no = f"SIGN{now:%Y%m%d%H%M%S}{secrets.token_hex(6).upper()}"
            self._db.execute("INSERT INTO sign_nos VALUES (?, ?, ?, NULL)",
                             (sign_no, str(record["opter_no"]), now.isoformat()))
            after_commit.append(lambda: self._sign_nos.add(sign_no))
            return _Outcome({"signinoutb": {"sign_time": protocol.format_time(now),
                                            "sign_no": sign_no}})
        if base == "9002":
            return self._sign_out(str(record["sign_no"]), now, after_commit)
        if base == "1101":
            return self._person_info(record)
        if base in ("2101", "2102"):
            return self._settle(infno, spec, record, input_, msgid, now, book=base == "2102")
        if base == "2103":
            return self._cancel_by_id(record, msgid, now)
        if base == "2601":
            return self._reverse(record, msgid, now)
        if base == "3507":
            return self._delete(record, msgid, now)
        raise _Refusal(f"[{infno}] 模拟器未实现交易 {infno}", UNKNOWN_INFNO)

    # -- sign-in, person ----------------------------------------------------------------

    def _sign_out(self, sign_no: str, now: datetime, after_commit: list[Any]) -> _Outcome:
        cursor = self._db.execute(
            "UPDATE sign_nos SET signed_out_at = ? WHERE sign_no = ? AND signed_out_at IS NULL",
            (now.isoformat(), sign_no))
        output = {"signoutoutb": {"sign_time": protocol.format_time(now)}}
        if cursor.rowcount == 0:
            return _Outcome(output, f"签到号 {sign_no} 已签退或不存在")
        after_commit.append(lambda: self._sign_nos.discard(sign_no))
        return _Outcome(output)

    def _person_info(self, data: Mapping[str, Any]) -> _Outcome:
        cert_type = str(data["mdtrt_cert_type"])
        cert_no = str(data["mdtrt_cert_no"]).strip()
        if cert_type == protocol.CERT_ID_NUMBER:
            row = self._person_where("UPPER(certno) = UPPER(?)", cert_no)
        elif cert_type == protocol.CERT_CARD:
            row = (self._person_where("UPPER(certno) = UPPER(?)", str(data.get("certno") or ""))
                   or self._person_where("UPPER(certno) = UPPER(?)", cert_no))
        elif cert_type == protocol.CERT_E_VOUCHER:
            row = self._person_where("ec_token = ? AND ec_token != ''", cert_no)
        else:
            raise _Refusal(f"[1101] 就诊凭证类型 {cert_type} 无效"
                           "（01 电子凭证、02 身份证、03 社保卡）", BAD_INPUT)
        if row is None:
            raise _Refusal("[1101] 未查询到该人员的参保信息，请核对证件或改为自费",
                           RefusalCode.PERSON_NOT_FOUND)
        status = InsuranceStatus(row["status"])
        return _Outcome({
            "baseinfo": {"psn_no": row["psn_no"], "psn_cert_type": "01",
                         "certno": row["certno"], "psn_name": row["psn_name"],
                         "gend": row["gend"], "naty": "01", "brdy": row["brdy"],
                         "age": _age(row["brdy"])},
            "insuinfo": [{
                "balc": row["balc"], "insutype": row["insutype"], "psn_type": "11",
                "psn_insu_stas": _STAS[status], "psn_insu_date": "2010-01-01",
                "paus_insu_date": "" if status is InsuranceStatus.ACTIVE else "2026-01-01",
                "insuplc_admdvs": self.profile.insuplc_admdvs, "emp_name": "",
                "ext_fund_paid_year": row["fund_paid_year"],
                "ext_dedc_paid_year": row["dedc_paid_year"]}],
            "idetinfo": [],
        })

    def _person_where(self, where: str, value: str) -> sqlite3.Row | None:
        cursor = self._db.execute(_QUERIES[where], (value,))
        cursor.row_factory = sqlite3.Row
        return cursor.fetchone()

    # -- settlement -----------------------------------------------------------------------

    def _settle(self, infno: str, spec: TransactionSpec, info: Mapping[str, Any],
                input_: Mapping[str, Any], msgid: str, now: datetime, *,
                book: bool) -> _Outcome:
        raw_details = input_.get(spec.detail_wrapper or "drugdetail")
        if not isinstance(raw_details, list) or not raw_details or not all(
                isinstance(d, Mapping) for d in raw_details):
            raise _Refusal(f"[{infno}] input.{spec.detail_wrapper} 必须是非空的明细数组",
                           BAD_INPUT)
        details = [spec.from_wire(d) for d in raw_details]
        if missing := spec.missing_in_details(details):
            raise _Refusal(f"[{infno}] 明细缺少必填字段：{', '.join(missing)}", MISSING_FIELD)
        try:
            check_agreement(self._agreement)
        except InsurerRefused as exc:
            raise _Refusal(f"[{infno}] {exc.message}", RefusalCode.AGREEMENT_INACTIVE) from None
        person = self._person_where("psn_no = ?", str(info["psn_no"]))
        if person is None:
            raise _Refusal(f"[{infno}] 人员编号 {info['psn_no']} 无参保信息",
                           RefusalCode.PERSON_NOT_FOUND)
        status = InsuranceStatus(person["status"])
        if status is not InsuranceStatus.ACTIVE:
            raise _Refusal(f"[{infno}] 参保人 {person['psn_name']} 当前为{status.label}状态，"
                           "不能医保结算，请顾客自费", RefusalCode.INSURANCE_SUSPENDED)
        if str(info["insutype"]) != person["insutype"]:
            raise _Refusal(f"[{infno}] 参保人未参加险种 {info['insutype']}"
                           f"（当前险种 {person['insutype']}）", RefusalCode.INSUTYPE_MISMATCH)
        total = _amount(infno, "medfee_sumamt", info["medfee_sumamt"])
        lines, self_paid = [], set()
        for index, detail in enumerate(details, start=1):
            amount = _amount(infno, f"{spec.detail_wrapper}[{index}].det_item_fee_sumamt",
                             detail["det_item_fee_sumamt"])
            code = str(detail["medins_list_codg"])
            lines.append(CartLine(
                item_code=code, name=code, category=ProductCategory.DRUG,
                insurance_class=self._catalogue.get(str(detail["med_list_codg"]),
                                                    InsuranceClass.NONE),
                is_prescription=False, quantity=1, unit_price=amount, retail_price=amount,
                units_per_pack=1))
            if str(detail.get("hosp_appr_flag") or "") == "2":
                self_paid.add(code)
        if total != sum((line.amount for line in lines), Decimal("0")):
            raise _Refusal(f"[{infno}] 医疗费总额 medfee_sumamt {info['medfee_sumamt']} "
                           "与明细金额合计不符", BAD_INPUT)
        try:
            split = compute_split(
                lines, policy=self._policy, account_balance=Decimal(person["balc"]),
                insured_total_this_year=Decimal(person["fund_paid_year"]),
                deductible_paid_this_year=Decimal(person["dedc_paid_year"]),
                self_paid_item_codes=self_paid, use_account=str(info["acct_used_flag"]) == "1")
        except DomainError as exc:
            raise _Refusal(f"[{infno}] {exc.message}", BAD_INPUT) from None
        setl_id = mdtrt_id = ""
        if book:
            n = self._db.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM settlements").fetchone()[0]
            setl_id, mdtrt_id = f"SIMSETL{n:012d}", f"SIMMDTRT{n:012d}"
            self._db.execute(
                "INSERT INTO settlements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (n, setl_id, mdtrt_id, person["psn_no"], msgid,
                 protocol.money(split.medfee_sumamt), protocol.money(split.fund_pay_sumamt),
                 protocol.money(split.acct_pay), protocol.money(split.deductible_pay),
                 now.isoformat()))
            self._db.execute(
                "UPDATE persons SET balc = ?, fund_paid_year = ?, dedc_paid_year = ? "
                "WHERE psn_no = ?",
                (protocol.money(split.balc),
                 protocol.money(Decimal(person["fund_paid_year"]) + split.fund_pay_sumamt),
                 protocol.money(Decimal(person["dedc_paid_year"]) + split.deductible_pay),
                 person["psn_no"]))
        return _Outcome({"setlinfo": _setlinfo(split, setl_id, mdtrt_id, person["psn_no"]),
                         "setldetail": _setldetail(split, details),
                         "detlcutinfo": []})

    def _cancel_by_id(self, data: Mapping[str, Any], msgid: str, now: datetime) -> _Outcome:
        setl_id = str(data["setl_id"])
        row = self._settlement("setl_id = ?", setl_id)
        if row is None:
            raise _Refusal(f"[2103] 结算记录 {setl_id} 不存在，无法撤销",
                           RefusalCode.SETTLEMENT_NOT_FOUND)
        if row["mdtrt_id"] != str(data["mdtrt_id"]) or row["psn_no"] != str(data["psn_no"]):
            raise _Refusal(f"[2103] 结算记录 {setl_id} 的就诊ID或人员编号不符", BAD_INPUT)
        if row["cancelled_at"] is not None:
            raise _Refusal(f"[2103] 结算记录 {setl_id} 已撤销，不能重复撤销",
                           RefusalCode.ALREADY_CANCELLED)
        return _Outcome(self._cancel(row, msgid, now))

    def _cancel(self, row: sqlite3.Row, msgid: str, now: datetime) -> dict[str, Any]:
        """Reverse a booked settlement: account, year total and deductible restored."""
        person = self._person_where("psn_no = ?", row["psn_no"])
        assert person is not None  # persons are never deleted
        acct, fund = Decimal(row["acct_pay"]), Decimal(row["fund_pay_sumamt"])
        balc = Decimal(person["balc"]) + acct
        self._db.execute(
            "UPDATE persons SET balc = ?, fund_paid_year = ?, dedc_paid_year = ? "
            "WHERE psn_no = ?",
            (protocol.money(balc), protocol.money(Decimal(person["fund_paid_year"]) - fund),
             protocol.money(Decimal(person["dedc_paid_year"]) - Decimal(row["deductible_pay"])),
             row["psn_no"]))
        self._db.execute("UPDATE settlements SET cancelled_at = ?, cancel_msgid = ? WHERE n = ?",
                         (now.isoformat(), msgid, row["n"]))
        return {"setlinfo": {"setl_id": row["setl_id"], "fund_pay_sumamt": protocol.money(fund),
                             "acct_pay": protocol.money(acct), "balc": protocol.money(balc)}}

    def _reverse(self, data: Mapping[str, Any], msgid: str, now: datetime) -> _Outcome:
        omsgid = str(data["omsgid"])
        row = self._settlement("msgid = ?", omsgid)
        if row is not None:
            if row["psn_no"] != str(data["psn_no"]):
                raise _Refusal(f"[2601] 原交易 {omsgid} 的人员编号不符", BAD_INPUT)
            if row["cancelled_at"] is not None:
                return _Outcome({}, f"原交易 {omsgid} 已撤销或冲正，无需重复冲正")
            return _Outcome(self._cancel(row, msgid, now))
        # An upload call is reversed by deleting what it booked (as 3507 would).
        deleted = self._db.execute(
            "UPDATE uploads SET deleted_at = ?, deleted_msgid = ? "
            "WHERE msgid = ? AND deleted_at IS NULL", (now.isoformat(), msgid, omsgid)).rowcount
        if deleted:
            return _Outcome({"count": deleted})
        if self._db.execute("SELECT 1 FROM uploads WHERE msgid = ?", (omsgid,)).fetchone():
            return _Outcome({}, f"原交易 {omsgid} 上传的记录已删除，无需重复冲正")
        return _Outcome({}, NOTHING_TO_REVERSE)

    def _settlement(self, where: str, value: str) -> sqlite3.Row | None:
        cursor = self._db.execute(_QUERIES[where], (value,))
        cursor.row_factory = sqlite3.Row
        return cursor.fetchone()

    # -- uploads (3501–3507) ----------------------------------------------------------------

    def _upload(self, call: _Call, spec: TransactionSpec, records: list[dict]) -> _Outcome:
        infno = call.infno
        batch = self.profile.is_batch(infno)
        data_type = spec.inv_data_type or ""
        single = _single_record_text(spec, call) if not batch else None
        warnings, booked = [], 0
        for position, record in enumerate(records, start=1):
            where = f"第{position}条记录：" if batch else ""
            bchno = str(record["fixmedins_bchno"])
            text = single if single is not None else _canonical(record)
            live = self._db.execute(
                "SELECT record FROM uploads WHERE bchno = ? AND inv_data_type = ? "
                "AND deleted_at IS NULL", (bchno, data_type)).fetchone()
            if live is not None:
                if live[0] == text:
                    warnings.append(where + DUPLICATE_WARNING)
                    continue
                raise _Refusal(f"[{infno}] {where}流水号 {bchno} 已上传且内容不同："
                               "如需更正请先删除(3507)后重传", DUPLICATE_RECORD)
            self._db.execute(
                "INSERT INTO uploads (bchno, inv_data_type, infno, record, msgid, booked_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (bchno, data_type, spec.infno, text, call.msgid,
                                              call.stamp))
            booked += 1
        output = {"count": len(records), "booked": booked} if batch else {}
        return _Outcome(output, "；".join(warnings))

    def _delete(self, data: Mapping[str, Any], msgid: str, now: datetime) -> _Outcome:
        bchno, data_type = str(data["fixmedins_bchno"]), str(data["inv_data_type"])
        deleted = self._db.execute(
            "UPDATE uploads SET deleted_at = ?, deleted_msgid = ? "
            "WHERE bchno = ? AND inv_data_type = ? AND deleted_at IS NULL",
            (now.isoformat(), msgid, bchno, data_type)).rowcount
        if deleted:
            return _Outcome({})
        if self._db.execute("SELECT 1 FROM uploads WHERE bchno = ? AND inv_data_type = ?",
                            (bchno, data_type)).fetchone():
            return _Outcome({}, f"流水号 {bchno} 的记录已删除")
        raise _Refusal(f"[3507] 未找到流水号 {bchno} 的记录", BAD_INPUT)

    # -- controls (training and tests) ----------------------------------------------------

    @property
    def agreement(self) -> AgreementStatus:
        """The store's agreement as the simulated insurer holds it (SALE-8)."""
        return self._agreement

    def set_agreement(self, status: AgreementStatus) -> None:
        """Change the store's agreement status (kept in the file)."""
        with self._lock:
            self._set_meta("agreement", status.value)
            self._agreement = status

    def put_person(self, fields: Mapping[str, Any]) -> dict[str, str]:
        """Add a person or update one (by ``psn_no``); returns the person as booked.

        Raises:
            ValueError: no ``psn_no``, a new person without ``certno``/``psn_name``, or a
                bad status or amount.
        """
        psn_no = str(fields.get("psn_no") or "").strip()
        if not psn_no:
            raise ValueError("person 须有 psn_no")
        with self._lock:
            old = self._person_where("psn_no = ?", psn_no)
            row = dict(old) if old is not None else {
                "psn_no": psn_no, "certno": "", "psn_name": "", "insutype": "310",
                "balc": "0.00", "status": "active", "ec_token": "", "gend": "", "brdy": "",
                "fund_paid_year": "0.00", "dedc_paid_year": "0.00"}
            for name in ("certno", "psn_name", "insutype", "ec_token", "gend", "brdy"):
                if name in fields:
                    row[name] = str(fields[name])
            for name in ("balc", "fund_paid_year", "dedc_paid_year"):
                if name in fields:
                    try:
                        row[name] = protocol.money(Decimal(str(fields[name])))
                    except InvalidOperation:
                        raise ValueError(f"{name} 不是金额：{fields[name]!r}") from None
            if "status" in fields:
                status = _STATUS_BY_TEXT.get(str(fields["status"]))
                if status is None:
                    raise ValueError(f"status 无效：{fields['status']!r}")
                row["status"] = status.value
            if not row["certno"] or not row["psn_name"]:
                raise ValueError("新人员须有 certno 和 psn_name")
            row["gend"], row["brdy"] = row["gend"] or _gend(row["certno"]), (
                row["brdy"] or _brdy(row["certno"]))
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO persons (psn_no, certno, psn_name, insutype, balc, "
                "status, ec_token, gend, brdy, fund_paid_year, dedc_paid_year) VALUES "
                "(:psn_no, :certno, :psn_name, :insutype, :balc, :status, :ec_token, :gend, "
                ":brdy, :fund_paid_year, :dedc_paid_year)", row)
            self._db.execute("COMMIT")
            return row

    def set_catalogue(self, entries: Iterable[Mapping[str, Any]]) -> int:
        """Set the class of national codes (``chrgitm_lv`` 01 甲, 02 乙, 03 丙).

        Raises:
            ValueError: an entry without a code or with another level.
        """
        rows = []
        for entry in entries:
            code, level = str(entry.get("med_list_codg") or ""), str(entry.get("chrgitm_lv"))
            if not code or level not in _CLASS_BY_LEVEL:
                raise ValueError(f"目录条目无效：{dict(entry)!r}")
            rows.append((code, level))
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO catalogue VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
            self._catalogue.update({code: _CLASS_BY_LEVEL[level] for code, level in rows})
        return len(rows)

    def state(self, *, bchno: str | None = None, psn_no: str | None = None) -> dict[str, Any]:
        """Counts of what is on the book; the records of ``bchno`` and a person if asked."""
        with self._lock:
            db = self._db
            state: dict[str, Any] = {
                "uploads": dict(db.execute(
                    "SELECT inv_data_type, COUNT(*) FROM uploads WHERE deleted_at IS NULL "
                    "GROUP BY inv_data_type")),
                "deleted": db.execute(
                    "SELECT COUNT(*) FROM uploads WHERE deleted_at IS NOT NULL").fetchone()[0],
                "settlements": db.execute("SELECT COUNT(*) FROM settlements").fetchone()[0],
                "cancelled": db.execute(
                    "SELECT COUNT(*) FROM settlements WHERE cancelled_at IS NOT NULL"
                ).fetchone()[0],
                "msgids": db.execute("SELECT COUNT(*) FROM msgids").fetchone()[0],
                "agreement": self._agreement.value,
            }
            if bchno is not None:
                state["records"] = [
                    {"infno": infno, "inv_data_type": data_type, "record": json.loads(text),
                     "msgid": msgid, "booked_at": booked, "deleted": deleted is not None}
                    for infno, data_type, text, msgid, booked, deleted in db.execute(
                        "SELECT infno, inv_data_type, record, msgid, booked_at, deleted_at "
                        "FROM uploads WHERE bchno = ? ORDER BY id", (bchno,))]
            if psn_no is not None:
                person = self._person_where("psn_no = ?", psn_no)
                state["person"] = dict(person) if person is not None else None
            return state

    # -- inside -----------------------------------------------------------------------------

    def _seed(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT INTO persons VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '0.00', '0.00')",
            ("SIM0000000001", DEMO_HOLDER_SSN, "张三丰", "310", "1200.00", "active",
             "EC-DEMO-0001", _gend(DEMO_HOLDER_SSN), _brdy(DEMO_HOLDER_SSN)))
        self._db.execute("COMMIT")

    def _meta(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _refusal_message(msgid: str, now: datetime, message: str, code: str) -> dict[str, Any]:
    refused = protocol.answer(msgid, at=now, infcode=-1, err_msg=message)
    refused["ext_err_code"] = str(code)
    return refused


def _refusal(infno: str, msgid: str, now: datetime, message: str, code: str) -> bytes:
    """A refusal that is not stored (it came before the msgid could be booked)."""
    if not message.startswith("["):
        message = f"[{infno}] {message}"
    return protocol.encode(_refusal_message(msgid, now, message, code))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _single_record_text(spec: TransactionSpec, call: _Call) -> str | None:
    """The one record's canonical JSON cut out of the input's, when that is exact.

    With no renames and nothing beside the wrapper, ``{"wrapper":{...}}`` in canonical
    form holds the record's canonical form verbatim; this saves encoding it twice on
    the busiest path (single uploads).
    """
    input_ = call.input
    if spec.rename or len(input_) != 1 or spec.wrapper not in input_:
        return None
    prefix = f"{{{_canonical(spec.wrapper)}:"
    if not call.canonical.startswith(prefix):
        return None
    return call.canonical[len(prefix):-1]


def _amount(infno: str, name: str, value: Any) -> Decimal:
    try:
        return protocol.parse_money(value, name)
    except protocol.MalformedAnswer:
        raise _Refusal(f"[{infno}] 字段 {name} 须为金额字符串（如 \"12.30\"）：{value!r}",
                       BAD_INPUT) from None


def _setlinfo(split: SettlementSplit, setl_id: str, mdtrt_id: str,
              psn_no: str) -> dict[str, str]:
    m = protocol.money
    return {
        "setl_id": setl_id, "mdtrt_id": mdtrt_id, "psn_no": psn_no,
        "medfee_sumamt": m(split.medfee_sumamt), "fulamt_ownpay_amt": m(split.fulamt_ownpay_amt),
        "overlmt_selfpay": m(split.overlmt_selfpay), "preselfpay_amt": m(split.preselfpay_amt),
        "inscp_scp_amt": m(split.inscp_scp_amt), "hifp_pay": m(split.fund_pay_sumamt),
        "fund_pay_sumamt": m(split.fund_pay_sumamt), "psn_part_amt": m(split.psn_part_amt),
        "acct_pay": m(split.acct_pay), "psn_cash_pay": m(split.psn_cash_pay),
        "balc": m(split.balc), "ext_balc_before": m(split.account_balance_before),
        "ext_deductible_pay": m(split.deductible_pay),
    }


def _setldetail(split: SettlementSplit, details: list[dict]) -> list[dict[str, str]]:
    m = protocol.money
    return [{
        "feedetl_sn": str(detail["feedetl_sn"]), "det_item_fee_sumamt": m(line.amount),
        "fulamt_ownpay_amt": m(line.fulamt_ownpay_amt), "preselfpay_amt": m(line.preselfpay_amt),
        "inscp_scp_amt": m(line.inscp_scp_amt),
        "chrgitm_lv": _LEVEL_BY_CLASS.get(line.insurance_class, "03"),
        "ext_deductible_pay": m(line.deductible_pay), "hifp_pay": m(line.fund_pay),
        "overlmt_selfpay": m(line.overlmt_selfpay), "acct_pay": m(line.acct_pay),
        "psn_cash_pay": m(line.cash_pay), "memo": line.self_pay_reason,
    } for line, detail in zip(split.lines, details, strict=True)]


def _brdy(certno: str) -> str:
    """The birth date (yyyy-MM-dd) of an 18-character ID number, "" otherwise."""
    digits = certno[6:14]
    if len(certno) != 18 or not digits.isdigit():
        return ""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return ""


def _gend(certno: str) -> str:
    """1 male / 2 female from an 18-character ID number's 17th digit, "" otherwise."""
    if len(certno) != 18 or not certno[16].isdigit():
        return ""
    return "1" if int(certno[16]) % 2 else "2"


def _age(brdy: str) -> str:
    if not brdy:
        return ""
    born, today = date.fromisoformat(brdy), datetime.now(UTC).date()
    return str(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))
