"""Queries of the reports (issue 7): the monthly stock report's figures (REP-1).

Used as ``ReportRepository(uow.session)`` inside a read-only unit of work. Each method is
one set-based statement; nothing loops over batches issuing a query each.

The statements are Core selects over the tables' raw columns, run on the session's
connection: no ORM loading and no per-row type processing. Amounts come back as the
stored integers (``purchase_price`` and ``retail_price`` in 1/10000 元, see
``db/types.py``), enums as their stored values; the report converts once per product and
makes ``Decimal`` values only for its cells.

How the monthly figures are read fast on a year of ledger (~1M entries):

- the entries from the start of the month onwards (a range of the covering index
  ``ix_ledger_entries_report`` ``(occurred_at, store_id, batch_id, entry_type,
  quantity)``: the table itself is not read; a twelfth of the ledger for the last month),
  grouped per batch and type, split into "in the month" and "after the month";
- each of the store's batches with its cached balance and its all-time sum, one seek
  into the covering index ``ix_ledger_entries_batch`` ``(batch_id, quantity)`` per batch;
  kept if either is non-zero or the batch has entries from the month's start;
- the catalogue's products, once each.

Opening and closing follow: closing = all-time sum − after the month, opening = closing
− the month's movements. Summing everything before the month instead would read most of
the table for a late month.

When the previous month's closing snapshot (月结, ``month_balances``) exists, the all-time
sums are not read: ``stock_batches_from_snapshot`` gives each batch its snapshot units
(0 when absent) as the opening, and closing = opening + the month's movements.
``store_month_balances`` writes a month's snapshot, in its own (writing) unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    func,
    insert,
    or_,
    select,
    text,
    type_coerce,
    union,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from pharmacy_pos.db.models import (
    Batch,
    LedgerEntry,
    MonthBalance,
    Product,
    StockBalance,
    Store,
)

_L = LedgerEntry.__table__.c
_B = Batch.__table__.c
_P = Product.__table__.c
_S = StockBalance.__table__.c
_M = MonthBalance.__table__.c


class TypeSums(NamedTuple):
    """One batch's entries of one type from the period's start: in it, and after it."""

    batch_id: int
    entry_type: str      # the stored value of a ``LedgerEntryType``
    in_period: int
    after: int


class BatchStock(NamedTuple):
    """A batch the report may show, the ledger's all-time sum of its entries and its
    cached balance (``stock_balances``; None when there is none).

    From ``stock_batches_from_snapshot``: ``ledger_total`` is not read (0) and
    ``snapshot`` is the batch's units in the previous month's closing snapshot (0 when
    it is not there); None otherwise.
    """

    batch_id: int
    product_id: int
    lot_no: str
    expiry_date: date
    purchase_price: int  # per package, in 1/10000 元 as stored
    ledger_total: int
    cached: int | None
    snapshot: int | None = None


class ProductFacts(NamedTuple):
    """A product as the report shows it, raw: enums as stored values, the retail price
    per package in 1/10000 元."""

    item_code: str
    generic_name: str
    specification: str
    manufacturer: str
    min_unit: str
    units_per_pack: int
    category: str
    insurance_class: str
    retail_price: int


def _raw(column: ColumnElement[Any], type_: type[TypeEngine[Any]] = Integer
         ) -> ColumnElement[Any]:
    """``column`` read as ``type_`` (no enum, ScaledDecimal or datetime processing)."""
    return type_coerce(column, type_)


class ReportRepository:
    """The reports' queries, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def use_one_snapshot(self) -> None:
        """Make every following statement of this transaction see the same data.

        SQLite's read transaction already does; PostgreSQL's default (READ COMMITTED) takes
        a snapshot per statement, so a sale committed between two of the report's queries
        would make a batch's figures disagree. Call before the first query.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))

    def store_name(self, store_id: int) -> str:
        """The store's name ("" if unknown)."""
        return self.session.scalar(select(Store.name).where(Store.id == store_id)) or ""

    def movements_from(self, store_id: int, start: datetime, end: datetime) -> list[TypeSums]:
        """Sums per batch and entry type of the store's entries at or after ``start``:
        those before ``end`` and those at or after it.

        ``batch_id + 0`` and ``store_id + 0`` keep SQLite's planner (no statistics) on the
        time index: on the bare columns it scans the whole batch index to avoid a sort,
        twenty times slower for one month of a year's ledger.
        """
        # The bounds are bound through the column's own type (UTC, naive on SQLite).
        batch = (_L.batch_id + 0).label("batch")
        in_period = func.sum(case((_L.occurred_at < end, _L.quantity), else_=0))
        after = func.sum(case((_L.occurred_at >= end, _L.quantity), else_=0))
        rows = self.session.connection().execute(
            select(batch, _raw(_L.entry_type, String), _raw(in_period), _raw(after))
            .where(_L.occurred_at >= start, (_L.store_id + 0) == store_id)
            .group_by(batch, _L.entry_type)
        ).all()
        return [TypeSums(int(b), t, int(i), int(a)) for b, t, i, a in rows]

    def stock_batches(self, store_id: int, start: datetime) -> list[BatchStock]:
        """The store's batches with stock in the ledger or the cache, or with entries at
        or after ``start``; with all-time ledger sum and cached balance.

        The store's batches' sums are materialised first (``AS MATERIALIZED``, SQLite ≥
        3.35 and PostgreSQL ≥ 12) so each batch's sum is computed once, not again in the
        filter; the batches' own columns are read only for the rows kept.
        """
        total = (
            select(func.coalesce(func.sum(_L.quantity), 0))
            .where(_L.batch_id == _B.id)
            .scalar_subquery()
        )
        sums = (
            select(_B.id, total.label("total"), _S.quantity.label("cached"))
            .select_from(Batch.__table__.outerjoin(StockBalance.__table__,
                                                   _S.batch_id == _B.id))
            .where(_B.store_id == store_id)
            .cte("sums")
            .prefix_with("MATERIALIZED")
        )
        recent = select(_L.batch_id + 0).where(_L.occurred_at >= start,
                                               (_L.store_id + 0) == store_id)
        rows = self.session.connection().execute(
            select(_B.id, _B.product_id, _B.lot_no, _B.expiry_date, _raw(_B.purchase_price),
                   sums.c.total, sums.c.cached)
            .select_from(sums.join(Batch.__table__, _B.id == sums.c.id))
            .where(or_(sums.c.total != 0, sums.c.cached != 0, sums.c.id.in_(recent)))
        ).all()
        return [BatchStock(b, p, lot, expiry, int(price), int(t),
                           None if cached is None else int(cached))
                for b, p, lot, expiry, price, t, cached in rows]

    def has_month_balances(self, store_id: int, month: str) -> bool:
        """Whether the store's closing snapshot of ``month`` (``YYYY-MM``) was stored."""
        return self.session.connection().execute(
            select(_M.id).where(_M.store_id == store_id, _M.month == month).limit(1)
        ).first() is not None

    def stock_batches_from_snapshot(self, store_id: int, start: datetime, month: str
                                    ) -> list[BatchStock]:
        """Like ``stock_batches`` with ``month``'s closing snapshot (the month before
        ``start``) instead of the all-time sums: the store's batches in the snapshot, with
        a non-zero cached balance, or with entries at or after ``start``.

        Every batch whose cached balance is not zero is read, so the report's check
        (snapshot + movements = cached − after) still sees back-dated entries before
        ``start`` and a drifting cache.
        """
        # The few candidates first (the snapshot's rows, the non-zero cached balances,
        # the batches with recent entries), then their batches: not every batch of the
        # store joined to its balance and snapshot row.
        ids = union(
            select(_M.batch_id).where(_M.store_id == store_id, _M.month == month),
            select(_S.batch_id).where(_S.store_id == store_id, _S.quantity != 0),
            select(_L.batch_id + 0).where(_L.occurred_at >= start,
                                          (_L.store_id + 0) == store_id),
        ).cte("ids")
        joined = (
            ids.join(Batch.__table__, _B.id == ids.c.batch_id)
            .outerjoin(StockBalance.__table__, _S.batch_id == _B.id)
            .outerjoin(MonthBalance.__table__, and_(
                _M.store_id == store_id, _M.month == month, _M.batch_id == _B.id))
        )
        rows = self.session.connection().execute(
            select(_B.id, _B.product_id, _B.lot_no, _B.expiry_date, _raw(_B.purchase_price),
                   _S.quantity, _M.units)
            .select_from(joined)
            .where(_B.store_id == store_id)
        ).all()
        return [BatchStock(b, p, lot, expiry, int(price), 0,
                           None if cached is None else int(cached),
                           0 if units is None else int(units))
                for b, p, lot, expiry, price, cached, units in rows]

    def store_month_balances(self, store_id: int, month: str,
                             closings: Iterable[tuple[int, int]], at: datetime) -> int:
        """Store ``month``'s closing snapshot (``(batch_id, units)``, non-zero units only)
        unless one is already there; the rows written. The caller commits."""
        if self.has_month_balances(store_id, month):
            return 0
        rows = [{"store_id": store_id, "month": month, "batch_id": b, "units": units,
                 "created_at": at} for b, units in closings if units]
        if rows:
            self.session.execute(insert(MonthBalance), rows)
        return len(rows)

    def products(self) -> dict[int, ProductFacts]:
        """Every product of the catalogue, by id (one scan: cheaper than picking the
        store's, and the catalogue is shared by the stores)."""
        rows = self.session.connection().execute(
            select(_P.id, _P.item_code, _P.generic_name, _P.specification, _P.manufacturer,
                   _P.min_unit, _P.units_per_pack, _raw(_P.category, String),
                   _raw(_P.insurance_class, String), _raw(_P.retail_price))
        ).all()
        return {r[0]: ProductFacts(*r[1:]) for r in rows}
