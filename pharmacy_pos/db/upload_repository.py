"""The uploader's tables: the queue of records, the append-only log, the store's lease."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import OutboxMessage, UploadLease, UploadLogEntry, UploadQueueItem


class UploadRepository:
    """Queries and writes of the uploader (issue 8, SEC-7)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- lease ---------------------------------------------------------------------------

    def take_lease(self, store_id: int, holder: str, now: datetime, until: datetime) -> str:
        """Take or renew the store's upload lease; returns the holder after the call
        (``holder`` when this terminal has it)."""
        # Two terminals may ask for the first lease at once: insert-if-absent, then lock.
        insert_ = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        self.session.execute(
            insert_(UploadLease).values(store_id=store_id, holder=holder, expires_at=until)
            .on_conflict_do_nothing(index_elements=["store_id"]))
        lease = self.session.scalar(
            select(UploadLease).where(UploadLease.store_id == store_id).with_for_update()
            .execution_options(populate_existing=True))
        assert lease is not None
        if lease.holder in (holder, "") or lease.expires_at <= now:
            lease.holder, lease.expires_at = holder, until
        return lease.holder

    def lease(self, store_id: int) -> UploadLease | None:
        """The store's lease row, if any."""
        return self.session.get(UploadLease, store_id)

    def mark_success(self, store_id: int, at: datetime) -> None:
        """Remember the last successful upload (status screen)."""
        self.session.execute(update(UploadLease).where(UploadLease.store_id == store_id)
                             .values(last_success_at=at))

    # -- queue ---------------------------------------------------------------------------

    def intake_cursor(self, store_id: int, *, lock: bool = False) -> int:
        """The newest outbox message already taken into the queue (0 if none); with
        ``lock`` the store's lease row is locked, so two terminals never take the same
        messages."""
        insert_ = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        self.session.execute(
            insert_(UploadLease).values(store_id=store_id, holder="",
                                        expires_at=datetime(2000, 1, 1, tzinfo=UTC))
            .on_conflict_do_nothing(index_elements=["store_id"]))
        query = select(UploadLease.taken_through).where(UploadLease.store_id == store_id)
        return self.session.scalar(query.with_for_update() if lock else query) or 0

    def advance_intake(self, store_id: int, through: int) -> None:
        """Record that intake got through outbox message ``through``."""
        self.session.execute(update(UploadLease).where(UploadLease.store_id == store_id)
                             .values(taken_through=through))

    def outbox_after(self, store_id: int, after_id: int, limit: int,
                     ) -> Sequence[OutboxMessage]:
        """Outbox messages of the store after ``after_id``, oldest first."""
        return self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.store_id == store_id, OutboxMessage.id > after_id)
            .order_by(OutboxMessage.id).limit(limit)).all()

    def add_items(self, items: Sequence[dict[str, object]]) -> None:
        """Queue records (column values), in one statement."""
        if items:
            self.session.execute(insert(UploadQueueItem), list(items))

    def set_outcomes(self, changes: Sequence[dict[str, object]]) -> None:
        """Count a try on each record and set its state and last error, in one statement
        (``b_id``, ``b_state``, ``b_error``, ``b_at`` per record, applied in order)."""
        if not changes:
            return
        table = UploadQueueItem.__table__
        self.session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id")).values(
                tries=table.c.tries + 1, state=bindparam("b_state"),
                last_error=bindparam("b_error"), updated_at=bindparam("b_at")),
            list(changes))

    def pending(self, store_id: int, limit: int, after_id: int = 0,
                ) -> Sequence[UploadQueueItem]:
        """Records waiting to be sent, oldest first."""
        return self.session.scalars(
            select(UploadQueueItem)
            .where(UploadQueueItem.store_id == store_id, UploadQueueItem.state == "pending",
                   UploadQueueItem.id > after_id)
            .order_by(UploadQueueItem.id).limit(limit)).all()

    def payloads(self, outbox_ids: Iterable[int]) -> dict[int, OutboxMessage]:
        """Outbox messages by id."""
        return {m.id: m for m in self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(set(outbox_ids))))}

    def items_by_ids(self, ids: Iterable[int]) -> dict[int, UploadQueueItem]:
        """Queued records by id."""
        return {i.id: i for i in self.session.scalars(
            select(UploadQueueItem).where(UploadQueueItem.id.in_(set(ids))))}

    def item(self, item_id: int) -> UploadQueueItem | None:
        """One queued record."""
        return self.session.get(UploadQueueItem, item_id)

    def items(self, store_id: int, states: Sequence[str] | None, limit: int, offset: int,
              ) -> Sequence[UploadQueueItem]:
        """Queued records, newest first, optionally of some states."""
        query = select(UploadQueueItem).where(UploadQueueItem.store_id == store_id)
        if states:
            query = query.where(UploadQueueItem.state.in_(states))
        return self.session.scalars(query.order_by(UploadQueueItem.id.desc())
                                    .limit(limit).offset(offset)).all()

    def counts(self, store_id: int) -> dict[str, int]:
        """Records per state."""
        return dict(self.session.execute(
            select(UploadQueueItem.state, func.count())
            .where(UploadQueueItem.store_id == store_id)
            .group_by(UploadQueueItem.state)).all())

    def oldest_pending_at(self, store_id: int) -> datetime | None:
        """When the oldest record still waiting was written."""
        return self.session.scalar(
            select(func.min(UploadQueueItem.created_at))
            .where(UploadQueueItem.store_id == store_id, UploadQueueItem.state == "pending"))

    def untaken_outbox(self, store_id: int, after_id: int) -> int:
        """Outbox messages not yet expanded into the queue."""
        return self.session.scalar(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.store_id == store_id, OutboxMessage.id > after_id)) or 0

    # -- log -----------------------------------------------------------------------------

    def add_log(self, entries: Sequence[dict[str, object]]) -> None:
        """Append tries (column values) to the log, in one statement; never changed."""
        if entries:
            self.session.execute(insert(UploadLogEntry), list(entries))

    def log_of(self, item_id: int) -> Sequence[UploadLogEntry]:
        """Every try of one record, oldest first."""
        return self.session.scalars(
            select(UploadLogEntry).where(UploadLogEntry.queue_id == item_id)
            .order_by(UploadLogEntry.id)).all()

    def last_log(self, store_id: int) -> UploadLogEntry | None:
        """The newest try of the store."""
        return self.session.scalar(
            select(UploadLogEntry).where(UploadLogEntry.store_id == store_id)
            .order_by(UploadLogEntry.id.desc()).limit(1))

    def corrections_of(self, outbox_id: int) -> Sequence[OutboxMessage]:
        """Messages written to correct ``outbox_id`` (3507 deletes and resends)."""
        return self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.corrects_id == outbox_id)
            .order_by(OutboxMessage.id)).all()
