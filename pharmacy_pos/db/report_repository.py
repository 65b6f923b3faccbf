"""Queries of the reports (issue 7): the monthly stock report's figures (REP-1).

Used as ``ReportRepository(uow.session)`` inside a read-only unit of work. Each method is
one set-based statement; nothing loops over batches issuing a query each.

How the monthly figures are read fast on a year of ledger (~1M entries):

- the entries from the start of the month onwards (a range of ``ix_ledger_entries_time``,
  a twelfth of the ledger for the last month), grouped per batch and type, split into
  "in the month" and "after the month";
- each batch's all-time sum over the covering index ``ix_ledger_entries_batch``
  ``(batch_id, quantity)`` (the table itself is not read), with the batch, its product
  and its cached balance.

Opening and closing follow: closing = all-time sum − after the month, opening = closing
− the month's movements. Summing everything before the month instead would read most of
the table for a late month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case, func, or_, select, text
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import Batch, LedgerEntry, Product, StockBalance, Store
from pharmacy_pos.domain.product import InsuranceClass, LedgerEntryType, ProductCategory


@dataclass(frozen=True, slots=True)
class TypeSums:
    """One batch's entries of one type from the period's start: in it, and after it."""

    batch_id: int
    entry_type: LedgerEntryType
    in_period: int
    after: int


@dataclass(frozen=True, slots=True)
class BatchStock:
    """A batch the report may show, with its product, the ledger's all-time sum of its
    entries and its cached balance (``stock_balances``; None when there is none)."""

    batch_id: int
    product_id: int
    item_code: str
    generic_name: str
    specification: str
    manufacturer: str
    min_unit: str
    units_per_pack: int
    category: ProductCategory
    insurance_class: InsuranceClass
    retail_price: Decimal
    lot_no: str
    expiry_date: date
    purchase_price: Decimal
    ledger_total: int
    cached: int | None


class ReportRepository:
    """The reports' queries, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def use_one_snapshot(self) -> None:
        """Make every following statement of this transaction see the same data.

        SQLite's read transaction already does; PostgreSQL's default (READ COMMITTED) takes
        a snapshot per statement, so a sale committed between two of the report's queries
        would make a batch's figures disagree. Call before the first query.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))

    def store_name(self, store_id: int) -> str:
        """The store's name ("" if unknown)."""
        return self.session.scalar(select(Store.name).where(Store.id == store_id)) or ""

    def movements_from(self, store_id: int, start: datetime, end: datetime) -> list[TypeSums]:
        """Sums per batch and entry type of the store's entries at or after ``start``:
        those before ``end`` and those at or after it.

        ``batch_id + 0`` and ``store_id + 0`` keep SQLite's planner (no statistics) on the
        time index: on the bare columns it scans the whole batch index to avoid a sort,
        twenty times slower for one month of a year's ledger.
        """
        batch = (LedgerEntry.batch_id + 0).label("batch")
        in_period = func.sum(case((LedgerEntry.occurred_at < end, LedgerEntry.quantity),
                                  else_=0))
        after = func.sum(case((LedgerEntry.occurred_at >= end, LedgerEntry.quantity), else_=0))
        rows = self.session.execute(
            select(batch, LedgerEntry.entry_type, in_period, after)
            .where(LedgerEntry.occurred_at >= start, (LedgerEntry.store_id + 0) == store_id)
            .group_by(batch, LedgerEntry.entry_type)
        )
        return [TypeSums(int(b), t, int(i), int(a)) for b, t, i, a in rows]

    def stock_batches(self, store_id: int, start: datetime) -> list[BatchStock]:
        """The store's batches with stock in the ledger or the cache, or with entries at
        or after ``start``; with product, all-time ledger sum and cached balance."""
        totals = (
            select(LedgerEntry.batch_id.label("batch_id"),
                   func.sum(LedgerEntry.quantity).label("total"))
            .group_by(LedgerEntry.batch_id)
            .subquery()
        )
        recent = (
            select(LedgerEntry.batch_id + 0)
            .where(LedgerEntry.occurred_at >= start, (LedgerEntry.store_id + 0) == store_id)
        )
        query = (
            select(Batch.id, Batch.product_id, Product.item_code, Product.generic_name,
                   Product.specification, Product.manufacturer, Product.min_unit,
                   Product.units_per_pack, Product.category, Product.insurance_class,
                   Product.retail_price, Batch.lot_no, Batch.expiry_date,
                   Batch.purchase_price, func.coalesce(totals.c.total, 0),
                   StockBalance.quantity)
            .join(Product, Product.id == Batch.product_id)
            .outerjoin(totals, totals.c.batch_id == Batch.id)
            .outerjoin(StockBalance, StockBalance.batch_id == Batch.id)
            .where(Batch.store_id == store_id,
                   or_(totals.c.total != 0, StockBalance.quantity != 0, Batch.id.in_(recent)))
        )
        return [BatchStock(
            batch_id=r[0], product_id=r[1], item_code=r[2], generic_name=r[3],
            specification=r[4], manufacturer=r[5], min_unit=r[6], units_per_pack=r[7],
            category=r[8], insurance_class=r[9], retail_price=r[10], lot_no=r[11],
            expiry_date=r[12], purchase_price=r[13], ledger_total=int(r[14]),
            cached=None if r[15] is None else int(r[15]),
        ) for r in self.session.execute(query)]
