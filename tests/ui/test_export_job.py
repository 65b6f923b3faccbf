"""Exports off the GUI thread (issue 7): progress arrives by signal, the dialog's cancel
button stops the work and leaves no file, a finished export reports its path."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from pharmacy_pos.reports.catalog import Cancelled, IsCancelled, Progress
from pharmacy_pos.reports.export import write_csv, write_xlsx
from pharmacy_pos.reports.model import Report
from pharmacy_pos.ui.export_job import SCALE, ExportJob, attach_progress_dialog, report_export
from tests.report_samples import stock_report

WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def stop_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every job a test started is cancelled and joined, even when the test fails: a
    worker thread still emitting while the interpreter shuts down crashes PySide."""
    started: list[ExportJob] = []
    original = ExportJob.start

    def start(self: ExportJob) -> None:
        started.append(self)
        original(self)

    monkeypatch.setattr(ExportJob, "start", start)
    yield
    for job in started:
        job.cancel()
        assert job.wait(30)


def quick_build(rows: int):
    def build(progress: Progress, cancelled: IsCancelled) -> Report:
        progress(0, 1)
        report = stock_report(rows)
        progress(1, 1)
        return report

    return build


def slow_build(progress: Progress, cancelled: IsCancelled) -> Report:
    """A builder that takes 10 s unless cancelled, checking every 10 ms as builders do."""
    for step in range(1000):
        if cancelled():
            raise Cancelled()
        progress(step, 1000)
        time.sleep(0.01)
    return stock_report(10)


def test_a_finished_export_reports_progress_and_its_path(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "月报.xlsx"
    job = ExportJob(report_export(quick_build(2000), write_xlsx, path))
    seen: list[int] = []
    job.progressed.connect(lambda done, total: seen.append(done * SCALE // total))
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS) as finished:
        job.start()
    assert job.wait(5)
    assert finished.args == [path]
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["进销存明细"]
    assert seen == sorted(seen)
    assert seen[-1] == SCALE and any(0 < s < SCALE for s in seen)
    assert any(s > SCALE // 2 for s in seen[:-1])  # the writing half reported too


def test_the_dialog_cancel_button_stops_the_export_and_leaves_no_file(
        qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "月报.xlsx"
    job = ExportJob(report_export(slow_build, write_xlsx, path))
    dialog = attach_progress_dialog(job, None, "正在导出…")
    failures: list[str] = []
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.progressed, timeout=WAIT_MS):
        job.start()
    started = time.monotonic()
    with qtbot.waitSignal(job.canceled, timeout=WAIT_MS):
        dialog.findChild(QPushButton).click()  # the 取消 button
    assert time.monotonic() - started < 5  # stopped, did not run to the end
    assert job.wait(5)
    assert job.is_cancelled() and failures == []
    assert list(tmp_path.iterdir()) == []
    assert not dialog.isVisible()


def test_cancelling_while_writing_leaves_no_file(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "明细.csv"
    job = ExportJob(report_export(quick_build(20_000), write_csv, path))

    def cancel_when_writing(done: int, total: int) -> None:
        if done > SCALE // 2:
            job.cancel()

    job.progressed.connect(cancel_when_writing)
    with qtbot.waitSignal(job.canceled, timeout=WAIT_MS):
        job.start()
    assert job.wait(5)
    assert list(tmp_path.iterdir()) == []


def test_a_write_failure_is_reported_in_chinese(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "r.xlsx"
    job = ExportJob(report_export(quick_build(10), write_xlsx, path))
    with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as failed:
        job.start()
    assert job.wait(5)
    assert failed.args[0].startswith("无法写入文件")
