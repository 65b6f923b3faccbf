"""Product lookup latency by barcode and by national code, through the real repository.

    .venv/bin/python benchmarks/bench_lookup.py [--db benchmarks/data/bench.sqlite3]
        [--lookups 10000] [--seed 2026]

Each lookup is ``uow.products.by_barcode(code)`` (or ``by_national_code``) in a read-only
unit of work, ``UnitOfWorkFactory(engine)(readonly=True)``, over the generated catalogue;
the codes are drawn at random (seeded, with replacement) from those in the database, so
every lookup is a hit. Each call is timed alone with ``time.perf_counter_ns``.

Two modes:
- ``uow_per_lookup``: every lookup opens its own unit of work and closes it (session,
  ``BEGIN``, the query, rollback, close): what a till does when each scan is its own use
  case.
- ``one_open_uow``: all lookups inside one open unit of work: the query alone.

For scale, ``sqlite3_floor`` runs the same query through a plain ``sqlite3`` connection
(no SQLAlchemy): what the database itself costs. It is not judged against the target.

200 lookups warm each mode up first (statement compilation, connection pool, page
cache) and are not counted. Target: p95 of 1 ms or less.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import DEFAULT_DB, latency_summary, sqlite_url, write_result
from sqlalchemy import select

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.models import Product, ProductBarcode
from pharmacy_pos.db.uow import UnitOfWork, UnitOfWorkFactory

TARGET_P95_MS = 1.0
WARM_UP = 200

Lookup = Callable[[UnitOfWork, str], Product | None]


def by_barcode(uow: UnitOfWork, code: str) -> Product | None:
    return uow.products.by_barcode(code)


def by_national_code(uow: UnitOfWork, code: str) -> Product | None:
    return uow.products.by_national_code(code)


def _check(name: str | None, code: str) -> None:
    if not name:
        raise SystemExit(f"lookup of {code} found nothing")


def _name(product: Product | None) -> str | None:
    # What the till shows; read inside the unit of work (leaving it expires the object).
    return None if product is None else product.generic_name


def uow_per_lookup(factory: UnitOfWorkFactory, lookup: Lookup, codes: list[str]) -> list[int]:
    for code in codes[:WARM_UP]:
        with factory(readonly=True) as uow:
            _check(_name(lookup(uow, code)), code)
    samples = []
    clock = time.perf_counter_ns
    for code in codes:
        started = clock()
        with factory(readonly=True) as uow:
            name = _name(lookup(uow, code))
        samples.append(clock() - started)
        _check(name, code)
    return samples


def one_open_uow(factory: UnitOfWorkFactory, lookup: Lookup, codes: list[str]) -> list[int]:
    samples = []
    clock = time.perf_counter_ns
    with factory(readonly=True) as uow:
        for code in codes[:WARM_UP]:
            _check(_name(lookup(uow, code)), code)
        for code in codes:
            started = clock()
            name = _name(lookup(uow, code))
            samples.append(clock() - started)
            _check(name, code)
    return samples


def sqlite_floor(db: Path, sql: str, codes: list[str]) -> list[int]:
    """The same lookup as one plain ``sqlite3`` query: what the database itself costs."""
    connection = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    for code in codes[:WARM_UP]:
        _check(connection.execute(sql, (code,)).fetchone()[0], code)
    samples = []
    clock = time.perf_counter_ns
    for code in codes:
        started = clock()
        row = connection.execute(sql, (code,)).fetchone()
        samples.append(clock() - started)
        _check(row[0] if row else None, code)
    connection.close()
    return samples


_FLOOR_SQL = {
    "barcode": "SELECT p.generic_name, p.* FROM products p JOIN product_barcodes b "
               "ON b.product_id = p.id WHERE b.barcode = ?",
    "national_code": "SELECT generic_name, * FROM products WHERE med_list_codg = ?",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="product lookup benchmark")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} is missing: run benchmarks/generate.py first", file=sys.stderr)
        return 2
    engine = make_engine(sqlite_url(args.db))
    factory = UnitOfWorkFactory(engine)
    with factory(readonly=True) as uow:
        barcodes = list(uow.session.scalars(select(ProductBarcode.barcode)))
        national = list(uow.session.scalars(
            select(Product.med_list_codg).where(Product.med_list_codg.is_not(None))))
        products = uow.products.count()
    rng = random.Random(args.seed)
    keys: dict[str, tuple[Lookup, list[str]]] = {
        "barcode": (by_barcode, rng.choices(barcodes, k=args.lookups)),
        "national_code": (by_national_code, rng.choices(national, k=args.lookups)),
    }
    print(f"{args.lookups:,} lookups each over {products:,} products ({len(barcodes):,} "
          f"barcodes, {len(national):,} national codes)", flush=True)
    results: dict[str, Any] = {}
    met = True
    for mode_name, mode in (("uow_per_lookup", uow_per_lookup), ("one_open_uow", one_open_uow)):
        for key_name, (lookup, codes) in keys.items():
            summary = latency_summary(mode(factory, lookup, codes))
            results.setdefault(mode_name, {})[key_name] = summary
            met = met and summary["p95_ms"] <= TARGET_P95_MS
            print(f"  {mode_name:<15} by {key_name:<14} p50 {summary['p50_ms']:.3f}  "
                  f"p95 {summary['p95_ms']:.3f}  p99 {summary['p99_ms']:.3f}  "
                  f"max {summary['max_ms']:.3f} ms", flush=True)
    engine.dispose()
    for key_name, (_lookup, codes) in keys.items():
        summary = latency_summary(sqlite_floor(args.db, _FLOOR_SQL[key_name], codes))
        results.setdefault("sqlite3_floor", {})[key_name] = summary
        print(f"  {'sqlite3_floor':<15} by {key_name:<14} p50 {summary['p50_ms']:.3f}  "
              f"p95 {summary['p95_ms']:.3f}  p99 {summary['p99_ms']:.3f}  "
              f"max {summary['max_ms']:.3f} ms", flush=True)
    print(f"target p95 <= {TARGET_P95_MS} ms: {'met' if met else 'NOT met'}")
    if not args.no_json:
        write_result("lookup", {
            "products": products, "barcodes": len(barcodes), "national_codes": len(national),
            "lookups_per_case": args.lookups, "seed": args.seed, "warm_up": WARM_UP,
            "target_p95_ms": TARGET_P95_MS, "target_met": met, **results,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
