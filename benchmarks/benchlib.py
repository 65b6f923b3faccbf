"""Shared helpers of the benchmark scripts: paths, percentiles, the results file."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_DB = BENCH_DIR / "data" / "bench.sqlite3"
RESULTS = BENCH_DIR / "results" / "latest.json"
# The console scripts installed next to the interpreter running the benchmark (.venv/bin)
VENV_BIN = Path(sys.executable).parent


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.resolve()}"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory_gb": memory_gb, "loadavg_1_5_15": load,
        "platform": platform.platform(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def ms(ns: float) -> float:
    """Nanoseconds to milliseconds, 4 decimals."""
    return round(ns / 1e6, 4)


def percentile(sorted_values: list[int], fraction: float) -> int:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def latency_summary(samples_ns: list[int]) -> dict[str, float]:
    """p50/p95/p99/max/mean of per-call timings, in milliseconds."""
    values = sorted(samples_ns)
    return {
        "calls": len(values),
        "p50_ms": ms(percentile(values, 0.50)),
        "p95_ms": ms(percentile(values, 0.95)),
        "p99_ms": ms(percentile(values, 0.99)),
        "max_ms": ms(values[-1]),
        "mean_ms": ms(statistics.fmean(values)),
    }


def runs_summary(seconds: list[float]) -> dict[str, Any]:
    """min/median/max of whole runs, in seconds."""
    return {
        "runs_s": [round(s, 3) for s in seconds],
        "min_s": round(min(seconds), 3),
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
    }


def write_result(section: str, data: dict[str, Any], path: Path = RESULTS) -> None:
    """Store one benchmark's figures under ``section`` in the results file (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    results["machine"] = machine()
    results["updated_at"] = now
    results[section] = {"measured_at": now, **data}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    print(f"results: {path.relative_to(REPO) if path.is_relative_to(REPO) else path} "
          f"[{section}]")
