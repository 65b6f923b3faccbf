"""A background worker's reports, carried to the GUI thread (STYLE.md habit 6).

The print and upload workers run on their own threads and report through a callback on
that thread; :class:`WorkerRelay` re-emits each report as a queued signal, so only the
GUI thread touches widgets, and drops reports once stopped.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal


class Worker(Protocol):
    """What a relay drives: a thread that starts, stops and can be woken."""

    def start(self) -> None: ...
    def stop(self, timeout: float = ...) -> None: ...
    def wake(self) -> None: ...


class WorkerRelay(QObject):
    """Start, stop and wake a worker; its reports arrive in :meth:`_received` on the GUI
    thread. Subclasses set ``self.worker`` with ``on_change=self._post``."""

    # Private: a report from the worker's thread, delivered queued to the GUI thread.
    _arrived = Signal(object)

    worker: Worker

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._active = False
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """Whether the worker thread runs."""
        return self._active

    def start(self) -> None:
        """Start the worker (it works through what waits at once). Idempotent."""
        with self._lock:
            self._active = True
        self.worker.start()

    def stop(self) -> None:
        """Stop the worker after the step in hand; later reports are dropped. Idempotent."""
        with self._lock:
            self._active = False
        self.worker.stop()

    def wake(self) -> None:
        """Ask the worker to work now; never waits."""
        self.worker.wake()

    def _received(self, report: Any) -> None:
        """A report, on the GUI thread (subclasses keep it and emit their signal)."""
        raise NotImplementedError

    # -- from the worker's thread ---------------------------------------------------------

    def _post(self, report: Any) -> None:
        with self._lock:
            if self._active:
                try:
                    self._arrived.emit(report)
                except RuntimeError:  # deleted without stop(): nobody is listening
                    self._active = False

    # -- GUI thread -----------------------------------------------------------------------

    def _on_arrived(self, report: Any) -> None:
        if self._active:
            self._received(report)
