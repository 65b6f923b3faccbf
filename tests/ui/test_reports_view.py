"""报表 screen (issue 7): a report generated off the GUI thread shows its sections as
tables (typed formatting, bold totals); exports go to the file chosen, read back the
same; a cancelled export leaves no file; only EXPORT_REPORTS sees the export buttons."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.reports import export
from pharmacy_pos.reports.model import Kind
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui import reports_view
from pharmacy_pos.ui.export_job import ExportJob
from pharmacy_pos.ui.report_model import SectionTableModel
from pharmacy_pos.ui.reports_view import ReportsView
from pharmacy_pos.ui.screens import SCREENS

WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def stop_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every job a test started is cancelled and joined, even when the test fails."""
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


@pytest.fixture
def manager(log_in: Callable[[str], Actor]) -> Actor:
    return log_in("manager")


def open_reports(qtbot: QtBot, ctx: AppContext, actor: Actor) -> ReportsView:
    spec = next(s for s in SCREENS if s.key == "reports")
    view = spec.factory(ctx, actor, None)
    assert isinstance(view, ReportsView)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_generated_report_shows_each_section_as_a_table(
        qtbot: QtBot, app_ctx: AppContext, manager: Actor,
        qtmodeltester: ModelTester) -> None:
    view = open_reports(qtbot, app_ctx, manager)
    assert view.report_combo.currentText().endswith("）")  # title with its rule id
    assert view.export_buttons["csv"].isEnabled() is False  # nothing to export yet
    view.select_report("monthly")
    with qtbot.waitSignal(view.tabs.currentChanged, timeout=WAIT_MS):
        qtbot.keyClick(view.generate_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not view.running_jobs(), timeout=WAIT_MS)
    report = view.report()
    assert report is not None and report.period == "2026年11月"
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == \
        [s.name for s in report.sections]
    section = report.sections[0]
    table = view.section_tables()[0]
    model = table.model()
    assert isinstance(model, SectionTableModel)
    qtmodeltester.check(model)
    assert model.rowCount() == len(section.rows) + len(section.subtotals) + \
        (section.total is not None) > 0
    money = next(i for i, c in enumerate(section.columns) if c.kind is Kind.MONEY)
    text = model.index(0, money).data()
    assert text.replace(",", "").replace("-", "").count(".") == 1
    assert len(text.rsplit(".", 1)[1]) == 2
    assert model.index(0, money).data(Qt.ItemDataRole.TextAlignmentRole) & \
        Qt.AlignmentFlag.AlignRight
    last = model.rowCount() - 1
    assert model.row_kind(last) == "total"
    assert model.index(last, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert view.export_buttons["csv"].isEnabled()


def _generate(qtbot: QtBot, view: ReportsView, key: str) -> None:
    view.select_report(key)
    job = view.generate()
    assert job is not None
    qtbot.waitUntil(lambda: view.report() is not None and not view.running_jobs(),
                    timeout=WAIT_MS)


def test_a_csv_export_writes_the_shown_section_and_reads_back(
        qtbot: QtBot, app_ctx: AppContext, manager: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = open_reports(qtbot, app_ctx, manager)
    _generate(qtbot, view, "monthly")
    target = tmp_path / "月报"
    monkeypatch.setattr(reports_view, "ask_save_path", lambda *a: str(target))
    view.export_buttons["csv"].click()
    qtbot.waitUntil(lambda: not view.running_jobs(), timeout=WAIT_MS)
    written = target.with_suffix(".csv")
    assert view.last_export == [written]
    assert "已导出" in view.status.text()
    with written.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    section = view.report().sections[0]
    assert rows[0] == [c.header for c in section.columns]
    assert len(rows) == 1 + len(section.rows) + len(section.subtotals) + \
        (section.total is not None)


def test_a_cancelled_export_leaves_no_file(
        qtbot: QtBot, app_ctx: AppContext, manager: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = open_reports(qtbot, app_ctx, manager)
    _generate(qtbot, view, "monthly")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "月报.xlsx"
    monkeypatch.setattr(reports_view, "ask_save_path", lambda *a: str(target))
    real = export.write_xlsx

    def slow_xlsx(report, path, *, progress, cancelled):
        # Holds the export open (as a long one is) until the person cancels, then lets
        # the real writer see the cancellation.
        deadline = time.monotonic() + 20
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(report, path, progress=progress, cancelled=cancelled)

    monkeypatch.setattr(export, "write_xlsx", slow_xlsx)
    job = view.export("xlsx")
    assert job is not None
    dialog = view.progress_dialog
    assert isinstance(dialog, QProgressDialog)
    (cancel,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "取消"]
    with qtbot.waitSignal(job.canceled, timeout=WAIT_MS):
        cancel.click()
    qtbot.waitUntil(lambda: not view.running_jobs(), timeout=WAIT_MS)
    assert not target.exists()
    assert list(out.iterdir()) == []  # no temporary file either
    assert "已取消导出" in view.status.text()
    assert view.export_buttons["xlsx"].isEnabled()


def test_the_auditor_reads_reports_without_exporting_and_a_cashier_may_not_open_them(
        qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor]) -> None:
    auditor = open_reports(qtbot, app_ctx, log_in("auditor"))  # VIEW_REPORTS only
    _generate(qtbot, auditor, "monthly")
    assert auditor.section_tables()[0].model().rowCount() > 0
    assert all(b.isHidden() for b in auditor.export_buttons.values())
    assert auditor.export("csv") is None
    assert "无导出报表的权限" in auditor.status.text()
    with pytest.raises(PermissionDenied):
        ReportsView(app_ctx, log_in("cashier"))


def test_a_pdf_export_through_the_screen_writes_a_pdf(
        qtbot: QtBot, app_ctx: AppContext, manager: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = open_reports(qtbot, app_ctx, manager)
    _generate(qtbot, view, "monthly")
    target = tmp_path / "月报.pdf"
    monkeypatch.setattr(reports_view, "ask_save_path", lambda *a: str(target))
    view.export_buttons["pdf"].click()
    qtbot.waitUntil(lambda: not view.running_jobs(), timeout=WAIT_MS)
    assert view.last_export == [target], view.status.text()
    assert target.read_bytes()[:5] == b"%PDF-"
