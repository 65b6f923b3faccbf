"""Several terminals on PostgreSQL (issue 9): sales per second with 4 till processes, and
proof that the contended last boxes are never oversold.

    .venv/bin/python benchmarks/bench_terminals.py [--terminals 4] [--seconds 30]
        [--products 300] [--hot-units 60] [--no-json]

A throwaway PostgreSQL server (Debian's binaries, ``tests/pg.py``) is started **with
fsync on**, as a store's server runs. The database is migrated by the app and filled
through the app's services and ledger: the shipped catalogue's OTC products (no
prescription, no special management), one batch each with ample stock, plus one "hot"
product with only ``--hot-units`` boxes. Then ``--terminals`` processes, each a
:class:`~pharmacy_pos.services.sales.SaleService` with its own cashier and terminal id,
ring cash sales for ``--seconds``: 2–4 lines of random products, and in one sale of five
the hot product too (so the terminals fight over its last boxes). Measured: completed
sales per second over all terminals (target **≥ 50/s**), per-sale latency, refusals.
Checked afterwards: the hot product's stock is 0, never negative, and exactly its boxes
were sold; ``verify_database`` is clean (hash chains, stock equations).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchlib import REPO, latency_summary, write_result
from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.models import Batch, Product, Supplier
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import SystemClock
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import CatalogueService
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.services.users import UserService
from pharmacy_pos.services.verify import verify_database
from tests.pg import PostgresServer

STORE_CODE = "H11010500001"
TARGET_PER_S = 50.0
PASSWORD = "Bench2026x"  # noqa: S105 - the generated benchmark cashiers


def prepare(url: str, terminals: int, products: int, hot_units: int) -> dict[str, object]:
    """Migrate and fill the database; returns what the terminals need."""
    engine = make_engine(url)
    upgrade_on_start(engine, backup_dir=None)
    uow = UnitOfWorkFactory(engine)
    clock = SystemClock()
    store, _ = ensure_store(uow, clock, code=STORE_CODE, name="基准测试大药房",
                            operator="bench", terminal_id="T01")
    system = Actor.system(store.id, "T01", "bench")
    CatalogueService(uow, clock).import_file(system, resource("demo", "catalogue.csv"))
    users = UserService(uow, clock, SecurityPolicy())
    cashiers = []
    for number in range(1, terminals + 1):
        info = users.add_user(system, username=f"cashier{number}", display_name=f"收银{number}",
                              password=PASSWORD, roles=[Role.CASHIER])
        cashiers.append((info.id, f"cashier{number}"))
    now = clock.now()
    with uow() as unit:
        supplier = Supplier(name="基准医药有限公司", licence_no="京AA0000009",
                            licence_expiry=date(2030, 12, 31), created_at=now)
        unit.session.add(supplier)
        unit.session.flush()
        pool = [p for p in unit.session.query(Product).all()
                if not p.is_prescription and p.controlled_category.value == "none"
                and p.barcodes][: products + 1]
        moves, barcodes = [], []
        for index, product in enumerate(pool):
            hot = index == 0
            batch = Batch(store_id=store.id, product_id=product.id, supplier_id=supplier.id,
                          lot_no=f"B{index:05d}", manufacture_date=date(2025, 1, 1),
                          expiry_date=date(2029, 1, 1), purchase_price=Decimal("5.00"),
                          status=BatchStatus.SELLABLE, created_at=now)
            unit.session.add(batch)
            unit.session.flush()
            units = (hot_units if hot else 100_000) * product.units_per_pack
            moves.append(StockMovement(
                batch_id=batch.id, product_id=product.id,
                entry_type=LedgerEntryType.PURCHASE_IN, quantity=units,
                unit_cost=Decimal("5.00"), units_per_pack=product.units_per_pack,
                doc_type="purchase", doc_no="RK-BENCH"))
            barcodes.append((product.barcodes[0].barcode, batch.id, product.units_per_pack))
        unit.ledger.append(store.id, moves, operator_id=cashiers[0][0], occurred_at=now)
        unit.commit()
    engine.dispose()
    hot_barcode, hot_batch, hot_pack = barcodes[0]
    return {"store_id": store.id, "cashiers": cashiers, "hot": hot_barcode,
            "hot_batch": hot_batch, "hot_units": hot_units * hot_pack, "hot_boxes": hot_units,
            "pool": [b for b, _, _ in barcodes[1:]]}


def terminal(url: str, setup: dict, number: int, seconds: float, go: str, out: str) -> None:
    """One till process: ring sales until the time is up, then write the figures."""
    from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
    from pharmacy_pos.domain.policy import Policy
    from pharmacy_pos.domain.sale import PaymentMethod
    from pharmacy_pos.services.sales import SaleService
    from tests.till_world import insurer

    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    engine = make_engine(url)
    sales = SaleService(UnitOfWorkFactory(engine), SystemClock(),
                        lambda: (policy, policy.version), insurer(), store_code=STORE_CODE)
    user_id, username = setup["cashiers"][number - 1]
    cashier = Actor(user_id, username, username, frozenset({Role.CASHIER}),
                    setup["store_id"], f"T{number:02d}")
    rng = random.Random(number)
    while not Path(go).exists():
        time.sleep(0.001)
    ended = time.monotonic() + seconds
    samples, refused, hot_sold, errors = [], 0, 0, []
    while time.monotonic() < ended:
        cart = sales.new_cart(cashier)
        codes = rng.sample(setup["pool"], rng.randint(2, 4))
        with_hot = rng.random() < 0.2
        if with_hot:
            codes.append(setup["hot"])
        started = time.perf_counter_ns()
        try:
            for code in codes:
                sales.scan(cashier, cart, code)
            sales.complete(cashier, cart, method=PaymentMethod.CASH)
            samples.append(time.perf_counter_ns() - started)
            hot_sold += with_hot
        except (DomainError, EnvironmentFault) as exc:
            refused += 1
            if len(errors) < 5:
                errors.append(str(exc))
    engine.dispose()
    Path(out).write_text(json.dumps({"samples": samples, "refused": refused,
                                     "hot_sold": hot_sold, "errors": errors}))


def main(argv: list[str] | None = None) -> int:
    """Run; the figures go to results/latest.json unless --no-json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--hot-units", type=int, default=60)
    parser.add_argument("--no-json", action="store_true")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        url, setup, number, go, out = args.child
        terminal(url, json.loads(Path(setup).read_text()), int(number), args.seconds, go, out)
        return 0
    server = PostgresServer()
    server.start(fsync=True)
    try:
        server.create_template("bench", lambda _url: None)
        url = server.url("bench")
        started = time.perf_counter()
        setup = prepare(url, args.terminals, args.products, args.hot_units)
        print(f"PostgreSQL (fsync on) filled in {time.perf_counter() - started:.1f} s: "
              f"{len(setup['pool']) + 1} products, hot product {setup['hot_units']} units",
              flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-terminals-") as folder:
            setup_file = Path(folder) / "setup.json"
            setup_file.write_text(json.dumps(setup))
            go = Path(folder) / "go"
            children = []
            for number in range(1, args.terminals + 1):
                out = Path(folder) / f"t{number}.json"
                children.append((out, subprocess.Popen(
                    [sys.executable, __file__, "--seconds", str(args.seconds), "--child", url,
                     str(setup_file), str(number), str(go), str(out)], cwd=REPO)))
            time.sleep(3)            # the children import and connect
            go.write_text("go")
            for _, child in children:
                if child.wait(args.seconds + 120) != 0:
                    raise SystemExit("a terminal failed")
            results = [json.loads(out.read_text()) for out, _ in children]
        samples = [s for r in results for s in r["samples"]]
        per_s = len(samples) / args.seconds
        engine = make_engine(url)
        uow = UnitOfWorkFactory(engine)
        with uow(readonly=True) as unit:
            hot_left = unit.ledger.balance_of(setup["hot_batch"])
        report = verify_database(uow)
        engine.dispose()
    finally:
        server.stop()
    hot_sold = sum(r["hot_sold"] for r in results)
    # Every sale with the hot product took one box of it.
    oversold = hot_left < 0 or hot_sold > setup["hot_boxes"] or (
        hot_left != (setup["hot_boxes"] - hot_sold) * setup["hot_units"] // setup["hot_boxes"])
    figures = {
        "terminals": args.terminals, "seconds": args.seconds, "fsync": True,
        "sales": len(samples), "sales_per_s": round(per_s, 1),
        "refused": sum(r["refused"] for r in results),
        "per_terminal": [len(r["samples"]) for r in results],
        "latency": latency_summary(samples), "hot_units": setup["hot_units"],
        "hot_sales": hot_sold, "hot_left": hot_left, "oversold": oversold,
        "verify_ok": report.ok, "refusal_examples": sorted({e for r in results
                                                            for e in r["errors"]})[:5],
        "target_met": per_s >= TARGET_PER_S and not oversold and report.ok,
        "load_average": os.getloadavg()[0], "measured": datetime.now(UTC).isoformat(),
    }
    print(f"{args.terminals} terminals, {args.seconds:g} s: {len(samples):,} sales "
          f"({per_s:.1f}/s; per terminal {figures['per_terminal']}), "
          f"{figures['refused']} refused; latency p50 {figures['latency']['p50_ms']} ms, "
          f"p95 {figures['latency']['p95_ms']} ms")
    print(f"hot product: {setup['hot_units']} units, sold in {hot_sold} sales, left "
          f"{hot_left}; verify {'clean' if report.ok else 'NOT clean'}; oversold: "
          f"{'YES' if oversold else 'no'}")
    for example in figures["refusal_examples"]:
        print(f"  refused: {example}")
    print(f"target >= {TARGET_PER_S:g} sales/s with no oversell: "
          f"{'met' if figures['target_met'] else 'NOT met'}")
    if not args.no_json:
        write_result("terminals", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
