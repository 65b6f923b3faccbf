"""报表 (VIEW_REPORTS): run a report of the catalogue, read it, export it.

Choose the report (title and rule id) and the month, or a from/to period; 生成 (F5) builds
it on a worker thread behind a progress dialog with 取消; each section is a tab (typed
formatting, subtotal and total rows bold, notes under the table). 导出 XLSX / CSV / PDF
(EXPORT_REPORTS) asks for a file and writes it off the GUI thread, with progress and
取消; a cancelled export leaves no file (the writers are atomic). CSV writes the section
of the tab shown (one table per file).
"""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import pharmacy_pos.reports  # noqa: F401 - importing the package registers the reports
from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.reports.catalog import REPORTS, IsCancelled, Period, Progress, ReportSpec
from pharmacy_pos.reports.export import export_report
from pharmacy_pos.reports.model import Report
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.export_job import ExportJob, Writer, attach_progress_dialog, report_export
from pharmacy_pos.ui.report_model import SectionTableModel
from pharmacy_pos.ui.report_pdf import write_pdf
from pharmacy_pos.ui.report_texts import report_text
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE

#: The keys of the export buttons, in the order of FORMATS.
_EXPORT_KEYS = (Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F8)

#: format -> (button text, file filter, suffix); texts translated by ReportsView.
FORMATS: dict[str, tuple[str, str, str]] = {
    "xlsx": (QT_TRANSLATE_NOOP("ReportsView", "导出 XLSX(F6)"),
             QT_TRANSLATE_NOOP("ReportsView", "Excel 工作簿 (*.xlsx)"), ".xlsx"),
    "csv": (QT_TRANSLATE_NOOP("ReportsView", "导出 CSV(F7)"),
            QT_TRANSLATE_NOOP("ReportsView", "CSV 文件 (*.csv)"), ".csv"),
    "pdf": (QT_TRANSLATE_NOOP("ReportsView", "导出 PDF(F8)"),
            QT_TRANSLATE_NOOP("ReportsView", "PDF 文件 (*.pdf)"), ".pdf"),
}


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> str:
    """The save-file dialog; empty when the person cancels. A seam: tests replace it."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path


#: The catalogue's report titles (reports.catalog.REPORTS), marked for lupdate: the list
#: shows them in the interface language; the reports themselves stay Chinese documents.
_REPORT_TITLES = (
    QT_TRANSLATE_NOOP("ReportsView", "进销存月报"),
    QT_TRANSLATE_NOOP("ReportsView", "医保结算对账表"),
    QT_TRANSLATE_NOOP("ReportsView", "外配处方费用月度统计表"),
    QT_TRANSLATE_NOOP("ReportsView", "医保购药分类台帐"),
    QT_TRANSLATE_NOOP("ReportsView", "医保自查报告"),
)


_MONTH = re.compile(r"(\d{4})年(\d{1,2})月")
_RANGE = re.compile(r"(\S+) 至 (\S+)")


def period_text(label: str) -> str:
    """``Period.label()`` (``2026年10月``, ``2026-10-01 至 2026-10-15``) in the interface
    language; the report keeps the Chinese label it is filed with."""
    translate = QCoreApplication.translate
    if month := _MONTH.fullmatch(label):
        return translate("ReportsView", "{0}年{1}月").format(month[1], month[2])
    if days := _RANGE.fullmatch(label):
        return translate("ReportsView", "{0} 至 {1}").format(days[1], days[2])
    return label


def report_label(spec: ReportSpec) -> str:
    """How a report is listed: ``药品进销存月报（REP-1）``."""
    title = QCoreApplication.translate("ReportsView", spec.title)
    if not spec.rule_id:
        return title
    return QCoreApplication.translate("ReportsView", "{0}（{1}）").format(title, spec.rule_id)


class ReportsView(QWidget):
    """The reports screen: choose, generate, read, export."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        actor.require(Permission.VIEW_REPORTS)
        self._ctx = ctx
        self._actor = actor
        self._report: Report | None = None
        self._jobs: list[ExportJob] = []
        self.last_export: list[Path] = []

        title = QLabel(self.tr("报表"))
        title.setStyleSheet(TITLE_STYLE)
        self.report_combo = QComboBox()
        self.report_combo.setObjectName("report_combo")
        for spec in sorted(REPORTS.values(), key=lambda s: (s.rule_id, s.key)):
            self.report_combo.addItem(report_label(spec), spec.key)

        today = ctx.clock.today()
        self.month_edit = QDateEdit(QDate(today.year, today.month, 1))
        self.month_edit.setObjectName("month_edit")
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.range_check = QCheckBox(self.tr("按日期范围"))
        self.range_check.setObjectName("range_check")
        self.from_edit = QDateEdit(QDate(today.year, today.month, 1))
        self.to_edit = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.range_check.toggled.connect(self._on_range_check_toggled)
        self._on_range_check_toggled(False)

        self.generate_button = QPushButton(self.tr("生成 (F5)"))
        self.generate_button.setObjectName("generate_button")
        self.generate_button.clicked.connect(self.generate)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.generate,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        choose = QHBoxLayout()
        choose_label = QLabel(self.tr("报表(&R)"))
        choose_label.setBuddy(self.report_combo)  # Alt+R chooses the report
        choose.addWidget(choose_label)
        choose.addWidget(self.report_combo, 1)
        choose.addWidget(QLabel(self.tr("月份")))
        choose.addWidget(self.month_edit)
        choose.addWidget(self.range_check)
        choose.addWidget(self.from_edit)
        choose.addWidget(QLabel(self.tr("至")))
        choose.addWidget(self.to_edit)
        choose.addWidget(self.generate_button)

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet(FOOTNOTE_STYLE)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("section_tabs")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        exports = QHBoxLayout()
        self.export_buttons: dict[str, QPushButton] = {}
        for (key, (text, _, _)), f_key in zip(FORMATS.items(), _EXPORT_KEYS, strict=True):
            button = QPushButton(self.tr(text))
            button.setObjectName(f"export_{key}_button")
            button.clicked.connect(functools.partial(self.export, key))
            QShortcut(QKeySequence(f_key), self, button.click,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            button.setVisible(actor.can(Permission.EXPORT_REPORTS))
            self.export_buttons[key] = button
            exports.addWidget(button)
        exports.addStretch(1)
        exports.addWidget(self.status, 3)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(choose)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(exports)
        self._enable()

    # -- choosing --------------------------------------------------------------------------

    def _on_range_check_toggled(self, checked: bool) -> None:
        self.month_edit.setEnabled(not checked)
        self.from_edit.setEnabled(checked)
        self.to_edit.setEnabled(checked)

    def selected_spec(self) -> ReportSpec:
        """The report chosen in the list."""
        return REPORTS[self.report_combo.currentData()]

    def select_report(self, key: str) -> None:
        """Choose a report by its key (``monthly-stock``...)."""
        index = self.report_combo.findData(key)
        if index < 0:
            raise KeyError(key)
        self.report_combo.setCurrentIndex(index)

    def period(self) -> Period | None:
        """The period chosen, or None (with the reason shown) when it is not valid."""
        if self.range_check.isChecked():
            first: date = self.from_edit.date().toPython()  # type: ignore[assignment]
            last: date = self.to_edit.date().toPython()  # type: ignore[assignment]
            if last < first:
                self._say(self.tr("结束日期不能早于开始日期"), error=True)
                return None
            return Period(first, last)
        month = self.month_edit.date()
        return Period.month(month.year(), month.month())

    # -- generating ------------------------------------------------------------------------

    def generate(self) -> ExportJob | None:
        """Build the chosen report on a worker thread; returns the job (None if refused)."""
        if self._busy():
            return None
        period = self.period()
        if period is None:
            return None
        spec = self.selected_spec()
        ctx, actor = self._ctx, self._actor
        # Services are built lazily by the context: build them here, on the GUI thread.
        services = {"clock": ctx.clock, "insurer": ctx.insurer, "identity": ctx.identity}

        def work(progress: Progress, cancelled: IsCancelled) -> Report:
            return spec.build(ctx.uow, actor, period, progress=progress, cancelled=cancelled,
                              **services)

        job = ExportJob(work, parent=self)  # type: ignore[arg-type] - the work returns a Report
        job.finished.connect(self._on_build_finished)
        job.failed.connect(self._on_job_failed)
        job.canceled.connect(lambda: self._say(self.tr("已取消生成")))
        title = self.tr(spec.title)
        self._say(self.tr("正在生成 {0}（{1}）…").format(title, period_text(period.label())))
        self._start(job, self.tr("正在生成{0}…").format(title), self.tr("生成报表"))
        return job

    def _on_build_finished(self, report: Report) -> None:
        self.show_report(report)
        rows = sum(len(s.rows) for s in report.sections)
        self._say(self.tr("已生成：{0} 个表，{1} 行").format(len(report.sections), rows))

    def show_report(self, report: Report) -> None:
        """Show ``report``: one tab per section."""
        self._report = report
        self.heading.setText(self.tr("{0}　门店：{1}　期间：{2}　生成：{3}").format(
            QCoreApplication.translate("ReportsView", report.title), report.store,
            period_text(report.period), local_text(report.generated_at)))
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        for section in report.sections:
            page = QWidget()
            table = QTableView()
            table.setObjectName("section_table")
            table.setTabKeyNavigation(False)  # Tab leaves the table for the export keys
            table.setModel(SectionTableModel(section, table))
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setAlternatingRowColors(True)
            table.horizontalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents)
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(table, 1)
            if section.notes:
                notes = QLabel("\n".join(section.notes))
                notes.setObjectName("section_notes")
                notes.setWordWrap(True)
                notes.setStyleSheet(FOOTNOTE_STYLE)
                box.addWidget(notes)
            self.tabs.addTab(page, report_text(section.name))
        self._enable()

    def report(self) -> Report | None:
        """The report shown, if any."""
        return self._report

    def section_tables(self) -> list[QTableView]:
        """The tables of the tabs, in section order."""
        return [self.tabs.widget(i).findChild(QTableView, "section_table")
                for i in range(self.tabs.count())]

    # -- exporting -------------------------------------------------------------------------

    def export(self, fmt: str) -> ExportJob | None:
        """Ask for a file and write the shown report as ``fmt`` (xlsx, csv, pdf)."""
        report = self._report
        if report is None or self._busy():
            return None
        if not self._actor.can(Permission.EXPORT_REPORTS):
            self._say(self.tr("无导出报表的权限"), error=True)
            return None
        text, file_filter, suffix = FORMATS[fmt]
        suggested = f"{report.title}-{report.period}{suffix}"
        chosen = ask_save_path(self, self.tr(text), suggested, self.tr(file_filter))
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(suffix)
        # The service checks EXPORT_REPORTS again (SEC-1): hiding the buttons is not enough.
        writer: Writer = functools.partial(
            export_report, self._actor, fmt=fmt, writer=write_pdf if fmt == "pdf" else None,
            section=max(0, self.tabs.currentIndex()) if fmt == "csv" else None)
        job = ExportJob(report_export(lambda _p, _c: report, writer, path), parent=self)
        job.finished.connect(self._on_export_finished)
        job.failed.connect(self._on_job_failed)
        job.canceled.connect(lambda: self._say(self.tr("已取消导出，未生成文件")))
        self._say(self.tr("正在导出 {0}…").format(path.name))
        self._start(job, self.tr("正在导出 {0}…").format(path.name), self.tr("导出"))
        return job

    def _on_export_finished(self, path: Path) -> None:
        self.last_export = [path]
        self._say(self.tr("已导出：{0}").format(path))

    # -- jobs ------------------------------------------------------------------------------

    def _start(self, job: ExportJob, text: str, title: str) -> None:
        self._jobs.append(job)
        for signal in (job.finished, job.failed, job.canceled):
            signal.connect(functools.partial(self._on_job_over, job))
        dialog = attach_progress_dialog(job, self, text)
        dialog.setWindowTitle(title)
        self.progress_dialog = dialog
        self._enable()
        job.start()

    def _on_job_over(self, job: ExportJob, *_args: object) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        job.deleteLater()
        self._enable()

    def _on_job_failed(self, message: str) -> None:
        self._say(message, error=True)

    def running_jobs(self) -> list[ExportJob]:
        """Jobs still at work."""
        return list(self._jobs)

    def _busy(self) -> bool:
        return bool(self._jobs)

    def _enable(self) -> None:
        busy = self._busy()
        self.generate_button.setEnabled(not busy)
        for button in self.export_buttons.values():
            button.setEnabled(not busy and self._report is not None)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop running jobs: a worker must not outlive the screen it reports to."""
        self.stop_jobs()
        super().closeEvent(event)

    def stop_jobs(self, timeout: float = 30) -> None:
        """Cancel every running job and wait for its thread."""
        for job in list(self._jobs):
            job.cancel()
            job.wait(timeout)

