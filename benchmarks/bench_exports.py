"""Report exports (issue 7): XLSX, CSV and PDF of a 20,000-row monthly stock report.

    .venv/bin/python benchmarks/bench_exports.py [--rows 20000] [--runs 3] [--pdf-runs 1]
        [--no-pdf] [--no-json]

The report is synthetic (``tests/report_samples.py``: shaped like 药品进销存月报, 16
columns: codes, Chinese names, specs and makers, batch, expiry date, four quantities,
four money amounts, a four-place unit price; three subtotals and a total), built once
outside the timing. Each export is timed whole, from the call to the renamed file, with
``time.perf_counter`` (min / median / max of ``--runs``), into a temporary folder:

- ``write_xlsx`` (our streaming writer ``reports/xlsx.py``, styles and number formats).
  Target: **<= 5 s**.
- ``write_csv`` (UTF-8 with BOM), for information.
- ``write_pdf`` (QPdfWriter + QPainter, offscreen QGuiApplication), for information; also
  its page count and file size.

Progress callbacks and cancellation checks run as in the app (a no-op callback).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import REPO, runs_summary, write_result

sys.path.insert(0, str(REPO))  # tests/report_samples.py: the same rows the tests export

from pharmacy_pos.reports.export import write_csv, write_xlsx
from tests.report_samples import stock_report

TARGET_XLSX_S = 5.0


def timed(runs: int, export: Callable[[Path], Any], folder: Path, suffix: str) -> dict:
    seconds: list[float] = []
    size = 0
    for run in range(runs):
        target = folder / f"run{run}{suffix}"
        started = time.perf_counter()
        export(target)
        seconds.append(time.perf_counter() - started)
        size = target.stat().st_size
        target.unlink()
    return {**runs_summary(seconds), "file_bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="report export benchmark")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf-runs", type=int, default=1)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    parser.add_argument("--no-json", action="store_true", help="do not write results")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    report = stock_report(args.rows)
    print(f"report of {args.rows} rows x {len(report.sections[0].columns)} columns built in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    results: dict[str, Any] = {"rows": args.rows,
                               "columns": len(report.sections[0].columns)}
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as name:
        folder = Path(name)
        results["xlsx"] = timed(args.runs, lambda p: write_xlsx(report, p), folder, ".xlsx")
        print(f"xlsx: min {results['xlsx']['min_s']:.2f} s, median "
              f"{results['xlsx']['median_s']:.2f} s, "
              f"{results['xlsx']['file_bytes'] / 2**20:.1f} MB", flush=True)
        results["csv"] = timed(args.runs, lambda p: write_csv(report, p), folder, ".csv")
        print(f"csv: median {results['csv']['median_s']:.2f} s", flush=True)
        if not args.no_pdf:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from PySide6.QtGui import QGuiApplication

            from pharmacy_pos.ui.report_pdf import write_pdf

            app = QGuiApplication.instance() or QGuiApplication(["bench_exports"])
            pages: list[int] = []

            def pdf(path: Path) -> None:
                write_pdf(report, path)
                pages.append(path.read_bytes().count(b"/Type /Page\n")
                             or path.read_bytes().count(b"/Type /Page"))

            results["pdf"] = timed(args.pdf_runs, pdf, folder, ".pdf")
            results["pdf"]["pages"] = pages[-1]
            print(f"pdf: median {results['pdf']['median_s']:.2f} s, {pages[-1]} pages "
                  f"(counted in the file), {results['pdf']['file_bytes'] / 2**20:.1f} MB",
                  flush=True)
            app.shutdown()  # PySide6: without it the interpreter crashes at exit (refcount)
    met = results["xlsx"]["median_s"] <= TARGET_XLSX_S
    print(f"xlsx target <= {TARGET_XLSX_S} s: {'met' if met else 'NOT met'}")
    if not args.no_json:
        write_result("exports", {"target_xlsx_s": TARGET_XLSX_S, "target_met": met,
                                 **results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
