"""verify split over worker processes finds exactly what one walk finds (SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services import verify as verify_module
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.services.users import UserService
from tests.integration.helpers import add_batch, add_product, move, post

IN, OUT = LedgerEntryType.PURCHASE_IN, LedgerEntryType.SALE_OUT


@pytest.fixture
def ledger(tmp_path, clock, monkeypatch):
    """A SQLite ledger of 41 entries; chains of 10+ links are split over workers."""
    monkeypatch.setattr(verify_module, "PARALLEL_MIN_LINKS", 10)
    engine = make_engine(f"sqlite:///{tmp_path / 'pos.sqlite3'}")
    upgrade_on_start(engine, backup_dir=None)
    factory = UnitOfWorkFactory(engine)
    store, _ = ensure_store(factory, clock, code="H1", name="店", operator="t", terminal_id="T")
    admin = Actor.system(store.id, "T", "t")
    user = UserService(factory, clock, SecurityPolicy()).add_user(
        admin, username="inspector", display_name="验收", password="Strong2026x",
        roles=[Role.QUALITY_INSPECTOR])
    product = add_product(factory, clock)
    batch = add_batch(factory, clock, store.id, product)
    post(factory, clock, store.id, user.id, move(batch, product, IN, 1000))
    for i in range(40):
        clock.advance(minutes=1)
        post(factory, clock, store.id, user.id, move(batch, product, OUT, -(i + 1), f"X{i}"))
    yield factory
    engine.dispose()


def _tamper(factory, seq: int) -> None:
    with factory() as uow:
        uow.session.execute(text("DROP TRIGGER IF EXISTS ledger_entries_no_update"))
        uow.session.execute(text(
            f"UPDATE ledger_entries SET note = 'x' WHERE chain_seq = {seq}"))
        uow.commit()


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_parallel_verify_of_an_intact_ledger(ledger, workers):
    report = verify_module.verify_database(ledger, workers=workers)
    single = verify_module.verify_database(ledger, workers=1)
    assert report.ok and single.ok
    assert [(c.chain, c.count, c.last_hash) for c in report.chains] == [
        (c.chain, c.count, c.last_hash) for c in single.chains]


@pytest.mark.parametrize("seq", [3, 12, 25, 41])
def test_inv_5_parallel_verify_finds_the_same_first_break(ledger, seq):
    _tamper(ledger, seq)
    parallel = verify_module.verify_database(ledger, workers=3).first_break
    single = verify_module.verify_database(ledger, workers=1).first_break
    assert parallel is not None and single is not None
    assert (parallel.seq, parallel.row_id, parallel.reason) == (
        single.seq, single.row_id, single.reason)
    assert parallel.seq == seq and parallel.row_id is not None
