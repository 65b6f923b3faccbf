"""An in-process insurer for training, the demo and tests (STYLE.md habit 5: a twin that ships).

It behaves like the national platform where the till can tell: 1101 person info, 2101
pre-settle without booking, 2102 settle idempotent by ``msgid``, 2103 cancel, refusals
with a code and a Chinese message. The split is :func:`compute_split` with the policy's
numbers, so the simulator and the till's preview agree to the fen.

Its book (persons, balances, year totals, settlements) lives in memory only and is lost
when the process ends; a later issue persists it or replaces this adapter by the HTTP
simulator of the platform. One policy applies to every scheme here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pharmacy_pos.domain.clock import STORE_ZONE, Clock, SystemClock
from pharmacy_pos.domain.ids import id_check_digit
from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.domain.settlement import SettlementSplit, compute_split
from pharmacy_pos.domain.uploads import DATA_TYPES
from pharmacy_pos.insurance.ports import (
    AgreementStatus,
    Cancellation,
    InsuranceStatus,
    InsuredPerson,
    InsurerRefused,
    InsurerUnavailable,
    RefusalCode,
    Settlement,
    SettlementRequest,
    StatementRow,
    check_agreement,
    is_valid_msgid,
)
from pharmacy_pos.insurance.protocol import Exchange, Profile, answer, encode, parse_answer

# The demo card holder of tests/cards.py (张三丰), so a virtual card settles in the demo.
DEMO_HOLDER_SSN = "11010519800101123" + id_check_digit("11010519800101123")


@dataclass(frozen=True, slots=True)
class _Booked:
    """A settlement with what is needed to check a retry and to reverse it."""

    request: SettlementRequest
    settlement: Settlement
    deductible_pay: Decimal
    settled_at: datetime
    cancellation: Cancellation | None = None
    cancelled_at: datetime | None = None


class SimulatedInsurer:
    """The settlement gateway, simulated in memory; safe to call from several threads.

    Args:
        policy: the scheme's numbers (ratios, 乙类 share, deductible, cap, account).
        persons: the insured persons the simulated insurer knows.
        agreement: the store's agreement status as the insurer holds it (SALE-8).
        clock: the insurer's own clock, stamping settlements and cancellations for its
            statement (REP-2); the system clock unless given.
    """

    def __init__(self, policy: InsurerPolicy, persons: Iterable[InsuredPerson] = (), *,
                 agreement: AgreementStatus = AgreementStatus.ACTIVE,
                 clock: Clock | None = None, profile: Profile | None = None) -> None:
        self._policy = policy
        self._profile = profile
        # The 进销存 book: (fixmedins_bchno, inv_data_type) -> the record (None = deleted).
        self._uploads: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._persons: dict[str, InsuredPerson] = {}
        for person in persons:
            self._persons[person.psn_no] = person
        self._agreement = agreement
        self._online = True
        self._settlements: dict[str, _Booked] = {}
        self._settle_msgids: dict[str, str] = {}   # msgid -> setl_id
        self._cancel_msgids: dict[str, Cancellation] = {}
        self._next_id = 1

    @classmethod
    def demo(cls, policy: InsurerPolicy | None = None, *, clock: Clock | None = None,
             profile: Profile | None = None) -> SimulatedInsurer:
        """The demo insurer: 张三丰, employee basic (310), account balance 1,200.00."""
        holder = InsuredPerson(
            psn_no="SIM0000000001", certno=DEMO_HOLDER_SSN, psn_name="张三丰",
            insutype="310", balc=Decimal("1200.00"),
        )
        return cls(policy or InsurerPolicy(), [holder], clock=clock, profile=profile)

    # -- simulator controls (training and tests) ---------------------------------------

    def set_agreement(self, status: AgreementStatus) -> None:
        """Change the store's agreement status as the insurer holds it (SALE-8)."""
        with self._lock:
            self._agreement = status

    def set_online(self, online: bool) -> None:
        """Simulate the link to the insurer going down (calls raise InsurerUnavailable)."""
        with self._lock:
            self._online = online

    def set_insurance_status(self, psn_no: str, status: InsuranceStatus) -> None:
        """Change a person's insurance status (e.g. 暂停参保)."""
        with self._lock:
            person = self._person(psn_no)
            self._persons[psn_no] = replace(person, status=status)

    # -- the port ------------------------------------------------------------------------

    def person_info(self, certno: str, *, cert_type: str = "02", card_no: str = "",
                    card_sn: str = "") -> InsuredPerson:
        """1101: the insured person with this ID number (the card's number and serial
        are not checked here).

        Raises:
            InsurerRefused: no such insured person. InsurerUnavailable: simulated outage.
        """
        wanted = certno.strip().upper()
        with self._lock:
            self._check_online()
            for person in self._persons.values():
                if person.certno.upper() == wanted:
                    return person
        raise InsurerRefused("[1101] 未查询到该人员的参保信息，请核对证件或改为自费",
                             code=RefusalCode.PERSON_NOT_FOUND)

    def pre_settle(self, request: SettlementRequest) -> SettlementSplit:
        """2101: the split for ``request``; books nothing.

        Raises:
            InsurerRefused: SALE-8, unknown person, insurance not active, wrong scheme.
            InsurerUnavailable: simulated outage.
        """
        with self._lock:
            self._check_online()
            return self._split(request)

    def settle(self, request: SettlementRequest, msgid: str) -> Settlement:
        """2102: book ``request`` once per ``msgid``; a retry returns the same settlement.

        Raises:
            InsurerRefused: as :meth:`pre_settle`; a malformed ``msgid``; a ``msgid``
                already used for another request. InsurerUnavailable: simulated outage.
        """
        _check_msgid(msgid)
        with self._lock:
            self._check_online()
            # A retry after a lost answer must not book twice, even if the agreement
            # changed in between: the settlement already happened.
            if msgid in self._settle_msgids:
                booked = self._settlements[self._settle_msgids[msgid]]
                if booked.request != request:
                    raise _msgid_reused(msgid)
                return booked.settlement
            if msgid in self._cancel_msgids:
                raise _msgid_reused(msgid)
            split = self._split(request)
            setl_id = f"SIMSETL{self._next_id:012d}"
            self._next_id += 1
            settlement = Settlement(setl_id, msgid, request.psn_no, split,
                                    mdtrt_id=f"SIMMDTRT{self._next_id - 1:012d}")
            person = self._persons[request.psn_no]
            self._persons[request.psn_no] = replace(
                person, balc=split.balc,
                fund_paid_this_year=person.fund_paid_this_year + split.fund_pay_sumamt,
                deductible_paid_this_year=person.deductible_paid_this_year
                + split.deductible_pay)
            self._settlements[setl_id] = _Booked(request, settlement, split.deductible_pay,
                                                 settled_at=self._clock.now())
            self._settle_msgids[msgid] = setl_id
            return settlement

    def cancel(self, setl_id: str, msgid: str, *, mdtrt_id: str = "",
               psn_no: str = "") -> Cancellation:
        """2103: reverse a settlement: account, year total and deductible are restored.

        Cancelling is allowed while the agreement is suspended: it returns money to
        the fund, it does not spend it.

        Raises:
            InsurerRefused: unknown settlement, already cancelled, ``msgid`` malformed or
                used before. InsurerUnavailable: simulated outage.
        """
        _check_msgid(msgid)
        with self._lock:
            self._check_online()
            if msgid in self._cancel_msgids:
                earlier = self._cancel_msgids[msgid]
                if earlier.setl_id != setl_id:
                    raise _msgid_reused(msgid)
                return earlier
            if msgid in self._settle_msgids:
                raise _msgid_reused(msgid)
            booked = self._settlements.get(setl_id)
            if booked is None:
                raise InsurerRefused(f"[2103] 结算记录 {setl_id} 不存在，无法撤销",
                                     code=RefusalCode.SETTLEMENT_NOT_FOUND)
            if booked.cancellation is not None:
                raise InsurerRefused(f"[2103] 结算记录 {setl_id} 已撤销，不能重复撤销",
                                     code=RefusalCode.ALREADY_CANCELLED)
            split = booked.settlement.split
            person = self._persons[booked.settlement.psn_no]
            restored = replace(
                person, balc=person.balc + split.acct_pay,
                fund_paid_this_year=person.fund_paid_this_year - split.fund_pay_sumamt,
                deductible_paid_this_year=person.deductible_paid_this_year
                - booked.deductible_pay)
            self._persons[person.psn_no] = restored
            cancellation = Cancellation(setl_id, msgid, split.fund_pay_sumamt,
                                        split.acct_pay, restored.balc)
            self._settlements[setl_id] = replace(booked, cancellation=cancellation,
                                                 cancelled_at=self._clock.now())
            self._cancel_msgids[msgid] = cancellation
            return cancellation

    def reverse(self, psn_no: str, omsgid: str, oinfno: str, msgid: str) -> Cancellation | None:
        """2601: cancel the settlement booked under ``omsgid``; None if none was booked.

        Raises:
            InsurerRefused: ``msgid`` malformed. InsurerUnavailable: simulated outage.
        """
        with self._lock:
            self._check_online()
            setl_id = self._settle_msgids.get(omsgid) if oinfno == "2102" else None
            booked = self._settlements.get(setl_id) if setl_id else None
        if booked is None:
            return None
        if booked.cancellation is not None:
            return booked.cancellation
        return self.cancel(booked.settlement.setl_id, msgid)

    def statement(self, first: date, last: date) -> list[StatementRow]:
        """The store's statement for the store days ``first..last`` (REP-2).

        Every settlement booked in the period and every one cancelled in it, ordered
        by settle time then id; ``cancelled`` says whether it is cancelled by now.

        Raises:
            InsurerUnavailable: simulated outage.
        """
        start = datetime.combine(first, time.min, STORE_ZONE)
        end = datetime.combine(last, time.min, STORE_ZONE) + timedelta(days=1)

        def within(moment: datetime | None) -> bool:
            return moment is not None and start <= moment < end

        with self._lock:
            self._check_online()
            booked = [b for b in self._settlements.values()
                      if within(b.settled_at) or within(b.cancelled_at)]
        rows = []
        for b in sorted(booked, key=lambda b: (b.settled_at, b.settlement.setl_id)):
            split = b.settlement.split
            rows.append(StatementRow(
                setl_id=b.settlement.setl_id, psn_no=b.settlement.psn_no,
                settled_at=b.settled_at, medfee_sumamt=split.medfee_sumamt,
                fund_pay_sumamt=split.fund_pay_sumamt, acct_pay=split.acct_pay,
                cancelled=b.cancellation is not None, cancelled_at=b.cancelled_at))
        return rows

    def upload(self, infno: str, records: Sequence[Mapping[str, Any]], *,
               batch: bool = False, msgid: str | None = None) -> Exchange:
        """3501–3507 into the in-memory book, checked like the platform checks them:
        required fields (when a profile is given), one record per number and data type
        (an identical record again is ignored with a warning, a different one refused
        until deleted by 3507).

        Raises:
            InsurerUnavailable: simulated outage.
        """
        msgid = msgid or ""
        request = encode({"infno": infno, "msgid": msgid, "records": list(records)})
        with self._lock:
            self._check_online()
            now = self._clock.now()
            refusal, warn = self._book_uploads(infno, records)
        reply = answer(msgid, at=now, infcode=-1 if refusal else 0, err_msg=refusal,
                       warn_msg=warn)
        body = encode(reply)
        return Exchange(msgid, request, body, parse_answer(body))

    def upload_many(self, calls: Sequence[tuple[str, Sequence[Mapping[str, Any]], bool]],
                    ) -> list[Exchange | InsurerUnavailable]:
        """:meth:`upload` for each call, in order, stopping at the first without answer."""
        results: list[Exchange | InsurerUnavailable] = []
        for infno, records, batch in calls:
            try:
                results.append(self.upload(infno, records, batch=batch))
            except InsurerUnavailable as exc:
                results.append(exc)
                break
        return results

    def uploaded(self, bchno: str, inv_data_type: str) -> dict[str, Any] | None:
        """The record on the book under this number (None if none or deleted)."""
        with self._lock:
            return self._uploads.get((bchno, inv_data_type))

    def _book_uploads(self, infno: str, records: Sequence[Mapping[str, Any]],
                      ) -> tuple[str, str]:
        if infno == "3507":
            warn = ""
            for record in records:
                key = (str(record.get("fixmedins_bchno")), str(record.get("inv_data_type")))
                if key not in self._uploads:
                    return f"[3507] 未找到流水号 {key[0]} 的记录", ""
                if self._uploads[key] is None:
                    warn = "记录已删除"
                self._uploads[key] = None
            return "", warn
        data_type = DATA_TYPES.get(infno, "")
        if self._profile is not None:
            spec = self._profile.spec(infno)
            for number, record in enumerate(records, start=1):
                if missing := spec.missing(record):
                    return (f"[{infno}] 第{number}条记录缺少必填字段：{'、'.join(missing)}", "")
        staged: dict[tuple[str, str], dict[str, Any]] = {}
        warn = ""
        for record in records:
            key = (str(record.get("fixmedins_bchno")), data_type)
            earlier = self._uploads.get(key)
            if earlier is not None and earlier != dict(record):
                return (f"[{infno}] 流水号 {key[0]} 已上传且内容不同：如需更正请先删除(3507)后重传",
                        "")
            if earlier is not None:
                warn = "记录已存在，重复上传已忽略"
            else:
                staged[key] = dict(record)
        self._uploads.update(staged)
        return "", warn

    def forget(self, setl_id: str) -> None:
        """Drop a settlement from the insurer's book, as if it never reached the platform
        (training and tests of the reconciliation, REP-2)."""
        with self._lock:
            self._settlements.pop(setl_id, None)
            for msgid in [m for m, s in self._settle_msgids.items() if s == setl_id]:
                del self._settle_msgids[msgid]

    # -- inside the lock ------------------------------------------------------------------

    def _check_online(self) -> None:
        if not self._online:
            raise InsurerUnavailable("医保平台无响应（模拟断网）：请稍后重试，或改为自费")

    def _person(self, psn_no: str) -> InsuredPerson:
        person = self._persons.get(psn_no)
        if person is None:
            raise InsurerRefused(f"[2101] 人员编号 {psn_no} 无参保信息",
                                 code=RefusalCode.PERSON_NOT_FOUND)
        return person

    def _split(self, request: SettlementRequest) -> SettlementSplit:
        # The till's view and the insurer's own record of the agreement must both allow it.
        check_agreement(request.agreement)
        check_agreement(self._agreement)
        person = self._person(request.psn_no)
        if person.status is not InsuranceStatus.ACTIVE:
            raise InsurerRefused(
                f"[2101] 参保人 {person.psn_name} 当前为{person.status.label}状态，"
                "不能医保结算，请顾客自费",
                code=RefusalCode.INSURANCE_SUSPENDED)
        if request.insutype != person.insutype:
            raise InsurerRefused(
                f"[2101] 参保人未参加险种 {request.insutype}（当前险种 {person.insutype}）",
                code=RefusalCode.INSUTYPE_MISMATCH)
        return compute_split(
            request.lines, policy=self._policy, account_balance=person.balc,
            insured_total_this_year=person.fund_paid_this_year,
            deductible_paid_this_year=person.deductible_paid_this_year,
            self_paid_item_codes=request.self_paid_item_codes,
            use_account=request.use_account)


def _check_msgid(msgid: str) -> None:
    if not is_valid_msgid(msgid):
        raise InsurerRefused(
            f"报文ID“{msgid}”格式错误：应为定点机构编码(12位)+时间(14位)+序号(4位)",
            code=RefusalCode.INVALID_MSGID)


def _msgid_reused(msgid: str) -> InsurerRefused:
    return InsurerRefused(f"报文ID {msgid} 已用于其他交易，请使用新的报文ID",
                          code=RefusalCode.MSGID_REUSED)
