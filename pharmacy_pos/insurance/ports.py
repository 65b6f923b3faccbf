"""The settlement gateway port: what services may know about the insurer.

Transactions follow the national platform (INTERFACES.md): 1101 person info, 2101
pre-settle, 2102 settle, 2103 cancel. Adapters (the simulated insurer, later the HTTP
platform) translate to and from these DTOs; amounts are ``Decimal`` everywhere.

Faults say whose fault: :class:`InsurerUnavailable` (the link or the platform is down,
retry) and :class:`InsurerRefused` (the insurer said no; its code and message are kept).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pharmacy_pos.insurance.protocol import Exchange

from pharmacy_pos.domain.cart import CartLine
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.settlement import SettlementSplit


class InsurerUnavailable(EnvironmentFault):
    """The insurer could not be reached or did not answer; nothing was booked."""


class InsurerRefused(DomainError):
    """The insurer refused the request (platform ``infcode`` -1 with ``err_msg``).

    Attributes:
        code: the refusal's code (see :class:`RefusalCode`, or the platform's own).
        infcode: the platform's result code; always -1 for a refusal.
    """

    def __init__(self, message: str, *, code: str, rule_id: str | None = None,
                 infcode: int = -1) -> None:
        super().__init__(message, rule_id=rule_id)
        self.code = code
        self.infcode = infcode


class RefusalCode(StrEnum):
    """Why the insurer refused; simulators use these, real adapters map to them."""

    AGREEMENT_INACTIVE = "agreement_inactive"    # SALE-8
    PERSON_NOT_FOUND = "person_not_found"
    INSURANCE_SUSPENDED = "insurance_suspended"
    INSUTYPE_MISMATCH = "insutype_mismatch"
    SETTLEMENT_NOT_FOUND = "settlement_not_found"
    ALREADY_CANCELLED = "already_cancelled"
    MSGID_REUSED = "msgid_reused"
    INVALID_MSGID = "invalid_msgid"


class AgreementStatus(StrEnum):
    """The store's agreement with the insurer (定点协议, SALE-8)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    ENDED = "ended"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"active": "正常", "suspended": "中止", "ended": "解除"}[self.value]


class InsuranceStatus(StrEnum):
    """The person's insurance status (``psn_insu_stas``)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    ENDED = "ended"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"active": "正常参保", "suspended": "暂停参保", "ended": "终止参保"}[self.value]


INSUTYPE_LABELS = {
    "310": "职工基本医疗保险",
    "320": "公务员医疗补助",
    "390": "城乡居民基本医疗保险",
    "392": "城乡居民大病医疗保险",
    "510": "生育保险",
}


def check_agreement(status: AgreementStatus) -> None:
    """Refuse insurance settlement unless the store's agreement is in force (SALE-8).

    Raises:
        InsurerRefused: the agreement is suspended (中止) or ended (解除).
    """
    if status is not AgreementStatus.ACTIVE:
        raise InsurerRefused(
            f"本店医保定点协议已{status.label}：暂停医保结算，请顾客自费或到其他定点药店购药",
            code=RefusalCode.AGREEMENT_INACTIVE, rule_id="SALE-8")


_MSGID = re.compile(r"^[0-9A-Za-z]{12}\d{14}\d{4}$")


def make_msgid(fixmedins_code: str, when: datetime, sequence: int) -> str:
    """The platform's message id: store code (12) + yyyyMMddHHmmss + 4-digit sequence.

    ``when`` should be the store's local time, as the platform expects.

    Raises:
        ValueError: the store code is not 12 letters/digits or the sequence not 0–9999.
    """
    if not 0 <= sequence <= 9999:
        raise ValueError("sequence must be 0..9999")
    msgid = f"{fixmedins_code}{when:%Y%m%d%H%M%S}{sequence:04d}"
    if not is_valid_msgid(msgid):
        raise ValueError(f"not a valid msgid: {msgid!r}")
    return msgid


def is_valid_msgid(msgid: str) -> bool:
    """Whether ``msgid`` has the platform's 30-character shape."""
    return bool(_MSGID.match(msgid))


@dataclass(frozen=True, slots=True)
class InsuredPerson:
    """The answer to 1101 person info, for one scheme.

    Attributes:
        psn_no: the insurer's person number.
        certno: the ID / social-security number.
        psn_name: the person's name.
        insutype: the scheme code (310 employee basic, 390 resident basic, ...).
        balc: personal account balance.
        status: insurance status (``psn_insu_stas``).
        fund_paid_this_year: what the fund paid for the person this year (SALE-11).
        deductible_paid_this_year: how much of the year's 起付线 is met.
    """

    psn_no: str
    certno: str
    psn_name: str
    insutype: str
    balc: Decimal
    status: InsuranceStatus = InsuranceStatus.ACTIVE
    fund_paid_this_year: Decimal = Decimal("0.00")
    deductible_paid_this_year: Decimal = Decimal("0.00")

    @property
    def insutype_label(self) -> str:
        """The scheme's Chinese name."""
        return INSUTYPE_LABELS.get(self.insutype, f"险种 {self.insutype}")


@dataclass(frozen=True, slots=True)
class SettlementRequest:
    """A 2101/2102 request: who, which lines, and what the rules already decided.

    Attributes:
        psn_no: the insured person's number (from :meth:`SettlementGateway.person_info`).
        insutype: the scheme to settle under.
        lines: the cart lines.
        self_paid_item_codes: lines the till moved to self-pay (SALE-1, RX-13).
        use_account: the buyer agrees to pay from the personal account (acct_used_flag).
        agreement: the store's agreement status as the till knows it (SALE-8).
        mdtrt_cert_type: the certificate the person was identified by (01 e-voucher,
            02 ID number, 03 social-security card).
        mdtrt_cert_no: that certificate's number (the card number for 03).
    """

    psn_no: str
    insutype: str
    lines: tuple[CartLine, ...]
    self_paid_item_codes: frozenset[str] = field(default_factory=frozenset)
    use_account: bool = True
    agreement: AgreementStatus = AgreementStatus.ACTIVE
    mdtrt_cert_type: str = "02"
    mdtrt_cert_no: str = ""


@dataclass(frozen=True, slots=True)
class Settlement:
    """A booked settlement (2102 answer).

    Attributes:
        setl_id: the insurer's settlement id; keep it to cancel.
        msgid: the message id the settlement was booked under; keep it for 2601.
        psn_no: the insured person.
        split: the amounts as booked; ``split.balc`` is the account balance left.
        mdtrt_id: the insurer's visit id (就诊ID), needed with ``setl_id`` to cancel.
    """

    setl_id: str
    msgid: str
    psn_no: str
    split: SettlementSplit
    mdtrt_id: str = ""


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A cancelled settlement (2103 answer): what went back where.

    Attributes:
        setl_id: the settlement cancelled.
        msgid: the message id of the cancellation.
        fund_returned: fund payment reversed (the year's total is reduced by it).
        acct_returned: account payment put back on the personal account.
        balc: the personal account balance after the cancellation.
    """

    setl_id: str
    msgid: str
    fund_returned: Decimal
    acct_returned: Decimal
    balc: Decimal


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One settlement on the insurer's statement of the store (对账单, REP-2).

    Attributes:
        setl_id: the insurer's settlement id.
        psn_no: the insured person.
        settled_at: when the insurer booked it (aware, UTC).
        medfee_sumamt: 医疗费总额 as booked.
        fund_pay_sumamt: what the fund paid.
        acct_pay: what the personal account paid.
        cancelled: whether the settlement has been cancelled (2103).
        cancelled_at: when it was cancelled, if it was.
    """

    setl_id: str
    psn_no: str
    settled_at: datetime
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    acct_pay: Decimal
    cancelled: bool = False
    cancelled_at: datetime | None = None


class SettlementGateway(Protocol):
    """The insurer as the till sees it (simulated in-process or the national platform)."""

    def person_info(self, certno: str, *, cert_type: str = "02", card_no: str = "",
                    card_sn: str = "") -> InsuredPerson:
        """1101: the insured person for an ID / social-security number read from a card.

        ``cert_type`` says how the person was identified (02 ID number, 03 card with
        ``card_no`` / ``card_sn``, 01 e-voucher whose token is ``certno``).

        Raises:
            InsurerRefused: unknown person. InsurerUnavailable: no answer.
        """
        ...

    def pre_settle(self, request: SettlementRequest) -> SettlementSplit:
        """2101: the split the insurer would book, without booking anything.

        Raises:
            InsurerRefused: SALE-8, unknown person, insurance suspended.
            InsurerUnavailable: no answer.
        """
        ...

    def settle(self, request: SettlementRequest, msgid: str) -> Settlement:
        """2102: book the settlement; the same ``msgid`` again returns the same one.

        Raises:
            InsurerRefused: as :meth:`pre_settle`, or ``msgid`` reused for another request.
            InsurerUnavailable: no answer (retry with the same ``msgid``).
        """
        ...

    def cancel(self, setl_id: str, msgid: str, *, mdtrt_id: str = "",
               psn_no: str = "") -> Cancellation:
        """2103: reverse a settlement; the same ``msgid`` again returns the same answer.

        ``mdtrt_id`` and ``psn_no`` are those of the settlement (the platform checks them).

        Raises:
            InsurerRefused: unknown settlement, or already cancelled.
            InsurerUnavailable: no answer (retry with the same ``msgid``).
        """
        ...

    def reverse(self, psn_no: str, omsgid: str, oinfno: str, msgid: str) -> Cancellation | None:
        """2601: undo whatever the message ``omsgid`` booked (a settle whose answer was
        lost); None when it booked nothing.

        Raises:
            InsurerUnavailable: no answer (retry with the same ``msgid``).
        """
        ...

    def statement(self, first: date, last: date) -> list[StatementRow]:
        """The insurer's statement of the store for the store days ``first..last``.

        Lists every settlement booked in the period and every settlement cancelled in
        it (a settlement of an earlier period cancelled now is listed with its own
        settle time), ordered by settle time then id.

        Raises:
            InsurerUnavailable: no answer.
        """
        ...


class UploadGateway(Protocol):
    """Where the 进销存 records go (3501–3507): the platform, or a simulator."""

    def upload(self, infno: str, records: Sequence[Mapping[str, Any]], *,
               batch: bool = False, msgid: str | None = None) -> Exchange:
        """Send one record (or several through the profile's batch variant).

        A refusal comes back as the exchange's answer (``infcode`` -1), for the caller
        to record; only a missing or malformed answer raises.

        Raises:
            InsurerUnavailable: no answer, or a malformed one.
        """
        ...

    def upload_many(self, calls: Sequence[tuple[str, Sequence[Mapping[str, Any]], bool]],
                    ) -> list[Exchange | InsurerUnavailable]:
        """Several calls (infno, records, batch) in order; the list stops at the first
        one that got no answer, returned as the error it raised."""
        ...
