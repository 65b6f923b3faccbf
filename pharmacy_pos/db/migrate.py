"""Bring a database to the current schema on start, with a copy taken first.

The app runs ``upgrade_on_start`` before anything else touches the database. When a
migration is pending on a database that already holds data, a backup copy is written
first (SQLite online backup API), so a failed upgrade can always be undone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from pharmacy_pos.db.engine import sqlite_path
from pharmacy_pos.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions. Start-up compares the database with this
# constant and imports Alembic only when they differ (a test keeps the two in step).
HEAD_REVISION = "0008"


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What ``upgrade_on_start`` did."""

    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        """Whether any migration ran."""
        return self.from_revision != self.to_revision


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine`` (no alembic.ini needed)."""
    config = alembic_config_for_scripts()
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts (read with Alembic)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config_for_scripts())
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def alembic_config_for_scripts() -> Config:
    """Config for reading the migration scripts only."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:
            return None
    return rows[0] if len(rows) == 1 else None


def upgrade_on_start(engine: Engine, *, backup_dir: Path | None) -> MigrationResult:
    """Upgrade to head; back up first when a non-empty database needs a migration."""
    before = current_revision(engine)
    if before == HEAD_REVISION:
        return MigrationResult(before, HEAD_REVISION, None)
    from alembic import command

    head = head_revision()
    backup = None
    if backup_dir is not None and _has_tables(engine):
        backup = backup_copy(engine, backup_dir, reason=f"pre-migration-{before or 'none'}")
    command.upgrade(alembic_config(engine), "head")
    return MigrationResult(before, head, backup)


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def backup_copy(engine: Engine, backup_dir: Path, *, reason: str) -> Path | None:
    """Copy a SQLite database with the online backup API; None for other backends.

    PostgreSQL is backed up with ``pg_dump`` by the store's administrator (README).
    """
    source = sqlite_path(engine)
    if source is None or not source.exists():
        return None
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{source.stem}-{stamp}-{reason}.sqlite3"
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target
