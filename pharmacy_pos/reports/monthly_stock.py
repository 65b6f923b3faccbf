"""Monthly stock report (进销存月报, REP-1).

One row per batch that had stock or movements in the period: opening quantity and
value, the period's movements by type, closing quantity and value at purchase cost and
at retail; subtotals by product category and by insurance class; a grand total.

Quantities are in the product's minimum unit. Out-going columns (购进退出, 销售出库, 盘亏,
销毁) are shown as positive numbers; 拆零转换 and 冲正 are signed (a split moves stock out
of the sealed batch and into the split one; a reversal undoes an entry of either
direction: it has its own column rather than its original's, so each column is what the
ledger says happened in the period). Every row satisfies::

    期初 + 购进入库 − 购进退出 − 销售出库 + 销售退回 + 盘盈 − 盘亏 − 销毁 + 拆零转换 + 冲正 = 期末

Values are quantity × the batch's purchase price (or the product's retail price) ÷ units
per package, each rounded to 分.

Checks (a failing batch refuses the whole report, naming it): the closing derived from
the ledger (opening + movements) must equal the closing derived independently from the
cached balance (``stock_balances``, maintained entry by entry by ``LedgerRepository``)
less the entries after the period; neither opening nor closing may be negative (a
back-dated entry could make a past balance negative). Subtotal and total quantities are
left empty: minimum units of different products do not add up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from pharmacy_pos.db.report_repository import BatchStock, ReportRepository, TypeSums
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock, SystemClock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import ZERO, round_amount
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.reports.catalog import (
    Cancelled,
    IsCancelled,
    Period,
    Progress,
    ReportSpec,
    never_cancelled,
    no_progress,
    register,
)
from pharmacy_pos.reports.model import Column, Kind, Report, Section, Value

RULE_ID = "REP-1"
TITLE = "进销存月报"
CHUNK = 2_000  # rows built between two progress reports / cancel checks
MAX_NAMED = 5  # failing batches named in the refusal

T = LedgerEntryType
# Movement columns in order: (entry type, header, sign in the equation).
MOVEMENTS: tuple[tuple[LedgerEntryType, str, int], ...] = (
    (T.PURCHASE_IN, "购进入库", +1),
    (T.PURCHASE_RETURN, "购进退出", -1),
    (T.SALE_OUT, "销售出库", -1),
    (T.SALE_RETURN, "销售退回", +1),
    (T.STOCKTAKE_GAIN, "盘盈", +1),
    (T.STOCKTAKE_LOSS, "盘亏", -1),
    (T.DESTRUCTION, "销毁", -1),
    (T.SPLIT_CONVERSION, "拆零转换", +1),
    (T.REVERSAL, "冲正", +1),
)

COLUMNS: tuple[Column, ...] = (
    Column("item_code", "商品编码", width=10),
    Column("generic_name", "通用名", width=18),
    Column("specification", "规格", width=14),
    Column("manufacturer", "生产企业", width=18),
    Column("category", "商品类别", width=8),
    Column("insurance_class", "医保类别", width=8),
    Column("lot_no", "批号", width=12),
    Column("expiry_date", "有效期至", Kind.DATE, width=11),
    Column("unit", "单位", width=5),
    Column("purchase_price", "进价/包装", Kind.PRICE, width=10),
    Column("retail_price", "零售价/包装", Kind.PRICE, width=10),
    Column("opening", "期初数量", Kind.INTEGER, width=9),
    Column("opening_cost", "期初金额(进价)", Kind.MONEY),
    Column("opening_retail", "期初金额(零售)", Kind.MONEY),
    *(Column(t.value, header, Kind.INTEGER, width=9) for t, header, _ in MOVEMENTS),
    Column("closing", "期末数量", Kind.INTEGER, width=9),
    Column("closing_cost", "期末金额(进价)", Kind.MONEY),
    Column("closing_retail", "期末金额(零售)", Kind.MONEY),
)
EQUATION = "期初 " + " ".join(
    f"{'+' if sign > 0 else '−'} {header}" for _, header, sign in MOVEMENTS) + " = 期末"
_MONEY_AT = tuple(i for i, c in enumerate(COLUMNS) if c.kind is Kind.MONEY)


UowFactory = Callable[..., UnitOfWork]


class ReportActor(Protocol):
    """The person running the report (``services.actor.Actor`` fits)."""

    @property
    def store_id(self) -> int:
        """The store whose stock the report covers."""
        ...

    def require(self, permission: Permission) -> None:
        """Raise ``PermissionDenied`` unless the actor holds ``permission`` (SEC-1)."""
        ...


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as ``[start, end)`` instants: store days in Asia/Shanghai."""
    start = datetime.combine(period.first, time.min, STORE_ZONE)
    return start, datetime.combine(period.last, time.min, STORE_ZONE) + timedelta(days=1)


def checkpoint(cancelled: IsCancelled) -> None:
    """Raise :class:`Cancelled` if the person gave up."""
    if cancelled():
        raise Cancelled()


@dataclass(frozen=True, slots=True)
class BatchFigures:
    """One batch's figures for the period (quantities in minimum units, signed)."""

    batch: BatchStock
    opening: int
    movements: dict[LedgerEntryType, int]
    closing: int            # opening + movements: from the ledger
    closing_by_cache: int | None  # cached balance − entries after the period

    def problems(self) -> list[str]:
        """Why this row cannot be reported (empty when it can)."""
        found = []
        if self.closing_by_cache is None:
            found.append(f"无缓存库存，但台账推得期末 {self.closing}")
        elif self.closing != self.closing_by_cache:
            moved = sum(self.movements.values())
            found.append(f"期初 {self.opening} + 本期变动 {moved} = {self.closing}，"
                         f"但库存余额推得期末 {self.closing_by_cache}")
        if self.opening < 0:
            found.append(f"期初为负 ({self.opening})")
        if self.closing < 0:
            found.append(f"期末为负 ({self.closing})")
        return found


def batch_figures(batches: Iterable[BatchStock], sums: Iterable[TypeSums]) -> list[BatchFigures]:
    """Each batch's opening, movements and closing (two ways) from the repository's sums."""
    moved: dict[int, dict[LedgerEntryType, int]] = defaultdict(dict)
    after: dict[int, int] = defaultdict(int)
    for s in sums:
        if s.in_period:
            moved[s.batch_id][s.entry_type] = s.in_period
        after[s.batch_id] += s.after
    figures = []
    for b in batches:
        movements = moved.get(b.batch_id, {})
        closing = b.ledger_total - after[b.batch_id]
        by_cache = None if b.cached is None else b.cached - after[b.batch_id]
        figures.append(BatchFigures(b, closing - sum(movements.values()), movements, closing,
                                    by_cache))
    return figures


def check(figures: Sequence[BatchFigures]) -> None:
    """Refuse the report if any row does not add up (REP-1), naming the batches.

    Raises:
        DomainError: with the first few failing batches and their figures.
    """
    failing = [(f, p) for f in figures if (p := f.problems())]
    if not failing:
        return
    named = "；".join(
        f"{f.batch.item_code} {f.batch.generic_name} 批号 {f.batch.lot_no}"
        f"（批次 {f.batch.batch_id}）: {'，'.join(p)}" for f, p in failing[:MAX_NAMED])
    more = f"；另有 {len(failing) - MAX_NAMED} 个批次" if len(failing) > MAX_NAMED else ""
    raise DomainError(
        f"进销存月报不平，未生成: {named}{more}。请运行“校验”（pharmacy-pos-cli verify）"
        "检查台账与库存余额", rule_id=RULE_ID)


def _value(units: int, price: Decimal, per_pack: int) -> Decimal:
    return round_amount(Decimal(units) * price / per_pack) if units else ZERO


def row_of(f: BatchFigures) -> tuple[Value, ...]:
    """The report row of a batch."""
    b = f.batch
    return (
        b.item_code, b.generic_name, b.specification, b.manufacturer, b.category.label,
        b.insurance_class.label, b.lot_no, b.expiry_date, b.min_unit, b.purchase_price,
        b.retail_price, f.opening, _value(f.opening, b.purchase_price, b.units_per_pack),
        _value(f.opening, b.retail_price, b.units_per_pack),
        *(f.movements.get(t, 0) * sign for t, _, sign in MOVEMENTS),
        f.closing, _value(f.closing, b.purchase_price, b.units_per_pack),
        _value(f.closing, b.retail_price, b.units_per_pack),
    )


def _sum_row(label: str, rows: Sequence[tuple[Value, ...]]) -> tuple[Value, ...]:
    """A labelled row with the money columns summed and everything else empty."""
    out: list[Value] = [None] * len(COLUMNS)
    out[0] = label
    for i in _MONEY_AT:
        out[i] = sum((r[i] for r in rows), ZERO)  # type: ignore[misc]
    return tuple(out)


def _sort_key(f: BatchFigures) -> tuple[str, str, date, str, int]:
    b = f.batch
    return (b.category.value, b.item_code, b.expiry_date, b.lot_no, b.batch_id)


def build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
          progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled,
          clock: Clock | None = None, **_services: object) -> Report:
    """The monthly stock report of ``actor``'s store for ``period`` (REP-1).

    Args:
        clock: stamps the report (the system clock unless given).

    Raises:
        PermissionDenied: the actor may not view reports.
        DomainError: a batch's figures do not add up (REP-1); nothing is produced.
        Cancelled: ``cancelled()`` said so between two steps.
    """
    actor.require(Permission.VIEW_REPORTS)
    start, end = bounds(period)
    progress(0, 2)
    with uow_factory(readonly=True) as uow:
        repo = ReportRepository(uow.session)
        repo.use_one_snapshot()
        sums = repo.movements_from(actor.store_id, start, end)
        progress(1, 2)
        checkpoint(cancelled)
        batches = repo.stock_batches(actor.store_id, start)
        store = repo.store_name(actor.store_id)
    figures = batch_figures(batches, sums)
    check(figures)
    # A batch with nothing in the period (received later, or emptied earlier) is no row.
    figures = sorted((f for f in figures if f.opening or f.closing or f.movements),
                     key=_sort_key)
    total = 2 + len(figures)
    progress(2, total)
    rows: list[tuple[Value, ...]] = []
    for at in range(0, len(figures), CHUNK):
        checkpoint(cancelled)
        rows.extend(row_of(f) for f in figures[at:at + CHUNK])
        progress(2 + len(rows), total)
    by_category: dict[str, list[tuple[Value, ...]]] = defaultdict(list)
    by_class: dict[str, list[tuple[Value, ...]]] = defaultdict(list)
    for f, row in zip(figures, rows, strict=True):
        by_category[f.batch.category.label].append(row)
        by_class[f.batch.insurance_class.label].append(row)
    subtotals = [_sum_row(f"小计 类别: {k}", v) for k, v in by_category.items()]
    subtotals += [_sum_row(f"小计 医保: {k}", v) for k, v in sorted(by_class.items())]
    section = Section(
        name=TITLE, columns=COLUMNS, rows=rows, subtotals=subtotals,
        total=_sum_row("合计", rows),
        notes=(
            f"每行: {EQUATION}（数量为最小单位，已逐行核对，并与库存余额核对）",
            "拆零转换、冲正为带符号数：冲正单列，不并入被冲正的分录所在列",
            "金额 = 数量 × 进价（或零售价）÷ 包装数量，四舍五入到分；小计、合计只合计金额",
        ),
    )
    return Report(title=TITLE, store=store, period=period.label(),
                  generated_at=(clock or SystemClock()).now(), sections=(section,))


SPEC = register(ReportSpec("monthly", TITLE, RULE_ID, build))
