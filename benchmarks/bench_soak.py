"""The soak run (issue 9): 10,000 sales through the services, then the books must add up.

    .venv/bin/python benchmarks/bench_soak.py [--sales 10000] [--days 90] [--seed 2026]
        [--database-url URL | --postgres] [--printer file:PATH|tcp:HOST:PORT] [--no-json]

One store on one database (default: a fresh SQLite file in a temporary folder, WAL,
``synchronous=FULL``, the app's ``make_engine``; ``--postgres`` starts a throwaway
PostgreSQL server from ``tests/pg.py`` with fsync on; ``--database-url`` any empty
database). The scenario is ``tests/soak_scenario.py``, the same code the CI-sized test
``tests/integration/test_soak_small.py`` runs with 200 sales:

- sales over ``--days`` store days (default 90: 2026-11-01 .. 2027-01, three monthly
  reports), the clock (``FixedClock``) moved on between customers and to 09:00 each
  morning; a mix of cash OTC sales (45 %), insurance card sales settled by the embedded
  simulated insurer (30 %: card read, document checked, 1101, 2101/2102), prescription
  sales signed by a pharmacist at the same database (RX-2), cash (15 %) or insured (10 %);
- about 7 % of customers are refused by a rule and counted (SALE-5 expired stock, RX-12
  a third pack of an ephedrine compound, RX-1 a prescription drug without prescription);
- about 3 % of customers bring back an earlier sale, approved by the store manager
  (SALE-7; insured sales whole, the settlement cancelled);
- every receipt, purchase list and return slip printed by ``PrintService`` through the
  ESC/POS adapter (default: the file printer in the temporary folder);
- every 7 days a delivery received by the manager and accepted by the quality inspector
  (INV-2) brings each product back to a week's stock.

Measured: the wall time of the whole run (everything above), completed sales per
second over it, and per sale (``time.perf_counter_ns`` around ring + rules + review +
settle + the one-transaction write, i.e. what the cashier waits for, printing not
included) p50/p95/p99; per printed document likewise. Afterwards, not timed into the
above: ``verify_database``, and the monthly stock report (REP-1) of every month covered,
each checked row by row, product by product, totals against rows, each month's closing
against the next month's opening, and the columns against the scenario's own counts of
units sold, returned and received, the last closing against the ledger balances.

Figures go to ``benchmarks/results/soak.json`` and (section ``soak``) ``latest.json``.
Exit status 1 when the books do not add up.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchlib import BENCH_DIR, latency_summary, machine, write_result
from tests.soak_scenario import Scenario, SoakFailure, SoakStore, check_books

SOAK_RESULTS = BENCH_DIR / "results" / "soak.json"


@contextlib.contextmanager
def _database(args: argparse.Namespace, folder: Path) -> Iterator[tuple[str, str]]:
    """(URL, kind) of the database to soak."""
    if args.database_url:
        yield args.database_url, args.database_url.split(":", 1)[0]
        return
    if not args.postgres:
        yield f"sqlite:///{folder / 'soak.sqlite3'}", "sqlite"
        return
    from tests.pg import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer()
        server.start(fsync=True)
    except PostgresUnavailable as exc:
        raise SystemExit(f"PostgreSQL unavailable: {exc}") from None
    try:
        server.create_template("soak", lambda _url: None)
        yield server.url("soak"), "postgresql (throwaway server, fsync on)"
    finally:
        server.stop()


def _by_tenth(samples_ns: list[int]) -> list[float]:
    """The median sale time of each tenth of the run, in order, in milliseconds."""
    size = max(1, len(samples_ns) // 10)
    return [latency_summary(samples_ns[at:at + size])["p50_ms"]
            for at in range(0, size * 10, size) if samples_ns[at:at + size]]


def main(argv: list[str] | None = None) -> int:
    """Run the soak; print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--persons", type=int, default=0,
                        help="card holders (default: one per 10 sales, at least 50)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default="")
    where.add_argument("--postgres", action="store_true")
    parser.add_argument("--printer", default="", help="default: file printer in the temp folder")
    parser.add_argument("--no-json", action="store_true")
    args = parser.parse_args(argv)
    persons = args.persons or max(50, args.sales // 10)

    with tempfile.TemporaryDirectory(prefix="pos-soak-") as tmp, \
            _database(args, Path(tmp)) as (url, kind):
        printer = args.printer or f"file:{Path(tmp) / 'receipts.prn'}"
        print(f"soak: {args.sales:,} sales over {args.days} days on {kind}, printer "
              f"{printer.split(':', 1)[0]}, seed {args.seed}", flush=True)
        load_before = machine()["loadavg_1_5_15"]
        store = SoakStore(url, printer=printer, persons=persons)
        entries_before = store.ledger_entries()
        started = time.perf_counter()
        wall_started = started

        def progress(done: int, total: int) -> None:
            print(f"  {done:>6,} / {total:,} sales  {time.perf_counter() - wall_started:7.1f} s",
                  flush=True)

        scenario = Scenario(store, sales=args.sales, days=args.days, seed=args.seed,
                            measure=True, progress=progress)
        stats = scenario.run()
        wall = time.perf_counter() - started
        entries_after = store.ledger_entries()
        printed_bytes = (Path(printer[5:]).stat().st_size
                         if printer.startswith("file:") and Path(printer[5:]).exists() else None)
        try:
            started = time.perf_counter()
            books = check_books(store, stats, workers=None, timed=True)
            books_s = time.perf_counter() - started
            books_error = ""
        except SoakFailure as exc:
            books, books_s, books_error = None, 0.0, str(exc)
        store.close()
        load_after = machine()["loadavg_1_5_15"]

    sale = latency_summary(stats.sale_ns)
    printing = latency_summary(stats.print_ns) if stats.print_ns else {}
    data: dict[str, Any] = {
        "database": kind, "sales_requested": args.sales, "days": args.days, "seed": args.seed,
        "card_holders": persons,
        "period": [str(stats.first_day), str(stats.last_day)],
        "wall_s": round(wall, 2), "sales_per_s": round(stats.sales / wall, 2),
        "sale_latency_ms": sale, "print_latency_ms": printing,
        # p50 per tenth of the run: growth with history (or a busier machine) shows here.
        "sale_p50_ms_by_tenth": _by_tenth(stats.sale_ns),
        "completed": dict(stats.kinds), "sales": stats.sales,
        "refused_by_rule": dict(stats.refusals), "declined": dict(stats.declined),
        "returns": stats.returns, "receivings": stats.receivings,
        "documents_printed": stats.receipts_printed, "printed_bytes": printed_bytes,
        "ledger_rows_written": entries_after - entries_before,
        "ledger_rows_total": entries_after,
        "loadavg_before": load_before, "loadavg_after": load_after,
        "cpus": os.cpu_count(),
    }
    if books is not None:
        data["books"] = {
            "ok": True, "checked_s": round(books_s, 2),
            "verify_chains": dict(books.verify_chains), "months": list(books.months),
            "report_rows": list(books.report_rows),
            "report_build_s": list(books.report_seconds),
            "row_equations_checked": books.equations_checked,
            "sales_in_database": books.sales_in_database,
        }
    else:
        data["books"] = {"ok": False, "problem": books_error}

    print(f"  wall {wall:.1f} s, {data['sales_per_s']} sales/s; per sale p50 "
          f"{sale['p50_ms']:.2f} ms, p95 {sale['p95_ms']:.2f} ms, p99 {sale['p99_ms']:.2f} ms")
    if printing:
        print(f"  printed {stats.receipts_printed:,} documents: p50 {printing['p50_ms']:.2f} ms, "
              f"p95 {printing['p95_ms']:.2f} ms")
    print(f"  completed {dict(stats.kinds)}; refused {dict(stats.refusals)}; "
          f"declined {dict(stats.declined)}; returns {stats.returns}; "
          f"receivings {stats.receivings}")
    print(f"  ledger rows written {data['ledger_rows_written']:,}")
    if books is not None:
        print(f"  verify ok {dict(books.verify_chains)}; monthly reports {list(books.months)} "
              f"rows {list(books.report_rows)} built in {list(books.report_seconds)} s: every "
              f"equation holds ({books.equations_checked:,} rows), columns match the sales")
    else:
        print(f"  BOOKS DO NOT ADD UP: {books_error}")
    if not args.no_json:
        write_result("soak", data, SOAK_RESULTS)
        write_result("soak", data)
    return 0 if books is not None else 1


if __name__ == "__main__":
    sys.exit(main())
