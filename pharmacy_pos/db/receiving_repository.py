"""Queries and writes for receiving, quality acceptance and purchase returns (INV-2).

Used by ``services/receiving.py`` as ``ReceivingRepository(uow.session)``, inside the
use case's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import (
    Acceptance,
    Batch,
    Delivery,
    DeliveryLine,
    Product,
    ProductBarcode,
    PurchaseReturn,
    PurchaseReturnLine,
    StockBalance,
    Supplier,
    User,
)


class ReceivingRepository:
    """Deliveries, their lines, acceptances and purchase returns, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- master data ----------------------------------------------------------------------

    def suppliers(self) -> Sequence[Supplier]:
        """Every supplier, by name."""
        return self.session.scalars(select(Supplier).order_by(Supplier.name)).all()

    def supplier(self, supplier_id: int) -> Supplier | None:
        """A supplier by id."""
        return self.session.get(Supplier, supplier_id)

    def supplier_by_name(self, name: str) -> Supplier | None:
        """A supplier by its exact name."""
        return self.session.scalars(select(Supplier).where(Supplier.name == name)).one_or_none()

    def user_by_username(self, username: str) -> User | None:
        """A user by login name."""
        return self.session.scalars(select(User).where(User.username == username)).one_or_none()

    def products_by_keys(self, keys: Iterable[str]) -> dict[str, Product]:
        """Products by barcode or item code, in two queries whatever the number of keys."""
        wanted = list({k for k in keys if k})
        found: dict[str, Product] = {}
        if not wanted:
            return found
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for barcode, product in self.session.execute(
                select(ProductBarcode.barcode, Product)
                .join(Product, Product.id == ProductBarcode.product_id)
                .where(ProductBarcode.barcode.in_(chunk))
            ):
                found[barcode] = product
            for product in self.session.scalars(
                    select(Product).where(Product.item_code.in_(chunk))):
                found.setdefault(product.item_code, product)
        return found

    # -- deliveries -----------------------------------------------------------------------

    def delivery_by_note(self, supplier_id: int, note_no: str) -> Delivery | None:
        """The delivery received against a supplier's delivery-note number, if any."""
        return self.session.scalars(
            select(Delivery).where(Delivery.supplier_id == supplier_id,
                                   Delivery.delivery_note_no == note_no)).one_or_none()

    def delivery_by_doc_no(self, doc_no: str) -> Delivery | None:
        """A delivery by its receiving number (RK-…)."""
        return self.session.scalars(
            select(Delivery).where(Delivery.doc_no == doc_no)).one_or_none()

    def add(self, item: object) -> None:
        """Stage a new row."""
        self.session.add(item)

    def add_all(self, items: Iterable[object]) -> None:
        """Stage new rows."""
        self.session.add_all(list(items))

    def flush(self) -> None:
        """Send staged rows, so their ids are known."""
        self.session.flush()

    # -- acceptance -----------------------------------------------------------------------

    def pending_lines(self, store_id: int, limit: int = 2_000) -> list[Any]:
        """Delivery lines still awaiting acceptance, oldest delivery first.

        Rows carry the line, its delivery, product, supplier name and receiver's name.
        """
        statement = (
            select(DeliveryLine, Delivery, Product, Supplier.name.label("supplier_name"),
                   User.display_name.label("receiver_name"))
            .join(Delivery, Delivery.id == DeliveryLine.delivery_id)
            .join(Product, Product.id == DeliveryLine.product_id)
            .join(Supplier, Supplier.id == Delivery.supplier_id)
            .join(User, User.id == Delivery.received_by)
            .outerjoin(Acceptance, Acceptance.delivery_line_id == DeliveryLine.id)
            .where(Delivery.store_id == store_id, Acceptance.id.is_(None))
            .order_by(Delivery.received_at, Delivery.id, DeliveryLine.line_no)
            .limit(limit)
        )
        return list(self.session.execute(statement))

    def lines_with_deliveries(self, line_ids: Iterable[int],
                              ) -> dict[int, tuple[DeliveryLine, Delivery]]:
        """Delivery lines by id, each with its delivery."""
        wanted = list(set(line_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(DeliveryLine, Delivery)
            .join(Delivery, Delivery.id == DeliveryLine.delivery_id)
            .where(DeliveryLine.id.in_(wanted)))
        return {line.id: (line, delivery) for line, delivery in rows}

    def acceptances_of(self, line_ids: Iterable[int]) -> dict[int, Acceptance]:
        """Acceptance decisions already recorded, by delivery line id."""
        wanted = list(set(line_ids))
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(Acceptance).where(Acceptance.delivery_line_id.in_(wanted)))
        return {a.delivery_line_id: a for a in rows}

    def batches_for_update(self, batch_ids: Iterable[int]) -> dict[int, Batch]:
        """Batches by id, locked (FOR UPDATE on PostgreSQL) for a status change."""
        wanted = list(set(batch_ids))
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(Batch).where(Batch.id.in_(wanted)).with_for_update()
            .execution_options(populate_existing=True))
        return {b.id: b for b in rows}

    def products_by_ids(self, ids: Iterable[int]) -> dict[int, Product]:
        """Products by id."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        return {p.id: p for p in self.session.scalars(
            select(Product).where(Product.id.in_(wanted)))}

    # -- returns --------------------------------------------------------------------------

    def stock_of_batches(self, batch_ids: Iterable[int]) -> dict[int, int]:
        """Cached stock on hand per batch (checked against the ledger by ``verify``)."""
        wanted = list(set(batch_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(StockBalance.batch_id, StockBalance.quantity)
            .where(StockBalance.batch_id.in_(wanted)))
        return {batch_id: int(quantity) for batch_id, quantity in rows}

    def returned_units(self, line_ids: Iterable[int]) -> dict[int, int]:
        """Units of each delivery line already sent back to the supplier."""
        wanted = list(set(line_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(PurchaseReturnLine.delivery_line_id, func.sum(PurchaseReturnLine.quantity))
            .where(PurchaseReturnLine.delivery_line_id.in_(wanted))
            .group_by(PurchaseReturnLine.delivery_line_id))
        return {line_id: int(total) for line_id, total in rows}

    def returns_of_delivery(self, delivery_id: int) -> Sequence[PurchaseReturn]:
        """Purchase returns linked to a delivery, oldest first."""
        return self.session.scalars(
            select(PurchaseReturn).where(PurchaseReturn.delivery_id == delivery_id)
            .order_by(PurchaseReturn.id)).all()

    def return_lines_of(self, return_id: int) -> Sequence[PurchaseReturnLine]:
        """The lines of a purchase return."""
        return self.session.scalars(
            select(PurchaseReturnLine).where(PurchaseReturnLine.return_id == return_id)
            .order_by(PurchaseReturnLine.id)).all()
