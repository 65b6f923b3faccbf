"""A chain on one central database (issue 9): two stores, each seeing only its own records.

On SQLite and on real PostgreSQL (``tests/pg.py``; skipped with the reason when no
server can start). Store A trades first (receiving and acceptance, cash, insured and
prescription sales, a return, a stock-take, uploads) and everything a terminal of A can
read is taken down; then store B does the same with the same (shared) catalogue, leaves a
delivery awaiting acceptance and a stock-take open, and A's views must be exactly what
they were: B's records appear in none of them. A's terminals cannot act on B's records by
id; each store's ledger and audit chains verify on their own; the schema carries the
store on every business row (or through its parent row), with the shared tables named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from pharmacy_pos.db.models import AuditRecord, Base, LedgerEntry
from pharmacy_pos.domain.errors import DomainError, NotFound
from pharmacy_pos.domain.policy import IdentityPolicy, Policy, SecurityPolicy
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.protocol import load_profile
from pharmacy_pos.paths import resource
from pharmacy_pos.reports import (
    insured_categories,
    monthly_stock,
    reconcile,
    rx_statement,
    self_inspection,
)
from pharmacy_pos.reports.catalog import Period
from pharmacy_pos.reports.dashboard import dashboard_figures
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.audit import recent_audit
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.printing import PrintService
from pharmacy_pos.services.receiving import LineDecision, ReceivingService
from pharmacy_pos.services.returns import ReturnService
from pharmacy_pos.services.rx_book import external_prescription_book
from pharmacy_pos.services.sales import SaleService
from pharmacy_pos.services.setup import StoreInfo, ensure_store
from pharmacy_pos.services.stockkeeping import StockkeepingService
from pharmacy_pos.services.stocktake import StocktakeService
from pharmacy_pos.services.uploads import UploadService
from pharmacy_pos.services.users import UserService
from pharmacy_pos.services.verify import verify_database
from tests import till_world
from tests.conftest import STAFF_PASSWORD
from tests.soak_scenario import person
from tests.till_world import AMOXICILLIN, COLD_GRANULES, MASKS, paper_prescription

NOVEMBER = Period.month(2026, 11)
SUPPLIER = "测试医药有限公司"  # created by till_world.build; suppliers are chain-wide
NATIONAL = load_profile(resource("insurer", "national.toml"))
# Tables shared by the whole chain, deliberately without a store: the catalogue and its
# barcodes, suppliers, the insured persons and the lost-card list (a person and a card
# are the same at every store), the stores themselves; chain heads and document
# counters are keyed by a name that carries the store (checked below).
SHARED = {"products", "product_barcodes", "suppliers", "insured_persons", "card_blacklist",
          "stores", "chain_heads", "doc_counters", "alembic_version"}


class _Printer:
    """Receipts are not the point here: a printer that takes every document."""

    columns = 48

    def __init__(self) -> None:
        self.documents: list[Any] = []

    def print_document(self, document: Any) -> None:
        self.documents.append(document)


@dataclass
class Shop:
    """One store of the chain with its own terminal, staff and services."""

    info: StoreInfo
    terminal: str
    staff: dict[Role, Actor]
    sales: SaleService
    returns: ReturnService
    receiving: ReceivingService
    stocktake: StocktakeService
    stockkeeping: StockkeepingService
    printing: PrintService
    uploads: UploadService
    identity: IdentityService
    insurer: SimulatedInsurer
    doc_nos: list[str]
    stocktake_id: int = 0
    delivery_lines: tuple[int, ...] = ()
    prescription_id: int = 0


@pytest.fixture
def chain(uow_factory, clock):
    """Store A with its catalogue; a factory opening store B on the same database."""
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    users = UserService(uow_factory, clock, SecurityPolicy())

    def open_shop(letter: str) -> Shop:
        # Each store settles with the insurer under its own code (its own agreement):
        # an insurer of its own here, whose statement is that store's (REP-2).
        insurer = SimulatedInsurer(policy.insurer, [p for _, p in map(person, (1, 2))],
                                   clock=clock)
        insurer._profile = NATIONAL  # the embedded insurer checks the profile's fields
        terminal = f"T{letter}01"
        info = ensure_store(uow_factory, clock, code=f"H1101050000{letter}",
                            name=f"连锁{letter}店", operator="test", terminal_id=terminal)[0]
        system = Actor.system(info.id, terminal, "cli:test")
        staff = {}
        for role in (Role.CASHIER, Role.PHARMACIST, Role.STORE_MANAGER,
                     Role.QUALITY_INSPECTOR, Role.AUDITOR):
            # User names are unique in the whole database, so a chain prefixes them.
            name = f"{letter.lower()}.{role.value}"
            users.add_user(system, username=name, display_name=f"{letter}{role.label}",
                           password=STAFF_PASSWORD, roles=[role],
                           qualification_no=f"ZY{letter}01" if role is Role.PHARMACIST else "")
            staff[role] = users.authenticate(name, STAFF_PASSWORD, terminal_id=terminal)

        def login(u: str, p: str) -> Actor:
            return users.authenticate(u, p, terminal_id=terminal)

        return Shop(
            info=info, terminal=terminal, staff=staff,
            sales=SaleService(uow_factory, clock, lambda: (policy, policy.version), insurer,
                              store_code=info.code),
            returns=ReturnService(uow_factory, clock, insurer, login, store_code=info.code),
            receiving=ReceivingService(uow_factory, clock, store_code=info.code),
            stocktake=StocktakeService(uow_factory, clock, login),
            stockkeeping=StockkeepingService(uow_factory, clock, policy.stock, login,
                                             store_code=info.code),
            printing=PrintService(uow_factory, clock, _Printer(), columns=48,
                                  store_name=info.name, store_code=info.code,
                                  terminal_id=terminal),
            uploads=UploadService(uow_factory, clock, insurer, NATIONAL, store_id=info.id,
                                  terminal_id=terminal),
            identity=IdentityService(uow_factory, clock, IdentityPolicy()),
            insurer=insurer, doc_nos=[])

    a = open_shop("A")
    world = till_world.build(uow_factory, clock, a.info.id,
                             a.staff[Role.STORE_MANAGER].user_id)
    return a, open_shop, world


def _trade(shop: Shop, world, clock, *, card_no: int) -> None:
    """A month's business in miniature, all through the services."""
    manager, inspector = shop.staff[Role.STORE_MANAGER], shop.staff[Role.QUALITY_INSPECTOR]
    cashier, pharmacist = shop.staff[Role.CASHIER], shop.staff[Role.PHARMACIST]
    letter = shop.terminal[1]
    shop.receiving.receive(
        manager, supplier_name=SUPPLIER, delivery_note_no=f"SH-{letter}-1", lines=[
                               LineInput(row=i, product_key=code, lot_no=f"LOT{letter}{i}",
                                         expiry_date=date(2028, 3, 1), purchase_price="6.00",
                                         quantity=10, manufacture_date=date(2026, 1, 1),
                                         approval_no="国药准字H20000000")
                               for i, code in enumerate((AMOXICILLIN, COLD_GRANULES, MASKS),
                                                        start=1)])
    pending = shop.receiving.pending(inspector)
    shop.receiving.accept(inspector, [LineDecision(p.line_id, p.units) for p in pending])
    # A cash sale, an insured sale, a prescription sale signed by the pharmacist.
    cart = shop.sales.new_cart(cashier)
    shop.sales.scan(cashier, cart, COLD_GRANULES)
    shop.sales.scan(cashier, cart, MASKS)
    shop.doc_nos.append(shop.sales.complete(cashier, cart, method=PaymentMethod.CASH).doc_no)
    card, _ = person(card_no)
    cart = shop.sales.new_cart(cashier)
    shop.sales.scan(cashier, cart, COLD_GRANULES)
    check = shop.identity.record_card_read(cashier, card, source="pcsc")
    shop.identity.verify_document(cashier, check.read_id, id_number=card.ssn, name=card.name,
                                  record=card)
    shop.sales.attach_insured(cashier, cart, shop.identity.settlement_identity(
        cashier, read_id=check.read_id))
    shop.doc_nos.append(shop.sales.complete(cashier, cart, method=PaymentMethod.CASH,
                                            self_pay_consent=True).doc_no)
    cart = shop.sales.new_cart(cashier)
    shop.sales.add_product(cashier, cart, world.products[AMOXICILLIN], "1")
    shop.sales.submit_prescription(cashier, cart, paper_prescription(
        [("P001", 24, 4)], issue_date=clock.today(), patient=card.name, patient_id=card.ssn))
    assert cart.review is not None
    shop.prescription_id = cart.review.prescription_id
    shop.sales.decide(pharmacist, cart.review.prescription_id, approve=True)
    shop.sales.refresh_review(cashier, cart)
    shop.doc_nos.append(shop.sales.complete(cashier, cart, method=PaymentMethod.CASH).doc_no)
    # A return of part of the cash sale, approved by the store's manager.
    found = shop.returns.find(cashier, shop.doc_nos[0])
    shop.doc_nos.append(shop.returns.return_items(
        cashier, shop.doc_nos[0], {found.lines[0].line_id: found.lines[0].sold_units},
        reason="顾客退货", approver=f"{letter.lower()}.store_manager",
        approver_password=STAFF_PASSWORD).doc_no)
    while shop.printing.print_next() is not None:
        pass
    # A stock-take: one lot counted one short, approved by the manager.
    info = shop.stocktake.start(inspector)
    shop.stocktake_id = info.stocktake_id
    lot = next(row for row in shop.stocktake.lots(inspector, shop.stocktake_id, MASKS)
               if row.lot_no == f"LOT{letter}3")
    assert lot.book_units
    shop.stocktake.count(inspector, shop.stocktake_id, lot.batch_id, lot.book_units - 1)
    shop.stocktake.approve(inspector, shop.stocktake_id,
                           approver=f"{letter.lower()}.store_manager",
                           approver_password=STAFF_PASSWORD)
    shop.uploads.run_pass()


def _views(a: Shop, uow_factory, clock) -> dict[str, str]:
    """Everything a terminal of store A reads, as text (B's records must change none)."""
    manager, cashier = a.staff[Role.STORE_MANAGER], a.staff[Role.CASHIER]
    inspector, pharmacist = a.staff[Role.QUALITY_INSPECTOR], a.staff[Role.PHARMACIST]
    auditor = a.staff[Role.AUDITOR]
    reports = {
        f"report {m.__name__.rsplit('.', 1)[-1]}": m.build(
            uow_factory, manager, NOVEMBER, clock=clock, insurer=a.insurer)
        for m in (monthly_stock, rx_statement, insured_categories, self_inspection, reconcile)}
    views: dict[str, object] = {
        **{k: (r.store, r.sections) for k, r in reports.items()},
        "near expiry": a.stockkeeping.near_expiry(inspector),
        "held batches": a.stockkeeping.held_batches(inspector),
        "low stock": a.stockkeeping.low_stock(manager),
        "splittable": a.stockkeeping.splittable(inspector),
        "sale lookup": [a.returns.find(cashier, n) for n in a.doc_nos[:3]],
        "audit view": recent_audit(uow_factory, auditor, limit=1000),
        "rx book": external_prescription_book(uow_factory, manager, 2026, 11),
        "dashboard": dashboard_figures(uow_factory, manager, clock.today(), as_of=clock.now()),
        "upload overview": a.uploads.overview(manager),
        "upload items": a.uploads.items(manager, limit=1000),
        "stock-take lots": [a.stocktake.lots(inspector, a.stocktake_id, code)
                            for code in (AMOXICILLIN, COLD_GRANULES, MASKS)],
        "open stock-takes": a.stocktake.open_stocktakes(inspector),
        "review queue": a.sales.review_queue(pharmacist),
        "pending deliveries": a.receiving.pending(inspector),
        "documents": a.printing.recent_documents(cashier, clock.today()),
        "receipt": a.printing.document(cashier, "receipt", a.doc_nos[0]),
    }
    return {name: repr(value) for name, value in views.items()}


def test_chain_a_store_sees_only_its_own_records_through_every_read_use_case(
        chain, uow_factory, clock):
    a, open_shop, world = chain
    _trade(a, world, clock, card_no=1)
    before = _views(a, uow_factory, clock)
    b = open_shop("B")
    _trade(b, world, clock, card_no=2)
    # B also leaves a delivery waiting for acceptance and a stock-take open.
    b.receiving.receive(b.staff[Role.STORE_MANAGER], supplier_name=SUPPLIER,
                        delivery_note_no="SH-B-2", lines=[LineInput(
                            row=1, product_key=MASKS, lot_no="LOTB9",
                            expiry_date=date(2028, 3, 1), purchase_price="6.00", quantity=5)])
    b.stocktake.start(b.staff[Role.QUALITY_INSPECTOR])
    after = _views(a, uow_factory, clock)
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == [], f"store B's records show in store A's views: {changed}"
    # ... and B did trade: its own views hold its records, not A's.
    b_audit = repr(recent_audit(uow_factory, b.staff[Role.AUDITOR], limit=1000))
    assert b.doc_nos[0] in b_audit and a.doc_nos[0] not in b_audit
    assert a.doc_nos[0] not in repr(b.printing.recent_documents(b.staff[Role.CASHIER],
                                                                 clock.today()))


def test_chain_a_terminal_cannot_act_on_the_other_stores_records_by_id(
        chain, uow_factory, clock):
    a, open_shop, world = chain
    _trade(a, world, clock, card_no=1)
    b = open_shop("B")
    _trade(b, world, clock, card_no=2)
    b.receiving.receive(b.staff[Role.STORE_MANAGER], supplier_name=SUPPLIER,
                        delivery_note_no="SH-B-2", lines=[LineInput(
                            row=1, product_key=MASKS, lot_no="LOTB9",
                            expiry_date=date(2028, 3, 1), purchase_price="6.00", quantity=5)])
    b_line = b.receiving.pending(b.staff[Role.QUALITY_INSPECTOR])[0].line_id
    b_open = b.stocktake.start(b.staff[Role.QUALITY_INSPECTOR])
    b_open_id = b_open.stocktake_id
    cashier, inspector = a.staff[Role.CASHIER], a.staff[Role.QUALITY_INSPECTOR]
    with pytest.raises(NotFound):
        a.returns.find(cashier, b.doc_nos[0])
    with pytest.raises(NotFound):
        a.returns.return_items(cashier, b.doc_nos[0], {1: 1}, reason="跨店退货",
                               approver="a.store_manager", approver_password=STAFF_PASSWORD)
    with pytest.raises(NotFound):
        a.stocktake.approve(inspector, b_open_id, approver="a.store_manager",
                            approver_password=STAFF_PASSWORD)
    with pytest.raises(NotFound):
        a.stocktake.lots(inspector, b.stocktake_id, MASKS)
    with pytest.raises(NotFound):
        a.receiving.accept(inspector, [LineDecision(b_line, 5 * 1)])
    with pytest.raises(NotFound):
        a.printing.document(cashier, "receipt", b.doc_nos[0])
    with pytest.raises(NotFound):
        a.sales.review_detail(a.staff[Role.PHARMACIST], b.prescription_id)
    b_item = b.uploads.items(b.staff[Role.STORE_MANAGER], limit=1)
    if b_item:
        with pytest.raises(NotFound):
            a.uploads.detail(a.staff[Role.STORE_MANAGER], b_item[0].id)
    # Nothing of B moved: its delivery still waits, its stock-take is still open.
    assert [p.line_id for p in b.receiving.pending(b.staff[Role.QUALITY_INSPECTOR])] == [b_line]
    assert [s.doc_no for s in b.stocktake.open_stocktakes(b.staff[Role.QUALITY_INSPECTOR])
            ] == [b_open.doc_no]


def test_chain_each_stores_ledger_and_audit_chains_verify_on_their_own(
        chain, uow_factory, clock):
    a, open_shop, world = chain
    _trade(a, world, clock, card_no=1)
    b = open_shop("B")
    _trade(b, world, clock, card_no=2)
    report = verify_database(uow_factory, workers=1)
    assert report.ok, report.problems()
    with uow_factory(readonly=True) as uow:
        expected = {}
        for shop in (a, b):
            sid = shop.info.id
            expected[f"ledger/{sid}"] = uow.session.scalar(select(func.count()).select_from(
                LedgerEntry).where(LedgerEntry.store_id == sid))
            expected[f"audit/{sid}"] = uow.session.scalar(select(func.count()).select_from(
                AuditRecord).where(AuditRecord.store_id == sid))
    assert {c.chain: c.count for c in report.chains} == expected
    assert all(count > 0 for count in expected.values())


def test_chain_every_business_table_carries_its_store(engine, chain, clock):
    a, open_shop, world = chain
    _trade(a, world, clock, card_no=1)
    b = open_shop("B")
    _trade(b, world, clock, card_no=2)
    tables = set(inspect(engine).get_table_names())
    assert tables - {"alembic_version"} == set(Base.metadata.tables)
    scoped = {t.name for t in Base.metadata.sorted_tables if "store_id" in t.c}
    # A row without store_id belongs to a store through its parent row (a sale line
    # through its sale): every parent it points to (outside the shared tables) must
    # itself carry the store, directly or the same way.
    children: set[str] = set()
    grew = True
    while grew:
        grew = False
        for t in Base.metadata.sorted_tables:
            if t.name in scoped | children | SHARED:
                continue
            parents = {fk.column.table.name for fk in t.foreign_keys} - SHARED - {t.name}
            if parents and parents <= scoped | children:
                children.add(t.name)
                grew = True
    unaccounted = set(Base.metadata.tables) - scoped - children - SHARED
    assert unaccounted == set(), f"tables with business data but no store: {unaccounted}"
    # The keyed shared tables: every chain head and document counter names its store.
    with engine.connect() as conn:
        heads = [n for (n,) in conn.exec_driver_sql("SELECT name FROM chain_heads")]
        counters = [n for (n,) in conn.exec_driver_sql("SELECT name FROM doc_counters")]
    ids = {str(a.info.id), str(b.info.id)}
    codes = {a.info.code, b.info.code}
    assert heads and all(h.rsplit("/", 1)[-1] in ids for h in heads)
    assert counters and all(any(code in c for code in codes | ids) for c in counters), counters


def test_chain_sale_7_a_manager_of_another_store_cannot_approve_a_return(
        chain, uow_factory, clock):
    a, open_shop, world = chain
    _trade(a, world, clock, card_no=1)
    open_shop("B")
    sold = a.returns.find(a.staff[Role.CASHIER], a.doc_nos[2])  # the prescription sale
    with pytest.raises(DomainError) as refused:
        a.returns.return_items(a.staff[Role.CASHIER], sold.doc_no,
                               {sold.lines[0].line_id: sold.lines[0].sold_units},
                               reason="跨店审批", approver="b.store_manager",
                               approver_password=STAFF_PASSWORD)
    # The other store's manager cannot even sign in at this store's terminal (SALE-9).
    assert refused.value.rule_id == "SALE-9", refused.value
    assert a.returns.find(a.staff[Role.CASHIER], sold.doc_no).earlier_returns == ()


def test_chain_sale_9_a_user_of_another_store_cannot_log_in_at_this_terminal(
        chain, uow_factory, clock):
    _, open_shop, _ = chain
    open_shop("B")
    users = UserService(uow_factory, clock, SecurityPolicy())
    with pytest.raises(DomainError) as refused:
        users.authenticate("b.cashier", STAFF_PASSWORD, terminal_id="TA01")
    assert refused.value.rule_id == "SALE-9"
    assert "另一家门店" in str(refused.value)
