"""Reports (issue 7): the monthly stock report (进销存月报, REP-1) vs one hand-written query.

    .venv/bin/python benchmarks/bench_reports.py [--db benchmarks/data/bench.sqlite3]
        [--month 2026-10] [--runs 5] [--no-json]

The run works on its own copy of the database (SQLite online backup into a temporary
folder), upgraded to the head revision with ``upgrade_on_start``; the engine is
``make_engine``'s (WAL). The store is the generated one (``ensure_store``), the actor the
command line's (``Actor.system``).

Measured in one run, alternating, each timed alone with ``time.perf_counter`` after one
warm-up of each (the file cache is warm for both):

- ``report``: ``monthly_stock.build(factory, actor, Period.parse_month(month))``: the two
  repository queries, the per-batch checks (ledger vs cached balance, none negative),
  Decimal valuation at cost and retail, sorting, subtotals by category and insurance
  class, grand total; a ``Report`` ready to export.
- ``sql``: one hand-written statement computing the same per-batch figures on the same
  engine: opening, the nine movement columns, closing, closing by the cached balance,
  values at cost and retail in 分 (integer half-up rounding), ordered as the report; all
  rows fetched. It reads the month from the covering time index (migration 0006), as the
  report does, and the all-time sums from the covering batch index (one scan; the report
  seeks it per batch): the fastest single statement found for this data, not a naive
  ``SUM`` over everything before the month end (which takes ~5 s here).

Before both, the previous month (``--month`` − 1, default 2026-09) is built once and
timed: no snapshot of its own previous month exists, so it sums each batch's whole
ledger, and, being over by the report clock (``FixedClock()``: 2026-11-01 10:00), it stores
its month-end closing (月结, ``month_balances``); that time includes the store. The timed
reports of ``--month`` then open from that snapshot (the warm-up stores ``--month``'s own
closing; the timed runs only find it already stored).

The two results are compared (every report row's opening and closing, per lot) before
anything is recorded. Targets: report ≤ 1 s (median) and ≤ 1.5 × the query's median.
Also reported once, for scale: the report of the ledger's first month (the worst case:
every later entry is read through the time index).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_sale import copy_database
from benchlib import DEFAULT_DB, runs_summary, sqlite_url, write_result
from generate import STORE_CODE, STORE_NAME, TERMINAL

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.reports import monthly_stock
from pharmacy_pos.reports.catalog import Period
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.setup import ensure_store

TARGET_S = 1.0
TARGET_RATIO = 1.5
MOVES = [t.value for t, _, _ in monthly_stock.MOVEMENTS]


def hand_written_sql() -> str:
    """The one statement (SQLite; ``:start``/``:end`` as stored UTC text, ``:store``)."""
    per_type = ",\n".join(
        f"      SUM(CASE WHEN occurred_at < :end AND entry_type = '{t}' THEN quantity ELSE 0 END)"
        for t in MOVES)
    month_net = " + ".join(f"r.{t}" for t in MOVES)
    closing = "(r.total - r.later)"
    opening = f"({closing} - ({month_net}))"

    def cents(units: str, price: str) -> str:
        # units × price (1/10000 元) ÷ units per pack, in 分, half up (non-negative units)
        return (f"(({units}) * {price} * 2 + p.units_per_pack * 100)"
                f" / (p.units_per_pack * 200)")

    zeros = ", ".join(f"0 AS {t}" for t in MOVES)
    return f"""
WITH figures AS (
  SELECT batch_id, SUM(total) AS total, {", ".join(f"SUM({t}) AS {t}" for t in MOVES)},
    SUM(later) AS later, MAX(recent) AS recent
  FROM (
    SELECT batch_id, SUM(quantity) AS total, {zeros}, 0 AS later, 0 AS recent
    FROM ledger_entries GROUP BY batch_id
    UNION ALL
    SELECT batch_id + 0, 0,
{per_type},
      SUM(CASE WHEN occurred_at >= :end THEN quantity ELSE 0 END), 1
    FROM ledger_entries
    WHERE occurred_at >= :start AND store_id + 0 = :store
    GROUP BY 1
  ) GROUP BY batch_id
)
SELECT b.id, p.item_code, p.generic_name, p.specification, p.manufacturer, p.category,
  p.insurance_class, b.lot_no, b.expiry_date, p.min_unit, b.purchase_price, p.retail_price,
  {opening} AS opening,
  {cents(opening, "b.purchase_price")} AS opening_cost,
  {cents(opening, "p.retail_price")} AS opening_retail,
  {", ".join(f"r.{t}" for t in MOVES)},
  {closing} AS closing,
  {cents(closing, "b.purchase_price")} AS closing_cost,
  {cents(closing, "p.retail_price")} AS closing_retail,
  s.quantity - r.later AS closing_by_cache
FROM figures r
JOIN batches b ON b.id = r.batch_id
JOIN products p ON p.id = b.product_id
LEFT JOIN stock_balances s ON s.batch_id = b.id
WHERE b.store_id = :store AND (r.total <> 0 OR s.quantity <> 0 OR r.recent = 1)
ORDER BY p.category, p.item_code, b.expiry_date, b.lot_no, b.id
"""


def _stored(moment: datetime) -> str:
    """A UTC instant as SQLite stores ``UTCDateTime`` values."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reports benchmark (issue 7)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} is missing: run benchmarks/generate.py first", file=sys.stderr)
        return 2
    period = Period.parse_month(args.month)
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        started = time.perf_counter()
        path = copy_database(args.db, Path(folder))
        engine = make_engine(sqlite_url(path))
        upgrade_on_start(engine, backup_dir=None)
        print(f"copy + upgrade {time.perf_counter() - started:.1f} s", flush=True)
        factory = UnitOfWorkFactory(engine)
        store, _ = ensure_store(factory, FixedClock(), code=STORE_CODE, name=STORE_NAME,
                                operator="bench:reports", terminal_id=TERMINAL)
        actor = Actor.system(store.id, TERMINAL, "bench:reports")
        start, end = monthly_stock.bounds(period)
        params = {"start": _stored(start), "end": _stored(end), "store": store.id}
        sql = hand_written_sql()
        # The sqlite3 driver's paramstyle: ``?`` in order of appearance.
        positional = re.sub(r":(start|end|store)\b", "?", sql)
        ordered = tuple(params[m] for m in re.findall(r":(start|end|store)\b", sql))

        previous = Period.parse_month(monthly_stock.month_key(period.first - timedelta(days=1)))
        t0 = time.perf_counter()
        monthly_stock.build(factory, actor, previous, clock=FixedClock())
        previous_s = round(time.perf_counter() - t0, 3)

        def report():
            return monthly_stock.build(factory, actor, period, clock=FixedClock())

        def query():
            with engine.connect() as conn:
                return conn.exec_driver_sql(positional, ordered).fetchall()

        built, rows = report(), query()  # warm-up, and the comparison
        _compare(built, rows)
        report_s: list[float] = []
        sql_s: list[float] = []
        for _ in range(args.runs):
            for fn, out in ((report, report_s), (query, sql_s)):
                t0 = time.perf_counter()
                fn()
                out.append(time.perf_counter() - t0)
        ratio = round(statistics.median(report_s) / statistics.median(sql_s), 2)
        first = Period.parse_month("2025-11")
        t0 = time.perf_counter()
        monthly_stock.build(factory, actor, first, clock=FixedClock())
        first_s = round(time.perf_counter() - t0, 3)
        engine.dispose()
    report_summary, sql_summary = runs_summary(report_s), runs_summary(sql_s)
    met = report_summary["median_s"] <= TARGET_S and ratio <= TARGET_RATIO
    print(f"monthly stock report {args.month}: {len(built.sections[0].rows):,} rows; "
          f"report median {report_summary['median_s']:.3f} s, hand-written SQL median "
          f"{sql_summary['median_s']:.3f} s, ratio {ratio}; {previous.label()} (no snapshot, "
          f"stores its closing) {previous_s:.3f} s; first month (2025-11) "
          f"{first_s:.3f} s; load {load_before} -> {[round(x, 2) for x in os.getloadavg()]}")
    print(f"target report <= {TARGET_S:g} s and <= {TARGET_RATIO:g} x SQL: "
          f"{'met' if met else 'NOT met'}")
    result = {
        "month": args.month, "rows": len(built.sections[0].rows), "runs": args.runs,
        "monthly_report": report_summary, "hand_written_sql": sql_summary,
        "ratio_median": ratio, "opens_from_snapshot_of": previous.first.strftime("%Y-%m"),
        "previous_month_report_with_closing_s": previous_s, "first_month_report_s": first_s,
        "targets": {"report_s": TARGET_S, "ratio": TARGET_RATIO}, "target_met": met,
        "loadavg_before": load_before, "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.no_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        write_result("reports", result)
    return 0


def _compare(built, rows) -> None:
    """The report and the query agree on every reported batch's opening and closing."""
    keys = [c.key for c in monthly_stock.COLUMNS]
    lot, item = keys.index("lot_no"), keys.index("item_code")
    opening, closing = keys.index("opening"), keys.index("closing")
    from_report = Counter((r[item], r[lot], r[opening], r[closing])
                          for r in built.sections[0].rows)
    moved_at = slice(15, 15 + len(MOVES))
    from_sql = Counter((r[1], r[7], r[12], r[15 + len(MOVES)]) for r in rows
                       if r[12] or r[15 + len(MOVES)] or any(r[moved_at]))
    if from_report != from_sql:
        raise SystemExit(f"report and query differ: {len(from_report - from_sql)} / "
                         f"{len(from_sql - from_report)} rows")
    if any(r[-1] != r[15 + len(MOVES)] for r in rows):
        raise SystemExit("the query finds a batch whose cached balance disagrees")


if __name__ == "__main__":
    sys.exit(main())
