"""Shared fixtures: a fixed clock, real databases (SQLite and PostgreSQL), a store, staff."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.setup import StoreInfo, ensure_store
from pharmacy_pos.services.users import UserService
from tests.pg import PostgresServer, PostgresUnavailable

STAFF_PASSWORD = "Passw0rd2026"


@pytest.fixture
def clock() -> FixedClock:
    """2026-11-01 10:00 in Shanghai."""
    return FixedClock(datetime(2026, 11, 1, 2, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session; tests needing it skip with the reason."""
    try:
        server = PostgresServer()
        server.start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    server.create_template("pos_template", _migrate)
    try:
        yield server
    finally:
        server.stop()


def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade_on_start(engine, backup_dir=None)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL, once on SQLite (empty) and once on PostgreSQL (migrated template)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pos.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.fresh_database() as url:
        yield url


@pytest.fixture
def engine(db_url: str):
    """A migrated engine on ``db_url``."""
    engine = make_engine(db_url)
    upgrade_on_start(engine, backup_dir=None)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine) -> UnitOfWorkFactory:
    """Units of work over the migrated engine."""
    return UnitOfWorkFactory(engine)


@pytest.fixture
def store(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> StoreInfo:
    """The terminal's store."""
    info, _ = ensure_store(uow_factory, clock, code="H11010500001", name="测试大药房",
                           operator="test", terminal_id="T01")
    return info


@pytest.fixture
def system_actor(store: StoreInfo) -> Actor:
    """The command-line operator of the store."""
    return Actor.system(store.id, "T01", "cli:test")


@pytest.fixture
def security() -> SecurityPolicy:
    """Default security numbers."""
    return SecurityPolicy()


@pytest.fixture
def user_service(uow_factory: UnitOfWorkFactory, clock: FixedClock,
                 security: SecurityPolicy) -> UserService:
    """The user use cases."""
    return UserService(uow_factory, clock, security)


@pytest.fixture
def staff(user_service: UserService, system_actor: Actor) -> dict[Role, Actor]:
    """One logged-in actor per role (all with password ``STAFF_PASSWORD``)."""
    actors = {}
    for role in Role:
        user_service.add_user(
            system_actor, username=role.value.replace("_", "."), display_name=role.label,
            password=STAFF_PASSWORD, roles=[role],
            qualification_no="ZY0001" if role is Role.PHARMACIST else "",
        )
        actors[role] = user_service.authenticate(role.value.replace("_", "."), STAFF_PASSWORD,
                                                 terminal_id="T01")
    return actors


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Tests create many accounts; a lower scrypt cost keeps them fast (same code path)."""
    from pharmacy_pos.services import passwords

    saved = passwords.LOG2_N
    passwords.LOG2_N = 10
    yield
    passwords.LOG2_N = saved


@pytest.fixture(scope="session")
def qapp(qapp):  # pytest-qt's own, extended
    """pytest-qt's QApplication with the app's garbage collection on the GUI thread
    (``ui/gui_gc.py``): the print, upload and card workers of a test never free a
    cycle holding a Qt object; and the keys going back to a window after its dialog
    closes (``ui/focus_return.py``), as in the app."""
    from pharmacy_pos.ui.focus_return import return_focus_after_dialogs
    from pharmacy_pos.ui.gui_gc import collect_on_gui_thread

    collector = collect_on_gui_thread(qapp)
    return_focus_after_dialogs(qapp)
    yield qapp
    collector.stop()
