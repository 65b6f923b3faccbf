"""The manager's dashboard figures (经营概况, issue 7): plain series, no Qt, no SQL.

:func:`dashboard_figures` reads everything in one read-only unit of work and returns
frozen dataclasses of Decimals, ints and dates that the screen turns into charts:

- sales per store day over the last 30 days (net of returns), split by who paid:
  the insurance fund (统筹), the personal account (个人账户) and the person (现金等);
- the same split for the month so far (the insurance share);
- the ten products with the largest net sales this month;
- stock on the shelf by the policy's near-expiry windows (e.g. 30/60/90 days), at cost;
- sale flags (the self-inspection facts: ID-8, RX-12, RX-14, ID-5, ID-9) per rule and
  week (Monday to Sunday) over the last 8 weeks, this week last.

Returns count against the day (week, month) they were made on, as the till's takings do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from pharmacy_pos.db.dashboard_queries import DashboardQueries, SlotPayments
from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.stockkeeping import expiry_window, stock_value
from pharmacy_pos.reports.basics import ReportActor, UowFactory

DAYS = 30
"""Days shown in the sales-per-day figure (today included)."""

WEEKS = 8
"""Weeks shown in the flags-per-week figure (this week included)."""

TOP = 10
"""Products in the top-products figure."""

DEFAULT_WINDOWS = (30, 60, 90)


@dataclass(frozen=True, slots=True)
class PayerSplit:
    """An amount split by who paid: insurance fund, personal account, the person."""

    fund: Decimal = ZERO
    account: Decimal = ZERO
    cash: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """Everything paid."""
        return self.fund + self.account + self.cash

    @property
    def insured(self) -> Decimal:
        """What insurance paid (fund and personal account)."""
        return self.fund + self.account


@dataclass(frozen=True, slots=True)
class DaySales:
    """Net sales of one store day."""

    day: date
    split: PayerSplit
    documents: int  # sales minus returns

    @property
    def total(self) -> Decimal:
        """Net takings of the day."""
        return self.split.total


@dataclass(frozen=True, slots=True)
class ProductSales:
    """A product's net sales this month."""

    item_code: str
    name: str
    amount: Decimal
    units: int  # minimum units


@dataclass(frozen=True, slots=True)
class ExpiryValue:
    """Stock whose days left fall in one near-expiry window (after the smaller ones)."""

    window_days: int
    value: Decimal  # at purchase price
    batches: int


@dataclass(frozen=True, slots=True)
class WeekFlags:
    """Sale flags of one week (Monday to Sunday), per rule id."""

    week_start: date
    counts: tuple[tuple[str, int], ...]  # (rule id, flags), rule ids sorted

    @property
    def total(self) -> int:
        """Flags of the week."""
        return sum(count for _, count in self.counts)

    def count(self, rule_id: str) -> int:
        """Flags of one rule in the week."""
        return dict(self.counts).get(rule_id, 0)


@dataclass(frozen=True, slots=True)
class DashboardFigures:
    """Everything the dashboard shows, as of one moment."""

    today: date
    as_of: datetime
    days: tuple[DaySales, ...]
    month: PayerSplit
    top_products: tuple[ProductSales, ...]
    near_expiry: tuple[ExpiryValue, ...]
    weeks: tuple[WeekFlags, ...]

    @property
    def flag_rules(self) -> tuple[str, ...]:
        """Every rule id flagged in the weeks shown, sorted."""
        return tuple(sorted({rule for week in self.weeks for rule, _ in week.counts}))


def store_midnight(day: date) -> datetime:
    """The instant a store day starts."""
    return datetime.combine(day, time.min, STORE_ZONE)


def dashboard_figures(uow_factory: UowFactory, actor: ReportActor, today: date, *,
                      windows: Sequence[int] = DEFAULT_WINDOWS,
                      as_of: datetime | None = None) -> DashboardFigures:
    """The dashboard's figures for the actor's store, store day ``today`` included.

    Args:
        uow_factory: opens the (read-only) unit of work.
        actor: who looks (needs VIEW_REPORTS).
        today: the store day the figures end on.
        windows: the policy's near-expiry windows in days (``StockPolicy.near_expiry_days``).
        as_of: the moment shown as "as of" (default: now).

    Raises:
        PermissionDenied: the actor may not view reports.
    """
    actor.require(Permission.VIEW_REPORTS)
    day_list = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    day_bounds = [store_midnight(d) for d in (*day_list, today + timedelta(days=1))]
    this_week = today - timedelta(days=today.weekday())
    week_list = [this_week - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
    week_bounds = [store_midnight(d) for d in (*week_list, this_week + timedelta(weeks=1))]
    month_bounds = [store_midnight(today.replace(day=1)), day_bounds[-1]]
    ordered = sorted(set(windows))
    with uow_factory(readonly=True) as uow:
        queries = DashboardQueries(uow.session)
        per_day = queries.payments_by_slot(actor.store_id, day_bounds)
        per_month = queries.payments_by_slot(actor.store_id, month_bounds)
        products = queries.product_amounts(actor.store_id, *month_bounds)
        expiring = queries.stock_expiring(actor.store_id, today + timedelta(days=ordered[-1]))
        flags = queries.flags_by_slot(actor.store_id, week_bounds)

    days = tuple(DaySales(day, *_net(r for r in per_day if r.slot == i))
                 for i, day in enumerate(day_list))
    month, _ = _net(per_month)

    net: dict[int, list] = {}
    for row in products:
        sign = -1 if row.kind == "return" else 1
        entry = net.setdefault(row.product_id, [row.item_code, row.name, ZERO, 0])
        entry[2] += sign * row.amount
        entry[3] += sign * row.units
    top = sorted((ProductSales(code, name, amount, units)
                  for code, name, amount, units in net.values() if amount > 0),
                 key=lambda p: (-p.amount, p.item_code))[:TOP]

    values = {w: [ZERO, 0] for w in ordered}
    for batch in expiring:
        window = expiry_window(batch.expiry_date, today, ordered)
        if window is not None:
            values[window][0] += stock_value(batch.units, batch.purchase_price,
                                             batch.units_per_pack)
            values[window][1] += 1
    near_expiry = tuple(ExpiryValue(w, value, count) for w, (value, count) in values.items())

    weeks = tuple(WeekFlags(start, tuple(sorted((f.rule_id, f.count)
                                                for f in flags if f.slot == i)))
                  for i, start in enumerate(week_list))
    return DashboardFigures(today=today, as_of=as_of or datetime.now(UTC), days=days,
                            month=month, top_products=tuple(top), near_expiry=near_expiry,
                            weeks=weeks)


def _net(rows: Iterable[SlotPayments]) -> tuple[PayerSplit, int]:
    """Sales minus returns of some slot rows, and the documents (sales minus returns)."""
    fund = account = cash = ZERO
    documents = 0
    for row in rows:
        sign = -1 if row.kind == "return" else 1
        fund += sign * row.fund
        account += sign * row.account
        cash += sign * row.cash
        documents += sign * row.documents
    return PayerSplit(fund, account, cash), documents
