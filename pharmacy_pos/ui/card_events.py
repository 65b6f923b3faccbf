"""Card reader events crossing into Qt (STYLE.md, habit 6; DESIGN.md: only through signals).

A ``CardWatcher`` calls back on its own thread, and an on-demand read (the vendor driver
has no insertion events) runs on a short-lived worker thread. Both end in
``CardEvents.on_event``, which touches no widget: it posts the event to the GUI thread,
where it is re-emitted as one of the public signals. Events from a watcher that has
since been stopped or restarted are dropped there, so a closed screen never hears a late
card.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from pharmacy_pos.devices.ports import (
    CardEvent,
    CardEventKind,
    CardReader,
    CardWatcher,
    ReaderUnavailable,
)
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault

log = logging.getLogger(__name__)

#: Builds the background watcher; None when this terminal reads on demand only.
WatcherFactory = Callable[[], CardWatcher | None]
#: Builds the reader for on-demand reads; None when no reader is configured.
ReaderFactory = Callable[[], CardReader | None]

#: How long ``stop`` waits for an on-demand read still talking to the reader.
READ_JOIN_TIMEOUT_S = 5.0


class _Crash:
    """An unexpected exception from a worker thread, re-raised on the GUI thread."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class CardEvents(QObject):
    """Re-emits reader callbacks (any thread) as signals handled on the GUI thread.

    Owns the watcher: ``start`` builds it with the factory and starts it, ``stop`` stops
    it and waits for its thread. Without a watcher, ``read_now`` reads once in the
    background. Faults never escape as exceptions: they arrive as ``card_failed`` or
    ``reader_lost`` with the (Chinese) fault message.
    """

    card_read = Signal(object)  # CardEvent of kind READ: record, elapsed_ms, reader
    card_failed = Signal(str)  # a card was inserted but could not be read
    card_removed = Signal()
    reader_lost = Signal(str)  # reader unplugged, pcscd gone, watcher could not start
    reader_back = Signal()
    read_started = Signal()  # an on-demand read began (read_now)
    read_finished = Signal()  # ... and ended, whatever its outcome

    # Private: (generation, from an on-demand read?, CardEvent | _Crash), from any thread.
    _arrived = Signal(object)

    def __init__(
        self, watcher_factory: WatcherFactory, reader_factory: ReaderFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._watcher_factory = watcher_factory
        self._reader_factory = reader_factory
        self._lock = threading.Lock()
        # Bumped by every start/stop; events carry the generation they were sent in.
        self._generation = 0
        self._active = False
        self._watcher: CardWatcher | None = None
        self._reader: CardReader | None = None
        self._read_thread: threading.Thread | None = None
        #: True when the last ``start`` found a watcher configured but it failed.
        self.watcher_failed = False
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)

    # -- life cycle (GUI thread) ----------------------------------------------------------

    @property
    def watching(self) -> bool:
        """Whether a watcher reports insertions by itself."""
        return self._watcher is not None

    @property
    def reading(self) -> bool:
        """Whether an on-demand read is under way."""
        return self._read_thread is not None and self._read_thread.is_alive()

    def start(self) -> bool:
        """Start the watcher if this terminal has one.

        Returns:
            True when a watcher now reports insertions; False when cards are read on
            demand (no watcher configured) or the watcher could not start (then
            ``reader_lost`` follows with the reason; calling ``start`` again retries).
            A running watcher is stopped first, so this also restarts one.
        """
        self.stop()
        with self._lock:
            self._generation += 1
            self._active = True
        self.watcher_failed = False
        try:
            watcher = self._watcher_factory()
            if watcher is None:
                return False
            watcher.start(self.on_event)
        except EnvironmentFault as exc:
            log.warning("card watcher did not start: %s", exc)
            self.watcher_failed = True
            self.on_event(CardEvent(CardEventKind.READER_LOST, "", message=str(exc)))
            return False
        self._watcher = watcher
        return True

    def stop(self) -> None:
        """Stop the watcher and wait for it; later events are dropped. Idempotent."""
        with self._lock:
            self._generation += 1
            self._active = False
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()
        thread, self._read_thread = self._read_thread, None
        if thread is not None:
            thread.join(READ_JOIN_TIMEOUT_S)
            if thread.is_alive():
                log.warning("on-demand card read still blocked in the driver after stop")

    # -- on-demand reads (GUI thread) -----------------------------------------------------

    def read_now(self) -> bool:
        """Read the card now, in the background; the outcome arrives as a signal.

        Returns:
            False when there is nothing to read with (no reader configured) or a read
            is already under way.

        Raises:
            EnvironmentFault: the reader cannot be set up (e.g. driver not configured).
        """
        if self.reading:
            return False
        if self._reader is None:
            self._reader = self._reader_factory()
        reader = self._reader
        if reader is None:
            return False
        with self._lock:
            if not self._active:
                self._generation += 1
                self._active = True
        self._read_thread = threading.Thread(
            target=self._read_in_background, args=(reader,),
            name="card-read", daemon=True,
        )
        self.read_started.emit()
        self._read_thread.start()
        return True

    def _read_in_background(self, reader: CardReader) -> None:
        started = time.perf_counter()
        try:
            record = reader.read_card()
        except ReaderUnavailable as exc:
            event = CardEvent(CardEventKind.READER_LOST, "", message=str(exc))
        except (EnvironmentFault, DomainError) as exc:
            # NoCardPresent, CardRemoved, CardUnreadable, malformed card data.
            event = CardEvent(CardEventKind.FAILED, "", message=str(exc))
        except Exception as exc:  # our bug: reported on the GUI thread, not lost here
            self._post(_Crash(exc), from_read=True)
            return
        else:
            event = CardEvent(CardEventKind.READ, "", record=record,
                              elapsed_ms=(time.perf_counter() - started) * 1000)
        self._post(event, from_read=True)

    # -- from any thread ------------------------------------------------------------------

    def on_event(self, event: CardEvent) -> None:
        """Hand a watcher's event to the GUI thread (called on the watcher's thread)."""
        self._post(event)

    def _post(self, item: CardEvent | _Crash, *, from_read: bool = False) -> None:
        with self._lock:
            # Checked under the lock: once stop() has begun, nothing more is posted.
            if self._active:
                try:
                    self._arrived.emit((self._generation, from_read, item))
                except RuntimeError:  # deleted without stop(): nobody is listening
                    self._active = False

    # -- GUI thread -----------------------------------------------------------------------

    def _on_arrived(self, posted: tuple[int, bool, CardEvent | _Crash]) -> None:
        generation, from_read, item = posted
        if generation != self._generation or not self._active:
            return  # from a watcher or read stopped while this was queued
        if from_read:
            self._finish_read()
        if isinstance(item, _Crash):
            raise item.exc
        kind = item.kind
        if kind is CardEventKind.READ and item.record is not None:
            self.card_read.emit(item)
        elif kind is CardEventKind.FAILED:
            self.card_failed.emit(item.message)
        elif kind is CardEventKind.REMOVED:
            self.card_removed.emit()
        elif kind is CardEventKind.READER_LOST:
            if from_read:
                self._reader = None  # set the reader up afresh on the next read
            self.reader_lost.emit(item.message)
        elif kind is CardEventKind.READER_BACK:
            self.reader_back.emit()

    def _finish_read(self) -> None:
        thread, self._read_thread = self._read_thread, None
        if thread is not None:
            thread.join(READ_JOIN_TIMEOUT_S)  # it has posted its outcome: ends at once
        self.read_finished.emit()
