"""The login window: user name and password, keyboard-first (SEC-3).

Every refusal (unknown user, wrong password, frozen or locked account, database busy)
is answered inline with the service's own message, which already says what to do next
(e.g. how many tries are left, until when the account is locked). Nothing else changes:
the user name stays, the password is cleared and focused for the next try.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
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

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.errors import error_text
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE

#: Logs a user in: (username, password) -> Actor, raising AuthenticationFailed.
Authenticate = Callable[[str, str], Actor]


class LoginDialog(QDialog):
    """Asks for user name and password; emits ``logged_in`` with the Actor on success.

    Enter logs in (from either field), Esc or 退出 cancels (the dialog is rejected).
    The dialog only calls ``authenticate``; it knows nothing else about users.
    """

    logged_in = Signal(object)  # Actor

    def __init__(
        self,
        authenticate: Authenticate,
        *,
        store_name: str,
        terminal_id: str,
        database: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._authenticate = authenticate
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("登录 - {0}").format(store_name))
        self.setMinimumWidth(440)

        heading = QLabel(store_name)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        subtitle = QLabel(self.tr("药店收银与进销存系统，请登录"))

        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setMaxLength(40)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(128)
        form = QFormLayout()
        form.addRow(self.tr("用户名(&U)"), self.username_edit)
        form.addRow(self.tr("密码(&P)"), self.password_edit)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setDefault(True)  # Enter in either field logs in
        self.quit_button = QPushButton(self.tr("退出"))
        self.quit_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.quit_button)

        self.footnote_label = QLabel(
            self.tr("终端 {0} · {1}").format(terminal_id, database)
        )
        self.footnote_label.setStyleSheet(FOOTNOTE_STYLE)
        self.footnote_label.setWordWrap(True)
        self.footnote_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        layout.addSpacing(4)
        layout.addWidget(self.footnote_label)

        self.login_button.clicked.connect(self._on_login_button_clicked)
        self.quit_button.clicked.connect(self.reject)
        self.username_edit.setFocus()

    def show_notice(self, text: str) -> None:
        """Show a message in the error line, e.g. why the previous session ended."""
        self.error_label.setText(text)

    def _on_login_button_clicked(self) -> None:
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if username and not password:
            # Enter after typing the name: go on to the password instead of refusing.
            self.error_label.setText(self.tr("请输入密码"))
            self.password_edit.setFocus()
            return
        try:
            actor = self._authenticate(username, password)
        except (DomainError, EnvironmentFault) as exc:
            self._show_refusal(exc)
            return
        self.actor = actor
        self.error_label.clear()
        self.password_edit.clear()
        self.logged_in.emit(actor)
        self.accept()

    def _show_refusal(self, exc: DomainError | EnvironmentFault) -> None:
        self.error_label.setText(error_text(exc))
        self.password_edit.clear()
        if self.username_edit.text().strip():
            self.password_edit.setFocus()
        else:
            self.username_edit.setFocus()
