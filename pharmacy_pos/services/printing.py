"""Printing: a queue written with the sale, printed by a worker, never losing a receipt.

A sale (or a return) writes its print jobs in its own transaction (:func:`add_jobs`), so
a committed sale always has its receipt waiting, whatever the printer does. A
:class:`PrintWorker` thread takes the terminal's pending jobs oldest first, builds each
printout from the records (``domain/receipts.py``) and sends it to the printer; every try
is recorded (``print_attempts``). A printer that is off, out of paper or unplugged makes
the worker wait and try again later; the till never waits for it (SALE-6: receipts are
numbered and none may go missing). Any receipt can be printed again from history, marked
as a copy (重打), and each reprint is audit-logged.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pharmacy_pos.db.models import PrintAttempt, PrintJob, Sale
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.devices.ports import CoverOpen, PaperOut, PrinterFault, ReceiptPrinter
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError, NotFound
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.printout import Document
from pharmacy_pos.domain.product import InsuranceClass, quantity_text
from pharmacy_pos.domain.receipts import (
    DispensingLabel,
    Payment,
    ReceiptLine,
    ReturnLine,
    ReturnSlip,
    SaleReceipt,
    ShiftReport,
    StoreHeader,
    dispensing_label,
    return_slip,
    sale_receipt,
    shift_report,
    usage_notes,
    with_training_mark,
)
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.insurance.ports import INSUTYPE_LABELS
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor

UowFactory = Callable[..., UnitOfWork]
log = logging.getLogger(__name__)

KINDS = ("receipt", "return_slip", "label", "shift_report")
KIND_LABELS = {"receipt": "销售小票", "return_slip": "退货单", "label": "用药标签",
               "shift_report": "交班报表"}
_CLASS_MARKS = {InsuranceClass.A: "甲", InsuranceClass.B: "乙", InsuranceClass.C: "丙",
                InsuranceClass.NONE: ""}


def add_jobs(uow: UnitOfWork, actor: Actor, kind: str, doc_no: str, *, at: datetime,
             open_drawer: bool = False, label_lines: Sequence[int] = ()) -> None:
    """Queue a document's printout (and its dispensing labels) in the caller's transaction.

    Args:
        kind: ``receipt`` or ``return_slip``.
        doc_no: the document's number.
        open_drawer: kick the cash drawer with it (cash was taken or given back).
        label_lines: sale line numbers that get a dispensing label (prescription drugs).
    """
    uow.sales.add(PrintJob(
        store_id=actor.store_id, terminal_id=actor.terminal_id, kind=kind, doc_no=doc_no,
        line_no=None, copy=False, open_drawer=open_drawer, payload="{}",
        requested_by=actor.user_id, created_at=at))
    for line_no in label_lines:
        uow.sales.add(PrintJob(
            store_id=actor.store_id, terminal_id=actor.terminal_id, kind="label",
            doc_no=doc_no, line_no=line_no, copy=False, open_drawer=False, payload="{}",
            requested_by=actor.user_id, created_at=at))


@dataclass(frozen=True, slots=True)
class QueuedJob:
    """A job not printed yet, with how its tries went."""

    job_id: int
    kind: str
    doc_no: str
    line_no: int | None
    copy: bool
    created_at: datetime
    attempts: int
    last_error: str

    @property
    def title(self) -> str:
        """``销售小票 XS-…`` for lists."""
        suffix = f" 第{self.line_no}行" if self.line_no else ""
        copy = "（重打）" if self.copy else ""
        return f"{KIND_LABELS.get(self.kind, self.kind)}{copy} {self.doc_no}{suffix}"


#: What stopped the printer, as ``QueueState.fault`` says it.
PAPER_OUT, COVER_OPEN, OFFLINE, QUEUE_UNREADABLE = (
    "paper_out", "cover_open", "offline", "queue_unreadable")


@dataclass(frozen=True, slots=True)
class QueueState:
    """What the till shows about printing.

    ``fault`` names what stopped the printer (PAPER_OUT, COVER_OPEN, OFFLINE or
    QUEUE_UNREADABLE; empty while it prints), so a screen need not read the message.
    """

    pending: tuple[QueuedJob, ...]
    printer_ok: bool
    message: str
    fault: str = ""


def fault_kind(exc: PrinterFault) -> str:
    """The ``QueueState.fault`` of a printer's failure."""
    if isinstance(exc, PaperOut):
        return PAPER_OUT
    if isinstance(exc, CoverOpen):
        return COVER_OPEN
    return OFFLINE


class PrintService:
    """Print jobs of one terminal: build, print, reprint, dismiss, shift report."""

    def __init__(self, uow: UowFactory, clock: Clock,
                 printer: ReceiptPrinter | Callable[[], ReceiptPrinter | None] | None, *,
                 columns: int, store_name: str, store_code: str, terminal_id: str,
                 training: bool = False) -> None:
        self._uow = uow
        self._clock = clock
        # A printer, or how to get one when the first job prints (the driver library
        # need not load before anything is printed).
        self._printer_source = printer
        self._printer: ReceiptPrinter | None = None if callable(printer) else printer
        self.columns = columns
        self._store = StoreHeader(store_name, store_code, terminal_id)
        self._terminal = terminal_id
        # Training mode: every printout (and its preview) carries the training mark.
        self.training = training

    # -- documents ---------------------------------------------------------------------

    def document(self, actor: Actor, kind: str, doc_no: str, *, line_no: int | None = None,
                 copy: bool = False) -> Document:
        """A printout as it would print now (the screen's preview).

        Raises:
            NotFound: no such document in this store.
        """
        actor.require(Permission.SELL)
        with self._uow(readonly=True) as uow:
            return self._build(uow, actor.store_id, kind, doc_no, line_no, copy, False, "{}")

    def _build(self, uow: UnitOfWork, store_id: int, kind: str, doc_no: str,
               line_no: int | None, copy: bool, open_drawer: bool, payload: str) -> Document:
        document = self._build_plain(uow, store_id, kind, doc_no, line_no, copy, open_drawer,
                                     payload)
        return with_training_mark(document) if self.training else document

    def _build_plain(self, uow: UnitOfWork, store_id: int, kind: str, doc_no: str,
                     line_no: int | None, copy: bool, open_drawer: bool,
                     payload: str) -> Document:
        if kind == "shift_report":
            return shift_report(self._shift_data(uow, store_id, json.loads(payload)),
                                self.columns)
        sale = uow.sales.by_doc_no(doc_no)
        if sale is None or sale.store_id != store_id:
            raise NotFound(f"找不到单据 {doc_no}")
        if kind == "receipt":
            return sale_receipt(self._receipt_data(uow, sale, copy, open_drawer), self.columns)
        if kind == "return_slip":
            return return_slip(self._return_data(uow, sale, copy), self.columns)
        if kind == "label":
            return dispensing_label(self._label_data(uow, sale, line_no or 1), self.columns)
        raise DomainError(f"不认识的打印类型 {kind}")

    def _receipt_data(self, uow: UnitOfWork, sale: Sale, copy: bool,
                      open_drawer: bool) -> SaleReceipt:
        products = uow.sales.products_by_ids(line.product_id for line in sale.lines)
        by_id = uow.sales.batches_by_ids(
            a.batch_id for line in sale.lines for a in line.allocations)
        lines = []
        for line in sale.lines:
            product = products[line.product_id]
            batches = [by_id[a.batch_id] for a in line.allocations if a.batch_id in by_id]
            lines.append(ReceiptLine(
                name=line.name, specification=product.specification,
                lot_no="/".join(b.lot_no for b in batches),
                expiry=min((b.expiry_date for b in batches), default=None),
                quantity_text=quantity_text(line.quantity, product.units_per_pack,
                                            product.package_unit, product.min_unit),
                unit_price=line.unit_price, amount=line.amount,
                insurance_class=_CLASS_MARKS[line.insurance_class],
                self_paid=line.self_paid and bool(sale.setl_id)))
        tendered: Decimal | None = None
        change = ZERO
        payments = []
        for payment in sale.payments:
            method = PaymentMethod(payment.method)
            if method.from_insurance:
                continue
            payments.append(Payment(method.label, payment.amount))
            if method is PaymentMethod.CASH:
                tendered, change = payment.tendered, payment.change
        person = uow.identity.person_by_ssn(sale.insured_ssn) if sale.insured_ssn else None
        return SaleReceipt(
            store=self._store, doc_no=sale.doc_no, completed_at=sale.completed_at,
            cashier=_user_name(uow, sale.cashier_id), pharmacist=_reviewer(uow, sale),
            lines=tuple(lines), total=sale.total_amount, fund_pay=sale.fund_pay,
            acct_pay=sale.acct_pay, payments=tuple(payments), tendered=tendered, change=change,
            balance_after=sale.account_balance_after,
            insured_name=person.name if person else "",
            insured_id_masked=mask_id_number(sale.insured_ssn) if sale.insured_ssn else "",
            buyer_id_masked=(mask_id_number(sale.buyer_id_number)
                             if sale.buyer_id_number and sale.buyer_id_number != sale.insured_ssn
                             else ""),
            insutype_label=INSUTYPE_LABELS.get(sale.insutype, sale.insutype),
            policy_version=sale.policy_version, copy=copy, open_drawer=open_drawer)

    def _return_data(self, uow: UnitOfWork, sale: Sale, copy: bool) -> ReturnSlip:
        if sale.kind != "return" or sale.original_sale_id is None:
            raise NotFound(f"{sale.doc_no} 不是退货单")
        original = uow.sales.get(sale.original_sale_id)
        products = uow.sales.products_by_ids(line.product_id for line in sale.lines)
        cash = next((p for p in sale.payments
                     if not PaymentMethod(p.method).from_insurance), None)
        return ReturnSlip(
            store=self._store, doc_no=sale.doc_no,
            original_doc_no=original.doc_no if original else "",
            completed_at=sale.completed_at, cashier=_user_name(uow, sale.cashier_id),
            approved_by=_user_name(uow, sale.approved_by_id), reason=sale.reason,
            lines=tuple(ReturnLine(
                line.name,
                quantity_text(line.quantity, products[line.product_id].units_per_pack,
                              products[line.product_id].package_unit,
                              products[line.product_id].min_unit),
                line.amount) for line in sale.lines),
            refund_total=sale.total_amount, fund_returned=sale.fund_pay,
            acct_returned=sale.acct_pay, cash_refund=sale.cash_pay,
            refund_method=PaymentMethod(cash.method).label if cash else "", copy=copy)

    def _label_data(self, uow: UnitOfWork, sale: Sale, line_no: int) -> DispensingLabel:
        line = next((line for line in sale.lines if line.line_no == line_no), None)
        if line is None:
            raise NotFound(f"{sale.doc_no} 没有第 {line_no} 行")
        product = uow.sales.products_by_ids([line.product_id])[line.product_id]
        record = uow.sales.prescription(sale.prescription_id) if sale.prescription_id else None
        item = next((i for i in record.items if i.item_code == line.item_code),
                    None) if record else None
        return DispensingLabel(
            store=self._store, doc_no=sale.doc_no,
            dispensed_on=sale.completed_at.astimezone(STORE_ZONE).date(),
            patient_name=record.patient_name if record else "",
            drug_name=line.name, specification=product.specification,
            quantity_text=quantity_text(line.quantity, product.units_per_pack,
                                        product.package_unit, product.min_unit),
            dosage=item.dosage if item else "", frequency=item.frequency if item else "",
            route=item.route if item else "",
            days_of_supply=item.days_of_supply if item else None,
            notes=usage_notes(product.dosage_form, product.specification,
                              item.notes if item else "", name=line.name),
            pharmacist=_reviewer(uow, sale))

    # -- the queue ------------------------------------------------------------------------

    def pending(self, actor: Actor | None = None) -> list[QueuedJob]:
        """This terminal's jobs not printed (nor dismissed), oldest first.

        The print worker asks without an actor; a screen asks for a signed-in person,
        who must be allowed to see the terminal's status (SEC-1).
        """
        if actor is not None:
            actor.require(Permission.VIEW_STATUS)
        with self._uow(readonly=True) as uow:
            return [_queued(job, tries, error)
                    for job, tries, error in uow.sales.pending_print_jobs(self._terminal)]

    def print_next(self) -> QueuedJob | None:
        """Print the oldest pending job of this terminal; None when nothing waits.

        The attempt is recorded either way.

        Raises:
            PrinterFault: the printer failed (recorded on the job; try again later).
        """
        if self._printer is None and callable(self._printer_source):
            self._printer = self._printer_source()
        if self._printer is None:
            return None
        with self._uow(readonly=True) as uow:
            jobs = uow.sales.pending_print_jobs(self._terminal, limit=1)
            if not jobs:
                return None
            job, tries, error = jobs[0]
            queued = _queued(job, tries, error)
            try:
                document = self._build(uow, job.store_id, job.kind, job.doc_no, job.line_no,
                                       job.copy, job.open_drawer, job.payload)
            except (NotFound, DomainError) as exc:
                document = None
                problem = str(exc)
        if document is None:
            # A job that can never print (its record is gone or unreadable) must not
            # block the queue behind it: it is set aside with the reason.
            self._record(queued.job_id, "dismissed", f"无法生成打印内容：{problem}", None)
            return queued
        try:
            self._printer.print_document(document)
        except PrinterFault as exc:
            self._record(queued.job_id, "failed", str(exc), None)
            raise
        self._record(queued.job_id, "printed", "", None)
        return queued

    def reprint(self, actor: Actor, kind: str, doc_no: str, *, line_no: int | None = None,
                reason: str = "") -> int:
        """Queue a copy (重打) of a printed document; audit-logged.

        Raises:
            NotFound: no such document. PermissionDenied: not a till user.
        """
        actor.require(Permission.SELL)
        if kind not in KINDS or kind == "shift_report":
            raise DomainError(f"不能重打 {kind}")
        now = self._clock.now()
        with self._uow() as uow:
            sale = uow.sales.by_doc_no(doc_no.strip().upper())
            if sale is None or sale.store_id != actor.store_id:
                raise NotFound(f"找不到单据 {doc_no.strip()[:40]}")
            job = PrintJob(store_id=actor.store_id, terminal_id=actor.terminal_id, kind=kind,
                           doc_no=sale.doc_no, line_no=line_no, copy=True, open_drawer=False,
                           payload="{}", requested_by=actor.user_id, created_at=now)
            uow.sales.add(job)
            uow.sales.flush()
            audit.record(uow, actor, "print.reprint", at=now, target_type=kind,
                         target_id=sale.doc_no, detail={"reason": reason.strip()[:200],
                                                        "job": job.id, "line": line_no})
            uow.commit()
            return job.id

    def dismiss(self, actor: Actor, job_id: int, *, reason: str) -> None:
        """Give up on a waiting job (e.g. the customer left); the reason is kept."""
        actor.require(Permission.SELL)
        if not reason.strip():
            raise DomainError("请填写不打印的原因")
        with self._uow(readonly=True) as uow:
            job = uow.sales.print_job(job_id)
            if job is None or job.terminal_id != self._terminal:
                raise NotFound("找不到这个打印任务")
        self._record(job_id, "dismissed", reason.strip()[:200], actor)

    def _record(self, job_id: int, outcome: str, message: str, actor: Actor | None) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            uow.sales.add(PrintAttempt(job_id=job_id, attempted_at=now, outcome=outcome,
                                       message=message[:200],
                                       by_user=actor.user_id if actor else None))
            if actor is not None:
                audit.record(uow, actor, "print.dismiss", at=now, target_type="print_job",
                             target_id=job_id, detail={"reason": message[:200]})
            uow.commit()

    # -- shift report ----------------------------------------------------------------------

    def queue_shift_report(self, actor: Actor, start: datetime, end: datetime) -> int:
        """Queue the end-of-shift report (交班/日结) of this terminal's period."""
        actor.require(Permission.SELL)
        if end <= start:
            raise DomainError("交班时间段不正确：结束时间须晚于开始时间")
        now = self._clock.now()
        doc_no = f"JB-{self._terminal}-{now.astimezone(STORE_ZONE):%Y%m%d%H%M%S}"
        payload = json.dumps({"start": start.isoformat(), "end": end.isoformat(),
                              "cashier_id": actor.user_id, "cashier": actor.display_name,
                              "printed_at": now.isoformat()})
        with self._uow() as uow:
            job = PrintJob(store_id=actor.store_id, terminal_id=actor.terminal_id,
                           kind="shift_report", doc_no=doc_no, line_no=None, copy=False,
                           open_drawer=False, payload=payload, requested_by=actor.user_id,
                           created_at=now)
            uow.sales.add(job)
            uow.sales.flush()
            audit.record(uow, actor, "print.shift_report", at=now, target_type="terminal",
                         target_id=self._terminal,
                         detail={"start": start.isoformat(), "end": end.isoformat()})
            uow.commit()
            return job.id

    def shift_data(self, actor: Actor, start: datetime, end: datetime) -> ShiftReport:
        """The shift's totals for the screen, before printing."""
        actor.require(Permission.SELL)
        with self._uow(readonly=True) as uow:
            return self._shift_data(uow, actor.store_id, {
                "start": start.isoformat(), "end": end.isoformat(),
                "cashier_id": actor.user_id, "cashier": actor.display_name,
                "printed_at": self._clock.now().isoformat()})

    def _shift_data(self, uow: UnitOfWork, store_id: int, payload: dict) -> ShiftReport:
        start = datetime.fromisoformat(payload["start"])
        end = datetime.fromisoformat(payload["end"])
        sales = [s for s in uow.sales.between(store_id, self._terminal, start, end)
                 if payload.get("cashier_id") is None or s.cashier_id == payload["cashier_id"]]
        by_method: dict[str, Decimal] = {}
        for sale in sales:
            sign = 1 if sale.kind == "sale" else -1
            for payment in sale.payments:
                label = PaymentMethod(payment.method).label
                by_method[label] = by_method.get(label, ZERO) + sign * payment.amount
        order = [m.label for m in PaymentMethod]
        return ShiftReport(
            store=self._store, cashier=payload.get("cashier", ""), start=start, end=end,
            sales_count=sum(1 for s in sales if s.kind == "sale"),
            returns_count=sum(1 for s in sales if s.kind == "return"),
            sales_total=sum((s.total_amount for s in sales if s.kind == "sale"), ZERO),
            refunds_total=sum((s.total_amount for s in sales if s.kind == "return"), ZERO),
            by_method=tuple(Payment(label, by_method[label])
                            for label in sorted(by_method, key=order.index)),
            printed_at=datetime.fromisoformat(payload["printed_at"]))


    # -- history -----------------------------------------------------------------------------

    def recent_documents(self, actor: Actor, day: date) -> list[DocumentRow]:
        """The store's sales and returns of the store day ``day`` (every terminal), newest
        first: the history screen's list, from which a printout is previewed or reprinted.
        """
        actor.require(Permission.SELL)
        start = day_start(day)
        end = day_start(date.fromordinal(day.toordinal() + 1))
        with self._uow(readonly=True) as uow:
            sales = uow.sales.of_store_between(actor.store_id, start, end)
            names: dict[int | None, str] = {}
            originals: dict[int, str] = {}
            rows = []
            for sale in sales:
                if sale.cashier_id not in names:
                    names[sale.cashier_id] = _user_name(uow, sale.cashier_id)
                original = ""
                if sale.original_sale_id is not None:
                    if sale.original_sale_id not in originals:
                        found = uow.sales.get(sale.original_sale_id)
                        originals[sale.original_sale_id] = found.doc_no if found else ""
                    original = originals[sale.original_sale_id]
                labels: tuple[tuple[int, str], ...] = ()
                if sale.kind == "sale" and sale.prescription_id is not None:
                    record = uow.sales.prescription(sale.prescription_id)
                    codes = {item.item_code for item in record.items} if record else set()
                    labels = tuple((line.line_no, line.name) for line in sale.lines
                                   if line.item_code in codes)
                rows.append(DocumentRow(
                    doc_no=sale.doc_no, kind=sale.kind, completed_at=sale.completed_at,
                    total=sale.total_amount, cashier=names[sale.cashier_id],
                    insured=bool(sale.setl_id), terminal_id=sale.terminal_id,
                    original_doc_no=original, labels=labels))
            return rows


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A sale or a return in the history list.

    Attributes:
        kind: ``sale`` or ``return``.
        insured: settled with the insurer (医保).
        original_doc_no: the sale a return gave back ("" for a sale).
        labels: (line number, drug name) of the lines that got a dispensing label.
    """

    doc_no: str
    kind: str
    completed_at: datetime
    total: Decimal
    cashier: str
    insured: bool
    terminal_id: str
    original_doc_no: str = ""
    labels: tuple[tuple[int, str], ...] = ()

    @property
    def printout_kind(self) -> str:
        """The printout of the document itself: ``receipt`` or ``return_slip``."""
        return "return_slip" if self.kind == "return" else "receipt"

    @property
    def kind_label(self) -> str:
        """销售 or 退货."""
        return "退货" if self.kind == "return" else "销售"


class PrintWorker:
    """Prints a terminal's queue on its own thread; the till never waits for the printer.

    After a failure it waits (2 s, 5 s, 15 s, 30 s, then every 60 s) before trying again;
    :meth:`wake` (a new sale, the cashier's 重试) tries at once.
    """

    BACKOFF = (2.0, 5.0, 15.0, 30.0, 60.0)
    IDLE_POLL = 30.0

    def __init__(self, service: PrintService,
                 on_change: Callable[[QueueState], None] | None = None) -> None:
        self._service = service
        self._on_change = on_change or (lambda _state: None)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.state = QueueState((), True, "")

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="print-worker",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the job in hand; queued jobs stay queued for the next start."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Try to print now (new jobs, or the cashier pressed 重试)."""
        self._failures = 0
        self._wake.set()

    def run_once(self) -> QueueState:
        """Print what waits until the queue is empty or the printer fails (one pass)."""
        try:
            while not self._stop.is_set() and self._service.print_next() is not None:
                pass
        except PrinterFault as exc:
            self._failures += 1
            self._publish(False, str(exc), fault_kind(exc))
        except Exception as exc:  # the worker must survive a database hiccup
            # Logged with its traceback: a bug here must be found, not retried silently.
            log.exception("print worker pass failed")
            self._failures += 1
            self._publish(False, f"打印队列暂时无法读取：{exc}", QUEUE_UNREADABLE)
        else:
            self._failures = 0
            self._publish(True, "")
        return self.state

    def _publish(self, ok: bool, message: str, fault: str = "") -> None:
        try:
            pending = tuple(self._service.pending())
        except Exception:  # keep the last known list
            pending = self.state.pending
        self.state = QueueState(pending, ok, message, fault)
        self._on_change(self.state)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.run_once()
            if self._failures:
                delay = self.BACKOFF[min(self._failures, len(self.BACKOFF)) - 1]
            else:
                delay = self.IDLE_POLL
            self._wake.wait(delay)


def _queued(job: PrintJob, tries: int, error: str) -> QueuedJob:
    return QueuedJob(job.id, job.kind, job.doc_no, job.line_no, job.copy, job.created_at,
                     tries, error)


def _user_name(uow: UnitOfWork, user_id: int | None) -> str:
    user = uow.users.get(user_id) if user_id is not None else None
    return user.display_name if user else ""


def _reviewer(uow: UnitOfWork, sale: Sale) -> str:
    if sale.prescription_id is None:
        return ""
    review = uow.sales.review_of(sale.prescription_id)
    return _user_name(uow, review.reviewer_id) if review else ""


def day_start(day: date) -> datetime:
    """The store day's first moment (for the shift report's default period)."""
    return datetime.combine(day, datetime.min.time(), tzinfo=STORE_ZONE)
