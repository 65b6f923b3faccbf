"""Time ``verify`` over the generated database: in-process and through the CLI.

    .venv/bin/python benchmarks/bench_verify.py [--db benchmarks/data/bench.sqlite3] [--runs 3]

In-process: ``verify_database(UnitOfWorkFactory(make_engine(url)))``, ``--runs`` times in
one process (the first run includes SQLAlchemy's statement compilation). CLI: wall clock
of ``PHARMACY_POS_DATABASE_URL=sqlite:///... pharmacy-pos-cli verify`` from spawn to exit
(interpreter start, imports, settings, migration check, verify, output), ``--runs`` times,
with the time the CLI prints for verify itself alongside. Then one breakdown run: verify
in a single process (``workers=1``), reading the ledger's links with their
database-built payloads, one walk of them (hashing and checks), and the stock-equation
check (sums per batch against the cached balances, in SQL). Each part is a single run on
a shared machine: read them as proportions.

Target: 3 s or less for about a million ledger entries, judged on the in-process median
(the verify itself); the CLI adds the interpreter's start and imports.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import DEFAULT_DB, VENV_BIN, runs_summary, sqlite_url, write_result

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.ledger import ledger_chain_name, walk_chain
from pharmacy_pos.services.verify import verify_database

TARGET_S = 3.0
_CLI_ELAPSED = re.compile(r"校验通过（([0-9.]+) 秒）")


def in_process(db: Path, runs: int) -> dict[str, Any]:
    engine = make_engine(sqlite_url(db))
    factory = UnitOfWorkFactory(engine)
    seconds = []
    entries = 0
    for run in range(runs):
        started = time.perf_counter()
        report = verify_database(factory)
        elapsed = time.perf_counter() - started
        if not report.ok:
            raise SystemExit("verify found problems: " + "; ".join(report.problems()))
        entries = sum(c.count for c in report.chains if c.chain.startswith("ledger/"))
        audit = sum(c.count for c in report.chains if c.chain.startswith("audit/"))
        seconds.append(elapsed)
        print(f"  in-process run {run + 1}: {elapsed:.3f} s ({entries:,} ledger entries, "
              f"{audit:,} audit records)", flush=True)
    engine.dispose()
    return {"ledger_entries": entries, "audit_records": audit, **runs_summary(seconds)}


def breakdown(db: Path) -> dict[str, float]:
    """Where the time goes: one process versus one segment per core, and the row fetch."""
    engine = make_engine(sqlite_url(db))
    factory = UnitOfWorkFactory(engine)
    parts: dict[str, float] = {}
    started = time.perf_counter()
    verify_database(factory, workers=1)
    parts["single_process_s"] = time.perf_counter() - started
    with factory(readonly=True) as uow:
        started = time.perf_counter()
        count = sum(1 for _ in uow.ledger.chain_rows(1))
        parts["fetch_payload_rows_s"] = time.perf_counter() - started
        started = time.perf_counter()
        walked = walk_chain(ledger_chain_name(1), uow.ledger.chain_rows(1))
        parts["fetch_and_walk_s"] = time.perf_counter() - started
        assert walked.broken is None
        assert walked.count == count
        started = time.perf_counter()
        uow.ledger.balance_problems()
        parts["balance_check_s"] = time.perf_counter() - started
    engine.dispose()
    for name, value in parts.items():
        print(f"  breakdown {name:<22} {value:.3f} s", flush=True)
    return {name: round(value, 3) for name, value in parts.items()}


def cli(db: Path, runs: int) -> dict[str, Any]:
    exe = VENV_BIN / "pharmacy-pos-cli"
    seconds, internal = [], []
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as data_dir:
        env = os.environ | {
            "PHARMACY_POS_DATABASE_URL": sqlite_url(db),
            "PHARMACY_POS_DATA_DIR": data_dir,
            "PYTHONIOENCODING": "utf-8",
        }
        for run in range(runs):
            started = time.perf_counter()
            done = subprocess.run([str(exe), "verify"], env=env, capture_output=True,
                                  text=True, check=False, timeout=600)
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"pharmacy-pos-cli verify exited {done.returncode}:\n"
                                 f"{done.stdout}{done.stderr}")
            match = _CLI_ELAPSED.search(done.stdout)
            printed = float(match.group(1)) if match else None
            seconds.append(elapsed)
            if printed is not None:
                internal.append(printed)
            print(f"  CLI run {run + 1}: {elapsed:.3f} s wall (verify itself says "
                  f"{printed if printed is not None else '?'} s)", flush=True)
    summary = runs_summary(seconds)
    if internal:
        summary["printed_verify_s"] = internal
        summary["overhead_median_s"] = round(
            sorted(s - i for s, i in zip(seconds, internal, strict=False))[len(internal) // 2],
            3)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="verify benchmark")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} is missing: run benchmarks/generate.py first", file=sys.stderr)
        return 2
    size_mib = args.db.stat().st_size / 2**20
    print(f"verify over {args.db} ({size_mib:.0f} MiB)", flush=True)
    process = in_process(args.db, args.runs)
    command = cli(args.db, args.runs)
    parts = breakdown(args.db)
    met = process["median_s"] <= TARGET_S
    print(f"in-process: min {process['min_s']:.3f} s, median {process['median_s']:.3f} s; "
          f"CLI: min {command['min_s']:.3f} s, median {command['median_s']:.3f} s; "
          f"target <= {TARGET_S} s: {'met' if met else 'NOT met'}")
    if not args.no_json:
        write_result("verify", {
            "db_mib": round(size_mib), "target_s": TARGET_S, "target_met": met,
            "in_process": process, "cli": command, "breakdown": parts,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
