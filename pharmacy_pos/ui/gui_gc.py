"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects cycles in whichever thread happens to allocate when a generation's
threshold is crossed. The print, upload and card workers allocate all the time, so a
cycle holding a Qt wrapper (a closed dialog, a model and its slots) could be freed on a
worker thread, where destroying a QObject of the GUI thread crashes the process (a
segmentation fault in ``Garbage-collecting``, seen once in CI on the uploads screen).

:class:`GuiGarbageCollector` turns automatic collection off and collects from a timer
on the GUI thread instead, with the same generation thresholds, so what a worker drops
is freed between two events of the GUI, never inside a worker. Reference counting is
untouched: only cycles wait for the timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the GUI thread looks at the collector's counts (milliseconds).
CHECK_INTERVAL_MS = 250


class GuiGarbageCollector(QObject):
    """Collect cycles on the GUI thread; :meth:`stop` gives collection back to Python.

    Made on the GUI thread, with the application as parent (it lives as long as Qt).
    """

    def __init__(self, parent: QObject | None = None, *,
                 interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        gc.disable()
        self._timer.start()

    @property
    def active(self) -> bool:
        """Whether collection is ours (automatic collection off)."""
        return self._timer.isActive()

    def check(self) -> int | None:
        """Collect the oldest generation whose threshold is crossed; returns it (None if
        none was). Called by the timer; callable by hand on the GUI thread."""
        counts = gc.get_count()
        first, second, third = self._thresholds
        if first <= 0:  # thresholds of 0 mean "never" to CPython; keep that meaning
            return None
        generation = None
        if counts[0] > first:
            generation = 0
            if counts[1] > second:
                generation = 1
                if counts[2] > third:
                    generation = 2
        if generation is not None:
            gc.collect(generation)
        return generation

    def stop(self) -> None:
        """Stop the timer and restore Python's own collection as it was."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def collect_on_gui_thread(app: QObject) -> GuiGarbageCollector:
    """Install the collector on ``app`` once (idempotent); returns it."""
    existing = app.findChild(GuiGarbageCollector)
    if isinstance(existing, GuiGarbageCollector) and existing.active:
        return existing
    return GuiGarbageCollector(app)
