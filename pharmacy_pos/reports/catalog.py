"""The reports there are, for the screen and the command line to list and run.

Each report module registers a :class:`ReportSpec`; its ``build`` takes the unit-of-work
factory, the actor, the period and two callables: ``progress(done, total)`` to report how
far it is, and ``cancelled()`` to ask whether the person gave up (then it raises
:class:`Cancelled`). Builders check the actor's permission themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pharmacy_pos.domain.errors import PosError
from pharmacy_pos.reports.model import Report

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class Cancelled(PosError):
    """The person cancelled the report while it was being built or exported."""

    def __init__(self) -> None:
        super().__init__("已取消")


@dataclass(frozen=True, slots=True)
class Period:
    """The days a report covers: ``first`` to ``last`` inclusive (store days)."""

    first: date
    last: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """A calendar month."""
        first = date(year, month, 1)
        after = date(year + (month == 12), month % 12 + 1, 1)
        return cls(first, date.fromordinal(after.toordinal() - 1))

    @classmethod
    def parse_month(cls, text: str) -> Period:
        """``2026-10`` -> that month.

        Raises:
            ValueError: with a Chinese message.
        """
        try:
            year, month = (int(part) for part in text.strip().split("-"))
            return cls.month(year, month)
        except ValueError:
            raise ValueError(f"月份应写作 YYYY-MM，例如 2026-10（收到“{text}”）") from None

    def label(self) -> str:
        """``2026年10月`` for a whole month, else ``2026-10-01 至 2026-10-15``."""
        whole = Period.month(self.first.year, self.first.month)
        if whole == self:
            return f"{self.first.year}年{self.first.month}月"
        return f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}"


Builder = Callable[..., Report]
"""``build(uow_factory, actor, period, *, progress, cancelled, **services) -> Report``."""


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A report that can be run: key (CLI name), Chinese title, rule id, builder."""

    key: str
    title: str
    rule_id: str
    build: Builder


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    """Add a report to the catalogue (module import time)."""
    if spec.key in REPORTS:
        raise ValueError(f"report {spec.key!r} registered twice")
    REPORTS[spec.key] = spec
    return spec


def no_progress(_done: int, _total: int) -> None:
    """For callers that do not show progress."""


def never_cancelled() -> bool:
    """For callers that cannot cancel."""
    return False
