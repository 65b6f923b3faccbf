"""The one way a batch's status changes: with a history row, who, why (INV-2, INV-3, INV-7).

``batches.status`` says what may be done with a batch now (only ``sellable`` stock is
sold); every change of it goes through :func:`change_status`, which writes a
``batch_status_events`` row in the caller's transaction. Nothing else assigns
``Batch.status`` after the batch is created.
"""

from __future__ import annotations

from datetime import datetime

from pharmacy_pos.db.models import Batch, BatchStatusEvent
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.services.actor import Actor

# Which changes make sense; anything else is a mistake upstream or a person's slip.
ALLOWED = {
    BatchStatus.AWAITING_ACCEPTANCE: {BatchStatus.SELLABLE, BatchStatus.LOCKED,
                                      BatchStatus.DESTROYED},
    BatchStatus.SELLABLE: {BatchStatus.LOCKED, BatchStatus.EXPIRED, BatchStatus.DESTROYED},
    BatchStatus.LOCKED: {BatchStatus.SELLABLE, BatchStatus.EXPIRED, BatchStatus.DESTROYED},
    BatchStatus.EXPIRED: {BatchStatus.DESTROYED},
    BatchStatus.DESTROYED: set(),
}


def change_status(uow: UnitOfWork, actor: Actor, batch: Batch, to_status: BatchStatus, *,
                  reason: str, at: datetime, doc_no: str = "",
                  second_user_id: int | None = None) -> BatchStatusEvent:
    """Move ``batch`` to ``to_status`` and record why, in the caller's transaction.

    Raises:
        DomainError: an empty reason, or a change that makes no sense (e.g. a destroyed
            batch made sellable, an expired one released).
    """
    if not reason.strip():
        raise DomainError("批次状态变更须说明原因")
    if to_status is batch.status:
        raise DomainError(f"批号 {batch.lot_no} 已是“{to_status.label}”状态")
    if to_status not in ALLOWED[batch.status]:
        raise DomainError(f"批号 {batch.lot_no} 从“{batch.status.label}”不能改为"
                          f"“{to_status.label}”")
    event = BatchStatusEvent(
        batch_id=batch.id, from_status=batch.status, to_status=to_status,
        reason=reason.strip()[:200], doc_no=doc_no, by_user=actor.user_id,
        second_user=second_user_id, at=at)
    uow.session.add(event)
    batch.status = to_status
    return event
