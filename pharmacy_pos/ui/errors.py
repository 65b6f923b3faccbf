"""Showing errors by whose fault they are (STYLE.md, habit 4).

``DomainError``: a rule refused; shown with its rule id and the Chinese reason, nothing
changed. ``EnvironmentFault``: the database or a device failed; shown with 重试 when a
retry can help. Anything else is our bug: the excepthook logs the traceback, shows a
crash dialog and shuts the application down in a controlled way (nothing half-written
survives, because every use case is one transaction).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, PosError, ValidationFailed
from pharmacy_pos.ui.rule_texts import with_rule

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Exit status after an unexpected error (EX_SOFTWARE).
EXIT_BUG = 70



# lupdate reads translate("<context>", "<text>") only with both literal, so each call
# names its context (a variable context or a wrapper hides the string from it).
translate = QCoreApplication.translate


def error_text(exc: PosError) -> str:
    """The message a person reads: rule id first when there is one, then every problem.

    Under English the rule's own sentence comes before the service's Chinese detail
    (``ui/rule_texts.py``)."""
    lines = [with_rule(exc.rule_id, exc.message)]
    if isinstance(exc, ValidationFailed):
        lines += [f"• {problem}" for problem in exc.problems]
    return "\n".join(lines)


def exec_message_box(box: QMessageBox) -> None:
    """Run a message box modally. A seam: UI tests replace it to answer the box."""
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException) -> bool:
    """Explain ``exc`` to the person at the terminal.

    Returns:
        True when the person chose 重试 on a retryable environment fault, else False.
    """
    if isinstance(exc, EnvironmentFault):
        return _show_fault(parent, exc)
    if isinstance(exc, DomainError):
        box = QMessageBox(QMessageBox.Icon.Warning, translate("errors", "操作未完成"),
                          error_text(exc),
                          QMessageBox.StandardButton.Ok, parent)
        box.setInformativeText(translate("errors", "未做任何更改。"))
        exec_message_box(box)
        return False
    report_bug(type(exc), exc, exc.__traceback__)
    return False


def _show_fault(parent: QWidget | None, exc: EnvironmentFault) -> bool:
    box = QMessageBox(QMessageBox.Icon.Critical, translate("errors", "数据库或设备故障"),
                      error_text(exc),
                      QMessageBox.StandardButton.NoButton, parent)
    retry = None
    if exc.retryable:
        retry = box.addButton(translate("errors", "重试"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("errors", "取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(retry)
    else:
        box.addButton(translate("errors", "确定"), QMessageBox.ButtonRole.AcceptRole)
    exec_message_box(box)
    return retry is not None and box.clickedButton() is retry


def call_guarded(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Run a use case from a screen; explain refusals and faults, retrying while asked.

    Returns:
        The action's result, or None when it was refused or abandoned.
    """
    while True:
        try:
            return action()
        except DomainError as exc:
            show_error(parent, exc)
            return None
        except EnvironmentFault as exc:
            if not show_error(parent, exc):
                return None


class _CrashState:
    """Where the log goes, and whether a crash dialog is already up (no recursion)."""

    log_file: Path | None = None
    reporting = False


def try_credentials(parent: QWidget, action: Callable[[str, str], T], *,
                    username_edit: QLineEdit, password_edit: QLineEdit,
                    error_label: QLabel) -> tuple[bool, T | None]:
    """Run a second person's approval with the typed user name and password.

    A refusal (wrong password, not allowed, the cashier themself) is shown in
    ``error_label`` and a message box, the password is cleared and the user name selected
    for another try; a fault of the environment offers 重试. Returns (done, result); the
    password field is cleared either way once the action ran.
    """
    username, password = username_edit.text().strip(), password_edit.text()
    while True:
        try:
            result = action(username, password)
        except DomainError as exc:
            error_label.setText(error_text(exc))
            password_edit.clear()
            show_error(parent, exc)
            username_edit.setFocus()
            username_edit.selectAll()
            return False, None
        except EnvironmentFault as exc:
            if show_error(parent, exc):
                continue
            return False, None
        password_edit.clear()
        return True, result


def report_bug(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Log an unexpected exception, show the crash dialog, then shut down.

    Without a QApplication (e.g. while parsing arguments) it falls back to the default
    hook, which prints the traceback.
    """
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.exit(130)
        return
    log.critical("unexpected error", exc_info=(exc_type, exc, tb))
    app = QApplication.instance()
    if app is None or _CrashState.reporting:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _CrashState.reporting = True
    try:
        where = (str(_CrashState.log_file) if _CrashState.log_file
                 else translate("errors", "标准错误输出"))
        box = QMessageBox(QMessageBox.Icon.Critical, translate("errors", "程序错误"),
                          translate("errors", "程序发生内部错误，已记录到日志。为保护数据，"
                                    "程序将关闭；未完成的操作不会保存，已完成的操作不受影响。"),
                          QMessageBox.StandardButton.NoButton, None)
        box.setInformativeText(translate("errors", "日志: {0}").format(where))
        box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
        box.addButton(translate("errors", "关闭程序"), QMessageBox.ButtonRole.AcceptRole)
        exec_message_box(box)
    finally:
        _CrashState.reporting = False
    # exit() rather than quit(): the status tells a supervisor that this was a crash.
    QApplication.exit(EXIT_BUG)


def install_excepthook(log_file: Path | None = None) -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to ``report_bug``."""
    _CrashState.log_file = log_file
    sys.excepthook = report_bug
