"""The migrated schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Numeric, column, inspect, select, table, text

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_on_start,
)
from pharmacy_pos.db.models import Base, Product, Store
from pharmacy_pos.domain.product import (
    ControlledCategory,
    InsuranceClass,
    OtcClass,
    ProductCategory,
)


def test_models_and_migrations_do_not_drift(engine):
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_upgrade_is_at_head_and_idempotent(engine):
    assert current_revision(engine) == head_revision()
    again = upgrade_on_start(engine, backup_dir=None)
    assert not again.upgraded and again.backup is None


def test_downgrade_to_base_and_back(engine):
    config = alembic_config(engine)
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert "ledger_entries" in inspect(engine).get_table_names()


def test_pending_migration_on_a_non_empty_database_is_backed_up_first(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE legacy_notes (id INTEGER PRIMARY KEY, note TEXT)")
        conn.execute("INSERT INTO legacy_notes (note) VALUES ('保留的数据')")
    engine = make_engine(f"sqlite:///{path}")
    result = upgrade_on_start(engine, backup_dir=tmp_path / "backups")
    engine.dispose()
    assert result.upgraded and result.backup is not None and result.backup.exists()
    with sqlite3.connect(result.backup) as copy:
        assert copy.execute("SELECT note FROM legacy_notes").fetchall() == [("保留的数据",)]
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
    assert "ledger_entries" not in tables  # the copy is from before the upgrade


def test_empty_database_needs_no_backup(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    result = upgrade_on_start(engine, backup_dir=tmp_path / "backups")
    engine.dispose()
    assert result.upgraded and result.backup is None


def _product(price: Decimal) -> Product:
    now = datetime.now(UTC)
    return Product(
        item_code="P1", generic_name="维生素C片", specification="0.1g*100片",
        manufacturer="某药厂", is_prescription=False, otc_class=OtcClass.B,
        insurance_class=InsuranceClass.NONE, category=ProductCategory.DRUG,
        controlled_category=ControlledCategory.NONE, package_unit="瓶", min_unit="片",
        units_per_pack=100, split_allowed=False, retail_price=price, pinyin_initials="WSSCP",
        created_at=now, updated_at=now,
    )


def test_money_is_stored_as_exact_integers(uow_factory):
    with uow_factory() as uow:
        uow.products.add(_product(Decimal("3.1416")))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        product = uow.products.all()[0]
        assert product.retail_price == Decimal("3.1416")
        raw = uow.session.execute(
            select(table("products", column("retail_price")).c.retail_price)
        ).scalar_one()
    assert raw == 31416 and isinstance(raw, int)


def test_money_with_too_many_decimals_is_refused_not_rounded(uow_factory):
    with pytest.raises(Exception, match="decimal places"), uow_factory() as uow:
        uow.products.add(_product(Decimal("3.14159")))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        assert uow.products.count() == 0


def test_no_float_numeric_columns_anywhere():
    # SQLAlchemy's Decimal-on-SQLite warning can only come from Numeric; we have none.
    numeric = [c for t in Base.metadata.tables.values() for c in t.columns
               if isinstance(c.type, Numeric)]
    assert numeric == []


def test_time_is_stored_in_utc_and_read_back_aware(uow_factory):
    shanghai = timezone(timedelta(hours=8))
    local = datetime(2026, 11, 1, 10, 0, tzinfo=shanghai)
    with uow_factory() as uow:
        uow.stores.add(Store(code="H1", name="店", created_at=local))
        uow.commit()
    with uow_factory(readonly=True) as uow:
        stored = uow.stores.by_code("H1").created_at
    assert stored == local and stored.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(uow_factory):
    with pytest.raises(Exception, match="naive"), uow_factory() as uow:
        uow.stores.add(Store(code="H2", name="店", created_at=datetime(2026, 1, 1)))  # noqa: DTZ001
        uow.commit()



def test_warnings_fail_the_suite(request):
    # SQLAlchemy warns where Decimal would pass through float (e.g. Numeric on some
    # drivers); with filterwarnings=error any such warning fails the test that caused it.
    assert request.config.getini("filterwarnings")[0] == "error"


def test_start_up_head_constant_matches_the_migration_scripts():
    from pharmacy_pos.db.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_upgrading_a_database_of_the_first_release_keeps_its_data_and_backs_it_up(tmp_path):
    # A terminal still on revision 0001 with a sale-ready store: the app's start upgrades
    # it, after writing a copy the store could go back to.
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO stores (code, name, created_at) "
            "VALUES ('H1', '老店', '2026-01-01 00:00:00.000000')"))
    result = upgrade_on_start(engine, backup_dir=tmp_path / "backups")
    assert (result.from_revision, result.to_revision) == ("0001", head_revision())
    assert result.backup is not None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM stores")).scalar_one() == "老店"
        assert "card_reads" in inspect(conn).get_table_names()
    engine.dispose()
    with sqlite3.connect(result.backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
