"""Queries for stock keeping (INV-3, INV-7): shelf stock, maintenance checks, reordering.

Used as ``StockkeepingRepository(uow.session)`` inside a unit of work. Every list is one
set-based statement over the store (stock from the cached balances, which ``verify``
checks against the ledger); nothing loops over batches issuing a query each.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import (
    Batch,
    MaintenanceCheck,
    MaintenanceItem,
    Product,
    Sale,
    SaleLine,
    SplitRecord,
    StockBalance,
    User,
)
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.domain.stockkeeping import ShelfBatch

#: Statuses of stock physically in the store that stock keeping looks after.
ON_SHELF = (BatchStatus.SELLABLE, BatchStatus.LOCKED)


class StockkeepingRepository:
    """Stock keeping's tables and queries, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- shelf stock ---------------------------------------------------------------------

    def shelf(self, store_id: int, statuses: Collection[BatchStatus], *,
              expiry_until: date | None = None) -> list[ShelfBatch]:
        """Batches of the store with stock > 0 in ``statuses``, earliest expiry first.

        ``expiry_until`` keeps only batches expiring on or before that day.
        """
        query = (
            select(Batch.id, Batch.product_id, Product.item_code, Product.generic_name,
                   Product.specification, Product.manufacturer, Batch.lot_no,
                   Batch.expiry_date, Batch.status, StockBalance.quantity,
                   Product.units_per_pack, Product.package_unit, Product.min_unit,
                   Batch.purchase_price, Batch.split_from_id, Product.split_allowed)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .join(Product, Product.id == Batch.product_id)
            .where(Batch.store_id == store_id, StockBalance.quantity > 0,
                   Batch.status.in_(list(statuses)))
            .order_by(Batch.expiry_date, Product.item_code, Batch.id)
        )
        if expiry_until is not None:
            query = query.where(Batch.expiry_date <= expiry_until)
        return [ShelfBatch(
            batch_id=r[0], product_id=r[1], item_code=r[2], generic_name=r[3],
            specification=r[4], manufacturer=r[5], lot_no=r[6], expiry_date=r[7],
            status=r[8], units=int(r[9]), units_per_pack=r[10], package_unit=r[11],
            min_unit=r[12], purchase_price=r[13], split_from_id=r[14], split_allowed=r[15],
        ) for r in self.session.execute(query)]

    def shelf_batch(self, batch_id: int) -> ShelfBatch | None:
        """One batch as :meth:`shelf` shows it (any status, any stock)."""
        row = self.session.execute(
            select(Batch.id, Batch.product_id, Product.item_code, Product.generic_name,
                   Product.specification, Product.manufacturer, Batch.lot_no,
                   Batch.expiry_date, Batch.status,
                   func.coalesce(StockBalance.quantity, 0), Product.units_per_pack,
                   Product.package_unit, Product.min_unit, Batch.purchase_price,
                   Batch.split_from_id, Product.split_allowed)
            .outerjoin(StockBalance, StockBalance.batch_id == Batch.id)
            .join(Product, Product.id == Batch.product_id)
            .where(Batch.id == batch_id)).one_or_none()
        if row is None:
            return None
        return ShelfBatch(
            batch_id=row[0], product_id=row[1], item_code=row[2], generic_name=row[3],
            specification=row[4], manufacturer=row[5], lot_no=row[6], expiry_date=row[7],
            status=row[8], units=int(row[9]), units_per_pack=row[10], package_unit=row[11],
            min_unit=row[12], purchase_price=row[13], split_from_id=row[14],
            split_allowed=row[15])

    def past_expiry(self, store_id: int, today: date) -> Sequence[Batch]:
        """Sellable or locked batches with stock whose expiry date is before ``today``.

        Locked for update (PostgreSQL), so two nightly runs never expire a batch twice.
        """
        return self.session.scalars(
            select(Batch)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .where(Batch.store_id == store_id, Batch.expiry_date < today,
                   Batch.status.in_(list(ON_SHELF)), StockBalance.quantity > 0)
            .order_by(Batch.expiry_date, Batch.id)
            .with_for_update(of=Batch)
            .execution_options(populate_existing=True)
        ).all()

    def batch_for_update(self, batch_id: int) -> Batch | None:
        """A batch, locked against a concurrent status change (PostgreSQL)."""
        return self.session.get(Batch, batch_id, with_for_update=True,
                                populate_existing=True)

    def add(self, row: object) -> None:
        """Insert a row and flush (so its id is known)."""
        self.session.add(row)
        self.session.flush()

    # -- maintenance checks (INV-3) ------------------------------------------------------

    def check_for_month(self, store_id: int, month: str) -> MaintenanceCheck | None:
        """The store's maintenance check of ``month`` (YYYY-MM), if started."""
        return self.session.scalars(
            select(MaintenanceCheck)
            .where(MaintenanceCheck.store_id == store_id, MaintenanceCheck.month == month)
            .order_by(MaintenanceCheck.id).limit(1)).one_or_none()

    def check_items(self, check_id: int) -> dict[int, tuple[MaintenanceItem, str]]:
        """Batch id -> (the latest item recorded for it, the checker's name)."""
        latest: dict[int, tuple[MaintenanceItem, str]] = {}
        for item, name in self.session.execute(
                select(MaintenanceItem, User.display_name)
                .join(User, User.id == MaintenanceItem.checked_by)
                .where(MaintenanceItem.check_id == check_id)
                .order_by(MaintenanceItem.id)):
            latest[item.batch_id] = (item, name)
        return latest

    # -- low stock -----------------------------------------------------------------------

    def reorder_figures(self, store_id: int, since: datetime, today: date,
                        ) -> list[tuple[Product, int, int]]:
        """(product, net units sold since ``since``, sellable units on hand) per product
        that sold or has a minimum; one statement.

        Net sales subtract returns; stock on hand counts only sellable, unexpired batches
        (what the till can actually sell).
        """
        sold = (
            select(SaleLine.product_id.label("product_id"),
                   func.sum(case((Sale.kind == "sale", SaleLine.quantity),
                                 else_=-SaleLine.quantity)).label("units"))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.store_id == store_id, Sale.completed_at >= since)
            .group_by(SaleLine.product_id)
            .subquery()
        )
        stock = (
            select(StockBalance.product_id.label("product_id"),
                   func.sum(StockBalance.quantity).label("units"))
            .join(Batch, Batch.id == StockBalance.batch_id)
            .where(StockBalance.store_id == store_id, Batch.status == BatchStatus.SELLABLE,
                   Batch.expiry_date >= today)
            .group_by(StockBalance.product_id)
            .subquery()
        )
        rows = self.session.execute(
            select(Product, func.coalesce(sold.c.units, 0), func.coalesce(stock.c.units, 0))
            .outerjoin(sold, sold.c.product_id == Product.id)
            .outerjoin(stock, stock.c.product_id == Product.id)
            .where(Product.active.is_(True),
                   or_(Product.min_stock > 0, sold.c.units > 0))
            .order_by(Product.item_code))
        return [(product, int(units_sold), int(on_hand))
                for product, units_sold, on_hand in rows]

    # -- split packages ------------------------------------------------------------------

    def split_records(self, store_id: int, limit: int) -> list[tuple[SplitRecord, Batch,
                                                                     Product, str, str]]:
        """The newest split records with their split batch, product and both names."""
        checker = User.__table__.alias("checker")
        rows = self.session.execute(
            select(SplitRecord, Batch, Product, User.display_name, checker.c.display_name)
            .join(Batch, Batch.id == SplitRecord.split_batch_id)
            .join(Product, Product.id == SplitRecord.product_id)
            .join(User, User.id == SplitRecord.split_by)
            .join(checker, checker.c.id == SplitRecord.checked_by)
            .where(SplitRecord.store_id == store_id)
            .order_by(SplitRecord.id.desc()).limit(limit))
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
