"""Backup of the 1M-entry database (issue 9, SEC-6): online copy + integrity check +
rename, as ``pharmacy-pos-cli backup`` takes it.

    .venv/bin/python benchmarks/bench_backup.py [--db benchmarks/data/bench.sqlite3]
        [--runs 3] [--no-json]

Timed whole per run: :func:`pharmacy_pos.db.backup.take_backup` (SQLite online backup
API in steps of 4,096 pages, ``PRAGMA integrity_check`` of the copy, rename, rotation).
The copy is also timed alone (the integrity check is most of the rest). Target:
**<= 10 s**.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchlib import DEFAULT_DB, runs_summary, write_result
from pharmacy_pos.db.backup import check_copy, take_backup

TARGET_S = 10.0


def main(argv: list[str] | None = None) -> int:
    """Run; the figures go to results/latest.json unless --no-json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-json", action="store_true")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} is missing: run benchmarks/generate.py first")
        return 1
    size = args.db.stat().st_size
    whole, checks = [], []
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as folder:
        for run in range(args.runs):
            copy = take_backup(args.db, Path(folder), kind="bench", keep=1)
            whole.append(copy.seconds)
            started = time.perf_counter()
            assert check_copy(copy.path) == []
            checks.append(time.perf_counter() - started)
            print(f"  run {run + 1}: {copy.seconds:.2f} s for {copy.size / 2**20:.0f} MiB "
                  f"(integrity check alone {checks[-1]:.2f} s)", flush=True)
    summary = runs_summary(whole)
    met = summary["median_s"] <= TARGET_S
    print(f"backup of {size / 2**20:.0f} MiB: median {summary['median_s']} s — target "
          f"<= {TARGET_S:g} s: {'met' if met else 'NOT met'}")
    if not args.no_json:
        write_result("backup", {"db": str(args.db), "bytes": size, "backup": summary,
                                "integrity_check": runs_summary(checks), "target_met": met})
    return 0


if __name__ == "__main__":
    sys.exit(main())
