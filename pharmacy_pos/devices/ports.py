"""What the rest of the app may know about devices: ports and a status value.

Adapters (PC/SC, vendor driver, virtual card, python-escpos printers) live in
``devices.adapters`` and are chosen by the composition root; services see only these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.errors import EnvironmentFault


class DeviceState(StrEnum):
    """Traffic-light state of a device for the status bar and the about panel."""

    OK = "ok"
    SIMULATED = "simulated"
    ABSENT = "absent"
    FAULT = "fault"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"ok": "正常", "simulated": "模拟", "absent": "未连接", "fault": "故障"}[self.value]


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A device's state and what a person should do about it."""

    kind: str
    state: DeviceState
    description: str
    advice: str = ""


class StatusProbe(Protocol):
    """Anything that can report a device's status without blocking for long."""

    def status(self) -> DeviceStatus:
        """The device's current status."""
        ...


# -- social-security card readers (issue: card reading; DEVICES.md §1) -----------------

class CardReaderFault(EnvironmentFault):
    """The card or the reader failed; the message says what the cashier should do."""


class NoCardPresent(CardReaderFault):
    """No card in the reader."""


class CardRemoved(CardReaderFault):
    """The card was pulled during a card operation; nothing was half-done (ID-7)."""


class ReaderUnavailable(CardReaderFault):
    """The reader is unplugged, or the PC/SC service (pcscd) is not running."""


class CardUnreadable(CardReaderFault):
    """The card answered, but not like a social-security card (damaged or foreign)."""


class PinRequired(CardReaderFault):
    """The card keeps the holder's data behind a PIN and none was given."""


class PinRejected(CardReaderFault):
    """The card refused the PIN (wrong, or blocked after too many tries)."""


class CardReader(Protocol):
    """One back end that reads a social-security card into a :class:`CardRecord`.

    Back ends: PC/SC APDUs through pyscard, the ministry's vendor driver, and the virtual
    card (PC/SC too, through pcscd and the vpcd driver). All yield the same record.
    """

    def read_card(self, *, pin: str | None = None) -> CardRecord:
        """Read the card now in the reader.

        Raises:
            NoCardPresent, CardRemoved, ReaderUnavailable, CardUnreadable.
        """
        ...

    def status(self) -> DeviceStatus:
        """The reader's state, for the status bar."""
        ...


class CardEventKind(StrEnum):
    """What happened at the reader."""

    READ = "read"              # a card was inserted and read: ``record`` is set
    FAILED = "failed"          # a card was inserted but could not be read: ``message``
    REMOVED = "removed"        # the card left the reader
    READER_LOST = "reader_lost"  # reader unplugged or pcscd gone: ``message``
    READER_BACK = "reader_back"  # the reader works again


@dataclass(frozen=True, slots=True)
class CardEvent:
    """One event from a card watcher (delivered on the watcher's own thread)."""

    kind: CardEventKind
    reader: str
    record: CardRecord | None = None
    message: str = ""
    elapsed_ms: float = 0.0  # insertion seen -> record available, for READ


class CardWatcher(Protocol):
    """Watches a reader in the background and reports insertions already read.

    ``on_event`` is called on the watcher's thread; the UI re-emits it as a Qt signal.
    """

    def start(self, on_event: Callable[[CardEvent], None]) -> None:
        """Begin watching (returns at once)."""
        ...

    def stop(self) -> None:
        """Stop watching and release the reader (waits for the thread)."""
        ...
