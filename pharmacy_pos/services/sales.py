"""The till's use cases: ring a cart, check it after every change, pay, keep the record.

A :class:`Cart` is the open sale of one terminal, held in memory while it is rung: lines
(product, quantity, the batches FEFO picked, the traceability codes scanned), the
prescription sent to the pharmacist, the insured person whose card was read. The
:class:`SaleService` changes it and re-evaluates every RX and SALE rule after each
change (``domain/rules.py``), reading from the database only what the change needs: the
scanned product, that product's batches, the person's recent supplies (RX-14).

Completing a sale (:meth:`SaleService.complete`) settles with the insurer first (the
one step outside the database; idempotent on its message id), then writes, in one
transaction: the sale and its lines, the batch allocations and their ledger entries,
the payments, the settlement reference, the self-inspection flags, the audit record and
the outbox message for the insurer. If that transaction fails, the settlement is
cancelled again. A second click on "pay" finds the first sale by the cart's token.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pharmacy_pos.db.models import (
    Batch,
    OutboxMessage,
    PrescriptionItemRecord,
    PrescriptionRecord,
    PrescriptionReview,
    Sale,
    SaleAllocation,
    SaleFlag,
    SaleLine,
    SalePayment,
    TraceCodeSale,
)
from pharmacy_pos.db.models import LedgerEntry as LedgerEntryRow
from pharmacy_pos.db.models import Product as ProductRow
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.cart import CartContext, CartLine, Prescription
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.eprescription import (
    PrescriptionDocument,
    import_document,
    read_eprescription,
)
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, NotFound
from pharmacy_pos.domain.identity import Action, Finding, match_prescription_patient
from pharmacy_pos.domain.ledger import StockMovement, audit_chain_name, ledger_chain_name
from pharmacy_pos.domain.money import ZERO, format_yuan, round_amount
from pharmacy_pos.domain.picking import (
    MAX_PACKS_PER_LINE,
    Picking,
    QuantityUnit,
    pick_fefo,
    units_for,
)
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.product import (
    ControlledCategory,
    InsuranceClass,
    LedgerEntryType,
    ProductCategory,
    quantity_text,
)
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.rules import evaluate, self_paid_item_codes
from pharmacy_pos.domain.sale import (
    PaymentMethod,
    RefusalReason,
    ReviewDecision,
    Tender,
    refusal_message,
    sale_doc_no,
    take_tender,
)
from pharmacy_pos.domain.settlement import SettlementSplit, compute_split
from pharmacy_pos.domain.traceability import TraceCode, already_sold_message, is_trace_code
from pharmacy_pos.domain.uploads import SaleFacts, SoldItem, is_listed, sale_payload
from pharmacy_pos.insurance.ports import (
    InsuredPerson,
    InsurerRefused,
    InsurerUnavailable,
    Settlement,
    SettlementGateway,
    SettlementRequest,
)
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.identity import SettlementIdentity
from pharmacy_pos.services.msgids import MsgidSource
from pharmacy_pos.services.printing import add_jobs

UowFactory = Callable[..., UnitOfWork]
PolicyProvider = Callable[[], tuple[Policy, str]]

DOC_TYPE_SALE = "sale"
DOC_TYPE_RETURN = "sale_return"
# How long the review queue looks back: a prescription is valid a few days at most (RX-8).
REVIEW_QUEUE_DAYS = 7
# ID-9: one card used by this many different buyers within the window is flagged.
ID9_WINDOW_DAYS = 30
ID9_BUYERS_PER_CARD = 2
# Message ids a terminal reserves at a time (one commit per block, not per sale).
MSGID_BLOCK = 50
# Longer than any barcode, national, item or traceability code (a GS1 DataMatrix too).
MAX_SCAN_LENGTH = 128
# Tries at writing a sale when another terminal takes its picked stock meanwhile.
_WRITE_ATTEMPTS = 3


# --- what the till holds ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProductFacts:
    """The catalogue facts a till line needs, copied once when the product is scanned."""

    product_id: int
    item_code: str
    name: str
    specification: str
    manufacturer: str
    category: ProductCategory
    insurance_class: InsuranceClass
    is_prescription: bool
    controlled_category: ControlledCategory
    restricted_scope: str
    units_per_pack: int
    split_allowed: bool
    package_unit: str
    min_unit: str
    retail_price: Decimal
    national_code: str

    @classmethod
    def of(cls, product: ProductRow) -> ProductFacts:
        """Copy from the ORM row."""
        name = product.generic_name
        if product.trade_name and product.trade_name != product.generic_name:
            name = f"{product.trade_name}（{product.generic_name}）"
        return cls(
            product_id=product.id, item_code=product.item_code, name=name,
            specification=product.specification, manufacturer=product.manufacturer,
            category=product.category, insurance_class=product.insurance_class,
            is_prescription=product.is_prescription,
            controlled_category=product.controlled_category,
            restricted_scope=product.restricted_scope or "",
            units_per_pack=product.units_per_pack, split_allowed=product.split_allowed,
            package_unit=product.package_unit, min_unit=product.min_unit,
            retail_price=product.retail_price, national_code=product.med_list_codg or "",
        )

    def quantity_text(self, units: int) -> str:
        """``2盒`` or ``1盒4片`` or ``4片``."""
        return quantity_text(units, self.units_per_pack, self.package_unit, self.min_unit)


@dataclass(slots=True)
class TillLine:
    """One product in the cart: quantity in minimum units and where it comes from."""

    product: ProductFacts
    quantity: int
    picking: Picking
    trace_codes: list[str] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        """What the line costs (one price for everyone, SALE-3)."""
        return round_amount(self.product.retail_price * self.quantity
                            / self.product.units_per_pack)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What picking said (short stock, near expiry; SALE-5)."""
        return self.picking.findings

    def cart_lines(self) -> list[CartLine]:
        """The rule engine's lines: one per batch taken, or one without a batch."""
        p = self.product
        base = CartLine(
            item_code=p.item_code, name=p.name, category=p.category,
            insurance_class=p.insurance_class, is_prescription=p.is_prescription,
            quantity=self.quantity, unit_price=p.retail_price, retail_price=p.retail_price,
            units_per_pack=p.units_per_pack, split_allowed=p.split_allowed,
            controlled_category=p.controlled_category, restricted_scope=p.restricted_scope,
            national_code=p.national_code)
        if not self.picking.allocations:
            return [base]
        return [replace(base, quantity=a.units, expiry_date=a.expiry_date)
                for a in self.picking.allocations]


@dataclass(frozen=True, slots=True)
class InsuredCustomer:
    """The insured person the cart settles for: who the card said, what the insurer said."""

    identity: SettlementIdentity
    person: InsuredPerson


@dataclass(frozen=True, slots=True)
class ReviewState:
    """Where the cart's prescription stands in the pharmacist's queue (RX-2)."""

    prescription_id: int
    decision: ReviewDecision
    reviewer: str = ""
    reason: RefusalReason | None = None
    note: str = ""


@dataclass(slots=True)
class Cart:
    """The sale being rung at one terminal. Changed only through :class:`SaleService`."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    lines: list[TillLine] = field(default_factory=list)
    # A 2102 whose answer was lost and whose 2601 reversal is still owed (psn_no, msgid).
    unresolved_settle: tuple[str, str] | None = None
    selected: int | None = None
    document: PrescriptionDocument | None = None
    review: ReviewState | None = None
    submitted_dispense: tuple[tuple[str, int], ...] = ()
    insured: InsuredCustomer | None = None
    pay_with_insurance: bool = False
    buyer_id_number: str = ""
    supply_until: dict[str, date] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """Sum of the line amounts."""
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def blocked(self) -> bool:
        """Whether some finding stops the sale as rung."""
        return any(f.blocks for f in self.findings)

    @property
    def needs_prescription_review(self) -> bool:
        """A prescription is attached or a prescription drug is in the cart (RX-1, RX-2)."""
        return self.document is not None

    def rx_dispense(self) -> tuple[tuple[str, int], ...]:
        """(item code, units) of the prescription drugs to dispense, sorted."""
        totals: dict[str, int] = {}
        for line in self.lines:
            if line.product.is_prescription or (
                    self.document and self.document.prescription.item(line.product.item_code)):
                code = line.product.item_code
                totals[code] = totals.get(code, 0) + line.quantity
        return tuple(sorted(totals.items()))


@dataclass(frozen=True, slots=True)
class CompletedSale:
    """What the till shows and prints after paying (SALE-6)."""

    sale_id: int
    doc_no: str
    total: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal
    tender: Tender
    balance_after: Decimal | None
    setl_id: str
    policy_version: str
    completed_at: datetime
    repeated: bool = False


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One prescription in the pharmacist's review queue."""

    prescription_id: int
    submitted_at: datetime
    terminal_id: str
    cashier: str
    patient_name: str
    institution_name: str
    physician_name: str
    diagnosis: str
    source: str
    decision: ReviewDecision
    reviewer: str
    dispensed: bool


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    """Everything the pharmacist reads before signing (RX-2 to RX-8)."""

    entry: QueueEntry
    rx_no: str
    issue_date: date
    patient_id_number: str
    emergency: bool
    chronic_disease: str
    chronic_reason: str
    items: tuple[tuple[str, str, int, str, str, int], ...]   # code, name, qty, dosage, freq, days
    dispense: tuple[tuple[str, str, int], ...]               # code, name, units
    findings: tuple[Finding, ...]
    reason: str
    note: str


class SaleService:
    """Ringing, checking, paying and reviewing sales at one terminal."""

    def __init__(self, uow: UowFactory, clock: Clock, policy: PolicyProvider,
                 insurer: SettlementGateway, *, store_code: str) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy
        self._insurer = insurer
        self._store_code = store_code
        self.held: list[Cart] = []
        # Message ids come from the store's day counter, reserved in blocks, so a sale
        # does not pay for a second commit.
        self._msgids = MsgidSource(uow, clock, store_code, block=MSGID_BLOCK)

    # -- ringing -----------------------------------------------------------------------

    def new_cart(self, actor: Actor) -> Cart:
        """An empty cart."""
        actor.require(Permission.SELL)
        return Cart()

    def scan(self, actor: Actor, cart: Cart, text: str) -> Cart:
        """What the scanner typed: a barcode, a national or item code, or a trace code.

        A product code adds one package (or one more package to the product's line);
        a 20-digit traceability code is recorded on the selected line (refused when the
        box was already sold or scanned).

        Raises:
            NotFound: the code is not in the catalogue.
            DomainError: see :meth:`add_trace_code` and :meth:`set_quantity`.
        """
        actor.require(Permission.SELL)
        code = text.strip()
        if not code:
            raise DomainError("请扫描商品条码，或输入商品名称、拼音首字母搜索")
        if not code.isprintable() or len(code) > MAX_SCAN_LENGTH:
            # A scanner misconfigured, or keys mashed: no code in the catalogue looks so.
            raise NotFound(f"无法识别的扫描内容“{code[:40].encode('utf-8', 'replace').decode()}”"
                           "：请重新扫描，或按名称、拼音首字母搜索")
        if is_trace_code(code):
            return self.add_trace_code(actor, cart, code)
        with self._uow(readonly=True) as uow:
            product = (uow.products.by_barcode(code) or uow.products.by_national_code(code)
                       or uow.products.by_item_codes([code]).get(code))
            if product is None:
                raise NotFound(f"未知条码“{code[:40]}”：商品目录中没有此条码，"
                               "请核对或按名称、拼音首字母搜索")
            facts = ProductFacts.of(product)
            if not product.active:
                raise DomainError(f"“{facts.name}”已停售，不能销售")
            self._add_units(uow, actor, cart, facts, facts.units_per_pack)
        return self._evaluate(actor, cart)

    def add_product(self, actor: Actor, cart: Cart, product_id: int, quantity: str = "1",
                    unit: QuantityUnit = "pack") -> Cart:
        """Add a product chosen from the search list, in packs or split units."""
        actor.require(Permission.SELL)
        with self._uow(readonly=True) as uow:
            product = uow.sales.products_by_ids([product_id]).get(product_id)
            if product is None or not product.active:
                raise NotFound("商品不存在或已停售")
            facts = ProductFacts.of(product)
            units = units_for(quantity, unit, facts.units_per_pack,
                              split_allowed=facts.split_allowed)
            self._add_units(uow, actor, cart, facts, units)
        return self._evaluate(actor, cart)

    def set_quantity(self, actor: Actor, cart: Cart, index: int, quantity: str,
                     unit: QuantityUnit = "pack") -> Cart:
        """Change a line's quantity, typed in packs or (where allowed) split units.

        Raises:
            DomainError: zero, negative, fractional where splitting is not allowed, or
                absurd quantities (SALE-2), or fewer units than boxes already scanned.
        """
        actor.require(Permission.SELL)
        line = self._line(cart, index)
        units = units_for(quantity, unit, line.product.units_per_pack,
                          split_allowed=line.product.split_allowed)
        if len(line.trace_codes) > units // line.product.units_per_pack + (
                1 if units % line.product.units_per_pack else 0):
            raise DomainError(f"已扫描 {len(line.trace_codes)} 个追溯码，数量不能少于已扫描的盒数")
        with self._uow(readonly=True) as uow:
            line.picking = self._pick(uow, actor, line.product, units)
        line.quantity = units
        cart.selected = index
        return self._evaluate(actor, cart)

    def set_price(self, actor: Actor, cart: Cart, index: int, price: str) -> Cart:
        """A price typed by hand is refused: one price for every buyer (SALE-3)."""
        actor.require(Permission.SELL)
        line = self._line(cart, index)
        raise DomainError(
            f"“{line.product.name}”按零售价 {format_yuan(line.product.retail_price)} 销售，"
            f"不能手工改价为“{price.strip()[:20]}”：医保与现金顾客同价", rule_id="SALE-3")

    def remove_line(self, actor: Actor, cart: Cart, index: int) -> Cart:
        """Void a line (before payment)."""
        actor.require(Permission.SELL)
        self._line(cart, index)
        del cart.lines[index]
        cart.selected = min(index, len(cart.lines) - 1) if cart.lines else None
        return self._evaluate(actor, cart)

    def add_trace_code(self, actor: Actor, cart: Cart, text: str) -> Cart:
        """Record a box's traceability code on the selected line.

        Raises:
            DomainError: malformed, already on this cart, already sold and not returned,
                more codes than boxes on the line, or no line selected.
        """
        actor.require(Permission.SELL)
        code = TraceCode.parse(text).value
        if cart.selected is None or not cart.lines:
            raise DomainError("请先扫描商品条码，再扫描该商品每一盒的追溯码")
        line = self._line(cart, cart.selected)
        for other in cart.lines:
            if code in other.trace_codes:
                raise DomainError(f"追溯码 {code} 已在本单“{other.product.name}”中扫描过："
                                  "同一盒药不能扫描两次")
        boxes = -(-line.quantity // line.product.units_per_pack)
        if len(line.trace_codes) >= boxes:
            raise DomainError(f"“{line.product.name}”本行只有 {boxes} 盒，"
                              f"已扫描 {len(line.trace_codes)} 个追溯码：请先增加数量")
        with self._uow(readonly=True) as uow:
            sold = uow.sales.open_trace_codes([code])
        if code in sold:
            raise DomainError(already_sold_message(TraceCode(code), sold[code]))
        line.trace_codes.append(code)
        return self._evaluate(actor, cart)

    def select(self, cart: Cart, index: int) -> None:
        """Make a line the one trace codes and quantity keys go to."""
        self._line(cart, index)
        cart.selected = index

    # -- who pays ----------------------------------------------------------------------

    def attach_insured(self, actor: Actor, cart: Cart, identity: SettlementIdentity) -> Cart:
        """Settle this cart through insurance for the person whose card was read (ID-1).

        Asks the insurer for the person (1101): scheme, account balance, what the fund
        already paid this year (SALE-11).

        Raises:
            InsurerRefused: unknown or suspended person. InsurerUnavailable: no answer.
        """
        actor.require(Permission.SELL)
        # 1101 by the social-security card that was read (ID-1), its number and holder.
        person = self._insurer.person_info(identity.ssn, cert_type="03",
                                           card_no=identity.card_number)
        cart.insured = InsuredCustomer(identity, person)
        cart.pay_with_insurance = True
        if identity.proxy_buyer_id_number and not cart.buyer_id_number:
            cart.buyer_id_number = identity.proxy_buyer_id_number
        self._load_supplies(actor, cart)
        return self._evaluate(actor, cart)

    def detach_insured(self, actor: Actor, cart: Cart) -> Cart:
        """Pay this cart without insurance (card pulled, or the buyer's choice)."""
        actor.require(Permission.SELL)
        cart.insured = None
        cart.pay_with_insurance = False
        cart.supply_until = {}
        return self._evaluate(actor, cart)

    def record_buyer_id(self, actor: Actor, cart: Cart, id_number: str) -> Cart:
        """The buyer's ID number, as RX-12 requires for ephedrine compounds.

        Raises:
            InvalidIdNumber: the number is not a valid resident ID number (ID-4).
        """
        actor.require(Permission.SELL)
        from pharmacy_pos.domain.ids import IdNumber
        cart.buyer_id_number = IdNumber.parse(id_number).value
        return self._evaluate(actor, cart)

    # -- prescriptions -----------------------------------------------------------------

    def submit_prescription(self, actor: Actor, cart: Cart,
                            document: PrescriptionDocument) -> Cart:
        """Attach a prescription and send it, with the drugs to dispense, for review (RX-2).

        Any pharmacist on the same database sees it in the queue at once. Changing the
        prescription drugs afterwards needs a new review.
        """
        actor.require(Permission.SELL)
        if cart.review is not None and cart.review.decision is ReviewDecision.APPROVED \
                and cart.document == document:
            return cart
        cart.document = document
        names = {line.product.item_code: line.product.name for line in cart.lines}
        dispense = cart.rx_dispense()
        rx = document.prescription
        now = self._clock.now()
        with self._uow() as uow:
            record = PrescriptionRecord(
                store_id=actor.store_id, terminal_id=actor.terminal_id,
                submitted_by=actor.user_id, submitted_at=now, source=document.source,
                rx_no=document.rx_no, institution_name=document.institution_name,
                institution_code=document.institution_code,
                institution_designated=rx.institution_designated,
                physician_name=document.physician_name, physician_code=rx.physician_code,
                signature_present=rx.signature_present, seal_present=rx.seal_present,
                patient_name=rx.patient_name, patient_id_number=rx.patient_id_number,
                diagnosis=rx.diagnosis, issue_date=rx.issue_date, emergency=rx.emergency,
                chronic_disease=rx.chronic_disease, chronic_reason=rx.chronic_reason,
                long_term=rx.long_term, validity_extended=rx.validity_extended,
                dispense_json=json.dumps(
                    [[code, names.get(code, code), units] for code, units in dispense],
                    ensure_ascii=False),
                items=[PrescriptionItemRecord(
                    line_no=i, item_code=item.item_code,
                    drug_name=item.name or names.get(item.item_code, ""),
                    quantity=item.quantity, dosage=item.dosage, frequency=item.frequency,
                    days_of_supply=item.days_of_supply, route=item.route[:50],
                    notes=item.notes[:200])
                    for i, item in enumerate(document.items, start=1)],
            )
            uow.sales.add(record)
            uow.sales.flush()
            audit.record(uow, actor, "prescription.submit", at=now,
                         target_type="prescription", target_id=record.id,
                         detail={"source": document.source, "rx_no": document.rx_no,
                                 "items": len(document.items)})
            uow.commit()
            cart.review = ReviewState(record.id, ReviewDecision.PENDING)
            cart.submitted_dispense = dispense
        return self._evaluate(actor, cart)

    def import_eprescription(self, actor: Actor, text: str | bytes) -> PrescriptionDocument:
        """Read an electronic external prescription file against the store's catalogue.

        Raises:
            ValidationFailed: every problem of the file, or a drug the store does not list.
        """
        actor.require(Permission.SELL)
        doc = read_eprescription(text)
        with self._uow(readonly=True) as uow:
            owners = uow.products.national_code_owners(i.med_list_codg for i in doc.items)
        return import_document(text, item_codes=owners)

    def refresh_review(self, actor: Actor, cart: Cart) -> Cart:
        """Re-read the pharmacist's decision on the cart's prescription."""
        actor.require(Permission.SELL)
        if cart.review is None:
            return cart
        with self._uow(readonly=True) as uow:
            cart.review = _review_state(uow, cart.review.prescription_id)
        return self._evaluate(actor, cart)

    def review_queue(self, actor: Actor) -> list[QueueEntry]:
        """Recent prescriptions of the store, pending ones first (any terminal)."""
        actor.require(Permission.REVIEW_PRESCRIPTION)
        since = self._clock.now() - timedelta(days=REVIEW_QUEUE_DAYS)
        with self._uow(readonly=True) as uow:
            rows = uow.sales.review_queue(actor.store_id, since)
            entries = [_queue_entry(uow, p, r, used) for p, r, used in rows]
        entries.sort(key=lambda e: e.decision is not ReviewDecision.PENDING)
        return entries

    def review_detail(self, actor: Actor, prescription_id: int) -> ReviewDetail:
        """The prescription, the drugs to dispense and what the rules say about them."""
        actor.require(Permission.REVIEW_PRESCRIPTION)
        with self._uow(readonly=True) as uow:
            record = uow.sales.prescription(prescription_id)
            if record is None or record.store_id != actor.store_id:
                raise NotFound("找不到这张处方")
            review = uow.sales.review_of(prescription_id)
            entry = _queue_entry(uow, record, review,
                                 uow.sales.sale_for_prescription(prescription_id) is not None)
            dispense = tuple((code, name, int(units))
                             for code, name, units in json.loads(record.dispense_json))
            products = {p.item_code: ProductFacts.of(p) for p in uow.products.by_item_codes(
                [code for code, _, _ in dispense]).values()}
            prescription = _prescription_of(record)
            items = tuple((i.item_code, i.drug_name, i.quantity, i.dosage, i.frequency,
                           i.days_of_supply) for i in record.items)
            header = (record.rx_no, record.issue_date, record.patient_id_number,
                      record.emergency, record.chronic_disease, record.chronic_reason)
            decided = (review.reason_code, review.note) if review else ("", "")
        policy, _ = self._policy()
        lines = [CartLine(
            item_code=code, name=name,
            category=products[code].category if code in products else ProductCategory.OTHER,
            insurance_class=(products[code].insurance_class if code in products
                             else InsuranceClass.NONE),
            is_prescription=True, quantity=units,
            unit_price=products[code].retail_price if code in products else ZERO,
            retail_price=products[code].retail_price if code in products else ZERO,
            units_per_pack=products[code].units_per_pack if code in products else 1)
            for code, name, units in dispense]
        findings = [f for f in evaluate(lines, CartContext(
            today=self._clock.today(), prescription=prescription, buyer_id_recorded=True),
            policy) if f.rule_id != "RX-2"]
        rx_no, issue_date, patient_id, emergency, chronic, chronic_reason = header
        return ReviewDetail(
            entry=entry, rx_no=rx_no, issue_date=issue_date, patient_id_number=patient_id,
            emergency=emergency, chronic_disease=chronic, chronic_reason=chronic_reason,
            items=items, dispense=dispense, findings=tuple(findings),
            reason=decided[0], note=decided[1])

    def decide(self, actor: Actor, prescription_id: int, *, approve: bool,
               reason: RefusalReason | None = None, note: str = "") -> ReviewState:
        """The pharmacist signs or refuses a prescription (RX-2, RX-5).

        Only a pharmacist with a registered qualification number may sign, and not for
        a sale they rang themselves. A refusal names its reason; a prescription with an
        incompatibility or overdose is refused (RX-5) until the prescriber corrects and
        re-signs it, which makes it a new prescription to review.

        Raises:
            PermissionDenied: not a pharmacist (SEC-1).
            DomainError: no qualification (RX-2), own sale (RX-2), already decided,
                refusal without reason.
        """
        actor.require(Permission.REVIEW_PRESCRIPTION)
        if not approve and reason is None:
            raise DomainError("拒绝调配须选择原因（配伍禁忌、超剂量、处方不规范、患者不符或其他）",
                              rule_id="RX-2")
        if not approve and reason is RefusalReason.OTHER and not note.strip():
            raise DomainError("原因为“其他”时请填写说明", rule_id="RX-2")
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(actor.user_id) if actor.user_id is not None else None
            qualification = user.pharmacist_qualification_no.strip() if user else ""
            if not qualification:
                raise DomainError(f"{actor.display_name}未登记执业药师资格证号，不能审核签字处方",
                                  rule_id="RX-2")
            record = uow.sales.prescription(prescription_id)
            if record is None or record.store_id != actor.store_id:
                raise NotFound("找不到这张处方")
            if record.submitted_by == actor.user_id:
                raise DomainError("审方药师不能是本单收银员：请由另一位在岗药师审核",
                                  rule_id="RX-2")
            earlier = uow.sales.review_of(prescription_id)
            if earlier is not None:
                raise DomainError(f"这张处方已于 {_local(earlier.reviewed_at):%H:%M} "
                                  f"{ReviewDecision(earlier.decision).label}，不能重复审核",
                                  rule_id="RX-2")
            decision = ReviewDecision.APPROVED if approve else ReviewDecision.REFUSED
            uow.sales.add(PrescriptionReview(
                prescription_id=prescription_id, reviewer_id=actor.user_id,
                reviewer_qualification_no=qualification, decision=decision.value,
                reason_code=reason.value if reason else "", note=note.strip()[:200],
                reviewed_at=now))
            audit.record(uow, actor, f"prescription.{decision.value}", at=now,
                         target_type="prescription", target_id=prescription_id,
                         detail={"reason": reason.value if reason else "",
                                 "rule_id": reason.rule_id if reason else "RX-2",
                                 "note": note.strip()[:200]})
            uow.commit()
        return ReviewState(prescription_id, decision, actor.display_name, reason, note.strip())

    # -- paying --------------------------------------------------------------------------

    def pre_settle(self, actor: Actor, cart: Cart) -> SettlementSplit:
        """The split the buyer agrees to before paying: fund, account, the rest (2101).

        Without insurance everything is paid by the buyer.

        Raises:
            DomainError: the cart is empty or a rule blocks it.
            InsurerRefused / InsurerUnavailable: from the insurer.
        """
        actor.require(Permission.SELL)
        self._evaluate(actor, cart)
        self._require_payable(actor, cart)
        policy, _ = self._policy()
        lines = tuple(line for till in cart.lines for line in till.cart_lines())
        if not cart.pay_with_insurance or cart.insured is None:
            return compute_split(lines, policy=policy.insurer.model_copy(update={
                "fund_ratio_class_a": Decimal(0), "fund_ratio_class_b": Decimal(0),
                "class_b_self_pay_ratio": Decimal(0), "personal_account_enabled": False}),
                account_balance=ZERO, insured_total_this_year=ZERO,
                self_paid_item_codes={line.item_code for line in lines})
        return self._insurer.pre_settle(self._request(cart, lines))

    def complete(self, actor: Actor, cart: Cart, *, method: PaymentMethod,
                 tendered: Decimal | None = None, self_pay_consent: bool = False,
                 card_present: Callable[[], bool] | None = None) -> CompletedSale:
        """Pay and record the sale, all or nothing.

        Args:
            actor: the cashier.
            cart: the cart as shown to the buyer.
            method: how the part insurance does not pay is paid.
            tendered: cash handed over (cash only).
            self_pay_consent: the buyer was shown the self-paid parts and agreed (SALE-10).
            card_present: asked just before settling; False aborts (ID-7).

        Raises:
            DomainError: a rule blocks (its id is on the error), payment problems.
            InsurerRefused / InsurerUnavailable: nothing was recorded.
            EnvironmentFault: the database failed; the settlement was cancelled.
        """
        actor.require(Permission.SELL)
        with self._uow(readonly=True) as uow:
            earlier = uow.sales.by_token(cart.token)
            if earlier is not None:
                return _completed(earlier, repeated=True)
        self._evaluate(actor, cart)
        self._require_payable(actor, cart)
        _, policy_version = self._policy()
        lines = tuple(line for till in cart.lines for line in till.cart_lines())
        insured = cart.pay_with_insurance and cart.insured is not None
        if insured:
            split = self._insurer.pre_settle(self._request(cart, lines))
        else:
            split = self.pre_settle(actor, cart)
        if split.self_paid_lines and insured and not self_pay_consent:
            raise DomainError("本单有自费部分：" + "；".join(split.self_paid_notes()[:3])
                              + "。须向顾客说明并取得同意后再结算", rule_id="SALE-10")
        cash_due = split.psn_cash_pay
        tender = take_tender(method, cash_due, tendered, insured=insured)
        settlement: Settlement | None = None
        if insured:
            self._require_terminal(actor)
            if card_present is not None and not card_present():
                raise DomainError("社保卡已拔出：请插回卡片后重新结算（未扣款，未记账）",
                                  rule_id="ID-7")
            self._reverse_unresolved(actor, cart)
            msgid = self._msgid(actor)
            try:
                settlement = self._insurer.settle(self._request(cart, lines), msgid)
            except InsurerUnavailable:
                # Booked or not, nobody knows: reverse it (2601) before anything else.
                assert cart.insured is not None
                cart.unresolved_settle = (cart.insured.person.psn_no, msgid)
                try:
                    self._reverse_unresolved(actor, cart)
                except InsurerUnavailable:
                    raise InsurerUnavailable(
                        "医保结算无应答，冲正也未完成：请稍后重新结算（系统会先冲正，不会重复"
                        "扣款），或改为自费") from None
                raise InsurerUnavailable("医保结算无应答，已冲正（未扣款）：请重新结算或改为自费"
                                         ) from None
            split = settlement.split
            cash_due = split.psn_cash_pay
            tender = take_tender(method, cash_due, tendered, insured=True)
        try:
            sale = self._write_sale(actor, cart, split, tender, settlement, policy_version,
                                    self_pay_consent)
        except BaseException:
            if settlement is not None:
                self._cancel_quietly(actor, settlement)
            raise
        return sale

    # -- hold / recall ------------------------------------------------------------------

    def hold(self, actor: Actor, cart: Cart) -> Cart:
        """Put the cart aside (the buyer fetches something) and start an empty one."""
        actor.require(Permission.SELL)
        if not cart.lines:
            raise DomainError("购物车为空，无需挂单")
        self.held.append(cart)
        return Cart()

    def recall(self, actor: Actor, index: int = -1) -> Cart:
        """Take a held cart back; its stock is picked again (it may have changed)."""
        actor.require(Permission.SELL)
        if not self.held:
            raise DomainError("没有挂起的单据")
        try:
            cart = self.held.pop(index)
        except IndexError:
            raise DomainError("没有这张挂单") from None
        with self._uow(readonly=True) as uow:
            for line in cart.lines:
                line.picking = self._pick(uow, actor, line.product, line.quantity)
        return self._evaluate(actor, cart)

    # -- internals -----------------------------------------------------------------------

    def _line(self, cart: Cart, index: int) -> TillLine:
        if not 0 <= index < len(cart.lines):
            raise DomainError("请选择购物车中的一行")
        return cart.lines[index]

    def _add_units(self, uow: UnitOfWork, actor: Actor, cart: Cart, facts: ProductFacts,
                   units: int) -> None:
        for i, line in enumerate(cart.lines):
            if line.product.product_id == facts.product_id:
                total = line.quantity + units
                if total > MAX_PACKS_PER_LINE * facts.units_per_pack:
                    raise DomainError(f"数量过大：单行最多 {MAX_PACKS_PER_LINE} "
                                      f"{facts.package_unit}", rule_id="SALE-2")
                line.picking = self._pick(uow, actor, facts, total)
                line.quantity = total
                cart.selected = i
                return
        cart.lines.append(TillLine(facts, units, self._pick(uow, actor, facts, units)))
        cart.selected = len(cart.lines) - 1
        if cart.insured is not None:
            self._load_supplies_in(uow, cart, [facts])

    def _pick(self, uow: UnitOfWork, actor: Actor, facts: ProductFacts, units: int) -> Picking:
        policy, _ = self._policy()
        stock = uow.batches.sellable_stock(facts.product_id, actor.store_id)
        return pick_fefo(stock, units, today=self._clock.today(),
                         near_expiry_days=policy.sale.near_expiry_warn_days,
                         unit_name=facts.min_unit)

    def _load_supplies(self, actor: Actor, cart: Cart) -> None:
        with self._uow(readonly=True) as uow:
            cart.supply_until = {}
            self._load_supplies_in(uow, cart, [line.product for line in cart.lines])

    def _load_supplies_in(self, uow: UnitOfWork, cart: Cart,
                          products: Sequence[ProductFacts]) -> None:
        """RX-14: until when the person's earlier supplies of these products last."""
        if cart.insured is None or not products:
            return
        policy, _ = self._policy()
        longest = max(policy.prescription.long_term_max_days,
                      policy.prescription.chronic_max_days)
        since = self._clock.now() - timedelta(days=longest + 1)
        by_id = {p.product_id: p.item_code for p in products}
        for product_id, sold_at, days in uow.sales.supplies(
                cart.insured.identity.ssn, by_id, since):
            until = _local(sold_at).date() + timedelta(days=days)
            code = by_id[product_id]
            if until > cart.supply_until.get(code, date.min):
                cart.supply_until[code] = until

    def _context(self, cart: Cart) -> CartContext:
        return CartContext(
            today=self._clock.today(),
            pay_with_insurance=cart.pay_with_insurance and cart.insured is not None,
            prescription=cart.document.prescription if cart.document else None,
            buyer_id_recorded=bool(cart.buyer_id_number) or cart.insured is not None,
            supply_covered_until=cart.supply_until,
            insured_total_this_year=(cart.insured.person.fund_paid_this_year
                                     if cart.insured else ZERO),
        )

    def _evaluate(self, actor: Actor, cart: Cart) -> Cart:
        """Every rule over the cart as it now stands; kept on ``cart.findings``."""
        policy, _ = self._policy()
        findings: list[Finding] = []
        for line in cart.lines:
            findings += [_on_line(f, line) for f in line.findings]
        lines = [cl for line in cart.lines for cl in line.cart_lines()]
        findings += evaluate(lines, self._context(cart), policy)
        findings = [f for f in findings if f.rule_id != "RX-2"]
        if cart.document is not None:
            findings.append(self._review_finding(cart))
            if cart.insured is not None:
                rx = cart.document.prescription
                findings += match_prescription_patient(
                    _record_like(cart.insured), patient_name=rx.patient_name,
                    patient_id_number=rx.patient_id_number)
        cart.findings = findings
        return cart

    def _review_finding(self, cart: Cart) -> Finding:
        review = cart.review
        if review is None:
            return Finding("RX-2", Action.APPROVE,
                           "处方尚未提交药师审核：请按 F4 录入处方并提交审核")
        if cart.rx_dispense() != cart.submitted_dispense:
            return Finding("RX-2", Action.BLOCK,
                           "处方药品或数量在提交审核后有改动：须重新提交药师审核")
        if review.decision is ReviewDecision.PENDING:
            return Finding("RX-2", Action.APPROVE, "处方已提交，等待在岗药师审核签字")
        if review.decision is ReviewDecision.REFUSED:
            reason = review.reason or RefusalReason.OTHER
            return Finding(reason.rule_id, Action.BLOCK, refusal_message(reason, review.note))
        return Finding("RX-2", Action.RECORD, f"药师 {review.reviewer} 已审核签字")

    def _require_payable(self, actor: Actor, cart: Cart) -> None:
        if not cart.lines:
            raise DomainError("购物车为空：请先扫描商品")
        blocking = [f for f in cart.findings if f.blocks]
        if blocking:
            first = blocking[0]
            more = f"（另有 {len(blocking) - 1} 项问题）" if len(blocking) > 1 else ""
            raise DomainError(first.message + more, rule_id=first.rule_id)
        # RX-2: nothing prescribed is handed over before the pharmacist signed.
        if cart.document is not None and (
                cart.review is None or cart.review.decision is not ReviewDecision.APPROVED):
            raise DomainError("处方须经在岗药师审核签字后才能结算", rule_id="RX-2")

    def _require_terminal(self, actor: Actor) -> None:
        with self._uow(readonly=True) as uow:
            terminal = uow.sales.terminal(actor.terminal_id)
            bound_to = terminal.store_id if terminal is not None else None
        if terminal is None:
            raise DomainError(f"终端 {actor.terminal_id} 未登记到本药店，不能医保结算："
                              "请管理员在本机执行初始化（pharmacy-pos-cli init）登记终端",
                              rule_id="SALE-9")
        if bound_to != actor.store_id:
            raise DomainError(f"终端 {actor.terminal_id} 已登记在其他药店：医保结算终端不得"
                              "外借或挪用，请联系经办机构", rule_id="SALE-9")

    def _request(self, cart: Cart, lines: tuple[CartLine, ...]) -> SettlementRequest:
        assert cart.insured is not None
        return SettlementRequest(
            psn_no=cart.insured.person.psn_no, insutype=cart.insured.person.insutype,
            lines=lines, self_paid_item_codes=frozenset(self_paid_item_codes(cart.findings)),
            mdtrt_cert_type="03", mdtrt_cert_no=cart.insured.identity.card_number)

    def _msgid(self, actor: Actor) -> str:
        """A fresh message id for the insurer (unique per store and day, SALE-9)."""
        return self._msgids()

    def _reverse_unresolved(self, actor: Actor, cart: Cart) -> None:
        """2601 for a settlement whose answer was lost, so a retry cannot book twice.

        Raises:
            InsurerUnavailable: the reversal got no answer either (still owed).
        """
        if cart.unresolved_settle is None:
            return
        psn_no, omsgid = cart.unresolved_settle
        try:
            reversed_ = self._insurer.reverse(psn_no, omsgid, "2102", self._msgid(actor))
            audit_detail = {"omsgid": omsgid,
                            "setl_id": reversed_.setl_id if reversed_ else ""}
        except InsurerRefused as exc:
            # The platform will not reverse it: keep the fact for the reconciliation
            # (REP-2) rather than block the till forever.
            audit_detail = {"omsgid": omsgid, "refused": str(exc)[:200]}
        cart.unresolved_settle = None
        with self._uow() as uow:
            audit.record(uow, actor, "sale.settle_reversed", at=self._clock.now(),
                         target_type="cart", target_id=cart.token, detail=audit_detail)
            uow.commit()

    def _cancel_quietly(self, actor: Actor, settlement: Settlement) -> None:
        """Undo a settlement whose sale could not be written (best effort, logged)."""
        try:
            self._insurer.cancel(settlement.setl_id, self._msgid(actor))
        except (InsurerRefused, InsurerUnavailable, EnvironmentFault) as exc:
            raise EnvironmentFault(
                f"销售未能保存，且医保结算 {settlement.setl_id} 撤销失败（{exc}）：请立即联系"
                "管理员在医保平台核对并撤销该笔结算") from exc

    def _write_sale(self, actor: Actor, cart: Cart, split: SettlementSplit, tender: Tender,
                    settlement: Settlement | None, policy_version: str,
                    consent: bool) -> CompletedSale:
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                return self._write_sale_once(actor, cart, split, tender, settlement,
                                             policy_version, consent)
            except _StockMoved as moved:
                if attempt == _WRITE_ATTEMPTS:
                    raise moved.error from None
        raise AssertionError("unreachable")

    def _write_sale_once(self, actor: Actor, cart: Cart, split: SettlementSplit,
                         tender: Tender, settlement: Settlement | None, policy_version: str,
                         consent: bool) -> CompletedSale:
        """One try at writing the sale, in two parts.

        First everything that takes no store-wide lock: the stock is picked (another
        terminal may have sold the batch the screen showed), costs and the facts of the
        upload record are read, the rows are built. Only then the sale number (gapless,
        SALE-6) and the ledger and audit chain heads are locked, and held until the commit:
        that part is every terminal's queue, so it does the least it can. If another
        terminal took the picked stock in between, the ledger refuses (INV-1) and the whole
        try is rolled back and made again on fresh stock.
        """
        now = self._clock.now()
        today = _local(now).date()
        policy, _ = self._policy()
        operator_id = _operator_id(actor)
        insured = cart.insured if settlement is not None else None
        self_paid = self_paid_item_codes(cart.findings)
        rx = cart.document.prescription if cart.document else None
        by_code: dict[str, list] = {}
        for part in split.lines:
            by_code.setdefault(part.item_code, []).append(part)
        with self._uow() as uow, uow.session.no_autoflush:
            picked: list[Picking] = []
            stock = uow.batches.stock_of_products(
                (till.product.product_id for till in cart.lines), actor.store_id)
            for till in cart.lines:
                picking = pick_fefo(stock[till.product.product_id], till.quantity,
                                    today=self._clock.today(),
                                    near_expiry_days=policy.sale.near_expiry_warn_days,
                                    unit_name=till.product.min_unit)
                if picking.blocked:
                    raise DomainError(f"“{till.product.name}”：{picking.findings[0].message}",
                                      rule_id="SALE-5")
                picked.append(picking)
            batch_ids = {a.batch_id for picking in picked for a in picking.allocations}
            batches, barcodes = uow.sales.upload_facts(
                batch_ids, (till.product.product_id for till in cart.lines))
            costs = {batch_id: batch.purchase_price for batch_id, batch in batches.items()}
            sale = Sale(
                store_id=actor.store_id, terminal_id=actor.terminal_id,
                client_token=cart.token, kind="sale", cashier_id=actor.user_id,
                completed_at=now, policy_version=policy_version,
                prescription_id=cart.review.prescription_id if cart.review else None,
                card_read_id=insured.identity.read_id if insured else None,
                insured_ssn=insured.identity.ssn if insured else "",
                buyer_id_number=cart.buyer_id_number,
                psn_no=insured.person.psn_no if insured else "",
                insutype=insured.person.insutype if insured else "",
                setl_id=settlement.setl_id if settlement else "",
                mdtrt_id=settlement.mdtrt_id if settlement else "",
                msgid=settlement.msgid if settlement else "",
                self_pay_consent=consent,
                total_amount=split.medfee_sumamt, fund_pay=split.fund_pay_sumamt,
                acct_pay=split.acct_pay, cash_pay=split.psn_cash_pay,
                account_balance_after=split.balc if settlement else None,
            )
            for number_, till in enumerate(cart.lines, start=1):
                parts = by_code.get(till.product.item_code, [])
                fund = sum((p.fund_pay for p in parts), ZERO)
                acct = sum((p.acct_pay for p in parts), ZERO)
                item = rx.item(till.product.item_code) if rx else None
                sale.lines.append(SaleLine(
                    line_no=number_, product_id=till.product.product_id,
                    item_code=till.product.item_code, name=till.product.name,
                    quantity=till.quantity, unit_price=till.product.retail_price,
                    amount=till.amount, insurance_class=till.product.insurance_class,
                    self_paid=(till.product.item_code in self_paid or insured is None
                               or fund + acct == 0),
                    fund_pay=fund, acct_pay=acct, cash_pay=till.amount - fund - acct,
                    days_of_supply=item.days_of_supply if item else None))
            for method, amount in ((PaymentMethod.FUND, split.fund_pay_sumamt),
                                   (PaymentMethod.ACCOUNT, split.acct_pay)):
                if amount > 0:
                    sale.payments.append(SalePayment(
                        method=method.value, amount=amount, tendered=None, change=ZERO,
                        reference=settlement.setl_id if settlement else ""))
            if tender.amount_due > 0 or not sale.fund_pay + sale.acct_pay:
                sale.payments.append(SalePayment(
                    method=tender.method.value, amount=tender.amount_due,
                    tendered=tender.tendered, change=tender.change))
            flags = self._flags(uow, cart, sale, now)

            # From here to the commit the store's sale counter and chain heads are held.
            number = uow.sales.next_number(f"sale:{self._store_code}:{today:%Y%m%d}")
            doc_no = sale_doc_no(self._store_code, today, number)
            sale.doc_no = doc_no
            uow.sales.add(sale)
            uow.audit.lock_heads(ledger_chain_name(actor.store_id),
                                 audit_chain_name(actor.store_id))
            movements: list[tuple[SaleLine, StockMovement]] = [
                (line, StockMovement(
                    batch_id=a.batch_id, product_id=till.product.product_id,
                    entry_type=LedgerEntryType.SALE_OUT, quantity=-a.units,
                    unit_cost=costs.get(a.batch_id, ZERO),
                    units_per_pack=till.product.units_per_pack,
                    doc_type=DOC_TYPE_SALE, doc_no=doc_no))
                for line, till, picking in zip(sale.lines, cart.lines, picked, strict=True)
                for a in picking.allocations]
            audit.record(uow, actor, "sale.complete", at=now, target_type="sale",
                         target_id=doc_no, detail={
                             "total": str(sale.total_amount), "fund": str(sale.fund_pay),
                             "account": str(sale.acct_pay), "cash": str(sale.cash_pay),
                             "method": tender.method.value, "lines": len(cart.lines),
                             "setl_id": sale.setl_id, "policy": policy_version,
                             "prescription": sale.prescription_id,
                             "flags": [rule for rule, _ in flags]})
            try:
                # Its flush also writes the sale, its lines and payments, and the audit
                # record (both chain heads in one batched UPDATE).
                entries = uow.ledger.append(actor.store_id, [m for _, m in movements],
                                            operator_id=operator_id, occurred_at=now)
            except DomainError as exc:
                if exc.rule_id == "INV-1":
                    raise _StockMoved(exc) from exc
                raise
            for (line, move), entry in zip(movements, entries, strict=True):
                uow.sales.add(SaleAllocation(sale_line_id=line.id, batch_id=move.batch_id,
                                             quantity=-move.quantity, ledger_entry_id=entry.id))
            for line, till in zip(sale.lines, cart.lines, strict=True):
                for code in till.trace_codes:
                    uow.sales.add(TraceCodeSale(code=code, store_id=actor.store_id,
                                                sale_id=sale.id, sale_line_id=line.id))
            for rule_id, detail in flags:
                uow.sales.add(SaleFlag(sale_id=sale.id, rule_id=rule_id, detail=detail[:300]))
            uow.sales.add(OutboxMessage(
                store_id=actor.store_id, created_at=now, infno="3505", doc_no=doc_no,
                msgid=f"{doc_no}:3505",
                payload=json.dumps(_sale_upload(batches, barcodes, actor, sale, cart,
                                                movements, entries, rx),
                                   ensure_ascii=False)))
            # The receipt (购药清单, SALE-6) and the dispensing labels are queued with the
            # sale: the printer may fail, the sale's printout can never go missing.
            add_jobs(uow, actor, "receipt", doc_no, at=now,
                     open_drawer=tender.method is PaymentMethod.CASH and tender.tendered > 0,
                     label_lines=[line.line_no for line in sale.lines
                                  if rx is not None and rx.item(line.item_code)])
            uow.commit()
            return _completed(sale, tender=tender)

    def _flags(self, uow: UnitOfWork, cart: Cart, sale: Sale, now: datetime,
               ) -> list[tuple[str, str]]:
        """Facts for the self-inspection report (ID-8, RX-14, RX-12, ID-5)."""
        flags: list[tuple[str, str]] = []
        if sale.insured_ssn:
            start, end = _day_bounds(_local(now).date())
            earlier = [s for s in uow.sales.sales_of_person_between(sale.insured_ssn, start, end)
                       if s.id != sale.id]
            if earlier:
                flags.append(("ID-8", f"同日第 {len(earlier) + 1} 次购药（此前："
                              + "、".join(s.doc_no for s in earlier[-3:]) + "）"))
        for finding in cart.findings:
            if finding.rule_id == "RX-14":
                flags.append(("RX-14", finding.message))
        if any(line.product.controlled_category is ControlledCategory.EPHEDRINE_COMPOUND
               for line in cart.lines):
            flags.append(("RX-12", "含麻黄碱类复方制剂销售登记，购买人证件 "
                          + _mask(cart.buyer_id_number or sale.insured_ssn)))
        if cart.insured is not None and cart.insured.identity.proxy_buyer_id_number:
            identity = cart.insured.identity
            flags.append(("ID-5", "代购：购买人 " + _mask(identity.proxy_buyer_id_number)))
            since = now - timedelta(days=ID9_WINDOW_DAYS)
            buyers = {proxy.buyer_id_number
                      for proxy, read in uow.identity.proxies_between(
                          sale.store_id, since, now + timedelta(seconds=1))
                      if read.card_number == identity.card_number}
            buyers.add(identity.proxy_buyer_id_number)
            if len(buyers) >= ID9_BUYERS_PER_CARD:
                flags.append(("ID-9", f"同一张卡近 {ID9_WINDOW_DAYS} 天被 {len(buyers)} 名"
                              "不同代购人使用"))
        return flags


# --- helpers ------------------------------------------------------------------------------

def _on_line(finding: Finding, line: TillLine) -> Finding:
    from pharmacy_pos.domain.rules import RuleFinding
    return RuleFinding(finding.rule_id, finding.action,
                       f"“{line.product.name}”{finding.message}", line.product.item_code)


class _StockMoved(Exception):
    """Another terminal took stock this sale had picked; the try is made again."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class _HolderView:
    name: str
    ssn: str


def _record_like(insured: InsuredCustomer) -> _HolderView:
    return _HolderView(insured.identity.name, insured.identity.ssn)


def _mask(id_number: str) -> str:
    from pharmacy_pos.domain.ids import mask_id_number
    return mask_id_number(id_number) if id_number else "未登记"


def _local(when: datetime) -> datetime:
    return when.astimezone(STORE_ZONE)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=STORE_ZONE)
    return start, start + timedelta(days=1)


def _operator_id(actor: Actor) -> int:
    if actor.user_id is not None:
        return actor.user_id
    raise DomainError("命令行操作员不能收银：请以收银员身份登录")


def _review_state(uow: UnitOfWork, prescription_id: int) -> ReviewState:
    review = uow.sales.review_of(prescription_id)
    if review is None:
        return ReviewState(prescription_id, ReviewDecision.PENDING)
    reviewer = uow.users.get(review.reviewer_id)
    return ReviewState(prescription_id, ReviewDecision(review.decision),
                       reviewer.display_name if reviewer else "",
                       RefusalReason(review.reason_code) if review.reason_code else None,
                       review.note)


def _queue_entry(uow: UnitOfWork, record: PrescriptionRecord,
                 review: PrescriptionReview | None, dispensed: bool) -> QueueEntry:
    cashier = uow.users.get(record.submitted_by) if record.submitted_by else None
    reviewer = uow.users.get(review.reviewer_id) if review else None
    return QueueEntry(
        prescription_id=record.id, submitted_at=record.submitted_at,
        terminal_id=record.terminal_id, cashier=cashier.display_name if cashier else "",
        patient_name=record.patient_name, institution_name=record.institution_name,
        physician_name=record.physician_name, diagnosis=record.diagnosis,
        source=record.source,
        decision=ReviewDecision(review.decision) if review else ReviewDecision.PENDING,
        reviewer=reviewer.display_name if reviewer else "", dispensed=dispensed)


def _prescription_of(record: PrescriptionRecord) -> Prescription:
    from pharmacy_pos.domain.cart import PrescriptionItem
    return Prescription(
        issue_date=record.issue_date,
        items=tuple(PrescriptionItem(i.item_code, i.quantity, i.days_of_supply)
                    for i in record.items),
        external=record.source != "internal", electronic=record.source == "electronic",
        institution_designated=record.institution_designated,
        signature_present=record.signature_present, seal_present=record.seal_present,
        physician_code=record.physician_code, patient_name=record.patient_name,
        patient_id_number=record.patient_id_number, diagnosis=record.diagnosis,
        emergency=record.emergency, chronic_disease=record.chronic_disease,
        chronic_reason=record.chronic_reason, long_term=record.long_term,
        validity_extended=record.validity_extended)


def _completed(sale: Sale, *, tender: Tender | None = None,
               repeated: bool = False) -> CompletedSale:
    if tender is None:
        cash = next((p for p in sale.payments
                     if not PaymentMethod(p.method).from_insurance), None)
        tender = (Tender(PaymentMethod(cash.method), cash.amount, cash.tendered or cash.amount,
                         cash.change) if cash is not None
                  else Tender(PaymentMethod.CASH, ZERO, ZERO, ZERO))
    return CompletedSale(
        sale_id=sale.id, doc_no=sale.doc_no, total=sale.total_amount,
        fund_pay=sale.fund_pay, acct_pay=sale.acct_pay, cash_pay=sale.cash_pay,
        tender=tender, balance_after=sale.account_balance_after, setl_id=sale.setl_id,
        policy_version=sale.policy_version, completed_at=sale.completed_at,
        repeated=repeated)


def _sale_upload(batches: dict[int, Batch], barcodes: dict[int, str], actor: Actor,
                 sale: Sale, cart: Cart, movements: Sequence[tuple[SaleLine, StockMovement]],
                 entries: Sequence[LedgerEntryRow], rx: Prescription | None,
                 ) -> dict[str, object]:
    """The 3505 (商品销售) message: one record per batch taken (INTERFACES.md)."""
    tills = {line.line_no: till for line, till in zip(sale.lines, cart.lines, strict=True)}
    insured = cart.insured
    facts = SaleFacts(
        doc_no=sale.doc_no, at=sale.completed_at, operator=actor.display_name,
        setl_id=sale.setl_id, psn_no=sale.psn_no,
        certno=insured.identity.ssn if insured and sale.setl_id else "",
        psn_name=insured.person.psn_name if insured and sale.setl_id else "",
        rxno=cart.document.rx_no if cart.document else "",
        external_rx=bool(rx and rx.external),
        prescriber_code=rx.physician_code if rx else "",
        pharmacist=cart.review.reviewer if cart.review else "")
    items = []
    first_batch: set[int] = set()
    for (line, move), entry in zip(movements, entries, strict=True):
        till = tills[line.line_no]
        batch = batches[move.batch_id]
        # Traceability codes go with the line's first batch record.
        codes = till.trace_codes if line.line_no not in first_batch else ()
        first_batch.add(line.line_no)
        items.append(SoldItem(
            store_id=sale.store_id, seq=entry.chain_seq, item_code=till.product.item_code,
            name=till.product.name, national_code=till.product.national_code,
            barcode=barcodes.get(move.product_id, ""),
            is_prescription=till.product.is_prescription, units=-move.quantity,
            units_per_pack=till.product.units_per_pack, unit_price=till.product.retail_price,
            batch_id=batch.id, lot_no=batch.lot_no, manufacture_date=batch.manufacture_date,
            expiry_date=batch.expiry_date, trace_codes=tuple(codes),
            listed=is_listed(till.product.national_code, till.product.insurance_class)))
    return sale_payload("3505", facts, items)

