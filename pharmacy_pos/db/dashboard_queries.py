"""Queries behind the manager's dashboard (经营概况, issue 7).

Every figure is one set-based statement. Days and weeks are store days (Asia/Shanghai),
so the caller passes their boundaries as aware instants and each row is put in its slot
by a ``CASE`` over those boundaries: the same SQL on SQLite and PostgreSQL, no
time-zone functions of either database. Rows are grouped in an outer query over the
slot column, because PostgreSQL does not recognise two copies of a parameterised
expression as the same ``GROUP BY`` key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import Batch, Product, Sale, SaleFlag, SaleLine, StockBalance
from pharmacy_pos.db.stockkeeping_repository import ON_SHELF
from pharmacy_pos.domain.money import ZERO


@dataclass(frozen=True, slots=True)
class SlotPayments:
    """Sales (or returns) of one slot (a day, a month): amounts by who paid."""

    slot: int
    kind: str  # sale / return
    documents: int
    total: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal


@dataclass(frozen=True, slots=True)
class ProductAmount:
    """Sales (or returns) of one product in a period."""

    product_id: int
    item_code: str
    name: str
    kind: str  # sale / return
    amount: Decimal
    units: int


@dataclass(frozen=True, slots=True)
class ExpiringStock:
    """A batch on the shelf with stock, as the near-expiry figure needs it."""

    expiry_date: date
    units: int
    purchase_price: Decimal  # per package
    units_per_pack: int


@dataclass(frozen=True, slots=True)
class SlotFlags:
    """Sale flags of one rule in one slot (a week)."""

    slot: int
    rule_id: str
    count: int


def _slot(moment: ColumnElement[datetime], boundaries: Sequence[datetime]) -> ColumnElement[int]:
    """The index ``i`` of the slot ``[boundaries[i], boundaries[i+1])`` holding ``moment``.

    Rows outside ``[boundaries[0], boundaries[-1])`` must be filtered out by the caller.
    """
    return case(*((moment < end, index) for index, end in enumerate(boundaries[1:])),
                else_=len(boundaries) - 1)


class DashboardQueries:
    """Read-only aggregates for the dashboard, over the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def payments_by_slot(self, store_id: int, boundaries: Sequence[datetime],
                         ) -> list[SlotPayments]:
        """Sales and returns completed in each slot, summed per kind."""
        if len(boundaries) < 2:
            return []
        inner = (
            select(_slot(Sale.completed_at, boundaries).label("slot"), Sale.kind.label("kind"),
                   Sale.total_amount.label("total"), Sale.fund_pay.label("fund"),
                   Sale.acct_pay.label("account"), Sale.cash_pay.label("cash"))
            .where(Sale.store_id == store_id, Sale.completed_at >= boundaries[0],
                   Sale.completed_at < boundaries[-1])
            .subquery())
        rows = self.session.execute(
            select(inner.c.slot, inner.c.kind, func.count(), func.sum(inner.c.total),
                   func.sum(inner.c.fund), func.sum(inner.c.account), func.sum(inner.c.cash))
            .group_by(inner.c.slot, inner.c.kind)
            .order_by(inner.c.slot, inner.c.kind))
        return [SlotPayments(int(slot), kind, int(documents), _yuan(total), _yuan(fund),
                             _yuan(account), _yuan(cash))
                for slot, kind, documents, total, fund, account, cash in rows]

    def product_amounts(self, store_id: int, start: datetime, end: datetime,
                        ) -> list[ProductAmount]:
        """Every product sold or returned in ``[start, end)``, summed per kind."""
        rows = self.session.execute(
            select(SaleLine.product_id, Product.item_code, Product.generic_name, Sale.kind,
                   func.sum(SaleLine.amount), func.sum(SaleLine.quantity))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .join(Product, Product.id == SaleLine.product_id)
            .where(Sale.store_id == store_id, Sale.completed_at >= start,
                   Sale.completed_at < end)
            .group_by(SaleLine.product_id, Product.item_code, Product.generic_name, Sale.kind))
        return [ProductAmount(int(pid), code, name, kind, _yuan(amount), int(units or 0))
                for pid, code, name, kind, amount, units in rows]

    def stock_expiring(self, store_id: int, until: date) -> list[ExpiringStock]:
        """Batches on the shelf (sellable or locked) with stock, expiring on or before
        ``until``."""
        rows = self.session.execute(
            select(Batch.expiry_date, StockBalance.quantity, Batch.purchase_price,
                   Product.units_per_pack)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .join(Product, Product.id == Batch.product_id)
            .where(Batch.store_id == store_id, StockBalance.quantity > 0,
                   Batch.status.in_(list(ON_SHELF)), Batch.expiry_date <= until))
        return [ExpiringStock(expiry, int(units), price, int(per_pack))
                for expiry, units, price, per_pack in rows]

    def flags_by_slot(self, store_id: int, boundaries: Sequence[datetime]) -> list[SlotFlags]:
        """Sale flags (self-inspection facts) of sales completed in each slot, per rule."""
        if len(boundaries) < 2:
            return []
        inner = (
            select(_slot(Sale.completed_at, boundaries).label("slot"),
                   SaleFlag.rule_id.label("rule_id"))
            .join(Sale, Sale.id == SaleFlag.sale_id)
            .where(Sale.store_id == store_id, Sale.completed_at >= boundaries[0],
                   Sale.completed_at < boundaries[-1])
            .subquery())
        rows = self.session.execute(
            select(inner.c.slot, inner.c.rule_id, func.count())
            .group_by(inner.c.slot, inner.c.rule_id)
            .order_by(inner.c.slot, inner.c.rule_id))
        return [SlotFlags(int(slot), rule, int(count)) for slot, rule, count in rows]


def _yuan(amount: Decimal | None) -> Decimal:
    # SUM keeps the Money() type, so amounts arrive as Decimal 元; NULL for no rows.
    return amount if amount is not None else ZERO
