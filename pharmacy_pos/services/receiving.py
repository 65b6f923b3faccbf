"""Receiving against a delivery note, quality acceptance and purchase returns (INV-1, INV-2).

The life of a delivery:

1. **Receiving** (收货, :meth:`ReceivingService.receive`): the delivery note's lines are
   checked all together (``domain/receiving.py``); a supplier whose licence expired is
   refused (INV-2). Each line becomes its own batch, *awaiting acceptance*, and its units
   enter the ledger at once (``purchase_in``), so the stock on hand is true (INV-1) but
   cannot be sold: picking takes sellable batches only (SALE-5).
2. **Quality acceptance** (质量验收, :meth:`ReceivingService.accept`): a quality inspector
   who did not receive the delivery (GSP keeps the two apart) accepts or rejects each
   line with a reason. Accepted units make the batch sellable; rejected units leave in
   the same transaction by an automatic purchase return (CT-…) to the supplier. A line
   rejected whole leaves its batch locked and empty.
3. **Purchase returns** later (采购退货, :meth:`ReceivingService.return_to_supplier`),
   e.g. a recall: units still on hand of a delivery line's batch go back, with a reason.

Every change of stock is a ledger entry; every status change goes through
``services/batches.change_status``; every use case writes its audit record in its own
transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pharmacy_pos.db.models import (
    Acceptance,
    Batch,
    Delivery,
    DeliveryLine,
    Product,
    PurchaseReturn,
    PurchaseReturnLine,
    Supplier,
)
from pharmacy_pos.db.receiving_repository import ReceivingRepository
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import Clock, local_text
from pharmacy_pos.domain.errors import DomainError, NotFound, Problem, ValidationFailed
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType, quantity_text
from pharmacy_pos.domain.receiving import (
    LineInput,
    ReceivingProduct,
    ValidLine,
    check_header,
    line_from_row,
    receipt_doc_no,
    validate_delivery_lines,
)
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.batches import change_status
from pharmacy_pos.services.catalogue import EXTRA_CELLS, read_rows

UowFactory = Callable[..., UnitOfWork]

DOC_TYPE_RECEIPT = "purchase_receipt"
DOC_TYPE_RETURN = "purchase_return"
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class SupplierChoice:
    """A supplier as the receiving screen offers it."""

    id: int
    name: str
    licence_no: str
    licence_expiry: date
    licence_valid: bool


@dataclass(frozen=True, slots=True)
class ScannedProduct:
    """A catalogue product found by a scanned barcode (or typed item code)."""

    product_id: int
    key: str  # what was scanned
    item_code: str
    name: str
    specification: str
    manufacturer: str
    package_unit: str
    min_unit: str
    units_per_pack: int
    split_allowed: bool
    approval_no: str


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    """What receiving a delivery wrote."""

    delivery_id: int
    doc_no: str
    supplier_name: str
    delivery_note_no: str
    line_ids: tuple[int, ...]
    units: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PendingLine:
    """A delivery line awaiting the quality inspector's decision."""

    line_id: int
    delivery_id: int
    doc_no: str
    supplier_name: str
    delivery_note_no: str
    received_by_id: int
    receiver_name: str
    received_at: datetime
    line_no: int
    item_code: str
    name: str
    specification: str
    manufacturer: str
    package_unit: str
    min_unit: str
    units_per_pack: int
    split_allowed: bool
    lot_no: str
    manufacture_date: date | None
    expiry_date: date
    approval_no: str
    purchase_price: Decimal
    units: int
    is_gift: bool

    @property
    def quantity_text(self) -> str:
        """The quantity as staff say it (``20盒``)."""
        return quantity_text(self.units, self.units_per_pack, self.package_unit, self.min_unit)


@dataclass(frozen=True, slots=True)
class LineDecision:
    """The inspector's decision on one line: how many units pass; the rest is rejected."""

    line_id: int
    accepted_units: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AcceptanceResult:
    """What an acceptance recorded."""

    lines: int
    accepted_units: int
    rejected_units: int
    return_doc_nos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReturnResult:
    """A purchase return made."""

    doc_no: str
    units: int
    amount: Decimal


def _product_facts(product: Product) -> ReceivingProduct:
    return ReceivingProduct(
        product_id=product.id, item_code=product.item_code,
        name=product.trade_name or product.generic_name,
        specification=product.specification, package_unit=product.package_unit,
        min_unit=product.min_unit, units_per_pack=product.units_per_pack,
        split_allowed=product.split_allowed, approval_no=product.approval_no,
        active=product.active)


class ReceivingService:
    """Receiving, quality acceptance and purchase returns of one store."""

    def __init__(self, uow_factory: UowFactory, clock: Clock, *, store_code: str) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._store_code = store_code

    # -- reading --------------------------------------------------------------------------

    def suppliers(self, actor: Actor) -> list[SupplierChoice]:
        """Every supplier, saying whose licence is valid today."""
        actor.require(Permission.RECEIVE_GOODS)
        today = self._clock.today()
        with self._uow(readonly=True) as uow:
            return [SupplierChoice(s.id, s.name, s.licence_no, s.licence_expiry,
                                   s.licence_expiry >= today)
                    for s in ReceivingRepository(uow.session).suppliers()]

    def add_supplier(self, actor: Actor, *, name: str, licence_no: str, licence_expiry: date,
                     credit_code: str = "", contact: str = "", phone: str = "",
                     ) -> SupplierChoice:
        """Register a wholesaler we buy from, with its licence (INV-2); audit-logged.

        Raises:
            PermissionDenied: not a store manager (SEC-1).
            ValidationFailed: every missing or invalid field, or a name already used.
        """
        actor.require(Permission.MANAGE_CATALOGUE)
        name, licence_no, credit_code = name.strip(), licence_no.strip(), credit_code.strip()
        problems: list[Problem] = []
        if not name or len(name) > 200:
            problems.append(Problem(None, "name", "供应商名称不能为空，最多 200 字"))
        if not licence_no or len(licence_no) > 50:
            problems.append(Problem(None, "licence_no", "须填写药品经营许可证编号"))
        if licence_expiry < self._clock.today():
            problems.append(Problem(None, "licence_expiry",
                                    f"许可证已于 {licence_expiry:%Y-%m-%d} 过期：不能登记为供应商"
                                    "（INV-2）"))
        if credit_code and (len(credit_code) != 18 or not credit_code.isalnum()):
            problems.append(Problem(None, "credit_code", "统一社会信用代码应为 18 位字母或数字"))
        now = self._clock.now()
        with self._uow() as uow:
            repo = ReceivingRepository(uow.session)
            if any(s.name == name for s in repo.suppliers()):
                problems.append(Problem(None, "name", f"供应商“{name}”已登记"))
            if problems:
                raise ValidationFailed("供应商信息有误，未保存", problems)
            supplier = Supplier(name=name, credit_code=credit_code.upper(),
                                licence_no=licence_no, licence_expiry=licence_expiry,
                                contact=contact.strip()[:50], phone=phone.strip()[:30],
                                created_at=now)
            uow.suppliers.add(supplier)
            audit.record(uow, actor, "supplier.add", at=now, target_type="supplier",
                         target_id=supplier.id,
                         detail={"name": name, "licence_no": licence_no,
                                 "licence_expiry": licence_expiry.isoformat()})
            uow.commit()
            return SupplierChoice(supplier.id, name, licence_no, licence_expiry, True)

    def find_product(self, actor: Actor, code: str) -> ScannedProduct:
        """The product of a scanned barcode or typed item code.

        Raises:
            NotFound: no such product in the catalogue.
        """
        actor.require(Permission.RECEIVE_GOODS)
        key = code.strip()
        if not key:
            raise DomainError("请扫描商品条码或输入商品编码")
        with self._uow(readonly=True) as uow:
            product = ReceivingRepository(uow.session).products_by_keys([key]).get(key)
            if product is None:
                raise NotFound(f"“{key[:40]}”不在商品目录中：请先在商品目录中建档再收货")
            if not product.active:
                raise DomainError(f"“{product.generic_name}”已停用，不能收货")
            return ScannedProduct(
                product_id=product.id, key=key, item_code=product.item_code,
                name=product.trade_name or product.generic_name,
                specification=product.specification, manufacturer=product.manufacturer,
                package_unit=product.package_unit, min_unit=product.min_unit,
                units_per_pack=product.units_per_pack, split_allowed=product.split_allowed,
                approval_no=product.approval_no)

    def pending(self, actor: Actor) -> list[PendingLine]:
        """Lines of the store's deliveries awaiting acceptance, oldest delivery first."""
        actor.require(Permission.ACCEPT_QUALITY)
        with self._uow(readonly=True) as uow:
            rows = ReceivingRepository(uow.session).pending_lines(actor.store_id)
            return [PendingLine(
                line_id=line.id, delivery_id=delivery.id, doc_no=delivery.doc_no,
                supplier_name=supplier_name, delivery_note_no=delivery.delivery_note_no,
                received_by_id=delivery.received_by, receiver_name=receiver_name,
                received_at=delivery.received_at, line_no=line.line_no,
                item_code=product.item_code,
                name=product.trade_name or product.generic_name,
                specification=product.specification, manufacturer=product.manufacturer,
                package_unit=product.package_unit, min_unit=product.min_unit,
                units_per_pack=product.units_per_pack, split_allowed=product.split_allowed,
                lot_no=line.lot_no, manufacture_date=line.manufacture_date,
                expiry_date=line.expiry_date, approval_no=line.approval_no,
                purchase_price=line.purchase_price, units=line.quantity,
                is_gift=line.is_gift,
            ) for line, delivery, product, supplier_name, receiver_name in rows]

    # -- receiving ------------------------------------------------------------------------

    def receive_file(self, actor: Actor, path: Path, *, supplier_name: str,
                     delivery_note_no: str, invoice_code: str = "", invoice_no: str = "",
                     receiver: str | None = None) -> ReceiptResult:
        """Receive a delivery note given as a CSV or XLSX file (layout: ``COLUMNS``).

        Read like the catalogue import; the same all-or-nothing validation as the screen.

        Raises:
            ValidationFailed: unreadable file, missing columns, or any bad line (each
                listed with its spreadsheet row); nothing was saved.
            DomainError: see :meth:`receive`.
        """
        actor.require(Permission.RECEIVE_GOODS)
        lines: list[LineInput] = []
        problems: list[Problem] = []
        for number, raw in read_rows(path, check_header):
            if raw.get(EXTRA_CELLS):
                problems.append(Problem(number, None, "本行的列数多于表头"))
                continue
            lines.append(line_from_row(number, raw))
        if problems:
            raise ValidationFailed(f"收货失败：{len(problems)} 处错误，未保存任何内容", problems)
        return self.receive(actor, supplier_name=supplier_name,
                            delivery_note_no=delivery_note_no, invoice_code=invoice_code,
                            invoice_no=invoice_no, lines=lines, receiver=receiver,
                            source=path.name)

    def receive(self, actor: Actor, *, lines: Sequence[LineInput],
                delivery_note_no: str, supplier_id: int | None = None,
                supplier_name: str | None = None, invoice_code: str = "",
                invoice_no: str = "", note: str = "", receiver: str | None = None,
                source: str = "") -> ReceiptResult:
        """Receive a delivery: every line into its own batch awaiting acceptance (INV-2).

        Args:
            actor: who receives; a logged-in user receives as themselves.
            lines: the delivery note's lines.
            delivery_note_no: the supplier's delivery-note number (随货单号).
            supplier_id: the supplier, or ``supplier_name`` (its exact name).
            receiver: for the command line only (a system actor): the username of the
                member of staff who received the goods, recorded as the receiver.
            source: the file a delivery was read from, for the audit trail.

        Raises:
            DomainError: unknown supplier, or its licence expired (INV-2); no receiver.
            ValidationFailed: every problem of the header and the lines; nothing saved.
        """
        actor.require(Permission.RECEIVE_GOODS)
        now = self._clock.now()
        today = self._clock.today()
        with self._uow() as uow:
            repo = ReceivingRepository(uow.session)
            receiver_id = self._receiver(repo, actor, receiver)
            supplier = self._supplier(repo, supplier_id, supplier_name)
            if supplier.licence_expiry < today:
                raise DomainError(
                    f"供应商“{supplier.name}”的经营许可证（{supplier.licence_no}）已于 "
                    f"{supplier.licence_expiry:%Y-%m-%d} 过期：不能从无有效许可证的企业购进，"
                    "本批货物拒收", rule_id="INV-2")
            note_no = delivery_note_no.strip()
            problems = self._header_problems(repo, supplier, note_no, invoice_code,
                                             invoice_no, note)
            products = {k: _product_facts(p) for k, p in repo.products_by_keys(
                line.product_key.strip() for line in lines).items()}
            try:
                valid = validate_delivery_lines(lines, products, today=today)
            except ValidationFailed as exc:
                problems += exc.problems
                if not exc.problems:  # no lines at all, too many lines
                    problems.append(Problem(None, None, exc.message))
            if problems:
                raise ValidationFailed(
                    f"收货失败：{len(problems)} 处错误，未保存任何内容", problems)
            result = self._write_delivery(uow, repo, actor, receiver_id, supplier, note_no,
                                          invoice_code.strip(), invoice_no.strip(),
                                          note.strip(), valid, products, now, source)
            uow.commit()
        return result

    def _receiver(self, repo: ReceivingRepository, actor: Actor, receiver: str | None) -> int:
        if actor.user_id is not None:
            if receiver and receiver != actor.username:
                raise DomainError("登录用户只能以本人名义收货")
            return actor.user_id
        if not receiver:
            raise DomainError("请指定收货人（--user 用户名）：GSP 要求记录收货人", rule_id="INV-2")
        user = repo.user_by_username(receiver)
        if user is None:
            raise NotFound(f"没有用户“{receiver}”")
        if user.frozen_at is not None:
            raise DomainError(f"用户“{receiver}”已冻结，不能作为收货人")
        person = Actor(user.id, user.username, user.display_name,
                       frozenset(r.role for r in user.roles), actor.store_id, actor.terminal_id)
        person.require(Permission.RECEIVE_GOODS)
        return user.id

    @staticmethod
    def _supplier(repo: ReceivingRepository, supplier_id: int | None,
                  supplier_name: str | None) -> Supplier:
        if supplier_id is not None:
            supplier = repo.supplier(supplier_id)
        elif supplier_name and supplier_name.strip():
            supplier = repo.supplier_by_name(supplier_name.strip())
        else:
            raise DomainError("请选择供应商")
        if supplier is None:
            name = supplier_name or supplier_id
            raise NotFound(f"没有供应商“{name}”：只能从已建档、有有效许可证的企业购进",
                           rule_id="INV-2")
        return supplier

    @staticmethod
    def _header_problems(repo: ReceivingRepository, supplier: Supplier, note_no: str,
                         invoice_code: str, invoice_no: str, note: str) -> list[Problem]:
        problems = []
        if not note_no:
            problems.append(Problem(None, "随货单号", "必填项为空"))
        elif len(note_no) > 60:
            problems.append(Problem(None, "随货单号", "内容过长（最多 60 字）"))
        elif not note_no.isprintable():
            pass  # said below, with the other fields; never looked up (PostgreSQL: NUL)
        elif (earlier := repo.delivery_by_note(supplier.id, note_no)) is not None:
            problems.append(Problem(None, "随货单号", (
                f"“{note_no}”已于 {local_text(earlier.received_at)} 收货（{earlier.doc_no}），"
                "不能重复收货")))
        for field, value in (("发票代码", invoice_code), ("发票号码", invoice_no)):
            if len(value.strip()) > 20:
                problems.append(Problem(None, field, "内容过长（最多 20 字）"))
        if len(note) > MAX_REASON:
            problems.append(Problem(None, "备注", "内容过长"))
        for field, value in (("随货单号", note_no), ("发票代码", invoice_code),
                             ("发票号码", invoice_no), ("备注", note)):
            # Control characters are a damaged file or a slip; PostgreSQL refuses NUL.
            if not value.replace("\n", " ").isprintable():
                problems.append(Problem(None, field, "含有不可见的控制字符，请重新填写"))
        return problems

    def _write_delivery(self, uow: UnitOfWork, repo: ReceivingRepository, actor: Actor,
                        receiver_id: int, supplier: Supplier, note_no: str, invoice_code: str,
                        invoice_no: str, note: str, valid: list[ValidLine],
                        products: dict[str, ReceivingProduct], now: datetime,
                        source: str) -> ReceiptResult:
        today = self._clock.today()
        number = uow.sales.next_number(f"receipt:{self._store_code}:{today:%Y%m%d}")
        doc_no = receipt_doc_no(self._store_code, today, number)
        delivery = Delivery(
            store_id=actor.store_id, doc_no=doc_no, supplier_id=supplier.id,
            delivery_note_no=note_no, invoice_code=invoice_code, invoice_no=invoice_no,
            received_by=receiver_id, received_at=now, note=note)
        repo.add(delivery)
        batches = [Batch(
            store_id=actor.store_id, product_id=v.product_id, supplier_id=supplier.id,
            lot_no=v.lot_no, manufacture_date=v.manufacture_date, expiry_date=v.expiry_date,
            purchase_price=v.purchase_price, status=BatchStatus.AWAITING_ACCEPTANCE,
            created_at=now) for v in valid]
        repo.add_all(batches)
        repo.flush()
        lines = [DeliveryLine(
            delivery_id=delivery.id, line_no=n, product_id=v.product_id, batch_id=b.id,
            lot_no=v.lot_no, manufacture_date=v.manufacture_date, expiry_date=v.expiry_date,
            approval_no=v.approval_no, purchase_price=v.purchase_price, quantity=v.units,
            is_gift=v.is_gift) for n, (v, b) in enumerate(zip(valid, batches, strict=True), 1)]
        repo.add_all(lines)
        per_pack = {p.product_id: p.units_per_pack for p in products.values()}
        movements = [StockMovement(
            batch_id=b.id, product_id=v.product_id, entry_type=LedgerEntryType.PURCHASE_IN,
            quantity=v.units, unit_cost=v.purchase_price, units_per_pack=per_pack[v.product_id],
            doc_type=DOC_TYPE_RECEIPT, doc_no=doc_no,
            note="赠品，待验收" if v.is_gift else "待验收",
        ) for v, b in zip(valid, batches, strict=True)]
        # The units are in stock from now (INV-1), in batches nobody may sell (INV-2).
        uow.ledger.append(actor.store_id, movements, operator_id=receiver_id, occurred_at=now)
        repo.flush()
        amount = sum((m.amount for m in movements), Decimal(0))
        units = sum(v.units for v in valid)
        audit.record(uow, actor, "receiving.receive", at=now, target_type="delivery",
                     target_id=doc_no, detail={
                         "supplier": supplier.name, "delivery_note_no": note_no,
                         "invoice": f"{invoice_code} {invoice_no}".strip(),
                         "lines": len(valid), "units": units, "amount": str(amount),
                         "received_by": receiver_id, "source": source})
        return ReceiptResult(delivery.id, doc_no, supplier.name, note_no,
                             tuple(line.id for line in lines), units, amount)

    # -- quality acceptance ---------------------------------------------------------------

    def accept(self, actor: Actor, decisions: Sequence[LineDecision]) -> AcceptanceResult:
        """Record the inspector's decision on each line, in one transaction (INV-2).

        Accepted units make the line's batch sellable. Rejected units (the rest of the
        line) leave at once by a purchase return to the supplier (one CT-… per delivery
        and reason) with the reason; a line rejected whole leaves its batch locked.

        Raises:
            PermissionDenied: the actor is not a quality inspector (SEC-1).
            DomainError: the inspector received the delivery themselves (INV-2); a line
                decided already, not awaiting acceptance or unknown; a rejection without
                a reason; a quantity outside the line or not in whole packages; an
                expired batch accepted. Nothing was saved.
        """
        actor.require(Permission.ACCEPT_QUALITY)
        if actor.user_id is None:
            raise DomainError("质量验收须由质量验收员本人登录后操作", rule_id="INV-2")
        if not decisions:
            raise DomainError("没有要验收的商品行")
        ids = [d.line_id for d in decisions]
        if len(set(ids)) != len(ids):
            raise DomainError("同一商品行不能在一次验收中出现两次")
        now = self._clock.now()
        today = self._clock.today()
        with self._uow() as uow:
            repo = ReceivingRepository(uow.session)
            found = repo.lines_with_deliveries(ids)
            for line_id in ids:
                if line_id not in found or found[line_id][1].store_id != actor.store_id:
                    raise NotFound(f"没有待验收的商品行 {line_id}")
            self._check_separation(actor, [found[i][1] for i in ids])
            decided = repo.acceptances_of(ids)
            if decided:
                line = found[next(iter(decided))][0]
                raise DomainError(f"第 {line.line_no} 行（批号 {line.lot_no}）已验收，"
                                  "不能重复验收")
            batches = repo.batches_for_update(found[i][0].batch_id for i in ids)
            products = repo.products_by_ids(found[i][0].product_id for i in ids)
            rejections: dict[tuple[int, str], list[tuple[DeliveryLine, int]]] = defaultdict(
                list)
            accepted_total = rejected_total = 0
            for decision in decisions:
                line, delivery = found[decision.line_id]
                batch = batches[line.batch_id]
                product = products[line.product_id]
                reason = decision.reason.strip()
                rejected = self._check_decision(decision, line, batch, product, reason, today)
                repo.add(Acceptance(
                    delivery_line_id=line.id, inspector_id=actor.user_id,
                    accepted_units=decision.accepted_units, rejected_units=rejected,
                    reason=reason[:MAX_REASON], decided_at=now))
                if decision.accepted_units:
                    change_status(uow, actor, batch, BatchStatus.SELLABLE, at=now,
                                  doc_no=delivery.doc_no,
                                  reason="质量验收合格" + (f"（部分拒收: {reason}）"
                                                     if rejected else ""))
                else:
                    change_status(uow, actor, batch, BatchStatus.LOCKED, at=now,
                                  doc_no=delivery.doc_no, reason=f"质量验收拒收: {reason}")
                if rejected:
                    rejections[(delivery.id, reason)].append((line, rejected))
                accepted_total += decision.accepted_units
                rejected_total += rejected
            return_nos = self._return_rejections(uow, repo, actor, rejections, found, products,
                                                 now)
            audit.record(uow, actor, "receiving.accept", at=now, target_type="delivery",
                         target_id=",".join(sorted({found[i][1].doc_no for i in ids})),
                         detail={"lines": len(decisions), "accepted_units": accepted_total,
                                 "rejected_units": rejected_total,
                                 "returns": list(return_nos)})
            uow.commit()
        return AcceptanceResult(len(decisions), accepted_total, rejected_total, return_nos)

    @staticmethod
    def _check_separation(actor: Actor, deliveries: list[Delivery]) -> None:
        own = sorted({d.doc_no for d in deliveries if d.received_by == actor.user_id})
        if own:
            raise DomainError(
                f"{'、'.join(own)} 由您本人收货：GSP 要求收货与质量验收由不同人员完成，"
                "请由另一名质量验收员验收", rule_id="INV-2")

    @staticmethod
    def _check_decision(decision: LineDecision, line: DeliveryLine, batch: Batch,
                        product: Product, reason: str, today: date) -> int:
        where = f"第 {line.line_no} 行（{product.generic_name} 批号 {line.lot_no}）"
        if batch.status is not BatchStatus.AWAITING_ACCEPTANCE:
            raise DomainError(f"{where}已是“{batch.status.label}”，不在待验收状态")
        accepted = decision.accepted_units
        if not 0 <= accepted <= line.quantity:
            raise DomainError(f"{where}合格数量 {accepted} 超出到货数量 {line.quantity}")
        rejected = line.quantity - accepted
        if rejected and not reason:
            raise DomainError(f"{where}拒收 {rejected}{product.min_unit}，请填写拒收原因",
                              rule_id="INV-2")
        if len(reason) > MAX_REASON:
            raise DomainError(f"{where}原因过长（最多 {MAX_REASON} 字）")
        if (accepted % product.units_per_pack and not product.split_allowed):
            raise DomainError(f"{where}不拆零，合格数量须为整{product.package_unit}"
                              f"（每{product.package_unit} {product.units_per_pack}"
                              f"{product.min_unit}）")
        if accepted and batch.expiry_date < today:
            raise DomainError(f"{where}已于 {batch.expiry_date:%Y-%m-%d} 过期，"
                              "不能验收合格，请拒收", rule_id="SALE-5")
        return rejected

    def _return_rejections(
        self, uow: UnitOfWork, repo: ReceivingRepository, actor: Actor,
        rejections: dict[tuple[int, str], list[tuple[DeliveryLine, int]]],
        found: dict[int, tuple[DeliveryLine, Delivery]], products: dict[int, Product],
        now: datetime,
    ) -> tuple[str, ...]:
        if not rejections:
            return ()
        assert actor.user_id is not None
        deliveries = {d.id: d for _, d in found.values()}
        documents: list[tuple[PurchaseReturn, list[tuple[DeliveryLine, int]]]] = []
        for (delivery_id, reason), lines in rejections.items():
            delivery = deliveries[delivery_id]
            document = PurchaseReturn(
                store_id=actor.store_id, doc_no=self._return_doc_no(uow),
                delivery_id=delivery_id, supplier_id=delivery.supplier_id,
                reason=f"验收拒收: {reason}"[:MAX_REASON], operator_id=actor.user_id,
                created_at=now)
            repo.add(document)
            documents.append((document, lines))
        repo.flush()
        movements = [self._return_movement(line, units, products[line.product_id],
                                           document.doc_no, document.reason)
                     for document, lines in documents for line, units in lines]
        entries = iter(uow.ledger.append(actor.store_id, movements, operator_id=actor.user_id,
                                         occurred_at=now))
        for document, lines in documents:
            for line, units in lines:
                repo.add(PurchaseReturnLine(
                    return_id=document.id, delivery_line_id=line.id, batch_id=line.batch_id,
                    quantity=units, ledger_entry_id=next(entries).id))
            audit.record(uow, actor, "purchase_return.add", at=now,
                         target_type="purchase_return", target_id=document.doc_no,
                         detail={"delivery": deliveries[document.delivery_id].doc_no,
                                 "reason": document.reason,
                                 "units": sum(u for _, u in lines), "automatic": True})
        return tuple(document.doc_no for document, _ in documents)

    def _return_doc_no(self, uow: UnitOfWork) -> str:
        today = self._clock.today()
        number = uow.sales.next_number(f"purchase_return:{self._store_code}:{today:%Y%m%d}")
        return receipt_doc_no(self._store_code, today, number, kind="return")

    @staticmethod
    def _return_movement(line: DeliveryLine, units: int, product: Product, doc_no: str,
                         reason: str) -> StockMovement:
        return StockMovement(
            batch_id=line.batch_id, product_id=line.product_id,
            entry_type=LedgerEntryType.PURCHASE_RETURN, quantity=-units,
            unit_cost=line.purchase_price, units_per_pack=product.units_per_pack,
            doc_type=DOC_TYPE_RETURN, doc_no=doc_no, note=reason[:MAX_REASON])

    # -- purchase returns later -----------------------------------------------------------

    def return_to_supplier(self, actor: Actor, line_id: int, units: int,
                           reason: str) -> ReturnResult:
        """Send units still on hand of a delivery line's batch back to its supplier.

        For goods found wrong after acceptance (a recall, damage discovered later). The
        return is linked to the original delivery; who and why are recorded (INV-7).

        Raises:
            DomainError: no reason; the line still awaits acceptance (reject it there);
                more units than the batch holds; a system actor (a person must sign).
        """
        actor.require(Permission.RECEIVE_GOODS)
        if actor.user_id is None:
            raise DomainError("采购退货须由经办人本人登录后操作")
        reason = reason.strip()
        if not reason:
            raise DomainError("请填写退货原因", rule_id="INV-7")
        if len(reason) > MAX_REASON:
            raise DomainError(f"退货原因过长（最多 {MAX_REASON} 字）")
        if units <= 0:
            raise DomainError("退货数量必须大于 0")
        now = self._clock.now()
        with self._uow() as uow:
            repo = ReceivingRepository(uow.session)
            found = repo.lines_with_deliveries([line_id]).get(line_id)
            if found is None or found[1].store_id != actor.store_id:
                raise NotFound(f"没有入库商品行 {line_id}")
            line, delivery = found
            batch = repo.batches_for_update([line.batch_id])[line.batch_id]
            product = repo.products_by_ids([line.product_id])[line.product_id]
            if batch.status is BatchStatus.AWAITING_ACCEPTANCE:
                raise DomainError(f"批号 {line.lot_no} 尚待验收：不合格品请在质量验收时拒收",
                                  rule_id="INV-2")
            on_hand = repo.stock_of_batches([batch.id]).get(batch.id, 0)
            if units > on_hand:
                held = quantity_text(on_hand, product.units_per_pack, product.package_unit,
                                     product.min_unit)
                raise DomainError(f"批号 {line.lot_no} 现有库存 {held}，不能退 {units}"
                                  f"{product.min_unit}", rule_id="INV-1")
            document = PurchaseReturn(
                store_id=actor.store_id, doc_no=self._return_doc_no(uow),
                delivery_id=delivery.id, supplier_id=delivery.supplier_id, reason=reason,
                operator_id=actor.user_id, created_at=now)
            repo.add(document)
            repo.flush()
            movement = self._return_movement(line, units, product, document.doc_no, reason)
            (entry,) = uow.ledger.append(actor.store_id, [movement],
                                         operator_id=actor.user_id, occurred_at=now)
            repo.add(PurchaseReturnLine(return_id=document.id, delivery_line_id=line.id,
                                        batch_id=batch.id, quantity=units,
                                        ledger_entry_id=entry.id))
            audit.record(uow, actor, "purchase_return.add", at=now,
                         target_type="purchase_return", target_id=document.doc_no,
                         detail={"delivery": delivery.doc_no, "lot_no": line.lot_no,
                                 "units": units, "reason": reason, "automatic": False})
            uow.commit()
        return ReturnResult(document.doc_no, units, -movement.amount)

