"""Queries over ``policy_versions``: the policy documents installed for each store.

Rows are append-only (database triggers refuse UPDATE and DELETE); the newest row of a
store (highest id) is the policy in force. Services reach this through
``PolicyRepository(uow.session)``, so they never import SQLAlchemy themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import PolicyVersion


class PolicyRepository:
    """The installed policy versions of a store."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, store_id: int) -> PolicyVersion | None:
        """The row in force for ``store_id`` (highest id), or None if none is installed."""
        return self.session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.store_id == store_id)
            .order_by(PolicyVersion.id.desc())
            .limit(1)
        ).one_or_none()

    def all(self, store_id: int) -> Sequence[PolicyVersion]:
        """Every row installed for ``store_id``, newest first."""
        return self.session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.store_id == store_id)
            .order_by(PolicyVersion.id.desc())
        ).all()

    def add(self, row: PolicyVersion) -> PolicyVersion:
        """Insert a new version (its id is assigned on flush)."""
        self.session.add(row)
        self.session.flush()
        return row
