"""Every use case called as every role (SEC-1): refused roles change nothing.

The matrix below names each public use case of the services and reports with the
permission it needs. The list is checked against the code: a public function or method
taking an ``actor`` that is neither in the matrix nor exempted (with a reason) fails
:func:`test_sec_1_the_matrix_names_every_use_case`, so a new use case cannot ship without
its entry.

For each use case and each of the six roles the call goes through the real service on a
real SQLite file (a copy of one prepared store per test):

- a role without the permission gets ``PermissionDenied`` and the database file's
  content is unchanged, table by table (the project does not record refusals), and so is
  the backup folder;
- a role holding it gets past the permission check: it may still be refused by a
  business rule (a ``DomainError`` other than ``PermissionDenied``), which is fine here.

A frozen account's session started before the freeze is also run through the matrix:
it keeps its role's permissions until its session ends (freezing takes effect at the next
log-in, unlock or approval; see ``tests/integration/test_approvals.py``), so it is listed
as the cashier it was.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import select

import pharmacy_pos.reports
import pharmacy_pos.services
from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.models import PrintJob, UploadQueueItem
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.errors import PermissionDenied, PosError
from pharmacy_pos.domain.identity import ProxyPurchase
from pharmacy_pos.domain.policy import Policy, SecurityPolicy
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.domain.roles import ROLE_PERMISSIONS, Permission, Role
from pharmacy_pos.domain.sale import PaymentMethod, RefusalReason
from pharmacy_pos.insurance.protocol import load_profile
from pharmacy_pos.paths import resource
from pharmacy_pos.reports import (
    dashboard,
    export,
    insured_categories,
    monthly_stock,
    reconcile,
    rx_statement,
    self_inspection,
)
from pharmacy_pos.reports.catalog import Period
from pharmacy_pos.services import audit, rx_book, status
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.backup import BackupService
from pharmacy_pos.services.catalogue import CatalogueService, search_products
from pharmacy_pos.services.identity import IdentityService, SettlementIdentity
from pharmacy_pos.services.policy import PolicyService
from pharmacy_pos.services.printing import PrintService
from pharmacy_pos.services.receiving import LineDecision, ReceivingService
from pharmacy_pos.services.returns import ReturnService
from pharmacy_pos.services.sales import Cart, SaleService
from pharmacy_pos.services.setup import StoreInfo, ensure_store
from pharmacy_pos.services.stockkeeping import StockkeepingService
from pharmacy_pos.services.stocktake import StocktakeService
from pharmacy_pos.services.uploads import UploadService
from pharmacy_pos.services.users import UserService
from tests.cards import BUYER_SSN, HOLDER_SSN, card
from tests.conftest import STAFF_PASSWORD
from tests.till_world import (
    AMOXICILLIN,
    COLD_GRANULES,
    MASKS,
    World,
    build,
    insurer,
    paper_prescription,
)

CLOCK_AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
OCTOBER = Period.month(2026, 10)
NATIONAL = load_profile(resource("insurer", "national.toml"))
LEAVER = "leaver"


def _username(role: Role) -> str:
    return role.value.replace("_", ".")


# -- the prepared store ----------------------------------------------------------------------

@dataclass(frozen=True)
class Facts:
    """Ids of what the prepared store holds, shared by every copy of it."""

    store: StoreInfo
    staff: dict[Role, Actor]
    leaver: Actor
    world: World
    sale_doc_no: str
    print_job_id: int
    prescription_id: int
    receipt_line_id: int
    stocktake_id: int
    counted_batch_id: int
    check_id: int
    locked_batch_id: int
    upload_item_id: int
    card_read_id: int


@dataclass
class Shop:
    """Services over one test's copy of the prepared store."""

    path: Path
    backup_dir: Path
    facts: Facts
    uow: UnitOfWorkFactory
    clock: FixedClock
    policy: Policy
    users: UserService
    sales: SaleService
    returns: ReturnService
    receiving: ReceivingService
    stocktake: StocktakeService
    stockkeeping: StockkeepingService
    catalogue: CatalogueService
    policies: PolicyService
    identity: IdentityService
    uploads: UploadService
    backups: BackupService
    printing: PrintService
    files: Path
    carts: dict[str, Cart] = field(default_factory=dict)

    def authenticate(self, username: str, password: str) -> Actor:
        """An approver typing their credentials at terminal T01."""
        return self.users.authenticate(username, password, terminal_id="T01")

    def cart(self, *barcodes: str) -> Cart:
        """A cart rung by the cashier (the actor under test then works on it)."""
        cashier = self.facts.staff[Role.CASHIER]
        cart = self.sales.new_cart(cashier)
        for code in barcodes:
            self.sales.scan(cashier, cart, code)
        return cart


def _services(path: Path, facts: Facts | None, backup_dir: Path, files: Path,
              store: StoreInfo | None = None) -> tuple[Any, Shop | None]:
    engine = make_engine(f"sqlite:///{path}")
    uow = UnitOfWorkFactory(engine)
    clock = FixedClock(CLOCK_AT)
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    if facts is None and store is None:
        return engine, None
    info = facts.store if facts is not None else store
    assert info is not None
    users = UserService(uow, clock, SecurityPolicy())

    def authenticate(username: str, password: str) -> Actor:
        return users.authenticate(username, password, terminal_id="T01")

    sim = insurer()
    sim._profile = NATIONAL  # the embedded insurer checks the platform's fields
    shop = Shop(
        path=path, backup_dir=backup_dir, facts=facts, uow=uow, clock=clock,  # type: ignore[arg-type]
        policy=policy, users=users,
        sales=SaleService(uow, clock, lambda: (policy, policy.version), sim,
                          store_code=info.code),
        returns=ReturnService(uow, clock, sim, authenticate, store_code=info.code),
        receiving=ReceivingService(uow, clock, store_code=info.code),
        stocktake=StocktakeService(uow, clock, authenticate),
        stockkeeping=StockkeepingService(uow, clock, policy.stock, authenticate,
                                         store_code=info.code),
        catalogue=CatalogueService(uow, clock, authenticate),
        policies=PolicyService.for_store(uow, clock, info.id, None),
        identity=IdentityService(uow, clock, policy.identity),
        uploads=UploadService(uow, clock, sim, NATIONAL, store_id=info.id, terminal_id="T01"),
        backups=BackupService(uow, clock, path, backup_dir, release=engine.dispose),
        printing=PrintService(uow, clock, None, columns=48, store_name="测试大药房",
                              store_code=info.code, terminal_id="T01"),
        files=files,
    )
    return engine, shop


def _prepare(path: Path, files: Path) -> Facts:
    """One store with something for every use case to work on."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_on_start(engine, backup_dir=None)
    clock = FixedClock(CLOCK_AT)
    store, _ = ensure_store(UnitOfWorkFactory(engine), clock, code="H11010500001",
                            name="测试大药房", operator="test", terminal_id="T01")
    engine.dispose()
    engine, shop = _services(path, None, files / "backups", files, store=store)
    assert shop is not None
    system = Actor.system(store.id, "T01", "cli:test")
    staff: dict[Role, Actor] = {}
    for role in Role:
        shop.users.add_user(system, username=_username(role), display_name=role.label,
                            password=STAFF_PASSWORD, roles=[role],
                            qualification_no="ZY0001" if role is Role.PHARMACIST else "")
        staff[role] = shop.authenticate(_username(role), STAFF_PASSWORD)
    shop.users.add_user(system, username=LEAVER, display_name="离职收银员",
                        password=STAFF_PASSWORD, roles=[Role.CASHIER])
    leaver = shop.authenticate(LEAVER, STAFF_PASSWORD)
    shop.users.freeze(system, LEAVER, reason="离职")
    world = build(shop.uow, clock, store.id, staff[Role.STORE_MANAGER].user_id)
    cashier, manager = staff[Role.CASHIER], staff[Role.STORE_MANAGER]
    shop.facts = Facts(store, staff, leaver, world, "", 0, 0, 0, 0, 0, 0, 0, 0, 0)
    shop.policies.ensure_installed(system)

    cart = shop.cart(COLD_GRANULES, MASKS)
    sold = shop.sales.complete(cashier, cart, method=PaymentMethod.CASH, tendered=None)
    with shop.uow(readonly=True) as uow:
        job_id = uow.session.scalars(select(PrintJob.id).order_by(PrintJob.id)).first()
    rx_cart = shop.cart(AMOXICILLIN)
    rx_cart = shop.sales.submit_prescription(cashier, rx_cart, paper_prescription(
        [("P001", 24, 3)], issue_date=date(2026, 11, 1)))
    assert rx_cart.review is not None
    received = shop.receiving.receive(manager, lines=[LineInput(
        row=1, product_key=COLD_GRANULES, lot_no="C2901", expiry_date="2029-01-01",
        purchase_price="6.00", quantity=5, manufacture_date="2026-01-01")],
        delivery_note_no="SH-0001", supplier_name="测试医药有限公司")
    inspector, pharmacist = staff[Role.QUALITY_INSPECTOR], staff[Role.PHARMACIST]
    taking = shop.stocktake.start(inspector)
    counted = world.batches[MASKS][0]
    shop.stocktake.count(inspector, taking.stocktake_id, counted, 48)
    sheet = shop.stockkeeping.open_check(pharmacist)
    locked = world.batches[AMOXICILLIN][1]
    shop.stockkeeping.record_check(pharmacist, sheet.check_id, locked, "doubtful",
                                   "包装破损")
    shop.uploads.take_new()
    with shop.uow(readonly=True) as uow:
        item_id = uow.session.scalars(select(UploadQueueItem.id)
                                      .order_by(UploadQueueItem.id)).first()
    read = shop.identity.record_card_read(cashier, card(), source="virtual")
    shop.identity.blacklist_add(manager, "B00000001", reason="挂失")
    engine.dispose()
    # Every write into the main file: each test copies that file alone.
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Facts(store, staff, leaver, world, sold.doc_no, job_id, rx_cart.review.prescription_id,
                 received.line_ids[0], taking.stocktake_id, counted, sheet.check_id, locked,
                 item_id, read.read_id)


def prepare_store(folder: Path) -> tuple[Path, Facts]:
    """Build the prepared store in ``folder``: its file and what it holds."""
    path = folder / "template.sqlite3"
    return path, _prepare(path, folder)


@contextmanager
def store_copy(template: Path, facts: Facts, folder: Path) -> Iterator[Shop]:
    """Services over a fresh copy of the prepared store in ``folder``."""
    path = folder / "pos.sqlite3"
    shutil.copyfile(template, path)
    backups = folder / "backups"
    backups.mkdir()
    engine, built = _services(path, facts, backups, folder)
    assert built is not None
    try:
        yield built
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Facts]:
    """The store every test starts from (built once per module)."""
    return prepare_store(tmp_path_factory.mktemp("matrix"))


@pytest.fixture
def shop(prepared: tuple[Path, Facts], tmp_path: Path) -> Iterator[Shop]:
    """This test's own copy of the prepared store."""
    with store_copy(*prepared, tmp_path) as built:
        yield built


# -- the matrix ---------------------------------------------------------------------------

class Call(Protocol):
    """Runs one use case as ``actor`` in ``shop``."""

    def __call__(self, shop: Shop, actor: Actor) -> object: ...


@dataclass(frozen=True)
class UseCase:
    """A use case and the permission it needs (any of several; none = every signed-in
    person, for their own session)."""

    needs: tuple[Permission, ...]
    call: Call
    missing_check: str = ""  # why a known gap is not fixed here (strict xfail)


def _any(*needs: Permission) -> tuple[Permission, ...]:
    return needs


SELF_SERVICE: tuple[Permission, ...] = ()


def _staff(shop: Shop, role: Role) -> Actor:
    return shop.facts.staff[role]


def _csv(shop: Shop, name: str, text: str) -> Path:
    path = shop.files / name
    path.write_text(text, encoding="utf-8")
    return path


def _catalogue_file(shop: Shop) -> Path:
    """The demo catalogue (it clashes with the store's barcodes: refused, nothing written)."""
    return resource("demo", "catalogue.csv")


def _identity(shop: Shop) -> SettlementIdentity:
    return SettlementIdentity(read_id=shop.facts.card_read_id, ssn=HOLDER_SSN, name="张三丰",
                              card_number="A12345678")


def _report(shop: Shop) -> Any:
    return monthly_stock.build(shop.uow, Actor.system(shop.facts.store.id, "T01", "cli:t"),
                               OCTOBER)



MATRIX: dict[str, UseCase] = {
    # -- the till --
    "sales.SaleService.new_cart": UseCase(_any(Permission.SELL),
                                          lambda s, a: s.sales.new_cart(a)),
    "sales.SaleService.scan": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.scan(a, s.cart(), MASKS)),
    "sales.SaleService.add_product": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.sales.add_product(a, s.cart(), s.facts.world.products[MASKS])),
    "sales.SaleService.set_quantity": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.set_quantity(a, s.cart(MASKS), 0, "2")),
    "sales.SaleService.set_price": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.set_price(a, s.cart(MASKS), 0, "1.00")),
    "sales.SaleService.remove_line": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.remove_line(a, s.cart(MASKS), 0)),
    "sales.SaleService.add_trace_code": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.sales.add_trace_code(a, s.cart(COLD_GRANULES), "81234567890123456789")),
    "sales.SaleService.attach_insured": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.sales.attach_insured(a, s.cart(COLD_GRANULES), _identity(s))),
    "sales.SaleService.detach_insured": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.detach_insured(a, s.cart(MASKS))),
    "sales.SaleService.record_buyer_id": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.record_buyer_id(a, s.cart(MASKS), BUYER_SSN)),
    "sales.SaleService.submit_prescription": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.submit_prescription(
            a, s.cart(AMOXICILLIN), paper_prescription([("P001", 24, 3)],
                                                       issue_date=date(2026, 11, 1)))),
    "sales.SaleService.import_eprescription": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.import_eprescription(a, "{}")),
    "sales.SaleService.refresh_review": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.refresh_review(a, s.cart(MASKS))),
    "sales.SaleService.review_queue": UseCase(
        _any(Permission.REVIEW_PRESCRIPTION), lambda s, a: s.sales.review_queue(a)),
    "sales.SaleService.review_detail": UseCase(
        _any(Permission.REVIEW_PRESCRIPTION),
        lambda s, a: s.sales.review_detail(a, s.facts.prescription_id)),
    "sales.SaleService.decide": UseCase(
        _any(Permission.REVIEW_PRESCRIPTION),
        lambda s, a: s.sales.decide(a, s.facts.prescription_id, approve=False,
                                    reason=RefusalReason.IRREGULAR, note="测试")),
    "sales.SaleService.pre_settle": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.pre_settle(a, s.cart(MASKS))),
    "sales.SaleService.complete": UseCase(
        _any(Permission.SELL), lambda s, a: s.sales.complete(
            a, s.cart(MASKS), method=PaymentMethod.CASH, tendered=None)),
    "sales.SaleService.hold": UseCase(_any(Permission.SELL),
                                      lambda s, a: s.sales.hold(a, s.cart(MASKS))),
    "sales.SaleService.recall": UseCase(_any(Permission.SELL),
                                        lambda s, a: s.sales.recall(a)),
    # -- returns --
    "returns.ReturnService.find": UseCase(
        _any(Permission.SELL), lambda s, a: s.returns.find(a, s.facts.sale_doc_no)),
    "returns.ReturnService.return_items": UseCase(
        _any(Permission.SELL), lambda s, a: s.returns.return_items(
            a, s.facts.sale_doc_no, {line.line_id: 1 for line in s.returns.find(
                _staff(s, Role.CASHIER), s.facts.sale_doc_no).lines[:1]},
            reason="顾客退货", approver=_username(Role.STORE_MANAGER),
            approver_password=STAFF_PASSWORD)),
    # -- receiving --
    "receiving.ReceivingService.suppliers": UseCase(
        _any(Permission.RECEIVE_GOODS), lambda s, a: s.receiving.suppliers(a)),
    "receiving.ReceivingService.add_supplier": UseCase(
        _any(Permission.MANAGE_CATALOGUE), lambda s, a: s.receiving.add_supplier(
            a, name="新供应商", licence_no="京AA0000009", licence_expiry=date(2030, 1, 1))),
    "receiving.ReceivingService.find_product": UseCase(
        _any(Permission.RECEIVE_GOODS), lambda s, a: s.receiving.find_product(a, MASKS)),
    "receiving.ReceivingService.pending": UseCase(
        _any(Permission.ACCEPT_QUALITY), lambda s, a: s.receiving.pending(a)),
    "receiving.ReceivingService.receive_file": UseCase(
        _any(Permission.RECEIVE_GOODS), lambda s, a: s.receiving.receive_file(
            a, _csv(s, "delivery.csv", "商品条码,批号,生产日期,有效期至,进价,数量\n"
                    f"{MASKS},M2901,2026-01-01,2029-01-01,2.00,3\n"),
            supplier_name="测试医药有限公司", delivery_note_no="SH-0002")),
    "receiving.ReceivingService.receive": UseCase(
        _any(Permission.RECEIVE_GOODS), lambda s, a: s.receiving.receive(
            a, lines=[LineInput(row=1, product_key=MASKS, lot_no="M2902",
                                expiry_date="2029-01-01", purchase_price="2.00", quantity=3,
                                manufacture_date="2026-01-01")],
            delivery_note_no="SH-0003", supplier_name="测试医药有限公司")),
    "receiving.ReceivingService.accept": UseCase(
        _any(Permission.ACCEPT_QUALITY), lambda s, a: s.receiving.accept(
            a, [LineDecision(s.facts.receipt_line_id, 50)])),
    "receiving.ReceivingService.return_to_supplier": UseCase(
        _any(Permission.RECEIVE_GOODS), lambda s, a: s.receiving.return_to_supplier(
            a, s.facts.receipt_line_id, 10, "破损")),
    # -- stock-take --
    "stocktake.StocktakeService.start": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.start(a)),
    "stocktake.StocktakeService.open_stocktakes": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.open_stocktakes(a)),
    "stocktake.StocktakeService.resume": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.resume(a, s.facts.stocktake_id)),
    "stocktake.StocktakeService.info": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.info(a, s.facts.stocktake_id, 1)),
    "stocktake.StocktakeService.lots": UseCase(
        _any(Permission.COUNT_STOCK),
        lambda s, a: s.stocktake.lots(a, s.facts.stocktake_id, MASKS)),
    "stocktake.StocktakeService.count": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.count(
            a, s.facts.stocktake_id, s.facts.world.batches[COLD_GRANULES][0], 290)),
    "stocktake.StocktakeService.count_lot": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.count_lot(
            a, s.facts.stocktake_id, COLD_GRANULES, "C2801", 290)),
    "stocktake.StocktakeService.differences": UseCase(
        _any(Permission.COUNT_STOCK),
        lambda s, a: s.stocktake.differences(a, s.facts.stocktake_id)),
    "stocktake.StocktakeService.uncounted": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.uncounted(a, s.facts.stocktake_id)),
    "stocktake.StocktakeService.approve": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.approve(
            a, s.facts.stocktake_id, approver=_username(Role.STORE_MANAGER),
            approver_password=STAFF_PASSWORD)),
    "stocktake.StocktakeService.cancel": UseCase(
        _any(Permission.COUNT_STOCK), lambda s, a: s.stocktake.cancel(
            a, s.facts.stocktake_id, approver=_username(Role.STORE_MANAGER),
            approver_password=STAFF_PASSWORD, reason="重新盘点")),
    # -- stock keeping --
    "stockkeeping.StockkeepingService.expire_due_batches": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.expire_due_batches(a)),
    "stockkeeping.StockkeepingService.near_expiry": UseCase(
        _any(Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK),
        lambda s, a: s.stockkeeping.near_expiry(a)),
    "stockkeeping.StockkeepingService.held_batches": UseCase(
        _any(Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK),
        lambda s, a: s.stockkeeping.held_batches(a)),
    "stockkeeping.StockkeepingService.open_check": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.open_check(a, "2026-12")),
    "stockkeeping.StockkeepingService.check_sheet": UseCase(
        _any(Permission.MAINTAIN_STOCK),
        lambda s, a: s.stockkeeping.check_sheet(a, s.facts.check_id)),
    "stockkeeping.StockkeepingService.record_check": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.record_check(
            a, s.facts.check_id, s.facts.world.batches[MASKS][0], "ok")),
    "stockkeeping.StockkeepingService.release": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.release(
            a, s.facts.locked_batch_id, reason="复查合格", approver=_username(Role.STORE_MANAGER),
            approver_password=STAFF_PASSWORD)),
    "stockkeeping.StockkeepingService.destroy": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.destroy(
            a, s.facts.locked_batch_id, reason="破损", approver=_username(Role.STORE_MANAGER),
            approver_password=STAFF_PASSWORD)),
    "stockkeeping.StockkeepingService.splittable": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.splittable(a)),
    "stockkeeping.StockkeepingService.split_package": UseCase(
        _any(Permission.MAINTAIN_STOCK), lambda s, a: s.stockkeeping.split_package(
            a, s.facts.world.batches[AMOXICILLIN][0], 1,
            checker=_username(Role.QUALITY_INSPECTOR), checker_password=STAFF_PASSWORD)),
    "stockkeeping.StockkeepingService.split_records": UseCase(
        _any(Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK),
        lambda s, a: s.stockkeeping.split_records(a)),
    "stockkeeping.StockkeepingService.low_stock": UseCase(
        _any(Permission.MAINTAIN_STOCK, Permission.VIEW_STOCK),
        lambda s, a: s.stockkeeping.low_stock(a)),
    # -- catalogue, suppliers, policy, blacklist --
    "catalogue.CatalogueService.import_file": UseCase(
        _any(Permission.MANAGE_CATALOGUE),
        lambda s, a: s.catalogue.import_file(a, _catalogue_file(s))),
    "catalogue.CatalogueService.price_changes": UseCase(
        _any(Permission.MANAGE_CATALOGUE),
        lambda s, a: s.catalogue.price_changes(a, _catalogue_file(s))),
    "catalogue.search_products": UseCase(
        _any(Permission.VIEW_STOCK), lambda s, a: search_products(s.uow, a, "AMX")),
    "policy.PolicyService.history": UseCase(
        _any(Permission.CHANGE_POLICY), lambda s, a: s.policies.history(a)),
    "policy.PolicyService.ensure_installed": UseCase(
        SELF_SERVICE, lambda s, a: s.policies.ensure_installed(a)),
    "policy.PolicyService.install": UseCase(
        _any(Permission.CHANGE_POLICY), lambda s, a: s.policies.install(
            a, resource("policy", "default.toml").read_text(encoding="utf-8").replace(
                'version = "', 'version = "matrix-', 1), source="matrix.toml",
            # The second person (SEC-2): the administrator, so the manager installs.
            approver=_staff(s, Role.ADMINISTRATOR))),
    "identity.IdentityService.record_card_read": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.identity.record_card_read(a, card(), source="virtual")),
    "identity.IdentityService.verify_document": UseCase(
        _any(Permission.SELL), lambda s, a: s.identity.verify_document(
            a, s.facts.card_read_id, id_number=HOLDER_SSN, name="张三丰", record=card())),
    "identity.IdentityService.settlement_identity": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.identity.settlement_identity(a, read_id=s.facts.card_read_id)),
    "identity.IdentityService.declare_proxy": UseCase(
        _any(Permission.SELL), lambda s, a: s.identity.declare_proxy(
            a, s.facts.card_read_id, ProxyPurchase(buyer_id_number=BUYER_SSN,
                                                   buyer_name="李四",
                                                   insured_id_number=HOLDER_SSN))),
    "identity.IdentityService.blacklist_add": UseCase(
        _any(Permission.MANAGE_BLACKLIST),
        lambda s, a: s.identity.blacklist_add(a, "B00000002", reason="挂失")),
    "identity.IdentityService.blacklist_import": UseCase(
        _any(Permission.MANAGE_BLACKLIST), lambda s, a: s.identity.blacklist_import(
            a, _csv(s, "blacklist.csv", "卡号,原因\nB00000003,挂失\n"))),
    "identity.IdentityService.blacklist_lift": UseCase(
        _any(Permission.MANAGE_BLACKLIST),
        lambda s, a: s.identity.blacklist_lift(a, "B00000001", reason="找回")),
    "identity.IdentityService.blacklist": UseCase(
        _any(Permission.VIEW_STATUS), lambda s, a: s.identity.blacklist(a)),
    "identity.IdentityService.card_use_flags": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: s.identity.card_use_flags(a, date(2026, 10, 1), date(2026, 11, 1))),
    # -- staff accounts --
    "users.UserService.add_user": UseCase(
        _any(Permission.MANAGE_USERS), lambda s, a: s.users.add_user(
            a, username="newcomer", display_name="新人", password=STAFF_PASSWORD,
            roles=[Role.CASHIER])),
    "users.UserService.freeze": UseCase(
        _any(Permission.MANAGE_USERS),
        lambda s, a: s.users.freeze(a, _username(Role.CASHIER), reason="离职")),
    "users.UserService.list_users": UseCase(
        _any(Permission.MANAGE_USERS), lambda s, a: s.users.list_users(a)),
    "users.UserService.verify_credentials": UseCase(
        SELF_SERVICE, lambda s, a: s.users.verify_credentials(a, STAFF_PASSWORD)),
    "users.UserService.log_out": UseCase(
        SELF_SERVICE, lambda s, a: s.users.log_out(a, reason="测试")),
    # -- uploads, backups, printing --
    "uploads.UploadService.overview": UseCase(
        _any(Permission.VIEW_STATUS), lambda s, a: s.uploads.overview(a)),
    "uploads.UploadService.items": UseCase(
        _any(Permission.VIEW_STATUS), lambda s, a: s.uploads.items(a)),
    "uploads.UploadService.detail": UseCase(
        _any(Permission.VIEW_STATUS), lambda s, a: s.uploads.detail(a, s.facts.upload_item_id)),
    "uploads.UploadService.correct": UseCase(
        _any(Permission.APPROVE), lambda s, a: s.uploads.correct(
            a, s.facts.upload_item_id, reason="更正")),
    "backup.BackupService.backup": UseCase(
        _any(Permission.MAINTAIN_SYSTEM), lambda s, a: s.backups.backup(a)),
    "backup.BackupService.daily_if_due": UseCase(
        _any(Permission.MAINTAIN_SYSTEM), lambda s, a: s.backups.daily_if_due(a)),
    "backup.BackupService.restore": UseCase(
        _any(Permission.MAINTAIN_SYSTEM),
        lambda s, a: s.backups.restore(a, s.files / "no-such-copy.sqlite3")),
    "printing.PrintService.document": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.printing.document(a, "receipt", s.facts.sale_doc_no)),
    "printing.PrintService.pending": UseCase(
        _any(Permission.VIEW_STATUS), lambda s, a: s.printing.pending(a)),
    "printing.PrintService.reprint": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.printing.reprint(a, "receipt", s.facts.sale_doc_no, reason="卡纸")),
    "printing.PrintService.dismiss": UseCase(
        _any(Permission.SELL),
        lambda s, a: s.printing.dismiss(a, s.facts.print_job_id, reason="打印机故障")),
    "printing.PrintService.queue_shift_report": UseCase(
        _any(Permission.SELL), lambda s, a: s.printing.queue_shift_report(
            a, CLOCK_AT.replace(hour=0), CLOCK_AT.replace(hour=10))),
    "printing.PrintService.shift_data": UseCase(
        _any(Permission.SELL), lambda s, a: s.printing.shift_data(
            a, CLOCK_AT.replace(hour=0), CLOCK_AT.replace(hour=10))),
    "printing.PrintService.recent_documents": UseCase(
        _any(Permission.SELL), lambda s, a: s.printing.recent_documents(a, date(2026, 11, 1))),
    # -- views: audit trail, status, rx book, dashboard, reports and their export --
    "audit.recent_audit": UseCase(
        _any(Permission.VIEW_AUDIT), lambda s, a: audit.recent_audit(s.uow, a)),
    "status.status_counts": UseCase(
        _any(Permission.VIEW_STATUS), lambda s, a: status.status_counts(s.uow, a)),
    "rx_book.external_prescription_book": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: rx_book.external_prescription_book(s.uow, a, 2026, 11)),
    "dashboard.dashboard_figures": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: dashboard.dashboard_figures(s.uow, a, date(2026, 11, 1))),
    "monthly_stock.build": UseCase(
        _any(Permission.VIEW_REPORTS), lambda s, a: monthly_stock.build(s.uow, a, OCTOBER)),
    "reconcile.reconcile": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: reconcile.reconcile(s.uow, a, OCTOBER, insurer=insurer())),
    "reconcile.build": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: reconcile.build(s.uow, a, OCTOBER, insurer=insurer())),
    "rx_statement.entries": UseCase(
        _any(Permission.VIEW_REPORTS), lambda s, a: rx_statement.entries(s.uow, a, OCTOBER)),
    "rx_statement.build": UseCase(
        _any(Permission.VIEW_REPORTS), lambda s, a: rx_statement.build(s.uow, a, OCTOBER)),
    "insured_categories.category_rows": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: insured_categories.category_rows(s.uow, a, OCTOBER)),
    "insured_categories.build": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: insured_categories.build(s.uow, a, OCTOBER)),
    "self_inspection.events": UseCase(
        _any(Permission.VIEW_REPORTS), lambda s, a: self_inspection.events(s.uow, a, OCTOBER)),
    "self_inspection.build": UseCase(
        _any(Permission.VIEW_REPORTS),
        lambda s, a: self_inspection.build(s.uow, a, OCTOBER, identity=s.identity)),
    "export.export_report": UseCase(
        _any(Permission.EXPORT_REPORTS),
        lambda s, a: export.export_report(a, _report(s), s.files / "monthly.xlsx", "xlsx")),
}

#: Functions taking an ``actor`` that are not use cases of their own, and why.
EXEMPT: dict[str, str] = {
    "audit.record": "writes inside the caller's unit of work; the calling use case checks",
    "batches.change_status": "a step inside the caller's unit of work (stock keeping, "
                             "receiving); the calling use case checks",
    "printing.add_jobs": "queues print jobs inside the caller's transaction (sale, return)",
    "demo.load_demo": "the command line's demo loader, run as the local administrator on an "
                      "empty database before any account exists",
    "setup.create_first_admin": "creates the first administrator of an empty database; does "
                                "nothing once any account exists",
    "startup_check.DatabaseCheck.full": "the start-up and background database check: reads "
                                        "only, for whoever is signed in (the actor only "
                                        "names who the audit record credits)",
    "self_inspection.CardUseReport.card_use_flags": "a Protocol (the identity service's "
                                                    "card_use_flags is in the matrix)",
}


def _discovered() -> set[str]:
    """Every public function or method of services/ and reports/ taking an ``actor``."""
    found = set()
    for package in (pharmacy_pos.services, pharmacy_pos.reports):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, obj in vars(module).items():
                if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                    continue
                members = ([(f"{name}.{m}", f) for m, f in vars(obj).items()
                            if not m.startswith("_")] if inspect.isclass(obj)
                           else [(name, obj)])
                for qualname, func in members:
                    if not inspect.isfunction(func):
                        continue
                    if "actor" in inspect.signature(func).parameters:
                        found.add(f"{info.name}.{qualname}")
    return found


def test_sec_1_the_matrix_names_every_use_case() -> None:
    """A use case added without a matrix entry (or an entry left for a removed one) fails."""
    discovered = _discovered()
    named = set(MATRIX) | set(EXEMPT)
    assert sorted(discovered - named) == [], "use cases missing from the access matrix"
    assert sorted(named - discovered) == [], "matrix entries naming no use case"


def test_sec_1_every_permission_guards_some_use_case() -> None:
    """No permission is granted without a use case checking it in a service."""
    used = {p for case in MATRIX.values() for p in case.needs}
    assert set(Permission) - used == set()


# -- running it ---------------------------------------------------------------------------

def _snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the database file."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


def _may(actor: Actor, needs: tuple[Permission, ...]) -> bool:
    return not needs or any(actor.can(p) for p in needs)


def _run(shop: Shop, actor: Actor, case: UseCase) -> tuple[bool, BaseException | None]:
    """Call the use case; (refused for permission, other error or None)."""
    try:
        case.call(shop, actor)
    except PermissionDenied as exc:
        return True, exc
    except PosError as exc:
        return False, exc
    return False, None


def _check(shop: Shop, actor: Actor, case: UseCase, label: str) -> list[str]:
    """What is wrong with calling ``case`` as ``actor`` (empty: all as it should be)."""
    before, files_before = _snapshot(shop.path), _files(shop.backup_dir)
    refused, error = _run(shop, actor, case)
    if _may(actor, case.needs):
        if refused:
            return [f"{label} holds the permission but was refused: {error}"]
        return []
    if not refused:
        return [f"{label} lacks {[p.value for p in case.needs]} but was not refused "
                f"({error!r})"]
    after = _snapshot(shop.path)
    changed = [t for t in before if before[t] != after.get(t)]
    problems = []
    if changed:
        problems.append(f"{label} was refused but tables changed: {changed}")
    if _files(shop.backup_dir) != files_before:
        problems.append(f"{label} was refused but the backup folder changed")
    if getattr(error, "rule_id", None) != "SEC-1":
        problems.append(f"{label}: refused without naming SEC-1: {error}")
    return problems


def _params() -> list[Any]:
    marks = []
    for name, case in MATRIX.items():
        extra = ([pytest.mark.xfail(strict=True, reason=case.missing_check)]
                 if case.missing_check else [])
        marks.append(pytest.param(name, id=name, marks=extra))
    return marks


@pytest.mark.parametrize("name", _params())
def test_sec_1_use_case_as_every_role(shop: Shop, name: str) -> None:
    """Refused roles get PermissionDenied and change nothing; allowed roles get past it."""
    case = MATRIX[name]
    problems: list[str] = []
    # Roles refused first: they must find the store exactly as prepared.
    order = sorted(Role, key=lambda r: _may(shop.facts.staff[r], case.needs))
    for role in order:
        problems += _check(shop, shop.facts.staff[role], case, role.value)
    problems += _check(shop, shop.facts.leaver, case, "frozen cashier's open session")
    assert problems == []


def test_sec_1_the_roles_hold_what_the_design_gives_them() -> None:
    """Least privilege (SEC-1): maintenance is apart from business, the auditor only reads."""
    admin = ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert Permission.SELL not in admin and Permission.APPROVE not in admin
    assert Permission.MANAGE_USERS not in ROLE_PERMISSIONS[Role.STORE_MANAGER]
    assert ROLE_PERMISSIONS[Role.AUDITOR] == {
        Permission.VIEW_STOCK, Permission.VIEW_REPORTS, Permission.VIEW_AUDIT,
        Permission.VIEW_STATUS}
