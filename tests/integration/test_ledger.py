"""The append-only, hash-chained ledger and audit log (INV-1, INV-5, SEC-4), on both backends."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import text

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.verify import verify_database
from tests.integration.helpers import add_batch, add_product, move, post

IN, OUT = LedgerEntryType.PURCHASE_IN, LedgerEntryType.SALE_OUT


@pytest.fixture
def stocked(uow_factory, clock, store, staff):
    """A batch received (240) and partly sold (-30, -10)."""
    operator = staff[Role.QUALITY_INSPECTOR].user_id
    product = add_product(uow_factory, clock)
    batch = add_batch(uow_factory, clock, store.id, product)
    post(uow_factory, clock, store.id, operator, move(batch, product, IN, 240, "RK1"))
    clock.advance(minutes=5)
    post(uow_factory, clock, store.id, operator, move(batch, product, OUT, -30, "XS1"),
         move(batch, product, OUT, -10, "XS2"))
    return batch, product, operator


def _disable_guards(uow_factory, table: str):
    """What a tamperer with database access would do first."""
    with uow_factory() as uow:
        if uow.session.bind.dialect.name == "sqlite":
            uow.session.execute(text(f"DROP TRIGGER {table}_no_update"))
            uow.session.execute(text(f"DROP TRIGGER {table}_no_delete"))
        else:
            uow.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        uow.commit()


def test_inv_1_stock_on_hand_is_the_sum_of_entries(uow_factory, stocked):
    batch, _, _ = stocked
    with uow_factory(readonly=True) as uow:
        assert uow.ledger.balance_of(batch) == 200
        assert uow.ledger.cached_balance_of(batch) == 200
        assert uow.ledger.count() == 3
    assert verify_database(uow_factory).ok


def test_inv_1_stock_never_goes_negative(uow_factory, clock, store, stocked):
    batch, product, operator = stocked
    with pytest.raises(DomainError, match="库存不足") as refused:
        post(uow_factory, clock, store.id, operator, move(batch, product, OUT, -201))
    assert refused.value.rule_id == "INV-1"
    with uow_factory(readonly=True) as uow:
        assert uow.ledger.count() == 3 and uow.ledger.balance_of(batch) == 200


def test_inv_1_a_failed_movement_leaves_nothing_half_written(uow_factory, clock, store, stocked):
    batch, product, operator = stocked
    with pytest.raises(DomainError):
        post(uow_factory, clock, store.id, operator, move(batch, product, OUT, -5),
             move(batch, product, OUT, -500))
    with uow_factory(readonly=True) as uow:
        assert uow.ledger.count() == 3 and uow.ledger.cached_balance_of(batch) == 200
    assert verify_database(uow_factory).ok


@pytest.mark.parametrize("table", ["ledger_entries", "audit_log"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET note = note", "DELETE FROM {t}"])
def test_inv_5_the_database_refuses_edits_and_deletes(uow_factory, stocked, table, statement):
    if table == "audit_log":
        statement = statement.replace("note = note", "action = action")
    with pytest.raises(DomainError, match="只能追加") as refused, uow_factory() as uow:
        uow.session.execute(text(statement.format(t=table)))
        uow.commit()
    assert refused.value.rule_id == "INV-5"
    assert verify_database(uow_factory).ok


def test_inv_5_verify_finds_an_edited_quantity(uow_factory, stocked):
    _disable_guards(uow_factory, "ledger_entries")
    with uow_factory() as uow:
        uow.session.execute(text(
            "UPDATE ledger_entries SET quantity = -3 WHERE chain_seq = 2"))
        uow.session.execute(text(
            "UPDATE stock_balances SET quantity = quantity + 27"))
        uow.commit()
    report = verify_database(uow_factory)
    assert not report.ok
    assert report.first_break is not None and report.first_break.seq == 2
    assert report.first_break.chain.startswith("ledger/")


def test_inv_5_verify_finds_a_deleted_last_entry(uow_factory, stocked):
    batch, _, _ = stocked
    _disable_guards(uow_factory, "ledger_entries")
    with uow_factory() as uow:
        uow.session.execute(text("DELETE FROM ledger_entries WHERE chain_seq = 3"))
        uow.commit()
    report = verify_database(uow_factory)
    assert not report.ok
    assert any("链头" in p for p in report.head_problems)
    assert [m.batch_id for m in report.balance_mismatches] == [batch]


def test_inv_1_verify_finds_a_cached_balance_that_disagrees(uow_factory, stocked):
    batch, _, _ = stocked
    with uow_factory() as uow:
        uow.session.execute(text("UPDATE stock_balances SET quantity = 999"))
        uow.commit()
    report = verify_database(uow_factory)
    assert [(m.batch_id, m.cached, m.ledger) for m in report.balance_mismatches] == [
        (batch, 999, 200)]


def test_sec_4_verify_finds_an_edited_audit_record(uow_factory, stocked):
    _disable_guards(uow_factory, "audit_log")
    with uow_factory() as uow:
        uow.session.execute(text(
            "UPDATE audit_log SET actor_name = 'someone-else' WHERE chain_seq = 2"))
        uow.commit()
    report = verify_database(uow_factory)
    assert report.first_break is not None
    assert report.first_break.chain.startswith("audit/") and report.first_break.seq == 2


def test_amounts_at_cost_are_exact(uow_factory, stocked):
    with uow_factory(readonly=True) as uow:
        amounts = uow.session.execute(text(
            "SELECT amount FROM ledger_entries ORDER BY chain_seq")).scalars().all()
    # 240 units = 10 packs at 10.00; -30 units = -12.50; -10 units = -4.17 (half up)
    assert [Decimal(a).scaleb(-2) for a in amounts] == [
        Decimal("100.00"), Decimal("-12.50"), Decimal("-4.17")]


def test_inv_5_concurrent_writers_never_fork_the_chain(uow_factory, clock, store, stocked):
    batch, product, operator = stocked
    errors: list[BaseException] = []

    def sell(worker: int) -> None:
        for i in range(15):
            try:
                post(uow_factory, clock, store.id, operator,
                     move(batch, product, OUT, -1, f"W{worker}-{i}"))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=sell, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_database(uow_factory)
    assert report.ok, list(report.problems())
    with uow_factory(readonly=True) as uow:
        assert uow.ledger.balance_of(batch) == 200 - 45
