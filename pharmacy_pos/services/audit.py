"""Writing the audit trail (SEC-4). Every maintenance use case calls ``record``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor

UowFactory = Callable[..., UnitOfWork]


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


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit record as the audit screen shows it."""

    seq: int
    occurred_at: datetime
    actor_name: str
    terminal_id: str
    action: str
    target_type: str
    target_id: str
    detail: str


def recent_audit(uow_factory: UowFactory, actor: Actor, limit: int = 200) -> list[AuditRow]:
    """The newest ``limit`` audit records of the actor's store, newest first.

    Raises:
        PermissionDenied: the actor may not read the audit log (SEC-1).
    """
    actor.require(Permission.VIEW_AUDIT)
    with uow_factory(readonly=True) as uow:
        return [
            AuditRow(
                seq=r.chain_seq, occurred_at=r.occurred_at, actor_name=r.actor_name,
                terminal_id=r.terminal_id, action=r.action, target_type=r.target_type,
                target_id=r.target_id, detail=_readable_detail(r.detail),
            )
            for r in uow.audit.recent(actor.store_id, limit)
        ]


def _readable_detail(detail: str) -> str:
    # Stored as canonical JSON for the hash chain; people read "key: value" pairs.
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    return "，".join(f"{key}: {_value_text(value)}" for key, value in data.items())


def _value_text(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
