"""Identity use cases: card reads, person = card = document, blacklist, proxy purchases.

ID-1 insurance settlement only from a card read at this terminal (never a typed number);
ID-2 the identity document must match the card; ID-3 lost or forged cards refused and
recorded as incidents; ID-4 numbers and expiry validated; ID-5 proxy purchases recorded;
ID-6 prescription patient = card holder; ID-7 a pulled card leaves nothing half-done
(reads are recorded only once complete); ID-8/ID-9 every read recorded for the reports.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from pharmacy_pos.db.models import CardBlacklistEntry, CardRead, InsuredPerson, ProxyDeclaration
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError, NotFound, Problem, ValidationFailed
from pharmacy_pos.domain.identity import (
    Finding,
    ProxyPurchase,
    check_card,
    match_document,
    match_prescription_patient,
    repeat_visit_finding,
)
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.policy import IdentityPolicy
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor

UowFactory = Callable[..., UnitOfWork]
CARD_SOURCES = ("pcsc", "vendor", "virtual")


@dataclass(frozen=True, slots=True)
class CardCheck:
    """A recorded card read and what the identity rules said about it."""

    read_id: int
    record: CardRecord
    findings: tuple[Finding, ...]
    repeat_visits_today: int

    @property
    def accepted(self) -> bool:
        """Whether the card may be used for insurance settlement (before the document check)."""
        return not any(f.blocks for f in self.findings)


@dataclass(frozen=True, slots=True)
class SettlementIdentity:
    """Who insurance settles for: only ever made from a card read (ID-1)."""

    read_id: int
    ssn: str
    name: str
    card_number: str
    proxy_buyer_id_number: str = ""

    @property
    def masked_ssn(self) -> str:
        """For screens and receipts (SEC-5)."""
        return mask_id_number(self.ssn)


@dataclass(frozen=True, slots=True)
class BlacklistInfo:
    """A blacklist entry as screens show it."""

    card_number: str
    masked_ssn: str
    reason: str
    source: str
    added_by: str
    added_at: datetime
    lifted: bool


@dataclass(frozen=True, slots=True)
class CardUseFlag:
    """One line of the card-use report (ID-8, ID-9)."""

    rule_id: str
    subject: str
    count: int
    detail: str


class IdentityService:
    """Use cases around the insured person's card and identity."""

    def __init__(self, uow: UowFactory, clock: Clock, policy: IdentityPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    # -- card reads -------------------------------------------------------------------

    def record_card_read(self, actor: Actor, record: CardRecord, *, source: str) -> CardCheck:
        """Check a card just read and record the read (ID-3, ID-4, ID-8).

        Only complete reads reach this use case: a card pulled during reading raised in
        the reader and nothing was recorded (ID-7).
        """
        actor.require(Permission.SELL)
        if source not in CARD_SOURCES:
            raise DomainError(f"未知的读卡方式: {source}")
        now = self._clock.now()
        with self._uow() as uow:
            listed = uow.identity.active_blacklist_entry(record.card_number)
            findings = check_card(record, today=self._clock.today(),
                                  blacklisted_reason=listed.reason if listed else None)
            start, end = _day_bounds(self._clock.today())
            earlier = uow.identity.reads_of_card_between(actor.store_id, record.card_number,
                                                         start, end)
            if (repeat := repeat_visit_finding(earlier)) is not None:
                findings.append(repeat)
            blocking = sorted({f.rule_id for f in findings if f.blocks})
            person = None
            if not record.personal_data_missing and "ID-4" not in blocking:
                person = self._remember_person(uow, record, now)
            read = CardRead(
                store_id=actor.store_id, terminal_id=actor.terminal_id,
                operator_id=actor.user_id, read_at=now, source=source,
                card_number=record.card_number, region_code=record.region_code,
                spec_version=record.spec_version, expiry_date=record.expiry_date,
                insured_person_id=person.id if person else None, accepted=not blocking,
                rule_ids=",".join(blocking),
            )
            uow.identity.add(read)
            detail = {"card_number": record.card_number, "ssn": record.masked_ssn,
                      "source": source, "findings": [str(f) for f in findings]}
            if listed is not None:
                audit.record(uow, actor, "incident.lost_card", at=now, target_type="card",
                             target_id=record.card_number,
                             detail=detail | {"blacklist_reason": listed.reason})
            elif blocking:
                audit.record(uow, actor, "card.refused", at=now, target_type="card",
                             target_id=record.card_number, detail=detail)
            uow.commit()
        return CardCheck(read.id, record, tuple(findings), earlier)

    def _remember_person(self, uow: UnitOfWork, record: CardRecord, now: datetime
                         ) -> InsuredPerson:
        # Only what settlement needs: number, name, sex, birth date (SEC-5).
        person = uow.identity.person_by_ssn(record.ssn)
        if person is None:
            person = InsuredPerson(ssn=record.ssn, name=record.name, sex=record.sex,
                                   birth_date=record.birth_date, first_seen_at=now,
                                   last_seen_at=now)
            uow.identity.add(person)
        else:
            person.name, person.last_seen_at = record.name, now
        return person

    def verify_document(self, actor: Actor, read_id: int, *, id_number: str, name: str,
                        record: CardRecord) -> list[Finding]:
        """Compare the identity document shown with the card (ID-2); a mismatch is recorded.

        Returns the findings (empty when person, card and document agree).

        Raises:
            DomainError: the typed number is not a valid ID number (ID-4), or the read
                is not this terminal's.
        """
        actor.require(Permission.SELL)
        findings = match_document(record, id_number=id_number, name=name)
        now = self._clock.now()
        with self._uow() as uow:
            read = self._own_read(uow, actor, read_id)
            if read.card_number != record.card_number:
                raise DomainError("证件核对的卡与读卡记录不一致，请重新读卡", rule_id="ID-2")
            read.document_matched = not findings
            read.document_checked_at = now
            if findings:
                audit.record(uow, actor, "incident.identity_mismatch", at=now,
                             target_type="card", target_id=record.card_number, detail={
                                 "card_ssn": record.masked_ssn,
                                 "document": mask_id_number(id_number.strip().upper()),
                                 "findings": [str(f) for f in findings]})
            uow.commit()
        return findings

    def settlement_identity(self, actor: Actor, *, read_id: int | None,
                            typed_ssn: str = "", proxy_expected: bool = False,
                            ) -> SettlementIdentity:
        """The identity insurance may settle for (ID-1, ID-2, ID-5).

        ``proxy_expected``: the cashier marked the purchase as bought for someone else;
        then it cannot go on until the declaration is recorded (ID-5).

        A typed social-security number never qualifies: only a card read at this
        terminal, recently, accepted, and (by policy) checked against the document.

        Raises:
            DomainError: with the rule that refused and what to do.
        """
        actor.require(Permission.SELL)
        if read_id is None:
            message = "医保结算必须读取社保卡或医保电子凭证，手工输入社会保障号码不能结算"
            if typed_ssn:
                message += f"（已输入 {mask_id_number(typed_ssn.strip())}）"
            raise DomainError(message, rule_id="ID-1")
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            read = self._own_read(uow, actor, read_id)
            if now - read.read_at > timedelta(minutes=self._policy.card_read_valid_minutes):
                raise DomainError("读卡已超时，请重新读卡", rule_id="ID-1")
            if not read.accepted:
                raise DomainError(f"此卡不能医保结算（{read.rule_ids}）", rule_id="ID-1")
            if read.insured_person_id is None:
                raise DomainError("未读出持卡人信息，不能医保结算", rule_id="ID-1")
            if self._policy.require_document_check and read.document_matched is not True:
                reason = ("证件与社保卡不一致" if read.document_matched is False
                          else "尚未核对身份证件")
                raise DomainError(f"{reason}：人证卡一致后才能医保结算", rule_id="ID-2")
            person = uow.identity.person(read.insured_person_id)
            proxy = uow.identity.proxy_for_read(read.id)
            if proxy_expected and proxy is None:
                raise DomainError("代购须先登记代购人和参保人的身份证号", rule_id="ID-5")
            assert person is not None  # foreign key
            return SettlementIdentity(
                read_id=read.id, ssn=person.ssn, name=person.name,
                card_number=read.card_number,
                proxy_buyer_id_number=proxy.buyer_id_number if proxy else "",
            )

    def _own_read(self, uow: UnitOfWork, actor: Actor, read_id: int) -> CardRead:
        read = uow.identity.read(read_id)
        if read is None or read.store_id != actor.store_id:
            raise NotFound("找不到这次读卡记录，请重新读卡")
        if read.terminal_id != actor.terminal_id:
            raise DomainError("这张卡不是在本终端读取的，请在本终端重新读卡", rule_id="ID-1")
        return read

    def declare_proxy(self, actor: Actor, read_id: int, proxy: ProxyPurchase) -> None:
        """Record a purchase for someone else (ID-5); refused until complete.

        Raises:
            ValidationFailed: listing every missing or invalid item (nothing recorded).
        """
        actor.require(Permission.SELL)
        problems = [Problem(None, None, str(f)) for f in proxy.problems()]
        now = self._clock.now()
        with self._uow() as uow:
            read = self._own_read(uow, actor, read_id)
            person = (uow.identity.person(read.insured_person_id)
                      if read.insured_person_id else None)
            if person is not None and proxy.insured_id_number.strip().upper() != person.ssn:
                problems.append(Problem(None, None, "[ID-5] 登记的参保人身份证号与社保卡不一致"))
            if problems:
                raise ValidationFailed("代购登记不完整 (ID-5)", problems)
            uow.identity.add(ProxyDeclaration(
                card_read_id=read.id, buyer_id_number=proxy.buyer_id_number.strip().upper(),
                buyer_name=proxy.buyer_name.strip(),
                insured_id_number=proxy.insured_id_number.strip().upper(),
                bedridden=proxy.bedridden, certificate_ref=proxy.certificate_ref.strip(),
                recorded_at=now, operator_id=actor.user_id,
            ))
            audit.record(uow, actor, "identity.proxy_purchase", at=now, target_type="card",
                         target_id=read.card_number, detail={
                             "buyer": mask_id_number(proxy.buyer_id_number.strip().upper()),
                             "bedridden": proxy.bedridden,
                             "certificate_ref": proxy.certificate_ref.strip()})
            uow.commit()

    def check_prescription_patient(self, record: CardRecord, *, patient_name: str,
                                   patient_id_number: str = "") -> list[Finding]:
        """ID-6 for the checkout: the external prescription's patient is the card holder."""
        return match_prescription_patient(record, patient_name=patient_name,
                                          patient_id_number=patient_id_number)

    # -- blacklist (ID-3) -------------------------------------------------------------

    def blacklist_add(self, actor: Actor, card_number: str, *, reason: str, ssn: str = "",
                      source: str = "manual") -> None:
        """Put a lost or forged card on the blacklist, audit-logged."""
        actor.require(Permission.MANAGE_BLACKLIST)
        problems = _blacklist_problems(card_number, reason, None)
        if problems:
            raise ValidationFailed("无法加入挂失卡名单", problems)
        now = self._clock.now()
        with self._uow() as uow:
            if uow.identity.active_blacklist_entry(card_number.strip()) is not None:
                raise DomainError(f"卡号 {card_number.strip()} 已在挂失卡名单中", rule_id="ID-3")
            self._add_entry(uow, actor, card_number, reason, ssn, source, now)
            uow.commit()

    def blacklist_import(self, actor: Actor, path: Path) -> int:
        """Import a CSV (卡号,社会保障号码,原因): all rows or none; returns rows added.

        Raises:
            ValidationFailed: every bad row with its row number; nothing imported.
        """
        actor.require(Permission.MANAGE_BLACKLIST)
        rows = _read_blacklist_csv(path)
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for number, card, _ssn, reason in rows:
            problems += _blacklist_problems(card, reason, number)
            if (first := seen.setdefault(card, number)) != number:
                problems.append(Problem(number, "卡号", f"与第 {first} 行重复"))
        if problems:
            raise ValidationFailed(f"导入失败：{len(problems)} 处错误，未导入任何记录", problems)
        now = self._clock.now()
        with self._uow() as uow:
            listed = uow.identity.active_blacklist_numbers(card for _, card, _, _ in rows)
            added = 0
            for _, card, ssn, reason in rows:
                if card in listed:
                    continue
                self._add_entry(uow, actor, card, reason, ssn, path.name, now)
                added += 1
            audit.record(uow, actor, "blacklist.import", at=now, target_type="file",
                         target_id=path.name, detail={"rows": len(rows), "added": added})
            uow.commit()
        return added

    def _add_entry(self, uow: UnitOfWork, actor: Actor, card_number: str, reason: str,
                   ssn: str, source: str, now: datetime) -> None:
        uow.identity.add(CardBlacklistEntry(
            card_number=card_number.strip(), ssn=ssn.strip().upper(), reason=reason.strip(),
            source=source, added_by=actor.username, added_at=now,
        ))
        audit.record(uow, actor, "blacklist.add", at=now, target_type="card",
                     target_id=card_number.strip(),
                     detail={"reason": reason.strip(), "source": source,
                             "ssn": mask_id_number(ssn.strip()) if ssn.strip() else ""})

    def blacklist_lift(self, actor: Actor, card_number: str, *, reason: str) -> None:
        """Take a card off the blacklist (found again, mistake); the entry is kept."""
        actor.require(Permission.MANAGE_BLACKLIST)
        if not reason.strip():
            raise DomainError("解除挂失必须填写原因", rule_id="ID-3")
        now = self._clock.now()
        with self._uow() as uow:
            entry = uow.identity.active_blacklist_entry(card_number.strip())
            if entry is None:
                raise NotFound(f"卡号 {card_number.strip()} 不在挂失卡名单中")
            entry.lifted_at, entry.lifted_by, entry.lift_reason = now, actor.username, reason
            audit.record(uow, actor, "blacklist.lift", at=now, target_type="card",
                         target_id=entry.card_number, detail={"reason": reason})
            uow.commit()

    def blacklist(self, actor: Actor, *, include_lifted: bool = False) -> list[BlacklistInfo]:
        """The blacklist, newest first (numbers masked, SEC-5)."""
        actor.require(Permission.VIEW_STATUS)
        with self._uow(readonly=True) as uow:
            return [
                BlacklistInfo(e.card_number, mask_id_number(e.ssn) if e.ssn else "", e.reason,
                              e.source, e.added_by, e.added_at, e.lifted_at is not None)
                for e in uow.identity.blacklist(include_lifted)
            ]

    # -- reports (ID-8, ID-9) ---------------------------------------------------------

    def card_use_flags(self, actor: Actor, first_day: date, last_day: date, *,
                       buyers_per_card: int = 2, cards_per_buyer: int = 2) -> list[CardUseFlag]:
        """Same-day repeats (ID-8) and cards shared by many buyers or buyers with many
        cards (ID-9) over ``first_day..last_day`` (store days)."""
        actor.require(Permission.VIEW_REPORTS)
        start, _ = _day_bounds(first_day)
        _, end = _day_bounds(last_day)
        flags: list[CardUseFlag] = []
        with self._uow(readonly=True) as uow:
            per_card_day: dict[tuple[str, date], int] = defaultdict(int)
            for read in uow.identity.reads_between(actor.store_id, start, end):
                day = read.read_at.astimezone(STORE_ZONE).date()
                per_card_day[(read.card_number, day)] += 1
            buyers: dict[str, set[str]] = defaultdict(set)
            cards: dict[str, set[str]] = defaultdict(set)
            for proxy, read in uow.identity.proxies_between(actor.store_id, start, end):
                buyers[read.card_number].add(proxy.buyer_id_number)
                cards[proxy.buyer_id_number].add(read.card_number)
        for (card, day), count in sorted(per_card_day.items()):
            if count > 1:
                flags.append(CardUseFlag("ID-8", card, count,
                                         f"{day:%Y-%m-%d} 同一张卡刷卡 {count} 次（计 1 人次）"))
        for card, who in sorted(buyers.items()):
            if len(who) >= buyers_per_card:
                flags.append(CardUseFlag("ID-9", card, len(who),
                                         f"同一张卡被 {len(who)} 名不同代购人使用"))
        for buyer, used in sorted(cards.items()):
            if len(used) >= cards_per_buyer:
                flags.append(CardUseFlag("ID-9", mask_id_number(buyer), len(used),
                                         f"同一代购人使用了 {len(used)} 张不同的卡"))
        return flags


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), STORE_ZONE)
    return start, start + timedelta(days=1)


def _blacklist_problems(card: str, reason: str, row: int | None) -> list[Problem]:
    problems = []
    card = card.strip()
    if not card or not card.isalnum() or len(card) > 20:
        problems.append(Problem(row, "卡号", f"卡号“{card}”无效（1–20 位字母或数字）"))
    if not reason.strip():
        problems.append(Problem(row, "原因", "必须填写挂失或冒用原因"))
    return problems


def _read_blacklist_csv(path: Path) -> list[tuple[int, str, str, str]]:
    if not path.is_file():
        raise ValidationFailed(f"找不到文件: {path}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    columns = {"卡号": None, "社会保障号码": None, "原因": None}
    for index, name in enumerate(header):
        if name in columns:
            columns[name] = index
    if columns["卡号"] is None or columns["原因"] is None:
        raise ValidationFailed("表头须包含“卡号”和“原因”列（可选“社会保障号码”）")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns[name]
            return cells[index].strip() if index is not None and index < len(cells) else ""

        rows.append((number, cell("卡号"), cell("社会保障号码"), cell("原因")))
    if not rows:
        raise ValidationFailed("文件中没有记录")
    return rows
