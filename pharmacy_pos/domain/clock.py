"""Time: stored in UTC, shown and reasoned about in the store's zone (Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

STORE_ZONE = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    """Where use cases get the time, so tests can fix it."""

    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...

    def today(self) -> date:
        """Today's date in the store's zone."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current moment in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today in Asia/Shanghai."""
        return datetime.now(STORE_ZONE).date()


class FixedClock:
    """A clock that stands still until moved; for tests and reproducible data."""

    def __init__(self, moment: datetime | None = None) -> None:
        self.moment = moment or datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
        if self.moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")

    def now(self) -> datetime:
        """The fixed moment."""
        return self.moment

    def today(self) -> date:
        """The fixed moment's date in Asia/Shanghai."""
        return self.moment.astimezone(STORE_ZONE).date()

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(minutes=16)``."""
        self.moment += timedelta(**delta)


def local_text(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in the store's zone, for people."""
    return moment.astimezone(STORE_ZONE).strftime("%Y-%m-%d %H:%M:%S")
