"""Repositories: every query the services need, so services never write SQL.

They work inside a unit of work's session and return ORM objects, which services turn
into frozen DTOs before they leave the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, event, func, or_, select
from sqlalchemy.orm import Session, SessionTransaction

from pharmacy_pos.db.chain_scan import payload_sql
from pharmacy_pos.db.models import (
    AuditRecord,
    Batch,
    CardBlacklistEntry,
    CardRead,
    ChainHead,
    InsuredPerson,
    LedgerEntry,
    OutboxMessage,
    Product,
    ProductBarcode,
    ProxyDeclaration,
    StockBalance,
    Store,
    Supplier,
    User,
)
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.hashchain import GENESIS_HASH, canonical_time, link_hash
from pharmacy_pos.domain.ledger import (
    ChainRow,
    StockMovement,
    audit_chain_name,
    ledger_chain_name,
)
from pharmacy_pos.domain.money import to_minor
from pharmacy_pos.domain.picking import BatchStock
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.uploads import MovedItem, infno_for, is_listed, upload_payload

VERIFY_BATCH_ROWS = 20_000


# Built once: a scan must not pay for constructing its statement every time.
_PRODUCT_BY_BARCODE = (
    select(Product)
    .join(ProductBarcode, ProductBarcode.product_id == Product.id)
    .where(ProductBarcode.barcode == bindparam("code"))
)
_PRODUCT_BY_NATIONAL_CODE = select(Product).where(Product.med_list_codg == bindparam("code"))


class StoreRepository:
    """Stores and their chain heads."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_code(self, code: str) -> Store | None:
        """The store with this designated-pharmacy code."""
        return self.session.scalars(select(Store).where(Store.code == code)).one_or_none()

    def all(self) -> Sequence[Store]:
        """Every store, by id."""
        return self.session.scalars(select(Store).order_by(Store.id)).all()

    def add(self, store: Store) -> Store:
        """Insert a store and create the heads of its two chains."""
        self.session.add(store)
        self.session.flush()
        for name in (ledger_chain_name(store.id), audit_chain_name(store.id)):
            self.session.add(ChainHead(name=name, last_seq=0, last_hash=GENESIS_HASH))
        self.session.flush()
        return store


class UserRepository:
    """Staff accounts."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_username(self, username: str) -> User | None:
        """A user by log-in name (exact)."""
        return self.session.scalars(select(User).where(User.username == username)).one_or_none()

    def get(self, user_id: int) -> User | None:
        """A user by id."""
        return self.session.get(User, user_id)

    def list(self, store_id: int | None = None) -> Sequence[User]:
        """Users, frozen ones included, by name."""
        query = select(User).order_by(User.username)
        if store_id is not None:
            query = query.where(User.store_id == store_id)
        return self.session.scalars(query).all()

    def add(self, user: User) -> User:
        """Insert a user."""
        self.session.add(user)
        self.session.flush()
        return user

    def count(self, store_id: int | None = None) -> int:
        """How many accounts exist (of one store, when given)."""
        query = select(func.count()).select_from(User)
        if store_id is not None:
            query = query.where(User.store_id == store_id)
        return self.session.scalar(query) or 0


class ProductRepository:
    """The product catalogue and its barcodes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_barcode(self, barcode: str) -> Product | None:
        """The product carrying this barcode (the scanner's hot path)."""
        return self.session.scalars(_PRODUCT_BY_BARCODE, {"code": barcode}).one_or_none()

    def by_national_code(self, code: str) -> Product | None:
        """The product with this national insurance code (med_list_codg)."""
        return self.session.scalars(_PRODUCT_BY_NATIONAL_CODE, {"code": code}).one_or_none()

    def by_item_codes(self, codes: Iterable[str]) -> dict[str, Product]:
        """Existing products by the store's item code."""
        wanted = list(set(codes))
        found: dict[str, Product] = {}
        for chunk in _chunks(wanted, 500):
            for product in self.session.scalars(
                select(Product).where(Product.item_code.in_(chunk))
            ):
                found[product.item_code] = product
        return found

    def barcode_owners(self, barcodes: Iterable[str]) -> dict[str, str]:
        """For each barcode already in use, the item code of the product holding it."""
        wanted = list(set(barcodes))
        owners: dict[str, str] = {}
        for chunk in _chunks(wanted, 500):
            rows = self.session.execute(
                select(ProductBarcode.barcode, Product.item_code)
                .join(Product, Product.id == ProductBarcode.product_id)
                .where(ProductBarcode.barcode.in_(chunk))
            )
            owners.update({barcode: item for barcode, item in rows})
        return owners

    def national_code_owners(self, codes: Iterable[str]) -> dict[str, str]:
        """For each national code already in use, the item code holding it."""
        wanted = [c for c in set(codes) if c]
        owners: dict[str, str] = {}
        for chunk in _chunks(wanted, 500):
            rows = self.session.execute(
                select(Product.med_list_codg, Product.item_code).where(
                    Product.med_list_codg.in_(chunk)
                )
            )
            owners.update({code: item for code, item in rows if code})
        return owners

    def add(self, product: Product) -> Product:
        """Insert a product (with its barcodes)."""
        self.session.add(product)
        return product

    def flush(self) -> None:
        """Send pending changes so constraints are checked now."""
        self.session.flush()

    def count(self) -> int:
        """How many products exist."""
        return self.session.scalar(select(func.count()).select_from(Product)) or 0

    def all(self) -> Sequence[Product]:
        """Every product, by item code."""
        return self.session.scalars(select(Product).order_by(Product.item_code)).all()

    def search_with_stock(
        self, text: str, store_id: int, limit: int
    ) -> list[tuple[Product, int, tuple[str, ...]]]:
        """Products matching ``text`` with their units on hand in the store and barcodes.

        ``text`` matches a barcode or national code exactly, or the item code, generic or
        trade name or pinyin initials as a substring (``%`` and ``_`` taken literally).
        Empty text matches every product. At most ``limit`` rows, by item code.
        """
        stock = (
            select(StockBalance.product_id, func.sum(StockBalance.quantity).label("units"))
            .where(StockBalance.store_id == store_id)
            .group_by(StockBalance.product_id)
            .subquery()
        )
        query = select(Product, func.coalesce(stock.c.units, 0)).outerjoin(
            stock, stock.c.product_id == Product.id
        )
        if text:
            like = _like_pattern(text)
            query = query.where(or_(
                Product.id.in_(
                    select(ProductBarcode.product_id).where(ProductBarcode.barcode == text)
                ),
                Product.med_list_codg == text,
                Product.item_code.ilike(like, escape="\\"),
                Product.generic_name.like(like, escape="\\"),
                Product.trade_name.like(like, escape="\\"),
                Product.pinyin_initials.like(_like_pattern(text.upper()), escape="\\"),
            ))
        found = self.session.execute(query.order_by(Product.item_code).limit(limit)).all()
        ids = [product.id for product, _ in found]
        barcodes: dict[int, list[str]] = {}
        for chunk in _chunks(ids, 500):
            for product_id, barcode in self.session.execute(
                select(ProductBarcode.product_id, ProductBarcode.barcode)
                .where(ProductBarcode.product_id.in_(chunk))
                .order_by(ProductBarcode.id)
            ):
                barcodes.setdefault(product_id, []).append(barcode)
        return [(p, int(units), tuple(barcodes.get(p.id, ()))) for p, units in found]


class SupplierRepository:
    """Suppliers."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, supplier: Supplier) -> Supplier:
        """Insert a supplier."""
        self.session.add(supplier)
        self.session.flush()
        return supplier


class BatchRepository:
    """Batches of stock."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, batch: Batch) -> Batch:
        """Insert a batch."""
        self.session.add(batch)
        self.session.flush()
        return batch

    def get(self, batch_id: int) -> Batch | None:
        """A batch by id."""
        return self.session.get(Batch, batch_id)

    def count(self, store_id: int | None = None) -> int:
        """How many batches exist (of one store, when given)."""
        query = select(func.count()).select_from(Batch)
        if store_id is not None:
            query = query.where(Batch.store_id == store_id)
        return self.session.scalar(query) or 0

    def stock_of_products(self, product_ids: Iterable[int], store_id: int,
                          ) -> dict[int, list[BatchStock]]:
        """:meth:`sellable_stock` for several products in one query."""
        wanted = list(set(product_ids))
        result: dict[int, list[BatchStock]] = {pid: [] for pid in wanted}
        if not wanted:
            return result
        rows = self.session.execute(
            select(Batch.product_id, Batch.id, Batch.lot_no, Batch.expiry_date, Batch.status,
                   Batch.split_from_id, StockBalance.quantity)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .where(Batch.product_id.in_(wanted), StockBalance.store_id == store_id,
                   StockBalance.quantity > 0)
            .order_by(Batch.expiry_date, Batch.id)
        )
        for row in rows:
            result[row.product_id].append(BatchStock(
                batch_id=row.id, lot_no=row.lot_no, expiry_date=row.expiry_date,
                status=row.status, units=row.quantity, opened=row.split_from_id is not None))
        return result

    def sellable_stock(self, product_id: int, store_id: int) -> list[BatchStock]:
        """A product's batches with stock in a store, earliest expiry (then id) first.

        Every status is returned, not only sellable ones: ``pick_fefo`` decides what may
        be sold and says how much stock exists but is expired or locked (SALE-5). Units
        come from the cached balance, which ``verify`` checks against the ledger (INV-1).
        """
        rows = self.session.execute(
            select(Batch.id, Batch.lot_no, Batch.expiry_date, Batch.status,
                   Batch.split_from_id, StockBalance.quantity)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .where(Batch.product_id == product_id, StockBalance.store_id == store_id,
                   StockBalance.quantity > 0)
            .order_by(Batch.expiry_date, Batch.id)
        )
        return [BatchStock(batch_id=row.id, lot_no=row.lot_no, expiry_date=row.expiry_date,
                           status=row.status, units=row.quantity,
                           opened=row.split_from_id is not None) for row in rows]


# Session.info key: the chain heads this transaction holds locked (cleared at its end).
_LOCKED_HEADS = "pos_locked_heads"


@event.listens_for(Session, "after_transaction_end")
def _forget_locked_heads(session: Session, transaction: SessionTransaction) -> None:
    # The locks end with the transaction; the next one must lock (and read) afresh.
    if transaction.parent is None:
        session.info.pop(_LOCKED_HEADS, None)


class _ChainWriter:
    """Appends links to a named chain under a row lock on its head."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_head(self, name: str) -> ChainHead:
        """The head of chain ``name``, locked until the transaction ends."""
        # FOR UPDATE serialises appends on PostgreSQL; on SQLite the write transaction
        # (BEGIN IMMEDIATE) already holds the database's single write lock.
        locked: dict[str, ChainHead] = self.session.info.setdefault(_LOCKED_HEADS, {})
        head = locked.get(name)
        if head is None:
            head = self.session.scalars(
                select(ChainHead).where(ChainHead.name == name).with_for_update()
                .execution_options(populate_existing=True)
            ).one_or_none()
            if head is None:
                raise DomainError(f"找不到哈希链 {name}，数据库未正确初始化")
            locked[name] = head
        return head

    def lock_heads(self, *names: str) -> None:
        """Lock several chain heads with one statement, in the order given.

        A use case that appends to more than one chain (a sale: ledger, then audit) saves
        a round trip while it holds the store's locks. Always name them in the same order
        (ledger before audit) so two terminals never wait on each other crosswise.
        """
        locked: dict[str, ChainHead] = self.session.info.setdefault(_LOCKED_HEADS, {})
        wanted = [n for n in names if n not in locked]
        if not wanted:
            return
        heads = {h.name: h for h in self.session.scalars(
            select(ChainHead).where(ChainHead.name.in_(wanted))
            .order_by(case({name: i for i, name in enumerate(wanted)}, value=ChainHead.name))
            .with_for_update().execution_options(populate_existing=True))}
        for name in wanted:
            if name not in heads:
                raise DomainError(f"找不到哈希链 {name}，数据库未正确初始化")
            locked[name] = heads[name]


class LedgerRepository(_ChainWriter):
    """The append-only stock ledger and the cached balances derived from it."""

    def append(
        self,
        store_id: int,
        movements: Sequence[StockMovement],
        *,
        operator_id: int,
        occurred_at: datetime,
    ) -> list[LedgerEntry]:
        """Append movements as chained entries and update the cached balances.

        Raises:
            DomainError: a movement would take a batch below zero (INV-1).
        """
        head = self.lock_head(ledger_chain_name(store_id))
        # One locking read for every balance the movements touch, not one per movement.
        balances = {b.batch_id: b for b in self.session.scalars(
            select(StockBalance)
            .where(StockBalance.batch_id.in_({m.batch_id for m in movements}))
            .with_for_update().execution_options(populate_existing=True))}
        entries: list[LedgerEntry] = []
        when = canonical_time(occurred_at)
        for move in movements:
            seq = head.last_seq + 1
            amount = move.amount
            fields = (
                store_id, seq, move.batch_id, move.product_id, move.entry_type.value,
                move.quantity, to_minor(move.unit_cost, 4), to_minor(amount, 2),
                operator_id, when, move.doc_type, move.doc_no, move.reverses_id, move.note,
            )
            digest = link_hash(head.last_hash, fields)
            entry = LedgerEntry(
                store_id=store_id, chain_seq=seq, batch_id=move.batch_id,
                product_id=move.product_id, entry_type=move.entry_type,
                quantity=move.quantity, unit_cost=move.unit_cost, amount=amount,
                operator_id=operator_id, occurred_at=occurred_at, doc_type=move.doc_type,
                doc_no=move.doc_no, reverses_id=move.reverses_id, note=move.note,
                prev_hash=head.last_hash, entry_hash=digest,
            )
            self.session.add(entry)
            self._apply_to_balance(store_id, move, balances)
            head.last_seq = seq
            head.last_hash = digest
            entries.append(entry)
        self.session.flush()
        self._queue_uploads(store_id, entries, operator_id, occurred_at)
        return entries

    def _queue_uploads(self, store_id: int, entries: list[LedgerEntry], operator_id: int,
                       occurred_at: datetime) -> None:
        """Write the 进销存 upload records these entries owe the insurer (INV-6), in the
        same transaction; the till writes its own (3505/3506) with the settlement."""
        groups: dict[tuple[str, str], list[LedgerEntry]] = {}
        for entry in entries:
            infno = infno_for(entry.entry_type)
            if infno is not None:
                groups.setdefault((entry.doc_no, infno), []).append(entry)
        if not groups:
            return
        involved = [e for group in groups.values() for e in group]
        products = {p.id: p for p in self.session.scalars(
            select(Product).where(Product.id.in_({e.product_id for e in involved})))}
        batches = {b.id: b for b in self.session.scalars(
            select(Batch).where(Batch.id.in_({e.batch_id for e in involved})))}
        suppliers = {s.id: s for s in self.session.scalars(
            select(Supplier).where(Supplier.id.in_(
                {b.supplier_id for b in batches.values() if b.supplier_id})))}
        purchase_seqs: dict[int, int] = {}
        if any(infno == "3504" for _, infno in groups):
            # A purchase return names the purchase record it undoes (medins_prod_purc_no).
            purchase_seqs = dict(self.session.execute(
                select(LedgerEntry.batch_id, func.min(LedgerEntry.chain_seq))
                .where(LedgerEntry.store_id == store_id,
                       LedgerEntry.entry_type == LedgerEntryType.PURCHASE_IN,
                       LedgerEntry.batch_id.in_({e.batch_id for e in involved}))
                .group_by(LedgerEntry.batch_id)).all())
        operator = self.session.get(User, operator_id)
        for (doc_no, infno), group in groups.items():
            items = []
            for entry in group:
                product, batch = products[entry.product_id], batches[entry.batch_id]
                supplier = suppliers.get(batch.supplier_id) if batch.supplier_id else None
                items.append(MovedItem(
                    entry_type=entry.entry_type, quantity=entry.quantity,
                    unit_cost=entry.unit_cost, batch_id=batch.id, lot_no=batch.lot_no,
                    manufacture_date=batch.manufacture_date, expiry_date=batch.expiry_date,
                    item_code=product.item_code, name=product.generic_name,
                    national_code=product.med_list_codg or "",
                    is_prescription=product.is_prescription,
                    split=batch.split_from_id is not None, note=entry.note,
                    store_id=store_id, seq=entry.chain_seq,
                    supplier_name=supplier.name if supplier else "",
                    supplier_licence=supplier.licence_no if supplier else "",
                    manufacturer=product.manufacturer, approval_no=product.approval_no,
                    purchase_seq=purchase_seqs.get(batch.id),
                    listed=is_listed(product.med_list_codg, product.insurance_class)))
            payload = upload_payload(infno, doc_no, items, at=occurred_at,
                                     operator=operator.display_name if operator else "")
            self.session.add(OutboxMessage(
                store_id=store_id, created_at=occurred_at, infno=infno, doc_no=doc_no[:40],
                msgid=f"{store_id}:{group[0].chain_seq}:{infno}",
                payload=json.dumps(payload, ensure_ascii=False)))

    def _apply_to_balance(self, store_id: int, move: StockMovement,
                          balances: dict[int, StockBalance]) -> None:
        balance = balances.get(move.batch_id)
        if balance is None:
            balance = StockBalance(
                batch_id=move.batch_id, store_id=store_id, product_id=move.product_id,
                quantity=0, version=0,
            )
            self.session.add(balance)
            balances[move.batch_id] = balance
        new_quantity = balance.quantity + move.quantity
        if new_quantity < 0:
            raise DomainError(
                f"批次 {move.batch_id} 库存不足: 现有 {balance.quantity}，"
                f"变动 {move.quantity}",
                rule_id="INV-1",
            )
        balance.quantity = new_quantity
        balance.version += 1

    def balance_of(self, batch_id: int) -> int:
        """Stock of a batch as the sum of its ledger entries (the truth)."""
        total = self.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.quantity), 0)).where(
                LedgerEntry.batch_id == batch_id
            )
        )
        return int(total or 0)

    def cached_balance_of(self, batch_id: int) -> int | None:
        """The cached balance of a batch, if any."""
        balance = self.session.get(StockBalance, batch_id)
        return None if balance is None else balance.quantity

    def count(self, store_id: int | None = None) -> int:
        """How many entries the ledger holds (of one store, when given)."""
        query = select(func.count()).select_from(LedgerEntry)
        if store_id is not None:
            query = query.where(LedgerEntry.store_id == store_id)
        return self.session.scalar(query) or 0

    def chain_rows(self, store_id: int, lo: int = 1, hi: int = 2**62) -> Iterator[ChainRow]:
        """Stream a store's ledger links ``lo..hi`` in chain order (see ``ChainRow``)."""
        return _stream_chain(self.session, "ledger_entries", store_id, lo, hi)

    def balance_problems(self) -> tuple[list[tuple[int, int | None, int]], list[tuple[int, int]]]:
        """Batches whose cached balance differs from the ledger's sum, and batches whose
        sum is negative: ([(batch, cached or None, ledger sum)], [(batch, sum)]).

        Summed by the database over the covering index (batch_id, quantity).
        """
        sums = (
            select(LedgerEntry.batch_id, func.sum(LedgerEntry.quantity).label("total"))
            .group_by(LedgerEntry.batch_id)
            .subquery()
        )
        differ = self.session.execute(
            select(StockBalance.batch_id, StockBalance.quantity,
                   func.coalesce(sums.c.total, 0))
            .outerjoin(sums, sums.c.batch_id == StockBalance.batch_id)
            .where(StockBalance.quantity != func.coalesce(sums.c.total, 0))
        ).all()
        uncached = self.session.execute(
            select(sums.c.batch_id, sums.c.total)
            .outerjoin(StockBalance, StockBalance.batch_id == sums.c.batch_id)
            .where(StockBalance.batch_id.is_(None))
        ).all()
        mismatches = sorted(
            [(int(b), int(c), int(t)) for b, c, t in differ]
            + [(int(b), None, int(t)) for b, t in uncached]
        )
        negative = self.session.execute(
            select(sums.c.batch_id, sums.c.total).where(sums.c.total < 0)
            .order_by(sums.c.batch_id)
        ).all()
        return mismatches, [(int(b), int(t)) for b, t in negative]

    def ledger_sums(self) -> dict[int, int]:
        """Sum of entries per batch."""
        rows = self.session.execute(
            select(LedgerEntry.batch_id, func.sum(LedgerEntry.quantity)).group_by(
                LedgerEntry.batch_id
            )
        )
        return {batch: int(total) for batch, total in rows}

    def chain_extent(self, table: str, store_id: int) -> int:
        """The highest chain_seq of a store's chain in ``table`` (0 when empty)."""
        model = {"ledger_entries": LedgerEntry, "audit_log": AuditRecord}[table]
        return int(self.session.scalar(
            select(func.coalesce(func.max(model.chain_seq), 0)).where(model.store_id == store_id)
        ) or 0)

    def row_id_at(self, table: str, store_id: int, seq: int) -> int | None:
        """The primary key of link ``seq`` of a store's chain in ``table``, if it exists."""
        model = {"ledger_entries": LedgerEntry, "audit_log": AuditRecord}[table]
        return self.session.scalar(
            select(model.id).where(model.store_id == store_id, model.chain_seq == seq)
        )

    def database_file(self) -> str | None:
        """The SQLite file behind this session, for readers in other processes."""
        bind = self.session.get_bind()
        if bind.dialect.name != "sqlite":
            return None
        database = bind.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return database

    def heads(self) -> dict[str, tuple[int, str]]:
        """Every chain head: name -> (last seq, last hash)."""
        rows = self.session.execute(
            select(ChainHead.name, ChainHead.last_seq, ChainHead.last_hash)
        )
        return {name: (int(seq), digest) for name, seq, digest in rows}


class AuditRepository(_ChainWriter):
    """The append-only, hash-chained audit log (SEC-4)."""

    def append(
        self,
        store_id: int,
        *,
        occurred_at: datetime,
        actor_id: int | None,
        actor_name: str,
        terminal_id: str,
        action: str,
        target_type: str,
        target_id: str,
        detail: str,
    ) -> AuditRecord:
        """Append one record to the store's audit chain."""
        head = self.lock_head(audit_chain_name(store_id))
        seq = head.last_seq + 1
        fields = (
            store_id, seq, canonical_time(occurred_at), actor_id, actor_name, terminal_id,
            action, target_type, target_id, detail,
        )
        digest = link_hash(head.last_hash, fields)
        record = AuditRecord(
            store_id=store_id, chain_seq=seq, occurred_at=occurred_at, actor_id=actor_id,
            actor_name=actor_name, terminal_id=terminal_id, action=action,
            target_type=target_type, target_id=target_id, detail=detail,
            prev_hash=head.last_hash, entry_hash=digest,
        )
        self.session.add(record)
        head.last_seq = seq
        head.last_hash = digest
        # Written with the use case's next flush or its commit (in the order appended),
        # so a head updated by two chains in one use case costs one batched UPDATE.
        return record

    def chain_rows(self, store_id: int, lo: int = 1, hi: int = 2**62) -> Iterator[ChainRow]:
        """Stream a store's audit links ``lo..hi`` in chain order (see ``ChainRow``)."""
        return _stream_chain(self.session, "audit_log", store_id, lo, hi)

    def recent(self, store_id: int, limit: int = 100) -> Sequence[AuditRecord]:
        """The newest records of a store."""
        return self.session.scalars(
            select(AuditRecord)
            .where(AuditRecord.store_id == store_id)
            .order_by(AuditRecord.chain_seq.desc())
            .limit(limit)
        ).all()

    def by_action(self, action: str) -> Sequence[AuditRecord]:
        """Every record of one action, oldest first."""
        return self.session.scalars(
            select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id)
        ).all()


class IdentityRepository:
    """Insured persons, card reads, the card blacklist and proxy declarations."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def person_by_ssn(self, ssn: str) -> InsuredPerson | None:
        """The insured person with this social-security number."""
        return self.session.scalars(
            select(InsuredPerson).where(InsuredPerson.ssn == ssn)
        ).one_or_none()

    def person(self, person_id: int) -> InsuredPerson | None:
        """An insured person by id."""
        return self.session.get(InsuredPerson, person_id)

    def proxy_for_read(self, read_id: int) -> ProxyDeclaration | None:
        """The proxy declaration made on a card read, if any."""
        return self.session.scalars(
            select(ProxyDeclaration).where(ProxyDeclaration.card_read_id == read_id)
            .order_by(ProxyDeclaration.id.desc())
        ).first()

    def add(self, item: object) -> None:
        """Insert a person, read, blacklist entry or declaration; flushed at once."""
        self.session.add(item)
        self.session.flush()

    def read(self, read_id: int) -> CardRead | None:
        """A card read by id."""
        return self.session.get(CardRead, read_id)

    def reads_of_card_between(
        self, store_id: int, card_number: str, start: datetime, end: datetime
    ) -> int:
        """How many reads of one card the store recorded in ``[start, end)``."""
        return self.session.scalar(
            select(func.count()).select_from(CardRead).where(
                CardRead.store_id == store_id, CardRead.card_number == card_number,
                CardRead.read_at >= start, CardRead.read_at < end,
            )
        ) or 0

    def active_blacklist_entry(self, card_number: str) -> CardBlacklistEntry | None:
        """The card's blacklist entry that is still in force."""
        return self.session.scalars(
            select(CardBlacklistEntry)
            .where(CardBlacklistEntry.card_number == card_number,
                   CardBlacklistEntry.lifted_at.is_(None))
            .order_by(CardBlacklistEntry.id)
        ).first()

    def active_blacklist_numbers(self, card_numbers: Iterable[str]) -> set[str]:
        """Which of ``card_numbers`` are blacklisted now."""
        wanted = list(set(card_numbers))
        found: set[str] = set()
        for chunk in _chunks(wanted, 500):
            found.update(self.session.scalars(
                select(CardBlacklistEntry.card_number).where(
                    CardBlacklistEntry.card_number.in_(chunk),
                    CardBlacklistEntry.lifted_at.is_(None))
            ))
        return found

    def blacklist(self, include_lifted: bool = False) -> Sequence[CardBlacklistEntry]:
        """Blacklist entries, newest first."""
        query = select(CardBlacklistEntry).order_by(CardBlacklistEntry.id.desc())
        if not include_lifted:
            query = query.where(CardBlacklistEntry.lifted_at.is_(None))
        return self.session.scalars(query).all()

    def reads_between(self, store_id: int, start: datetime, end: datetime) -> Sequence[CardRead]:
        """A store's card reads in ``[start, end)``, oldest first."""
        return self.session.scalars(
            select(CardRead).where(CardRead.store_id == store_id, CardRead.read_at >= start,
                                   CardRead.read_at < end).order_by(CardRead.id)
        ).all()

    def proxies_between(
        self, store_id: int, start: datetime, end: datetime
    ) -> list[tuple[ProxyDeclaration, CardRead]]:
        """Proxy declarations (with their card reads) in ``[start, end)``."""
        rows = self.session.execute(
            select(ProxyDeclaration, CardRead)
            .join(CardRead, CardRead.id == ProxyDeclaration.card_read_id)
            .where(CardRead.store_id == store_id, ProxyDeclaration.recorded_at >= start,
                   ProxyDeclaration.recorded_at < end)
            .order_by(ProxyDeclaration.id)
        ).all()
        return [(p, r) for p, r in rows]


def _stream_chain(
    session: Session, table: str, store_id: int, lo: int, hi: int
) -> Iterator[ChainRow]:
    # Raw driver rows with the payload built by the database: verify must read a
    # million links in seconds (see db/chain_scan.py).
    # The driver's own cursor, inside the session's transaction (same snapshot); on
    # PostgreSQL a named (server-side) cursor, so a year of links is not held in memory.
    connection = session.connection()
    dialect = connection.dialect.name
    raw: Any = connection.connection.driver_connection
    sql = payload_sql(table, dialect)
    if dialect == "sqlite":
        cursor = raw.cursor()
        cursor.execute(sql, (store_id, lo, hi))
        yield from _fetch_all(cursor)
    elif raw.autocommit:
        # A read-only unit of work on PostgreSQL runs in autocommit, and a server-side
        # cursor needs a transaction: the scan opens its own.
        with raw.transaction():
            yield from _fetch_named(raw, table, sql, store_id, lo, hi)
    else:
        yield from _fetch_named(raw, table, sql, store_id, lo, hi)


def _fetch_named(raw: Any, table: str, sql: str, store_id: int, lo: int, hi: int,
                 ) -> Iterator[ChainRow]:
    cursor = raw.cursor(name=f"pos_verify_{table}")
    cursor.execute(sql, {"store": store_id, "lo": lo, "hi": hi})
    yield from _fetch_all(cursor)


def _fetch_all(cursor: Any) -> Iterator[ChainRow]:
    try:
        while rows := cursor.fetchmany(VERIFY_BATCH_ROWS):
            yield from rows
    finally:
        cursor.close()


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

