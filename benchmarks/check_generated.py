"""Check that a generated benchmark database is what the app itself would have written.

    .venv/bin/python benchmarks/check_generated.py [benchmarks/data/bench.sqlite3]

Checks: ``verify_database`` is ok; timestamps never decrease along the ledger chain; no
batch's running balance ever goes below zero; every product passes the catalogue's own
validation (``ProductSpec``) and its barcodes the GTIN check; ORM objects load (money and
time read back through the app's column types). Then, on a copy of the file, one sale is
appended through the real ``LedgerRepository.append`` and ``verify`` must still pass,
which proves the chain head, the cached balances and the stored forms continue exactly
where the app expects them.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.models import Batch, LedgerEntry, Product
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.catalogue import ProductSpec
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.services.verify import verify_database

DEFAULT_DB = Path(__file__).resolve().parent / "data" / "bench.sqlite3"
_SPEC_FIELDS = [f for f in ProductSpec.model_fields if f != "barcodes"]


def _fail(message: str) -> None:
    print(f"FAIL: {message}")
    raise SystemExit(1)


def check_raw(path: Path) -> None:
    """Timestamps and running balances, straight from the file."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    last = ""
    running: dict[int, int] = defaultdict(int)
    count = 0
    for seq, batch, qty, when in db.execute(
        "SELECT chain_seq, batch_id, quantity, occurred_at FROM ledger_entries "
        "WHERE store_id = 1 ORDER BY chain_seq"
    ):
        count += 1
        if when < last:
            _fail(f"entry {seq}: time {when} before {last}")
        last = when
        running[batch] += qty
        if running[batch] < 0:
            _fail(f"entry {seq}: batch {batch} below zero")
    barcodes = [code for (code,) in db.execute("SELECT barcode FROM product_barcodes")]
    db.close()
    print(f"ok: {count:,} entries in time order, no batch ever below zero")
    from pharmacy_pos.domain.ids import validate_barcode

    for code in barcodes:
        validate_barcode(code)
    print(f"ok: {len(barcodes):,} barcodes pass the GTIN check")


def check_orm(factory: UnitOfWorkFactory) -> None:
    """Products validate as catalogue rows; ORM loads money and time."""
    with factory(readonly=True) as uow:
        products = uow.products.all()
        coded = 0
        for product in products:
            values = {f: getattr(product, f) for f in _SPEC_FIELDS}
            values["med_list_codg"] = product.med_list_codg or ""
            # stored at scale 4 (UnitPrice); the catalogue file form has 2 decimals
            price = product.retail_price.quantize(Decimal("0.01"))
            if price != product.retail_price:
                _fail(f"{product.item_code}: retail price {product.retail_price}")
            values["retail_price"] = price
            ProductSpec(**values, barcodes=tuple(b.barcode for b in product.barcodes))
            coded += bool(product.med_list_codg)
        print(f"ok: {len(products):,} products validate ({coded / len(products):.0%} with a "
              "national code)")
        entry = uow.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id.desc())).first()
        assert entry is not None
        assert isinstance(entry.amount, Decimal)
        assert entry.occurred_at.tzinfo is not None
        batch = uow.session.get(Batch, entry.batch_id)
        assert batch is not None
        assert isinstance(batch.purchase_price, Decimal)
        print(f"ok: ORM reads entry {entry.id}: {entry.entry_type.value} {entry.quantity} "
              f"amount {entry.amount} at {entry.occurred_at.isoformat()}")


def check_append(path: Path) -> None:
    """Append one sale through the real repository on a copy, then verify again."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        shutil.copyfile(path, copy)
        engine = make_engine(f"sqlite:///{copy}")
        factory = UnitOfWorkFactory(engine)
        with factory() as uow:
            row = uow.session.execute(
                select(Batch, Product)
                .join(Product, Product.id == Batch.product_id)
                .where(Batch.status == BatchStatus.SELLABLE)
                .order_by(Batch.id.desc())
            ).first()
            assert row is not None
            batch, product = row
            have = uow.ledger.cached_balance_of(batch.id) or 0
            if have < product.units_per_pack:
                _fail(f"newest batch {batch.id} has no stock to sell")
            uow.ledger.append(1, [StockMovement(
                batch_id=batch.id, product_id=product.id, entry_type=LedgerEntryType.SALE_OUT,
                quantity=-product.units_per_pack, unit_cost=batch.purchase_price,
                units_per_pack=product.units_per_pack, doc_type="sale", doc_no="CHECK-1",
            )], operator_id=1, occurred_at=datetime.now(UTC))
            uow.commit()
        report = verify_database(factory)
        engine.dispose()
        if not report.ok:
            _fail("after a real append: " + "; ".join(report.problems()))
        print("ok: a sale appended by LedgerRepository.append continues the chain; verify ok")


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_DB
    if not path.exists():
        _fail(f"{path} does not exist; run benchmarks/generate.py first")
    engine = make_engine(f"sqlite:///{path}")
    factory = UnitOfWorkFactory(engine)
    report = verify_database(factory)
    if not report.ok:
        _fail("verify: " + "; ".join(report.problems()))
    print("ok: verify_database: " + ", ".join(f"{c.chain} {c.count:,}" for c in report.chains))
    check_raw(path)
    check_orm(factory)
    engine.dispose()
    check_append(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
