"""Person = card = document (证、卡、人一致): the identity rules ID-1 to ID-9, pure.

The services feed these checks with what the card reader read, what the cashier typed
or scanned from the identity document, the blacklist and the day's earlier reads; the
findings say which rule spoke, what it does, and what the cashier should do.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ids import IdNumber, InvalidIdNumber, mask_id_number


class Action(StrEnum):
    """How a finding acts (RULES.md)."""

    BLOCK = "block"
    APPROVE = "approve"
    WARN = "warn"
    RECORD = "record"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"block": "禁止", "approve": "需审批", "warn": "提示", "record": "记录"}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on a card, a person or a purchase."""

    rule_id: str
    action: Action
    message: str

    @property
    def blocks(self) -> bool:
        """Whether insurance settlement must not go on."""
        return self.action is Action.BLOCK

    def __str__(self) -> str:
        return f"[{self.rule_id}] {self.message}"


def check_card(record: CardRecord, *, today: date, blacklisted_reason: str | None) -> list[Finding]:
    """What a freshly read card allows (ID-3, ID-4, and third-generation cards).

    ``blacklisted_reason`` is the blacklist's reason when the card is listed.
    """
    findings: list[Finding] = []
    if blacklisted_reason is not None:
        findings.append(Finding(
            "ID-3", Action.BLOCK,
            f"此卡已列入挂失/冒用名单（{blacklisted_reason}）：请扣留此卡，并立即通知医保经办机构",
        ))
    if record.expiry_date is not None and record.expiry_date < today:
        findings.append(Finding(
            "ID-4", Action.BLOCK,
            f"社保卡已于 {record.expiry_date:%Y-%m-%d} 过期，不能医保结算，请持卡人到经办机构换卡",
        ))
    if record.personal_data_missing:
        findings.append(Finding(
            "ID-1", Action.BLOCK,
            "此卡（第三代社保卡）未读出持卡人信息：请使用厂商读卡驱动读卡，或使用医保电子凭证",
        ))
    else:
        try:
            IdNumber.parse(record.ssn, today=today)
        except InvalidIdNumber as exc:
            findings.append(Finding("ID-4", Action.BLOCK, f"卡内社会保障号码无效：{exc}"))
    return findings


def normalise_name(name: str) -> str:
    """Names compared as people write them: NFKC, no spaces or middle dots."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "·•・.")


def match_document(record: CardRecord, *, id_number: str, name: str) -> list[Finding]:
    """证、卡、人一致 (ID-2): the document shown must name the card's holder.

    Raises:
        DomainError: the typed ID number is not a valid number at all (ID-4).
    """
    try:
        document = IdNumber.parse(id_number)
    except InvalidIdNumber as exc:
        raise DomainError(f"证件号码无效：{exc}", rule_id="ID-4") from None
    findings = []
    if document.value != record.ssn.upper():
        findings.append(Finding(
            "ID-2", Action.BLOCK,
            f"证件号码 {document.masked()} 与社保卡 {record.masked_ssn} 不一致："
            "人证卡不一致，不能医保结算",
        ))
    if name.strip() and normalise_name(name) != normalise_name(record.name):
        findings.append(Finding(
            "ID-2", Action.BLOCK,
            f"证件姓名“{name.strip()}”与社保卡姓名“{record.name}”不一致：人证卡不一致，不能医保结算",
        ))
    return findings


def match_prescription_patient(record: CardRecord, *, patient_name: str,
                               patient_id_number: str = "") -> list[Finding]:
    """The person on an external prescription must be the card holder (ID-6)."""
    findings = []
    if normalise_name(patient_name) != normalise_name(record.name):
        findings.append(Finding(
            "ID-6", Action.BLOCK,
            f"处方患者“{patient_name}”不是持卡人“{record.name}”，不能用此卡结算该处方",
        ))
    if patient_id_number.strip() and patient_id_number.strip().upper() != record.ssn.upper():
        findings.append(Finding(
            "ID-6", Action.BLOCK,
            f"处方患者证件号 {mask_id_number(patient_id_number.strip())} 与持卡人不一致",
        ))
    return findings


@dataclass(frozen=True, slots=True)
class ProxyPurchase:
    """Buying for someone else (代购, ID-5): who buys, for whom, and the evidence."""

    buyer_id_number: str
    buyer_name: str
    insured_id_number: str
    bedridden: bool = False
    certificate_ref: str = ""

    def problems(self) -> list[Finding]:
        """Every reason the declaration is not yet enough to go on (empty = complete)."""
        findings = []
        for label, number in (("代购人", self.buyer_id_number), ("参保人", self.insured_id_number)):
            try:
                IdNumber.parse(number)
            except InvalidIdNumber as exc:
                findings.append(Finding("ID-5", Action.BLOCK, f"{label}身份证号无效：{exc}"))
        if not self.buyer_name.strip():
            findings.append(Finding("ID-5", Action.BLOCK, "请填写代购人姓名"))
        if (self.buyer_id_number.strip().upper() == self.insured_id_number.strip().upper()
                and self.buyer_id_number.strip()):
            findings.append(Finding("ID-5", Action.BLOCK, "代购人与参保人是同一人，无需登记代购"))
        if self.bedridden and not self.certificate_ref.strip():
            findings.append(Finding(
                "ID-5", Action.BLOCK,
                "参保人卧床不能亲自购药：请填写诊断证明或门诊病历的编号",
            ))
        return findings


def repeat_visit_finding(reads_today_before: int) -> Finding | None:
    """Same card swiped again today (ID-8): one visit, flagged for the report."""
    if reads_today_before <= 0:
        return None
    return Finding(
        "ID-8", Action.RECORD,
        f"此卡今日已在本店刷卡 {reads_today_before} 次，计为同一人次，已记录备查",
    )
