"""One terminal's sessions: login window → main window → (log out) → login window …

The controller owns the windows of the current session and nothing else; ``ended`` is
emitted when the person quits (login cancelled, or the main window closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.login_view import LoginDialog
from pharmacy_pos.ui.main_window import MainWindow
from pharmacy_pos.ui.print_status import PrintQueue

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext


class SessionController(QObject):
    """Shows the login window, opens the main window for whoever logs in, and goes back
    to the login window on log-out or a forced switch of user.

    ``idle_ms`` overrides the policy's idle-lock time (tests use a short one).
    ``print_queue`` is the terminal's print queue: started with the first session, handed
    to each main window (the till shows it), stopped by :meth:`close` or when the person
    quits. None (tests) runs no print worker.
    """

    ended = Signal()
    login_shown = Signal(object)  # LoginDialog
    session_started = Signal(object)  # MainWindow

    def __init__(
        self, ctx: AppContext, *, idle_ms: int | None = None,
        print_queue: PrintQueue | None = None, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._idle_ms = idle_ms
        self.print_queue = print_queue
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None

    def start(self, notice: str = "") -> LoginDialog:
        """Show a fresh login window (with ``notice`` in its message line, if any)."""
        ctx = self._ctx
        terminal_id = ctx.settings.terminal_id
        dialog = LoginDialog(
            lambda username, password: ctx.users.authenticate(
                username, password, terminal_id=terminal_id
            ),
            store_name=ctx.store.name if ctx.store else "",
            terminal_id=terminal_id,
            database=ctx.database_description(),
        )
        if notice:
            dialog.show_notice(notice)
        dialog.logged_in.connect(self._on_login_dialog_logged_in)
        dialog.rejected.connect(self._on_login_dialog_rejected)
        self.login_dialog = dialog
        dialog.show()
        dialog.activateWindow()
        self.login_shown.emit(dialog)
        return dialog

    def _on_login_dialog_logged_in(self, actor: Actor) -> None:
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()
            self.login_dialog = None
        window = MainWindow(self._ctx, actor, idle_ms=self._idle_ms)
        window.logout_chosen.connect(self._on_main_window_logout_chosen)
        window.quit_chosen.connect(self._on_main_window_quit_chosen)
        self.main_window = window
        if self.print_queue is not None:
            self.print_queue.attach(window)
            self.print_queue.start()
        window.show()
        self.session_started.emit(window)

    def _on_login_dialog_rejected(self) -> None:
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()
            self.login_dialog = None
        self.ended.emit()

    def _on_main_window_logout_chosen(self, notice: str) -> None:
        window = self.main_window
        self.main_window = None
        # Show the login window before closing the main one, so the application
        # always has a visible window.
        self.start(notice)
        if window is not None:
            window.close()
            window.deleteLater()

    def _on_main_window_quit_chosen(self) -> None:
        window = self.main_window
        self.main_window = None
        if window is not None:
            window.deleteLater()
        self._stop_printing()
        self.ended.emit()

    def _stop_printing(self) -> None:
        # Queued jobs stay queued: the next start prints them.
        if self.print_queue is not None:
            self.print_queue.stop()

    def close(self) -> None:
        """Close whatever window is open without emitting ``ended`` (tests, shutdown);
        stop the print worker."""
        self._stop_printing()
        if self.main_window is not None:
            window, self.main_window = self.main_window, None
            window.logout_chosen.disconnect(self._on_main_window_logout_chosen)
            window.quit_chosen.disconnect(self._on_main_window_quit_chosen)
            window.close()
            window.deleteLater()
        if self.login_dialog is not None:
            dialog, self.login_dialog = self.login_dialog, None
            dialog.rejected.disconnect(self._on_login_dialog_rejected)
            dialog.close()
            dialog.deleteLater()
