"""Cold start of the GUI to the login window, and its memory.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5]

Prepares a fresh data folder with ``pharmacy-pos-cli demo`` (``PHARMACY_POS_DATA_DIR`` a
temporary directory), then starts ``pharmacy-pos --startup-probe`` there ``--runs``
times with ``QT_QPA_PLATFORM=offscreen``, each a new process. The app prints
``LOGIN_READY <seconds since process start> <RSS MB>`` once the login window is shown
and quits. Per run this records:

- ``probe_s``: the app's own figure, from the kernel's process start time (10 ms ticks);
- ``spawn_to_line_s``: wall clock here from spawning the process to reading that line;
- ``probe_rss_mb``: resident memory when the login window is up (the app's figure);
- ``peak_rss_mb``: the process's peak resident memory over its life (``wait4``).

"Cold" means a new process each time; the OS file cache is warm (the first run after
the demo set-up also writes the bytecode caches of any module not yet compiled). For
scale, the same is measured for a bare PySide6 program that shows one label (``qt_floor``):
what any Qt Widgets app costs on this machine before our code does anything.

Targets: 1.5 s or less to the login window (median), 250 MB or less resident.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from benchlib import VENV_BIN, runs_summary, write_result

TARGET_S = 1.5
TARGET_MB = 250.0
TIMEOUT_S = 60.0
_LINE = re.compile(r"^LOGIN_READY\s+([0-9.]+)\s+([0-9.]+)\s*$")

# A bare Qt Widgets program: the floor under any GUI start-up on this machine.
_QT_FLOOR = r"""
import os, time
def uptime():
    stat = open("/proc/self/stat").read()
    started = int(stat[stat.rindex(")") + 2:].split()[19]) / os.sysconf("SC_CLK_TCK")
    return float(open("/proc/uptime").read().split()[0]) - started
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("登录")
label.show()
def report():
    print(f"LOGIN_READY {uptime():.3f} {rss():.1f}", flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def run_once(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Start ``command``, wait for its LOGIN_READY line and its exit."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL, text=True)
        timer = threading.Timer(TIMEOUT_S, proc.kill)  # only the process started here
        timer.start()
        line_at = None
        probe = None
        out_lines = []
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                out_lines.append(line)
                match = _LINE.match(line)
                if match and probe is None:
                    line_at = time.perf_counter() - started
                    probe = (float(match.group(1)), float(match.group(2)))
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
        exited_at = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if probe is None or proc.returncode != 0:
        tail = "".join(out_lines[-5:]) + stderr[-2000:]
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode} without a "
                           f"LOGIN_READY line:\n{tail}")
    return {
        "probe_s": probe[0], "spawn_to_line_s": round(line_at or 0.0, 3),
        "spawn_to_exit_s": round(exited_at, 3), "probe_rss_mb": probe[1],
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def series(name: str, command: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    results = []
    for run in range(runs):
        result = run_once(command, env)
        results.append(result)
        print(f"  {name} run {run + 1}: {result['probe_s']:.3f} s (spawn to line "
              f"{result['spawn_to_line_s']:.3f} s), RSS {result['probe_rss_mb']:.0f} MB at "
              f"login, peak {result['peak_rss_mb']:.0f} MB", flush=True)
    summary = runs_summary([r["probe_s"] for r in results])
    summary["spawn_to_line_median_s"] = round(
        statistics.median(r["spawn_to_line_s"] for r in results), 3)
    summary["max_probe_rss_mb"] = max(r["probe_rss_mb"] for r in results)
    summary["max_peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    summary["runs"] = results
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GUI start-up benchmark")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)
    gui = VENV_BIN / "pharmacy-pos"
    cli = VENV_BIN / "pharmacy-pos-cli"
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "PHARMACY_POS_DATABASE_URL"}
        env |= {"PHARMACY_POS_DATA_DIR": data_dir, "QT_QPA_PLATFORM": "offscreen",
                "PYTHONIOENCODING": "utf-8"}
        started = time.perf_counter()
        demo = subprocess.run([str(cli), "demo"], env=env, capture_output=True, text=True,
                              check=False, timeout=300)
        if demo.returncode != 0:
            print(f"pharmacy-pos-cli demo failed ({demo.returncode}):\n{demo.stdout}"
                  f"{demo.stderr}", file=sys.stderr)
            return 1
        demo_s = time.perf_counter() - started
        print(f"data folder prepared with pharmacy-pos-cli demo in {demo_s:.1f} s", flush=True)
        try:
            app = series("pharmacy-pos", [str(gui), "--startup-probe"], env, args.runs)
        except RuntimeError as exc:
            print(f"start-up probe unavailable: {exc}", file=sys.stderr)
            return 1
        floor = series("qt_floor", [sys.executable, "-c", _QT_FLOOR], env, args.runs)
    met = app["median_s"] <= TARGET_S and app["max_probe_rss_mb"] <= TARGET_MB
    print(f"to login window: min {app['min_s']:.3f} s, median {app['median_s']:.3f} s, "
          f"max {app['max_s']:.3f} s; RSS at login max {app['max_probe_rss_mb']:.0f} MB "
          f"(peak {app['max_peak_rss_mb']:.0f} MB); bare Qt floor median "
          f"{floor['median_s']:.3f} s, {floor['max_probe_rss_mb']:.0f} MB; targets <= "
          f"{TARGET_S} s, <= {TARGET_MB:.0f} MB: {'met' if met else 'NOT met'}")
    if not args.no_json:
        write_result("startup", {
            "target_s": TARGET_S, "target_mb": TARGET_MB, "target_met": met,
            "demo_setup_s": round(demo_s, 1), "app": app, "qt_floor": floor,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
