"""Queries of the stock-take (盘点, INV-4), used as ``StocktakeRepository(uow.session)``.

The snapshot and the difference list are set-based statements: a stock-take of 20,000
products (about 40,000 batches) is a handful of queries, never one per batch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Select, and_, func, insert, literal, select, type_coerce
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import (
    AuditRecord,
    Batch,
    LedgerEntry,
    Product,
    ProductBarcode,
    StockBalance,
    Stocktake,
    StocktakeBook,
    StocktakeClosing,
    StocktakeCount,
    Store,
    User,
)
from pharmacy_pos.domain.money import PRICE_SCALE, from_minor
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.domain.stocktake import CountedBatch

#: Audit action written when a stock-take starts; its detail keeps the ledger position.
START_ACTION = "stocktake.start"


@dataclass(frozen=True, slots=True)
class LotRow:
    """A batch of a scanned product, with its book and latest count in a stock-take."""

    batch_id: int
    product_id: int
    item_code: str
    name: str
    specification: str
    lot_no: str
    expiry_date: date
    status: BatchStatus
    package_unit: str
    min_unit: str
    units_per_pack: int
    book_units: int | None       # None: not in the snapshot (no stock at the start)
    counted_units: int | None    # the latest count, None if not counted yet


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """How far a stock-take has come."""

    book_batches: int
    counted_batches: int
    counted_in_book: int
    counts: int
    last_session: int
    last_count_id: int


@dataclass(frozen=True, slots=True)
class UncountedRow:
    """A batch of the snapshot nobody has counted yet."""

    batch_id: int
    item_code: str
    name: str
    lot_no: str
    book_units: int
    min_unit: str


class StocktakeRepository:
    """Stock-takes, their snapshot, counts and closing."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, item: object) -> None:
        """Stage a new row (stock-take, count, closing)."""
        self.session.add(item)

    def flush(self) -> None:
        """Send pending rows so their ids exist."""
        self.session.flush()

    def store_code(self, store_id: int) -> str:
        """The store's code (used in document numbers)."""
        store = self.session.get(Store, store_id)
        return store.code if store is not None else str(store_id)

    def user_name(self, user_id: int) -> str:
        """A user's display name."""
        user = self.session.get(User, user_id)
        return user.display_name if user is not None else str(user_id)

    # -- the stock-take row ---------------------------------------------------------------

    def get(self, stocktake_id: int, *, lock: bool = False) -> Stocktake | None:
        """A stock-take; ``lock`` holds its row until commit (counting vs closing)."""
        query = select(Stocktake).where(Stocktake.id == stocktake_id)
        if lock:
            query = query.with_for_update()
        return self.session.scalars(query).one_or_none()

    def closing_of(self, stocktake_id: int) -> StocktakeClosing | None:
        """The approval or cancellation of a stock-take, if it is closed."""
        return self.session.scalars(
            select(StocktakeClosing).where(StocktakeClosing.stocktake_id == stocktake_id)
        ).one_or_none()

    def open_of_store(self, store_id: int) -> Sequence[Stocktake]:
        """The store's stock-takes that are neither approved nor cancelled, oldest first."""
        closed = select(StocktakeClosing.stocktake_id)
        return self.session.scalars(
            select(Stocktake).where(Stocktake.store_id == store_id, Stocktake.id.not_in(closed))
            .order_by(Stocktake.id)
        ).all()

    def snapshot_seq(self, stocktake: Stocktake) -> int:
        """The ledger position (store ``chain_seq``) the snapshot was taken at.

        Kept in the start's audit record: that record is hash-chained, so the position the
        book stock is measured from cannot be moved afterwards without ``verify`` noticing.
        """
        detail = self.session.scalar(
            select(AuditRecord.detail).where(
                AuditRecord.action == START_ACTION, AuditRecord.store_id == stocktake.store_id,
                AuditRecord.target_type == "stocktake",
                AuditRecord.target_id == str(stocktake.id))
        )
        if detail is None:
            raise LookupError(f"stocktake {stocktake.id} has no start record")
        return int(json.loads(detail)["ledger_seq"])

    def take_snapshot(self, stocktake_id: int, store_id: int) -> int:
        """Copy every batch's book stock (> 0) of the store into the snapshot, in one
        statement; returns how many batches it holds. The caller holds the ledger lock."""
        source = select(
            literal(stocktake_id), StockBalance.batch_id, StockBalance.product_id,
            StockBalance.quantity,
        ).where(StockBalance.store_id == store_id, StockBalance.quantity > 0)
        self.session.execute(insert(StocktakeBook).from_select(
            ["stocktake_id", "batch_id", "product_id", "book_units"], source))
        return int(self.session.scalar(
            select(func.count()).select_from(StocktakeBook)
            .where(StocktakeBook.stocktake_id == stocktake_id)) or 0)

    # -- counting -------------------------------------------------------------------------

    def batch(self, batch_id: int) -> tuple[Batch, Product] | None:
        """A batch with its product."""
        row = self.session.execute(
            select(Batch, Product).join(Product, Product.id == Batch.product_id)
            .where(Batch.id == batch_id)).one_or_none()
        return None if row is None else (row[0], row[1])

    def product_by_barcode(self, barcode: str) -> Product | None:
        """The product carrying ``barcode``."""
        return self.session.scalars(
            select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.barcode == barcode)).one_or_none()

    def lots(self, stocktake_id: int, store_id: int, product_id: int) -> list[LotRow]:
        """Every batch of a product in the store, with snapshot and latest count,
        earliest expiry first (the order they usually sit on the shelf)."""
        latest = self._latest_counts(stocktake_id).subquery()
        rows = self.session.execute(
            select(Batch, Product, StocktakeBook.book_units, latest.c.counted_units)
            .join(Product, Product.id == Batch.product_id)
            .outerjoin(StocktakeBook, and_(StocktakeBook.stocktake_id == stocktake_id,
                                           StocktakeBook.batch_id == Batch.id))
            .outerjoin(latest, latest.c.batch_id == Batch.id)
            .where(Batch.product_id == product_id, Batch.store_id == store_id)
            .order_by(Batch.expiry_date, Batch.id)
        ).all()
        return [LotRow(
            batch_id=b.id, product_id=p.id, item_code=p.item_code, name=p.generic_name,
            specification=p.specification, lot_no=b.lot_no, expiry_date=b.expiry_date,
            status=b.status, package_unit=p.package_unit, min_unit=p.min_unit,
            units_per_pack=p.units_per_pack, book_units=book, counted_units=counted)
            for b, p, book, counted in rows]

    def latest_count(self, stocktake_id: int, batch_id: int) -> int | None:
        """The count of a batch that stands (the newest), if any."""
        return self.session.scalar(
            select(StocktakeCount.counted_units)
            .where(StocktakeCount.stocktake_id == stocktake_id,
                   StocktakeCount.batch_id == batch_id)
            .order_by(StocktakeCount.id.desc()).limit(1))

    def progress(self, stocktake_id: int) -> ProgressRow:
        """Batches in the snapshot, batches counted, counts made, sessions, newest count."""
        book = int(self.session.scalar(
            select(func.count()).select_from(StocktakeBook)
            .where(StocktakeBook.stocktake_id == stocktake_id)) or 0)
        counts, sessions, last_id = self.session.execute(
            select(func.count(), func.coalesce(func.max(StocktakeCount.session_no), 0),
                   func.coalesce(func.max(StocktakeCount.id), 0))
            .where(StocktakeCount.stocktake_id == stocktake_id)).one()
        counted = select(StocktakeCount.batch_id).where(
            StocktakeCount.stocktake_id == stocktake_id).distinct().subquery()
        counted_batches = int(self.session.scalar(
            select(func.count()).select_from(counted)) or 0)
        in_book = int(self.session.scalar(
            select(func.count()).select_from(counted)
            .join(StocktakeBook, and_(StocktakeBook.stocktake_id == stocktake_id,
                                      StocktakeBook.batch_id == counted.c.batch_id))) or 0)
        return ProgressRow(book_batches=book, counted_batches=counted_batches,
                           counted_in_book=in_book, counts=int(counts),
                           last_session=int(sessions), last_count_id=int(last_id))

    def counters(self, stocktake_id: int) -> set[int]:
        """Everyone whose count stands in the stock-take."""
        return set(self.session.scalars(
            select(StocktakeCount.counted_by).where(StocktakeCount.stocktake_id == stocktake_id)
            .distinct()))

    # -- the difference list --------------------------------------------------------------

    def _latest_counts(self, stocktake_id: int) -> Select[tuple[int, int, datetime]]:
        newest = (
            select(func.max(StocktakeCount.id).label("id"))
            .where(StocktakeCount.stocktake_id == stocktake_id)
            .group_by(StocktakeCount.batch_id)
            .subquery()
        )
        return (
            select(StocktakeCount.batch_id, StocktakeCount.counted_units,
                   StocktakeCount.counted_at)
            .join(newest, newest.c.id == StocktakeCount.id)
        )

    def final_counts(self, stocktake_id: int) -> list[tuple[int, Batch, Product]]:
        """Every counted batch's last count, with the batch and its product (3501)."""
        latest = self._latest_counts(stocktake_id).subquery()
        rows = self.session.execute(
            select(latest.c.counted_units, Batch, Product)
            .join(Batch, Batch.id == latest.c.batch_id)
            .join(Product, Product.id == Batch.product_id)
            .order_by(Batch.id)).all()
        return [(units, batch, product) for units, batch, product in rows]

    def counted_batches(self, stocktake: Stocktake,
                        snapshot_seq: int) -> tuple[int, list[CountedBatch]]:
        """How many batches are counted, and those that may differ from book.

        A batch may differ when its latest count is not its snapshot, or when it moved
        after the snapshot. Set-based reads: the store's ledger entries after the
        snapshot's position (a range scan of ``(store_id, chain_seq)``: only what moved
        during the stock-take) with the count times of the batches that moved; then the
        latest counts that differ from the snapshot, joined with batch, product and
        snapshot, and the same for the moved batches (in chunks). A movement counts
        towards a batch's book when it happened at or before the batch's count.
        """
        moved = self._moved_before_count(stocktake, snapshot_seq)
        latest = self._latest_counts(stocktake.id).subquery()
        book = func.coalesce(StocktakeBook.book_units, 0)
        # Core rows, the price as its stored integer: no ORM row handling, and one
        # Decimal per distinct price rather than one per batch.
        query = (
            select(Batch.id, Batch.product_id, Product.item_code, Product.generic_name,
                   Product.specification, Batch.lot_no, Product.min_unit,
                   Product.units_per_pack, type_coerce(Batch.purchase_price, BigInteger),
                   book, latest.c.counted_units)
            .select_from(latest)
            .join(Batch, Batch.id == latest.c.batch_id)
            .join(Product, Product.id == Batch.product_id)
            .outerjoin(StocktakeBook, and_(StocktakeBook.stocktake_id == stocktake.id,
                                           StocktakeBook.batch_id == latest.c.batch_id))
        )
        connection = self.session.connection()
        rows = {row[0]: row for row in connection.execute(
            query.where(latest.c.counted_units != book))}
        moved_ids = sorted(set(moved) - set(rows))
        for start in range(0, len(moved_ids), 500):
            rows.update({row[0]: row for row in connection.execute(
                query.where(latest.c.batch_id.in_(moved_ids[start:start + 500])))})
        total = int(self.session.scalar(select(func.count()).select_from(latest)) or 0)
        prices: dict[int, Decimal] = {}
        result = []
        for (bid, pid, code, generic, spec, lot, unit, per_pack, minor, units,
             counted) in rows.values():
            price = prices.get(minor)
            if price is None:
                price = prices[minor] = from_minor(minor, PRICE_SCALE)
            result.append(CountedBatch(bid, pid, code, f"{generic} {spec}", lot, unit,
                                       per_pack, price, units, moved.get(bid, 0), counted))
        return total, result

    def _moved_before_count(self, stocktake: Stocktake, snapshot_seq: int) -> dict[int, int]:
        after = self.session.execute(
            select(LedgerEntry.batch_id, LedgerEntry.quantity, LedgerEntry.occurred_at)
            .where(LedgerEntry.store_id == stocktake.store_id,
                   LedgerEntry.chain_seq > snapshot_seq)
        ).all()
        if not after:
            return {}
        batches = sorted({batch for batch, _, _ in after})
        counted_at: dict[int, datetime] = {}
        latest = self._latest_counts(stocktake.id).subquery()
        for start in range(0, len(batches), 500):
            counted_at.update(self.session.execute(
                select(latest.c.batch_id, latest.c.counted_at)
                .where(latest.c.batch_id.in_(batches[start:start + 500]))).all())
        moved: dict[int, int] = {}
        for batch, quantity, occurred_at in after:
            at = counted_at.get(batch)
            if at is not None and occurred_at <= at:
                moved[batch] = moved.get(batch, 0) + quantity
        return moved

    def uncounted(self, stocktake_id: int) -> list[UncountedRow]:
        """Batches of the snapshot without any count, by item code and lot."""
        counted = select(StocktakeCount.batch_id).where(
            StocktakeCount.stocktake_id == stocktake_id)
        rows = self.session.execute(
            select(StocktakeBook.batch_id, Product.item_code, Product.generic_name,
                   Product.specification, Batch.lot_no, StocktakeBook.book_units,
                   Product.min_unit)
            .join(Batch, Batch.id == StocktakeBook.batch_id)
            .join(Product, Product.id == StocktakeBook.product_id)
            .where(StocktakeBook.stocktake_id == stocktake_id,
                   StocktakeBook.batch_id.not_in(counted))
            .order_by(Product.item_code, Batch.lot_no, Batch.id)
        )
        return [UncountedRow(batch_id=bid, item_code=code, name=f"{generic} {spec}".strip(),
                             lot_no=lot, book_units=int(book), min_unit=unit)
                for bid, code, generic, spec, lot, book, unit in rows]

    def balances(self, batch_ids: Sequence[int]) -> dict[int, int]:
        """Cached stock of these batches (checked against the ledger by ``verify``)."""
        found: dict[int, int] = {}
        for start in range(0, len(batch_ids), 500):
            chunk = batch_ids[start:start + 500]
            found.update({b: int(q) for b, q in self.session.execute(
                select(StockBalance.batch_id, StockBalance.quantity)
                .where(StockBalance.batch_id.in_(chunk)))})
        return found
