"""Insured purchases by category (医保购药分类台帐, REP-4).

Every line of the period's insured sales (those settled with the insurer) summed per
product category and insurance class (甲/乙/丙/非医保), with what the fund, the personal
account and the buyer paid; returns of insured sales are subtracted. Lines the insurance
did not pay (SALE-1: daily goods, cosmetics in a mixed basket) are listed too, so the
totals equal the insured sales' totals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pharmacy_pos.db.report_queries import CategoryTotals, ReportQueries
from pharmacy_pos.domain.clock import Clock, SystemClock
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
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

RULE_ID = "REP-4"
TITLE = "医保购药分类台帐"
_CLASS_ORDER = {InsuranceClass.A: 0, InsuranceClass.B: 1, InsuranceClass.C: 2,
                InsuranceClass.NONE: 3}


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """One category and insurance class: sold, returned and net, and who paid (net)."""

    category: ProductCategory
    insurance_class: InsuranceClass
    lines: int
    sold: Decimal
    returned: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal

    @property
    def net(self) -> Decimal:
        """Sold less returned."""
        return self.sold - self.returned


def category_rows(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
                  progress: Progress = no_progress,
                  cancelled: IsCancelled = never_cancelled) -> list[CategoryRow]:
    """The period's insured lines per category and class, in category then class order.

    Raises:
        PermissionDenied: the actor may not view reports (SEC-1).
        Cancelled: the person gave up.
    """
    actor.require(Permission.VIEW_REPORTS)
    start, end = bounds(period)
    progress(0, 2)
    with uow_factory(readonly=True) as uow:
        totals = ReportQueries(uow.session).insured_lines_by_category(
            actor.store_id, start, end)
    checkpoint(cancelled)
    progress(1, 2)
    groups: dict[tuple[ProductCategory, InsuranceClass], list[CategoryTotals]] = (
        defaultdict(list))
    for t in totals:
        groups[(t.category, t.insurance_class)].append(t)
    rows = []
    for (category, cls), parts in groups.items():
        sold = [p for p in parts if p.kind == "sale"]
        back = [p for p in parts if p.kind == "return"]

        def net(name: str, sold: list[CategoryTotals] = sold,
                back: list[CategoryTotals] = back) -> Decimal:
            return (sum((getattr(p, name) for p in sold), ZERO)
                    - sum((getattr(p, name) for p in back), ZERO))

        rows.append(CategoryRow(
            category, cls, lines=sum(p.lines for p in sold),
            sold=sum((p.amount for p in sold), ZERO),
            returned=sum((p.amount for p in back), ZERO),
            fund_pay=net("fund_pay"), acct_pay=net("acct_pay"), cash_pay=net("cash_pay")))
    rows.sort(key=lambda r: (list(ProductCategory).index(r.category),
                             _CLASS_ORDER[r.insurance_class]))
    progress(2, 2)
    return rows


def build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
          progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled,
          clock: Clock | None = None, **_services: object) -> Report:
    """The ledger as a report: one row per category and class, subtotals per category."""
    rows = category_rows(uow_factory, actor, period, progress=progress, cancelled=cancelled)
    with uow_factory(readonly=True) as uow:
        store = ReportQueries(uow.session).store_name(actor.store_id)

    def sums(group: list[CategoryRow]) -> tuple[Value, ...]:
        def add(name: str) -> Decimal:
            return sum((getattr(r, name) for r in group), ZERO)
        return (sum(r.lines for r in group), add("sold"), add("returned"), add("net"),
                add("fund_pay"), add("acct_pay"), add("cash_pay"))

    per_category: dict[ProductCategory, list[CategoryRow]] = defaultdict(list)
    for r in rows:
        per_category[r.category].append(r)
    section = Section(
        "分类汇总",
        (Column("category", "商品类别", width=10), Column("class", "医保类别", width=8),
         Column("lines", "销售行数", Kind.INTEGER), Column("sold", "销售金额", Kind.MONEY),
         Column("returned", "退货金额", Kind.MONEY), Column("net", "净金额", Kind.MONEY),
         Column("fund", "统筹基金支付", Kind.MONEY), Column("acct", "个人账户支付", Kind.MONEY),
         Column("cash", "个人现金支付", Kind.MONEY)),
        rows=[(r.category.label, r.insurance_class.label, r.lines, r.sold, r.returned, r.net,
               r.fund_pay, r.acct_pay, r.cash_pay) for r in rows],
        subtotals=[(f"{category.label} 小计", "", *sums(group))
                   for category, group in per_category.items()],
        total=("合计", "", *sums(rows)),
        notes=("仅统计医保结算的销售单；支付金额为扣除退货后的净额",))
    return Report(TITLE, store, period.label(), (clock or SystemClock()).now(), (section,))


SPEC = register(ReportSpec("insured-categories", TITLE, RULE_ID, build))
