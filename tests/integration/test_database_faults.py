"""A database that is locked, read-only or not a database: a clear message, nothing lost."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.errors import EnvironmentFault
from pharmacy_pos.services.setup import ensure_store


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "pos.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_on_start(engine, backup_dir=None)
    engine.dispose()
    return path


def test_locked_database_is_an_environment_fault_and_nothing_is_written(sqlite_file):
    engine = make_engine(f"sqlite:///{sqlite_file}", busy_timeout_ms=200)
    factory = UnitOfWorkFactory(engine)
    other = sqlite3.connect(sqlite_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(EnvironmentFault, match="占用") as fault:
            ensure_store(factory, FixedClock(), code="H1", name="店", operator="t",
                         terminal_id="T01")
        assert fault.value.retryable
    finally:
        other.execute("ROLLBACK")
        other.close()
    with factory(readonly=True) as uow:
        assert uow.stores.all() == []
    # and once the lock is gone the same call works
    ensure_store(factory, FixedClock(), code="H1", name="店", operator="t", terminal_id="T01")
    engine.dispose()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_file_is_reported(sqlite_file):
    sqlite_file.chmod(stat.S_IRUSR)
    engine = make_engine(f"sqlite:///{sqlite_file}")
    with pytest.raises(EnvironmentFault, match="只读"):
        ensure_store(UnitOfWorkFactory(engine), FixedClock(), code="H1", name="店",
                     operator="t", terminal_id="T01")
    engine.dispose()


def test_read_only_connection_is_reported(sqlite_file):
    # Works as root too: the database is opened read-only by SQLite itself.
    engine = make_engine(f"sqlite:///file:{sqlite_file}?mode=ro&uri=true")
    with pytest.raises(EnvironmentFault, match="只读"):
        ensure_store(UnitOfWorkFactory(engine), FixedClock(), code="H1", name="店",
                     operator="t", terminal_id="T01")
    engine.dispose()
