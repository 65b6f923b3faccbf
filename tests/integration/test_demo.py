"""Demo data: realistic, complete, reproducible, and received through the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pharmacy_pos.db.models import Batch, LedgerEntry, Product, User
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType, ProductCategory
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.demo import DEMO_PASSWORD, load_demo
from pharmacy_pos.services.users import UserService
from pharmacy_pos.services.verify import verify_database


@pytest.fixture
def demo(uow_factory, clock, system_actor):
    return load_demo(uow_factory, clock, system_actor, catalogue=resource("demo", "catalogue.csv"))


def test_demo_has_every_category_and_about_200_products(demo, uow_factory):
    with uow_factory(readonly=True) as uow:
        categories = dict(uow.session.execute(
            select(Product.category, func.count()).group_by(Product.category)).all())
        prescription = uow.session.scalar(
            select(func.count()).where(Product.is_prescription.is_(True)))
    assert set(categories) == set(ProductCategory)
    assert 180 <= sum(categories.values()) <= 250 and prescription >= 40


def test_demo_batches_include_expired_and_near_expiry(demo, uow_factory, clock):
    today = clock.today()
    with uow_factory(readonly=True) as uow:
        batches = uow.session.scalars(select(Batch)).all()
        expired = [b for b in batches if b.expiry_date < today]
        assert expired and all(b.status is BatchStatus.EXPIRED for b in expired)
        assert any(today <= b.expiry_date <= today + timedelta(days=30) for b in batches)
        assert any(b.status is BatchStatus.AWAITING_ACCEPTANCE for b in batches)
        entries = uow.session.scalars(select(LedgerEntry)).all()
        assert {e.entry_type for e in entries} == {LedgerEntryType.PURCHASE_IN}
        assert len(entries) == len(batches) == demo.batches
        times = [e.occurred_at for e in sorted(entries, key=lambda e: e.chain_seq)]
        assert times == sorted(times)
    assert demo.expired_batches == len(expired)


def test_demo_has_one_user_per_role_who_can_log_in(demo, uow_factory, clock, security):
    with uow_factory(readonly=True) as uow:
        roles = {r.role for u in uow.session.scalars(select(User)) for r in u.roles}
    assert roles == set(Role)
    users = UserService(uow_factory, clock, security)
    assert users.authenticate("pharmacist", DEMO_PASSWORD, terminal_id="T01").roles == {
        Role.PHARMACIST}


def test_demo_ledger_verifies(demo, uow_factory):
    report = verify_database(uow_factory)
    assert report.ok, list(report.problems())


def test_demo_is_reproducible_from_its_seed(uow_factory, clock, system_actor, tmp_path):
    from pharmacy_pos.db.engine import make_engine
    from pharmacy_pos.db.migrate import upgrade_on_start
    from pharmacy_pos.db.uow import UnitOfWorkFactory
    from pharmacy_pos.services.setup import ensure_store

    def lots(factory) -> list[tuple[str, str]]:
        with factory(readonly=True) as uow:
            return sorted((b.lot_no, str(b.expiry_date)) for b in uow.session.scalars(
                select(Batch)))

    load_demo(uow_factory, clock, system_actor, catalogue=resource("demo", "catalogue.csv"))
    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    upgrade_on_start(other, backup_dir=None)
    factory = UnitOfWorkFactory(other)
    store, _ = ensure_store(factory, clock, code="H2", name="另一店", operator="t", terminal_id="T")
    load_demo(factory, clock, system_actor.__class__.system(store.id, "T", "t"),
              catalogue=resource("demo", "catalogue.csv"))
    assert lots(uow_factory) == lots(factory)
    other.dispose()
