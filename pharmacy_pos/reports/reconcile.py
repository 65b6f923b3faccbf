"""Monthly insurance reconciliation (医保对账, REP-2).

The store's insured sales and returns of the period are compared, settlement id by
settlement id, with the insurer's statement (``SettlementGateway.statement``): what the
insurer booked that the store has no sale for (missing here), what the store sold under a
settlement the insurer does not list (missing there), amounts that differ (per field), and
the same for cancellations (an insured return cancels its settlement, SALE-7). Counts and
totals are given per side, so the sums can be agreed with the insurer's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pharmacy_pos.db.report_queries import ReportQueries
from pharmacy_pos.domain.clock import STORE_ZONE, Clock, SystemClock
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.insurance.ports import SettlementGateway, StatementRow
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

RULE_ID = "REP-2"
TITLE = "医保结算对账表"


class Cause(StrEnum):
    """Why a settlement does not agree."""

    MISSING_HERE = "missing_here"
    OTHER_PERIOD_HERE = "other_period_here"
    MISSING_THERE = "missing_there"
    AMOUNT_DIFFERS = "amount_differs"
    PERSON_DIFFERS = "person_differs"
    CANCEL_MISSING_HERE = "cancel_missing_here"
    CANCEL_MISSING_THERE = "cancel_missing_there"
    CANCEL_AMOUNT_DIFFERS = "cancel_amount_differs"

    @property
    def label(self) -> str:
        """Chinese name."""
        return _CAUSE_LABELS[self]


_CAUSE_LABELS = {
    Cause.MISSING_HERE: "本店无记录（医保有结算）",
    Cause.OTHER_PERIOD_HERE: "本店记在其他期间",
    Cause.MISSING_THERE: "医保无记录（本店有结算）",
    Cause.AMOUNT_DIFFERS: "金额不符",
    Cause.PERSON_DIFFERS: "人员编号不符",
    Cause.CANCEL_MISSING_HERE: "医保已撤销，本店无退货",
    Cause.CANCEL_MISSING_THERE: "本店已退货，医保未撤销",
    Cause.CANCEL_AMOUNT_DIFFERS: "撤销金额不符",
}

FIELD_LABELS = {
    "medfee_sumamt": "医疗费总额",
    "fund_pay_sumamt": "基金支付",
    "acct_pay": "个人账户支付",
    "psn_no": "人员编号",
}


@dataclass(frozen=True, slots=True)
class LocalSettlement:
    """An insured sale (or, for a cancellation, the return) as the store recorded it."""

    setl_id: str
    doc_no: str
    psn_no: str
    at: datetime
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    acct_pay: Decimal


@dataclass(frozen=True, slots=True)
class Difference:
    """One disagreement: the settlement, the cause, the field and both sides' values.

    ``here`` and ``there`` are amounts (``None`` where a side has no record or the field
    is not an amount); ``note`` says the rest in Chinese (the other period, person ids).
    """

    setl_id: str
    cause: Cause
    field: str = ""
    here: Decimal | None = None
    there: Decimal | None = None
    doc_no: str = ""
    note: str = ""

    @property
    def gap(self) -> Decimal | None:
        """Here minus there, where both are amounts."""
        if self.here is None and self.there is None:
            return None
        return (self.here or ZERO) - (self.there or ZERO)


@dataclass(frozen=True, slots=True)
class SideTotals:
    """Counts and sums of one side (the store or the insurer) for the period."""

    settlements: int = 0
    medfee_sumamt: Decimal = ZERO
    fund_pay_sumamt: Decimal = ZERO
    acct_pay: Decimal = ZERO
    cancellations: int = 0
    cancelled_fund: Decimal = ZERO
    cancelled_acct: Decimal = ZERO

    @property
    def net_fund(self) -> Decimal:
        """Fund payments less those cancelled."""
        return self.fund_pay_sumamt - self.cancelled_fund

    @property
    def net_acct(self) -> Decimal:
        """Account payments less those cancelled."""
        return self.acct_pay - self.cancelled_acct


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The outcome: both sides' totals, the settlements that agree and every difference."""

    period: Period
    here: SideTotals
    there: SideTotals
    matched: tuple[str, ...]
    differences: tuple[Difference, ...]
    local: tuple[LocalSettlement, ...] = ()
    statement: tuple[StatementRow, ...] = ()

    @property
    def agrees(self) -> bool:
        """No difference at all."""
        return not self.differences


def compare(period: Period, settled: Sequence[LocalSettlement],
            cancelled: Sequence[LocalSettlement], statement: Sequence[StatementRow], *,
            elsewhere: dict[str, LocalSettlement] | None = None,
            is_cancelled: IsCancelled = never_cancelled) -> Reconciliation:
    """Compare the store's settlements and cancellations of ``period`` with the statement.

    Args:
        period: the store days compared.
        settled: the store's insured sales of the period.
        cancelled: the store's insured returns of the period (cancellations).
        statement: the insurer's rows (settled or cancelled in the period).
        elsewhere: the store's sales outside the period under setl_ids the insurer lists
            for it, so those are told apart from settlements the store never recorded.
        is_cancelled: asked now and then; the comparison stops with ``Cancelled``.
    """
    start, end = bounds(period)
    elsewhere = elsewhere or {}
    there_settled = {r.setl_id: r for r in statement if start <= r.settled_at < end}
    there_cancelled = {r.setl_id: r for r in statement
                       if r.cancelled_at is not None and start <= r.cancelled_at < end}
    known = {r.setl_id: r for r in statement}
    here_settled = {s.setl_id: s for s in settled}
    here_cancelled = {c.setl_id: c for c in cancelled}
    differences: list[Difference] = []
    matched: list[str] = []
    for count, setl_id in enumerate(sorted(here_settled.keys() | there_settled.keys())):
        if count % 200 == 0:
            checkpoint(is_cancelled)
        mine, theirs = here_settled.get(setl_id), there_settled.get(setl_id)
        if mine is None and theirs is not None:
            differences.append(_missing_here(theirs, elsewhere.get(setl_id)))
        elif mine is not None and theirs is None:
            other = known.get(setl_id)
            note = (f"医保记在 {_day(other.settled_at)}" if other is not None
                    else "医保对账单中没有这笔结算")
            differences.append(Difference(setl_id, Cause.MISSING_THERE, "medfee_sumamt",
                                          here=mine.medfee_sumamt, doc_no=mine.doc_no,
                                          note=note))
        elif mine is not None and theirs is not None:
            found = _field_differences(mine, theirs)
            differences.extend(found)
            if not found:
                matched.append(setl_id)
    for setl_id in sorted(here_cancelled.keys() | there_cancelled.keys()):
        back, theirs = here_cancelled.get(setl_id), there_cancelled.get(setl_id)
        if back is None and theirs is not None:
            differences.append(Difference(
                setl_id, Cause.CANCEL_MISSING_HERE, "fund_pay_sumamt",
                there=theirs.fund_pay_sumamt,
                note=f"医保于 {_day(theirs.cancelled_at)} 撤销，本店本期无对应退货"))
        elif back is not None and theirs is None:
            other = known.get(setl_id)
            note = ("医保结算仍有效" if other is not None and not other.cancelled
                    else "医保对账单中没有这笔撤销")
            differences.append(Difference(setl_id, Cause.CANCEL_MISSING_THERE,
                                          "fund_pay_sumamt", here=back.fund_pay_sumamt,
                                          doc_no=back.doc_no, note=note))
        elif back is not None and theirs is not None:
            for name, here, there in (
                    ("fund_pay_sumamt", back.fund_pay_sumamt, theirs.fund_pay_sumamt),
                    ("acct_pay", back.acct_pay, theirs.acct_pay)):
                if here != there:
                    differences.append(Difference(setl_id, Cause.CANCEL_AMOUNT_DIFFERS,
                                                  name, here, there, back.doc_no))
    here = SideTotals(
        settlements=len(here_settled),
        medfee_sumamt=_sum(s.medfee_sumamt for s in here_settled.values()),
        fund_pay_sumamt=_sum(s.fund_pay_sumamt for s in here_settled.values()),
        acct_pay=_sum(s.acct_pay for s in here_settled.values()),
        cancellations=len(here_cancelled),
        cancelled_fund=_sum(c.fund_pay_sumamt for c in here_cancelled.values()),
        cancelled_acct=_sum(c.acct_pay for c in here_cancelled.values()))
    there = SideTotals(
        settlements=len(there_settled),
        medfee_sumamt=_sum(r.medfee_sumamt for r in there_settled.values()),
        fund_pay_sumamt=_sum(r.fund_pay_sumamt for r in there_settled.values()),
        acct_pay=_sum(r.acct_pay for r in there_settled.values()),
        cancellations=len(there_cancelled),
        cancelled_fund=_sum(r.fund_pay_sumamt for r in there_cancelled.values()),
        cancelled_acct=_sum(r.acct_pay for r in there_cancelled.values()))
    return Reconciliation(period, here, there, tuple(matched), tuple(differences),
                          tuple(settled), tuple(statement))


def reconcile(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
              insurer: SettlementGateway, progress: Progress = no_progress,
              cancelled: IsCancelled = never_cancelled) -> Reconciliation:
    """Read the store's side, ask the insurer for its statement and compare (REP-2).

    Raises:
        PermissionDenied: the actor may not view reports (SEC-1).
        InsurerUnavailable: the insurer did not answer.
        Cancelled: the person gave up.
    """
    actor.require(Permission.VIEW_REPORTS)
    start, end = bounds(period)
    progress(0, 3)
    settled: list[LocalSettlement] = []
    returned: list[LocalSettlement] = []
    with uow_factory(readonly=True) as uow:
        for sale in ReportQueries(uow.session).insured_between(actor.store_id, start, end):
            entry = LocalSettlement(sale.setl_id, sale.doc_no, sale.psn_no, sale.completed_at,
                                    sale.total_amount, sale.fund_pay, sale.acct_pay)
            if sale.kind == "sale":
                settled.append(entry)
            elif sale.msgid:  # a return that cancelled the settlement (2103)
                returned.append(entry)
    checkpoint(cancelled)
    progress(1, 3)
    statement = insurer.statement(period.first, period.last)
    checkpoint(cancelled)
    progress(2, 3)
    ours = {s.setl_id for s in settled}
    unknown = [r.setl_id for r in statement
               if start <= r.settled_at < end and r.setl_id not in ours]
    elsewhere: dict[str, LocalSettlement] = {}
    if unknown:
        with uow_factory(readonly=True) as uow:
            found = ReportQueries(uow.session).sales_by_setl_ids(actor.store_id, unknown)
            elsewhere = {k: LocalSettlement(s.setl_id, s.doc_no, s.psn_no, s.completed_at,
                                            s.total_amount, s.fund_pay, s.acct_pay)
                         for k, s in found.items()}
    result = compare(period, settled, returned, statement, elsewhere=elsewhere,
                     is_cancelled=cancelled)
    progress(3, 3)
    return result


def build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
          progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled,
          insurer: SettlementGateway, clock: Clock | None = None,
          **_services: object) -> Report:
    """The reconciliation as a report: totals per side, differences, every settlement.

    Args:
        insurer: the settlement gateway whose statement is compared.
        clock: stamps the report (the system clock unless given).
    """
    result = reconcile(uow_factory, actor, period, insurer=insurer, progress=progress,
                       cancelled=cancelled)
    with uow_factory(readonly=True) as uow:
        store = ReportQueries(uow.session).store_name(actor.store_id)
    return to_report(result, store=store, generated_at=(clock or SystemClock()).now())


def to_report(result: Reconciliation, *, store: str, generated_at: datetime) -> Report:
    """Lay a reconciliation out as sections."""
    here, there = result.here, result.there
    totals_columns = (
        Column("side", "来源", width=8),
        Column("settlements", "结算笔数", Kind.INTEGER),
        Column("medfee", "医疗费总额", Kind.MONEY),
        Column("fund", "基金支付", Kind.MONEY),
        Column("acct", "个人账户支付", Kind.MONEY),
        Column("cancellations", "撤销笔数", Kind.INTEGER),
        Column("cancelled_fund", "撤销基金", Kind.MONEY),
        Column("cancelled_acct", "撤销账户", Kind.MONEY),
        Column("net_fund", "基金净额", Kind.MONEY),
        Column("net_acct", "账户净额", Kind.MONEY),
    )

    def side(label: str, t: SideTotals) -> tuple[Value, ...]:
        return (label, t.settlements, t.medfee_sumamt, t.fund_pay_sumamt, t.acct_pay,
                t.cancellations, t.cancelled_fund, t.cancelled_acct, t.net_fund, t.net_acct)

    gap = ("差额（本店−医保）", here.settlements - there.settlements,
           here.medfee_sumamt - there.medfee_sumamt,
           here.fund_pay_sumamt - there.fund_pay_sumamt, here.acct_pay - there.acct_pay,
           here.cancellations - there.cancellations,
           here.cancelled_fund - there.cancelled_fund,
           here.cancelled_acct - there.cancelled_acct,
           here.net_fund - there.net_fund, here.net_acct - there.net_acct)
    verdict = ("本期对账一致" if result.agrees
               else f"本期对账不一致：{len(result.differences)} 处差异，见“差异明细”")
    totals = Section("汇总", totals_columns,
                     rows=[side("本店", here), side("医保", there)],
                     total=gap, notes=(verdict, f"一致的结算 {len(result.matched)} 笔"))
    differences = Section(
        "差异明细",
        (Column("setl_id", "结算编号", width=22), Column("cause", "原因", width=20),
         Column("field", "项目", width=10), Column("here", "本店", Kind.MONEY),
         Column("there", "医保", Kind.MONEY), Column("gap", "差额", Kind.MONEY),
         Column("doc_no", "本店单据", width=20), Column("note", "说明", width=30)),
        rows=[(d.setl_id, d.cause.label, FIELD_LABELS.get(d.field, d.field), d.here,
               d.there, d.gap, d.doc_no, d.note) for d in result.differences],
        notes=() if result.differences else ("无差异",))
    there_by_id = {r.setl_id: r for r in result.statement}
    detail_rows: list[tuple[Value, ...]] = []
    for s in result.local:
        r = there_by_id.get(s.setl_id)
        detail_rows.append((s.setl_id, s.doc_no, s.at, s.psn_no, s.medfee_sumamt,
                            s.fund_pay_sumamt, s.acct_pay,
                            r.medfee_sumamt if r else None, r.fund_pay_sumamt if r else None,
                            r.acct_pay if r else None,
                            "一致" if s.setl_id in result.matched else "有差异"))
    detail = Section(
        "本店结算明细",
        (Column("setl_id", "结算编号", width=22), Column("doc_no", "单据号", width=20),
         Column("at", "结算时间", Kind.DATETIME, 19), Column("psn_no", "人员编号", width=16),
         Column("medfee", "医疗费总额", Kind.MONEY), Column("fund", "基金支付", Kind.MONEY),
         Column("acct", "个人账户", Kind.MONEY), Column("their_medfee", "医保医疗费", Kind.MONEY),
         Column("their_fund", "医保基金", Kind.MONEY), Column("their_acct", "医保账户", Kind.MONEY),
         Column("status", "核对", width=8)),
        rows=detail_rows)
    return Report(TITLE, store, result.period.label(), generated_at,
                  (totals, differences, detail))


def _missing_here(row: StatementRow, elsewhere: LocalSettlement | None) -> Difference:
    if elsewhere is not None:
        return Difference(row.setl_id, Cause.OTHER_PERIOD_HERE, "medfee_sumamt",
                          there=row.medfee_sumamt, doc_no=elsewhere.doc_no,
                          note=f"本店记在 {_day(elsewhere.at)}，医保记在 {_day(row.settled_at)}")
    return Difference(row.setl_id, Cause.MISSING_HERE, "medfee_sumamt",
                      there=row.medfee_sumamt,
                      note=f"医保 {_day(row.settled_at)} 结算，人员编号 {row.psn_no}")


def _field_differences(mine: LocalSettlement, theirs: StatementRow) -> list[Difference]:
    found = [Difference(mine.setl_id, Cause.AMOUNT_DIFFERS, name, here, there, mine.doc_no)
             for name, here, there in (
                 ("medfee_sumamt", mine.medfee_sumamt, theirs.medfee_sumamt),
                 ("fund_pay_sumamt", mine.fund_pay_sumamt, theirs.fund_pay_sumamt),
                 ("acct_pay", mine.acct_pay, theirs.acct_pay))
             if here != there]
    if mine.psn_no != theirs.psn_no:
        found.append(Difference(mine.setl_id, Cause.PERSON_DIFFERS, "psn_no",
                                doc_no=mine.doc_no,
                                note=f"本店 {mine.psn_no or '（空）'}，医保 {theirs.psn_no}"))
    return found


def _day(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(STORE_ZONE):%Y-%m-%d %H:%M}"


def _sum(values: object) -> Decimal:
    return sum(values, ZERO)  # type: ignore[call-overload, no-any-return]


SPEC = register(ReportSpec("reconcile", TITLE, RULE_ID, build))
