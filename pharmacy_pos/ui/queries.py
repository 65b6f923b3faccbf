"""Read-only queries the first screens need and no service offers yet.

Each is one function over ``uow(readonly=True)`` returning frozen DTOs, checking the
actor's permission like a service would (SEC-1), so it can move into ``services/``
unchanged (with its SQL into a repository) when a later issue needs it elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, or_, select

from pharmacy_pos.db.models import Product, ProductBarcode, StockBalance
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.product import InsuranceClass, OtcClass
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor

UowFactory = Callable[..., UnitOfWork]

#: Most rows a catalogue search returns; the screen says when there were more.
SEARCH_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product as the catalogue screen lists it, with its stock on hand."""

    id: int
    item_code: str
    national_code: str
    generic_name: str
    trade_name: str
    specification: str
    manufacturer: str
    is_prescription: bool
    otc_class: OtcClass
    insurance_class: InsuranceClass
    retail_price: Decimal
    package_unit: str
    min_unit: str
    units_per_pack: int
    stock_units: int
    barcodes: tuple[str, ...]
    active: bool


@dataclass(frozen=True, slots=True)
class ProductSearch:
    """The rows found, and whether the limit cut the list short."""

    rows: tuple[ProductRow, ...]
    truncated: bool


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_products(
    uow_factory: UowFactory, actor: Actor, text: str, *, limit: int = SEARCH_LIMIT,
) -> ProductSearch:
    """Products matching ``text``, with stock on hand in the actor's store.

    ``text`` matches a barcode or national insurance code exactly, or the item code,
    generic or trade name, or pinyin initials (e.g. "AMX") as a substring. Empty text
    lists every product. Stock is the sum of the cached batch balances (all statuses).

    Raises:
        PermissionDenied: the actor may not view stock (SEC-1).
    """
    actor.require(Permission.VIEW_STOCK)
    text = text.strip()
    with uow_factory(readonly=True) as uow:
        session = uow.session
        stock = (
            select(StockBalance.product_id, func.sum(StockBalance.quantity).label("units"))
            .where(StockBalance.store_id == actor.store_id)
            .group_by(StockBalance.product_id)
            .subquery()
        )
        query = select(Product, func.coalesce(stock.c.units, 0)).outerjoin(
            stock, stock.c.product_id == Product.id
        )
        if text:
            like = _like_pattern(text)
            query = query.where(or_(
                Product.id.in_(
                    select(ProductBarcode.product_id).where(ProductBarcode.barcode == text)
                ),
                Product.med_list_codg == text,
                Product.item_code.ilike(like, escape="\\"),
                Product.generic_name.like(like, escape="\\"),
                Product.trade_name.like(like, escape="\\"),
                Product.pinyin_initials.like(_like_pattern(text.upper()), escape="\\"),
            ))
        found = session.execute(query.order_by(Product.item_code).limit(limit + 1)).all()
        truncated = len(found) > limit
        found = found[:limit]
        barcodes: dict[int, list[str]] = {}
        ids = [product.id for product, _ in found]
        for start in range(0, len(ids), 500):
            for product_id, barcode in session.execute(
                select(ProductBarcode.product_id, ProductBarcode.barcode)
                .where(ProductBarcode.product_id.in_(ids[start:start + 500]))
                .order_by(ProductBarcode.id)
            ):
                barcodes.setdefault(product_id, []).append(barcode)
        rows = tuple(
            ProductRow(
                id=p.id, item_code=p.item_code, national_code=p.med_list_codg or "",
                generic_name=p.generic_name, trade_name=p.trade_name,
                specification=p.specification, manufacturer=p.manufacturer,
                is_prescription=p.is_prescription, otc_class=p.otc_class,
                insurance_class=p.insurance_class, retail_price=p.retail_price,
                package_unit=p.package_unit, min_unit=p.min_unit,
                units_per_pack=p.units_per_pack, stock_units=int(units),
                barcodes=tuple(barcodes.get(p.id, ())), active=p.active,
            )
            for p, units in found
        )
    return ProductSearch(rows, truncated)


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Sizes of the main tables, for the status panel."""

    products: int
    batches: int
    ledger_entries: int
    users: int


def status_counts(uow_factory: UowFactory, actor: Actor) -> StatusCounts:
    """How many products, batches, ledger entries and users the database holds.

    Raises:
        PermissionDenied: the actor may not view the system status (SEC-1).
    """
    actor.require(Permission.VIEW_STATUS)
    with uow_factory(readonly=True) as uow:
        return StatusCounts(
            products=uow.products.count(),
            batches=uow.batches.count(),
            ledger_entries=uow.ledger.count(),
            users=uow.users.count(),
        )


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit record as the audit screen shows it."""

    seq: int
    occurred_at: datetime
    actor_name: str
    terminal_id: str
    action: str
    target_type: str
    target_id: str
    detail: str


def recent_audit(uow_factory: UowFactory, actor: Actor, limit: int = 200) -> list[AuditRow]:
    """The newest ``limit`` audit records of the actor's store, newest first.

    Raises:
        PermissionDenied: the actor may not read the audit log (SEC-1).
    """
    actor.require(Permission.VIEW_AUDIT)
    with uow_factory(readonly=True) as uow:
        return [
            AuditRow(
                seq=r.chain_seq, occurred_at=r.occurred_at, actor_name=r.actor_name,
                terminal_id=r.terminal_id, action=r.action, target_type=r.target_type,
                target_id=r.target_id, detail=_readable_detail(r.detail),
            )
            for r in uow.audit.recent(actor.store_id, limit)
        ]


def _readable_detail(detail: str) -> str:
    # Stored as canonical JSON for the hash chain; people read "key: value" pairs.
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    return "，".join(f"{key}: {_value_text(value)}" for key, value in data.items())


def _value_text(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
