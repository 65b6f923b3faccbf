"""What the rest of the app may know about devices: ports and a status value.

Adapters (PC/SC, vendor driver, virtual card, python-escpos printers) live in
``devices.adapters`` and are chosen by the composition root; services see only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


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
