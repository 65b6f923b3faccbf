"""Small builders for integration tests: products, batches, stock through the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pharmacy_pos.db.models import Batch, Product, ProductBarcode
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import (
    BatchStatus,
    ControlledCategory,
    InsuranceClass,
    LedgerEntryType,
    OtcClass,
    ProductCategory,
)


def add_product(uow_factory: UnitOfWorkFactory, clock: FixedClock, code: str = "P1",
                barcode: str = "6901234567892") -> int:
    """A 24-tablet prescription drug at 18.50; returns its id."""
    with uow_factory() as uow:
        product = Product(
            item_code=code, generic_name="阿莫西林胶囊", specification="0.25g*24粒",
            manufacturer="华北制药", is_prescription=True, otc_class=OtcClass.NONE,
            insurance_class=InsuranceClass.A, category=ProductCategory.DRUG,
            controlled_category=ControlledCategory.NONE, package_unit="盒", min_unit="粒",
            units_per_pack=24, split_allowed=True, retail_price=Decimal("18.50"),
            pinyin_initials="AMXLJN", created_at=clock.now(), updated_at=clock.now(),
            barcodes=[ProductBarcode(barcode=barcode)],
        )
        uow.products.add(product)
        uow.products.flush()
        uow.commit()
        return product.id


def add_batch(uow_factory: UnitOfWorkFactory, clock: FixedClock, store_id: int,
              product_id: int, lot: str = "L1") -> int:
    """A sellable batch expiring in 2028; returns its id."""
    with uow_factory() as uow:
        batch = uow.batches.add(Batch(
            store_id=store_id, product_id=product_id, supplier_id=None, lot_no=lot,
            manufacture_date=date(2026, 1, 1), expiry_date=date(2028, 1, 1),
            purchase_price=Decimal("10.00"), status=BatchStatus.SELLABLE,
            created_at=clock.now(),
        ))
        uow.commit()
        return batch.id


def move(batch_id: int, product_id: int, entry_type: LedgerEntryType, quantity: int,
         doc_no: str = "D1") -> StockMovement:
    """A movement at 10.00 per 24-unit pack."""
    return StockMovement(batch_id=batch_id, product_id=product_id, entry_type=entry_type,
                         quantity=quantity, unit_cost=Decimal("10.00"), units_per_pack=24,
                         doc_type="test", doc_no=doc_no)


def post(uow_factory: UnitOfWorkFactory, clock: FixedClock, store_id: int, operator_id: int,
         *moves: StockMovement) -> None:
    """Append movements in one transaction."""
    with uow_factory() as uow:
        uow.ledger.append(store_id, list(moves), operator_id=operator_id, occurred_at=clock.now())
        uow.commit()
