"""Self-inspection report (自查报告, REP-5).

Everything the store should look at before the insurer does, over a period: the flags
recorded on sales (ID-5 proxy purchases, ID-8 repeated swipes, ID-9 shared cards, RX-12
ephedrine, RX-14 over-supply), refused card reads (ID-1..ID-4), blacklist hits and lifts
(ID-3), identity mismatches (ID-2), refused prescriptions (RX-2, RX-5, ID-6), returns
with their approver (SALE-7), reprinted and abandoned printouts (SALE-6) and policy
changes (SEC-2). Grouped by rule id and operator with counts, then every event.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pharmacy_pos.db.models import AuditRecord
from pharmacy_pos.db.report_queries import ReportQueries
from pharmacy_pos.domain.clock import Clock, SystemClock
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.sale import RefusalReason
from pharmacy_pos.reports.basics import ReportActor, UowFactory, bounds, checkpoint
from pharmacy_pos.reports.catalog import (
    IsCancelled,
    Period,
    Progress,
    ReportSpec,
    never_cancelled,
    no_progress,
    register,
)
from pharmacy_pos.reports.model import Column, Kind, Report, Section, Value

RULE_ID = "REP-5"
TITLE = "医保自查报告"
_RULE = re.compile(r"^\[([A-Z]+-\d+)\]")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing to inspect: when, which rule, who, what happened, on which document."""

    at: datetime
    rule_id: str
    operator: str
    what: str
    document: str
    source: str  # sale_flag or the audit action


class CardUseReport(Protocol):
    """The period's card-use flags (``IdentityService.card_use_flags`` fits)."""

    def card_use_flags(self, actor: Any, first_day: Any, last_day: Any) -> list[Any]:
        """ID-8 / ID-9 findings over the store days given."""
        ...


def _detail(record: AuditRecord) -> dict[str, Any]:
    try:
        value = json.loads(record.detail or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _card_refused(r: AuditRecord, d: dict[str, Any]) -> list[tuple[str, str]]:
    found = [str(f) for f in d.get("findings", [])]
    rules = sorted({m.group(1) for f in found if (m := _RULE.match(f))}) or ["ID-1"]
    text = "；".join(found) or "读卡被拒绝"
    return [(rule, f"拒绝社保卡：{text}") for rule in rules]


def _prescription_refused(r: AuditRecord, d: dict[str, Any]) -> list[tuple[str, str]]:
    reason = str(d.get("reason", ""))
    try:
        label = RefusalReason(reason).label
    except ValueError:
        label = reason or "未注明原因"
    note = str(d.get("note", ""))
    return [(str(d.get("rule_id") or "RX-2"),
             f"处方审核拒绝：{label}" + (f"（{note}）" if note else ""))]


def _sale_return(r: AuditRecord, d: dict[str, Any]) -> list[tuple[str, str]]:
    return [("SALE-7", f"退货退款 {d.get('refund', '')} 元（原单 {d.get('original', '')}，"
                       f"审批人 {d.get('approved_by', '')}）：{d.get('reason', '')}")]


def _policy(r: AuditRecord, d: dict[str, Any]) -> list[tuple[str, str]]:
    approver = d.get("approver") or "无"
    return [("SEC-2", f"安装政策版本 {d.get('old_version') or '（无）'} → "
                      f"{d.get('new_version', '')}（审批人 {approver}）")]


def _simple(rule: str, prefix: str, key: str = "reason") -> Callable[
        [AuditRecord, dict[str, Any]], list[tuple[str, str]]]:
    def explain(r: AuditRecord, d: dict[str, Any]) -> list[tuple[str, str]]:
        extra = str(d.get(key, "") or "")
        return [(rule, f"{prefix}：{extra}" if extra else prefix)]
    return explain


# Audit actions that belong in the report, and how each becomes (rule, what) pairs.
AUDIT_EVENTS: dict[str, Callable[[AuditRecord, dict[str, Any]], list[tuple[str, str]]]] = {
    "card.refused": _card_refused,
    "incident.lost_card": _simple("ID-3", "挂失卡（黑名单）读卡，已拒绝并登记", "blacklist_reason"),
    "incident.identity_mismatch": _simple("ID-2", "人证卡不一致", "card_ssn"),
    "blacklist.lift": _simple("ID-3", "解除挂失"),
    "prescription.refused": _prescription_refused,
    "sale.return": _sale_return,
    "print.reprint": _simple("SALE-6", "补打单据"),
    "print.dismiss": _simple("SALE-6", "放弃打印"),
    "policy.install": _policy,
}


def events(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
           progress: Progress = no_progress,
           cancelled: IsCancelled = never_cancelled) -> list[Event]:
    """Every event of the period, oldest first.

    Raises:
        PermissionDenied: the actor may not view reports (SEC-1).
        Cancelled: the person gave up.
    """
    actor.require(Permission.VIEW_REPORTS)
    start, end = bounds(period)
    found: list[Event] = []
    progress(0, 3)
    with uow_factory(readonly=True) as uow:
        queries = ReportQueries(uow.session)
        flags = uow.sales.flags_between(actor.store_id, start, end)
        names = queries.usernames(sale.cashier_id for _, sale in flags)
        for flag, sale in flags:
            found.append(Event(sale.completed_at, flag.rule_id,
                               names.get(sale.cashier_id or -1, ""),
                               f"销售标记：{flag.detail}", sale.doc_no, "sale_flag"))
        checkpoint(cancelled)
        progress(1, 3)
        records = queries.audit_between(actor.store_id, start, end, AUDIT_EVENTS)
        jobs = queries.print_job_documents(
            int(r.target_id) for r in records
            if r.action == "print.dismiss" and r.target_id.isdigit())
        for count, record in enumerate(records):
            if count % 500 == 0:
                checkpoint(cancelled)
            document = record.target_id
            if record.action == "print.dismiss" and document.isdigit():
                document = jobs.get(int(document), f"打印任务 {document}")
            elif record.action == "prescription.refused":
                document = f"处方 #{document}"
            for rule, what in AUDIT_EVENTS[record.action](record, _detail(record)):
                found.append(Event(record.occurred_at, rule, record.actor_name, what,
                                   document, record.action))
    progress(2, 3)
    found.sort(key=lambda e: (e.at, e.rule_id))
    progress(3, 3)
    return found


def summary(found: list[Event]) -> list[tuple[str, str, int]]:
    """(rule id, operator, count), by rule then operator."""
    counts = Counter((e.rule_id, e.operator) for e in found)
    return [(rule, operator, n) for (rule, operator), n in sorted(counts.items(),
                                                                 key=_rule_key)]


def _rule_key(item: tuple[tuple[str, str], int]) -> tuple[str, int, str]:
    (rule, operator), _ = item
    group, _, number = rule.partition("-")
    return group, int(number) if number.isdigit() else 0, operator


def build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
          progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled,
          clock: Clock | None = None, identity: CardUseReport | None = None,
          **_services: object) -> Report:
    """The report: counts by rule and operator, every event, and (given the identity
    service) the period's card-use findings (ID-8, ID-9) that need no operator."""
    found = events(uow_factory, actor, period, progress=progress, cancelled=cancelled)
    with uow_factory(readonly=True) as uow:
        store = ReportQueries(uow.session).store_name(actor.store_id)
    counted = summary(found)
    per_rule = Counter(e.rule_id for e in found)
    sections = [
        Section("按规则与操作人", (Column("rule", "规则", width=8),
                              Column("operator", "操作人", width=16),
                              Column("count", "次数", Kind.INTEGER)),
                rows=counted,
                subtotals=[(f"{rule} 小计", "", n) for rule, n
                           in sorted(per_rule.items(), key=lambda i: _rule_key(((i[0], ""),
                                                                                 0)))],
                total=("合计", "", len(found)),
                notes=() if found else ("本期无自查事项",)),
        Section("事项明细", (Column("at", "时间", Kind.DATETIME, 19),
                          Column("rule", "规则", width=8),
                          Column("operator", "操作人", width=16),
                          Column("what", "事项", width=48),
                          Column("document", "单据/对象", width=22)),
                rows=[(e.at, e.rule_id, e.operator, e.what, e.document) for e in found]),
    ]
    if identity is not None:
        checkpoint(cancelled)
        flags = identity.card_use_flags(actor, period.first, period.last)
        rows: list[tuple[Value, ...]] = [(f.rule_id, f.subject, f.count, f.detail)
                                         for f in flags]
        sections.append(Section(
            "刷卡异常（ID-8/ID-9）", (Column("rule", "规则", width=8),
                                  Column("subject", "卡号/代购人", width=20),
                                  Column("count", "次数", Kind.INTEGER),
                                  Column("detail", "说明", width=40)), rows=rows))
    return Report(TITLE, store, period.label(), (clock or SystemClock()).now(),
                  tuple(sections))


SPEC = register(ReportSpec("self-inspection", TITLE, RULE_ID, build))
