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

Month-end closing (月结): the closing of a month is kept. After a report of a whole month
that is over (its end at or before the clock's now) was built and passed the checks,
each batch's non-zero closing is stored in ``month_balances`` (append-only, once per
store and month), in its own short write transaction after the read-only build; if it
cannot be written (a read-only database, another terminal storing it at the same
moment) this is logged and the report is returned all the same. A report starting on
the 1st of a month whose previous month has a snapshot opens each batch at the snapshot
(0 for a batch absent from it) and closes at opening + the month's movements, without
summing each batch's whole ledger; the check against the cached balance less the
entries after the period is unchanged, so an entry back-dated into a closed month (or a
drifting cache) refuses the next month's report naming the batch. Without a snapshot
the closing comes from the ledger's all-time sums as before.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from operator import itemgetter, mul
from typing import NamedTuple, Protocol

from pharmacy_pos.db.report_repository import (
    BatchStock,
    ProductFacts,
    ReportRepository,
    TypeSums,
)
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock, SystemClock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import AMOUNT_SCALE, PRICE_SCALE, ZERO, from_minor
from pharmacy_pos.domain.product import InsuranceClass, LedgerEntryType, ProductCategory
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

log = logging.getLogger(__name__)

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
_SIGNS = tuple(sign for _, _, sign in MOVEMENTS)


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


class Product(NamedTuple):
    """A product as its rows show it: converted once per product, not per batch."""

    cells: tuple[Value, ...]   # item code … insurance class label, the rows' first cells
    group: tuple[str, str]     # (category label, insurance class label): the subtotals
    category: str              # the stored ``ProductCategory`` value: the rows' order
    min_unit: str
    units_per_pack: int
    retail_price: Decimal
    retail_minor: int          # 1/10000 元 per package, as stored


_CATEGORY_LABELS = {c.value: c.label for c in ProductCategory}
_CLASS_LABELS = {c.value: c.label for c in InsuranceClass}


def product_of(p: ProductFacts, price: Callable[[int], Decimal]) -> Product:
    """The report's view of a product (enum labels, the retail price as ``price`` makes
    it from 1/10000 元)."""
    category, insurance = _CATEGORY_LABELS[p.category], _CLASS_LABELS[p.insurance_class]
    return Product(
        (p.item_code, p.generic_name, p.specification, p.manufacturer, category, insurance),
        (category, insurance), p.category, p.min_unit, p.units_per_pack,
        price(p.retail_price), p.retail_price)


class BatchFigures(NamedTuple):
    """One batch's figures for the period (quantities in minimum units, signed)."""

    batch: BatchStock
    opening: int
    movements: tuple[int, ...]    # in the order of ``MOVEMENTS``, as the ledger says
    closing: int                  # opening + movements: from the ledger
    closing_by_cache: int | None  # cached balance − entries after the period
                                  # (from the ledger: all-time sum − after, or with a
                                  # month-end snapshot: snapshot + movements)

    def problems(self) -> list[str]:
        """Why this row cannot be reported (empty when it can)."""
        found = []
        if self.closing_by_cache is None:
            found.append(f"无缓存库存，但台账推得期末 {self.closing}")
        elif self.closing != self.closing_by_cache:
            moved = sum(self.movements)
            found.append(f"期初 {self.opening} + 本期变动 {moved} = {self.closing}，"
                         f"但库存余额推得期末 {self.closing_by_cache}")
        if self.opening < 0:
            found.append(f"期初为负 ({self.opening})")
        if self.closing < 0:
            found.append(f"期末为负 ({self.closing})")
        return found


_COLUMN_OF = {t.value: i for i, (t, _, _) in enumerate(MOVEMENTS)}
_NO_MOVEMENTS = (0,) * len(MOVEMENTS)


def batch_figures(batches: Iterable[BatchStock], sums: Iterable[TypeSums]) -> list[BatchFigures]:
    """Each batch's opening, movements and closing (two ways) from the repository's sums:
    a batch read with the previous month's snapshot opens at it, otherwise its closing is
    the ledger's all-time sum less the entries after the period."""
    moved: dict[int, list[int]] = {}
    after: dict[int, int] = defaultdict(int)
    for batch_id, entry_type, in_period, later in sums:
        if in_period:
            if (columns := moved.get(batch_id)) is None:
                columns = moved[batch_id] = list(_NO_MOVEMENTS)
            columns[_COLUMN_OF[entry_type]] += in_period
        after[batch_id] += later
    figures = []
    for b in batches:
        columns = moved.get(b.batch_id)
        movements = _NO_MOVEMENTS if columns is None else tuple(columns)
        later = after.get(b.batch_id, 0)
        if b.snapshot is None:
            closing = b.ledger_total - later
            opening = closing - sum(movements)
        else:
            opening = b.snapshot
            closing = opening + sum(movements)
        figures.append(BatchFigures(b, opening, movements, closing,
                                    None if b.cached is None else b.cached - later))
    return figures


def _fails(f: BatchFigures) -> bool:
    # problems() != [], without building the messages for every row.
    return (f.closing_by_cache is None or f.closing != f.closing_by_cache
            or f.opening < 0 or f.closing < 0)


def check(figures: Sequence[BatchFigures], products: Mapping[int, ProductFacts]) -> None:
    """Refuse the report if any row does not add up (REP-1), naming the batches.

    Raises:
        DomainError: with the first few failing batches and their figures.
    """
    failing = [(f, f.problems()) for f in figures if _fails(f)]
    if not failing:
        return

    def named(b: BatchStock) -> str:
        p = products.get(b.product_id)
        return (f"{p.item_code} {p.generic_name} " if p else "") + f"批号 {b.lot_no}"

    listed = "；".join(f"{named(f.batch)}（批次 {f.batch.batch_id}）: {'，'.join(p)}"
                      for f, p in failing[:MAX_NAMED])
    more = f"；另有 {len(failing) - MAX_NAMED} 个批次" if len(failing) > MAX_NAMED else ""
    raise DomainError(
        f"进销存月报不平，未生成: {listed}{more}。请运行“校验”（pharmacy-pos-cli verify）"
        "检查台账与库存余额", rule_id=RULE_ID)


def cents(units: int, price_minor: int, per_pack: int) -> int:
    """``units`` minimum units at ``price_minor`` (1/10000 元) per package of ``per_pack``,
    in 分, rounded half up (away from zero), exactly as ``round_amount`` would."""
    numerator, denominator = units * price_minor, per_pack * 100
    whole = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -whole if numerator < 0 else whole


def _money(units: int, in_cents: int) -> Decimal:
    # ZERO for no units (as before); otherwise the amount with exactly two places.
    return Decimal(in_cents).scaleb(-2) if units else ZERO


class _Prices(dict[int, Decimal]):
    """Prices in 1/10000 元 made ``Decimal`` once each (many batches share a price)."""

    def __missing__(self, minor: int) -> Decimal:
        price = self[minor] = from_minor(minor, PRICE_SCALE)
        return price


def _money_row(label: str, sums: Sequence[int]) -> tuple[Value, ...]:
    """A labelled row with the money columns (given in 分) and everything else empty."""
    out: list[Value] = [None] * len(COLUMNS)
    out[0] = label
    for i, amount in zip(_MONEY_AT, sums, strict=True):
        out[i] = from_minor(amount, AMOUNT_SCALE)
    return tuple(out)


def _summed(parts: Iterable[list[int]]) -> list[int]:
    return [sum(column) for column in zip(*parts, strict=True)] or [0, 0, 0, 0]


def month_key(day: date) -> str:
    """The month of ``day`` as ``month_balances`` names it: ``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


def store_closing(uow_factory: UowFactory, store_id: int, period: Period,
                  figures: Iterable[BatchFigures], at: datetime) -> None:
    """Keep ``period``'s (a whole month's) checked closings (月结) unless already kept.

    Never fails: the report is good without it, so a failure is logged and ignored.
    """
    try:
        with uow_factory() as uow:
            ReportRepository(uow.session).store_month_balances(
                store_id, month_key(period.first),
                ((f.batch.batch_id, f.closing) for f in figures), at)
            uow.commit()
    except Exception:
        log.warning("month-end closing of %s (store %s) not stored", period.label(),
                    store_id, exc_info=True)


def build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
          progress: Progress = no_progress, cancelled: IsCancelled = never_cancelled,
          clock: Clock | None = None, **_services: object) -> Report:
    """The monthly stock report of ``actor``'s store for ``period`` (REP-1).

    The cyclic garbage collector is paused while the report is built: it makes tens of
    thousands of rows that hold no cycles, and the collector would otherwise walk them
    again and again (a quarter of the build's time). Reference counting still frees
    everything; the collector resumes (if it ran before) when the build ends.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build(uow_factory, actor, period, progress=progress, cancelled=cancelled,
                      clock=clock)
    finally:
        if paused:
            gc.enable()


def _build(uow_factory: UowFactory, actor: ReportActor, period: Period, *,
           progress: Progress, cancelled: IsCancelled, clock: Clock | None) -> Report:
    """:func:`build` without the collector's pause.

    Args:
        clock: stamps the report (the system clock unless given).

    Raises:
        PermissionDenied: the actor may not view reports.
        DomainError: a batch's figures do not add up (REP-1); nothing is produced.
        Cancelled: ``cancelled()`` said so between two steps.
    """
    actor.require(Permission.VIEW_REPORTS)
    start, end = bounds(period)
    clock = clock or SystemClock()
    previous = month_key(period.first - timedelta(days=1))
    progress(0, 2)
    with uow_factory(readonly=True) as uow:
        repo = ReportRepository(uow.session)
        repo.use_one_snapshot()
        sums = repo.movements_from(actor.store_id, start, end)
        progress(1, 2)
        checkpoint(cancelled)
        if period.first.day == 1 and repo.has_month_balances(actor.store_id, previous):
            batches = repo.stock_batches_from_snapshot(actor.store_id, start, previous)
        else:
            batches = repo.stock_batches(actor.store_id, start)
        facts = repo.products()
        store = repo.store_name(actor.store_id)
    figures = batch_figures(batches, sums)
    check(figures, facts)
    # A batch with nothing in the period (received later, or emptied earlier) is no row.
    prices = _Prices()
    products: dict[int, Product] = {}
    kept: list[tuple[tuple[str, str, date, str, int], BatchFigures, Product]] = []
    for f in figures:
        if f.opening or f.closing or any(f.movements):
            b = f.batch
            if (p := products.get(b.product_id)) is None:
                p = products[b.product_id] = product_of(facts[b.product_id], prices.__getitem__)
            kept.append(((p.category, p.cells[0], b.expiry_date, b.lot_no, b.batch_id), f, p))
    kept.sort(key=itemgetter(0))
    total_rows = 2 + len(kept)
    progress(2, total_rows)
    rows: list[tuple[Value, ...]] = []
    # Money in 分 per (category, insurance class): opening and closing at cost and retail.
    sums: dict[tuple[str, str], list[int]] = {}
    for at in range(0, len(kept), CHUNK):
        checkpoint(cancelled)
        for _, f, p in kept[at:at + CHUNK]:
            b, opening, closing, per_pack = f.batch, f.opening, f.closing, p.units_per_pack
            cost, retail = b.purchase_price, p.retail_minor
            oc, orr = cents(opening, cost, per_pack), cents(opening, retail, per_pack)
            cc, cr = cents(closing, cost, per_pack), cents(closing, retail, per_pack)
            rows.append((
                *p.cells, b.lot_no, b.expiry_date, p.min_unit, prices[cost], p.retail_price,
                opening, _money(opening, oc), _money(opening, orr),
                *map(mul, f.movements, _SIGNS),
                closing, _money(closing, cc), _money(closing, cr),
            ))
            if (acc := sums.get(p.group)) is None:
                acc = sums[p.group] = [0, 0, 0, 0]
            acc[0] += oc
            acc[1] += orr
            acc[2] += cc
            acc[3] += cr
        progress(2 + len(rows), total_rows)
    by_category: dict[str, list[list[int]]] = {}
    by_class: dict[str, list[list[int]]] = defaultdict(list)
    for (category, insurance), acc in sums.items():  # categories in the rows' order
        by_category.setdefault(category, []).append(acc)
        by_class[insurance].append(acc)
    subtotals = [_money_row(f"小计 类别: {k}", _summed(v)) for k, v in by_category.items()]
    subtotals += [_money_row(f"小计 医保: {k}", _summed(v)) for k, v in sorted(by_class.items())]
    section = Section(
        name=TITLE, columns=COLUMNS, rows=rows, subtotals=subtotals,
        total=_money_row("合计", _summed(sums.values())),
        notes=(
            f"每行: {EQUATION}（数量为最小单位，已逐行核对，并与库存余额核对）",
            "拆零转换、冲正为带符号数：冲正单列，不并入被冲正的分录所在列",
            "金额 = 数量 × 进价（或零售价）÷ 包装数量，四舍五入到分；小计、合计只合计金额",
        ),
    )
    now = clock.now()
    if period == Period.month(period.first.year, period.first.month) and end <= now:
        store_closing(uow_factory, actor.store_id, period, figures, now)
    return Report(title=TITLE, store=store, period=period.label(),
                  generated_at=now, sections=(section,))


SPEC = register(ReportSpec("monthly", TITLE, RULE_ID, build))
