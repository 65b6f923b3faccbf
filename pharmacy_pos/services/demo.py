"""Demo data for training and trying the app: a store, one user per role, ~200 products,
suppliers and batches with varied expiry (expired, near-expiry, long-dated), all stock
received through the ledger like real deliveries. Reproducible from a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from pharmacy_pos.db.models import Batch, Supplier, User, UserRole
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import CatalogueService
from pharmacy_pos.services.passwords import hash_password
from pharmacy_pos.services.setup import ensure_store

UowFactory = Callable[..., UnitOfWork]
DEMO_STORE_NAME = "演示大药房（定点零售药店）"
DEMO_PASSWORD = "Demo2026"  # noqa: S105 - printed for trainees; demo databases only

# (username, name, roles, pharmacist qualification number)
DEMO_USERS: tuple[tuple[str, str, tuple[Role, ...], str], ...] = (
    ("cashier", "王芳", (Role.CASHIER,), ""),
    ("pharmacist", "李明", (Role.PHARMACIST,), "ZY00112233"),
    ("pharmacist2", "周婷", (Role.PHARMACIST, Role.CASHIER), "ZY00445566"),
    ("inspector", "张伟", (Role.QUALITY_INSPECTOR,), ""),
    ("manager", "刘洋", (Role.STORE_MANAGER,), ""),
    ("auditor", "陈静", (Role.AUDITOR,), ""),
    ("admin", "赵磊", (Role.ADMINISTRATOR,), ""),
)

# (name, unified credit code, licence number, licence valid for days from today)
DEMO_SUPPLIERS = (
    ("国药控股北京有限公司", "91110000101123456X", "京AA0100123", 900),
    ("九州通医药集团股份有限公司", "91420000177594516F", "鄂AA0270014", 700),
    ("华润医药商业集团有限公司", "91110000600063689Q", "京AA0100456", 500),
    ("上海医药分销控股有限公司", "91310000132231234K", "沪AA0210088", 365),
    ("某市康达医药有限公司（许可证已过期）", "91440300MA5F123456", "粤AA7550321", -30),
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo loader created."""

    users: int
    products: int
    suppliers: int
    batches: int
    ledger_entries: int
    expired_batches: int
    near_expiry_batches: int


def prepare_demo_store(
    uow_factory: UowFactory, clock: Clock, *, store_code: str, terminal_id: str, operator: str,
    catalogue: Path, seed: int = 2026,
) -> DemoSummary:
    """Create the demo store (if missing) and fill it with demo data.

    Raises:
        DomainError: the database already holds products.
    """
    store, _ = ensure_store(uow_factory, clock, code=store_code, name=DEMO_STORE_NAME,
                            operator=operator, terminal_id=terminal_id)
    actor = Actor.system(store.id, terminal_id, operator)
    return load_demo(uow_factory, clock, actor, catalogue=catalogue, seed=seed)


def load_demo(
    uow_factory: UowFactory, clock: Clock, actor: Actor, *, catalogue: Path, seed: int = 2026,
) -> DemoSummary:
    """Fill an empty store with demo data.

    Raises:
        DomainError: the database already holds products or more than one user.
    """
    with uow_factory(readonly=True) as uow:
        if uow.products.count() or uow.batches.count():
            raise DomainError("数据库中已有商品数据，演示数据只能载入空数据库")
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    imported = CatalogueService(uow_factory, clock).import_file(actor, catalogue)
    today = clock.today()
    now = clock.now()
    with uow_factory() as uow:
        inspector_id = _add_users(uow, actor, now)
        suppliers = _add_suppliers(uow, actor, today, now)
        valid_suppliers = [s for s in suppliers if s.licence_expiry >= today]
        receipts = _plan_batches(uow, rng, today, valid_suppliers, actor.store_id)
        expired = near = entries = 0
        for received_on, doc_no, batch, packs, units_per_pack in sorted(
            receipts, key=lambda r: (r[0], r[1])
        ):
            uow.batches.add(batch)
            received_at = datetime.combine(received_on, time(9, 30), STORE_ZONE)
            uow.ledger.append(
                actor.store_id,
                [StockMovement(
                    batch_id=batch.id, product_id=batch.product_id,
                    entry_type=LedgerEntryType.PURCHASE_IN,
                    quantity=packs * units_per_pack, unit_cost=batch.purchase_price,
                    units_per_pack=units_per_pack, doc_type="purchase_receipt",
                    doc_no=doc_no, note="演示数据",
                )],
                operator_id=inspector_id,
                occurred_at=received_at,
            )
            entries += 1
            expired += batch.expiry_date < today
            near += today <= batch.expiry_date <= today + timedelta(days=90)
        audit.record(uow, actor, "demo.load", at=now, detail={
            "seed": seed, "products": imported.total, "batches": len(receipts),
        })
        uow.commit()
    return DemoSummary(
        users=len(DEMO_USERS), products=imported.total, suppliers=len(suppliers),
        batches=len(receipts), ledger_entries=entries, expired_batches=expired,
        near_expiry_batches=near,
    )


def _add_users(uow: UnitOfWork, actor: Actor, now: datetime) -> int:
    inspector_id = 0
    for username, name, roles, qualification in DEMO_USERS:
        if uow.users.by_username(username) is not None:
            raise DomainError(f"用户“{username}”已存在，演示数据只能载入新数据库")
        user = uow.users.add(User(
            store_id=actor.store_id, username=username, display_name=name,
            password_hash=hash_password(DEMO_PASSWORD),
            pharmacist_qualification_no=qualification, failed_logins=0, frozen_reason="",
            password_changed_at=now, created_at=now,
            roles=[UserRole(role=r) for r in roles],
        ))
        audit.record(uow, actor, "user.add", at=now, target_type="user", target_id=user.id,
                     detail={"username": username, "roles": list(roles), "demo": True})
        if Role.QUALITY_INSPECTOR in roles:
            inspector_id = user.id
    return inspector_id


def _add_suppliers(uow: UnitOfWork, actor: Actor, today: date, now: datetime) -> list[Supplier]:
    suppliers = []
    for name, credit, licence, days in DEMO_SUPPLIERS:
        supplier = uow.suppliers.add(Supplier(
            name=name, credit_code=credit, licence_no=licence,
            licence_expiry=today + timedelta(days=days), contact="", phone="", created_at=now,
        ))
        audit.record(uow, actor, "supplier.add", at=now, target_type="supplier",
                     target_id=supplier.id, detail={"name": name, "licence_no": licence})
        suppliers.append(supplier)
    return suppliers


def _plan_batches(
    uow: UnitOfWork, rng: random.Random, today: date, suppliers: list[Supplier],
    store_id: int,
) -> list[tuple[date, str, Batch, int, int]]:
    plans = []
    for product in uow.products.all():
        for index in range(rng.choice((1, 1, 2, 2, 3))):
            roll = rng.random()
            if roll < 0.06:
                expiry = today - timedelta(days=rng.randint(1, 120))
            elif roll < 0.18:
                expiry = today + timedelta(days=rng.randint(1, 90))
            else:
                expiry = today + timedelta(days=rng.randint(180, 1080))
            shelf_life = timedelta(days=rng.choice((730, 1095, 1095, 1460)))
            manufactured = min(expiry - shelf_life, today - timedelta(days=30))
            received = min(today - timedelta(days=rng.randint(1, 180)),
                           max(manufactured + timedelta(days=20), today - timedelta(days=400)))
            status = BatchStatus.EXPIRED if expiry < today else (
                BatchStatus.AWAITING_ACCEPTANCE if rng.random() < 0.03 else BatchStatus.SELLABLE
            )
            ratio = Decimal(rng.randint(55, 80)) / 100
            cost = (product.retail_price * ratio).quantize(Decimal("0.01"))
            supplier = rng.choice(suppliers)
            batch = Batch(
                store_id=store_id, product_id=product.id,
                supplier_id=supplier.id,
                lot_no=f"{manufactured:%y%m%d}{rng.randint(10, 99)}{index}",
                manufacture_date=manufactured, expiry_date=expiry,
                purchase_price=max(cost, Decimal("0.01")), status=status,
                created_at=datetime.combine(received, time(9, 30), STORE_ZONE),
            )
            doc_no = f"DEMO-RK-{received:%Y%m%d}-{supplier.id:02d}"
            plans.append((received, doc_no, batch, rng.randint(3, 60), product.units_per_pack))
    return plans
