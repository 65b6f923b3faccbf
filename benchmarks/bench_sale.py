"""The till (issue 4): scan to cart line, completing a sale, rules against history size.

    .venv/bin/python benchmarks/bench_sale.py [--db benchmarks/data/bench.sqlite3]
        [--small-db benchmarks/data/bench-10k.sqlite3] [--scans 2000] [--sales 300]
        [--evaluations 10000] [--seed 2026] [--no-json]
    .venv/bin/python benchmarks/bench_sale.py --quick     # smoke run on the small DB only

Every run works on its own copy of each database (SQLite online backup into a temporary
folder): sales write, and the shared generated file is never touched. The copy is
upgraded to the head revision with the app's ``upgrade_on_start`` (the generated file
may be older), the terminal registered with ``ensure_store`` (SALE-9) and the generated
cashier (``cashier``/``Bench2026``) logged in with ``UserService.authenticate``. The
engine is ``make_engine``'s: WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE`` for writes.
The clock is fixed at 2026-11-01 09:00 store time, the day after the generated history,
and moves on 20 s after each completed sale. The policy is ``policy/default.toml``.

Measured, every call timed alone with ``time.perf_counter_ns`` (median, p95, p99, max):

- ``scan``: ``SaleService.scan(cashier, cart, barcode)`` on random (seeded) barcodes of
  products with at least one pack of sellable, unexpired stock; a new cart every 5
  scans, so each scan finds a cart of 0-4 lines and leaves one of 1-5 (a repeated
  product adds a pack to its line). One scan = read the product, pick its batches FEFO
  (``sellable_stock``), evaluate every rule over the whole cart. 50 warm-up scans.
  Target: **p95 <= 10 ms**, on the 1M-entry database.
- ``complete_insured``: ``SaleService.complete(cashier, cart, method=CASH,
  self_pay_consent=True)`` of a 5-line cart (five different non-prescription,
  non-controlled products with three packs or more in stock) with an insured person
  attached: a card read recorded (``IdentityService.record_card_read``,
  ``verify_document``, ``settlement_identity``) and ``attach_insured``, all outside the
  timing. A different person (own ID number and card) for each sale, known to the
  ``SimulatedInsurer``, so the same-day repeat-purchase check (ID-8) does not grow with
  the run. Timed: the whole call (token check, rules, pre-settle, terminal check,
  message id, settle, the one-transaction write). 5 warm-up sales.
  Target: **p95 <= 30 ms** on SQLite.
- ``complete_cash``: the same without insurance (for scale).
- ``raw_commit_floor``: the rows the service wrote for insured sales (sale, lines,
  allocations, ledger entries, payments, flags, audit record, outbox message), read
  back and inserted again with fresh ids and unique keys, one SQLAlchemy Core
  ``insert()`` executemany per table, in one write transaction on the same engine
  (``BEGIN IMMEDIATE`` .. ``COMMIT``, one fsync in WAL), into the same tables of the same
  copy (same indexes, foreign keys, triggers). What writing those rows costs at the
  least; the cached balances, chain heads and document counters the service also
  updates are not in it.
- ``complete_breakdown``: where the time of an insured ``complete`` goes, per step (a
  separate pass: the service's steps wrapped with timers), and a cProfile pass of
  ``scan`` and of ``complete`` (top entries by own time and by cumulative time).
- ``evaluate``: the pure rule engine, ``domain.rules.evaluate(lines, context, policy)``
  on 5-line carts (two prescription drugs with the prescription that covers them, three
  other products, batches as picked FEFO from the database), insurance context (paying
  through insurance, buyer identified, earlier supplies, fund paid this year). 200
  different carts, cycled; 200 warm-up calls.

History size (issue: rule evaluation must not grow with it): ``scan`` and ``evaluate``
run on the 1M-entry database and on a small one (``--small-db``, 10,092 ledger entries:
``generate.py --products 2000 --days 30 --target-entries 10000``, generated on first use,
~2 s); the report gives both and the ratio large/small.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchlib import BENCH_DIR, DEFAULT_DB, latency_summary, sqlite_url, write_result
from generate import BENCH_PASSWORD, STORE_CODE, STORE_NAME, TERMINAL
from sqlalchemy import Engine, Table, func, insert, select

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import current_revision, upgrade_on_start
from pharmacy_pos.db.models import (
    AuditRecord,
    Batch,
    LedgerEntry,
    OutboxMessage,
    Product,
    ProductBarcode,
    Sale,
    SaleAllocation,
    SaleFlag,
    SaleLine,
    SalePayment,
    StockBalance,
)
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.cart import CartContext, Prescription, PrescriptionItem
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ids import id_check_digit
from pharmacy_pos.domain.policy import IdentityPolicy, Policy, SecurityPolicy
from pharmacy_pos.domain.product import BatchStatus, ControlledCategory
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.rules import evaluate
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.ports import InsuredPerson
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.sales import ProductFacts, SaleService, TillLine
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.services.users import UserService

TARGET_SCAN_P95_MS = 10.0
TARGET_COMPLETE_P95_MS = 30.0
DEFAULT_SMALL_DB = BENCH_DIR / "data" / "bench-10k.sqlite3"
SMALL_DB_SHAPE = {"products": 2_000, "days": 30, "target": 10_000}
START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, the day after history
SALE_STEP = timedelta(seconds=20)
LINES_PER_SALE = 5
SCANS_PER_CART = 5
WARM_UP_SCANS = 50
WARM_UP_SALES = 5
WARM_UP_EVALUATIONS = 200
EVALUATION_CARTS = 200
MIN_PACKS_TO_SCAN = 1
MIN_PACKS_TO_SELL = 3
PROFILE_TOP = 12


def _summary(samples_ns: list[int]) -> dict[str, float]:
    """``latency_summary`` plus the median under the name the README uses."""
    summary = latency_summary(samples_ns)
    return {"n": summary["calls"], "median_ms": summary["p50_ms"], **summary}


def _line(name: str, s: dict[str, Any], verdict: str = "") -> None:
    print(f"  {name:<22} n {s['n']:>6,}  median {s['median_ms']:7.3f}  p95 {s['p95_ms']:7.3f}"
          f"  p99 {s['p99_ms']:7.3f}  max {s['max_ms']:7.3f} ms  {verdict}", flush=True)


# --- the database copy and the till ------------------------------------------------------

def copy_database(source: Path, folder: Path) -> Path:
    """An own copy of ``source`` (online backup: consistent even with a -wal file)."""
    target = folder / f"{source.stem}-copy.sqlite3"
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _person(n: int) -> tuple[CardRecord, InsuredPerson]:
    """Card holder ``n``: own ID number and card, employee basic insurance."""
    born = date(1950, 1, 1) + timedelta(days=(n * 37) % 18_000)
    body = f"110105{born:%Y%m%d}{n % 1000:03d}"
    ssn = body + id_check_digit(body)
    name = "测试" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "子丑寅卯辰巳午未申酉"[(n // 10) % 10]
    record = CardRecord(
        region_code="110100", card_id_code=f"110100000000{n:020d}", card_type="1",
        spec_version="2.00", issue_date=date(2020, 5, 1), expiry_date=date(2030, 5, 1),
        card_number=f"B{n:08d}", ssn=ssn, name=name, sex="1", ethnicity="01",
        birth_date=born)
    person = InsuredPerson(psn_no=f"SIM{n:010d}", certno=ssn, psn_name=name, insutype="310",
                           balc=Decimal("2000.00"), fund_paid_this_year=Decimal("0.00"))
    return record, person


class Till:
    """A terminal on a database copy: engine, services, the logged-in cashier."""

    def __init__(self, path: Path, policy: Policy, persons: int) -> None:
        self.engine: Engine = make_engine(sqlite_url(path))
        self.revision_before = current_revision(self.engine)
        started = time.perf_counter()
        upgrade_on_start(self.engine, backup_dir=None)
        self.upgrade_s = round(time.perf_counter() - started, 2)
        self.revision = current_revision(self.engine)
        self.factory = UnitOfWorkFactory(self.engine)
        self.clock = FixedClock(START)
        self.policy = policy
        store, _ = ensure_store(self.factory, self.clock, code=STORE_CODE, name=STORE_NAME,
                                operator="bench:sale", terminal_id=TERMINAL)
        self.store = store
        self.cashier = self._cashier()
        # One card holder per sale, all known to the simulated insurer from the start.
        self.cards = [_person(n) for n in range(1, persons + 1)]
        self.insurer = SimulatedInsurer(policy.insurer, [person for _, person in self.cards])
        self.sales = SaleService(self.factory, self.clock, lambda: (policy, policy.version),
                                 self.insurer, store_code=store.code)
        self.identity = IdentityService(self.factory, self.clock, IdentityPolicy())
        self.persons = 0

    def _cashier(self) -> Actor:
        users = UserService(self.factory, self.clock, SecurityPolicy())
        try:
            return users.authenticate("cashier", BENCH_PASSWORD, terminal_id=TERMINAL)
        except DomainError:
            # Not a database from generate.py: a cashier of its own, in this copy only.
            system = Actor.system(self.store.id, TERMINAL, "bench:sale")
            users.add_user(system, username="bench.cashier", display_name="基准收银员",
                           password=BENCH_PASSWORD, roles=[Role.CASHIER])
            return users.authenticate("bench.cashier", BENCH_PASSWORD, terminal_id=TERMINAL)

    def stocked_products(self) -> list[tuple[str, int, bool, bool, int]]:
        """(barcode, product id, prescription?, controlled?, whole packs) with stock."""
        today = self.clock.today()
        with self.factory(readonly=True) as uow:
            stocked = (
                select(Batch.product_id, func.sum(StockBalance.quantity).label("units"))
                .join(StockBalance, StockBalance.batch_id == Batch.id)
                .where(Batch.status == BatchStatus.SELLABLE, Batch.expiry_date > today,
                       StockBalance.quantity > 0)
                .group_by(Batch.product_id).subquery())
            rows = uow.session.execute(
                select(ProductBarcode.barcode, Product.id, Product.is_prescription,
                       Product.controlled_category,
                       (stocked.c.units / Product.units_per_pack).label("packs"))
                .join(Product, Product.id == ProductBarcode.product_id)
                .join(stocked, stocked.c.product_id == Product.id)
                .where(Product.active.is_(True),
                       stocked.c.units >= MIN_PACKS_TO_SCAN * Product.units_per_pack)
                .order_by(ProductBarcode.barcode)).all()
        return [(r.barcode, r.id, bool(r.is_prescription),
                 r.controlled_category is not ControlledCategory.NONE, int(r.packs))
                for r in rows]

    def attach_new_person(self, cart: Any) -> None:
        record, _holder = self.cards[self.persons]
        self.persons += 1
        check = self.identity.record_card_read(self.cashier, record, source="pcsc")
        self.identity.verify_document(self.cashier, check.read_id, id_number=record.ssn,
                                      name=record.name, record=record)
        identity = self.identity.settlement_identity(self.cashier, read_id=check.read_id)
        self.sales.attach_insured(self.cashier, cart, identity)

    def dispose(self) -> None:
        self.engine.dispose()


# --- scan --------------------------------------------------------------------------------

def bench_scan(till: Till, barcodes: list[str], scans: int, rng: random.Random) -> dict:
    sales, cashier = till.sales, till.cashier
    codes = [rng.choice(barcodes) for _ in range(WARM_UP_SCANS + scans)]
    samples: list[int] = []
    lines_before: dict[int, list[int]] = defaultdict(list)
    clock = time.perf_counter_ns
    cart = sales.new_cart(cashier)
    for i, code in enumerate(codes):
        if i % SCANS_PER_CART == 0:
            cart = sales.new_cart(cashier)
        before = len(cart.lines)
        started = clock()
        sales.scan(cashier, cart, code)
        elapsed = clock() - started
        if i >= WARM_UP_SCANS:
            samples.append(elapsed)
            lines_before[before].append(elapsed)
    by_lines = {f"{n}_lines_before": round(statistics.median(v) / 1e6, 4)
                for n, v in sorted(lines_before.items())}
    return {**_summary(samples), "median_ms_by_cart_size": by_lines}


# --- complete ----------------------------------------------------------------------------

def _fill_cart(till: Till, pool: list[str], rng: random.Random) -> Any:
    cart = till.sales.new_cart(till.cashier)
    for code in rng.sample(pool, LINES_PER_SALE):
        till.sales.scan(till.cashier, cart, code)
    return cart


def bench_complete(till: Till, pool: list[str], count: int, rng: random.Random, *,
                   insured: bool, wrap: Callable[[Till], None] | None = None,
                   profile: cProfile.Profile | None = None) -> dict[str, Any]:
    """``count`` 5-line sales; returns timings and the doc numbers written."""
    sales, cashier = till.sales, till.cashier
    samples: list[int] = []
    docs: list[str] = []
    refused: dict[str, int] = defaultdict(int)
    clock = time.perf_counter_ns
    warm = WARM_UP_SALES if profile is None and wrap is None else 0
    done = 0
    attempts = 0
    while done < warm + count:
        attempts += 1
        if attempts > 3 * (warm + count) + 20:
            raise SystemExit(f"too many refused sales: {dict(refused)}")
        cart = _fill_cart(till, pool, rng)
        if insured:
            till.attach_new_person(cart)
        if cart.blocked:
            refused[",".join(sorted({f.rule_id for f in cart.findings if f.blocks}))] += 1
            continue
        try:
            if profile is not None:
                profile.enable()
            started = clock()
            sold = sales.complete(cashier, cart, method=PaymentMethod.CASH,
                                  self_pay_consent=True)
            elapsed = clock() - started
        except DomainError as exc:
            refused[exc.rule_id or "?"] += 1
            continue
        finally:
            if profile is not None:
                profile.disable()
        till.clock.advance(seconds=SALE_STEP.total_seconds())
        if insured and not sold.setl_id:
            raise SystemExit("an insured sale was not settled with the insurer")
        if done >= warm:
            samples.append(elapsed)
            docs.append(sold.doc_no)
        done += 1
    return {"samples": samples, "docs": docs, "refused": dict(refused)}


def rows_written(engine: Engine, docs: list[str]) -> dict[str, Any]:
    """Rows per sale the service wrote, per table (mean, min, max)."""
    counts: dict[str, list[int]] = defaultdict(list)
    for template in sale_rows(engine, docs):
        for name, rows in template.items():
            counts[name].append(len(rows))
    return {name: {"mean": round(statistics.fmean(v), 2), "min": min(v), "max": max(v)}
            for name, v in counts.items()}


# --- the raw commit floor ----------------------------------------------------------------

TABLES: dict[str, Table] = {
    "sales": Sale.__table__, "sale_lines": SaleLine.__table__,
    "ledger_entries": LedgerEntry.__table__, "sale_allocations": SaleAllocation.__table__,
    "sale_payments": SalePayment.__table__, "sale_flags": SaleFlag.__table__,
    "audit_log": AuditRecord.__table__, "outbox_messages": OutboxMessage.__table__,
}


def sale_rows(engine: Engine, docs: list[str]) -> list[dict[str, list[dict[str, Any]]]]:
    """Every row a completed sale consists of, per table, as Core rows (dicts)."""
    t = TABLES
    out = []
    with engine.connect() as conn:
        for doc in docs:
            sale = conn.execute(select(t["sales"]).where(t["sales"].c.doc_no == doc)).one()
            sale_id = sale._mapping["id"]
            lines = conn.execute(select(t["sale_lines"])
                                 .where(t["sale_lines"].c.sale_id == sale_id)).all()
            line_ids = [r._mapping["id"] for r in lines]
            allocations = conn.execute(select(t["sale_allocations"]).where(
                t["sale_allocations"].c.sale_line_id.in_(line_ids))).all()
            entry_ids = [r._mapping["ledger_entry_id"] for r in allocations]
            rows = {
                "sales": [sale],
                "sale_lines": lines,
                # by id: the ledger has no index on doc_no
                "ledger_entries": conn.execute(select(t["ledger_entries"]).where(
                    t["ledger_entries"].c.id.in_(entry_ids))).all(),
                "sale_allocations": allocations,
                "sale_payments": conn.execute(select(t["sale_payments"]).where(
                    t["sale_payments"].c.sale_id == sale_id)).all(),
                "sale_flags": conn.execute(select(t["sale_flags"]).where(
                    t["sale_flags"].c.sale_id == sale_id)).all(),
                "audit_log": conn.execute(select(t["audit_log"]).where(
                    t["audit_log"].c.action == "sale.complete",
                    t["audit_log"].c.target_id == doc)).all(),
                "outbox_messages": conn.execute(select(t["outbox_messages"]).where(
                    t["outbox_messages"].c.doc_no == doc)).all(),
            }
            out.append({name: [dict(r._mapping) for r in value] for name, value in rows.items()})
    return out


class _Ids:
    """Fresh ids and chain positions for re-inserted rows."""

    def __init__(self, engine: Engine) -> None:
        with engine.connect() as conn:
            self.next = {name: (conn.scalar(select(func.max(table.c.id))) or 0) + 1
                         for name, table in TABLES.items()}
            self.ledger_seq = conn.scalar(select(func.max(LedgerEntry.chain_seq))) or 0
            self.audit_seq = conn.scalar(select(func.max(AuditRecord.chain_seq))) or 0

    def take(self, name: str) -> int:
        value = self.next[name]
        self.next[name] += 1
        return value


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def floor_rows(template: dict[str, list[dict[str, Any]]], ids: _Ids, n: int,
               ) -> dict[str, list[dict[str, Any]]]:
    """The template sale's rows with new ids, document number, token, chain positions."""
    for name in TABLES:
        assert [c.name for c in TABLES[name].primary_key.columns] == ["id"], name
    sale = dict(template["sales"][0])
    doc = f"{sale['doc_no'][:32]}-F{n:05d}"
    sale.update(id=ids.take("sales"), doc_no=doc, client_token=uuid.uuid4().hex)
    line_id: dict[int, int] = {}
    lines = []
    for row in template["sale_lines"]:
        new = dict(row, id=ids.take("sale_lines"), sale_id=sale["id"])
        line_id[row["id"]] = new["id"]
        lines.append(new)
    entry_id: dict[int, int] = {}
    entries = []
    for row in template["ledger_entries"]:
        ids.ledger_seq += 1
        new = dict(row, id=ids.take("ledger_entries"), chain_seq=ids.ledger_seq, doc_no=doc,
                   prev_hash=_hash(doc, ids.ledger_seq - 1),
                   entry_hash=_hash(doc, ids.ledger_seq))
        entry_id[row["id"]] = new["id"]
        entries.append(new)
    allocations = [dict(row, id=ids.take("sale_allocations"),
                        sale_line_id=line_id[row["sale_line_id"]],
                        ledger_entry_id=entry_id[row["ledger_entry_id"]])
                   for row in template["sale_allocations"]]
    payments = [dict(row, id=ids.take("sale_payments"), sale_id=sale["id"])
                for row in template["sale_payments"]]
    flags = [dict(row, id=ids.take("sale_flags"), sale_id=sale["id"])
             for row in template["sale_flags"]]
    audits = []
    for row in template["audit_log"]:
        ids.audit_seq += 1
        audits.append(dict(row, id=ids.take("audit_log"), chain_seq=ids.audit_seq,
                           target_id=doc, prev_hash=_hash("a", ids.audit_seq - 1),
                           entry_hash=_hash("a", ids.audit_seq)))
    outbox = [dict(row, id=ids.take("outbox_messages"), doc_no=doc, msgid=uuid.uuid4().hex)
              for row in template["outbox_messages"]]
    return {"sales": [sale], "sale_lines": lines, "ledger_entries": entries,
            "sale_allocations": allocations, "sale_payments": payments, "sale_flags": flags,
            "audit_log": audits, "outbox_messages": outbox}


def bench_floor(engine: Engine, templates: list[dict[str, list[dict[str, Any]]]],
                count: int) -> dict[str, Any]:
    """One write transaction of Core executemany inserts per sale, timed begin..commit."""
    ids = _Ids(engine)
    warm = WARM_UP_SALES
    batches = [floor_rows(templates[i % len(templates)], ids, i) for i in range(warm + count)]
    samples: list[int] = []
    rows_per_sale: list[int] = []
    clock = time.perf_counter_ns
    for i, rows in enumerate(batches):
        started = clock()
        with engine.begin() as conn:
            for name, table in TABLES.items():
                if rows[name]:
                    conn.execute(insert(table), rows[name])
        elapsed = clock() - started
        if i >= warm:
            samples.append(elapsed)
            rows_per_sale.append(sum(len(v) for v in rows.values()))
    return {**_summary(samples), "rows_per_sale_mean": round(statistics.fmean(rows_per_sale), 2)}


# --- where the time of complete goes -----------------------------------------------------

_STEPS = {
    # attribute of SaleService (or of its insurer) -> step name
    "_evaluate": "rules (_evaluate)",
    "_require_terminal": "terminal check (read)",
    "_msgid": "message id (own write txn)",
    "_write_sale": "write sale (one txn)",
}
_INSURER_STEPS = {"pre_settle": "insurer pre_settle", "settle": "insurer settle"}


def bench_breakdown(till: Till, pool: list[str], count: int, rng: random.Random,
                    ) -> dict[str, Any]:
    """Per-step medians of ``complete`` (insured), the steps wrapped with timers."""
    spent: dict[str, list[int]] = defaultdict(list)
    current: dict[str, int] = defaultdict(int)
    clock = time.perf_counter_ns

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                current[name] += clock() - started
        return wrapper

    sales, insurer = till.sales, till.insurer
    for attr, name in _STEPS.items():
        setattr(sales, attr, timed(name, getattr(sales, attr)))
    for attr, name in _INSURER_STEPS.items():
        setattr(insurer, attr, timed(name, getattr(insurer, attr)))
    original_uow = sales._uow

    def counting_uow(*args: Any, **kwargs: Any) -> Any:
        current["units of work"] += 1
        return original_uow(*args, **kwargs)

    sales._uow = counting_uow
    totals: list[int] = []
    units: list[int] = []
    try:
        attempts = 0
        while len(totals) < count and attempts < 3 * count + 20:
            attempts += 1
            cart = _fill_cart(till, pool, rng)
            till.attach_new_person(cart)
            if cart.blocked:  # a product sold out during the run (SALE-5)
                continue
            current.clear()
            started = clock()
            try:
                sales.complete(till.cashier, cart, method=PaymentMethod.CASH,
                               self_pay_consent=True)
            except DomainError:
                continue
            totals.append(clock() - started)
            till.clock.advance(seconds=SALE_STEP.total_seconds())
            units.append(current.pop("units of work", 0))
            for name in list(_STEPS.values()) + list(_INSURER_STEPS.values()):
                spent[name].append(current.get(name, 0))
    finally:
        for attr in _STEPS:
            delattr(sales, attr)
        for attr in _INSURER_STEPS:
            delattr(insurer, attr)
        sales._uow = original_uow
    total = statistics.median(totals)
    steps = {name: round(statistics.median(v) / 1e6, 3) for name, v in spent.items()}
    rest = total - sum(statistics.median(v) for v in spent.values())
    return {"sales": count, "median_total_ms": round(total / 1e6, 3),
            "median_ms_by_step": steps, "rest_ms": round(rest / 1e6, 3),
            "units_of_work_per_complete": statistics.median(units),
            "write_transactions_per_complete": 2}


def top_entries(profile: cProfile.Profile, key: str, top: int) -> list[dict[str, Any]]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    stats.sort_stats(key)
    out = []
    for func_key in stats.fcn_list[:top]:  # type: ignore[attr-defined]
        _cc, nc, tt, ct, _callers = stats.stats[func_key]  # type: ignore[attr-defined]
        filename, line, name = func_key
        short = filename
        for marker in ("site-packages/", "pharmacy_pos/", "lib/python3"):
            if marker in filename:
                short = filename[filename.index(marker):]
                break
        out.append({"function": f"{short}:{line}({name})", "calls": nc,
                    "tottime_s": round(tt, 4), "cumtime_s": round(ct, 4)})
    return out


def print_profile(title: str, profile: cProfile.Profile, per: int) -> dict[str, Any]:
    result = {}
    for key in ("tottime", "cumulative"):
        entries = top_entries(profile, key, PROFILE_TOP)
        result[key] = entries
        print(f"  cProfile {title}, top {PROFILE_TOP} by {key} (ms per call of {per}):")
        for e in entries:
            print(f"    {e['tottime_s'] * 1000 / per:7.3f} own {e['cumtime_s'] * 1000 / per:7.3f}"
                  f" cum {e['calls'] / per:7.1f}x  {e['function']}")
    return result


# --- the pure rule engine ----------------------------------------------------------------

def evaluation_carts(till: Till, products: list[tuple[str, int, bool, bool, int]],
                     rng: random.Random) -> list[tuple[list[Any], CartContext]]:
    """200 carts of 5 lines (2 prescription drugs + 3 others) with an insurance context."""
    today = till.clock.today()
    rx_ids = [p for _, p, rx, ctl, _packs in products if rx and not ctl]
    other_ids = [p for _, p, rx, ctl, _packs in products if not rx and not ctl]
    carts = []
    sales = till.sales
    with till.factory(readonly=True) as uow:
        for _ in range(EVALUATION_CARTS):
            chosen = rng.sample(rx_ids, 2) + rng.sample(other_ids, 3)
            rows = uow.sales.products_by_ids(chosen)
            tills = []
            for pid in chosen:
                facts = ProductFacts.of(rows[pid])
                units = facts.units_per_pack * rng.choice((1, 1, 2))
                picking = sales._pick(uow, till.cashier, facts, units)
                tills.append(TillLine(facts, units, picking))
            lines = [cl for t in tills for cl in t.cart_lines()]
            rx = Prescription(
                issue_date=today - timedelta(days=1),
                items=tuple(PrescriptionItem(t.product.item_code, t.quantity, 7)
                            for t in tills[:2]),
                external=True, patient_name="测试甲子", diagnosis="高血压")
            context = CartContext(
                today=today, pay_with_insurance=True, prescription=rx, buyer_id_recorded=True,
                supply_covered_until={tills[0].product.item_code: today - timedelta(days=3)},
                insured_total_this_year=Decimal("1234.50"))
            carts.append((lines, context))
    return carts


def bench_evaluate(carts: list[tuple[list[Any], CartContext]], policy: Policy,
                   count: int) -> dict[str, Any]:
    clock = time.perf_counter_ns
    samples: list[int] = []
    findings = 0
    for i in range(WARM_UP_EVALUATIONS + count):
        lines, context = carts[i % len(carts)]
        started = clock()
        result = evaluate(lines, context, policy)
        elapsed = clock() - started
        if i >= WARM_UP_EVALUATIONS:
            samples.append(elapsed)
            findings += len(result)
    summary = _summary(samples)
    return {**summary, "median_us": round(summary["median_ms"] * 1000, 1),
            "p95_us": round(summary["p95_ms"] * 1000, 1),
            "findings_per_call": round(findings / count, 2)}


# --- one database --------------------------------------------------------------------------

def ledger_entries(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(LedgerEntry.__table__)) or 0


def run_database(label: str, source: Path, policy: Policy, args: argparse.Namespace, *,
                 sales_too: bool) -> dict[str, Any]:
    rng = random.Random(f"{args.seed}/{label}")
    with tempfile.TemporaryDirectory(prefix="bench-sale-") as folder:
        started = time.perf_counter()
        path = copy_database(source, Path(folder))
        copied = time.perf_counter() - started
        till = Till(path, policy, persons=8 * args.sales + 200)
        try:
            entries = ledger_entries(till.engine)
            products = till.stocked_products()
            barcodes = [code for code, *_ in products]
            print(f"{label}: {source.name}, {entries:,} ledger entries, {len(barcodes):,} "
                  f"barcodes with stock; copied in {copied:.1f} s, schema "
                  f"{till.revision_before} -> {till.revision} ({till.upgrade_s} s)", flush=True)
            result: dict[str, Any] = {
                "db": str(source), "ledger_entries": entries, "stocked_barcodes": len(barcodes),
                "revision_before": till.revision_before, "revision": till.revision,
            }
            result["scan"] = scan = bench_scan(till, barcodes, args.scans, rng)
            _line("scan", scan, "met" if scan["p95_ms"] <= TARGET_SCAN_P95_MS else "NOT met")
            carts = evaluation_carts(till, products, rng)
            result["evaluate"] = ev = bench_evaluate(carts, policy, args.evaluations)
            _line("evaluate (pure)", ev, f"({ev['findings_per_call']} findings per call)")
            if sales_too:
                result.update(run_sales(till, products, args, rng))
        finally:
            till.dispose()
    return result


def run_sales(till: Till, products: list[tuple[str, int, bool, bool, int]],
              args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    pool = [code for code, _pid, rx, controlled, packs in products
            if not rx and not controlled and packs >= MIN_PACKS_TO_SELL]
    out: dict[str, Any] = {}
    insured = bench_complete(till, pool, args.sales, rng, insured=True)
    out["complete_insured"] = s = {**_summary(insured["samples"]),
                                   "refused": insured["refused"]}
    _line("complete insured", s,
          "met" if s["p95_ms"] <= TARGET_COMPLETE_P95_MS else "NOT met")
    cash = bench_complete(till, pool, args.sales, rng, insured=False)
    out["complete_cash"] = c = {**_summary(cash["samples"]), "refused": cash["refused"]}
    _line("complete cash", c, "(scale)")
    out["rows_per_insured_sale"] = rows_written(till.engine, insured["docs"])
    print("  rows per insured sale: " + ", ".join(
        f"{name} {v['mean']:g}" for name, v in out["rows_per_insured_sale"].items()))
    breakdown_count = max(10, args.sales // 3)
    out["complete_breakdown"] = b = bench_breakdown(till, pool, breakdown_count, rng)
    print(f"  breakdown of complete (median ms of {b['sales']} insured sales, total "
          f"{b['median_total_ms']:.3f}): " + ", ".join(
              f"{k} {v:.3f}" for k, v in b["median_ms_by_step"].items())
          + f", rest {b['rest_ms']:.3f}; {b['units_of_work_per_complete']:g} units of work")
    per = max(10, args.sales // 5)
    scan_profile = cProfile.Profile()
    barcodes = [code for code, *_ in products]
    cart = till.sales.new_cart(till.cashier)
    for i in range(per * SCANS_PER_CART):
        if i % SCANS_PER_CART == 0:
            cart = till.sales.new_cart(till.cashier)
        code = rng.choice(barcodes)
        scan_profile.enable()
        till.sales.scan(till.cashier, cart, code)
        scan_profile.disable()
    complete_profile = cProfile.Profile()
    bench_complete(till, pool, per, rng, insured=True, profile=complete_profile)
    out["profile"] = {
        "scan": {"calls": per * SCANS_PER_CART,
                 **print_profile("scan", scan_profile, per * SCANS_PER_CART)},
        "complete_insured": {"calls": per,
                             **print_profile("complete insured", complete_profile, per)},
    }
    # Last: these rows take chain positions past the chain heads the service keeps.
    templates = sale_rows(till.engine, insured["docs"][:50])
    out["raw_commit_floor"] = f = bench_floor(till.engine, templates, args.sales)
    _line("raw commit floor", f, f"({f['rows_per_sale_mean']:g} rows per commit)")
    ratio = round(s["median_ms"] / f["median_ms"], 1)
    out["complete_insured_over_floor_median"] = ratio
    print(f"  complete insured / raw commit: {ratio}x (median)")
    return out


def ensure_small_db(path: Path, seed: int) -> None:
    if path.exists():
        return
    from generate import generate

    print(f"generating {path} ({SMALL_DB_SHAPE}) ...", flush=True)
    generate(path, seed=seed, products=SMALL_DB_SHAPE["products"],
             days=SMALL_DB_SHAPE["days"], target=SMALL_DB_SHAPE["target"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="till benchmark (issue 4)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--small-db", type=Path, default=DEFAULT_SMALL_DB)
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: the small database only, few calls, no results file")
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    ensure_small_db(args.small_db, args.seed)
    if args.quick:
        args.scans, args.sales, args.evaluations = 100, 12, 500
        args.no_json = True
        result = run_database("small", args.small_db, policy, args, sales_too=True)
        print("quick run: figures not recorded")
        return 0 if result["scan"]["n"] else 1
    if not args.db.exists():
        print(f"{args.db} is missing: run benchmarks/generate.py first", file=sys.stderr)
        return 2
    large = run_database("large", args.db, policy, args, sales_too=True)
    small = run_database("small", args.small_db, policy, args, sales_too=False)
    growth = {
        "scan_p95_ratio": round(large["scan"]["p95_ms"] / small["scan"]["p95_ms"], 2),
        "scan_median_ratio": round(large["scan"]["median_ms"] / small["scan"]["median_ms"], 2),
        "evaluate_median_ratio": round(
            large["evaluate"]["median_ms"] / small["evaluate"]["median_ms"], 2),
        "evaluate_p95_ratio": round(large["evaluate"]["p95_ms"] / small["evaluate"]["p95_ms"],
                                    2),
    }
    print(f"history {large['ledger_entries']:,} vs {small['ledger_entries']:,} ledger entries:"
          f" scan median x{growth['scan_median_ratio']}, p95 x{growth['scan_p95_ratio']};"
          f" evaluate median x{growth['evaluate_median_ratio']},"
          f" p95 x{growth['evaluate_p95_ratio']}")
    scan_met = large["scan"]["p95_ms"] <= TARGET_SCAN_P95_MS
    complete_met = large["complete_insured"]["p95_ms"] <= TARGET_COMPLETE_P95_MS
    print(f"target scan p95 <= {TARGET_SCAN_P95_MS:g} ms: {'met' if scan_met else 'NOT met'};"
          f" complete p95 <= {TARGET_COMPLETE_P95_MS:g} ms: "
          f"{'met' if complete_met else 'NOT met'}")
    if not args.no_json:
        write_result("sale", {
            "seed": args.seed, "scans": args.scans, "sales": args.sales,
            "evaluations": args.evaluations, "warm_up": {
                "scans": WARM_UP_SCANS, "sales": WARM_UP_SALES,
                "evaluations": WARM_UP_EVALUATIONS},
            "targets": {"scan_p95_ms": TARGET_SCAN_P95_MS,
                        "complete_p95_ms": TARGET_COMPLETE_P95_MS},
            "scan_target_met": scan_met, "complete_target_met": complete_met,
            "large": large, "small": small, "history_growth": growth,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
