"""The database check in the window (issue 9, SEC-6).

:class:`CorruptDatabaseDialog`: a database that refused to open. It says which file,
what is wrong and what to do, lists the good backups (newest first) and restores the
chosen one with an administrator's name and password (checked against the copy), or
names the command-line equivalent.

:class:`DatabaseCheckMonitor`: the full check (``integrity_check`` + verify) after login,
on its own thread, with its progress and outcome in the status bar; a failure is
announced at once and the application closes (the next start refuses and offers the
restore).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.errors import PosError
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.startup_check import (
    CLI_RESTORE,
    CheckResult,
    DatabaseCorrupt,
    RestoredDatabase,
)
from pharmacy_pos.ui.busy import run_busy

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

Restore = Callable[[Path, str, str], RestoredDatabase]


class CorruptDatabaseDialog(QDialog):
    """A database that failed its check: what is wrong, and the restore.

    Args:
        refusal: the failed check (file, problems, backups).
        restore: restores a copy as (copy, administrator, password); raises
            ``PosError`` with a Chinese reason when it cannot.
        parent: the parent widget.

    After ``exec()`` returns Accepted, :attr:`restored` says what was restored.
    """

    def __init__(self, refusal: DatabaseCorrupt, restore: Restore,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restore = restore
        self.restored: RestoredDatabase | None = None
        self.setWindowTitle(self.tr("数据库未通过校验"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        self.message_label = QLabel(refusal.message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message_label)

        self.backup_list = QListWidget()
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("从备份恢复"))
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        if refusal.sqlite:
            layout.addWidget(QLabel(self.tr("可用的备份（最新在前，均已通过完整性检查）：")))
            for path in refusal.backups:
                item = QListWidgetItem(_describe(path))
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                self.backup_list.addItem(item)
            self.backup_list.setCurrentRow(0)
            layout.addWidget(self.backup_list)
            form = QFormLayout()
            form.addRow(self.tr("系统管理员（备份中的账号）"), self.user_edit)
            form.addRow(self.tr("密码"), self.password_edit)
            layout.addLayout(form)
            layout.addWidget(QLabel(self.tr("也可在命令行恢复：{0}").format(CLI_RESTORE)))
            if not refusal.backups:
                self.restore_button.setEnabled(False)
                self.status_label.setText(self.tr("没有找到备份：请联系系统管理员。"))
        else:
            self.backup_list.hide()
            self.restore_button.hide()
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox()
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton(self.tr("退出"),
                                             QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.user_edit.setFocus()

    def selected_copy(self) -> Path | None:
        """The backup chosen in the list."""
        item = self.backup_list.currentItem()
        return None if item is None else Path(item.data(Qt.ItemDataRole.UserRole))

    def _on_restore_button_clicked(self) -> None:
        copy = self.selected_copy()
        if copy is None:
            self.status_label.setText(self.tr("请先选择一个备份"))
            return
        username, password = self.user_edit.text(), self.password_edit.text()
        try:
            self.restored = run_busy(
                self, self.tr("正在校验备份并恢复，请稍候…"),
                lambda: self._restore(copy, username, password))
        except PosError as exc:
            self.password_edit.clear()
            self.status_label.setText(self.tr("未恢复：{0}").format(exc))
            return
        self.accept()


def _describe(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return path.name
    when = local_text(datetime.fromtimestamp(stat.st_mtime, UTC))
    return f"{path.name}    {when}    {stat.st_size / 1e6:.1f} MB"


class DatabaseCheckMonitor(QObject):
    """The full database check after login, on its own thread; its outcome in the
    status bar of the window it is attached to.

    Signals:
        finished(CheckResult): the check ended (passed or not).
        failed(DatabaseCorrupt): it did not pass: the application must close.
    """

    finished = Signal(object)
    failed = Signal(object)
    # Private: reports from the worker thread, delivered queued to the GUI thread.
    _progressed = Signal(str)
    _done = Signal(object)

    def __init__(self, ctx: AppContext, operator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._operator = operator
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.label = QLabel()
        self.label.setContentsMargins(8, 0, 8, 0)
        self.result: CheckResult | None = None
        self._progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def attach(self, window: QMainWindow) -> None:
        """Show the check's state in ``window``'s status bar."""
        window.statusBar().addPermanentWidget(self.label)

    def start(self, delay_ms: int = 0) -> None:
        """Start the check once, after ``delay_ms`` (the first screen draws first)."""
        if self._thread is not None or self._ctx.store is None:
            return
        self.label.setText(self.tr("数据库后台校验：等待开始"))
        self._thread = threading.Thread(target=self._work, name="database-check", daemon=True)
        QTimer.singleShot(delay_ms, self._launch)

    def _launch(self) -> None:
        if self._thread is not None and not self._stop.is_set():
            self._thread.start()

    def running(self) -> bool:
        """Whether the check is at work."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the check (the application closes); nothing is recorded."""
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    def _work(self) -> None:
        store = self._ctx.store
        assert store is not None  # start() checked
        actor = Actor.system(store.id, self._ctx.settings.terminal_id, self._operator)
        try:
            result: CheckResult | Exception = self._ctx.database_check.full(
                actor, progress=self._progressed.emit, cancelled=self._stop.is_set)
        except InterruptedError:
            return
        except Exception as exc:  # reported in the status bar, retried at the next start
            result = exc
        if not self._stop.is_set():
            self._done.emit(result)

    def _on_progressed(self, step: str) -> None:
        if step == "integrity":
            self.label.setText(self.tr("数据库后台校验：完整性检查…"))
        else:
            self.label.setText(self.tr("数据库后台校验：台账与审计链…"))

    def _on_done(self, result: object) -> None:
        if isinstance(result, Exception):
            self.label.setText(self.tr("数据库后台校验未能完成"))
            self.label.setToolTip(str(result))
            return
        assert isinstance(result, CheckResult)
        self.result = result
        self.finished.emit(result)
        if result.ok:
            self.label.setText(self.tr("数据库校验通过（{0:.0f} 秒）").format(result.seconds))
            self.label.setToolTip(self.tr("完整性检查、台账 {0} 条、审计 {1} 条").format(
                result.ledger_entries, result.audit_records))
            self.label.setStyleSheet("color: #1b5e20;")
            return
        self.label.setText(self.tr("数据库校验未通过"))
        self.label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.label.setToolTip("\n".join(result.problems))
        self.failed.emit(self._ctx.database_check.refuse(result.problems))
