"""Stock-take (盘点, INV-4): snapshot, counting in sessions, differences, approval.

* ``start`` takes the snapshot of book stock under the ledger's lock and keeps the ledger
  position in the (hash-chained) start record; one stock-take per store is open at a time.
* ``count`` records the units of one batch found on the shelf (scanned barcode and chosen
  lot, or the batch id; in minimum units or packages). Every count is kept; the newest
  count of a batch stands. Counting may stop and ``resume`` later, each sitting a session.
* ``differences`` compares counted batches with their book stock at the count (snapshot +
  movements since, so sales during the stock-take are no losses: see
  ``domain/stocktake.py``); uncounted batches are listed apart and are not touched.
* ``approve``: a store manager, at the terminal with their password, books one gain
  (盘盈) or loss (盘亏) entry per differing counted batch at its purchase price, in one
  transaction with the closing record and the audit record. ``cancel`` closes it with
  nothing booked. A closed stock-take takes no more counts.

No stock row is ever written here: entries go through ``uow.ledger.append`` (INV-1), and a
correction after approval is a new stock-take or a reversal entry, never an edit (INV-5).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pharmacy_pos.db.models import OutboxMessage, Stocktake, StocktakeClosing, StocktakeCount
from pharmacy_pos.db.stocktake_repository import (
    START_ACTION,
    LotRow,
    StocktakeRepository,
    UncountedRow,
)
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError, NotFound, PermissionDenied
from pharmacy_pos.domain.ledger import StockMovement, ledger_chain_name
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.stocktake import (
    APPROVED,
    CANCELLED,
    DOC_TYPE_STOCKTAKE,
    DifferenceLine,
    DifferenceList,
    counted_units,
    difference_list,
    stocktake_doc_no,
)
from pharmacy_pos.domain.uploads import CountedItem, is_listed, stocktake_payload
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor, second_person

UowFactory = Callable[..., UnitOfWork]
Authenticate = Callable[[str, str], Actor]

MAX_NOTE = 200

__all__ = [
    "ApprovalResult", "CountResult", "DifferenceList", "LotRow", "StocktakeInfo",
    "StocktakeService", "UncountedRow",
]


@dataclass(frozen=True, slots=True)
class StocktakeInfo:
    """A stock-take as the counting screen shows it.

    ``session_no`` is the sitting the caller counts in (each ``start``/``resume`` opens
    the next one); ``last_count_id`` identifies the counts a manager saw when approving.
    """

    stocktake_id: int
    doc_no: str
    started_at: datetime
    started_by: str
    session_no: int
    book_batches: int
    counted_batches: int
    uncounted_batches: int
    counts: int
    last_count_id: int
    decision: str | None     # None while open, else approved / cancelled


@dataclass(frozen=True, slots=True)
class CountResult:
    """One recorded count."""

    batch_id: int
    item_code: str
    name: str
    lot_no: str
    units: int
    min_unit: str
    previous_units: int | None   # the count this one replaces, if the batch was counted
    info: StocktakeInfo


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    """What an approval booked."""

    doc_no: str
    approved_by: str
    entries: int
    gain_units: int
    loss_units: int
    gain_value: Decimal
    loss_value: Decimal
    uncounted_batches: int
    closed_at: datetime


class StocktakeService:
    """Stock-takes of the actor's store."""

    def __init__(self, uow: UowFactory, clock: Clock, authenticate: Authenticate) -> None:
        self._uow = uow
        self._clock = clock
        self._authenticate = authenticate

    # -- starting and resuming ------------------------------------------------------------

    def start(self, actor: Actor, note: str = "") -> StocktakeInfo:
        """Take the snapshot of book stock and open a stock-take (session 1).

        Raises:
            DomainError: another stock-take of the store is still open (resume it).
        """
        actor.require(Permission.COUNT_STOCK)
        user_id = _operator_id(actor)
        now = self._clock.now()
        with self._uow() as uow:
            repo = StocktakeRepository(uow.session)
            # The ledger lock: no movement can slip between the snapshot and its position.
            head = uow.ledger.lock_head(ledger_chain_name(actor.store_id))
            open_ones = repo.open_of_store(actor.store_id)
            if open_ones:
                raise DomainError(f"盘点单 {open_ones[0].doc_no} 尚未审批或作废，"
                                  "请继续该盘点（一个门店同时只能有一张未完成的盘点单）",
                                  rule_id="INV-4")
            day = now.astimezone(STORE_ZONE).date()
            code = repo.store_code(actor.store_id)
            number = uow.sales.next_number(f"stocktake:{code}:{day:%Y%m%d}")
            stocktake = Stocktake(
                store_id=actor.store_id, doc_no=stocktake_doc_no(code, day, number),
                started_by=user_id, started_at=now, note=note.strip()[:MAX_NOTE])
            repo.add(stocktake)
            repo.flush()
            batches = repo.take_snapshot(stocktake.id, actor.store_id)
            audit.record(uow, actor, START_ACTION, at=now, target_type="stocktake",
                         target_id=stocktake.id,
                         detail={"doc_no": stocktake.doc_no, "ledger_seq": head.last_seq,
                                 "book_batches": batches})
            info = _info(repo, stocktake, session_no=1)
            uow.commit()
            return info

    def open_stocktakes(self, actor: Actor) -> list[StocktakeInfo]:
        """The store's stock-takes not yet approved or cancelled (for resuming)."""
        actor.require(Permission.COUNT_STOCK)
        with self._uow(readonly=True) as uow:
            repo = StocktakeRepository(uow.session)
            return [_info(repo, s, session_no=0) for s in repo.open_of_store(actor.store_id)]

    def resume(self, actor: Actor, stocktake_id: int) -> StocktakeInfo:
        """Continue counting an open stock-take in a new session (what is counted stays)."""
        actor.require(Permission.COUNT_STOCK)
        with self._uow(readonly=True) as uow:
            repo = StocktakeRepository(uow.session)
            stocktake = _open_stocktake(repo, actor, stocktake_id)
            progress = repo.progress(stocktake.id)
            return _info(repo, stocktake, session_no=progress.last_session + 1)

    def info(self, actor: Actor, stocktake_id: int, session_no: int) -> StocktakeInfo:
        """Where a stock-take stands now (open or closed)."""
        actor.require(Permission.COUNT_STOCK)
        with self._uow(readonly=True) as uow:
            repo = StocktakeRepository(uow.session)
            return _info(repo, _stocktake_of(repo, actor, stocktake_id), session_no=session_no)

    # -- counting -------------------------------------------------------------------------

    def lots(self, actor: Actor, stocktake_id: int, barcode: str) -> list[LotRow]:
        """The store's batches of the product with this barcode, to choose the lot counted.

        Raises:
            NotFound: no product has the barcode, or the store has no batch of it.
        """
        actor.require(Permission.COUNT_STOCK)
        code = barcode.strip()
        if not code:
            raise DomainError("请扫描或输入商品条码")
        with self._uow(readonly=True) as uow:
            repo = StocktakeRepository(uow.session)
            stocktake = _stocktake_of(repo, actor, stocktake_id)
            product = repo.product_by_barcode(code)
            if product is None:
                raise NotFound(f"条码“{code[:30]}”不属于任何商品：请核对条码或先在商品目录中登记")
            lots = repo.lots(stocktake.id, actor.store_id, product.id)
            if not lots:
                raise NotFound(f"本店没有“{product.generic_name}”的任何批次："
                               "实物如属本店，请先办理收货验收再盘点")
            return lots

    def count(self, actor: Actor, stocktake_id: int, batch_id: int, quantity: int, *,
              in_packs: bool = False, session_no: int = 1) -> CountResult:
        """Record the units of one batch found on the shelf (the newest count stands).

        Raises:
            NotFound: no such stock-take or batch.
            DomainError: the batch belongs to another store, the stock-take is closed,
                the count is negative or absurd. Nothing is written then.
        """
        actor.require(Permission.COUNT_STOCK)
        user_id = _operator_id(actor)
        if isinstance(session_no, bool) or not isinstance(session_no, int) or session_no < 1:
            raise DomainError("盘点场次必须是正整数", rule_id="INV-4")
        now = self._clock.now()
        with self._uow() as uow:
            repo = StocktakeRepository(uow.session)
            # Locked: an approval on another terminal cannot close it under this count.
            stocktake = _open_stocktake(repo, actor, stocktake_id, lock=True)
            found = repo.batch(batch_id) if _is_id(batch_id) else None
            if found is None:
                raise NotFound(f"批次 {str(batch_id)[:20]} 不存在：请重新扫描商品条码并选择批号",
                               rule_id="INV-4")
            batch, product = found
            if batch.store_id != actor.store_id:
                raise DomainError(f"批次 {product.generic_name} {batch.lot_no} 属于其他门店，"
                                  "不能在本店盘点", rule_id="INV-4")
            units = counted_units(quantity, units_per_pack=product.units_per_pack,
                                  in_packs=in_packs)
            previous = repo.latest_count(stocktake.id, batch.id)
            repo.add(StocktakeCount(stocktake_id=stocktake.id, batch_id=batch.id,
                                    counted_units=units, session_no=session_no,
                                    counted_by=user_id, counted_at=now))
            repo.flush()
            result = CountResult(
                batch_id=batch.id, item_code=product.item_code, name=product.generic_name,
                lot_no=batch.lot_no, units=units, min_unit=product.min_unit,
                previous_units=previous, info=_info(repo, stocktake, session_no=session_no))
            uow.commit()
            return result

    def count_lot(self, actor: Actor, stocktake_id: int, barcode: str, lot_no: str,
                  quantity: int, *, in_packs: bool = False, session_no: int = 1) -> CountResult:
        """:meth:`count` by scanned barcode and the lot number printed on the box.

        Raises:
            NotFound: unknown barcode, or the store has no batch with that lot number.
        """
        lot = lot_no.strip()
        matches = [row for row in self.lots(actor, stocktake_id, barcode)
                   if row.lot_no.upper() == lot.upper()]
        if not matches:
            raise NotFound(f"本店没有批号“{lot[:30]}”的该商品：请核对药盒上的批号",
                           rule_id="INV-4")
        if len(matches) > 1:
            raise DomainError(f"批号“{lot}”有 {len(matches)} 个批次：请在列表中选择",
                              rule_id="INV-4")
        return self.count(actor, stocktake_id, matches[0].batch_id, quantity,
                          in_packs=in_packs, session_no=session_no)

    # -- the difference list ----------------------------------------------------------------

    def differences(self, actor: Actor, stocktake_id: int) -> DifferenceList:
        """Every counted batch against its book stock at the count, with values."""
        actor.require(Permission.COUNT_STOCK)
        with self._uow(readonly=True) as uow:
            repo = StocktakeRepository(uow.session)
            stocktake = _stocktake_of(repo, actor, stocktake_id)
            counted, candidates = repo.counted_batches(stocktake, repo.snapshot_seq(stocktake))
            return difference_list(candidates, counted_batches=counted)

    def uncounted(self, actor: Actor, stocktake_id: int) -> list[UncountedRow]:
        """Batches of the snapshot nobody counted: approval leaves them as booked."""
        actor.require(Permission.COUNT_STOCK)
        with self._uow(readonly=True) as uow:
            repo = StocktakeRepository(uow.session)
            return repo.uncounted(_stocktake_of(repo, actor, stocktake_id).id)

    # -- closing --------------------------------------------------------------------------

    def approve(self, actor: Actor, stocktake_id: int, *, approver: str,
                approver_password: str, note: str = "",
                seen_count_id: int | None = None) -> ApprovalResult:
        """A store manager approves: gain and loss entries for every differing counted batch.

        Args:
            actor: who is at the terminal (a counter).
            approver, approver_password: the manager's credentials, typed at the terminal.
            note: the manager's remark.
            seen_count_id: ``last_count_id`` of the list the manager looked at; if counts
                were added since, the approval is refused so nobody approves unseen numbers.

        Raises:
            AuthenticationFailed / PermissionDenied: wrong credentials, not a manager.
            DomainError: closed already, counts changed since ``seen_count_id``, nothing
                counted, or the approver made every count alone (INV-4: a second person).
        """
        actor.require(Permission.COUNT_STOCK)
        manager = self._approver(actor, approver, approver_password, "盘点差异")
        assert manager.user_id is not None
        now = self._clock.now()
        with self._uow() as uow:
            repo = StocktakeRepository(uow.session)
            stocktake = _open_stocktake(repo, actor, stocktake_id, lock=True)
            if manager.store_id != stocktake.store_id:
                raise PermissionDenied("审批人不是本店店长", rule_id="INV-4")
            # Lock the ledger before reading it: the book the differences are computed
            # against cannot move until the entries are in.
            uow.ledger.lock_head(ledger_chain_name(stocktake.store_id))
            progress = repo.progress(stocktake.id)
            if seen_count_id is not None and progress.last_count_id != seen_count_id:
                raise DomainError("审批期间又有新的盘点数据录入：请刷新差异表，核对后重新审批",
                                  rule_id="INV-4")
            if progress.counts == 0:
                raise DomainError("尚未盘点任何批次，无可审批的差异：如不再盘点请作废此单",
                                  rule_id="INV-4")
            if repo.counters(stocktake.id) == {manager.user_id}:
                raise DomainError("所有批次均由审批人本人清点：盘点结果须由另一人复核，"
                                  "请由其他盘点人员复盘后再审批", rule_id="INV-4")
            counted, candidates = repo.counted_batches(stocktake, repo.snapshot_seq(stocktake))
            diffs = difference_list(candidates, counted_batches=counted)
            moves = [_movement(line, stocktake.doc_no) for line in diffs.differing]
            _check_not_negative(repo, diffs)
            if moves:
                uow.ledger.append(stocktake.store_id, moves, operator_id=manager.user_id,
                                  occurred_at=now)
            repo.add(StocktakeClosing(stocktake_id=stocktake.id, decision=APPROVED,
                                      approved_by=manager.user_id, closed_at=now,
                                      note=note.strip()[:MAX_NOTE]))
            # 3501 (商品盘存): what was counted, reported with the approval (INV-6).
            repo.add(OutboxMessage(
                store_id=stocktake.store_id, created_at=now, infno="3501",
                doc_no=stocktake.doc_no[:40], msgid=f"{stocktake.doc_no}:3501",
                payload=json.dumps(stocktake_payload(
                    stocktake.doc_no, [CountedItem(
                        store_id=stocktake.store_id, stocktake_id=stocktake.id,
                        batch_id=batch.id, item_code=product.item_code,
                        name=product.generic_name, national_code=product.med_list_codg or "",
                        is_prescription=product.is_prescription, units=units,
                        units_per_pack=product.units_per_pack, lot_no=batch.lot_no,
                        manufacture_date=batch.manufacture_date,
                        expiry_date=batch.expiry_date,
                        listed=is_listed(product.med_list_codg, product.insurance_class))
                        for units, batch, product in repo.final_counts(stocktake.id)],
                    at=now), ensure_ascii=False)))
            uncounted = progress.book_batches - progress.counted_in_book
            audit.record(uow, manager, "stocktake.approve", at=now, target_type="stocktake",
                         target_id=stocktake.id, detail={
                             "doc_no": stocktake.doc_no, "entries": len(moves),
                             "counted_batches": progress.counted_batches,
                             "uncounted_batches": uncounted,
                             "gain_value": str(diffs.gain_value),
                             "loss_value": str(diffs.loss_value),
                             "at_terminal_of": actor.username})
            uow.commit()
        return ApprovalResult(
            doc_no=stocktake.doc_no, approved_by=manager.display_name, entries=len(moves),
            gain_units=diffs.gain_units, loss_units=diffs.loss_units,
            gain_value=diffs.gain_value, loss_value=diffs.loss_value,
            uncounted_batches=uncounted, closed_at=now)

    def cancel(self, actor: Actor, stocktake_id: int, *, approver: str,
               approver_password: str, reason: str) -> None:
        """A store manager cancels the stock-take: nothing is booked, counts stay on record.

        Raises:
            DomainError: no reason, closed already; AuthenticationFailed / PermissionDenied.
        """
        actor.require(Permission.COUNT_STOCK)
        why = reason.strip()
        if not why:
            raise DomainError("请填写作废原因", rule_id="INV-4")
        # Cancelling books nothing: the manager at the terminal may cancel alone.
        manager = second_person(self._authenticate, actor, approver, approver_password,
                                what="盘点作废", rule_id="INV-4", distinct=False)
        assert manager.user_id is not None
        now = self._clock.now()
        with self._uow() as uow:
            repo = StocktakeRepository(uow.session)
            stocktake = _open_stocktake(repo, actor, stocktake_id, lock=True)
            repo.add(StocktakeClosing(stocktake_id=stocktake.id, decision=CANCELLED,
                                      approved_by=manager.user_id, closed_at=now,
                                      note=why[:MAX_NOTE]))
            audit.record(uow, manager, "stocktake.cancel", at=now, target_type="stocktake",
                         target_id=stocktake.id,
                         detail={"doc_no": stocktake.doc_no, "reason": why[:MAX_NOTE]})
            uow.commit()

    def _approver(self, actor: Actor, username: str, password: str, what: str) -> Actor:
        # Gain and loss entries are a stock adjustment: a manager who is not the person
        # at the terminal approves with their own credentials (INV-4, SEC-2).
        return second_person(self._authenticate, actor, username, password,
                             what=what, rule_id="INV-4")


# -- helpers ----------------------------------------------------------------------------------

def _operator_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise DomainError("命令行操作员不能盘点：请以盘点人员身份登录")
    return actor.user_id


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62


def _stocktake_of(repo: StocktakeRepository, actor: Actor, stocktake_id: int, *,
                  lock: bool = False) -> Stocktake:
    stocktake = repo.get(stocktake_id, lock=lock) if _is_id(stocktake_id) else None
    if stocktake is None or stocktake.store_id != actor.store_id:
        raise NotFound(f"找不到盘点单 {str(stocktake_id)[:20]}（不存在或不属于本店）",
                       rule_id="INV-4")
    return stocktake


def _open_stocktake(repo: StocktakeRepository, actor: Actor, stocktake_id: int, *,
                    lock: bool = False) -> Stocktake:
    stocktake = _stocktake_of(repo, actor, stocktake_id, lock=lock)
    closing = repo.closing_of(stocktake.id)
    if closing is not None:
        what = "审批入账" if closing.decision == APPROVED else "作废"
        raise DomainError(f"盘点单 {stocktake.doc_no} 已{what}，不能再录入或修改："
                          "如需重新盘点请新建盘点单", rule_id="INV-4")
    return stocktake


def _info(repo: StocktakeRepository, stocktake: Stocktake, *, session_no: int) -> StocktakeInfo:
    progress = repo.progress(stocktake.id)
    closing = repo.closing_of(stocktake.id)
    return StocktakeInfo(
        stocktake_id=stocktake.id, doc_no=stocktake.doc_no, started_at=stocktake.started_at,
        started_by=repo.user_name(stocktake.started_by), session_no=session_no,
        book_batches=progress.book_batches, counted_batches=progress.counted_batches,
        uncounted_batches=progress.book_batches - progress.counted_in_book,
        counts=progress.counts, last_count_id=progress.last_count_id,
        decision=None if closing is None else closing.decision)


def _movement(line: DifferenceLine, doc_no: str) -> StockMovement:
    gain = line.difference > 0
    return StockMovement(
        batch_id=line.batch_id, product_id=line.product_id,
        entry_type=LedgerEntryType.STOCKTAKE_GAIN if gain else LedgerEntryType.STOCKTAKE_LOSS,
        quantity=line.difference, unit_cost=line.unit_cost,
        units_per_pack=line.units_per_pack, doc_type=DOC_TYPE_STOCKTAKE, doc_no=doc_no,
        note=f"盘点 {line.counted_units}{line.min_unit}，账面 {line.book_units}{line.min_unit}")


def _check_not_negative(repo: StocktakeRepository, diffs: DifferenceList) -> None:
    # A loss larger than what is left means more went out after the count than was
    # counted: the count is wrong. Say which batch, rather than the ledger's bare refusal.
    losses = [line for line in diffs.differing if line.difference < 0]
    stock = repo.balances([line.batch_id for line in losses])
    for line in losses:
        if stock.get(line.batch_id, 0) + line.difference < 0:
            raise DomainError(
                f"“{line.name}”批号 {line.lot_no}：盘亏 {-line.difference}{line.min_unit}"
                f"超过现有库存 {stock.get(line.batch_id, 0)}{line.min_unit}"
                "（盘点后出库多于实盘数），请复盘该批次后再审批", rule_id="INV-4")

