"""Engine set-up for the embedded SQLite default and for PostgreSQL.

SQLite: WAL (readers never block the writer), foreign keys on, synchronous=FULL (a
committed sale survives a power cut), a busy timeout, and ``BEGIN IMMEDIATE`` for write
transactions so two writers serialise at the start instead of failing at commit.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

SQLITE_BUSY_TIMEOUT_MS = 5000
READONLY_OPTION = "pos_readonly"
# A pooled PostgreSQL connection idle for longer than this is pinged before it is handed
# out again (the server may have restarted meanwhile); a busy till's connections are not.
PING_AFTER_IDLE_S = 30.0


def make_engine(
    url: str, *, echo: bool = False, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    """Create the engine for ``url``; a SQLite file's folder is created if missing.

    ``busy_timeout_ms`` is how long a SQLite writer waits for another one before the
    use case fails with "database locked" (an ``EnvironmentFault`` with a retry).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        )
        _configure_sqlite(engine, busy_timeout_ms)
        # "Disk full" / "read-only" said precisely, for every engine the app makes.
        from pharmacy_pos.db.faults import install_fault_diagnosis  # it imports this module

        install_fault_diagnosis(engine)
        return engine
    engine = create_engine(url, echo=echo)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a connection that sat idle in the pool before use, not one in steady use.

    SQLAlchemy's ``pool_pre_ping`` costs a round trip on every checkout, and a sale takes
    several (each scan, the completion), which on a store's server adds up across the
    terminals. A connection in use moments ago is alive; one idle for a while is pinged,
    and a dead one is replaced (the pool retries the checkout) before any use case sees it.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection is gone") from exc


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE can be issued.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        readonly = conn.get_execution_options().get(READONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a file-based SQLite engine, else None."""
    if not is_sqlite(engine):
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)
