"""Returns and refunds (SALE-7): approved by a second person, reversed, never edited.

A return is a document of its own (``TH-…``), pointing at the sale it returns. It puts
the stock back into the very batches the sale took it from (ledger entries of type
``sale_return``; the return's allocations name the batches, its lines the sale lines they
give back), frees the boxes' traceability codes,
refunds the buyer the way they paid, and, for an insurance sale, cancels the settlement
with the insurer (2103) so the fund and the personal account get their money back.

The insurer cancels a settlement whole, so an insurance sale is returned whole; a cash
sale may be returned line by line and unit by unit, each part refunded in proportion
(the parts add up to the sale exactly, ``domain/sale.py: refund_share``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pharmacy_pos.db.models import (
    OutboxMessage,
    Sale,
    SaleAllocation,
    SaleLine,
    SalePayment,
)
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError, NotFound
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.money import ZERO, format_yuan
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.sale import PaymentMethod, refund_share, sale_doc_no
from pharmacy_pos.domain.uploads import SaleFacts, SoldItem, is_listed, sale_payload
from pharmacy_pos.insurance.ports import Cancellation, SettlementGateway
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor, second_person
from pharmacy_pos.services.msgids import MsgidSource
from pharmacy_pos.services.printing import add_jobs
from pharmacy_pos.services.sales import DOC_TYPE_RETURN

UowFactory = Callable[..., UnitOfWork]
Authenticate = Callable[[str, str], Actor]

MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """A sale line and how much of it may still come back."""

    line_id: int
    item_code: str
    name: str
    sold_units: int
    returned_units: int
    amount: Decimal
    units_per_pack: int
    package_unit: str
    min_unit: str

    @property
    def returnable_units(self) -> int:
        """Units sold and not yet returned."""
        return self.sold_units - self.returned_units


@dataclass(frozen=True, slots=True)
class ReturnableSale:
    """A sale found by its receipt number, as the return screen shows it."""

    sale_id: int
    doc_no: str
    completed_at: datetime
    cashier: str
    total: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    cash_pay: Decimal
    insured: bool
    tender_method: PaymentMethod | None
    lines: tuple[ReturnableLine, ...]
    earlier_returns: tuple[str, ...]

    @property
    def fully_returned(self) -> bool:
        """Nothing left to return."""
        return all(line.returnable_units == 0 for line in self.lines)


@dataclass(frozen=True, slots=True)
class CompletedReturn:
    """What the return slip shows."""

    sale_id: int
    doc_no: str
    original_doc_no: str
    refund_total: Decimal
    fund_returned: Decimal
    acct_returned: Decimal
    cash_refund: Decimal
    refund_method: PaymentMethod | None
    approved_by: str
    completed_at: datetime


class ReturnService:
    """Returns at one terminal."""

    def __init__(self, uow: UowFactory, clock: Clock, insurer: SettlementGateway,
                 authenticate: Authenticate, *, store_code: str) -> None:
        self._uow = uow
        self._clock = clock
        self._insurer = insurer
        self._authenticate = authenticate
        self._store_code = store_code

    def find(self, actor: Actor, doc_no: str) -> ReturnableSale:
        """The sale with this receipt number and what may still be returned.

        Raises:
            NotFound: no sale of this store has the number.
        """
        actor.require(Permission.SELL)
        number = doc_no.strip().upper()
        if not number:
            raise DomainError("请扫描或输入原销售小票号")
        with self._uow(readonly=True) as uow:
            sale = uow.sales.by_doc_no(number)
            if sale is None or sale.store_id != actor.store_id or sale.kind != "sale":
                raise NotFound(f"找不到销售单“{number[:40]}”：请核对小票号")
            return _returnable(uow, sale)

    def return_items(self, actor: Actor, doc_no: str, quantities: Mapping[int, int], *,
                     reason: str, approver: str, approver_password: str) -> CompletedReturn:
        """Return units of a sale's lines, approved by a second authorised person (SALE-7).

        Args:
            actor: the cashier taking the goods back.
            doc_no: the original sale's receipt number.
            quantities: sale line id -> units returned (lines not named stay sold).
            reason: why the goods come back (kept on the return and in the audit log).
            approver: the store manager's user name; they approve at this terminal.
            approver_password: their password.

        Raises:
            AuthenticationFailed: wrong approver credentials (counted towards lockout).
            PermissionDenied / DomainError: the approver may not approve, or is the
                cashier (SALE-7); more units than remain; partial insurance return.
            InsurerRefused / InsurerUnavailable: the settlement could not be cancelled;
                nothing was recorded.
        """
        actor.require(Permission.SELL)
        reason = reason.strip()
        if not reason:
            raise DomainError("请填写退货原因", rule_id="SALE-7")
        sale_info = self.find(actor, doc_no)
        wanted = {line_id: units for line_id, units in quantities.items() if units}
        if not wanted:
            raise DomainError("请填写要退的数量")
        lines = {line.line_id: line for line in sale_info.lines}
        for line_id, units in wanted.items():
            line = lines.get(line_id)
            if line is None:
                raise DomainError("退货行不属于这张销售单")
            if units < 0 or units > line.returnable_units:
                raise DomainError(f"“{line.name}”最多可退 {line.returnable_units}"
                                  f"{line.min_unit}，不能退 {units}", rule_id="SALE-2")
        if sale_info.insured and any(
                wanted.get(line.line_id, 0) != line.returnable_units for line in lines.values()):
            raise DomainError("医保结算的销售只能整单退货（医保撤销结算为整单撤销）："
                              "如只退部分药品，请整单退货后重新结算其余药品", rule_id="SALE-7")
        manager = self._approve(actor, approver, approver_password)
        cancellation: Cancellation | None = None
        if sale_info.insured:
            cancellation = self._cancel_settlement(actor, sale_info)
        return self._write_return(actor, manager, sale_info, wanted, reason, cancellation)

    # -- internals -----------------------------------------------------------------------

    def _approve(self, actor: Actor, username: str, password: str) -> Actor:
        # A refund is a special operation: a second person of this store who may approve,
        # with their own credentials (SALE-7, SEC-2).
        return second_person(self._authenticate, actor, username, password, what="退货",
                             rule_id="SALE-7")

    def _cancel_settlement(self, actor: Actor, sale: ReturnableSale) -> Cancellation:
        with self._uow(readonly=True) as uow:
            row = uow.sales.get(sale.sale_id)
            assert row is not None
            setl_id, mdtrt_id, psn_no = row.setl_id, row.mdtrt_id or "", row.psn_no
        # Returns are rare: one number per cancellation, no block held back.
        msgid = MsgidSource(self._uow, self._clock, self._store_code, block=1)()
        return self._insurer.cancel(setl_id, msgid, mdtrt_id=mdtrt_id, psn_no=psn_no)

    def _write_return(self, actor: Actor, manager: Actor, original: ReturnableSale,
                      wanted: Mapping[int, int], reason: str,
                      cancellation: Cancellation | None) -> CompletedReturn:
        now = self._clock.now()
        today = now.astimezone(STORE_ZONE).date()
        with self._uow() as uow:
            number = uow.sales.next_number(f"return:{self._store_code}:{today:%Y%m%d}")
            doc_no = sale_doc_no(self._store_code, today, number, kind="return")
            sale = uow.sales.get(original.sale_id)
            assert sale is not None
            info = {line.line_id: line for line in original.lines}
            refund_lines: list[tuple[SaleLine, int, Decimal]] = []
            for line in sale.lines:
                units = wanted.get(line.id, 0)
                if units:
                    part = refund_share(line.amount, line.quantity,
                                        info[line.id].returned_units, units)
                    refund_lines.append((line, units, part))
            refund_total = sum((part for _, _, part in refund_lines), ZERO)
            fund = cancellation.fund_returned if cancellation else ZERO
            acct = cancellation.acct_returned if cancellation else ZERO
            cash = refund_total - fund - acct
            if cash < 0:
                raise DomainError(f"退款计算异常：医保退回 {format_yuan(fund + acct)} 超过退货金额 "
                                  f"{format_yuan(refund_total)}", rule_id="SALE-2")
            returned = Sale(
                store_id=actor.store_id, terminal_id=actor.terminal_id, doc_no=doc_no,
                client_token=f"return:{doc_no}", kind="return", original_sale_id=sale.id,
                cashier_id=actor.user_id, approved_by_id=manager.user_id, completed_at=now,
                policy_version=sale.policy_version, card_read_id=None,
                insured_ssn=sale.insured_ssn, buyer_id_number=sale.buyer_id_number,
                psn_no=sale.psn_no, insutype=sale.insutype, setl_id=sale.setl_id,
                msgid=cancellation.msgid if cancellation else "", self_pay_consent=False,
                total_amount=refund_total, fund_pay=fund, acct_pay=acct, cash_pay=cash,
                account_balance_after=cancellation.balc if cancellation else None,
                reason=reason[:MAX_REASON])
            uow.sales.add(returned)
            uow.sales.flush()
            movements: list[tuple[SaleLine, int, StockMovement]] = []
            for number_, (line, units, part) in enumerate(refund_lines, start=1):
                product = uow.sales.products_by_ids([line.product_id])[line.product_id]
                back = SaleLine(
                    sale_id=returned.id, line_no=number_, product_id=line.product_id,
                    item_code=line.item_code, name=line.name, quantity=units,
                    unit_price=line.unit_price, amount=part,
                    insurance_class=line.insurance_class, self_paid=line.self_paid,
                    fund_pay=line.fund_pay if cancellation else ZERO,
                    acct_pay=line.acct_pay if cancellation else ZERO,
                    cash_pay=part - (line.fund_pay + line.acct_pay if cancellation else ZERO),
                    days_of_supply=None, original_line_id=line.id)
                uow.sales.add(back)
                uow.sales.flush()
                for allocation, take in _batches_back(uow, line, units):
                    movements.append((back, allocation.batch_id, StockMovement(
                        batch_id=allocation.batch_id, product_id=line.product_id,
                        entry_type=LedgerEntryType.SALE_RETURN, quantity=take,
                        unit_cost=_cost_of(uow, allocation.batch_id),
                        units_per_pack=product.units_per_pack, doc_type=DOC_TYPE_RETURN,
                        doc_no=doc_no, note=f"退回 {original.doc_no}"[:200])))
                # A whole box back frees its traceability code for selling again.
                boxes_back = units // product.units_per_pack
                if boxes_back:
                    for code in list(uow.sales.trace_codes_of_line(line.id))[-boxes_back:]:
                        code.returned_sale_id = returned.id
            entries = uow.ledger.append(actor.store_id, [m for _, _, m in movements],
                                        operator_id=_operator_id(actor),
                                        occurred_at=now)
            for (back, batch_id, move), entry in zip(movements, entries, strict=True):
                uow.sales.add(SaleAllocation(sale_line_id=back.id, batch_id=batch_id,
                                             quantity=move.quantity, ledger_entry_id=entry.id))
            for method, amount in ((PaymentMethod.FUND, fund), (PaymentMethod.ACCOUNT, acct)):
                if amount > 0:
                    uow.sales.add(SalePayment(sale_id=returned.id, method=method.value,
                                              amount=amount, tendered=None, change=ZERO,
                                              reference=cancellation.setl_id
                                              if cancellation else ""))
            refund_method = original.tender_method
            if cash > 0:
                uow.sales.add(SalePayment(
                    sale_id=returned.id, method=(refund_method or PaymentMethod.CASH).value,
                    amount=cash, tendered=None, change=ZERO))
            audit.record(uow, actor, "sale.return", at=now, target_type="sale",
                         target_id=doc_no, detail={
                             "original": original.doc_no, "approved_by": manager.username,
                             "reason": reason[:MAX_REASON], "refund": str(refund_total),
                             "fund": str(fund), "account": str(acct), "cash": str(cash),
                             "lines": {str(k): v for k, v in wanted.items()},
                             "cancel_msgid": cancellation.msgid if cancellation else ""})
            uow.sales.add(OutboxMessage(
                store_id=actor.store_id, created_at=now, infno="3506", doc_no=doc_no,
                msgid=f"{doc_no}:3506", payload=json.dumps(
                    _return_upload(uow, actor, sale, returned, movements, entries),
                    ensure_ascii=False)))
            add_jobs(uow, actor, "return_slip", doc_no, at=now,
                     open_drawer=cash > 0 and refund_method in (None, PaymentMethod.CASH))
            uow.commit()
            return CompletedReturn(
                sale_id=returned.id, doc_no=doc_no, original_doc_no=original.doc_no,
                refund_total=refund_total, fund_returned=fund, acct_returned=acct,
                cash_refund=cash, refund_method=refund_method if cash > 0 else None,
                approved_by=manager.display_name, completed_at=now)


def _returnable(uow: UnitOfWork, sale: Sale) -> ReturnableSale:
    returned = uow.sales.returned_units(line.id for line in sale.lines)
    products = uow.sales.products_by_ids(line.product_id for line in sale.lines)
    cashier = uow.users.get(sale.cashier_id) if sale.cashier_id else None
    tender = next((PaymentMethod(p.method) for p in sale.payments
                   if not PaymentMethod(p.method).from_insurance), None)
    lines = tuple(ReturnableLine(
        line_id=line.id, item_code=line.item_code, name=line.name, sold_units=line.quantity,
        returned_units=returned.get(line.id, 0), amount=line.amount,
        units_per_pack=products[line.product_id].units_per_pack,
        package_unit=products[line.product_id].package_unit,
        min_unit=products[line.product_id].min_unit) for line in sale.lines)
    return ReturnableSale(
        sale_id=sale.id, doc_no=sale.doc_no, completed_at=sale.completed_at,
        cashier=cashier.display_name if cashier else "", total=sale.total_amount,
        fund_pay=sale.fund_pay, acct_pay=sale.acct_pay, cash_pay=sale.cash_pay,
        insured=bool(sale.setl_id), tender_method=tender, lines=lines,
        earlier_returns=tuple(r.doc_no for r in uow.sales.returns_of(sale.id)))


def _batches_back(uow: UnitOfWork, line: SaleLine, units: int,
                  ) -> list[tuple[SaleAllocation, int]]:
    """Which of the line's batches the returned units go back to: the latest picked first.

    Units already returned to a batch are subtracted, so a batch never gets back more
    than was taken from it.
    """
    back_before: dict[int, int] = {}
    for earlier in uow.sales.return_allocations_of(line.id):
        back_before[earlier.batch_id] = back_before.get(earlier.batch_id, 0) + earlier.quantity
    plan: list[tuple[SaleAllocation, int]] = []
    left = units
    for allocation in reversed(line.allocations):
        open_units = allocation.quantity - back_before.get(allocation.batch_id, 0)
        take = min(max(open_units, 0), left)
        if take:
            plan.append((allocation, take))
            left -= take
    if left:
        raise DomainError(f"“{line.name}”可退库存批次不足 {left}（数据不一致，请联系管理员）")
    return plan


def _operator_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise DomainError("命令行操作员不能办理退货：请以收银员身份登录")
    return actor.user_id


def _cost_of(uow: UnitOfWork, batch_id: int) -> Decimal:
    batch = uow.batches.get(batch_id)
    return batch.purchase_price if batch is not None else ZERO


def _return_upload(uow: UnitOfWork, actor: Actor, sale: Sale, returned: Sale,
                   movements: list[tuple[SaleLine, int, StockMovement]],
                   entries: list) -> dict[str, object]:
    """The 3506 (商品销售退货) message: one record per batch taken back, each naming the
    sale record it undoes (medins_prod_sel_no)."""
    batches, barcodes = uow.sales.upload_facts(
        (batch_id for _, batch_id, _ in movements), (m.product_id for _, _, m in movements))
    products = uow.sales.products_by_ids({m.product_id for _, _, m in movements})
    # The sale's ledger entry for each (original line, batch): its record number.
    sold_entries = {}
    for line in sale.lines:
        for allocation in line.allocations:
            sold_entries[(line.id, allocation.batch_id)] = allocation.ledger_entry_id
    seqs = uow.sales.chain_seqs(sold_entries.values())
    facts = SaleFacts(doc_no=returned.doc_no, at=returned.completed_at,
                      operator=actor.display_name, setl_id=sale.setl_id, psn_no=sale.psn_no,
                      certno=sale.insured_ssn if sale.setl_id else "")
    items = []
    for (back, batch_id, move), entry in zip(movements, entries, strict=True):
        product, batch = products[move.product_id], batches[batch_id]
        sold = sold_entries.get((back.original_line_id, batch_id))
        items.append(SoldItem(
            store_id=returned.store_id, seq=entry.chain_seq, item_code=back.item_code,
            name=back.name, national_code=product.med_list_codg or "",
            barcode=barcodes.get(move.product_id, ""), is_prescription=product.is_prescription,
            units=move.quantity, units_per_pack=product.units_per_pack,
            unit_price=back.unit_price, batch_id=batch.id, lot_no=batch.lot_no,
            manufacture_date=batch.manufacture_date, expiry_date=batch.expiry_date,
            sold_seq=seqs.get(sold) if sold is not None else None,
            listed=is_listed(product.med_list_codg, product.insurance_class)))
    return sale_payload("3506", facts, items)
