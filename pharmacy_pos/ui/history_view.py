"""销售记录 (SELL): the store's sales and returns of a day, each printout previewed as it
prints, reprinted as a marked copy (重打, with a reason, audit-logged), and the shift
report (交班).

Keyboard-first: the list has the focus; ↑/↓ choose a document and its printout shows at
once. Alt+D the date, Alt+K which printout (receipt, return slip, or a prescription
sale's dispensing labels), F5 refresh, Ctrl+P 重打, F8 交班.

Printing never waits here: a reprint or a shift report is queued and the print worker is
woken (``print_status.PrintQueue``); the till's status line says how the printer is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.money import ZERO, format_yuan
from pharmacy_pos.domain.printout import Document
from pharmacy_pos.domain.receipts import shift_report
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.printing import DocumentRow, PrintService, day_start
from pharmacy_pos.ui.errors import error_text, show_error
from pharmacy_pos.ui.print_status import PrintQueue, ReasonDialog, find_print_queue
from pharmacy_pos.ui.printout_view import PrintoutPreview
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import CENTER, RIGHT, Column, DtoTableModel

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

T = TypeVar("T")

GREEN = "#1e8449"

#: A printout of a document: (kind, line number of a label or None).
Printout = tuple[str, int | None]


def _time(row: DocumentRow) -> str:
    return row.completed_at.astimezone(STORE_ZONE).strftime("%H:%M:%S")


# DocumentRow.kind_label as the print service writes it, marked for lupdate.
_KIND_LABELS = (QT_TRANSLATE_NOOP("HistoryView", "销售"), QT_TRANSLATE_NOOP("HistoryView", "退货"))


def document_columns() -> list[Column]:
    """The history list's columns."""
    # lupdate reads translate() only with a literal context (a local tr() would be
    # filed under no context and never found at run time).
    translate = QCoreApplication.translate
    insured, self_paid = translate("HistoryView", "医保"), translate("HistoryView", "自费")
    return [
        Column(translate("HistoryView", "单号"), lambda r: r.doc_no,
               tooltip=lambda r: r.original_doc_no and translate(
                   "HistoryView", "原单 {0}").format(r.original_doc_no)),
        Column(translate("HistoryView", "时间"), _time, CENTER),
        Column(translate("HistoryView", "类型"),
               lambda r: translate("HistoryView", r.kind_label), CENTER),
        Column(translate("HistoryView", "金额"), lambda r: format_yuan(r.total), RIGHT),
        Column(translate("HistoryView", "收银员"), lambda r: r.cashier),
        Column(translate("HistoryView", "结算"),
               lambda r: insured if r.insured else self_paid, CENTER),
        Column(translate("HistoryView", "终端"), lambda r: r.terminal_id, CENTER),
    ]


class ShiftDialog(QDialog):
    """交班: the shift's totals as they will print, and 打印 (queued)."""

    def __init__(self, document: Document, summary: str, print_: Callable[[], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("交班报表"))
        self._print = print_
        self.summary_label = QLabel(summary)
        self.summary_label.setObjectName("summary_label")
        self.summary_label.setWordWrap(True)
        self.preview = PrintoutPreview(document.columns)
        self.preview.show_document(document)
        self.preview.setMinimumHeight(420)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.print_button = self.buttons.addButton(self.tr("打印(Enter)"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("print_button")
        self.print_button.setDefault(True)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.preview, 1, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.print_button.setFocus()

    def _on_buttons_accepted(self) -> None:
        if self._print():
            self.accept()


class HistoryView(QWidget):
    """销售记录: the list of a day's documents, the selected printout, 重打 and 交班.

    ``print_queue`` is the queue to wake after queueing a printout; by default the
    session's (found through the window), none when the screen stands alone.
    """

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *,
                 print_queue: PrintQueue | None = None) -> None:
        super().__init__(parent)
        self._service: PrintService = ctx.printing
        self._clock: Clock = ctx.clock
        self._actor = actor
        self._print_queue = print_queue
        self.reason_dialog: ReasonDialog | None = None
        self.shift_dialog: ShiftDialog | None = None

        title = QLabel(self.tr("销售记录"))
        title.setStyleSheet(TITLE_STYLE)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("date_edit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        today = self._clock.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setMaximumDate(self.date_edit.date())
        date_label = QLabel(self.tr("日期(&D)"))
        date_label.setBuddy(self.date_edit)
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reprint_button = QPushButton(self.tr("重打(Ctrl+P)"))
        self.reprint_button.setObjectName("reprint_button")
        self.reprint_button.setShortcut(QKeySequence("Ctrl+P"))
        self.shift_button = QPushButton(self.tr("交班(F8)"))
        self.shift_button.setObjectName("shift_button")
        self.shift_button.setShortcut(QKeySequence(Qt.Key.Key_F8))
        for button in (self.refresh_button, self.reprint_button, self.shift_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the list
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(16)
        header.addWidget(date_label)
        header.addWidget(self.date_edit)
        header.addWidget(self.refresh_button)
        header.addStretch(1)
        header.addWidget(self.reprint_button)
        header.addWidget(self.shift_button)

        self.model = DtoTableModel(document_columns(), self)
        self.table = QTableView()
        self.table.setObjectName("documents_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary_label")
        self.summary_label.setStyleSheet(FOOTNOTE_STYLE)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.summary_label)

        self.printout_combo = QComboBox()
        self.printout_combo.setObjectName("printout_combo")
        self.printout_combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        printout_label = QLabel(self.tr("打印内容(&K)"))
        printout_label.setBuddy(self.printout_combo)
        self.preview = PrintoutPreview(self._service.columns)
        choose = QHBoxLayout()
        choose.addWidget(printout_label)
        choose.addWidget(self.printout_combo, 1)
        right = QVBoxLayout()
        right.addLayout(choose)
        right.addWidget(self.preview, 1)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        hint = QLabel(self.tr("↑/↓ 选择单据　Alt+K 选择打印内容　Alt+D 日期　F5 刷新　"
                              "Ctrl+P 重打　F8 交班"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(hint)
        self.setFocusProxy(self.table)
        QWidget.setTabOrder(self.table, self.printout_combo)
        QWidget.setTabOrder(self.printout_combo, self.date_edit)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.date_edit, self.table.setFocus)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.date_edit.dateChanged.connect(self._on_date_edit_date_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.reprint_button.clicked.connect(self._on_reprint_button_clicked)
        self.shift_button.clicked.connect(self._on_shift_button_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.printout_combo.currentIndexChanged.connect(self._on_printout_combo_changed)
        self.refresh()

    # -- the list -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the chosen day afresh, keeping the selected document when it is listed."""
        chosen = self.selected_row()
        day = self.date_edit.date().toPython()
        rows = self._run(lambda: self._service.recent_documents(self._actor, day)) or []
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        sales = [r for r in rows if r.kind == "sale"]
        returns = [r for r in rows if r.kind == "return"]
        self.summary_label.setText(self.tr("销售 {0} 笔 {1}　退货 {2} 笔 {3}").format(
            len(sales), format_yuan(sum((r.total for r in sales), ZERO)),
            len(returns), format_yuan(sum((r.total for r in returns), ZERO))))
        if rows:
            numbers = [r.doc_no for r in rows]
            row = numbers.index(chosen.doc_no) if chosen and chosen.doc_no in numbers else 0
            self.table.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show_printouts(None)
        self.reprint_button.setEnabled(bool(rows))

    def selected_row(self) -> DocumentRow | None:
        """The document chosen in the list."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        row: DocumentRow = self.model.row_at(index.row())
        return row

    def select_document(self, doc_no: str) -> bool:
        """Choose ``doc_no`` in the list (False when it is not listed)."""
        for row, item in enumerate(self.model.rows()):
            if item.doc_no == doc_no:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return True
        return False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The list has the keys whenever the screen appears."""
        super().showEvent(event)
        self.table.setFocus()

    def _on_date_edit_date_changed(self, _date: QDate) -> None:
        self.message_label.clear()
        self.refresh()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_printouts(self.selected_row() if current.isValid() else None)

    # -- the preview ----------------------------------------------------------------------

    def _show_printouts(self, row: DocumentRow | None) -> None:
        combo = self.printout_combo
        combo.blockSignals(True)
        combo.clear()
        if row is not None:
            own = self.tr("退货单") if row.kind == "return" else self.tr("销售小票")
            combo.addItem(own, (row.printout_kind, None))
            for line_no, name in row.labels:
                combo.addItem(self.tr("用药标签 第{0}行 {1}").format(line_no, name),
                              ("label", line_no))
        combo.setEnabled(combo.count() > 1)
        combo.blockSignals(False)
        self._show_preview()

    def selected_printout(self) -> Printout | None:
        """Which printout of the selected document is shown."""
        data = self.printout_combo.currentData()
        return (data[0], data[1]) if data else None

    def select_printout(self, kind: str, line_no: int | None = None) -> bool:
        """Show the printout ``kind`` (a label: of line ``line_no``)."""
        for index in range(self.printout_combo.count()):
            if tuple(self.printout_combo.itemData(index)) == (kind, line_no):
                self.printout_combo.setCurrentIndex(index)
                return True
        return False

    def _on_printout_combo_changed(self, _index: int) -> None:
        self._show_preview()

    def _show_preview(self) -> None:
        row, printout = self.selected_row(), self.selected_printout()
        if row is None or printout is None:
            self.preview.show_document(None)
            return
        kind, line_no = printout
        document = self._run(lambda: self._service.document(
            self._actor, kind, row.doc_no, line_no=line_no))
        self.preview.show_document(document)

    # -- 重打 ------------------------------------------------------------------------------

    def _on_reprint_button_clicked(self) -> None:
        row, printout = self.selected_row(), self.selected_printout()
        if row is None or printout is None or self.reason_dialog is not None:
            return
        label = self.printout_combo.currentText()
        dialog = ReasonDialog(
            self.tr("重打"),
            self.tr("重打 {0} {1}：打印件将标注“重打”，并记入审计日志。\n请填写重打原因：")
            .format(label, row.doc_no), self)
        dialog.reason_given.connect(
            lambda reason: self._reprint(row.doc_no, printout, label, reason))
        dialog.finished.connect(self._on_reason_dialog_finished)
        self.reason_dialog = dialog
        dialog.open()

    def _reprint(self, doc_no: str, printout: Printout, label: str, reason: str) -> None:
        kind, line_no = printout
        queued = self._run(lambda: self._service.reprint(
            self._actor, kind, doc_no, line_no=line_no, reason=reason))
        if queued is None:
            return
        self._wake()
        self._say(self.tr("已加入打印队列：{0} {1}（重打）").format(label, doc_no))

    def _on_reason_dialog_finished(self, _result: int) -> None:
        dialog, self.reason_dialog = self.reason_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.table.setFocus()

    # -- 交班 ------------------------------------------------------------------------------

    def shift_period(self) -> tuple[datetime, datetime]:
        """From the start of the store day to now."""
        now = self._clock.now()
        return day_start(now.astimezone(STORE_ZONE).date()), now

    def _on_shift_button_clicked(self) -> None:
        if self.shift_dialog is not None:
            return
        start, end = self.shift_period()
        data = self._run(lambda: self._service.shift_data(self._actor, start, end))
        if data is None:
            return
        summary = self.tr("{0} 至 {1}，{2}：销售 {3} 笔，退货 {4} 笔").format(
            start.astimezone(STORE_ZONE).strftime("%Y-%m-%d %H:%M"),
            end.astimezone(STORE_ZONE).strftime("%H:%M"), data.cashier,
            data.sales_count, data.returns_count)

        def print_() -> bool:
            queued = self._run(lambda: self._service.queue_shift_report(self._actor, start, end))
            if queued is None:
                return False
            self._wake()
            self._say(self.tr("交班报表已加入打印队列"))
            return True

        dialog = ShiftDialog(shift_report(data, self._service.columns), summary, print_, self)
        dialog.finished.connect(self._on_shift_dialog_finished)
        self.shift_dialog = dialog
        dialog.open()

    def _on_shift_dialog_finished(self, _result: int) -> None:
        dialog, self.shift_dialog = self.shift_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.table.setFocus()

    # -- helpers --------------------------------------------------------------------------

    def _wake(self) -> None:
        queue = self._print_queue or find_print_queue(self)
        if queue is not None:
            queue.wake()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else f"color: {GREEN};")

    def _run(self, action: Callable[[], T]) -> T | None:
        """A use case; a refusal shows in the message line, a fault offers 重试."""
        while True:
            try:
                return action()
            except DomainError as exc:
                self._say(error_text(exc), error=True)
                return None
            except EnvironmentFault as exc:
                if not show_error(self, exc):
                    return None
