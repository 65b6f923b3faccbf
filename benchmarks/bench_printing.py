"""Printing (issue 5): laying out and encoding a receipt, and what an offline printer
costs the till.

    .venv/bin/python benchmarks/bench_printing.py [--db benchmarks/data/bench.sqlite3]
        [--layouts 1000] [--db-sales 30] [--db-receipts 300] [--till-sales 120]
        [--rounds 3] [--seed 2026] [--no-json]
    .venv/bin/python benchmarks/bench_printing.py --quick   # smoke run on the small DB, no JSON

Every call timed alone with ``time.perf_counter_ns`` (median, p95, p99, max).

1. ``receipt_synthetic``: a :class:`~pharmacy_pos.domain.receipts.SaleReceipt` of 20 lines
   built in memory (realistic Chinese drug names, several too long for one row and
   wrapped, specifications, one or two lots, expiry, insurance class, ``[自费]`` on some,
   an insured person with fund and account payments, cash tendered and change, drawer
   kick, reviewing pharmacist), laid out by ``sale_receipt(data, columns)`` and encoded by
   ``escpos_printer.bytes_of(document)`` (python-escpos ``Dummy``, GB18030 text, native QR)
   for 58 mm (32 columns) and 80 mm (48 columns). Layout, encoding and both together are
   timed separately; 50 warm-up calls. Target: **layout + encoding <= 20 ms**.
2. ``receipt_from_db``: on an own copy of the 1M-entry database (as ``bench_sale.py``: online
   backup, ``upgrade_on_start``, ``ensure_store``, the generated cashier, fixed clock), 20-line
   cash sales of OTC products are made through ``SaleService`` (scan x 20, ``complete`` with
   cash tendered); then ``PrintService.document(cashier, "receipt", doc_no)`` (read-only
   unit of work: the sale, its lines, products, batches of each allocation, the cashier;
   then the layout) and ``bytes_of`` of it, for both paper widths. The read alone
   (``by_doc_no`` + the service's ``_receipt_data``) is timed too.
3. ``till_blocked``: "sale committed -> till ready for the next customer". Timed per sale:
   ``SaleService.complete(...)`` of a 20-line cash sale then ``PrintWorker.wake()``, with
   the worker thread running against an ``EscposPrinter`` (TCP) that is
   - ``refused``: a local port nobody listens on (``tests/devices/tcp_printer.refused_port``):
     every try fails at once with "connection refused";
   - ``hanging``: a listener that never accepts, its backlog filled
     (``TcpPrinter(accept=False).fill_backlog()``): every connect hangs until the
     printer's ``timeout_s`` (3 s, the app's default);
   - ``live``: a ``TcpPrinter`` listener that answers status queries (for information);
   versus ``none``: no printer and no worker at all, ``complete`` alone. The blocked time
   is the difference of the medians (and of the p95s) against ``none``; target
   **<= 50 ms**. The scenarios take turns in ``--rounds`` rounds (to spread the machine's
   load over all of them); each starts with an empty queue (earlier jobs dismissed), so an
   offline printer's backlog grows during a scenario as it would in a shop. The next
   cart's 20 scans run while the worker works (their time is kept too, ``next_cart_scans``:
   the worker competes for the GIL and the database). The worker's own busy time per try
   (``print_next``, ``pending``) is kept as well.
   ``live`` also gives the time from ``wake()`` to the bytes arriving at the listener:
   first byte, the cut command (the whole receipt), and the connection closed (after the
   status answer that confirms the job).

cProfile of layout + encoding (synthetic receipt, 48 columns) and of
``PrintService.document`` + ``bytes_of`` (from the database) is kept in the JSON.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import random
import socket
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench_sale import (
    DEFAULT_SMALL_DB,
    MIN_PACKS_TO_SELL,
    SALE_STEP,
    Till,
    _line,
    _summary,
    copy_database,
    ensure_small_db,
    print_profile,
)
from benchlib import DEFAULT_DB, REPO, write_result
from generate import STORE_NAME, TERMINAL

from pharmacy_pos.devices.adapters.escpos_printer import EscposPrinter, bytes_of
from pharmacy_pos.devices.ports import parse_printer_config
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.printout import Text
from pharmacy_pos.domain.receipts import (
    Payment,
    ReceiptLine,
    SaleReceipt,
    StoreHeader,
    sale_receipt,
)
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.paths import resource
from pharmacy_pos.services.printing import PrintService, PrintWorker

sys.path.insert(0, str(REPO))
from tests.devices.tcp_printer import STATUS_OK, TcpPrinter, refused_port

TARGET_LAYOUT_MS = 20.0
TARGET_BLOCKED_MS = 50.0
COLUMNS = {"58mm": 32, "80mm": 48}
LINES = 20
WARM_UP = 50
WARM_UP_SALES = 3
PRINTER_TIMEOUT_S = 3.0  # EscposPrinter's default, what the app uses
CUT = b"\x1dV"
SCENARIOS = ("none", "refused", "hanging", "live")


# --- 1. a 20-line receipt in memory -------------------------------------------------------

_DRUGS = [
    # (name, specification, insurance class)
    ("阿莫西林胶囊", "0.25g*24粒", "甲"),
    ("复方氨酚烷胺胶囊（感康）", "12粒/盒", ""),
    ("布洛芬缓释胶囊（芬必得）", "0.3g*20粒", "乙"),
    ("小儿氨酚黄那敏颗粒（儿童感冒用药，草莓味）", "6g*10袋", "乙"),
    ("蒙脱石散", "3g*10袋", "甲"),
    ("连花清瘟胶囊", "0.35g*36粒", "甲"),
    ("感冒灵颗粒", "10g*9袋", "乙"),
    ("板蓝根颗粒（无蔗糖型）", "5g*20袋", "甲"),
    ("维生素C泡腾片（橙味）", "1g*15片", ""),
    ("盐酸左西替利嗪口服溶液（儿童装）", "0.5mg/ml*60ml", "乙"),
    ("氯雷他定片", "10mg*12片", "甲"),
    ("奥美拉唑肠溶胶囊", "20mg*14粒", "甲"),
    ("复方甘草口服溶液", "100ml/瓶", "甲"),
    ("藿香正气水", "10ml*10支", "甲"),
    ("云南白药气雾剂（含保险液）", "85g+30g", "乙"),
    ("红霉素软膏", "1%*10g", "甲"),
    ("复方丹参滴丸（薄膜衣）", "27mg*180丸", "甲"),
    ("医用外科口罩（独立包装，灭菌级，成人款）", "10只/袋", ""),
    ("创可贴（防水透气型）", "100片/盒", ""),
    ("碘伏消毒液", "100ml/瓶", ""),
]


def synthetic_receipt() -> SaleReceipt:
    """20 lines as a busy insured sale prints them."""
    lines = []
    total = Decimal(0)
    for i, (name, spec, klass) in enumerate(_DRUGS[:LINES]):
        packs = 1 + i % 3
        price = Decimal(f"{8 + (i * 7) % 60}.{(i * 13) % 100:02d}")
        amount = price * packs
        total += amount
        lots = f"2{i % 6}0{i % 9 + 1}1{i:02d}" + (f"/2{i % 5}1{i:03d}B" if i % 4 == 0 else "")
        lines.append(ReceiptLine(
            name=name, specification=spec, lot_no=lots,
            expiry=date(2027 + i % 3, 1 + i % 12, 1), quantity_text=f"{packs}盒",
            unit_price=price, amount=amount, insurance_class=klass,
            self_paid=klass == ""))
    fund = (total * Decimal("0.5")).quantize(Decimal("0.01"))
    acct = (total * Decimal("0.3")).quantize(Decimal("0.01"))
    cash = total - fund - acct
    return SaleReceipt(
        store=StoreHeader(STORE_NAME, "P11010500123", TERMINAL),
        doc_no="XS-T01-20261101-000123", completed_at=datetime(2026, 11, 1, 2, 3, 4, tzinfo=UTC),
        cashier="王小丽", pharmacist="李建国（执业药师）", lines=tuple(lines), total=total,
        fund_pay=fund, acct_pay=acct, payments=(Payment("现金", cash),),
        tendered=cash.quantize(Decimal("1")) + 50, change=cash.quantize(Decimal("1")) + 50 - cash,
        balance_after=Decimal("1234.56"), insured_name="张三丰",
        insured_id_masked="110105********123X", buyer_id_masked="",
        insutype_label="职工基本医疗保险", policy_version="2026.11-京医保", open_drawer=True)


def _time(fn: Callable[[], Any], count: int, warm: int = WARM_UP) -> list[int]:
    clock = time.perf_counter_ns
    samples = []
    for i in range(warm + count):
        started = clock()
        fn()
        elapsed = clock() - started
        if i >= warm:
            samples.append(elapsed)
    return samples


def bench_synthetic(count: int) -> dict[str, Any]:
    data = synthetic_receipt()
    out: dict[str, Any] = {}
    for paper, columns in COLUMNS.items():
        document = sale_receipt(data, columns)
        output = bytes_of(document)
        rows = sum(1 for b in document.blocks if isinstance(b, Text))
        layout = _summary(_time(lambda c=columns: sale_receipt(data, c), count))
        encode = _summary(_time(lambda d=document: bytes_of(d), count))
        both = _summary(_time(lambda c=columns: bytes_of(sale_receipt(data, c)), count))
        verdict = "met" if both["p95_ms"] <= TARGET_LAYOUT_MS else "NOT met"
        print(f"  synthetic 20 lines, {paper} ({columns} columns): {rows} printed rows, "
              f"{len(document.blocks)} blocks, {len(output):,} bytes", flush=True)
        _line("layout", layout)
        _line("encode (bytes_of)", encode)
        _line("layout + encode", both, verdict)
        out[paper] = {"columns": columns, "text_rows": rows, "blocks": len(document.blocks),
                      "bytes": len(output), "layout": layout, "encode": encode,
                      "layout_and_encode": both}
    profile = cProfile.Profile()
    per = max(50, count // 10)
    for _ in range(per):
        profile.enable()
        bytes_of(sale_receipt(data, COLUMNS["80mm"]))
        profile.disable()
    out["profile_80mm"] = {"calls": per,
                           **print_profile("layout + encode (80 mm)", profile, per)}
    return out


# --- sales on the database copy ----------------------------------------------------------

def otc_pool(till: Till) -> list[str]:
    return [code for code, _pid, rx, controlled, packs in till.stocked_products()
            if not rx and not controlled and packs >= MIN_PACKS_TO_SELL]


def fill_cart(till: Till, pool: list[str], rng: random.Random) -> tuple[Any, int]:
    """A 20-line cart; returns it and the time its scans took (ns)."""
    cart = till.sales.new_cart(till.cashier)
    started = time.perf_counter_ns()
    for code in rng.sample(pool, LINES):
        till.sales.scan(till.cashier, cart, code)
    return cart, time.perf_counter_ns() - started


def tendered_for(cart: Any) -> Decimal:
    """Cash handed over: the total rounded up to the next 10 yuan (so there is change)."""
    total = cart.total
    return (total / 10).to_integral_value(rounding="ROUND_CEILING") * 10 + 10


def cash_sale(till: Till, cart: Any) -> Any:
    sold = till.sales.complete(till.cashier, cart, method=PaymentMethod.CASH,
                               tendered=tendered_for(cart))
    till.clock.advance(seconds=SALE_STEP.total_seconds())
    return sold


def make_sales(till: Till, pool: list[str], count: int, rng: random.Random) -> list[str]:
    docs: list[str] = []
    attempts = 0
    while len(docs) < count:
        attempts += 1
        if attempts > 3 * count + 20:
            raise SystemExit("too many refused 20-line sales")
        cart, _ = fill_cart(till, pool, rng)
        if cart.blocked:
            continue
        try:
            docs.append(cash_sale(till, cart).doc_no)
        except DomainError:
            continue
    return docs


def print_service(till: Till, printer: EscposPrinter | None, columns: int) -> PrintService:
    return PrintService(till.factory, till.clock, printer, columns=columns,
                        store_name=STORE_NAME, store_code=till.store.code, terminal_id=TERMINAL)


# --- 2. the receipt from the database ----------------------------------------------------

def _from_db_paper(till: Till, docs: list[str], count: int, paper: str) -> dict[str, Any]:
    columns = COLUMNS[paper]
    service = print_service(till, None, columns)
    cashier = till.cashier
    cycle = iter(range(10**9))
    warm = WARM_UP_SALES * 10

    def doc() -> str:
        return docs[next(cycle) % len(docs)]

    def read() -> Any:
        with till.factory(readonly=True) as uow:
            sale = uow.sales.by_doc_no(doc())
            return service._receipt_data(uow, sale, False, True)

    read_s = _summary(_time(read, count, warm=warm))
    document_s = _summary(_time(lambda: service.document(cashier, "receipt", doc()), count,
                                warm=warm))
    both = _summary(_time(lambda: bytes_of(service.document(cashier, "receipt", doc())),
                          count, warm=warm))
    document = service.document(cashier, "receipt", docs[0])
    rows = sum(1 for b in document.blocks if isinstance(b, Text))
    print(f"  from the database, {paper}: {len(docs)} different 20-line sales, "
          f"{rows} printed rows, {len(bytes_of(document)):,} bytes", flush=True)
    _line("read (sale -> data)", read_s)
    _line("document()", document_s)
    _line("document() + encode", both,
          "met" if both["p95_ms"] <= TARGET_LAYOUT_MS else "NOT met")
    return {"columns": columns, "text_rows": rows, "read": read_s,
            "document": document_s, "document_and_encode": both}


def bench_from_db(till: Till, docs: list[str], count: int) -> dict[str, Any]:
    out: dict[str, Any] = {"sales": len(docs)}
    cashier = till.cashier
    for paper in COLUMNS:
        out[paper] = _from_db_paper(till, docs, count, paper)
    service = print_service(till, None, COLUMNS["80mm"])
    profile = cProfile.Profile()
    per = max(30, count // 10)
    for i in range(per):
        profile.enable()
        bytes_of(service.document(cashier, "receipt", docs[i % len(docs)]))
        profile.disable()
    out["profile_80mm"] = {"calls": per,
                           **print_profile("document + encode (80 mm)", profile, per)}
    return out


# --- 3. till time with the printer offline -------------------------------------------------

class StampingPrinter(TcpPrinter):
    """The test listener, noting when each connection's first byte, cut and close came."""

    def __init__(self, **kwargs: Any) -> None:
        self.stamps: dict[int, dict[str, int]] = {}
        self.closed: list[dict[str, int]] = []
        self._stamp_lock = threading.Condition()
        super().__init__(**kwargs)

    def _answer(self, conn: socket.socket, data: bytearray, scanned: int) -> int:
        now = time.perf_counter_ns()
        stamp = self.stamps.setdefault(id(conn), {"first": now})
        if "cut" not in stamp and CUT in data:
            stamp["cut"] = now
        return super()._answer(conn, data, scanned)

    def _serve(self, conn: socket.socket) -> None:
        key = id(conn)
        super()._serve(conn)
        now = time.perf_counter_ns()
        with self._stamp_lock:
            stamp = self.stamps.pop(key, {})
            stamp["closed"] = now
            self.closed.append(stamp)
            self._stamp_lock.notify_all()

    def wait_closed(self, count: int, timeout_s: float = 10.0) -> dict[str, int]:
        deadline = time.monotonic() + timeout_s
        with self._stamp_lock:
            while len(self.closed) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SystemExit(f"live printer: job {count} did not arrive in {timeout_s} s")
                self._stamp_lock.wait(remaining)
            return self.closed[count - 1]


class TimedService:
    """Wraps a PrintService's print_next and pending with timers (worker busy time).

    ``print_next`` is counted only when it had a job (printed, failed or raised)."""

    def __init__(self, service: PrintService) -> None:
        self.spent: dict[str, list[int]] = defaultdict(list)
        for name in ("print_next", "pending"):
            setattr(service, name, self._timed(name, getattr(service, name)))

    def _timed(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter_ns()
            try:
                result = fn(*args, **kwargs)
            except BaseException:
                self.spent[name].append(time.perf_counter_ns() - started)
                raise
            # print_next finding the queue empty (None) is not a try
            if name != "print_next" or result is not None:
                self.spent[name].append(time.perf_counter_ns() - started)
            return result
        return wrapper


def _printer(port: int) -> EscposPrinter:
    config = parse_printer_config(f"tcp:127.0.0.1:{port},paper=80",
                                  default_file=Path("unused.prn"))
    return EscposPrinter(config, timeout_s=PRINTER_TIMEOUT_S)


def clear_queue(till: Till) -> int:
    """Dismiss what earlier scenarios left waiting (each scenario starts empty)."""
    service = print_service(till, None, COLUMNS["80mm"])
    waiting = service.pending()
    for job in waiting:
        service.dismiss(till.cashier, job.job_id, reason="基准测试：场景结束")
    return len(waiting)


def run_scenario(till: Till, scenario: str, pool: list[str], count: int, rng: random.Random,
                 acc: dict[str, dict[str, list[int]]]) -> None:
    clear_queue(till)
    samples = acc[scenario]
    listener: StampingPrinter | TcpPrinter | None = None
    worker: PrintWorker | None = None
    timed: TimedService | None = None
    if scenario == "refused":
        printer = _printer(refused_port())
    elif scenario == "hanging":
        listener = TcpPrinter(accept=False)
        listener.fill_backlog()
        printer = _printer(listener.port)
    elif scenario == "live":
        listener = StampingPrinter(status=STATUS_OK)
        printer = _printer(listener.port)
    if scenario != "none":
        service = print_service(till, printer, printer.columns)
        timed = TimedService(service)
        worker = PrintWorker(service)
        worker.start()
    clock = time.perf_counter_ns
    try:
        cart, scans = fill_cart(till, pool, rng)
        done = 0
        while done < WARM_UP_SALES + count:
            if cart.blocked:
                cart, scans = fill_cart(till, pool, rng)
                continue
            tendered = tendered_for(cart)
            started = clock()
            try:
                till.sales.complete(till.cashier, cart, method=PaymentMethod.CASH,
                                    tendered=tendered)
            except DomainError:
                cart, scans = fill_cart(till, pool, rng)
                continue
            if worker is not None:
                woken = clock()
                worker.wake()
            elapsed = clock() - started
            till.clock.advance(seconds=SALE_STEP.total_seconds())
            measured = done >= WARM_UP_SALES
            if measured:
                samples["ready"].append(elapsed)
            if isinstance(listener, StampingPrinter):
                stamp = listener.wait_closed(done + 1)
                if measured:
                    for key in ("first", "cut", "closed"):
                        samples[f"wake_to_{key}"].append(stamp[key] - woken)
            cart, scans = fill_cart(till, pool, rng)
            if measured:
                samples["next_cart_scans"].append(scans)
            done += 1
    finally:
        if worker is not None:
            worker.stop(timeout=PRINTER_TIMEOUT_S + 2)
        if listener is not None:
            listener.close()
    if timed is not None:
        for name, values in timed.spent.items():
            samples[f"worker_{name}"].extend(values)


def bench_till(till: Till, pool: list[str], count: int, rounds: int,
               rng: random.Random) -> dict[str, Any]:
    acc: dict[str, dict[str, list[int]]] = {s: defaultdict(list) for s in SCENARIOS}
    per_round = max(1, count // rounds)
    for r in range(rounds):
        for scenario in SCENARIOS:
            run_scenario(till, scenario, pool, per_round, rng, acc)
        print(f"  round {r + 1}/{rounds} done ({per_round} sales per scenario)", flush=True)
    clear_queue(till)
    out: dict[str, Any] = {"sales_per_scenario": per_round * rounds, "rounds": rounds,
                           "lines_per_sale": LINES, "printer_timeout_s": PRINTER_TIMEOUT_S}
    for scenario in SCENARIOS:
        values = acc[scenario]
        entry = {name: _summary(v) for name, v in sorted(values.items())}
        out[scenario] = entry
        what = "complete" if scenario == "none" else "complete + wake"
        _line(f"{scenario}: {what}", entry["ready"])
    base = out["none"]["ready"]
    out["blocked"] = {}
    for scenario in ("refused", "hanging", "live"):
        s = out[scenario]["ready"]
        diff = {"median_ms": round(s["median_ms"] - base["median_ms"], 3),
                "p95_ms": round(s["p95_ms"] - base["p95_ms"], 3)}
        out["blocked"][scenario] = diff
        met = diff["median_ms"] <= TARGET_BLOCKED_MS and diff["p95_ms"] <= TARGET_BLOCKED_MS
        print(f"  blocked by printing, {scenario}: median {diff['median_ms']:+.3f} ms, "
              f"p95 {diff['p95_ms']:+.3f} ms  "
              f"{'(information)' if scenario == 'live' else ('met' if met else 'NOT met')}")
    for scenario in SCENARIOS:
        scans = out[scenario].get("next_cart_scans")
        if scans:
            print(f"  {scenario}: next cart's 20 scans median {scans['median_ms']:.2f} ms, "
                  f"p95 {scans['p95_ms']:.2f} ms")
    for scenario in ("refused", "hanging", "live"):
        for name in ("worker_print_next", "worker_pending"):
            if name in out[scenario]:
                _line(f"{scenario}: {name[7:]}", out[scenario][name], "(worker thread)")
    for key in ("first", "cut", "closed"):
        _line(f"live: wake -> {key}", out["live"][f"wake_to_{key}"], "(information)")
    return out


# --- main ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="printing benchmark (issue 5)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--small-db", type=Path, default=DEFAULT_SMALL_DB)
    parser.add_argument("--layouts", type=int, default=1000)
    parser.add_argument("--db-sales", type=int, default=30)
    parser.add_argument("--db-receipts", type=int, default=300)
    parser.add_argument("--till-sales", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: the small database, few calls, no results file")
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    source = args.db
    if args.quick:
        args.layouts, args.db_sales, args.db_receipts = 100, 5, 30
        args.till_sales, args.rounds = 6, 2
        args.no_json = True
        ensure_small_db(args.small_db, args.seed)
        source = args.small_db
    elif not source.exists():
        print(f"{source} is missing: run benchmarks/generate.py first", file=sys.stderr)
        return 2
    rng = random.Random(f"{args.seed}/printing")
    print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cpus",
          flush=True)
    result: dict[str, Any] = {"seed": args.seed, "targets": {
        "layout_and_encode_ms": TARGET_LAYOUT_MS, "blocked_ms": TARGET_BLOCKED_MS}}
    print("receipt in memory (layout + encoding):", flush=True)
    result["receipt_synthetic"] = synthetic = bench_synthetic(args.layouts)
    with tempfile.TemporaryDirectory(prefix="bench-printing-") as folder:
        started = time.perf_counter()
        path = copy_database(source, Path(folder))
        copied = time.perf_counter() - started
        till = Till(path, policy, persons=10)
        try:
            pool = otc_pool(till)
            print(f"{source.name}: copied in {copied:.1f} s, schema {till.revision_before} -> "
                  f"{till.revision} ({till.upgrade_s} s), {len(pool):,} OTC barcodes with "
                  f"stock", flush=True)
            result.update(db=str(source), revision=till.revision, otc_barcodes=len(pool))
            docs = make_sales(till, pool, args.db_sales, rng)
            result["receipt_from_db"] = from_db = bench_from_db(till, docs, args.db_receipts)
            print("till blocked by printing (sale committed -> till ready):", flush=True)
            result["till_blocked"] = blocked = bench_till(till, pool, args.till_sales,
                                                          args.rounds, rng)
        finally:
            till.dispose()
    layout_met = all(synthetic[p]["layout_and_encode"]["p95_ms"] <= TARGET_LAYOUT_MS
                     for p in COLUMNS)
    from_db_met = all(from_db[p]["document_and_encode"]["p95_ms"] <= TARGET_LAYOUT_MS
                      for p in COLUMNS)
    blocked_met = all(blocked["blocked"][s][k] <= TARGET_BLOCKED_MS
                      for s in ("refused", "hanging") for k in ("median_ms", "p95_ms"))
    result.update(layout_target_met=layout_met, from_db_within_layout_target=from_db_met,
                  blocked_target_met=blocked_met)
    print(f"target layout + encoding <= {TARGET_LAYOUT_MS:g} ms (p95): "
          f"{'met' if layout_met else 'NOT met'} (in memory), "
          f"{'met' if from_db_met else 'NOT met'} (read from the database too); "
          f"blocked by an offline printer <= {TARGET_BLOCKED_MS:g} ms: "
          f"{'met' if blocked_met else 'NOT met'}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (1 min)")
    if args.no_json:
        print("figures not recorded" + (" (quick run)" if args.quick else ""))
    else:
        write_result("printing", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
