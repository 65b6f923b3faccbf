"""The national platform's JSON interface over HTTP: the settlement gateway and uploads.

One keep-alive connection per gateway, guarded by a lock (the till and the uploader each
hold their own gateway). The envelope, the field names and the required fields come from
the profile (``protocol.py``), so a province's differences are configuration.

Faults are translated at this edge (STYLE.md habit 4): no connection, a timeout, an HTTP
error status or a malformed answer raise :class:`InsurerUnavailable` (whether anything was
booked is unknown: retry with the same msgid, which the platform de-duplicates); an answer
with ``infcode`` ≠ 0 raises :class:`InsurerRefused` with the platform's message, or for
uploads is returned as it is, for the uploader to record.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.settlement import SettlementSplit, SplitLine
from pharmacy_pos.insurance.adapters.http11 import Http11
from pharmacy_pos.insurance.ports import (
    Cancellation,
    InsuranceStatus,
    InsuredPerson,
    InsurerRefused,
    InsurerUnavailable,
    Settlement,
    SettlementRequest,
    StatementRow,
    check_agreement,
)
from pharmacy_pos.insurance.protocol import (
    CERT_CARD,
    CERT_E_VOUCHER,
    CERT_ID_NUMBER,
    SIGN_IN,
    Answer,
    Caller,
    Exchange,
    MalformedAnswer,
    Profile,
    build_request,
    encode,
    format_time,
    money,
    parse_answer,
    parse_money,
    wrap,
)

_STATUS = {"1": InsuranceStatus.ACTIVE, "2": InsuranceStatus.SUSPENDED,
           "4": InsuranceStatus.ENDED}
_REFUSALS_NEEDING_SIGN_IN = frozenset({"sign_no"})


class PlatformGateway:
    """The settlement gateway and upload client for the national platform (or its
    loopback simulator).

    Args:
        url: the platform's base URL (``http://127.0.0.1:8780``); the profile's path is
            appended.
        profile: the interface profile (field mappings, required fields, path).
        caller: the store and operator for the envelope; ``sign_no`` is filled by 9001.
        clock: stamps ``inf_time`` and the detail times.
        msgids: a source of fresh 30-character message ids.
        mac / ip: what 9001 reports of this terminal.
        pipeline: how many upload requests may be on the wire before their answers are
            read (1 = one at a time). The loopback simulator answers pipelined requests
            in order; a platform behind a proxy that does not should keep 1.
    """

    def __init__(self, url: str, profile: Profile, caller: Caller, *, clock: Clock,
                 msgids: Callable[[], str], mac: str = "00-00-00-00-00-00",
                 ip: str = "127.0.0.1", pipeline: int = 1) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"医保平台地址无效：{url!r}（应为 http://主机:端口）")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._path = (parts.path.rstrip("/") + profile.path) if parts.path else profile.path
        self._profile = profile
        self._caller = caller
        self._clock = clock
        self._msgids = msgids
        self._mac, self._ip = mac, ip
        self._lock = threading.RLock()
        self._conn: Http11 | None = None
        self._pipeline = max(1, pipeline)
        self._certnos: dict[str, str] = {}   # psn_no -> certno, for 2101 without a card

    @property
    def profile(self) -> Profile:
        """The interface profile in use."""
        return self._profile

    @property
    def signed_in(self) -> bool:
        """Whether a sign-in number is held."""
        return bool(self._caller.sign_no)

    def close(self) -> None:
        """Close the connection (a later call opens a new one)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- 9001 ----------------------------------------------------------------------------

    def sign_in(self) -> str:
        """9001: sign in and keep the sign-in number for the envelope.

        Raises:
            InsurerRefused: the platform refused. InsurerUnavailable: no answer.
        """
        with self._lock:
            self._caller = replace(self._caller, sign_no="")
            answer = self._checked(SIGN_IN, {"signIn": {
                "opter_no": self._caller.opter, "mac": self._mac, "ip": self._ip}})
            sign_no = _ident(_mapping(answer.output, "signinoutb"), "sign_no", 40)
            if not sign_no:
                raise MalformedAnswer("医保平台签到应答缺少 sign_no")
            self._caller = replace(self._caller, sign_no=sign_no)
            return sign_no

    # -- the settlement gateway --------------------------------------------------------

    def person_info(self, certno: str, *, cert_type: str = CERT_ID_NUMBER, card_no: str = "",
                    card_sn: str = "") -> InsuredPerson:
        """1101: the insured person (by ID number, card, or e-voucher token).

        Raises:
            InsurerRefused: unknown person. InsurerUnavailable: no answer.
        """
        if cert_type == CERT_CARD:
            data = {"mdtrt_cert_type": CERT_CARD, "mdtrt_cert_no": card_no or certno,
                    "card_sn": card_sn, "certno": certno}
        elif cert_type == CERT_E_VOUCHER:
            data = {"mdtrt_cert_type": CERT_E_VOUCHER, "mdtrt_cert_no": certno,
                    "card_sn": "", "certno": ""}
        else:
            data = {"mdtrt_cert_type": CERT_ID_NUMBER, "mdtrt_cert_no": certno,
                    "card_sn": "", "certno": certno}
        data.update({"begntime": format_time(self._clock.now()), "psn_cert_type": "01",
                     "psn_name": ""})
        answer = self._checked("1101", {"data": data})
        base = _mapping(answer.output, "baseinfo")
        insuinfo = answer.output.get("insuinfo") or []
        if not base.get("psn_no") or not isinstance(insuinfo, list) or not insuinfo \
                or not isinstance(insuinfo[0], Mapping):
            raise MalformedAnswer("医保平台人员信息应答缺少 baseinfo 或 insuinfo")
        first = insuinfo[0]
        person = InsuredPerson(
            psn_no=_ident(base, "psn_no", 30), certno=_ident(base, "certno", 50) or certno,
            psn_name=_ident(base, "psn_name", 50), insutype=_ident(first, "insutype", 10),
            balc=parse_money(first.get("balc"), "balc"),
            status=_STATUS.get(str(first.get("psn_insu_stas")), InsuranceStatus.SUSPENDED),
            fund_paid_this_year=parse_money(first.get("ext_fund_paid_year") or "0.00",
                                            "ext_fund_paid_year"),
            deductible_paid_this_year=parse_money(first.get("ext_dedc_paid_year") or "0.00",
                                                  "ext_dedc_paid_year"))
        with self._lock:
            self._certnos[person.psn_no] = person.certno
        return person

    def pre_settle(self, request: SettlementRequest) -> SettlementSplit:
        """2101: the split the platform would book.

        Raises:
            InsurerRefused: SALE-8 and the platform's refusals. InsurerUnavailable.
        """
        check_agreement(request.agreement)
        answer = self._checked("2101", self._settle_input(request))
        return self._split(request, answer)

    def settle(self, request: SettlementRequest, msgid: str) -> Settlement:
        """2102: book the settlement under ``msgid`` (a retry returns the same one).

        Raises:
            InsurerRefused: as :meth:`pre_settle`. InsurerUnavailable: retry, same msgid.
        """
        check_agreement(request.agreement)
        answer = self._checked("2102", self._settle_input(request), msgid=msgid)
        split = self._split(request, answer)
        info = answer.output["setlinfo"]
        # Checked before the sale is written: an id its column cannot hold would fail
        # the commit after the platform booked (the till then reverses with 2601).
        setl_id = _ident(info, "setl_id", 40)
        if not setl_id:
            raise MalformedAnswer("医保平台结算应答缺少 setl_id")
        return Settlement(setl_id=setl_id, msgid=msgid, psn_no=request.psn_no,
                          split=split, mdtrt_id=_ident(info, "mdtrt_id", 40))

    def cancel(self, setl_id: str, msgid: str, *, mdtrt_id: str = "",
               psn_no: str = "") -> Cancellation:
        """2103: cancel a settlement.

        Raises:
            InsurerRefused: unknown or already cancelled. InsurerUnavailable: retry.
        """
        answer = self._checked("2103", {"data": {
            "setl_id": setl_id, "mdtrt_id": mdtrt_id, "psn_no": psn_no}}, msgid=msgid)
        return _cancellation(setl_id, msgid, answer)

    def reverse(self, psn_no: str, omsgid: str, oinfno: str, msgid: str) -> Cancellation | None:
        """2601: undo what ``omsgid`` booked; None when it booked nothing.

        Raises:
            InsurerRefused: the platform refused. InsurerUnavailable: retry, same msgid.
        """
        answer = self._checked("2601", {"data": {
            "psn_no": psn_no, "omsgid": omsgid, "oinfno": oinfno}}, msgid=msgid)
        if not answer.output.get("setlinfo"):
            return None
        return _cancellation(_ident(_mapping(answer.output, "setlinfo"), "setl_id", 40),
                             msgid, answer)

    def statement(self, first: date, last: date) -> list[StatementRow]:
        """The platform's statement is fetched by its own reconciliation transactions
        (3201/3202), which this client does not speak yet.

        Raises:
            InsurerUnavailable: always, with the reason.
        """
        raise InsurerUnavailable("经医保平台接口获取对账单（3201/3202）尚未接入：请在医保平台"
                                 "下载对账单后核对")

    # -- uploads (3501–3507) -----------------------------------------------------------

    def upload(self, infno: str, records: Sequence[Mapping[str, Any]], *,
               batch: bool = False, msgid: str | None = None) -> Exchange:
        """Send one record (or, with ``batch``, several through the profile's batch
        variant) and return the exchange as it happened; a refusal is an answer, not an
        exception, so the caller can log it.

        Raises:
            InsurerUnavailable: no answer or a malformed one (the exchange is attached as
                ``exc.exchange``).
        """
        spec = self._profile.spec(infno)
        wire_infno = spec.batch.infno if batch and spec.batch else spec.infno
        body = wrap(spec, list(records), batch=batch)
        return self._exchange(wire_infno, body, msgid=msgid, keep_refusals=True)

    def upload_many(self, calls: Sequence[tuple[str, Sequence[Mapping[str, Any]], bool]],
                    ) -> list[Exchange | InsurerUnavailable]:
        """Send several upload calls (infno, records, batch) in order, up to ``pipeline``
        of them on the wire at once, and return what came back for each, in order.

        The list stops at the first call that got no (well-formed) answer, which is
        returned as the :class:`InsurerUnavailable` it raised; calls after it were maybe
        sent, never answered, and are to be sent again (the insurer de-duplicates).
        """
        with self._lock:
            if not self._caller.sign_no:
                try:
                    self.sign_in()
                except InsurerUnavailable as exc:
                    return [exc]
            now = self._clock.now()
            requests = []
            for infno, records, batch in calls:
                spec = self._profile.spec(infno)
                wire = spec.batch.infno if batch and spec.batch else spec.infno
                msgid = self._msgids()
                requests.append((wire, msgid, encode(build_request(
                    self._profile, wire, msgid, wrap(spec, list(records), batch=batch),
                    self._caller, now))))
            results: list[Exchange | InsurerUnavailable] = []
            written = 0
            try:
                conn = self._connection()
                while len(results) < len(requests):
                    while written < len(requests) and written - len(results) < self._pipeline:
                        conn.send(self._path, requests[written][2])
                        written += 1
                    wire, msgid, body = requests[len(results)]
                    status, raw = conn.receive()
                    outcome = self._answered(wire, msgid, body, status, raw)
                    results.append(outcome)
                    if isinstance(outcome, InsurerUnavailable):
                        self.close()
                        break
                    if not conn.open:
                        self.close()
                        conn = self._connection()
                        written = len(results)
            except (OSError, ConnectionError) as exc:
                self.close()
                wire, msgid, body = requests[len(results)]
                error = InsurerUnavailable(f"[{wire}] 医保平台无响应（{_why(exc)}）：请稍后重试")
                error.exchange = Exchange(msgid, body, b"", None)  # type: ignore[attr-defined]
                results.append(error)
            for index, outcome in enumerate(results):
                if isinstance(outcome, Exchange) and outcome.answer is not None \
                        and not outcome.answer.ok and _code(outcome.answer) == "sign_no":
                    # The sign-in ran out: sign in again; this call and those after it
                    # are sent again by the next pass.
                    self._caller = replace(self._caller, sign_no="")
                    results[index:] = [InsurerUnavailable(
                        "医保平台签到已失效，已重新签到：稍后自动重传")]
                    break
            return results

    def _answered(self, infno: str, msgid: str, body: bytes, status: int,
                  raw: bytes) -> Exchange | InsurerUnavailable:
        if status in (404, 405):
            error = InsurerUnavailable(f"[{infno}] 医保平台返回 HTTP {status}：接口地址或路径不对，"
                                       "请核对医保平台地址与接口配置（insurer_profile）")
            error.exchange = Exchange(msgid, body, raw, None)  # type: ignore[attr-defined]
            return error
        if status != 200:
            error = InsurerUnavailable(f"[{infno}] 医保平台返回 HTTP {status}：请稍后重试")
            error.exchange = Exchange(msgid, body, raw, None)  # type: ignore[attr-defined]
            return error
        try:
            return Exchange(msgid, body, raw, parse_answer(raw))
        except MalformedAnswer as exc:
            exc.exchange = Exchange(msgid, body, raw, None)  # type: ignore[attr-defined]
            return exc

    # -- inside -----------------------------------------------------------------------

    def _settle_input(self, request: SettlementRequest) -> dict[str, Any]:
        now = format_time(self._clock.now())
        cert_no = request.mdtrt_cert_no
        cert_type = request.mdtrt_cert_type
        if not cert_no:
            with self._lock:
                cert_no = self._certnos.get(request.psn_no, "")
            cert_type = CERT_ID_NUMBER
        details = []
        for index, line in enumerate(request.lines, start=1):
            if line.item_code in request.self_paid_item_codes:
                approval = "2"          # the rules moved the line to self-pay
            elif line.restricted_scope:
                approval = "1"          # restricted scope, checked and met
            else:
                approval = "0"
            packs = Decimal(line.quantity) / Decimal(line.units_per_pack)
            details.append({
                "feedetl_sn": str(index), "rxno": "", "rx_circ_flag": "0",
                "fee_ocur_time": now, "med_list_codg": line.national_code or line.item_code,
                "medins_list_codg": line.item_code, "det_item_fee_sumamt": money(line.amount),
                "cnt": _plain(packs), "pric": money(line.unit_price), "sin_dos_dscr": "",
                "used_frqu_dscr": "", "prd_days": "", "medc_way_dscr": "",
                "bilg_dr_codg": "", "bilg_dr_name": "", "hosp_appr_flag": approval})
        total = sum((line.amount for line in request.lines), Decimal("0"))
        spec = self._profile.spec("2101")
        return {"druginfo": spec.to_wire({
            "psn_no": request.psn_no, "mdtrt_cert_type": cert_type, "mdtrt_cert_no": cert_no,
            "begntime": now, "medfee_sumamt": money(total), "insutype": request.insutype,
            "dise_codg": "", "dise_name": "", "acct_used_flag": "1" if request.use_account
            else "0", "med_type": "41"}),
            spec.detail_wrapper or "drugdetail": details}

    def _split(self, request: SettlementRequest, answer: Answer) -> SettlementSplit:
        info = answer.output.get("setlinfo")
        details = answer.output.get("setldetail")
        if not isinstance(info, Mapping) or not isinstance(details, list):
            raise MalformedAnswer("医保平台结算应答缺少 setlinfo 或 setldetail")
        if len(details) != len(request.lines):
            raise MalformedAnswer(f"医保平台结算明细 {len(details)} 条，与本次 "
                                  f"{len(request.lines)} 条费用明细不符")
        lines = []
        for line, detail in zip(request.lines, details, strict=True):
            if not isinstance(detail, Mapping):
                raise MalformedAnswer("医保平台结算明细不是对象")

            def amount(name: str, detail: Mapping[str, Any] = detail) -> Decimal:
                return parse_money(detail.get(name) or "0.00", f"setldetail.{name}")
            fund, acct, cash = amount("hifp_pay"), amount("acct_pay"), amount("psn_cash_pay")
            split_line = SplitLine(
                item_code=line.item_code, name=line.name, insurance_class=line.insurance_class,
                amount=amount("det_item_fee_sumamt"),
                fulamt_ownpay_amt=amount("fulamt_ownpay_amt"),
                preselfpay_amt=amount("preselfpay_amt"), inscp_scp_amt=amount("inscp_scp_amt"),
                deductible_pay=amount("ext_deductible_pay"), fund_pay=fund,
                overlmt_selfpay=amount("overlmt_selfpay"), acct_pay=acct, cash_pay=cash,
                self_pay_reason=_ident(detail, "memo", 200))
            if split_line.amount != line.amount or fund + acct + cash != split_line.amount:
                raise MalformedAnswer(f"医保平台结算明细第 {len(lines) + 1} 条金额不平")
            lines.append(split_line)
        balc = parse_money(info.get("balc"), "balc")
        acct_total = sum((line.acct_pay for line in lines), Decimal("0"))
        before = info.get("ext_balc_before")
        split = SettlementSplit(lines=tuple(lines), account_balance_before=(
            parse_money(before, "ext_balc_before") if before else balc + acct_total))
        for name in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay"):
            if parse_money(info.get(name), name) != getattr(split, name):
                raise MalformedAnswer(f"医保平台结算汇总 {name} 与明细合计不符")
        if split.balc != balc:
            raise MalformedAnswer("医保平台结算应答的账户余额与支付金额不符")
        return split

    def _checked(self, infno: str, input_: Mapping[str, Any], *,
                 msgid: str | None = None) -> Answer:
        exchange = self._exchange(infno, input_, msgid=msgid, keep_refusals=False)
        assert exchange.answer is not None
        return exchange.answer

    def _exchange(self, infno: str, input_: Mapping[str, Any], *, msgid: str | None,
                  keep_refusals: bool) -> Exchange:
        with self._lock:
            if infno != SIGN_IN and not self._caller.sign_no:
                self.sign_in()
            msgid = msgid or self._msgids()
            exchange = self._post(infno, input_, msgid)
            answer = exchange.answer
            assert answer is not None
            if not answer.ok and _code(answer) in _REFUSALS_NEEDING_SIGN_IN and infno != SIGN_IN:
                # The sign-in expired (the platform restarted, or a day passed): sign in
                # again and repeat; nothing was booked under a refused msgid.
                self.sign_in()
                exchange = self._post(infno, input_, msgid)
                answer = exchange.answer
                assert answer is not None
            if not answer.ok and not keep_refusals:
                raise InsurerRefused(_refusal(infno, answer.err_msg),
                                     code=_code(answer) or "platform", infcode=answer.infcode)
            return exchange

    def _post(self, infno: str, input_: Mapping[str, Any], msgid: str) -> Exchange:
        body = encode(build_request(self._profile, infno, msgid, input_, self._caller,
                                    self._clock.now()))
        try:
            conn = self._connection()
            conn.send(self._path, body)
            status, raw = conn.receive()
            if not conn.open:
                self.close()
        except (OSError, ConnectionError) as exc:
            self.close()
            error = InsurerUnavailable(f"[{infno}] 医保平台无响应（{_why(exc)}）：请稍后重试")
            error.exchange = Exchange(msgid, body, b"", None)  # type: ignore[attr-defined]
            raise error from exc
        outcome = self._answered(infno, msgid, body, status, raw)
        if isinstance(outcome, InsurerUnavailable):
            self.close()
            raise outcome
        return outcome

    def _connection(self) -> Http11:
        if self._conn is None:
            tls = ssl.create_default_context() if self._https else None
            conn = Http11(self._host, self._port, timeout=self._profile.timeout_seconds,
                          tls=tls)
            conn.connect()
            self._conn = conn
        return self._conn


def _cancellation(setl_id: str, msgid: str, answer: Answer) -> Cancellation:
    info = _mapping(answer.output, "setlinfo")
    return Cancellation(
        setl_id=_ident(info, "setl_id", 40) or setl_id, msgid=msgid,
        fund_returned=parse_money(info.get("fund_pay_sumamt"), "fund_pay_sumamt"),
        acct_returned=parse_money(info.get("acct_pay"), "acct_pay"),
        balc=parse_money(info.get("balc"), "balc"))


def _mapping(parent: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """``parent[name]`` when it is an object, {} when absent or empty.

    Raises:
        MalformedAnswer: present but not an object (a list, a number, text).
    """
    value = parent.get(name) or {}
    if not isinstance(value, Mapping):
        raise MalformedAnswer(f"医保平台应答的 {name} 不是对象")
    return value


def _ident(record: Mapping[str, Any], name: str, max_length: int) -> str:
    """An identifier or short text of an answer, "" when absent.

    Raises:
        MalformedAnswer: not text (or a number), too long for where it is kept, or with
            control characters (a NUL cannot be stored in PostgreSQL).
    """
    value = record.get(name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedAnswer(f"医保平台应答字段 {name} 不是文本：{repr(value)[:40]}")
    text = str(value)
    if len(text) > max_length or not text.isprintable():
        raise MalformedAnswer(f"医保平台应答字段 {name} 过长或含有不可显示的字符：{text[:40]!r}")
    return text


def _refusal(infno: str, err_msg: str) -> str:
    """The platform's reason as the cashier reads it: its own Chinese text as it is;
    anything else (empty, an English or numeric code) said to be the platform's."""
    if not err_msg:
        return f"[{infno}] 医保平台拒绝（无说明）"
    if any("\u4e00" <= ch <= "\u9fff" for ch in err_msg):
        return err_msg
    return f"[{infno}] 医保平台拒绝：{err_msg[:200]}"


def _code(answer: Answer) -> str:
    return answer.code


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "等待应答超时"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return "连接中断"
    if isinstance(exc, ConnectionError):
        return "连接中断" if "closed" in str(exc) else "应答不是 HTTP"
    return type(exc).__name__

