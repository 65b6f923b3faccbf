"""Queries behind the insurance and self-inspection reports (REP-2..REP-5).

Reports may not import SQLAlchemy (import-linter), so the statements they need live here;
each is one set-based query over the period ``[start, end)`` (aware datetimes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pharmacy_pos.db.models import AuditRecord, PrintJob, Product, Sale, SaleLine, Store, User
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory


@dataclass(frozen=True, slots=True)
class CategoryTotals:
    """Insured sale (or return) lines of one product category and insurance class."""

    category: ProductCategory
    insurance_class: InsuranceClass
    kind: str  # sale / return
    documents: int
    lines: int
    amount: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal


class ReportQueries:
    """Read-only queries for reports, over the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def store_name(self, store_id: int) -> str:
        """The store's name (empty if unknown)."""
        store = self.session.get(Store, store_id)
        return store.name if store else ""

    def usernames(self, user_ids: Iterable[int | None]) -> dict[int, str]:
        """User id -> username, for the ids given (None ignored)."""
        wanted = {i for i in user_ids if i is not None}
        if not wanted:
            return {}
        rows = self.session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
        return {int(i): name for i, name in rows}

    def insured_between(self, store_id: int, start: datetime, end: datetime,
                        ) -> Sequence[Sale]:
        """The store's insured sales and returns (those with a settlement id) in
        [start, end), oldest first (REP-2)."""
        return self.session.scalars(
            select(Sale).where(Sale.store_id == store_id, Sale.setl_id != "",
                               Sale.completed_at >= start, Sale.completed_at < end)
            .order_by(Sale.completed_at, Sale.id)).all()

    def sales_by_setl_ids(self, store_id: int, setl_ids: Iterable[str]) -> dict[str, Sale]:
        """The store's sales (not returns) booked under these settlement ids, any time."""
        wanted = set(setl_ids)
        if not wanted:
            return {}
        rows = self.session.scalars(
            select(Sale).where(Sale.store_id == store_id, Sale.kind == "sale",
                               Sale.setl_id.in_(wanted)))
        return {sale.setl_id: sale for sale in rows}

    def insured_lines_by_category(self, store_id: int, start: datetime, end: datetime,
                                  ) -> list[CategoryTotals]:
        """Insured sale and return lines in [start, end) summed per product category,
        insurance class and kind (REP-4)."""
        rows = self.session.execute(
            select(Product.category, SaleLine.insurance_class, Sale.kind,
                   func.count(func.distinct(Sale.id)), func.count(SaleLine.id),
                   func.sum(SaleLine.amount), func.sum(SaleLine.fund_pay),
                   func.sum(SaleLine.acct_pay), func.sum(SaleLine.cash_pay))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .join(Product, Product.id == SaleLine.product_id)
            .where(Sale.store_id == store_id, Sale.setl_id != "",
                   Sale.completed_at >= start, Sale.completed_at < end)
            .group_by(Product.category, SaleLine.insurance_class, Sale.kind)).all()
        return [CategoryTotals(
            category=ProductCategory(category), insurance_class=InsuranceClass(cls),
            kind=kind, documents=int(documents), lines=int(lines),
            amount=_yuan(amount), fund_pay=_yuan(fund), acct_pay=_yuan(acct),
            cash_pay=_yuan(cash))
            for category, cls, kind, documents, lines, amount, fund, acct, cash in rows]

    def audit_between(self, store_id: int, start: datetime, end: datetime,
                      actions: Iterable[str]) -> Sequence[AuditRecord]:
        """The store's audit records of these actions in [start, end), in chain order."""
        return self.session.scalars(
            select(AuditRecord).where(AuditRecord.store_id == store_id,
                                      AuditRecord.action.in_(list(actions)),
                                      AuditRecord.occurred_at >= start,
                                      AuditRecord.occurred_at < end)
            .order_by(AuditRecord.chain_seq)).all()

    def print_job_documents(self, job_ids: Iterable[int]) -> dict[int, str]:
        """Print job id -> the document number it prints."""
        wanted = set(job_ids)
        if not wanted:
            return {}
        rows = self.session.execute(select(PrintJob.id, PrintJob.doc_no)
                                    .where(PrintJob.id.in_(wanted)))
        return {int(i): doc for i, doc in rows}


def _yuan(amount: Decimal | None) -> Decimal:
    # SUM keeps the Money() type, so amounts arrive as Decimal 元; NULL for no rows.
    return amount if amount is not None else ZERO
