"""Test-only card devices (STYLE.md, habit 8: ``Fake*`` never ships).

``FakeCardWatcher`` implements the ``CardWatcher`` port like the real one does: events
are delivered from its own background ``threading.Thread``, never from the test's
thread, so the UI's thread crossing is exercised for real.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from pharmacy_pos.devices.ports import (
    CardEvent,
    CardEventKind,
    CardReaderFault,
    DeviceState,
    DeviceStatus,
)
from pharmacy_pos.domain.card import CardRecord

READER = "Fake Reader 00"


class FakeCardWatcher:
    """A ``CardWatcher`` the test drives: ``insert``, ``remove``, ``fail``, ``lose``, ``back``.

    Records ``starts``, ``stops`` and the delivering threads' names.
    """

    def __init__(self) -> None:
        self._events: queue.Queue[CardEvent | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.starts = 0
        self.stops = 0
        self.delivered_on: list[str] = []

    # -- the port -----------------------------------------------------------------------

    def start(self, on_event: Callable[[CardEvent], None]) -> None:
        """Begin delivering queued events on a background thread."""
        assert self._thread is None, "started twice without stop"
        self.starts += 1
        self._events = queue.Queue()
        self._thread = threading.Thread(target=self._run, args=(on_event, self._events),
                                        name="fake-card-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop delivering and wait for the thread."""
        self.stops += 1
        thread, self._thread = self._thread, None
        if thread is not None:
            self._events.put(None)
            thread.join(5)
            assert not thread.is_alive(), "fake watcher thread did not end"

    # -- driving it from a test ---------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the delivering thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def insert(self, record: CardRecord, *, elapsed_ms: float = 42.0) -> None:
        """A card was inserted and read."""
        self._put(CardEvent(CardEventKind.READ, READER, record=record, elapsed_ms=elapsed_ms))

    def remove(self) -> None:
        """The card left the reader."""
        self._put(CardEvent(CardEventKind.REMOVED, READER))

    def fail(self, message: str) -> None:
        """A card was inserted but could not be read."""
        self._put(CardEvent(CardEventKind.FAILED, READER, message=message))

    def lose(self, message: str) -> None:
        """The reader went away."""
        self._put(CardEvent(CardEventKind.READER_LOST, READER, message=message))

    def back(self) -> None:
        """The reader works again."""
        self._put(CardEvent(CardEventKind.READER_BACK, READER))

    def _put(self, event: CardEvent) -> None:
        assert self.running, "the watcher is not running"
        self._events.put(event)

    def _run(self, on_event: Callable[[CardEvent], None],
             events: queue.Queue[CardEvent | None]) -> None:
        while (event := events.get()) is not None:
            self.delivered_on.append(threading.current_thread().name)
            on_event(event)


class FakeCardReader:
    """A ``CardReader`` for on-demand reads: answers with the next queued record or fault."""

    def __init__(self) -> None:
        self.answers: list[CardRecord | CardReaderFault] = []
        self.reads = 0
        self.read_on: list[str] = []

    def read_card(self, *, pin: str | None = None) -> CardRecord:
        """The next queued answer (raised when it is a fault)."""
        self.reads += 1
        self.read_on.append(threading.current_thread().name)
        answer = self.answers.pop(0)
        if isinstance(answer, CardReaderFault):
            raise answer
        return answer

    def status(self) -> DeviceStatus:
        """Always fine."""
        return DeviceStatus("card_reader", DeviceState.OK, READER)
