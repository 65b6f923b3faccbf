"""Fixtures for the card stack: a private pcscd, card slots, watchers and their events.

Tests that need pcscd skip (with the reason) only when it cannot be started here; once
it ran, any later failure to restart it is a test failure.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from smartcard import scard

from pharmacy_pos.devices.adapters.card_watch import PcscCardWatcher
from pharmacy_pos.devices.adapters.virtual_card import Holder, VirtualCard
from pharmacy_pos.devices.ports import CardEvent, CardEventKind
from tests.devices.pcscd import PcscdUnavailable, PrivatePcscd

#: Longest pcscd takes to notice a card coming or going: it polls the vpcd driver every
#: 400 ms; the rest is margin for a loaded machine.
SLOT_TIMEOUT_S = 3.0


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PrivatePcscd]:
    """The session's pcscd (private socket and port when possible)."""
    try:
        daemon = PrivatePcscd()
        daemon.start()
    except PcscdUnavailable as exc:
        pytest.skip(f"pcscd unavailable: {exc}")
    try:
        yield daemon
    finally:
        daemon.close()


@pytest.fixture
def running_pcscd(pcscd: PrivatePcscd) -> PrivatePcscd:
    """The session's pcscd, restarted if an earlier test left it stopped."""
    pcscd.start()
    return pcscd


class CardSlot:
    """One vpcd reader of the test pcscd, with helpers to insert and pull cards."""

    def __init__(self, daemon: PrivatePcscd, index: int = 0) -> None:
        self.daemon = daemon
        self.port = daemon.port + index
        self.reader = daemon.reader if index == 0 else daemon.second_reader
        self.cards: list[VirtualCard] = []

    def card(self, holder: Holder | str = "valid", **options: Any) -> VirtualCard:
        """A card for this slot, not yet inserted."""
        card = VirtualCard(holder, port=self.port, **options)
        self.cards.append(card)
        return card

    def insert(self, holder: Holder | str = "valid", **options: Any) -> VirtualCard:
        """Insert a card and wait until pcscd reports it present."""
        card = self.card(holder, **options)
        card.insert()
        self.wait_present()
        return card

    def remove(self, card: VirtualCard) -> None:
        """Pull ``card`` out and wait until pcscd reports the slot empty."""
        card.remove()
        self.wait_empty()

    def wait_present(self) -> None:
        """Until pcscd reports a card in this slot."""
        self._wait(present=True)

    def wait_empty(self) -> None:
        """Until pcscd reports this slot empty."""
        self._wait(present=False)

    def _wait(self, *, present: bool) -> None:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        assert hresult == scard.SCARD_S_SUCCESS, scard.SCardGetErrorMessage(hresult)
        try:
            state = scard.SCARD_STATE_UNAWARE
            deadline = time.monotonic() + SLOT_TIMEOUT_S
            while time.monotonic() < deadline:
                hresult, states = scard.SCardGetStatusChange(
                    context, 100, [(self.reader, state)])
                if hresult == scard.SCARD_S_SUCCESS:
                    state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                    if bool(state & scard.SCARD_STATE_PRESENT) == present:
                        return
                elif hresult != scard.SCARD_E_TIMEOUT:
                    pytest.fail(f"pcscd: {scard.SCardGetErrorMessage(hresult)}")
            pytest.fail(f"{self.reader}: card still {'absent' if present else 'present'} "
                        f"after {SLOT_TIMEOUT_S} s")
        finally:
            scard.SCardReleaseContext(context)

    def clear(self) -> None:
        """Pull every card this slot inserted (teardown)."""
        for card in self.cards:
            card.remove()
        if self.daemon.running and any(c.log.connected_ns for c in self.cards):
            self.wait_empty()


@pytest.fixture
def slot(running_pcscd: PrivatePcscd) -> Iterator[CardSlot]:
    """The first vpcd reader; cards left in it are pulled at the end of the test."""
    slot = CardSlot(running_pcscd)
    yield slot
    slot.clear()


@pytest.fixture
def second_slot(running_pcscd: PrivatePcscd) -> Iterator[CardSlot]:
    """The second vpcd reader."""
    slot = CardSlot(running_pcscd, 1)
    yield slot
    slot.clear()


class EventLog:
    """Collects a watcher's events (called on the watcher's thread)."""

    def __init__(self) -> None:
        self.events: list[CardEvent] = []
        self._queue: queue.Queue[CardEvent] = queue.Queue()

    def __call__(self, event: CardEvent) -> None:
        self.events.append(event)
        self._queue.put(event)

    def next(self, kind: CardEventKind, timeout_s: float = SLOT_TIMEOUT_S) -> CardEvent:
        """The next event, which must be of ``kind``."""
        try:
            event = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            pytest.fail(f"no {kind} event within {timeout_s} s; events so far: "
                        f"{[e.kind.value for e in self.events]}")
        assert event.kind is kind, (event, [e.kind.value for e in self.events])
        return event

    def assert_quiet(self, seconds: float) -> None:
        """No event arrives for ``seconds``."""
        try:
            event = self._queue.get(timeout=seconds)
        except queue.Empty:
            return
        pytest.fail(f"unexpected event {event}")


@pytest.fixture
def watch() -> Iterator[Callable[..., tuple[PcscCardWatcher, EventLog]]]:
    """Start a watcher (``watch(reader)``) with an event log; stopped at the end."""
    started: list[PcscCardWatcher] = []

    def start(reader: str | None, **options: Any) -> tuple[PcscCardWatcher, EventLog]:
        watcher = PcscCardWatcher(reader, **options)
        events = EventLog()
        watcher.start(events)
        started.append(watcher)
        return watcher, events

    yield start
    for watcher in started:
        watcher.stop()
