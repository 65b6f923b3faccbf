"""The composition root picks the card back end from the settings."""

from __future__ import annotations

import pytest

from pharmacy_pos.bootstrap import build_context, load_policy
from pharmacy_pos.domain.errors import EnvironmentFault, ValidationFailed
from pharmacy_pos.settings import Settings


@pytest.fixture
def make_context(tmp_path):
    contexts = []

    def make(**settings):
        ctx = build_context(Settings(data_dir=tmp_path, **settings))
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.mark.parametrize(("reader", "name", "source"), [
    ("auto", "", "pcsc"), ("pcsc", "ACS ACR39U 00 00", "pcsc"), ("virtual", "", "virtual"),
    ("auto", "Virtual PCD 00 00", "virtual"), ("vendor", "", "vendor")])
def test_card_source_follows_the_settings(make_context, reader, name, source):
    assert make_context(card_reader=reader, card_reader_name=name).card_source == source


def test_no_reader_and_vendor_driver_have_no_watcher(make_context):
    assert make_context(card_reader="none").card_watcher() is None
    assert make_context(card_reader="none").card_reader() is None
    assert make_context(card_reader="vendor").card_watcher() is None


def test_vendor_driver_without_a_library_path_says_what_to_configure(make_context):
    with pytest.raises(EnvironmentFault, match="PHARMACY_POS_VENDOR_LIBRARY"):
        make_context(card_reader="vendor").card_reader()


def test_an_invalid_policy_file_stops_the_start_with_every_problem(tmp_path):
    bad = tmp_path / "policy.toml"
    bad.write_text('version = ""\nregion = "r"\neffective_from = 2026-01-01\n', encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        load_policy(Settings(data_dir=tmp_path, policy_file=bad))
    assert [p.field for p in failed.value.problems] == ["version"]
    with pytest.raises(ValidationFailed, match="无法读取"):
        load_policy(Settings(data_dir=tmp_path, policy_file=tmp_path / "missing.toml"))


def test_inv_3_the_app_locks_batches_past_expiry_on_its_own(tmp_path):
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from sqlalchemy import select

    from pharmacy_pos.db.models import Batch
    from pharmacy_pos.domain.clock import FixedClock
    from pharmacy_pos.domain.ledger import StockMovement
    from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
    from pharmacy_pos.paths import resource
    from pharmacy_pos.services.actor import Actor
    from pharmacy_pos.services.demo import load_demo
    from pharmacy_pos.services.setup import ensure_store

    settings = Settings(data_dir=tmp_path, store_code="H00000000001", terminal_id="T01")
    ctx = build_context(settings, clock=FixedClock(datetime(2026, 11, 1, 2, tzinfo=UTC)))
    try:
        store, _ = ensure_store(ctx.uow, ctx.clock, code="H00000000001", name="演示药房",
                                operator="test", terminal_id="T01")
        load_demo(ctx.uow, ctx.clock, Actor.system(store.id, "T01", "test"),
                  catalogue=resource("demo", "catalogue.csv"))
        ctx.refresh_store()
        ctx.expire_due_batches("test")
        # A sellable batch with stock that ran out of date yesterday.
        with ctx.uow() as uow:
            product = uow.products.by_item_codes(["P000001"])["P000001"]
            batch = uow.batches.add(Batch(
                store_id=store.id, product_id=product.id, supplier_id=None, lot_no="OLD1",
                manufacture_date=None, expiry_date=date(2026, 10, 31),
                purchase_price=Decimal("5.00"), status=BatchStatus.SELLABLE,
                created_at=ctx.clock.now()))
            admin = uow.users.by_username("admin")
            uow.ledger.append(store.id, [StockMovement(
                batch_id=batch.id, product_id=product.id,
                entry_type=LedgerEntryType.PURCHASE_IN, quantity=product.units_per_pack,
                unit_cost=Decimal("5.00"), units_per_pack=product.units_per_pack,
                doc_type="test", doc_no="RK-OLD1")], operator_id=admin.id,
                occurred_at=ctx.clock.now())
            uow.commit()
        assert ctx.expire_due_batches("test") == 1
        assert ctx.expire_due_batches("test") == 0
        with ctx.uow(readonly=True) as uow:
            statuses = {b.status for b in uow.session.scalars(
                select(Batch).where(Batch.expiry_date < date(2026, 11, 1)))}
        assert BatchStatus.SELLABLE not in statuses
    finally:
        ctx.close()
