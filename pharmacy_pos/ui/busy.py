"""Run one slow job (demo data, later imports) off the GUI thread behind a busy dialog.

The job must not touch widgets (STYLE.md, habit 6); it returns a value or raises, and
both come back to the GUI thread, where the caller handles them as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class _Finished(QObject):
    """Carries "the job is over" from the worker thread to the GUI thread (queued)."""

    finished = Signal()


def run_busy(parent: QWidget | None, text: str, job: Callable[[], T]) -> T:
    """Run ``job`` in a worker thread while an indeterminate progress dialog shows ``text``.

    Returns:
        What ``job`` returned.

    Raises:
        Whatever ``job`` raised, re-raised on the GUI thread.
    """
    outcome: dict[str, Any] = {}
    signal = _Finished()
    loop = QEventLoop()
    signal.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        try:
            outcome["value"] = job()
        except BaseException as exc:  # handed back to the GUI thread, not swallowed
            outcome["error"] = exc
        finally:
            signal.finished.emit()

    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setCancelButton(None)  # the job cannot be interrupted half-way
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setWindowTitle(text)
    dialog.show()
    worker = threading.Thread(target=work, name="busy-job", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
