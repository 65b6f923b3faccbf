"""The separate book of external prescriptions and its monthly cost statement (RX-11).

External prescriptions (外配处方) are kept apart from the store's other sales: this lists,
for one month, every sale that dispensed one (with what insurance paid), and totals them
the way the 《基本医疗保险外配处方费用月度统计表》 reports them. Returns of those sales
are netted out. The full report with export comes with the reports (issue 7); the book
itself is kept from the sale records, which are never purged (RX-10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor

UowFactory = Callable[..., UnitOfWork]


@dataclass(frozen=True, slots=True)
class BookEntry:
    """One external prescription dispensed: who, from where, and the money."""

    day: date
    doc_no: str
    rx_no: str
    source: str
    institution: str
    physician: str
    patient: str
    patient_id_masked: str
    diagnosis: str
    total: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal
    returned: Decimal


@dataclass(frozen=True, slots=True)
class MonthlyStatement:
    """The month's book and its totals (returns already subtracted)."""

    year: int
    month: int
    entries: tuple[BookEntry, ...]

    def _net(self, name: str) -> Decimal:
        return sum((getattr(e, name) for e in self.entries), ZERO)

    @property
    def prescriptions(self) -> int:
        """How many external prescriptions were dispensed."""
        return len(self.entries)

    @property
    def total(self) -> Decimal:
        """Net cost of the drugs dispensed on them."""
        return self._net("total") - self._net("returned")

    @property
    def fund_pay(self) -> Decimal:
        """What the pooled fund paid, before returns."""
        return self._net("fund_pay")

    @property
    def acct_pay(self) -> Decimal:
        """What personal accounts paid, before returns."""
        return self._net("acct_pay")


def external_prescription_book(uow_factory: UowFactory, actor: Actor, year: int,
                               month: int) -> MonthlyStatement:
    """The external prescriptions dispensed in a month (RX-11).

    Raises:
        PermissionDenied: the actor may not view reports (SEC-1).
        ValueError: not a month.
    """
    actor.require(Permission.VIEW_REPORTS)
    first = date(year, month, 1)
    after = date(year + (month == 12), month % 12 + 1, 1)
    start = datetime.combine(first, time.min, tzinfo=STORE_ZONE)
    end = datetime.combine(after, time.min, tzinfo=STORE_ZONE)
    entries: list[BookEntry] = []
    with uow_factory(readonly=True) as uow:
        for sale, record in uow.sales.prescription_sales_between(actor.store_id, start, end):
            if record.source not in ("paper", "electronic"):
                continue
            returned = sum((r.total_amount for r in uow.sales.returns_of(sale.id)), ZERO)
            entries.append(BookEntry(
                day=sale.completed_at.astimezone(STORE_ZONE).date(), doc_no=sale.doc_no,
                rx_no=record.rx_no, source=record.source,
                institution=record.institution_name, physician=record.physician_name,
                patient=record.patient_name,
                patient_id_masked=(mask_id_number(record.patient_id_number)
                                   if record.patient_id_number else ""),
                diagnosis=record.diagnosis, total=sale.total_amount, fund_pay=sale.fund_pay,
                acct_pay=sale.acct_pay, cash_pay=sale.cash_pay, returned=returned))
    return MonthlyStatement(year, month, tuple(entries))
