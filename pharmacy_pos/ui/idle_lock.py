"""Idle lock: after a quiet spell the main window is covered until the user re-enters
their password, or switches user (SEC-3, "idle sessions lock").

An application-wide event filter restarts a single-shot timer on any keyboard, mouse or
touch input. The lock hides the screen's contents behind a cover (prescriptions and ID
numbers must not stay readable on an unattended till) and shows ``LockDialog``, which
Escape cannot dismiss.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import EnvironmentFault
from pharmacy_pos.ui.errors import error_text
from pharmacy_pos.ui.style import ERROR_STYLE

#: Checks the logged-in user's password: password -> whether it is right.
Verify = Callable[[str], bool]

ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})


class LockDialog(QDialog):
    """Modal "screen locked" dialog: the same user's password, or 切换用户.

    Escape and the window's close button do nothing; the dialog ends only by unlocking
    or by switching user. After ``max_attempts`` wrong passwords it switches user by
    itself, so guessing has to go through the login window and its lockout (SEC-3).
    """

    unlocked = Signal()
    switch_user_chosen = Signal(str)  # notice for the login window ("" if chosen)

    def __init__(
        self, *, user_text: str, verify: Verify, max_attempts: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._verify = verify
        self._max_attempts = max_attempts
        self._failures = 0
        self._finishing = False
        self.setWindowTitle(self.tr("屏幕已锁定"))
        self.setModal(True)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        # No close button: only unlocking or switching user ends the lock.
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
            | Qt.WindowType.WindowTitleHint
        )
        self.setMinimumWidth(400)

        heading = QLabel(self.tr("屏幕已锁定"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        self.user_label = QLabel(self.tr("当前用户：{0}").format(user_text))
        self.user_label.setWordWrap(True)
        hint = QLabel(self.tr("长时间无操作，已自动锁屏。请输入密码解锁，或切换用户。"))
        hint.setWordWrap(True)

        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("lock_password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("密码(&P)"), self.password_edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("lock_error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton(self.tr("切换用户(&S)"))
        self.switch_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.user_label)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.switch_button.clicked.connect(self._on_switch_button_clicked)
        self.password_edit.setFocus()

    def reject(self) -> None:
        """Escape must not unlock the terminal: ignored on purpose."""

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Refuse to close except through unlock or switch user."""
        if self._finishing:
            event.accept()
        else:
            event.ignore()

    def _finish(self) -> None:
        self._finishing = True
        self.done(QDialog.DialogCode.Accepted)

    def _on_unlock_button_clicked(self) -> None:
        password = self.password_edit.text()
        self.password_edit.clear()
        self.password_edit.setFocus()
        if not password:
            self.error_label.setText(self.tr("请输入密码"))
            return
        try:
            right = self._verify(password)
        except EnvironmentFault as exc:
            self.error_label.setText(error_text(exc))
            return
        if right:
            self._finish()
            self.unlocked.emit()
            return
        self._failures += 1
        left = self._max_attempts - self._failures
        if left <= 0:
            self._finish()
            self.switch_user_chosen.emit(
                self.tr("解锁时密码错误次数过多，已注销，请重新登录")
            )
            return
        self.error_label.setText(
            self.tr("密码错误（再错 {0} 次将注销）").format(left)
        )

    def _on_switch_button_clicked(self) -> None:
        self._finish()
        self.switch_user_chosen.emit("")


class _Cover(QWidget):
    """An opaque panel over the main window while it is locked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        label = QLabel(self.tr("屏幕已锁定"), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)


class IdleLock(QObject):
    """Locks ``window`` after ``timeout_ms`` without input; also on demand (Ctrl+L).

    Call ``start()`` once the user is logged in and ``stop()`` when the session ends
    (it removes the application-wide event filter).
    """

    locked = Signal()
    unlocked = Signal()
    switch_user_chosen = Signal(str)  # notice for the login window ("" if chosen)

    def __init__(
        self, window: QWidget, *, user_text: str, verify: Verify, timeout_ms: int,
        max_attempts: int,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._user_text = user_text
        self._verify = verify
        self._max_attempts = max_attempts
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise: a coarse timer may fire up to 5 % late, i.e. 15 s on a 5-minute lock.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.lock)
        self._cover: _Cover | None = None
        self.dialog: LockDialog | None = None
        self._filtering = False

    @property
    def timeout_ms(self) -> int:
        """Idle time before locking."""
        return self._timer.interval()

    @property
    def remaining_ms(self) -> int:
        """Time left before locking; -1 while locked or stopped."""
        return self._timer.remainingTime()

    @property
    def is_locked(self) -> bool:
        """Whether the window is locked now."""
        return self.dialog is not None

    def start(self) -> None:
        """Begin watching input for the whole application."""
        app = QCoreApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (the session is ending)."""
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
        self._filtering = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Restart the idle timer on input; keep the cover sized to the window."""
        kind = event.type()
        if kind in ACTIVITY_EVENTS:
            if self.dialog is None and self._timer.isActive():
                self._timer.start()
        elif kind == QEvent.Type.Resize and watched is self._window and self._cover:
            self._cover.setGeometry(self._window.rect())
        return False

    def lock(self) -> None:
        """Cover the window and ask for the password (does nothing if already locked)."""
        if self.dialog is not None:
            return
        self._timer.stop()
        self._cover = _Cover(self._window)
        self._cover.setGeometry(self._window.rect())
        self._cover.show()
        self._cover.raise_()
        self.dialog = LockDialog(user_text=self._user_text, verify=self._verify,
                                 max_attempts=self._max_attempts, parent=self._window)
        self.dialog.unlocked.connect(self._on_dialog_unlocked)
        self.dialog.switch_user_chosen.connect(self._on_dialog_switch_user_chosen)
        self.dialog.show()
        self.dialog.activateWindow()
        self.locked.emit()

    def _end_lock(self) -> None:
        if self._cover is not None:
            self._cover.deleteLater()
            self._cover = None
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _on_dialog_unlocked(self) -> None:
        self._end_lock()
        self._timer.start()
        self.unlocked.emit()

    def _on_dialog_switch_user_chosen(self, notice: str) -> None:
        self._end_lock()
        self.stop()
        self.switch_user_chosen.emit(notice)

