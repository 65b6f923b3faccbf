"""Figures for the status panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor

UowFactory = Callable[..., UnitOfWork]


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Sizes of the main tables, for the status panel."""

    products: int
    batches: int
    ledger_entries: int
    users: int


def status_counts(uow_factory: UowFactory, actor: Actor) -> StatusCounts:
    """How many products the catalogue holds, and batches, ledger entries and users the
    actor's store has (one database may serve a chain).

    Raises:
        PermissionDenied: the actor may not view the system status (SEC-1).
    """
    actor.require(Permission.VIEW_STATUS)
    with uow_factory(readonly=True) as uow:
        return StatusCounts(
            products=uow.products.count(),  # the catalogue is shared by a chain's stores
            batches=uow.batches.count(actor.store_id),
            ledger_entries=uow.ledger.count(actor.store_id),
            users=uow.users.count(actor.store_id),
        )
