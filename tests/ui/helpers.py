"""Small helpers shared by the UI tests."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from pharmacy_pos.bootstrap import AppContext


def audit_actions(ctx: AppContext) -> list[tuple[str, str]]:
    """(action, detail) of every audit record of the store, oldest first."""
    assert ctx.store is not None
    with ctx.uow(readonly=True) as uow:
        return [(r.action, r.detail) for r in reversed(uow.audit.recent(ctx.store.id, 100_000))]


def commit_text(widget: QWidget, text: str) -> None:
    """Enter Chinese text the way an input method does: one committed string.

    ``QTest.keyClicks`` only maps ASCII to keys (it aborts on other characters), and a
    Pinyin IME delivers 汉字 as an input-method commit, not as key presses anyway.
    """
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def log_in_as(qtbot, controller, username: str, password: str):
    """Type a user's credentials into the controller's login window; returns the main window."""
    from PySide6.QtCore import Qt

    dialog = controller.start()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClicks(dialog.password_edit, password)
    with qtbot.waitSignal(controller.session_started) as started:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    return started.args[0]
