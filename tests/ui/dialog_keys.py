"""Enter and Esc behave the same in every dialog (issue 10), checked on every dialog any
UI test opens. When a dialog is shown it must have exactly one default button (Enter
presses it: confirm, or close where there is nothing to confirm), and Esc must reach
QDialog's own handling, which rejects (cancel, nothing changes): the dialog may not
override ``keyPressEvent`` or ``reject``, nor bind Esc to a shortcut of its own. The one
exceptions: the lock (SEC-3), where Esc must not unlock a locked screen, and a
progress dialog, which has nothing for Enter to confirm.

Installed for every UI test by ``tests/ui/conftest.py``; a violation fails the test that
opened the dialog, naming the dialog's class. It only looks: nothing is pressed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QPushButton

#: Dialogs where Esc deliberately does not reject, with the reason.
ESC_EXEMPT = {"LockDialog": "SEC-3: Esc never unlocks the screen"}

_ESC = QKeySequence(Qt.Key.Key_Escape)


def dialog_key_problems(dialog: QDialog) -> list[str]:
    """What breaks the Enter/Esc contract in ``dialog`` as shown now (empty: nothing)."""
    kind = type(dialog)
    name = kind.__name__
    problems = []
    defaults = [b.text() for b in dialog.findChildren(QPushButton)
                if b.isDefault() and b.isVisibleTo(dialog)]
    # A progress dialog has nothing to confirm: Enter does nothing, Esc cancels the job.
    if len(defaults) != 1 and not isinstance(dialog, QProgressDialog):
        problems.append(f"{name}: {len(defaults)} default buttons {defaults} "
                        "(Enter must press exactly one)")
    # QProgressDialog binds Esc to its own cancel: the same meaning.
    if name not in ESC_EXEMPT and not isinstance(dialog, QProgressDialog):
        for method in ("keyPressEvent", "reject"):
            if getattr(kind, method) is not getattr(QDialog, method):
                problems.append(f"{name}: overrides {method}, so Esc may not cancel")
        for shortcut in dialog.findChildren(QShortcut):
            if shortcut.key() == _ESC and shortcut.isEnabled() \
                    and shortcut.context() != Qt.ShortcutContext.WidgetShortcut:
                problems.append(f"{name}: a shortcut takes Esc from the dialog")
    return problems


class DialogKeysAudit(QObject):
    """An application event filter: checks each dialog shortly after it is shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problems: list[str] = []
        self.checked: set[str] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Qt override: note dialogs as they are shown (never consumes the event)."""
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) \
                and not isinstance(watched, QMessageBox):
            dialog = watched
            # After the show completes: QDialogButtonBox picks its default button then.
            QTimer.singleShot(0, dialog, lambda: self._check(dialog))
        return False

    def _check(self, dialog: QDialog) -> None:
        if not dialog.isVisible():
            return
        self.checked.add(type(dialog).__name__)
        for problem in dialog_key_problems(dialog):
            if problem not in self.problems:
                self.problems.append(problem)
