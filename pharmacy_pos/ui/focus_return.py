"""After a dialog closes, the keys go back to the window that opened it.

A desktop's window manager activates the parent window when a dialog closes; a kiosk
till often runs without one (and so does the offscreen platform), and then no window is
active and every key press goes nowhere until someone reaches for the mouse. The till
handled this itself (``CartView.focus_after_dialog``); this filter does it for every
screen: when a dialog hides and no window is active, its parent window is activated.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


class FocusReturn(QObject):
    """An application event filter; install once on the QApplication (idempotent)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Qt override: a dialog hid; hand the keys back once the hide is done."""
        if event.type() == QEvent.Type.Hide and isinstance(watched, QDialog):
            parent = watched.parentWidget()
            if parent is not None:
                window = parent.window()
                QTimer.singleShot(0, window, lambda: _activate(window))
        return False


def _activate(window: QWidget) -> None:
    active = QApplication.activeWindow()
    # None, or the dialog that just closed (still "active" where nobody takes it back).
    if (active is None or not active.isVisible()) and window.isVisible():
        window.activateWindow()


def return_focus_after_dialogs(app: QApplication) -> FocusReturn:
    """Install the filter on ``app`` (once); returns it."""
    existing = app.findChild(FocusReturn)
    if isinstance(existing, FocusReturn):
        return existing
    focus_return = FocusReturn(app)
    app.installEventFilter(focus_return)
    return focus_return
