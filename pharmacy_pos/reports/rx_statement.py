"""Monthly external-prescription cost statement (外配处方费用月度统计表, REP-3, RX-11).

The separate book of external prescriptions (``services/rx_book.py``) as a report: every
sale of the period that dispensed a paper or electronic external prescription, with what
the fund and the personal account paid, returns netted out; subtotals per institution
and per physician. Reports may not import services, so the book is read here from the
same repository queries ``rx_book`` uses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pharmacy_pos.db.report_queries import ReportQueries
from pharmacy_pos.domain.clock import STORE_ZONE, Clock, SystemClock
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.roles import Permission
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

RULE_ID = "REP-3"
TITLE = "外配处方费用月度统计表"
EXTERNAL_SOURCES = ("paper", "electronic")
SOURCE_LABELS = {"paper": "纸质", "electronic": "电子"}


@dataclass(frozen=True, slots=True)
class RxEntry:
    """One external prescription dispensed, with its money net of returns."""

    day: date
    doc_no: str
    rx_no: str
    source: str
    institution_code: str
    institution: str
    physician: str
    patient: str
    patient_id_masked: str
    diagnosis: str
    total: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal
    returned: Decimal
    returned_fund: Decimal
    returned_acct: Decimal

    @property
    def net(self) -> Decimal:
        """What the drugs cost once returns are taken off."""
        return self.total - self.returned

    @property
    def net_fund(self) -> Decimal:
        """Fund payment net of cancelled settlements."""
        return self.fund_pay - self.returned_fund

    @property
    def net_acct(self) -> Decimal:
        """Account payment net of cancelled settlements."""
        return self.acct_pay - self.returned_acct


@dataclass(frozen=True, slots=True)
class Subtotal:
    """Sums over a group of entries (an institution, a physician, the whole period)."""

    prescriptions: int
    total: Decimal
    returned: Decimal
    net: Decimal
    net_fund: Decimal
    net_acct: Decimal

    @classmethod
    def of(cls, entries: list[RxEntry]) -> Subtotal:
        """Add entries up."""
        def add(name: str) -> Decimal:
            return sum((getattr(e, name) for e in entries), ZERO)
        return cls(len(entries), add("total"), add("returned"), add("net"), add("net_fund"),
                   add("net_acct"))


def entries(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
            progress: Progress = no_progress,
            cancelled: IsCancelled = never_cancelled) -> list[RxEntry]:
    """The external prescriptions dispensed in the period, oldest first (RX-11).

    Raises:
        PermissionDenied: the actor may not view reports (SEC-1).
        Cancelled: the person gave up.
    """
    actor.require(Permission.VIEW_REPORTS)
    start, end = bounds(period)
    found: list[RxEntry] = []
    with uow_factory(readonly=True) as uow:
        sales = [(sale, record) for sale, record
                 in uow.sales.prescription_sales_between(actor.store_id, start, end)
                 if record.source in EXTERNAL_SOURCES and sale.kind == "sale"]
        for done, (sale, record) in enumerate(sales):
            if done % 50 == 0:
                checkpoint(cancelled)
                progress(done, len(sales))
            returns = uow.sales.returns_of(sale.id)
            found.append(RxEntry(
                day=sale.completed_at.astimezone(STORE_ZONE).date(), doc_no=sale.doc_no,
                rx_no=record.rx_no, source=record.source,
                institution_code=record.institution_code,
                institution=record.institution_name, physician=record.physician_name,
                patient=record.patient_name,
                patient_id_masked=(mask_id_number(record.patient_id_number)
                                   if record.patient_id_number else ""),
                diagnosis=record.diagnosis, total=sale.total_amount, fund_pay=sale.fund_pay,
                acct_pay=sale.acct_pay, cash_pay=sale.cash_pay,
                returned=sum((r.total_amount for r in returns), ZERO),
                returned_fund=sum((r.fund_pay for r in returns), ZERO),
                returned_acct=sum((r.acct_pay for r in returns), ZERO)))
    progress(len(found), len(found))
    return found


def by_institution(found: list[RxEntry]) -> dict[tuple[str, str], Subtotal]:
    """Subtotals per institution (code, name)."""
    groups: dict[tuple[str, str], list[RxEntry]] = defaultdict(list)
    for e in found:
        groups[(e.institution_code, e.institution)].append(e)
    return {key: Subtotal.of(group) for key, group in sorted(groups.items())}


def by_physician(found: list[RxEntry]) -> dict[tuple[str, str], Subtotal]:
    """Subtotals per institution name and physician."""
    groups: dict[tuple[str, str], list[RxEntry]] = defaultdict(list)
    for e in found:
        groups[(e.institution, e.physician)].append(e)
    return {key: Subtotal.of(group) for key, group in sorted(groups.items())}


def build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
          progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled,
          clock: Clock | None = None, **_services: object) -> Report:
    """The statement: per-institution and per-physician totals, then the book itself."""
    found = entries(uow_factory, actor, period, progress=progress, cancelled=cancelled)
    with uow_factory(readonly=True) as uow:
        store = ReportQueries(uow.session).store_name(actor.store_id)
    money = (Column("prescriptions", "处方数", Kind.INTEGER),
             Column("total", "药品金额", Kind.MONEY), Column("returned", "退货金额", Kind.MONEY),
             Column("net", "净金额", Kind.MONEY), Column("fund", "统筹基金支付", Kind.MONEY),
             Column("acct", "个人账户支付", Kind.MONEY))

    def sums(s: Subtotal) -> tuple[Value, ...]:
        return (s.prescriptions, s.total, s.returned, s.net, s.net_fund, s.net_acct)

    everything = Subtotal.of(found)
    institutions = Section(
        "按医疗机构", (Column("code", "机构编码", width=14), Column("name", "医疗机构", width=28),
                   *money),
        rows=[(code, name, *sums(s)) for (code, name), s in by_institution(found).items()],
        total=("合计", "", *sums(everything)))
    physician_rows: list[tuple[Value, ...]] = []
    subtotal_rows: list[tuple[Value, ...]] = []
    per_physician = by_physician(found)
    for (institution, physician), s in per_physician.items():
        physician_rows.append((institution, physician, *sums(s)))
    for (_code, name), s in by_institution(found).items():
        subtotal_rows.append((f"{name} 小计", "", *sums(s)))
    physicians = Section(
        "按医师", (Column("institution", "医疗机构", width=28),
                 Column("physician", "医师", width=10), *money),
        rows=physician_rows, subtotals=subtotal_rows, total=("合计", "", *sums(everything)))
    book = Section(
        "外配处方明细",
        (Column("day", "日期", Kind.DATE, 10), Column("doc_no", "单据号", width=20),
         Column("rx_no", "处方号", width=16), Column("source", "来源", width=6),
         Column("institution", "医疗机构", width=28), Column("physician", "医师", width=10),
         Column("patient", "患者", width=10), Column("patient_id", "身份证号", width=18),
         Column("diagnosis", "诊断", width=20), Column("total", "药品金额", Kind.MONEY),
         Column("fund", "统筹基金", Kind.MONEY), Column("acct", "个人账户", Kind.MONEY),
         Column("cash", "现金", Kind.MONEY), Column("returned", "退货", Kind.MONEY),
         Column("net", "净金额", Kind.MONEY)),
        rows=[(e.day, e.doc_no, e.rx_no, SOURCE_LABELS.get(e.source, e.source), e.institution,
               e.physician, e.patient, e.patient_id_masked, e.diagnosis, e.total, e.fund_pay,
               e.acct_pay, e.cash_pay, e.returned, e.net) for e in found],
        total=("合计", "", "", "", "", "", "", "", "", everything.total,
               sum((e.fund_pay for e in found), ZERO), sum((e.acct_pay for e in found), ZERO),
               sum((e.cash_pay for e in found), ZERO), everything.returned, everything.net),
        notes=("统筹基金、个人账户为结算时金额；汇总表中为扣除退货（撤销结算）后的净额",))
    return Report(TITLE, store, period.label(), (clock or SystemClock()).now(),
                  (institutions, physicians, book))


SPEC = register(ReportSpec("rx-statement", TITLE, RULE_ID, build))
