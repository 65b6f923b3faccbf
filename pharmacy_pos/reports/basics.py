"""What the insurance and self-inspection reports (REP-2..REP-5) share.

Reports sit beside services (import-linter keeps the two independent), so the actor is
described here by what a report needs of it rather than imported from ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Protocol

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.reports.catalog import Cancelled, IsCancelled, Period

UowFactory = Callable[..., UnitOfWork]


class ReportActor(Protocol):
    """The person running a report (``services.actor.Actor`` fits)."""

    @property
    def store_id(self) -> int:
        """The store whose records the report covers."""
        ...

    def require(self, permission: Permission) -> None:
        """Raise ``PermissionDenied`` unless the actor holds ``permission`` (SEC-1)."""
        ...


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as ``[start, end)`` instants: store days in Asia/Shanghai."""
    start = datetime.combine(period.first, time.min, STORE_ZONE)
    end = datetime.combine(period.last, time.min, STORE_ZONE) + timedelta(days=1)
    return start, end


def checkpoint(cancelled: IsCancelled) -> None:
    """Stop building if the person gave up.

    Raises:
        Cancelled: ``cancelled()`` said so.
    """
    if cancelled():
        raise Cancelled()
