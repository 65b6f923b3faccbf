"""The print queue in Qt: the worker's reports as signals, the till's status line, the
queue dialog, and the reason dialog used for reprints and dismissals.

``PrintWorker`` (``services/printing.py``) prints on its own thread and reports each pass
through a callback on that thread. ``PrintQueue`` turns the callback into a signal handled
on the GUI thread (STYLE.md, habit 6): no widget is touched from the worker, and the till
never waits for the printer. The session controller owns the terminal's ``PrintQueue``
and hangs it on each main window (``attach``); screens find it with
:func:`find_print_queue`, so a screen built alone (tests) simply has none.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.printing import PrintService, PrintWorker, QueuedJob, QueueState
from pharmacy_pos.ui.errors import error_text, show_error
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE
from pharmacy_pos.ui.table_model import RIGHT, Column, DtoTableModel
from pharmacy_pos.ui.worker_relay import WorkerRelay

#: The main window's dynamic property holding the session's ``PrintQueue``.
PROPERTY = "print_queue"
#: Signals of screens after which something new waits to be printed.
WAKING_SIGNALS = ("return_completed",)
MAX_REASON = 200


GREEN = "#1e8449"
RED = "#c0392b"
GREY = "#7f8c8d"


class PrintQueue(WorkerRelay):
    """The terminal's print worker, reporting on the GUI thread.

    ``state_changed`` (QueueState) is emitted on the GUI thread after each pass of the
    worker; ``state`` is the last one received. ``start``/``stop`` run the worker's thread
    (stopping is final: the session stops it when the application quits; queued jobs stay
    queued for the next start); ``wake`` asks it to print now (a new sale, the cashier's
    重试; never waits).
    """

    state_changed = Signal(object)  # QueueState

    def __init__(self, service: PrintService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.worker = PrintWorker(service, on_change=self._post)
        self.state = QueueState((), True, "")

    def _received(self, report: QueueState) -> None:
        self.state = report
        self.state_changed.emit(report)

    def attach(self, window: QWidget) -> None:
        """Make this queue the one of ``window``'s screens, and wake it after a screen
        queues a printout (a return's slip)."""
        window.setProperty(PROPERTY, self)
        stack = getattr(window, "stack", None)  # MainWindow's screens
        if isinstance(stack, QStackedWidget):
            stack.currentChanged.connect(lambda _index: self._watch(stack.currentWidget()))
            self._watch(stack.currentWidget())

    def _watch(self, screen: QWidget | None) -> None:
        if screen is None or screen.property("print_queue_watched"):
            return
        screen.setProperty("print_queue_watched", True)
        for name in WAKING_SIGNALS:
            signal = getattr(screen, name, None)
            if signal is not None:
                signal.connect(self.wake)


def find_print_queue(widget: QWidget) -> PrintQueue | None:
    """The print queue of ``widget``'s window (None outside a session: tests, previews)."""
    queue = widget.window().property(PROPERTY)
    return queue if isinstance(queue, PrintQueue) else None


# lupdate reads translate("<context>", "<text>") only with both literal, so each call
# names its context (a variable context or a wrapper hides the string from it).
translate = QCoreApplication.translate


def state_text(state: QueueState) -> tuple[str, str]:
    """The status line's text and colour."""
    count = len(state.pending)
    if not state.printer_ok:
        reason = state.message or (state.pending[0].last_error if state.pending else "")
        text = translate("print_status", "打印机离线：{0} 张待打印").format(count)
        if reason:
            text += translate("print_status", "（{0}）").format(reason)
        return text, RED
    if count:
        return translate("print_status", "正在打印：{0} 张待打印").format(count), GREY
    return translate("print_status", "打印机正常"), GREEN


class PrintStatusLine(QWidget):
    """One line at the till: the printer's state, 重试 and 打印队列…

    Shows nothing until a queue is set (``set_queue``); never waits for the printer.
    """

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self.queue: PrintQueue | None = None
        self.dialog: PrintQueueDialog | None = None
        self.status_label = QLabel()
        self.status_label.setObjectName("print_status_label")
        self.retry_button = QPushButton(self.tr("重试"))
        self.retry_button.setObjectName("print_retry_button")
        self.queue_button = QPushButton(self.tr("打印队列…"))
        self.queue_button.setObjectName("print_queue_button")
        for button in (self.retry_button, self.queue_button):
            # The till's keys stay in the scan field.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.queue_button)
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.queue_button.clicked.connect(self._on_queue_button_clicked)
        self.setVisible(False)

    def set_queue(self, queue: PrintQueue | None) -> None:
        """Follow ``queue`` (None: hidden)."""
        if queue is self.queue:
            return
        if self.queue is not None:
            self.queue.state_changed.disconnect(self.show_state)
        self.queue = queue
        self.setVisible(queue is not None)
        if queue is not None:
            queue.state_changed.connect(self.show_state)
            self.show_state(queue.state)

    def wake(self, _cause: object = None) -> None:
        """Ask the queue to print now (no-op without a queue); ``_cause``, e.g. the sale
        just completed, lets signals connect here directly."""
        if self.queue is not None:
            self.queue.wake()

    def show_state(self, state: QueueState) -> None:
        """Render ``state``."""
        text, colour = state_text(state)
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.retry_button.setVisible(not state.printer_ok or bool(state.pending))

    def _on_retry_button_clicked(self) -> None:
        self.wake()

    def _on_queue_button_clicked(self) -> None:
        if self.queue is None or self.dialog is not None:
            return
        dialog = PrintQueueDialog(self.queue, self._actor, self)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()


def _job_time(job: QueuedJob) -> str:
    return job.created_at.astimezone(STORE_ZONE).strftime("%H:%M:%S")


class PrintQueueDialog(QDialog):
    """打印队列: the jobs waiting, 重试, and 不打印 with a required reason."""

    def __init__(self, queue: PrintQueue, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("打印队列"))
        self.resize(720, 360)
        self._queue = queue
        self._actor = actor
        self.model = DtoTableModel([
            Column(self.tr("打印内容"), lambda j: j.title),
            Column(self.tr("时间"), _job_time),
            Column(self.tr("已试次数"), lambda j: str(j.attempts), RIGHT),
            Column(self.tr("最近一次失败"), lambda j: j.last_error),
        ], self)
        self.table = QTableView()
        self.table.setObjectName("jobs_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.state_label = QLabel()
        self.state_label.setObjectName("state_label")
        self.state_label.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(self.tr("不打印的原因（必填），如：顾客不要小票"))
        reason_label = QLabel(self.tr("原因(&Y)"))
        reason_label.setBuddy(self.reason_edit)
        self.retry_button = QPushButton(self.tr("重试(&R)"))
        self.retry_button.setObjectName("retry_button")
        self.dismiss_button = QPushButton(self.tr("不打印(&D)"))
        self.dismiss_button.setObjectName("dismiss_button")
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in (self.retry_button, self.dismiss_button):
            button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(reason_label)
        row.addWidget(self.reason_edit, 1)
        row.addWidget(self.dismiss_button)
        row.addWidget(self.retry_button)
        hint = QLabel(self.tr("↑/↓ 选择　Alt+R 重试　Alt+Y 填原因　Alt+D 不打印所选　Esc 关闭"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message_label)
        layout.addWidget(hint)
        layout.addWidget(buttons)

        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_button_clicked)
        self.reason_edit.returnPressed.connect(self._on_dismiss_button_clicked)
        queue.state_changed.connect(self._on_queue_state_changed)
        self.reload()
        self.table.setFocus()

    def reload(self) -> None:
        """Read the waiting jobs afresh (keeps the selected job when it still waits)."""
        chosen = self.selected_job()
        jobs = self._run(self._queue.service.pending) or []
        self.model.set_rows(jobs)
        self.table.resizeColumnsToContents()
        text, colour = state_text(self._queue.state)
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        if jobs:
            ids = [job.job_id for job in jobs]
            row = ids.index(chosen.job_id) if chosen and chosen.job_id in ids else 0
            self.table.selectRow(row)
        self.dismiss_button.setEnabled(bool(jobs))

    def selected_job(self) -> QueuedJob | None:
        """The job chosen in the list."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        job: QueuedJob = self.model.row_at(index.row())
        return job

    def _on_queue_state_changed(self, _state: QueueState) -> None:
        self.reload()

    def _on_retry_button_clicked(self) -> None:
        self.message_label.clear()
        self._queue.wake()

    def _on_dismiss_button_clicked(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self.message_label.setText(self.tr("请填写不打印的原因"))
            self.reason_edit.setFocus()
            return
        if self._run(lambda: self._queue.service.dismiss(self._actor, job.job_id,
                                                         reason=reason), done=True):
            self.message_label.clear()
            self.reason_edit.clear()
            self.reload()
            # The worker reports the queue afresh (and prints what comes next).
            self._queue.wake()
            self.table.setFocus()

    def _run(self, action: Callable[[], object], *, done: bool = False) -> object:
        """A use case; a refusal shows in the message line, a fault offers 重试."""
        while True:
            try:
                result = action()
                return True if done else result
            except DomainError as exc:
                self.message_label.setText(error_text(exc))
                return None
            except EnvironmentFault as exc:
                if not show_error(self, exc):
                    return None


class ReasonDialog(QDialog):
    """Asks for a required reason (e.g. 重打); ``reason_given`` carries it on 确定."""

    reason_given = Signal(str)

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        prompt_label = QLabel(prompt)
        prompt_label.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(self.tr("必填"))
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self.reason_edit.setFocus()

    def _on_buttons_accepted(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.message_label.setText(self.tr("请填写原因"))
            self.reason_edit.setFocus()
            return
        self.reason_given.emit(reason)
        self.accept()
