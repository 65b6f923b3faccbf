"""Stock keeping by GSP (issue 6): expiry, maintenance checks, destruction, split packages,
low-stock suggestions.

- Expiry: :meth:`StockkeepingService.expire_due_batches` marks every sellable or locked
  batch with stock past its expiry date ``expired`` (the till never sells it; SALE-5);
  run nightly by ``pharmacy-pos-cli expire``, idempotent.
- Maintenance (养护, INV-3): one check per store and month; its list puts near-expiry and
  split-package stock first; a batch found doubtful is locked from sale at once. A manager
  releases a locked batch, or it is destroyed.
- Destruction (INV-7): the operator and a store manager (credentials typed at the
  terminal, not the operator) with a reason; the whole remaining stock leaves by one
  ``destruction`` ledger entry and the batch becomes ``destroyed``, in one transaction.
- Split packages (拆零): packs of a sealed batch are opened into a new split batch (same
  lot and expiry, ``split_from_id`` set) by two ``split_conversion`` entries (−N, +N) and
  a split record naming who split and who checked (a second person, by password).
- Low stock: net sales of the recent days, lead time and each product's minimum.

Every status change goes through :func:`pharmacy_pos.services.batches.change_status`;
every stock change is a ledger entry (INV-1, INV-5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from pharmacy_pos.db.models import Batch, MaintenanceCheck, MaintenanceItem, SplitRecord
from pharmacy_pos.db.stockkeeping_repository import ON_SHELF, StockkeepingRepository
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError, NotFound
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.money import ZERO
from pharmacy_pos.domain.policy import StockPolicy
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.stockkeeping import (
    MAX_SPLIT_PACKS,
    RESULT_DOUBTFUL,
    RESULTS,
    ExpiryBucket,
    LowStockParams,
    ShelfBatch,
    check_month,
    destruction_doc_no,
    low_stock_suggestion,
    maintenance_order,
    near_expiry_buckets,
    split_doc_no,
)
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor, second_person
from pharmacy_pos.services.batches import change_status

UowFactory = Callable[..., UnitOfWork]
Authenticate = Callable[[str, str], Actor]

DOC_TYPE_DESTRUCTION = "destruction"
DOC_TYPE_SPLIT = "split"
MAX_NOTE = 200


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A batch whose status changed, as reported back."""

    batch_id: int
    item_code: str
    generic_name: str
    lot_no: str
    expiry_date: date
    from_status: BatchStatus
    to_status: BatchStatus
    units: int


@dataclass(frozen=True, slots=True)
class NearExpiryReport:
    """Near-expiry stock by the policy's windows, valued at purchase price."""

    today: date
    buckets: tuple[ExpiryBucket, ...]

    @property
    def value(self) -> Decimal:
        """Value of all near-expiry stock."""
        return sum((b.value for b in self.buckets), ZERO)


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One batch of a maintenance check list and what was found (None = not yet)."""

    batch: ShelfBatch
    result: str | None
    note: str
    checked_by: str
    checked_at: datetime | None


@dataclass(frozen=True, slots=True)
class CheckSheet:
    """A month's maintenance check: the list in checking order."""

    check_id: int
    month: str
    started_at: datetime
    lines: tuple[CheckLine, ...]

    @property
    def done(self) -> int:
        """Batches checked so far."""
        return sum(1 for line in self.lines if line.result is not None)


@dataclass(frozen=True, slots=True)
class Destruction:
    """A destroyed batch (INV-7)."""

    doc_no: str
    batch_id: int
    lot_no: str
    units: int
    value: Decimal
    reason: str
    operator: str
    approved_by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SplitRecordView:
    """A split-package record (拆零记录) as shown and printed."""

    doc_no: str
    source_batch_id: int
    split_batch_id: int
    opened_at: datetime
    item_code: str
    generic_name: str
    specification: str
    lot_no: str
    manufacturer: str
    expiry_date: date
    units: int
    min_unit: str
    split_by: str
    checked_by: str


@dataclass(frozen=True, slots=True)
class LowStockLine:
    """A product to reorder."""

    product_id: int
    item_code: str
    generic_name: str
    specification: str
    on_hand: int
    sold_units: int
    sales_days: int
    min_stock: int
    reorder_point: int
    suggested_units: int
    suggested_packs: int
    package_unit: str
    min_unit: str


class StockkeepingService:
    """Stock keeping use cases of one store's terminal."""

    def __init__(self, uow: UowFactory, clock: Clock,
                 policy: StockPolicy | Callable[[], StockPolicy], authenticate: Authenticate,
                 *, store_code: str, params: LowStockParams | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy
        self._authenticate = authenticate
        self._store_code = store_code
        self.params = params or LowStockParams()

    @property
    def windows(self) -> tuple[int, ...]:
        """The near-expiry windows in force (days)."""
        policy = self._policy() if callable(self._policy) else self._policy
        return tuple(policy.near_expiry_days)

    def _today(self) -> date:
        return self._clock.now().astimezone(STORE_ZONE).date()

    # -- expiry ---------------------------------------------------------------------------

    def expire_due_batches(self, actor: Actor) -> tuple[StatusChange, ...]:
        """Mark every sellable or locked batch with stock past its expiry ``expired``.

        Idempotent: a second run finds nothing to do and writes nothing.
        """
        actor.require(Permission.MAINTAIN_STOCK)
        now = self._clock.now()
        today = self._today()
        with self._uow() as uow:
            repo = StockkeepingRepository(uow.session)
            changed = []
            due = repo.past_expiry(actor.store_id, today)
            # One read for the report lines of every batch changed, not one per batch.
            shown = {b.batch_id: b for b in repo.shelf(
                actor.store_id, ON_SHELF, expiry_until=today - timedelta(days=1))}
            for batch in due:
                shelf = shown[batch.id]
                before = batch.status
                change_status(uow, actor, batch, BatchStatus.EXPIRED, at=now,
                              reason=f"已过有效期（{batch.expiry_date.isoformat()}），自动锁定")
                changed.append(_change(shelf, before, BatchStatus.EXPIRED))
            if not changed:
                return ()
            audit.record(uow, actor, "stock.expire", at=now, target_type="batch",
                         target_id=len(changed), detail={
                             "batches": [c.batch_id for c in changed], "day": today})
            uow.commit()
        return tuple(changed)

    def near_expiry(self, actor: Actor) -> NearExpiryReport:
        """Stock on the shelf expiring within the policy's windows, valued at cost."""
        _require_any(actor, Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK)
        today = self._today()
        windows = self.windows
        with self._uow(readonly=True) as uow:
            batches = StockkeepingRepository(uow.session).shelf(
                actor.store_id, ON_SHELF, expiry_until=today + timedelta(days=max(windows)))
        return NearExpiryReport(today, tuple(near_expiry_buckets(batches, today, windows)))

    def held_batches(self, actor: Actor) -> tuple[ShelfBatch, ...]:
        """Locked and expired batches still holding stock (to release or destroy)."""
        _require_any(actor, Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK)
        with self._uow(readonly=True) as uow:
            return tuple(StockkeepingRepository(uow.session).shelf(
                actor.store_id, (BatchStatus.LOCKED, BatchStatus.EXPIRED)))

    # -- maintenance (INV-3) ----------------------------------------------------------------

    def open_check(self, actor: Actor, month: str | None = None) -> CheckSheet:
        """Start the month's maintenance check, or continue it if already started."""
        actor.require(Permission.MAINTAIN_STOCK)
        now = self._clock.now()
        wanted = check_month(month) if month is not None else f"{self._today():%Y-%m}"
        with self._uow() as uow:
            repo = StockkeepingRepository(uow.session)
            check = repo.check_for_month(actor.store_id, wanted)
            if check is None:
                check = MaintenanceCheck(store_id=actor.store_id, month=wanted,
                                         started_by=_user_id(actor, "养护检查"),
                                         started_at=now)
                repo.add(check)
                audit.record(uow, actor, "maintenance.start", at=now,
                             target_type="maintenance_check", target_id=wanted)
                uow.commit()
            return self._sheet(repo, actor, check)

    def check_sheet(self, actor: Actor, check_id: int) -> CheckSheet:
        """A check list as it stands now."""
        actor.require(Permission.MAINTAIN_STOCK)
        with self._uow(readonly=True) as uow:
            repo = StockkeepingRepository(uow.session)
            check = uow.session.get(MaintenanceCheck, check_id)
            if check is None or check.store_id != actor.store_id:
                raise NotFound("找不到该养护检查记录")
            return self._sheet(repo, actor, check)

    def record_check(self, actor: Actor, check_id: int, batch_id: int, result: str,
                     note: str = "") -> CheckLine:
        """Record the check of one batch; a doubtful batch is locked from sale at once.

        Raises:
            DomainError: unknown result, a doubtful finding without a note, a batch not on
                the shelf of this store, or a check of another store.
        """
        actor.require(Permission.MAINTAIN_STOCK)
        note = note.strip()
        if result not in RESULTS:
            raise DomainError(f"养护结论“{result[:20]}”无效：只能是合格或存疑", rule_id="INV-3")
        if result == RESULT_DOUBTFUL and not note:
            raise DomainError("存疑须写明情况（如包装破损、变色、受潮）", rule_id="INV-3")
        now = self._clock.now()
        with self._uow() as uow:
            repo = StockkeepingRepository(uow.session)
            check = uow.session.get(MaintenanceCheck, check_id)
            if check is None or check.store_id != actor.store_id:
                raise NotFound("找不到该养护检查记录")
            batch = repo.batch_for_update(batch_id)
            if batch is None or batch.store_id != actor.store_id:
                raise NotFound("找不到该批次")
            if batch.status not in ON_SHELF:
                raise DomainError(f"批号 {batch.lot_no} 为“{batch.status.label}”状态，"
                                  "不在养护范围", rule_id="INV-3")
            if result == RESULT_DOUBTFUL and batch.status is BatchStatus.SELLABLE:
                change_status(uow, actor, batch, BatchStatus.LOCKED, at=now,
                              reason=f"养护存疑：{note}", doc_no=f"YH-{check.month}")
            item = MaintenanceItem(check_id=check.id, batch_id=batch.id, result=result,
                                   note=note[:MAX_NOTE], checked_by=_user_id(actor, "养护检查"),
                                   checked_at=now)
            repo.add(item)
            audit.record(uow, actor, "maintenance.check", at=now, target_type="batch",
                         target_id=batch.id, detail={"month": check.month, "result": result,
                                                     "note": note[:MAX_NOTE]})
            shelf = repo.shelf_batch(batch.id)
            assert shelf is not None
            uow.commit()
        return CheckLine(shelf, result, note[:MAX_NOTE], actor.display_name, now)

    def release(self, actor: Actor, batch_id: int, *, reason: str, approver: str,
                approver_password: str) -> StatusChange:
        """A store manager releases a locked batch for sale again (INV-3).

        Raises:
            AuthenticationFailed / PermissionDenied: the approver is not a store manager.
            DomainError: no reason; the batch is not locked or is past its expiry date.
        """
        actor.require(Permission.MAINTAIN_STOCK)
        reason = _reason(reason, "解除锁定")
        manager = self._manager(actor, approver, approver_password, "解除锁定")
        now = self._clock.now()
        with self._uow() as uow:
            repo = StockkeepingRepository(uow.session)
            batch = self._held(repo, actor, batch_id)
            if batch.status is not BatchStatus.LOCKED:
                raise DomainError(f"批号 {batch.lot_no} 为“{batch.status.label}”状态，"
                                  "只有锁定的批次可以解除锁定", rule_id="INV-3")
            if batch.expiry_date < self._today():
                raise DomainError(f"批号 {batch.lot_no} 已过有效期，不能解除锁定，只能销毁",
                                  rule_id="INV-7")
            shelf = repo.shelf_batch(batch.id)
            assert shelf is not None
            change_status(uow, manager, batch, BatchStatus.SELLABLE, at=now,
                          reason=f"店长解除锁定：{reason}")
            audit.record(uow, actor, "batch.release", at=now, target_type="batch",
                         target_id=batch.id, detail={"approved_by": manager.username,
                                                     "reason": reason})
            uow.commit()
        return _change(shelf, BatchStatus.LOCKED, BatchStatus.SELLABLE)

    def destroy(self, actor: Actor, batch_id: int, *, reason: str, approver: str,
                approver_password: str) -> Destruction:
        """Destroy a locked or expired batch's whole remaining stock (INV-7).

        Two people: the operator and a store manager who is not the operator. One
        ``destruction`` ledger entry takes every unit out; the batch becomes destroyed.

        Raises:
            AuthenticationFailed / PermissionDenied / DomainError: see the messages.
        """
        actor.require(Permission.MAINTAIN_STOCK)
        operator_id = _user_id(actor, "销毁")
        reason = _reason(reason, "销毁")
        manager = self._manager(actor, approver, approver_password, "销毁")
        now = self._clock.now()
        today = self._today()
        with self._uow() as uow:
            repo = StockkeepingRepository(uow.session)
            batch = self._held(repo, actor, batch_id)
            if batch.status not in (BatchStatus.LOCKED, BatchStatus.EXPIRED):
                raise DomainError(f"批号 {batch.lot_no} 为“{batch.status.label}”状态：只能销毁"
                                  "已锁定或已过期的批次（先在养护中标记存疑）", rule_id="INV-7")
            shelf = repo.shelf_batch(batch.id)
            assert shelf is not None
            if shelf.units <= 0:
                raise DomainError(f"批号 {batch.lot_no} 已无库存，无需销毁", rule_id="INV-7")
            number = uow.sales.next_number(f"destruction:{self._store_code}:{today:%Y%m%d}")
            doc_no = destruction_doc_no(self._store_code, today, number)
            uow.ledger.append(actor.store_id, [StockMovement(
                batch_id=batch.id, product_id=batch.product_id,
                entry_type=LedgerEntryType.DESTRUCTION, quantity=-shelf.units,
                unit_cost=batch.purchase_price, units_per_pack=shelf.units_per_pack,
                doc_type=DOC_TYPE_DESTRUCTION, doc_no=doc_no, note=reason)],
                operator_id=operator_id, occurred_at=now)
            change_status(uow, actor, batch, BatchStatus.DESTROYED, at=now,
                          reason=reason, doc_no=doc_no, second_user_id=manager.user_id)
            audit.record(uow, actor, "batch.destroy", at=now, target_type="batch",
                         target_id=batch.id, detail={
                             "doc_no": doc_no, "units": shelf.units, "reason": reason,
                             "approved_by": manager.username, "value": str(shelf.value)})
            uow.commit()
        return Destruction(doc_no, batch_id, shelf.lot_no, shelf.units, shelf.value, reason,
                           actor.display_name, manager.display_name, now)

    # -- split packages ------------------------------------------------------------------

    def splittable(self, actor: Actor) -> tuple[ShelfBatch, ...]:
        """Sealed, sellable, unexpired batches of split-allowed products with a whole pack."""
        actor.require(Permission.MAINTAIN_STOCK)
        today = self._today()
        with self._uow(readonly=True) as uow:
            batches = StockkeepingRepository(uow.session).shelf(
                actor.store_id, (BatchStatus.SELLABLE,))
        return tuple(b for b in batches if b.split_allowed and not b.is_split
                     and b.units_per_pack > 1 and b.units >= b.units_per_pack
                     and b.expiry_date >= today)

    def split_package(self, actor: Actor, batch_id: int, packs: int, *, checker: str,
                      checker_password: str) -> SplitRecordView:
        """Open ``packs`` packages of a sealed batch into a new split-package batch (拆零).

        Raises:
            DomainError: the product may not be split, the batch is not sellable, expired
                or already a split batch, the packs are not a positive whole number or
                more than the batch holds, the checker is the splitter or may not check.
        """
        actor.require(Permission.MAINTAIN_STOCK)
        operator_id = _user_id(actor, "拆零")
        if isinstance(packs, bool) or not isinstance(packs, int) or not (
                1 <= packs <= MAX_SPLIT_PACKS):
            raise DomainError(f"拆零数量须为 1 至 {MAX_SPLIT_PACKS} 的整包数")
        # Opening packs moves stock between batches: a second person checks it with
        # their own credentials (SEC-2); pharmacists and quality staff may check too.
        second = second_person(self._authenticate, actor, checker, checker_password,
                               what="拆零", verb="复核",
                               permissions=(Permission.MAINTAIN_STOCK, Permission.APPROVE))
        now = self._clock.now()
        today = self._today()
        with self._uow() as uow:
            repo = StockkeepingRepository(uow.session)
            source = repo.batch_for_update(batch_id)
            if source is None or source.store_id != actor.store_id:
                raise NotFound("找不到该批次")
            shelf = repo.shelf_batch(source.id)
            assert shelf is not None
            if not shelf.split_allowed:
                raise DomainError(f"“{shelf.generic_name}”不允许拆零销售")
            if shelf.units_per_pack < 2:
                raise DomainError(f"“{shelf.generic_name}”每{shelf.package_unit}只有 1 "
                                  f"{shelf.min_unit}，无需拆零")
            if shelf.is_split:
                raise DomainError(f"批号 {shelf.lot_no} 已是拆零批次，不能再拆")
            if source.status is not BatchStatus.SELLABLE:
                raise DomainError(f"批号 {shelf.lot_no} 为“{source.status.label}”状态，不能拆零")
            if source.expiry_date < today:
                raise DomainError(f"批号 {shelf.lot_no} 已过有效期，不能拆零", rule_id="SALE-5")
            units = packs * shelf.units_per_pack
            if units > shelf.units:
                raise DomainError(
                    f"批号 {shelf.lot_no} 只有 {shelf.units // shelf.units_per_pack}"
                    f"{shelf.package_unit}整包，不能拆 {packs}{shelf.package_unit}")
            number = uow.sales.next_number(f"split:{self._store_code}:{today:%Y%m%d}")
            doc_no = split_doc_no(self._store_code, today, number)
            split = Batch(store_id=source.store_id, product_id=source.product_id,
                          supplier_id=source.supplier_id, lot_no=source.lot_no,
                          manufacture_date=source.manufacture_date,
                          expiry_date=source.expiry_date,
                          purchase_price=source.purchase_price,
                          status=BatchStatus.SELLABLE, created_at=now,
                          split_from_id=source.id)
            repo.add(split)
            common = {"product_id": source.product_id,
                      "entry_type": LedgerEntryType.SPLIT_CONVERSION,
                      "unit_cost": source.purchase_price,
                      "units_per_pack": shelf.units_per_pack, "doc_type": DOC_TYPE_SPLIT,
                      "doc_no": doc_no}
            uow.ledger.append(actor.store_id, [
                StockMovement(batch_id=source.id, quantity=-units,
                              note=f"拆零转出 {packs}{shelf.package_unit}", **common),
                StockMovement(batch_id=split.id, quantity=units,
                              note=f"拆零转入（来自批次 {source.id}）", **common),
            ], operator_id=operator_id, occurred_at=now)
            repo.add(SplitRecord(store_id=actor.store_id, doc_no=doc_no,
                                 source_batch_id=source.id, split_batch_id=split.id,
                                 product_id=source.product_id, units=units, opened_at=now,
                                 split_by=operator_id, checked_by=second.user_id))
            audit.record(uow, actor, "stock.split", at=now, target_type="batch",
                         target_id=source.id, detail={
                             "doc_no": doc_no, "packs": packs, "units": units,
                             "split_batch": split.id, "checked_by": second.username})
            uow.commit()
            return SplitRecordView(
                doc_no=doc_no, source_batch_id=source.id, split_batch_id=split.id,
                opened_at=now, item_code=shelf.item_code, generic_name=shelf.generic_name,
                specification=shelf.specification, lot_no=shelf.lot_no,
                manufacturer=shelf.manufacturer, expiry_date=shelf.expiry_date, units=units,
                min_unit=shelf.min_unit, split_by=actor.display_name,
                checked_by=second.display_name)

    def split_records(self, actor: Actor, limit: int = 100) -> tuple[SplitRecordView, ...]:
        """The newest split-package records of the store."""
        _require_any(actor, Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK)
        with self._uow(readonly=True) as uow:
            rows = StockkeepingRepository(uow.session).split_records(actor.store_id, limit)
            return tuple(SplitRecordView(
                doc_no=r.doc_no, source_batch_id=r.source_batch_id,
                split_batch_id=r.split_batch_id, opened_at=r.opened_at,
                item_code=p.item_code, generic_name=p.generic_name,
                specification=p.specification, lot_no=b.lot_no, manufacturer=p.manufacturer,
                expiry_date=b.expiry_date, units=r.units, min_unit=p.min_unit,
                split_by=by, checked_by=checked) for r, b, p, by, checked in rows)

    # -- low stock -----------------------------------------------------------------------

    def low_stock(self, actor: Actor) -> tuple[LowStockLine, ...]:
        """Products at or below their reorder point, with how much to order."""
        _require_any(actor, Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK)
        params = self.params
        now = self._clock.now()
        since = now - timedelta(days=params.sales_days)
        with self._uow(readonly=True) as uow:
            figures = StockkeepingRepository(uow.session).reorder_figures(
                actor.store_id, since, self._today())
            lines = []
            for product, sold, on_hand in figures:
                wanted = low_stock_suggestion(
                    on_hand=on_hand, sold_units=sold, min_stock=product.min_stock,
                    units_per_pack=product.units_per_pack, params=params)
                if wanted is None:
                    continue
                lines.append(LowStockLine(
                    product_id=product.id, item_code=product.item_code,
                    generic_name=product.generic_name, specification=product.specification,
                    on_hand=on_hand, sold_units=max(sold, 0), sales_days=params.sales_days,
                    min_stock=product.min_stock, reorder_point=wanted.reorder_point,
                    suggested_units=wanted.suggested_units,
                    suggested_packs=wanted.suggested_packs,
                    package_unit=product.package_unit, min_unit=product.min_unit))
        return tuple(lines)

    # -- internals -----------------------------------------------------------------------

    def _sheet(self, repo: StockkeepingRepository, actor: Actor,
               check: MaintenanceCheck) -> CheckSheet:
        today = self._today()
        batches = maintenance_order(repo.shelf(actor.store_id, ON_SHELF), today, self.windows)
        found = repo.check_items(check.id)
        lines = []
        for batch in batches:
            item, name = found.get(batch.batch_id, (None, ""))
            lines.append(CheckLine(batch, item.result if item else None,
                                   item.note if item else "", name,
                                   item.checked_at if item else None))
        return CheckSheet(check.id, check.month, check.started_at, tuple(lines))

    def _held(self, repo: StockkeepingRepository, actor: Actor, batch_id: int) -> Batch:
        batch = repo.batch_for_update(batch_id)
        if batch is None or batch.store_id != actor.store_id:
            raise NotFound("找不到该批次")
        return batch

    def _manager(self, actor: Actor, username: str, password: str, what: str) -> Actor:
        # A store manager other than the operator, with their own credentials (INV-7,
        # SEC-2). The messages keep the wording staff know: "复核".
        if not username.strip():
            raise DomainError(f"{what}须由店长输入用户名和密码复核")
        return second_person(self._authenticate, actor, username, password,
                             what=f"{what}（须由店长复核）", rule_id="INV-7", verb="复核")


def _change(shelf: ShelfBatch, before: BatchStatus, after: BatchStatus) -> StatusChange:
    return StatusChange(shelf.batch_id, shelf.item_code, shelf.generic_name, shelf.lot_no,
                        shelf.expiry_date, before, after, shelf.units)


def _reason(reason: str, what: str) -> str:
    text = reason.strip()
    if not text:
        raise DomainError(f"请填写{what}原因", rule_id="INV-7")
    return text[:MAX_NOTE]


def _user_id(actor: Actor, what: str) -> int:
    if actor.user_id is None:
        raise DomainError(f"命令行操作员不能办理{what}：请以药师或质量人员身份登录")
    return actor.user_id


def _require_any(actor: Actor, *permissions: Permission) -> None:
    if not any(actor.can(p) for p in permissions):
        actor.require(permissions[0])
