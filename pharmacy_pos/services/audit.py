"""Writing the audit trail (SEC-4). Every maintenance use case calls ``record``."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.services.actor import Actor


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    *,
    at: datetime,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit record in the caller's transaction (so it commits with the change)."""
    uow.audit.append(
        actor.store_id,
        occurred_at=at,
        actor_id=actor.user_id,
        actor_name=actor.username,
        terminal_id=actor.terminal_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
