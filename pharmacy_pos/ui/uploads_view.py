"""医保上传 (VIEW_STATUS): what the uploader has sent to the insurer, what waits, what was
refused and why, and the store manager's corrections (INV-6, SEC-7).

- Header: 待上传 (with the oldest waiting record), 被拒绝 (red when any), 已上传, the last
  success, the last try (time, outcome, message) and the terminal holding the upload lease.
- A filter by state and the records, newest first. Enter or a double-click opens the
  record: its fields (required ones marked ``*``, empty required ones highlighted) and
  every try with the request and the answer.
- 立即上传 (F5) wakes the upload worker when it runs in this session; otherwise it runs one
  pass on a worker thread behind a progress dialog. Either way the list refreshes.
- 更正重传 (F9, store managers) resends a refused or uploaded record: a reason, the field
  values to change, and whether to refresh the product's fields from the catalogue.

The upload worker (``UploadWorker``) runs on its own thread from the first login on
(``start_uploads_with_sessions``); its reports reach the GUI thread through a queued
signal of ``UploadMonitor`` (STYLE.md, habit 6), and this screen refreshes on each.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, PosError
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.uploads import (
    DONE,
    PENDING,
    REFUSED,
    SUPERSEDED,
    PassResult,
    UploadAttemptView,
    UploadItemDetail,
    UploadItemView,
    UploadOverview,
    UploadWorker,
)
from pharmacy_pos.ui.errors import call_guarded, error_text, show_error
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import Column, DtoTableModel
from pharmacy_pos.ui.uploads_model import (
    FieldsModel,
    UploadItemsModel,
    field_rows,
    local_time,
    mask_id_numbers_in,
    transaction_text,
)
from pharmacy_pos.ui.worker_relay import WorkerRelay

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext
    from pharmacy_pos.ui.session import SessionController

log = logging.getLogger(__name__)

#: The main window's dynamic property holding the session's ``UploadMonitor``.
PROPERTY = "upload_monitor"
MAX_REASON = 200
LIST_LIMIT = 500

_CONTEXT = "uploads"

# State labels as the service writes them, marked for lupdate (translated in the model).
_STATE_TITLES = (QT_TRANSLATE_NOOP("uploads", "待上传"), QT_TRANSLATE_NOOP("uploads", "已上传"),
                 QT_TRANSLATE_NOOP("uploads", "被拒绝"), QT_TRANSLATE_NOOP("uploads", "已更正"))
# Outcomes of a try as the service writes them (services.uploads.OUTCOME_LABELS).
_OUTCOME_TITLES = (QT_TRANSLATE_NOOP("uploads", "成功"),
                   QT_TRANSLATE_NOOP("uploads", "重复（已忽略）"),
                   QT_TRANSLATE_NOOP("uploads", "拒绝"),
                   QT_TRANSLATE_NOOP("uploads", "批量被拒（逐条重发）"),
                   QT_TRANSLATE_NOOP("uploads", "无应答"), QT_TRANSLATE_NOOP("uploads", "应答异常"))

#: The filter's entries: (label, states listed).
FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QT_TRANSLATE_NOOP("uploads", "全部"), ()),
    (QT_TRANSLATE_NOOP("uploads", "待上传"), (PENDING,)),
    (QT_TRANSLATE_NOOP("uploads", "被拒绝"), (REFUSED,)),
    (QT_TRANSLATE_NOOP("uploads", "已上传"), (DONE,)),
    (QT_TRANSLATE_NOOP("uploads", "已更正"), (SUPERSEDED,)),
)


def correctable(item: UploadItemView | None) -> bool:
    """Whether a record may be corrected: refused or uploaded, and not a delete (3507)."""
    return item is not None and item.state in (REFUSED, DONE) and item.infno != "3507"


# -- the worker in Qt ------------------------------------------------------------------------

class UploadMonitor(WorkerRelay):
    """The terminal's upload worker, reporting on the GUI thread.

    ``result_arrived`` (PassResult) is emitted on the GUI thread after each pass of the
    worker; ``last`` is the last one received. ``ctx.close()`` stops the worker's thread
    for good; :meth:`stop` stops it earlier (tests) and drops later reports; ``wake``
    uploads now (立即上传, or a record was corrected).
    """

    result_arrived = Signal(object)  # PassResult

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker: UploadWorker = ctx.upload_worker(on_change=self._post)
        self.last: PassResult | None = None

    def _received(self, report: PassResult) -> None:
        self.last = report
        self.result_arrived.emit(report)

    def attach(self, window: QWidget) -> None:
        """Make this monitor the one the screens of ``window`` find."""
        window.setProperty(PROPERTY, self)


def find_upload_monitor(widget: QWidget) -> UploadMonitor | None:
    """The upload monitor of ``widget``'s window (None outside a session: tests)."""
    monitor = widget.window().property(PROPERTY)
    return monitor if isinstance(monitor, UploadMonitor) else None


def start_uploads(controller: QObject, ctx: AppContext, window: QWidget) -> UploadMonitor | None:
    """Start the upload worker when a main window opens after login (SEC-7: the store
    uploads while anyone works) and hang it on ``window`` for its screens.

    One monitor per controller (the terminal's sessions), made at the first login;
    ``ctx.close()`` stops the worker, and what waits stays queued for the next start.
    Returns the monitor (None before the store is set up).
    """
    if ctx.store is None:
        return None
    monitor = controller.findChild(UploadMonitor)
    if monitor is None:
        monitor = UploadMonitor(ctx, parent=controller)
    monitor.attach(window)
    monitor.start()
    return monitor


def start_uploads_with_sessions(controller: SessionController, ctx: AppContext) -> None:
    """Call :func:`start_uploads` for every main window ``controller`` opens."""
    controller.session_started.connect(
        lambda window: start_uploads(controller, ctx, window))


# -- one pass off the GUI thread -------------------------------------------------------------

class UploadPassJob(QObject):
    """One ``run_pass`` on a worker thread; signals arrive on the GUI thread.

    Signals:
        progressed(done, total): records tried so far.
        finished(PassResult): the pass ended.
        failed(message): it could not run (a Chinese message for the person).
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, run: Callable[[Callable[[int, int], None]], PassResult],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the pass on its own thread (once)."""
        if self._thread is not None:
            raise RuntimeError("an UploadPassJob runs once")
        self._thread = threading.Thread(target=self._work, name="upload-pass", daemon=True)
        self._thread.start()

    def is_running(self) -> bool:
        """Whether the thread is still at work."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends; True if it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _work(self) -> None:
        try:
            result = self._run(self.progressed.emit)
        except PosError as exc:
            self.failed.emit(error_text(exc))
        except Exception as exc:  # a bug: logged with its traceback, shown as a failure
            log.exception("upload pass failed")
            self.failed.emit(QCoreApplication.translate(
                "uploads", "上传失败（程序错误）：{0}").format(exc))
        else:
            self.finished.emit(result)


# -- dialogs ---------------------------------------------------------------------------------

def _attempt_columns() -> list[Column]:
    # Literal contexts: lupdate cannot see through a variable or a local alias.
    translate = QCoreApplication.translate
    return [
        Column(translate("uploads", "时间"),
               lambda a: local_time(a.attempted_at, "%Y-%m-%d %H:%M:%S")),
        Column(translate("uploads", "接口"), lambda a: a.infno),
        Column(translate("uploads", "报文ID"), lambda a: a.msgid),
        Column(translate("uploads", "结果"), lambda a: _translate(a.outcome_label)),
        Column(translate("uploads", "信息"), lambda a: a.message, tooltip=lambda a: a.message),
    ]


def _translate(text: str) -> str:
    """A label the service wrote, marked above with QT_TRANSLATE_NOOP("uploads", ...)."""
    return QCoreApplication.translate(_CONTEXT, text)


def _table(model: DtoTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class UploadDetailDialog(QDialog):
    """One record: its fields and every try (request and answer read-only)."""

    def __init__(self, detail: UploadItemDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        item = detail.item
        self.setWindowTitle(self.tr("上传记录 {0}").format(item.fixmedins_bchno or item.id))
        self.resize(900, 640)

        self.summary_label = QLabel(self.tr(
            "{0}　单据号 {1}　流水号 {2}　状态 {3}　次数 {4}").format(
            transaction_text(item), item.doc_no, item.fixmedins_bchno,
            _translate(item.state_label), item.tries))
        self.summary_label.setWordWrap(True)
        self.error_label = QLabel(item.last_error)
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(bool(item.last_error))
        notes = []
        if detail.corrections:
            notes.append(self.tr("已更正：更正单据 {0}").format(
                self.tr("、", "list separator").join(str(c) for c in detail.corrections)))
        notes.append(self.tr("* 为必填字段；红底为缺少的必填字段"))
        note_label = QLabel(self.tr("　", "separator").join(notes))
        note_label.setStyleSheet(FOOTNOTE_STYLE)

        self.fields_model = FieldsModel(self)
        self.fields_model.set_rows(field_rows(detail.record, detail.required))
        self.fields_table = _table(self.fields_model, "fields_table")

        self.attempts_model = DtoTableModel(_attempt_columns(), self)
        self.attempts_model.set_rows(list(detail.attempts))
        self.attempts_table = _table(self.attempts_model, "attempts_table")
        self.request_edit = QPlainTextEdit()
        self.request_edit.setObjectName("request_edit")
        self.request_edit.setReadOnly(True)
        self.response_edit = QPlainTextEdit()
        self.response_edit.setObjectName("response_edit")
        self.response_edit.setReadOnly(True)
        texts = QHBoxLayout()
        for title, edit in ((self.tr("请求"), self.request_edit),
                            (self.tr("应答"), self.response_edit)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(edit)
            texts.addLayout(column)
        attempts = QWidget()
        attempts_layout = QVBoxLayout(attempts)
        attempts_layout.setContentsMargins(0, 0, 0, 0)
        attempts_layout.addWidget(QLabel(self.tr("上传记录（共 {0} 次）").format(
            len(detail.attempts))))
        attempts_layout.addWidget(self.attempts_table, 1)
        attempts_layout.addLayout(texts, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.fields_table)
        splitter.addWidget(attempts)
        splitter.setStretchFactor(1, 2)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(note_label)
        layout.addWidget(buttons)

        self.attempts_table.selectionModel().currentRowChanged.connect(
            self._on_attempt_current_row_changed)
        if detail.attempts:
            self.attempts_table.selectRow(len(detail.attempts) - 1)  # the newest try

    def _on_attempt_current_row_changed(self, current: object, _previous: object) -> None:
        row = current.row()  # type: ignore[attr-defined]
        attempt: UploadAttemptView | None = (
            self.attempts_model.row_at(row) if 0 <= row < self.attempts_model.rowCount()
            else None)
        # The request carries the insured person's ID number for the insurer: masked here.
        self.request_edit.setPlainText(mask_id_numbers_in(attempt.request) if attempt else "")
        self.response_edit.setPlainText(mask_id_numbers_in(attempt.response) if attempt
                                        else "")


class CorrectionDialog(QDialog):
    """更正重传: the reason (required), the field values (prefilled from the record) and
    whether the product's fields are refreshed from the catalogue.

    The fields are edited in full, ID numbers included (the one exception to SEC-5's
    masking on screens): correcting what the insurer refused is a store manager's task
    (APPROVE), audit-logged, and needs the value as sent.

    ``submit(reason, changes, from_catalogue)`` runs the correction and says whether it was
    done; the dialog closes only then (a refusal keeps what was typed).
    """

    def __init__(self, detail: UploadItemDetail,
                 submit: Callable[[str, dict[str, str], bool], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self._submit = submit
        item = detail.item
        self.setWindowTitle(self.tr("更正重传 {0}").format(item.fixmedins_bchno))
        self.resize(620, 640)

        intro = QLabel(self.tr(
            "{0}　单据号 {1}\n{2}\n被拒绝的记录更正后作为新记录上传；已上传的记录先删除"
            "（3507）再上传。原记录保留，更正记入审计日志。").format(
            transaction_text(item), item.doc_no,
            self.tr("医保平台的信息：{0}").format(item.last_error) if item.last_error
            else self.tr("状态：{0}").format(_translate(item.state_label))))
        intro.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(self.tr("必填，记入审计日志"))
        self.catalogue_check = QCheckBox(self.tr("从商品目录刷新（国家编码、名称、处方标志）"))
        self.catalogue_check.setObjectName("catalogue_check")
        self.catalogue_check.setChecked(True)

        self.original: dict[str, str] = {
            name: "" if value is None else str(value) for name, value in detail.record.items()}
        self.edits: dict[str, QLineEdit] = {}
        fields = QWidget()
        form = QFormLayout(fields)
        for name, value in self.original.items():
            edit = QLineEdit(value)
            edit.setObjectName(f"field_{name}")
            required = name in detail.required
            if required and not value.strip():
                edit.setStyleSheet("background: #fadbd8;")
                edit.setPlaceholderText(self.tr("必填"))
            self.edits[name] = edit
            form.addRow(f"{name} *" if required else name, edit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("更正并重传"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        top = QFormLayout()
        top.addRow(self.tr("更正原因 *"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.catalogue_check)
        layout.addWidget(QLabel(self.tr("字段（* 为必填；只提交改动过的字段）")))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.reason_edit.setFocus()

    def changes(self) -> dict[str, str]:
        """The fields whose value the person changed, with their new values."""
        return {name: edit.text().strip() for name, edit in self.edits.items()
                if edit.text().strip() != self.original[name].strip()}

    def _on_buttons_accepted(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.error_label.setText(self.tr("请填写更正原因（记入审计日志）"))
            self.reason_edit.setFocus()
            return
        self.error_label.clear()
        if self._submit(reason, self.changes(), self.catalogue_check.isChecked()):
            self.accept()


# -- the screen ------------------------------------------------------------------------------

class UploadsView(QWidget):
    """The 医保上传 status screen (see the module docstring).

    Args:
        monitor: the session's upload monitor; found on the main window when None.
    """

    #: A correction was written (the new record waits for the uploader).
    corrected = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *,
                 monitor: UploadMonitor | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._monitor = monitor
        self._watching: UploadMonitor | None = None
        self._job: UploadPassJob | None = None
        self.overview: UploadOverview | None = None
        self.detail_dialog: UploadDetailDialog | None = None
        self.correction_dialog: CorrectionDialog | None = None
        self.progress_dialog: QProgressDialog | None = None

        title = QLabel(self.tr("医保上传"))
        title.setStyleSheet(TITLE_STYLE)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending_label")
        self.refused_label = QLabel()
        self.refused_label.setObjectName("refused_label")
        self.done_label = QLabel()
        self.done_label.setObjectName("done_label")
        self.success_label = QLabel()
        self.success_label.setObjectName("success_label")
        self.attempt_label = QLabel()
        self.attempt_label.setObjectName("attempt_label")
        self.attempt_label.setWordWrap(True)
        self.holder_label = QLabel()
        self.holder_label.setObjectName("holder_label")
        header = QGridLayout()
        header.addWidget(self.pending_label, 0, 0)
        header.addWidget(self.refused_label, 0, 1)
        header.addWidget(self.done_label, 0, 2)
        header.addWidget(self.holder_label, 0, 3)
        header.addWidget(self.success_label, 1, 0)
        header.addWidget(self.attempt_label, 1, 1, 1, 3)

        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("filter_combo")
        for label, _states in FILTERS:
            self.filter_combo.addItem(_translate(label))
        self.upload_button = QPushButton(self.tr("立即上传(F5)"))
        self.upload_button.setObjectName("upload_button")
        self.upload_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setObjectName("refresh_button")
        self.detail_button = QPushButton(self.tr("查看(Enter)"))
        self.detail_button.setObjectName("detail_button")
        self.correct_button = QPushButton(self.tr("更正重传(F9)"))
        self.correct_button.setObjectName("correct_button")
        self.correct_button.setShortcut(QKeySequence(Qt.Key.Key_F9))
        if not actor.can(Permission.APPROVE):
            self.correct_button.setToolTip(self.tr("仅店长可更正重传"))
        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("状态")))
        tools.addWidget(self.filter_combo)
        tools.addStretch(1)
        for button in (self.detail_button, self.correct_button, self.refresh_button,
                       self.upload_button):
            tools.addWidget(button)

        self.model = UploadItemsModel(self)
        self.table = _table(self.model, "uploads_table")

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(header)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)

        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.upload_button.clicked.connect(self._on_upload_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.detail_button.clicked.connect(self._on_detail_button_clicked)
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        self._watch(monitor)
        self.refresh()

    # -- data -----------------------------------------------------------------------------

    def monitor(self) -> UploadMonitor | None:
        """The session's upload monitor (given, or found on the main window)."""
        return self._monitor or find_upload_monitor(self)

    def refresh(self) -> None:
        """Reload the header and the records, keeping the selected record selected."""
        selected = self.selected_item()
        states = FILTERS[max(self.filter_combo.currentIndex(), 0)][1]
        loaded = call_guarded(self, lambda: (
            self._ctx.uploads.overview(self._actor),
            self._ctx.uploads.items(self._actor, states=states, limit=LIST_LIMIT)))
        if loaded is None:
            return
        self.overview, items = loaded
        self._show_overview(self.overview)
        self.model.set_rows(items)
        row = self.model.row_of(selected.id) if selected else -1
        if row < 0 and items:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._enable()

    def selected_item(self) -> UploadItemView | None:
        """The record under the cursor, if any."""
        row = self.table.currentIndex().row()
        return self.model.item_at(row) if 0 <= row < self.model.rowCount() else None

    def select_item(self, item_id: int) -> bool:
        """Put the cursor on the record ``item_id`` if it is listed."""
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def set_filter(self, states: tuple[str, ...]) -> None:
        """Show only the records in ``states`` (one of ``FILTERS``)."""
        index = next(n for n, (_label, s) in enumerate(FILTERS) if s == states)
        self.filter_combo.setCurrentIndex(index)

    def _show_overview(self, o: UploadOverview) -> None:
        pending = self.tr("待上传 {0}").format(o.pending)
        if o.oldest_pending_at is not None:
            pending += self.tr("（最早 {0}）").format(local_time(o.oldest_pending_at))
        if o.untaken:
            pending += self.tr("，另有 {0} 张新单据待整理").format(o.untaken)
        self.pending_label.setText(pending)
        self.refused_label.setText(self.tr("被拒绝 {0}").format(o.refused))
        self.refused_label.setStyleSheet(
            ERROR_STYLE + " font-weight: bold;" if o.refused else "")
        self.done_label.setText(self.tr("已上传 {0}").format(o.done))
        self.success_label.setText(self.tr("最近成功 {0}").format(
            local_time(o.last_success_at) or "—"))
        if o.last_attempt_at is None:
            self.attempt_label.setText(self.tr("最近一次 —"))
        else:
            attempt = self.tr("最近一次 {0} {1}").format(
                local_time(o.last_attempt_at), _translate(o.last_outcome))
            if o.last_message:
                attempt = self.tr("{0}：{1}").format(attempt, o.last_message)
            self.attempt_label.setText(attempt)
        self.holder_label.setText(self.tr("上传终端 {0}").format(o.holder or "—"))

    def _enable(self) -> None:
        item = self.selected_item()
        busy = self.running_job()
        self.upload_button.setEnabled(not busy)
        self.detail_button.setEnabled(item is not None)
        self.correct_button.setEnabled(
            not busy and self._actor.can(Permission.APPROVE) and correctable(item))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)

    # -- the worker -----------------------------------------------------------------------

    def _watch(self, monitor: UploadMonitor | None) -> None:
        if monitor is None or monitor is self._watching:
            return
        if self._watching is not None:
            self._watching.result_arrived.disconnect(self._on_monitor_result_arrived)
        self._watching = monitor
        monitor.result_arrived.connect(self._on_monitor_result_arrived)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Follow the session's worker once the screen sits in its main window."""
        self._watch(self.monitor())
        super().showEvent(event)

    def _on_monitor_result_arrived(self, result: PassResult) -> None:
        self.refresh()
        if result.stopped:
            self._say(self.tr("上传暂停：{0}（稍后自动重试）").format(result.stopped),
                      error=True)
        elif result.sent or result.refused:
            self._say(self.pass_text(result))

    def pass_text(self, result: PassResult) -> str:
        """What a pass did, for the message line."""
        text = self.tr("已上传 {0} 条，被拒绝 {1} 条，剩余 {2} 条").format(
            result.sent, result.refused, max(result.remaining, 0))
        if result.stopped:
            text += self.tr("；已暂停：{0}").format(result.stopped)
        return text

    # -- 立即上传 ---------------------------------------------------------------------------

    def upload_now(self) -> UploadPassJob | None:
        """Wake the session's worker, or run one pass here behind a progress dialog.

        Returns:
            The job when a pass runs here; None when the worker was woken (or busy).
        """
        monitor = self.monitor()
        if monitor is not None and monitor.running:
            monitor.wake()
            self._say(self.tr("已通知上传线程立即上传，完成后自动刷新"))
            return None
        if self.running_job():
            return None
        uploads = self._ctx.uploads
        job = UploadPassJob(lambda progress: uploads.run_pass(progress=progress), self)
        dialog = QProgressDialog(self.tr("正在上传到医保平台…"), "", 0, 0, self)
        dialog.setCancelButton(None)  # a pass stops on its own; each step is committed
        dialog.setWindowTitle(self.tr("立即上传"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick passes never flash a dialog
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog

        def on_progress(done: int, total: int) -> None:
            if total:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
                dialog.setLabelText(self.tr("正在上传到医保平台… {0}/{1}").format(done, total))

        job.progressed.connect(on_progress)
        job.finished.connect(self._on_job_finished)
        job.failed.connect(self._on_job_failed)
        self._job = job
        self._say(self.tr("正在上传…"))
        job.start()
        self._enable()
        return job

    def running_job(self) -> bool:
        """Whether a pass started here is still running (or its end not yet handled)."""
        return self._job is not None

    def wait_job(self, timeout: float = 30) -> bool:
        """Block until the pass started here ends (tests, closing)."""
        return self._job.wait(timeout) if self._job is not None else True

    def _end_job(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        if self._job is not None:
            self._job.deleteLater()
            self._job = None

    def _on_job_finished(self, result: PassResult) -> None:
        self._end_job()
        self.refresh()
        self._say(self.pass_text(result) if (result.sent or result.refused or result.stopped)
                  else self.tr("没有待上传的记录"), error=bool(result.stopped))

    def _on_job_failed(self, message: str) -> None:
        self._end_job()
        self.refresh()
        self._say(message, error=True)

    def _on_upload_button_clicked(self) -> None:
        self.upload_now()

    def _on_refresh_button_clicked(self) -> None:
        self.refresh()
        self._say(self.tr("已刷新"))

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_current_row_changed(self, *_args: object) -> None:
        self._enable()

    # -- the record -----------------------------------------------------------------------

    def _detail(self, item: UploadItemView) -> UploadItemDetail | None:
        return call_guarded(self, lambda: self._ctx.uploads.detail(self._actor, item.id))

    def open_detail(self) -> UploadDetailDialog | None:
        """Show the selected record's fields and tries (non-blocking)."""
        item = self.selected_item()
        detail = self._detail(item) if item is not None else None
        if detail is None:
            return None
        if self.detail_dialog is not None:
            self.detail_dialog.close()
            self.detail_dialog.deleteLater()
        dialog = UploadDetailDialog(detail, self)
        dialog.finished.connect(lambda _r, d=dialog: self._forget_detail(d))
        self.detail_dialog = dialog
        dialog.open()
        return dialog

    def _forget_detail(self, dialog: UploadDetailDialog) -> None:
        if self.detail_dialog is dialog:
            self.detail_dialog = None
            dialog.deleteLater()

    def _on_table_activated(self, _index: object) -> None:
        self.open_detail()

    def _on_detail_button_clicked(self) -> None:
        self.open_detail()

    # -- 更正重传 ---------------------------------------------------------------------------

    def open_correction(self) -> CorrectionDialog | None:
        """Open 更正重传 for the selected record (store managers; refused or uploaded)."""
        item = self.selected_item()
        if not self.correct_button.isEnabled() or item is None:
            return None
        detail = self._detail(item)
        if detail is None:
            return None
        dialog = CorrectionDialog(
            detail, functools.partial(self.apply_correction, item.id), self)
        dialog.finished.connect(lambda _r, d=dialog: self._forget_correction(d))
        self.correction_dialog = dialog
        dialog.open()
        return dialog

    def _forget_correction(self, dialog: CorrectionDialog) -> None:
        if self.correction_dialog is dialog:
            self.correction_dialog = None
            dialog.deleteLater()

    def apply_correction(self, item_id: int, reason: str, changes: dict[str, str],
                         from_catalogue: bool) -> bool:
        """Correct the record ``item_id``; a refusal is shown with its rule id.

        Returns:
            Whether the correction was written.
        """
        try:
            written = self._ctx.uploads.correct(
                self._actor, item_id, reason=reason, changes=changes,
                from_catalogue=from_catalogue)
        except DomainError as exc:
            if self.correction_dialog is not None:
                self.correction_dialog.error_label.setText(error_text(exc))
            show_error(self, exc)
            return False
        except EnvironmentFault as exc:
            show_error(self, exc)
            return False
        self.refresh()
        self._say(self.tr("已更正，写入 {0} 条待上传记录").format(len(written)))
        self.corrected.emit()
        monitor = self.monitor()
        if monitor is not None and monitor.running:
            monitor.wake()
        return True

    def _on_correct_button_clicked(self) -> None:
        self.open_correction()

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Let a running pass finish (each step commits) before the screen goes."""
        self.wait_job()
        super().closeEvent(event)
