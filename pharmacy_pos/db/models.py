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
    text,
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
    # 0005: low-stock suggestions order up to this many minimum units (0 = no minimum).
    min_stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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
    # 0005: a split-package batch (拆零) points at the sealed batch it was opened from.
    # No foreign key: adding one to SQLite would rebuild the table under live references;
    # split_records.source_batch_id carries the checked reference.
    split_from_id: Mapped[int | None] = mapped_column(Integer)


class StockBalance(Base):
    """Cached stock per batch, in minimum units; rebuilt from and checked against the ledger."""

    __tablename__ = "stock_balances"

    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    # How many times the row changed. Not an optimistic-lock column: every writer holds
    # the row's lock (FOR UPDATE, after the ledger head), so the balances of one sale are
    # updated with a single batched statement instead of one checked UPDATE per batch.
    version: Mapped[int] = mapped_column(Integer)


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
        # Covering the monthly stock report's sums from a month's start on (REP-1).
        Index("ix_ledger_entries_report", "occurred_at", "store_id", "batch_id", "entry_type",
              "quantity"),
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



# --- Sales (issue 4): prescriptions and their review, sales, returns, outbox -------------


class PolicyVersion(Base):
    """A policy document installed for a store; the newest row is the one in force.

    Rows are never changed: a change of policy is a new row, installed by a manager and
    audit-logged with the old and new version (services/policy.py). The document itself
    is kept so any sale can be re-judged under the exact numbers it was rung with.
    """

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    installed_by: Mapped[str] = mapped_column(String(80))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Terminal(Base):
    """A settlement terminal registered to its store (SALE-9).

    A terminal registers once, when its store is set up; a terminal id already bound to
    another store may not settle insurance here (it was lent or moved).
    """

    __tablename__ = "terminals"

    terminal_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(String(80))


class DocCounter(Base):
    """The last number handed out for a kind of document (receipts, return slips).

    Locked while a number is taken, so numbers are gapless per store and day (SALE-6:
    the loss of a numbered slip must be visible).
    """

    __tablename__ = "doc_counters"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class PrescriptionRecord(Base):
    """A prescription presented at the till and sent to the pharmacist's queue (RX-2)."""

    __tablename__ = "prescriptions"
    __table_args__ = (Index("ix_prescriptions_store_time", "store_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    terminal_id: Mapped[str] = mapped_column(String(40))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20))  # paper / electronic / internal
    rx_no: Mapped[str] = mapped_column(String(60), default="")
    institution_name: Mapped[str] = mapped_column(String(100), default="")
    institution_code: Mapped[str] = mapped_column(String(30), default="")
    institution_designated: Mapped[bool] = mapped_column(Boolean)
    physician_name: Mapped[str] = mapped_column(String(50), default="")
    physician_code: Mapped[str] = mapped_column(String(30), default="")
    signature_present: Mapped[bool] = mapped_column(Boolean)
    seal_present: Mapped[bool] = mapped_column(Boolean)
    patient_name: Mapped[str] = mapped_column(String(50))
    patient_id_number: Mapped[str] = mapped_column(String(18), default="")
    diagnosis: Mapped[str] = mapped_column(String(200), default="")
    issue_date: Mapped[date] = mapped_column(Date)
    emergency: Mapped[bool] = mapped_column(Boolean)
    chronic_disease: Mapped[str] = mapped_column(String(50), default="")
    chronic_reason: Mapped[str] = mapped_column(String(200), default="")
    long_term: Mapped[bool] = mapped_column(Boolean)
    validity_extended: Mapped[bool] = mapped_column(Boolean)
    # The lines the cashier means to dispense, as JSON, so the pharmacist reviews exactly
    # what will be handed over (RX-4) from any terminal.
    dispense_json: Mapped[str] = mapped_column(Text, default="[]")

    items: Mapped[list[PrescriptionItemRecord]] = relationship(
        back_populates="prescription", cascade="all, delete-orphan",
        order_by="PrescriptionItemRecord.line_no", lazy="selectin",
    )


class PrescriptionItemRecord(Base):
    """One drug on a prescription: prescribed quantity (minimum units), dose, days."""

    __tablename__ = "prescription_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescriptions.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(32))
    drug_name: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    dosage: Mapped[str] = mapped_column(String(50), default="")
    frequency: Mapped[str] = mapped_column(String(50), default="")
    days_of_supply: Mapped[int] = mapped_column(Integer)
    # 0004, for the dispensing label: how to take it, and the physician's notes.
    route: Mapped[str] = mapped_column(String(50), default="", server_default="")
    notes: Mapped[str] = mapped_column(String(200), default="", server_default="")

    prescription: Mapped[PrescriptionRecord] = relationship(back_populates="items")


class PrescriptionReview(Base):
    """The pharmacist's decision on a prescription (RX-2, RX-5). One per prescription.

    The unique prescription id makes two pharmacists at two terminals unable to both
    decide; a corrected and re-signed prescription is captured again as a new one.
    """

    __tablename__ = "prescription_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescriptions.id"), unique=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_qualification_no: Mapped[str] = mapped_column(String(50))
    decision: Mapped[str] = mapped_column(String(10))  # approved / refused
    reason_code: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Sale(Base):
    """A completed sale or return (kind), written whole in one transaction.

    Amounts are positive for both kinds; ``kind`` says the direction. A return points at
    the sale it returns and at the manager who approved it (SALE-7).
    """

    __tablename__ = "sales"
    __table_args__ = (
        Index("ix_sales_store_time", "store_id", "completed_at"),
        Index("ix_sales_insured_time", "insured_ssn", "completed_at"),
        CheckConstraint("total_amount >= 0", name="total_not_negative"),
        CheckConstraint("fund_pay >= 0 AND acct_pay >= 0 AND cash_pay >= 0",
                        name="payments_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    terminal_id: Mapped[str] = mapped_column(String(40))
    doc_no: Mapped[str] = mapped_column(String(40), unique=True)
    # The till's token for one attempt to pay: a second click finds the first sale.
    client_token: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # sale / return
    original_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), index=True)
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    policy_version: Mapped[str] = mapped_column(String(40))
    prescription_id: Mapped[int | None] = mapped_column(
        ForeignKey("prescriptions.id"), unique=True)
    card_read_id: Mapped[int | None] = mapped_column(ForeignKey("card_reads.id"))
    insured_ssn: Mapped[str] = mapped_column(String(18), default="")
    buyer_id_number: Mapped[str] = mapped_column(String(18), default="")
    psn_no: Mapped[str] = mapped_column(String(30), default="")
    insutype: Mapped[str] = mapped_column(String(6), default="")
    setl_id: Mapped[str] = mapped_column(String(40), default="")
    # The insurer's visit id (就诊ID, 0008): 2103 needs it with setl_id to cancel.
    mdtrt_id: Mapped[str | None] = mapped_column(String(40), nullable=True, default="")
    msgid: Mapped[str] = mapped_column(String(40), default="")
    self_pay_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    total_amount: Mapped[Decimal] = mapped_column(Money())
    fund_pay: Mapped[Decimal] = mapped_column(Money())
    acct_pay: Mapped[Decimal] = mapped_column(Money())
    cash_pay: Mapped[Decimal] = mapped_column(Money())
    account_balance_after: Mapped[Decimal | None] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(String(200), default="")

    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", order_by="SaleLine.line_no", lazy="selectin")
    payments: Mapped[list[SalePayment]] = relationship(
        back_populates="sale", order_by="SalePayment.id", lazy="selectin")


class SaleLine(Base):
    """One product of a sale, with its share of each payment (the settlement split)."""

    __tablename__ = "sale_lines"
    __table_args__ = (
        Index("ix_sale_lines_product", "product_id", "sale_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    item_code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)  # minimum units
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice())  # per package
    amount: Mapped[Decimal] = mapped_column(Money())
    insurance_class: Mapped[InsuranceClass] = mapped_column(
        _enum(InsuranceClass, "insurance_class"))
    self_paid: Mapped[bool] = mapped_column(Boolean, default=False)
    fund_pay: Mapped[Decimal] = mapped_column(Money())
    acct_pay: Mapped[Decimal] = mapped_column(Money())
    cash_pay: Mapped[Decimal] = mapped_column(Money())
    days_of_supply: Mapped[int | None] = mapped_column(Integer)  # RX-14
    original_line_id: Mapped[int | None] = mapped_column(ForeignKey("sale_lines.id"),
                                                         index=True)

    sale: Mapped[Sale] = relationship(back_populates="lines")
    allocations: Mapped[list[SaleAllocation]] = relationship(
        back_populates="line", order_by="SaleAllocation.id", lazy="selectin")


class SaleAllocation(Base):
    """Units a sale line took from (or a return put back into) one batch, and its entry."""

    __tablename__ = "sale_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"))

    line: Mapped[SaleLine] = relationship(back_populates="allocations")


class SalePayment(Base):
    """One means of payment of a sale: fund, personal account, cash, mobile, card."""

    __tablename__ = "sale_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money())
    tendered: Mapped[Decimal | None] = mapped_column(Money())
    change: Mapped[Decimal] = mapped_column(Money())
    reference: Mapped[str] = mapped_column(String(60), default="")

    sale: Mapped[Sale] = relationship(back_populates="payments")


class TraceCodeSale(Base):
    """A box's traceability code sold on a sale line; freed again when it is returned.

    The partial unique index lets a code be on at most one unreturned sale, across all
    terminals and stores sharing the database.
    """

    __tablename__ = "trace_code_sales"
    __table_args__ = (
        Index("uq_trace_code_sales_open_code", "code", unique=True,
              sqlite_where=text("returned_sale_id IS NULL"),
              postgresql_where=text("returned_sale_id IS NULL")),
        Index("ix_trace_code_sales_code", "code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"))
    returned_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"))


class SaleFlag(Base):
    """A fact recorded on a sale for the self-inspection report (ID-8, ID-9, RX-14...)."""

    __tablename__ = "sale_flags"
    __table_args__ = (Index("ix_sale_flags_rule", "rule_id", "sale_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(String(300))


class OutboxMessage(Base):
    """A message for the insurer, written in the same transaction as what it reports.

    Delivery (retries, acknowledgements) is the uploader's business (issue 8); a message
    here is never changed, so what was meant to be sent stays provable.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_store", "store_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    infno: Mapped[str] = mapped_column(String(10))  # transaction number, e.g. 3505
    doc_no: Mapped[str] = mapped_column(String(40))
    msgid: Mapped[str] = mapped_column(String(40), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    # A correction (0008): the message whose record(s) this one replaces (3507 + resend).
    corrects_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class UploadQueueItem(Base):
    """One record of an outbox message on its way to the insurer (3501–3507).

    A working table, not a record: the uploader keeps each record's state here
    (pending → done, or refused until a manager corrects it; superseded once corrected).
    What was sent and answered is in :class:`UploadLogEntry`, which is never changed.
    """

    __tablename__ = "upload_queue"
    __table_args__ = (
        UniqueConstraint("outbox_id", "record_no"),
        Index("ix_upload_queue_state", "store_id", "state", "id"),
        Index("ix_upload_queue_bchno", "fixmedins_bchno", "inv_data_type"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id"))
    record_no: Mapped[int] = mapped_column(Integer)  # 1-based position in the message
    infno: Mapped[str] = mapped_column(String(10))
    doc_no: Mapped[str] = mapped_column(String(40))
    fixmedins_bchno: Mapped[str] = mapped_column(String(40))
    inv_data_type: Mapped[str] = mapped_column(String(2))
    state: Mapped[str] = mapped_column(String(12))  # pending / done / refused / superseded
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UploadLogEntry(Base):
    """One try of one record: what went out, what came back (append-only, SEC-7)."""

    __tablename__ = "upload_log"
    __table_args__ = (Index("ix_upload_log_item", "queue_id", "id"),
                      Index("ix_upload_log_store", "store_id", "id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    queue_id: Mapped[int] = mapped_column(ForeignKey("upload_queue.id"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    infno: Mapped[str] = mapped_column(String(10))  # as sent (a batch variant's number)
    msgid: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(12))  # ok/duplicate/refused/unavailable/malformed
    infcode: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    request: Mapped[str] = mapped_column(Text)   # the record as sent (wire names)
    response: Mapped[str] = mapped_column(Text, default="")


class UploadLease(Base):
    """Which terminal uploads for the store (one at a time; a lease that runs out is
    taken over, so a terminal that died does not stop the uploads)."""

    __tablename__ = "upload_leases"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The newest outbox message already taken into the queue (messages with nothing to
    # report leave no queue item, so the queue alone cannot say how far intake got).
    taken_through: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


# --- Printing (issue 5): a queue that survives the printer and the process ---------------


class PrintJob(Base):
    """A printout wanted: written with the sale (same transaction), printed afterwards.

    The job names the document (kind + number); the printout is built from the records
    when it prints, so a reprint shows exactly what was recorded. ``payload`` holds what
    a document needs beyond its number (a shift report's period), as JSON.
    """

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_terminal", "store_id", "terminal_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    terminal_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # receipt / return_slip / label / shift_report
    doc_no: Mapped[str] = mapped_column(String(40), index=True)
    line_no: Mapped[int | None] = mapped_column(Integer)  # a label's sale line
    copy: Mapped[bool] = mapped_column(Boolean)
    open_drawer: Mapped[bool] = mapped_column(Boolean)
    payload: Mapped[str] = mapped_column(Text, default="{}")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PrintAttempt(Base):
    """One try at printing a job: printed, failed (with why) or dismissed by a person."""

    __tablename__ = "print_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("print_jobs.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(10))  # printed / failed / dismissed
    message: Mapped[str] = mapped_column(String(200), default="")
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


# --- Purchasing and stock keeping by GSP (issue 6) ------------------------------------------


class Delivery(Base):
    """A supplier's delivery as received (随货同行单): stock waits for acceptance (INV-2)."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("supplier_id", "delivery_note_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    doc_no: Mapped[str] = mapped_column(String(40), unique=True)  # RK-…
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    delivery_note_no: Mapped[str] = mapped_column(String(60))  # 随货单号
    invoice_code: Mapped[str] = mapped_column(String(20), default="")
    invoice_no: Mapped[str] = mapped_column(String(20), default="")
    received_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(200), default="")

    lines: Mapped[list[DeliveryLine]] = relationship(
        back_populates="delivery", order_by="DeliveryLine.line_no", lazy="selectin")


class DeliveryLine(Base):
    """One line of a delivery: a lot of a product, received into its own batch."""

    __tablename__ = "delivery_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), unique=True)
    lot_no: Mapped[str] = mapped_column(String(50))
    manufacture_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date] = mapped_column(Date)
    approval_no: Mapped[str] = mapped_column(String(50), default="")
    purchase_price: Mapped[Decimal] = mapped_column(UnitPrice())  # per package
    quantity: Mapped[int] = mapped_column(Integer)  # minimum units
    is_gift: Mapped[bool] = mapped_column(Boolean, default=False)

    delivery: Mapped[Delivery] = relationship(back_populates="lines")


class Acceptance(Base):
    """The quality inspector's decision on a delivery line (INV-2). One per line."""

    __tablename__ = "acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_line_id: Mapped[int] = mapped_column(ForeignKey("delivery_lines.id"),
                                                  unique=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted_units: Mapped[int] = mapped_column(Integer)
    rejected_units: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PurchaseReturn(Base):
    """Goods sent back to the supplier (rejected at acceptance, or later), with why."""

    __tablename__ = "purchase_returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    doc_no: Mapped[str] = mapped_column(String(40), unique=True)  # CT-…
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    reason: Mapped[str] = mapped_column(String(200))
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PurchaseReturnLine(Base):
    """Units of one delivery line sent back, and the ledger entry that took them out."""

    __tablename__ = "purchase_return_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("purchase_returns.id"), index=True)
    delivery_line_id: Mapped[int] = mapped_column(ForeignKey("delivery_lines.id"),
                                                  index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"))


class Stocktake(Base):
    """A stock-take (盘点, INV-4): the book stock snapshot it counts against."""

    __tablename__ = "stocktakes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    doc_no: Mapped[str] = mapped_column(String(40), unique=True)  # PD-…
    started_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(200), default="")


class StocktakeBook(Base):
    """Book stock of one batch when the stock-take started."""

    __tablename__ = "stocktake_book"
    __table_args__ = (UniqueConstraint("stocktake_id", "batch_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    book_units: Mapped[int] = mapped_column(BigInteger)


class StocktakeCount(Base):
    """A count of one batch (the latest count of a batch is the one that stands)."""

    __tablename__ = "stocktake_counts"
    __table_args__ = (
        Index("ix_stocktake_counts_batch", "stocktake_id", "batch_id", "id"),
        CheckConstraint("counted_units >= 0", name="counted_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    counted_units: Mapped[int] = mapped_column(BigInteger)
    session_no: Mapped[int] = mapped_column(Integer, default=1)
    counted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StocktakeClosing(Base):
    """The manager's approval (or cancellation) that closes a stock-take (INV-4)."""

    __tablename__ = "stocktake_closings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"), unique=True)
    decision: Mapped[str] = mapped_column(String(10))  # approved / cancelled
    approved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(200), default="")


class MaintenanceCheck(Base):
    """A monthly maintenance check (养护, INV-3) of the stock on the shelf."""

    __tablename__ = "maintenance_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    started_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MaintenanceItem(Base):
    """The check of one batch: fine, or doubtful (then the batch is locked from sale)."""

    __tablename__ = "maintenance_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("maintenance_checks.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    result: Mapped[str] = mapped_column(String(10))  # ok / doubtful
    note: Mapped[str] = mapped_column(String(200), default="")
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BatchStatusEvent(Base):
    """Every change of a batch's status, with who, why and (for destruction) the witness.

    ``batches.status`` is the current state; this is its history and never changes.
    """

    __tablename__ = "batch_status_events"
    __table_args__ = (Index("ix_batch_status_events_batch", "batch_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    from_status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus, "batch_status"))
    to_status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus, "batch_status"))
    reason: Mapped[str] = mapped_column(String(200))
    doc_no: Mapped[str] = mapped_column(String(40), default="")
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    second_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class SplitRecord(Base):
    """A package opened for split sale (拆零): the split batch and its record."""

    __tablename__ = "split_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"), index=True)
    doc_no: Mapped[str] = mapped_column(String(40), unique=True)  # CL-…
    source_batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    split_batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    units: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    split_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class MonthBalance(Base):
    """A batch's closing units at the end of a month (月结), written once by the monthly
    stock report (REP-1) after it built and checked a month that is over; the next
    month's report opens from it. Only non-zero closings are stored. Never changes."""

    __tablename__ = "month_balances"
    __table_args__ = (UniqueConstraint("store_id", "month", "batch_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, store time
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    units: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


APPEND_ONLY_TABLES = (
    "ledger_entries", "audit_log",
    # 0003: the till's records
    "policy_versions", "prescriptions", "prescription_items", "prescription_reviews",
    "sales", "sale_lines", "sale_allocations", "sale_payments", "sale_flags",
    "outbox_messages",
    # 0004: printing
    "print_jobs", "print_attempts",
    # 0005: purchasing and stock keeping
    "deliveries", "delivery_lines", "acceptances", "purchase_returns",
    "purchase_return_lines", "stocktakes", "stocktake_book", "stocktake_counts",
    "stocktake_closings", "maintenance_checks", "maintenance_items", "batch_status_events",
    "split_records",
    # 0007: month-end closing snapshots (月结)
    "month_balances",
    # 0008: the insurer upload log
    "upload_log",
)
