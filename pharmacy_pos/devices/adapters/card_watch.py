"""Card watcher over PC/SC: insertions read at once, removals, pcscd lost and back.

A background thread waits in ``SCardGetStatusChange`` (``smartcard.scard``) with a short
timeout, so an insertion pcscd reports is seen within a millisecond (0.4 ms median,
measured from pcscd's first contact with a virtual card) and ``stop()`` returns promptly
(it also cancels the wait with ``SCardCancel``). pyscard's ``CardMonitor`` (2.3.1) is
event driven too and about as quick (0.6 ms), but it cannot serve here: its thread ends
for good when pcscd goes away (``SCARD_E_NO_SERVICE``), it is a process-wide singleton,
prints tracebacks to stderr and does not read the card.

Events go to one callback on the watcher's thread; the UI re-emits them as Qt signals.
When pcscd stops (or the reader is unplugged) the watcher reports ``READER_LOST``, keeps
trying with a growing back-off to open a new PC/SC context, and reports
``READER_BACK`` once that works: the application never has to be restarted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from enum import Enum, auto

from smartcard import scard

from pharmacy_pos.devices.adapters.pcsc_reader import (
    PcscCardReader,
    list_readers,
    matching_readers,
)
from pharmacy_pos.devices.ports import (
    CardEvent,
    CardEventKind,
    CardReader,
    CardReaderFault,
)

log = logging.getLogger(__name__)

#: Pseudo reader that changes state when readers are plugged in or out (pcsc-lite).
PNP_NOTIFICATION = r"\\?PnP?\Notification"

#: A watch that ends sooner than this after the reader came back counts as flapping.
FLAPPING_S = 5.0

MSG_LOST = "读卡服务未运行或读卡器未连接，恢复后将自动重新连接"
MSG_NO_READER = "未检测到读卡器，请连接社保卡读卡器（连接后将自动识别）"


class _Outcome(Enum):
    STOPPED = auto()
    SERVICE_LOST = auto()
    READER_LOST = auto()
    RELIST = auto()


class PcscCardWatcher:
    """A :class:`~pharmacy_pos.devices.ports.CardWatcher` over pcscd.

    Args:
        reader: The reader to watch, the start of reader names (``"Virtual PCD"``
            watches both vpcd slots), or None for every reader pcscd knows; readers
            matching it that are plugged in later are picked up.
        card_reader: Builds the reader used to read an inserted card (default:
            :class:`~pharmacy_pos.devices.adapters.pcsc_reader.PcscCardReader`).
        wait_ms: Longest single wait in ``SCardGetStatusChange``; bounds how long
            ``stop()`` can take if the cancel is lost.
        backoff_s: First and longest pause between attempts to reach pcscd again.
    """

    def __init__(
        self,
        reader: str | None = None,
        *,
        card_reader: Callable[[str], CardReader] = PcscCardReader,
        wait_ms: int = 200,
        backoff_s: tuple[float, float] = (0.1, 2.0),
    ) -> None:
        self.reader = reader
        self.wait_ms = wait_ms
        self.backoff_s = backoff_s
        self._make_reader = card_reader
        self._readers: dict[str, CardReader] = {}
        self._on_event: Callable[[CardEvent], None] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._context_lock = threading.Lock()
        self._context: int | None = None

    @property
    def running(self) -> bool:
        """True while the watcher thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, on_event: Callable[[CardEvent], None]) -> None:
        """Begin watching; ``on_event`` is called on the watcher's thread."""
        if self.running:
            raise RuntimeError("card watcher already started")
        self._on_event = on_event
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="card-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop watching and wait for the thread (a read in progress is finished first)."""
        self._stopping.set()
        with self._context_lock:
            if self._context is not None:
                scard.SCardCancel(self._context)
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("card watcher did not stop within %.1f s", timeout_s)
            self._thread = None

    # -- the thread ----------------------------------------------------------------------

    def _emit(self, event: CardEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:  # a faulty listener must not stop card reading
            log.exception("card event listener failed on %s", event.kind)

    def _run(self) -> None:
        lost: str | None = None      # the READER_LOST message already sent, if any
        delay = self.backoff_s[0]
        while not self._stopping.is_set():
            context, readers, problem = self._open()
            if context is None or not readers:
                if context is not None:
                    self._release()
                if lost is None:
                    lost = problem
                    self._emit(CardEvent(CardEventKind.READER_LOST, self.reader or "",
                                         message=problem))
                self._stopping.wait(delay)
                delay = min(delay * 2, self.backoff_s[1])
                continue
            if lost is not None:
                lost = None
                self._emit(CardEvent(CardEventKind.READER_BACK, self.reader or readers[0]))
            watched_since = time.monotonic()
            outcome = self._watch(context, readers)
            self._release()
            if outcome is _Outcome.SERVICE_LOST or outcome is _Outcome.READER_LOST:
                lost = MSG_LOST if outcome is _Outcome.SERVICE_LOST else MSG_NO_READER
                self._emit(CardEvent(CardEventKind.READER_LOST, self.reader or "",
                                     message=lost))
                # A reader that keeps dropping right after coming back is retried ever
                # more slowly instead of flooding the listener with LOST/BACK pairs.
                if time.monotonic() - watched_since > FLAPPING_S:
                    delay = self.backoff_s[0]
                self._stopping.wait(delay)
                delay = min(delay * 2, self.backoff_s[1])

    def _open(self) -> tuple[int | None, list[str], str]:
        """A fresh context and the readers to watch, or why there is none."""
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            return None, [], MSG_LOST
        with self._context_lock:
            self._context = context
        try:
            readers = list_readers(context)
        except CardReaderFault:
            return context, [], MSG_LOST
        return context, matching_readers(readers, self.reader), MSG_NO_READER

    def _release(self) -> None:
        with self._context_lock:
            context, self._context = self._context, None
        if context is not None:
            scard.SCardReleaseContext(context)

    def _watch(self, context: int, readers: list[str]) -> _Outcome:
        """Wait for changes on ``readers`` until pcscd or a reader goes away."""
        states = dict.fromkeys(readers, scard.SCARD_STATE_UNAWARE)
        present = dict.fromkeys(readers, False)
        counters = dict.fromkeys(readers, -1)
        watched = list(readers)
        pnp_known = False
        if readers != [self.reader]:
            # Only pcsc-lite's pseudo reader tells about readers plugged in later.
            states[PNP_NOTIFICATION] = scard.SCARD_STATE_UNAWARE
            watched.append(PNP_NOTIFICATION)
        while not self._stopping.is_set():
            hresult, changes = scard.SCardGetStatusChange(
                context, self.wait_ms, [(name, states[name]) for name in watched])
            if self._stopping.is_set() or hresult == scard.SCARD_E_CANCELLED:
                return _Outcome.STOPPED
            if hresult == scard.SCARD_E_TIMEOUT:
                continue
            if hresult in (scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE):
                return _Outcome.READER_LOST
            if hresult != scard.SCARD_S_SUCCESS:
                return _Outcome.SERVICE_LOST
            for name, event_state, _atr in changes:
                states[name] = event_state & ~scard.SCARD_STATE_CHANGED
                if name == PNP_NOTIFICATION:
                    # The first answer is the baseline; a later change means plugging.
                    if pnp_known and event_state & scard.SCARD_STATE_CHANGED:
                        return _Outcome.RELIST
                    pnp_known = True
                    continue
                if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                    return _Outcome.READER_LOST
                now_present = bool(event_state & scard.SCARD_STATE_PRESENT)
                counter = event_state >> 16
                # Removed and inserted again between two looks: the counter moved by 2.
                swapped = present[name] and now_present and counter - counters[name] >= 2
                if present[name] and (swapped or not now_present):
                    self._emit(CardEvent(CardEventKind.REMOVED, name))
                if now_present and (swapped or not present[name]):
                    self._read(name)
                present[name] = now_present
                counters[name] = counter
        return _Outcome.STOPPED

    def _read(self, name: str) -> None:
        seen = time.perf_counter_ns()
        reader = self._readers.get(name)
        if reader is None:
            reader = self._readers[name] = self._make_reader(name)
        try:
            record = reader.read_card()
        except CardReaderFault as fault:
            failure = fault.message
        else:
            elapsed_ms = (time.perf_counter_ns() - seen) / 1e6
            self._emit(CardEvent(CardEventKind.READ, name, record=record, elapsed_ms=elapsed_ms))
            return
        # Emitted outside the handler so a failing listener's traceback stands alone.
        self._emit(CardEvent(CardEventKind.FAILED, name, message=failure))
