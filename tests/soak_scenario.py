"""A store's months of trade through the real services: the soak scenario (issue 9).

Shared by ``benchmarks/bench_soak.py`` (10,000 sales, timed) and
``tests/integration/test_soak_small.py`` (a few hundred, not timed). Everything goes
through the use cases a store uses: ``SaleService`` rings and settles (cash, the embedded
simulated insurer, prescriptions signed by a pharmacist at the same database), refusals
by rules are attempted and counted (SALE-5 expired stock, RX-12 over two packs of an
ephedrine compound, RX-1 a prescription drug without a prescription), about 3 % of the
sales come back through ``ReturnService`` approved by the store manager (SALE-7), every
receipt and return slip is printed by ``PrintService`` to a real printer (a file or a
TCP listener), and ``ReceivingService`` restocks every week (a quality inspector
accepts what the manager received, INV-2). The clock is a :class:`FixedClock` moved on
minutes between sales and to the next morning each day, so the sales spread over
``days`` store days (three calendar months by default).

Afterwards :func:`check_books` runs ``verify_database`` and builds the monthly stock
report (REP-1) of every month covered, checking each equation independently of the
report's own check (every row, every product, the totals against the rows, each month's
closing against the next month's opening) and cross-checking the report's columns
against what the scenario did (units sold, returned, received; the last closing against
the ledger's balances).
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.models import Batch, LedgerEntry, Product, Sale, StockBalance
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.devices.adapters.escpos_printer import EscposPrinter
from pharmacy_pos.devices.ports import parse_printer_config
from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.clock import STORE_ZONE, FixedClock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.ids import id_check_digit
from pharmacy_pos.domain.policy import IdentityPolicy, Policy, SecurityPolicy
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.ports import InsuredPerson, InsurerRefused
from pharmacy_pos.paths import resource
from pharmacy_pos.reports import monthly_stock
from pharmacy_pos.reports.catalog import Period
from pharmacy_pos.reports.model import Report
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.identity import IdentityService
from pharmacy_pos.services.printing import PrintService
from pharmacy_pos.services.receiving import LineDecision, ReceivingService
from pharmacy_pos.services.returns import ReturnService
from pharmacy_pos.services.sales import Cart, SaleService
from pharmacy_pos.services.setup import StoreInfo, ensure_store
from pharmacy_pos.services.users import UserService
from pharmacy_pos.services.verify import verify_database
from tests import till_world
from tests.till_world import (
    AMLODIPINE,
    AMOXICILLIN,
    COLD_GRANULES,
    CONTAC,
    EXPIRED_ONLY,
    MASKS,
    paper_prescription,
)

STORE_CODE = "H11010500099"
STORE_NAME = "浸泡测试大药房"
TERMINAL = "SOAK01"
PASSWORD = "Soak2026pass"
SUPPLIER = "测试医药有限公司"  # created by till_world.build, licence valid until 2030
START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
OPENING_HOURS = 12
RETURN_SHARE = 0.03
REFUSED_SHARE = 0.07
RESTOCK_EVERY_DAYS = 7
# Products that are sold (and restocked); EXPIRED_ONLY is only ever tried, and refused.
SOLD = (AMOXICILLIN, COLD_GRANULES, MASKS, CONTAC, AMLODIPINE)
OTC = (COLD_GRANULES, MASKS, CONTAC)
RX = (AMOXICILLIN, AMLODIPINE)
# Prescription drugs: (item code, units dispensed, days of supply) within RX-4/RX-6.
RX_ITEMS = {AMOXICILLIN: ("P001", 24, 4), AMLODIPINE: ("P006", 7, 7)}
SIGNS = {t.value: sign for t, _, sign in monthly_stock.MOVEMENTS}
MONEY_KEYS = ("opening_cost", "opening_retail", "closing_cost", "closing_retail")


class SoakFailure(AssertionError):
    """The books do not add up after the soak (the message says where)."""


@dataclass
class SoakStats:
    """What the scenario did, for the report and the cross-checks."""

    sales: int = 0
    kinds: Counter[str] = field(default_factory=Counter)          # completed, by kind
    refusals: Counter[str] = field(default_factory=Counter)       # rule id -> attempts
    # Sales meant to complete that did not (short stock, the insurer said no), by rule id
    # or error type: nothing was written for them.
    declined: Counter[str] = field(default_factory=Counter)
    returns: int = 0
    receipts_printed: int = 0
    receivings: int = 0
    sold_units: Counter[str] = field(default_factory=Counter)      # item code -> units
    returned_units: Counter[str] = field(default_factory=Counter)
    received_units: Counter[str] = field(default_factory=Counter)
    sale_ns: list[int] = field(default_factory=list)               # only when measured
    print_ns: list[int] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None

    def months(self) -> list[Period]:
        """The calendar months the scenario's days fall in."""
        assert self.first_day and self.last_day
        out, year, month = [], self.first_day.year, self.first_day.month
        while (year, month) <= (self.last_day.year, self.last_day.month):
            out.append(Period.month(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


@dataclass(frozen=True)
class BooksResult:
    """What :func:`check_books` found (it raises :class:`SoakFailure` otherwise)."""

    verify_chains: tuple[tuple[str, int], ...]
    months: tuple[str, ...]
    report_rows: tuple[int, ...]
    report_seconds: tuple[float, ...]
    equations_checked: int
    products_checked: int
    ledger_entries: int
    sales_in_database: int


def person(n: int) -> tuple[CardRecord, InsuredPerson]:
    """Card holder ``n``: own ID number and card, employee basic insurance."""
    born = date(1950, 1, 1) + timedelta(days=(n * 37) % 18_000)
    body = f"110105{born:%Y%m%d}{n % 1000:03d}"
    ssn = body + id_check_digit(body)
    name = "浸泡" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "子丑寅卯辰巳午未申酉"[(n // 10) % 10]
    record = CardRecord(
        region_code="110100", card_id_code=f"110100000000{n:020d}", card_type="1",
        spec_version="2.00", issue_date=date(2020, 5, 1), expiry_date=date(2030, 5, 1),
        card_number=f"S{n:08d}", ssn=ssn, name=name, sex="1", ethnicity="01",
        birth_date=born)
    insured = InsuredPerson(psn_no=f"SOAK{n:09d}", certno=ssn, psn_name=name, insutype="310",
                            balc=Decimal("3000.00"), fund_paid_this_year=Decimal("0.00"))
    return record, insured


class SoakStore:
    """One store on one database: staff logged in, services wired, stock received.

    Args:
        url: SQLAlchemy URL of an empty (or migrated, empty) database.
        printer: the printer setting (``file:PATH`` or ``tcp:HOST:PORT``).
        persons: card holders the simulated insurer knows.
    """

    def __init__(self, url: str, *, printer: str, persons: int = 200) -> None:
        self.engine = make_engine(url)
        upgrade_on_start(self.engine, backup_dir=None)
        self.uow = UnitOfWorkFactory(self.engine)
        self.clock = FixedClock(START)
        self.policy = Policy.from_toml(
            resource("policy", "default.toml").read_text(encoding="utf-8"))
        self.store: StoreInfo = ensure_store(self.uow, self.clock, code=STORE_CODE,
                                             name=STORE_NAME, operator="soak",
                                             terminal_id=TERMINAL)[0]
        self.users = UserService(self.uow, self.clock, SecurityPolicy())
        system = Actor.system(self.store.id, TERMINAL, "soak")
        self.staff: dict[Role, Actor] = {}
        for role in (Role.CASHIER, Role.PHARMACIST, Role.STORE_MANAGER,
                     Role.QUALITY_INSPECTOR):
            name = f"soak.{role.value}"
            self.users.add_user(system, username=name, display_name=role.label,
                                password=PASSWORD, roles=[role],
                                qualification_no="ZY0099" if role is Role.PHARMACIST else "")
            self.staff[role] = self.users.authenticate(name, PASSWORD, terminal_id=TERMINAL)
        self.cashier = self.staff[Role.CASHIER]
        self.manager = self.staff[Role.STORE_MANAGER]
        self.world = till_world.build(self.uow, self.clock, self.store.id,
                                      self.manager.user_id)
        self.cards = [person(n) for n in range(1, persons + 1)]
        self.insurer = SimulatedInsurer(self.policy.insurer, [p for _, p in self.cards],
                                        clock=self.clock)
        policy = self.policy
        self.sales = SaleService(self.uow, self.clock, lambda: (policy, policy.version),
                                 self.insurer, store_code=self.store.code)
        self.returns = ReturnService(
            self.uow, self.clock, self.insurer,
            lambda u, p: self.users.authenticate(u, p, terminal_id=TERMINAL),
            store_code=self.store.code)
        self.identity = IdentityService(self.uow, self.clock, IdentityPolicy())
        self.receiving = ReceivingService(self.uow, self.clock, store_code=self.store.code)
        device = EscposPrinter(parse_printer_config(printer, default_file=Path("soak.prn")),
                               timeout_s=2.0, confirm_s=0.2)
        self.printing = PrintService(self.uow, self.clock, device, columns=device.columns,
                                     store_name=STORE_NAME, store_code=self.store.code,
                                     terminal_id=TERMINAL)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def ledger_entries(self) -> int:
        """Ledger rows in the database."""
        with self.uow(readonly=True) as uow:
            return uow.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0


class Scenario:
    """Ring ``sales`` sales over ``days`` store days, seeded, with the mix described above.

    Args:
        measure: time each sale and each print (``time.perf_counter_ns``); the benchmark
            sets it, the tests do not.
        progress: called as ``progress(done, total)`` every 500 sales.
    """

    def __init__(self, store: SoakStore, *, sales: int, days: int = 90, seed: int = 2026,
                 measure: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.s = store
        self.total = sales
        self.days = max(1, min(days, sales))
        # Customers a day: refused attempts and returns are customers too (~10 %).
        self.per_day = math.ceil(sales / self.days / (1 - RETURN_SHARE - REFUSED_SHARE))
        self.step = timedelta(minutes=OPENING_HOURS * 60 / (self.per_day + 1))
        self.rng = random.Random(seed)
        self.measure = measure
        self.progress = progress
        self.stats = SoakStats()
        self._returnable: list[tuple[str, bool]] = []   # (doc no, insured)
        self._next_card = 0
        self._restock_no = 0
        # Weekly target in packs: what a week sells of one product, twice over.
        self._target_packs = max(30, math.ceil(self.per_day * RESTOCK_EVERY_DAYS * 0.8))

    # -- the run ----------------------------------------------------------------------

    def run(self) -> SoakStats:
        """Ring every sale; returns what was done."""
        s, stats = self.s, self.stats
        day = 0
        stats.first_day = s.clock.today()
        while stats.sales < self.total:
            if day % RESTOCK_EVERY_DAYS == 0:
                self.restock()
            for _ in range(self.per_day):
                if stats.sales >= self.total:
                    break
                self.one_customer()
                s.clock.advance(seconds=self.step.total_seconds())
            stats.last_day = s.clock.today()
            day += 1
            opening = datetime.combine(s.clock.today() + timedelta(days=1),
                                       datetime.min.time(), STORE_ZONE) + timedelta(hours=9)
            s.clock.moment = opening.astimezone(UTC)
        return stats

    def one_customer(self) -> None:
        """One customer at the till: a sale, a refused attempt, or a return."""
        roll = self.rng.random()
        if self._returnable and roll < RETURN_SHARE:
            self.give_back()
            return
        if roll < RETURN_SHARE + REFUSED_SHARE:
            self.refused_attempt()
            return
        kind = self.rng.choices(("otc_cash", "insured", "rx_cash", "rx_insured"),
                                weights=(45, 30, 15, 10))[0]
        started = time.perf_counter_ns() if self.measure else 0
        try:
            cart, units = self.ring(kind)
            sold = self.s.sales.complete(self.s.cashier, cart, method=PaymentMethod.CASH,
                                         self_pay_consent=True)
        except (DomainError, InsurerRefused) as refused:
            # Stock ran short or the insurer said no: a refusal, nothing was written.
            self.stats.declined[getattr(refused, "rule_id", "") or type(refused).__name__] += 1
            return
        if self.measure:
            self.stats.sale_ns.append(time.perf_counter_ns() - started)
        self.stats.sales += 1
        self.stats.kinds[kind] += 1
        self.stats.sold_units.update(units)
        self._returnable.append((sold.doc_no, kind.endswith("insured")))
        self.print_all()
        if self.progress and self.stats.sales % 500 == 0:
            self.progress(self.stats.sales, self.total)

    def ring(self, kind: str) -> tuple[Cart, Counter[str]]:
        """A cart of ``kind``, ready to pay; also the units per item code on it."""
        s, cashier, rng = self.s, self.s.cashier, self.rng
        cart = s.sales.new_cart(cashier)
        card = None
        if kind.endswith("insured"):
            card, _ = s.cards[self._next_card % len(s.cards)]
            self._next_card += 1
        if kind.startswith("rx"):
            barcode = rng.choice(RX)
            code, units, days = RX_ITEMS[barcode]
            # One whole pack (amlodipine may not be split): the units prescribed.
            s.sales.add_product(cashier, cart, s.world.products[barcode], "1")
            patient = (card.name, card.ssn) if card else ("张三丰", till_world.HOLDER_SSN)
            document = paper_prescription([(code, units, days)], issue_date=s.clock.today(),
                                          patient=patient[0], patient_id=patient[1])
            s.sales.submit_prescription(cashier, cart, document)
            assert cart.review is not None
            s.sales.decide(s.staff[Role.PHARMACIST], cart.review.prescription_id,
                           approve=True)
            s.sales.refresh_review(cashier, cart)
        for barcode in rng.sample(OTC, rng.randint(0 if kind.startswith("rx") else 1, 2)):
            s.sales.scan(cashier, cart, barcode)
            if barcode == CONTAC:
                # RX-12: the buyer's ID is recorded for an ephedrine compound.
                s.sales.record_buyer_id(cashier, cart, card.ssn if card
                                        else till_world.HOLDER_SSN)
            elif rng.random() < 0.3:
                s.sales.scan(cashier, cart, barcode)
        if card is not None:
            check = s.identity.record_card_read(cashier, card, source="pcsc")
            s.identity.verify_document(cashier, check.read_id, id_number=card.ssn,
                                       name=card.name, record=card)
            s.sales.attach_insured(cashier, cart, s.identity.settlement_identity(
                cashier, read_id=check.read_id))
        units: Counter[str] = Counter()
        for line in cart.lines:
            units[line.product.item_code] += line.quantity
        return cart, units

    def refused_attempt(self) -> None:
        """A sale the rules refuse; counted by the rule id on the refusal."""
        s, cashier = self.s, self.s.cashier
        cart = s.sales.new_cart(cashier)
        which = self.rng.randrange(3)
        try:
            if which == 0:      # SALE-5: the only batch is expired
                s.sales.scan(cashier, cart, EXPIRED_ONLY)
            elif which == 1:    # RX-12: three packs of an ephedrine compound
                for _ in range(3):
                    s.sales.scan(cashier, cart, CONTAC)
                s.sales.record_buyer_id(cashier, cart, till_world.HOLDER_SSN)
            else:               # RX-1: a prescription drug without a prescription
                s.sales.scan(cashier, cart, AMLODIPINE)
            s.sales.complete(cashier, cart, method=PaymentMethod.CASH)
        except DomainError as refused:
            self.stats.refusals[refused.rule_id or "DomainError"] += 1
            return
        raise SoakFailure(f"attempt {which} was not refused")

    def give_back(self) -> None:
        """A return of a recent sale, approved by the store manager (SALE-7)."""
        s = self.s
        doc_no, insured = self._returnable.pop(self.rng.randrange(len(self._returnable)))
        found = s.returns.find(s.cashier, doc_no)
        wanted = {}
        for line in found.lines:
            # Insured sales come back whole (the settlement is cancelled whole).
            units = line.returnable_units if insured or self.rng.random() < 0.5 else min(
                line.returnable_units, line.units_per_pack)
            if units:
                wanted[line.line_id] = units
        back = s.returns.return_items(s.cashier, doc_no, wanted, reason="顾客退货（浸泡测试）",
                                      approver=f"soak.{Role.STORE_MANAGER.value}",
                                      approver_password=PASSWORD)
        by_line = {line.line_id: line.item_code for line in found.lines}
        for line_id, units in wanted.items():
            self.stats.returned_units[by_line[line_id]] += units
        self.stats.returns += 1
        assert back.doc_no
        self.print_all()

    def print_all(self) -> None:
        """Print every waiting job (receipt, purchase list, return slip)."""
        while True:
            started = time.perf_counter_ns() if self.measure else 0
            job = self.s.printing.print_next()
            if job is None:
                return
            if self.measure:
                self.stats.print_ns.append(time.perf_counter_ns() - started)
            self.stats.receipts_printed += 1

    def restock(self) -> None:
        """Receive a delivery bringing each sold product up to the weekly target; the
        quality inspector accepts it whole (INV-2)."""
        s = self.s
        have = sellable_packs(s)
        self._restock_no += 1
        lines = []
        for row, barcode in enumerate(SOLD, start=1):
            short = self._target_packs - have.get(s.world.products[barcode], 0)
            if short > 0:
                lines.append(LineInput(row=row, product_key=barcode,
                                       lot_no=f"SK{self._restock_no:03d}{row}",
                                       expiry_date=date(2028, 6, 1), purchase_price="6.00",
                                       quantity=short, manufacture_date=date(2026, 1, 1),
                                       approval_no="国药准字H20000000"))
        if not lines:
            return
        s.receiving.receive(s.manager, lines=lines, supplier_name=SUPPLIER,
                            delivery_note_no=f"SH-SOAK-{self._restock_no:04d}")
        inspector = s.staff[Role.QUALITY_INSPECTOR]
        pending = s.receiving.pending(inspector)
        s.receiving.accept(inspector, [LineDecision(p.line_id, p.units) for p in pending])
        for p in pending:
            self.stats.received_units[p.item_code] += p.units
        self.stats.receivings += 1


def sellable_packs(store: SoakStore) -> dict[int, int]:
    """Product id -> whole packs in sellable, unexpired batches today."""
    today = store.clock.today()
    with store.uow(readonly=True) as uow:
        rows = uow.session.execute(
            select(Batch.product_id, func.sum(StockBalance.quantity), Product.units_per_pack)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .join(Product, Product.id == Batch.product_id)
            .where(Batch.store_id == store.store.id, Batch.status == BatchStatus.SELLABLE,
                   Batch.expiry_date > today)
            .group_by(Batch.product_id, Product.units_per_pack)).all()
    return {product: int(units) // per_pack for product, units, per_pack in rows}


# --- the books afterwards ------------------------------------------------------------------

def report_rows(report: Report) -> Iterator[dict[str, Any]]:
    """The monthly stock report's rows as column key -> value."""
    section = report.sections[0]
    keys = [c.key for c in section.columns]
    for row in section.rows:
        yield dict(zip(keys, row, strict=True))


def check_month(report: Report) -> tuple[dict[tuple[str, str, int], int],
                                         dict[tuple[str, str, int], int],
                                         dict[str, Counter[str]], int]:
    """Check one monthly report's equations (REP-1), independently of the report's own check.

    Returns (opening by batch key, closing by batch key, movement sums per item code,
    rows checked).

    Raises:
        SoakFailure: a row, a product or the total does not add up.
    """
    section = report.sections[0]
    opening: dict[tuple[str, str, int], int] = {}
    closing: dict[tuple[str, str, int], int] = {}
    by_product: dict[str, Counter[str]] = defaultdict(Counter)
    money = Counter[str]()
    rows = 0
    for row in report_rows(report):
        rows += 1
        moved = sum(SIGNS[key] * row[key] for key in SIGNS)
        if row["opening"] + moved != row["closing"]:
            raise SoakFailure(f"{report.period} {row['item_code']} lot {row['lot_no']}: "
                              f"{row['opening']} + {moved} != {row['closing']}")
        key = (row["item_code"], row["lot_no"], row["expiry_date"].toordinal())
        if key in opening:
            raise SoakFailure(f"{report.period}: batch {key} reported twice")
        opening[key], closing[key] = row["opening"], row["closing"]
        product = by_product[row["item_code"]]
        product["opening"] += row["opening"]
        product["closing"] += row["closing"]
        for movement in SIGNS:
            product[movement] += row[movement]
        for column in MONEY_KEYS:
            money[column] += int(row[column] * 100)
    for code, p in by_product.items():
        if p["opening"] + sum(SIGNS[k] * p[k] for k in SIGNS) != p["closing"]:
            raise SoakFailure(f"{report.period} product {code}: the equation does not hold")
    keys = [c.key for c in section.columns]
    assert section.total is not None
    total = dict(zip(keys, section.total, strict=True))
    for column in MONEY_KEYS:
        if int(Decimal(total[column]) * 100) != money[column]:
            raise SoakFailure(f"{report.period} total {column}: {total[column]} but the rows "
                              f"add up to {Decimal(money[column]) / 100}")
    return opening, closing, by_product, rows


def check_books(store: SoakStore, stats: SoakStats, *, workers: int | None = 1,
                timed: bool = False) -> BooksResult:
    """``verify`` clean, every monthly report's equations, and the reports against the
    scenario's own counts.

    Raises:
        SoakFailure: with what does not add up.
    """
    verified = verify_database(store.uow, workers=workers)
    if not verified.ok:
        raise SoakFailure("verify: " + "; ".join(verified.problems()))
    months = stats.months()
    previous_closing: dict[tuple[str, str, int], int] | None = None
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    rows_per_month, seconds, checked = [], [], 0
    last_closing: dict[tuple[str, str, int], int] = {}
    for period in months:
        started = time.perf_counter() if timed else 0.0
        report = monthly_stock.build(store.uow, store.manager, period, clock=store.clock)
        if timed:
            seconds.append(round(time.perf_counter() - started, 3))
        opening, closing, by_product, rows = check_month(report)
        checked += rows
        rows_per_month.append(rows)
        if previous_closing is not None:
            # Every batch carried over opens this month at last month's closing.
            for key, units in previous_closing.items():
                if units and opening.get(key, 0) != units:
                    raise SoakFailure(f"{report.period} batch {key}: opens at "
                                      f"{opening.get(key, 0)}, last month closed at {units}")
            for key, units in opening.items():
                if units != previous_closing.get(key, 0):
                    raise SoakFailure(f"{report.period} batch {key}: opening {units} not "
                                      "last month's closing")
        elif any(opening.values()):
            raise SoakFailure(f"{report.period}: the first month opens with stock")
        for code, sums in by_product.items():
            moved[code].update(sums)
        previous_closing = last_closing = closing
    codes = {code: barcode for barcode, code in store.world.item_codes.items()}
    for code in codes:
        m = moved.get(code, Counter())
        expect = {"sale_out": stats.sold_units[code], "sale_return": stats.returned_units[code],
                  "purchase_in": stats.received_units[code]
                  + _initial_units(store, codes[code])}
        for column, units in expect.items():
            if m[column] != units:
                raise SoakFailure(f"{code} {column}: the reports say {m[column]}, "
                                  f"the scenario did {units}")
    balances = _balances(store)
    for key, units in last_closing.items():
        if balances.get(key, 0) != units:
            raise SoakFailure(f"batch {key}: last closing {units}, the ledger has "
                              f"{balances.get(key, 0)}")
    with store.uow(readonly=True) as uow:
        sales = uow.session.scalar(select(func.count()).select_from(Sale).where(
            Sale.kind == "sale")) or 0
    if sales != stats.sales:
        raise SoakFailure(f"{sales} sales in the database, the scenario completed {stats.sales}")
    return BooksResult(
        verify_chains=tuple((c.chain, c.count) for c in verified.chains),
        months=tuple(p.label() for p in months), report_rows=tuple(rows_per_month),
        report_seconds=tuple(seconds), equations_checked=checked,
        products_checked=len(codes), ledger_entries=store.ledger_entries(),
        sales_in_database=sales)


def _initial_units(store: SoakStore, barcode: str) -> int:
    # What till_world.build received at the start (its _BATCHES, in minimum units).
    per_pack = next(p[12] for p in till_world._PRODUCTS if p[0] == barcode)
    return sum(packs * per_pack for _, _, packs in till_world._BATCHES[barcode])


def _balances(store: SoakStore) -> dict[tuple[str, str, int], int]:
    """(item code, lot, expiry ordinal) -> the ledger's balance now (sum of entries)."""
    with store.uow(readonly=True) as uow:
        rows = uow.session.execute(
            select(Product.item_code, Batch.lot_no, Batch.expiry_date,
                   func.sum(LedgerEntry.quantity))
            .join(Batch, Batch.id == LedgerEntry.batch_id)
            .join(Product, Product.id == Batch.product_id)
            .where(LedgerEntry.store_id == store.store.id)
            .group_by(Product.item_code, Batch.lot_no, Batch.expiry_date)).all()
    return {(code, lot, expiry.toordinal()): int(units) for code, lot, expiry, units in rows}
