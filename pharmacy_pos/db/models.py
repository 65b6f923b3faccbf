"""The ORM mapping. Schema changes only through Alembic migrations (STYLE.md, habit 11).

Tables fall in three groups:
- master data, maintained with an audit record for every change: stores, suppliers,
  products, barcodes, users and their roles;
- append-only records, never updated or deleted (database triggers refuse it): the stock
  ledger and the audit log, each a hash chain per store;
- caches derived from them and checked by ``verify``: stock balances, chain heads.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pharmacy_pos.db.types import Money, Ratio, UnitPrice, UTCDateTime
from pharmacy_pos.domain.product import (
    BatchStatus,
    ControlledCategory,
    InsuranceClass,
    LedgerEntryType,
    OtcClass,
    ProductCategory,
)
from pharmacy_pos.domain.roles import Role

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only aliases the rowid for a column typed exactly INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _enum(enum_cls: type[StrEnum], name: str) -> Enum:
    # Stored as plain strings (no native enum type) so adding a value needs no DDL.
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints alike."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Store(Base):
    """A designated pharmacy (定点零售药店). Every business record carries its store."""

    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # fixmedins_code
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Supplier(Base):
    """A wholesaler we buy from; its licence must be valid on the delivery date (INV-2)."""

    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    licence_no: Mapped[str] = mapped_column(String(50))
    licence_expiry: Mapped[date] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Product(Base):
    """A product in the catalogue. Prices are per package (包装单位)."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("units_per_pack >= 1", name="units_per_pack_positive"),
        CheckConstraint("retail_price > 0", name="retail_price_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(32), unique=True)
    med_list_codg: Mapped[str | None] = mapped_column(String(50), unique=True)
    generic_name: Mapped[str] = mapped_column(String(100))
    trade_name: Mapped[str] = mapped_column(String(100), default="")
    specification: Mapped[str] = mapped_column(String(100))
    dosage_form: Mapped[str] = mapped_column(String(50), default="")
    manufacturer: Mapped[str] = mapped_column(String(200))
    approval_no: Mapped[str] = mapped_column(String(50), default="")
    is_prescription: Mapped[bool] = mapped_column(Boolean)
    otc_class: Mapped[OtcClass] = mapped_column(_enum(OtcClass, "otc_class"))
    insurance_class: Mapped[InsuranceClass] = mapped_column(
        _enum(InsuranceClass, "insurance_class")
    )
    self_pay_ratio: Mapped[Decimal | None] = mapped_column(Ratio())
    restricted_scope: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[ProductCategory] = mapped_column(_enum(ProductCategory, "product_category"))
    controlled_category: Mapped[ControlledCategory] = mapped_column(
        _enum(ControlledCategory, "controlled_category")
    )
    package_unit: Mapped[str] = mapped_column(String(10))
    min_unit: Mapped[str] = mapped_column(String(10))
    units_per_pack: Mapped[int] = mapped_column(Integer)
    split_allowed: Mapped[bool] = mapped_column(Boolean)
    retail_price: Mapped[Decimal] = mapped_column(UnitPrice())
    pinyin_initials: Mapped[str] = mapped_column(String(100), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductBarcode.id"
    )


class ProductBarcode(Base):
    """One of a product's barcodes; a barcode belongs to one product only."""

    __tablename__ = "product_barcodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(20), unique=True)

    product: Mapped[Product] = relationship(back_populates="barcodes")


class Batch(Base):
    """A lot of one product received from a supplier. Quantity lives in the ledger."""

    __tablename__ = "batches"
    __table_args__ = (
        Index("ix_batches_product_status_expiry", "product_id", "status", "expiry_date"),
        CheckConstraint("purchase_price >= 0", name="purchase_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    lot_no: Mapped[str] = mapped_column(String(50))
    manufacture_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date] = mapped_column(Date)
    purchase_price: Mapped[Decimal] = mapped_column(UnitPrice())  # per package
    status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus, "batch_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StockBalance(Base):
    """Cached stock per batch, in minimum units; rebuilt from and checked against the ledger."""

    __tablename__ = "stock_balances"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class LedgerEntry(Base):
    """One stock movement (INV-1). Append-only and hash-chained per store (INV-5).

    ``quantity`` is signed, in the product's minimum unit; ``unit_cost`` is per package;
    ``amount`` is the signed value at cost.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("store_id", "chain_seq"),
        Index("ix_ledger_entries_product_time", "product_id", "occurred_at"),
        # Covering (batch, quantity): verify sums stock per batch from the index alone.
        Index("ix_ledger_entries_batch", "batch_id", "quantity"),
        Index("ix_ledger_entries_time", "occurred_at"),
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    chain_seq: Mapped[int] = mapped_column(BigInteger)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    entry_type: Mapped[LedgerEntryType] = mapped_column(_enum(LedgerEntryType, "ledger_type"))
    quantity: Mapped[int] = mapped_column(BigInteger)
    unit_cost: Mapped[Decimal] = mapped_column(UnitPrice())
    amount: Mapped[Decimal] = mapped_column(Money())
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    doc_type: Mapped[str] = mapped_column(String(30))
    doc_no: Mapped[str] = mapped_column(String(60))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class ChainHead(Base):
    """The last link of each hash chain; locked while appending so links never fork."""

    __tablename__ = "chain_heads"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    """A member of staff. Never deleted: leavers are frozen (SEC-3)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(300))
    pharmacist_qualification_no: Mapped[str] = mapped_column(String(50), default="")
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    frozen_reason: Mapped[str] = mapped_column(String(200), default="")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class UserRole(Base):
    """A role held by a user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class AuditRecord(Base):
    """One maintenance or business action: who, when, what (SEC-4). Append-only, chained."""

    __tablename__ = "audit_log"
    __table_args__ = (
        UniqueConstraint("store_id", "chain_seq"),
        Index("ix_audit_log_time", "occurred_at"),
        Index("ix_audit_log_action", "action"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    chain_seq: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    terminal_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))



class InsuredPerson(Base):
    """An insured person as known from card reads: only what settlement needs (SEC-5)."""

    __tablename__ = "insured_persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ssn: Mapped[str] = mapped_column(String(18), unique=True)  # 社会保障号码 = ID number
    name: Mapped[str] = mapped_column(String(50))
    sex: Mapped[str] = mapped_column(String(1), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CardRead(Base):
    """Each time a card was read at a terminal (ID-8, ID-9): card, time, who, outcome."""

    __tablename__ = "card_reads"
    __table_args__ = (
        Index("ix_card_reads_card_time", "card_number", "read_at"),
        Index("ix_card_reads_store_time", "store_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    terminal_id: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20))  # pcsc / vendor / virtual
    card_number: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(6), default="")
    spec_version: Mapped[str] = mapped_column(String(8), default="")
    expiry_date: Mapped[date | None] = mapped_column(Date)
    insured_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_persons.id"))
    accepted: Mapped[bool] = mapped_column(Boolean)
    rule_ids: Mapped[str] = mapped_column(String(100), default="")  # rules that refused
    # ID-2: the identity document checked against this card (None = not yet checked).
    document_matched: Mapped[bool | None] = mapped_column(Boolean)
    document_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CardBlacklistEntry(Base):
    """A reported-lost or forged card (ID-3). Lifting an entry keeps it, with who and why."""

    __tablename__ = "card_blacklist"
    __table_args__ = (Index("ix_card_blacklist_card", "card_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_number: Mapped[str] = mapped_column(String(20))
    ssn: Mapped[str] = mapped_column(String(18), default="")
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(100))  # "manual" or the imported file's name
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str] = mapped_column(String(80), default="")
    lift_reason: Mapped[str] = mapped_column(String(200), default="")


class ProxyDeclaration(Base):
    """Buying for someone else (代购, ID-5), tied to the card read it was declared on."""

    __tablename__ = "proxy_declarations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_read_id: Mapped[int] = mapped_column(ForeignKey("card_reads.id"), index=True)
    buyer_id_number: Mapped[str] = mapped_column(String(18), index=True)
    buyer_name: Mapped[str] = mapped_column(String(50))
    insured_id_number: Mapped[str] = mapped_column(String(18))
    bedridden: Mapped[bool] = mapped_column(Boolean)
    certificate_ref: Mapped[str] = mapped_column(String(60), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


APPEND_ONLY_TABLES = ("ledger_entries", "audit_log")
