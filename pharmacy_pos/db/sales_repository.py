"""Queries and writes for the till: prescriptions and reviews, sales, returns, numbering.

Every history query the till makes while a cart is open is bounded by an index and by
the person or the day (RX-14, ID-8), so its cost does not grow with the store's years
of sales.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from pharmacy_pos.db.models import (
    Batch,
    DocCounter,
    LedgerEntry,
    OutboxMessage,
    PrescriptionRecord,
    PrescriptionReview,
    PrintAttempt,
    PrintJob,
    Product,
    ProductBarcode,
    Sale,
    SaleAllocation,
    SaleFlag,
    SaleLine,
    Terminal,
    TraceCodeSale,
)


class SalesRepository:
    """The till's tables, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- numbering --------------------------------------------------------------------

    def upload_facts(self, batch_ids: Iterable[int], product_ids: Iterable[int],
                     ) -> tuple[dict[int, Batch], dict[int, str]]:
        """Batches by id and each product's first barcode, for the 3505/3506 records."""
        batches = {b.id: b for b in self.session.scalars(
            select(Batch).where(Batch.id.in_(set(batch_ids))))}
        barcodes: dict[int, str] = {}
        for product_id, barcode in self.session.execute(
                select(ProductBarcode.product_id, ProductBarcode.barcode)
                .where(ProductBarcode.product_id.in_(set(product_ids)))
                .order_by(ProductBarcode.id)):
            barcodes.setdefault(product_id, barcode)
        return batches, barcodes

    def chain_seqs(self, entry_ids: Iterable[int]) -> dict[int, int]:
        """The chain numbers of ledger entries, by entry id."""
        return dict(self.session.execute(
            select(LedgerEntry.id, LedgerEntry.chain_seq)
            .where(LedgerEntry.id.in_(set(entry_ids)))).all())

    def next_number(self, name: str) -> int:
        """Take the next number of counter ``name`` (1, 2, ...), under a row lock.

        The counter row is created on first use; two terminals creating it at once do
        not fail, one of them simply waits for the other's lock.
        """
        return self.reserve_numbers(name, 1)

    def reserve_numbers(self, name: str, count: int) -> int:
        """Take ``count`` consecutive numbers of counter ``name``; returns the first.

        One statement: an upsert that creates the counter on first use and returns the
        new value, under the row's write lock (two terminals never get the same number).
        """
        if count < 1:
            raise ValueError("count must be positive")
        insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = insert(DocCounter).values(name=name, last_value=count)
        statement = statement.on_conflict_do_update(
            index_elements=[DocCounter.name],
            set_={"last_value": DocCounter.last_value + count},
        ).returning(DocCounter.last_value)
        last = self.session.execute(statement).scalar_one()
        return last - count + 1

    # -- terminals (SALE-9) -------------------------------------------------------------

    def terminal(self, terminal_id: str) -> Terminal | None:
        """The registration of a terminal, if any."""
        return self.session.get(Terminal, terminal_id)

    # -- prescriptions and reviews ------------------------------------------------------

    def prescription(self, prescription_id: int) -> PrescriptionRecord | None:
        """A prescription with its items."""
        return self.session.get(PrescriptionRecord, prescription_id)

    def review_of(self, prescription_id: int) -> PrescriptionReview | None:
        """The pharmacist's decision on a prescription, if made."""
        return self.session.scalar(
            select(PrescriptionReview).where(PrescriptionReview.prescription_id == prescription_id))

    def review_queue(self, store_id: int, since: datetime,
                     ) -> Sequence[tuple[PrescriptionRecord, PrescriptionReview | None, bool]]:
        """Prescriptions submitted since ``since``: (prescription, review, dispensed).

        Newest first. ``dispensed`` tells whether a sale has used it.
        """
        used = exists().where(Sale.prescription_id == PrescriptionRecord.id)
        rows = self.session.execute(
            select(PrescriptionRecord, PrescriptionReview, used)
            .outerjoin(PrescriptionReview,
                       PrescriptionReview.prescription_id == PrescriptionRecord.id)
            .where(PrescriptionRecord.store_id == store_id,
                   PrescriptionRecord.submitted_at >= since)
            .order_by(PrescriptionRecord.submitted_at.desc(), PrescriptionRecord.id.desc()))
        return [(p, r, bool(u)) for p, r, u in rows]

    # -- sales ---------------------------------------------------------------------------

    def by_token(self, token: str) -> Sale | None:
        """The sale paid under a till's payment token (a second click finds it)."""
        return self.session.scalar(select(Sale).where(Sale.client_token == token))

    def by_doc_no(self, doc_no: str) -> Sale | None:
        """A sale or return by its number."""
        return self.session.scalar(select(Sale).where(Sale.doc_no == doc_no))

    def get(self, sale_id: int) -> Sale | None:
        """A sale by id."""
        return self.session.get(Sale, sale_id)

    def sale_for_prescription(self, prescription_id: int) -> Sale | None:
        """The sale that dispensed a prescription, if any."""
        return self.session.scalar(select(Sale).where(Sale.prescription_id == prescription_id))

    def returns_of(self, sale_id: int) -> Sequence[Sale]:
        """Returns made against a sale, oldest first."""
        return self.session.scalars(
            select(Sale).where(Sale.original_sale_id == sale_id).order_by(Sale.id)).all()

    def returned_units(self, line_ids: Iterable[int]) -> dict[int, int]:
        """Original sale line id -> units already returned."""
        ids = list(line_ids)
        if not ids:
            return {}
        rows = self.session.execute(
            select(SaleLine.original_line_id, func.sum(SaleLine.quantity))
            .where(SaleLine.original_line_id.in_(ids))
            .group_by(SaleLine.original_line_id))
        return {int(line_id): int(units) for line_id, units in rows}

    def return_allocations_of(self, line_id: int) -> Sequence[SaleAllocation]:
        """Allocations of the returns made against sale line ``line_id``."""
        return self.session.scalars(
            select(SaleAllocation)
            .join(SaleLine, SaleLine.id == SaleAllocation.sale_line_id)
            .where(SaleLine.original_line_id == line_id)).all()

    def open_trace_codes(self, codes: Iterable[str]) -> dict[str, str]:
        """Of ``codes``, those sold and not returned -> the sale's number."""
        wanted = list(codes)
        if not wanted:
            return {}
        rows = self.session.execute(
            select(TraceCodeSale.code, Sale.doc_no)
            .join(Sale, Sale.id == TraceCodeSale.sale_id)
            .where(TraceCodeSale.code.in_(wanted), TraceCodeSale.returned_sale_id.is_(None)))
        return {code: doc_no for code, doc_no in rows}

    def trace_codes_of_line(self, line_id: int) -> Sequence[TraceCodeSale]:
        """The open (unreturned) traceability codes of a sale line."""
        return self.session.scalars(
            select(TraceCodeSale)
            .where(TraceCodeSale.sale_line_id == line_id,
                   TraceCodeSale.returned_sale_id.is_(None))
            .order_by(TraceCodeSale.id)).all()

    def supplies(self, insured_ssn: str, product_ids: Iterable[int], since: datetime,
                 ) -> list[tuple[int, datetime, int]]:
        """(product id, sold at, days of supply) of the person's unreturned purchases.

        Only sales since ``since`` (the longest supply the policy allows), and only lines
        that carried a prescribed days-of-supply (RX-14).
        """
        ids = list(product_ids)
        if not insured_ssn or not ids:
            return []
        returned = aliased(SaleLine)
        rows = self.session.execute(
            select(SaleLine.product_id, Sale.completed_at, SaleLine.days_of_supply)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.insured_ssn == insured_ssn, Sale.kind == "sale",
                   Sale.completed_at >= since, SaleLine.product_id.in_(ids),
                   SaleLine.days_of_supply.is_not(None),
                   ~exists().where(returned.original_line_id == SaleLine.id)))
        return [(int(p), at, int(days)) for p, at, days in rows]

    def sales_of_person_between(self, insured_ssn: str, start: datetime, end: datetime,
                                ) -> Sequence[Sale]:
        """The person's sales (not returns) in [start, end) (ID-8)."""
        return self.session.scalars(
            select(Sale).where(Sale.insured_ssn == insured_ssn, Sale.kind == "sale",
                               Sale.completed_at >= start, Sale.completed_at < end)
            .order_by(Sale.completed_at)).all()

    def recent(self, store_id: int, since: datetime, limit: int = 200) -> Sequence[Sale]:
        """The store's sales and returns since ``since``, newest first."""
        return self.session.scalars(
            select(Sale).where(Sale.store_id == store_id, Sale.completed_at >= since)
            .order_by(Sale.completed_at.desc(), Sale.id.desc()).limit(limit)).all()

    def flags_between(self, store_id: int, start: datetime, end: datetime,
                      ) -> Sequence[tuple[SaleFlag, Sale]]:
        """Self-inspection flags of the store's sales in [start, end)."""
        return self.session.execute(
            select(SaleFlag, Sale).join(Sale, Sale.id == SaleFlag.sale_id)
            .where(and_(Sale.store_id == store_id, Sale.completed_at >= start,
                        Sale.completed_at < end))
            .order_by(Sale.completed_at, SaleFlag.id)).all()

    def prescription_sales_between(self, store_id: int, start: datetime, end: datetime,
                                   ) -> Sequence[tuple[Sale, PrescriptionRecord]]:
        """Sales dispensing a prescription in [start, end), oldest first (RX-11)."""
        return self.session.execute(
            select(Sale, PrescriptionRecord)
            .join(PrescriptionRecord, PrescriptionRecord.id == Sale.prescription_id)
            .where(Sale.store_id == store_id, Sale.completed_at >= start,
                   Sale.completed_at < end)
            .order_by(Sale.completed_at, Sale.id)).all()

    def between(self, store_id: int, terminal_id: str, start: datetime, end: datetime,
                ) -> Sequence[Sale]:
        """A terminal's sales and returns in [start, end), oldest first (shift report)."""
        return self.session.scalars(
            select(Sale).where(Sale.store_id == store_id, Sale.terminal_id == terminal_id,
                               Sale.completed_at >= start, Sale.completed_at < end)
            .order_by(Sale.completed_at, Sale.id)).all()

    def of_store_between(self, store_id: int, start: datetime, end: datetime,
                         limit: int = 1000) -> Sequence[Sale]:
        """The store's sales and returns in [start, end) from every terminal, newest first
        (the history screen)."""
        return self.session.scalars(
            select(Sale).where(Sale.store_id == store_id, Sale.completed_at >= start,
                               Sale.completed_at < end)
            .order_by(Sale.completed_at.desc(), Sale.id.desc()).limit(limit)).all()

    # -- printing ----------------------------------------------------------------------

    def print_job(self, job_id: int) -> PrintJob | None:
        """A print job by id."""
        return self.session.get(PrintJob, job_id)

    def pending_print_jobs(self, terminal_id: str, limit: int | None = None,
                           ) -> list[tuple[PrintJob, int, str]]:
        """A terminal's jobs neither printed nor dismissed, oldest first.

        Returns (job, failed tries, the last failure's message).
        """
        done = exists().where(PrintAttempt.job_id == PrintJob.id,
                              PrintAttempt.outcome.in_(("printed", "dismissed")))
        statement = (select(PrintJob).where(PrintJob.terminal_id == terminal_id, ~done)
                     .order_by(PrintJob.id))
        if limit is not None:
            statement = statement.limit(limit)
        jobs = self.session.scalars(statement).all()
        if not jobs:
            return []
        failures: dict[int, list[PrintAttempt]] = {}
        for attempt in self.session.scalars(
                select(PrintAttempt).where(PrintAttempt.job_id.in_([j.id for j in jobs]),
                                           PrintAttempt.outcome == "failed")
                .order_by(PrintAttempt.id)):
            failures.setdefault(attempt.job_id, []).append(attempt)
        return [(job, len(failures.get(job.id, [])),
                 failures[job.id][-1].message if job.id in failures else "")
                for job in jobs]

    def outbox(self, store_id: int, after_id: int = 0, limit: int = 100,
               ) -> Sequence[OutboxMessage]:
        """Outbox messages of the store after ``after_id``, oldest first."""
        return self.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.store_id == store_id, OutboxMessage.id > after_id)
            .order_by(OutboxMessage.id).limit(limit)).all()

    def batches_by_ids(self, batch_ids: Iterable[int]) -> dict[int, Batch]:
        """Batches by id, in one query."""
        wanted = list(set(batch_ids))
        if not wanted:
            return {}
        return {b.id: b for b in self.session.scalars(select(Batch).where(Batch.id.in_(wanted)))}

    def purchase_prices(self, batch_ids: Iterable[int]) -> dict[int, Decimal]:
        """Batch id -> purchase price per package (the cost a sale books)."""
        wanted = list(set(batch_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(Batch.id, Batch.purchase_price).where(Batch.id.in_(wanted)))
        return {batch_id: price for batch_id, price in rows}

    def products_by_ids(self, ids: Iterable[int]) -> dict[int, Product]:
        """Products by id."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = self.session.scalars(select(Product).where(Product.id.in_(wanted)))
        return {p.id: p for p in rows}

    def add(self, item: object) -> None:
        """Stage a new row."""
        self.session.add(item)

    def flush(self) -> None:
        """Send staged rows, so their ids are known."""
        self.session.flush()

