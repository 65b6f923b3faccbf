"""Backups and restore of the embedded database (SEC-6), audit-logged (SEC-4).

A backup is an online copy, checked before it gets its name, with rotation per kind
(``daily`` copies kept two weeks, ``manual`` ten). A restore checks the copy twice
before anything is replaced: the file (``integrity_check``, this app's tables) and its
contents (ledger and audit hash chains, stock equations: :func:`verify_database` on a
scratch copy); then the live database is itself backed up (``before-restore``) and
replaced in one step. PostgreSQL stores use ``pg_dump`` / ``pg_restore`` (README).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pharmacy_pos.db.backup import BackupCopy, check_copy, copy_into, list_copies, take_backup
from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.uow import UnitOfWork, UnitOfWorkFactory
from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.verify import verify_database

KEEP = {"daily": 14, "manual": 10, "before-restore": 5}
DAILY = timedelta(hours=24)
POSTGRES_GUIDANCE = ("本店使用 PostgreSQL：请由管理员用 pg_dump -Fc 备份、pg_restore 恢复"
                     "（见 README“备份与恢复”）")


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore did.

    Attributes:
        restored_from: the copy put in place.
        safety_copy: the copy of the database as it was before the restore.
        entries_checked: ledger entries whose chain was verified in the copy.
    """

    restored_from: Path
    safety_copy: Path
    entries_checked: int


class BackupService:
    """Backups of this terminal's SQLite database.

    Args:
        uow: unit-of-work factory of the live database (for the audit records).
        clock: the store's clock.
        database: the SQLite file; None on PostgreSQL (then every call explains pg_dump).
        backup_dir: where copies go.
        release: closes the live database's connections before a restore.
    """

    def __init__(self, uow: Callable[..., UnitOfWork], clock: Clock, database: Path | None,
                 backup_dir: Path, *, release: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._clock = clock
        self._database = database
        self._dir = backup_dir
        self._release = release

    def backup(self, actor: Actor, *, kind: str = "manual") -> BackupCopy:
        """Take a checked copy now and rotate that kind's copies.

        Raises:
            PermissionDenied: not allowed to maintain the system. DomainError: PostgreSQL.
            EnvironmentFault: disk full, read-only folder, failed check (nothing kept).
        """
        actor.require(Permission.MAINTAIN_SYSTEM)
        database = self._sqlite()
        copy = take_backup(database, self._dir, kind=kind, keep=KEEP.get(kind, 10),
                           now=self._clock.now())
        with self._uow() as uow:
            audit.record(uow, actor, "backup.create", at=self._clock.now(),
                         target_type="backup", target_id=copy.path.name, detail={
                             "kind": kind, "bytes": copy.size,
                             "seconds": round(copy.seconds, 2),
                             "rotated_out": [p.name for p in copy.removed]})
            uow.commit()
        return copy

    def daily_if_due(self, actor: Actor) -> BackupCopy | None:
        """The daily copy, if the newest one is a day old or there is none."""
        actor.require(Permission.MAINTAIN_SYSTEM)
        if self._database is None:
            return None
        newest = next((p for p in list_copies(self._dir) if p.name.endswith("-daily.sqlite3")),
                      None)
        if newest is not None:
            age = self._clock.now().timestamp() - newest.stat().st_mtime
            if age < DAILY.total_seconds():
                return None
        return self.backup(actor, kind="daily")

    def copies(self) -> list[Path]:
        """Finished copies, newest first."""
        return list_copies(self._dir)

    def restore(self, actor: Actor, copy: Path) -> RestoreResult:
        """Replace the database by ``copy`` after checking it; the current database is
        backed up first.

        Raises:
            PermissionDenied: not allowed. DomainError: PostgreSQL, or the copy is not a
                sound database of this app (nothing replaced).
            EnvironmentFault: the database could not be written (nothing replaced).
        """
        actor.require(Permission.MAINTAIN_SYSTEM)
        database = self._sqlite()
        if problems := check_copy(copy):
            raise DomainError("备份副本有问题，未恢复：" + "；".join(problems[:3]), rule_id="SEC-6")
        with tempfile.TemporaryDirectory(prefix="pos-restore-") as scratch:
            candidate = Path(scratch) / "candidate.sqlite3"
            shutil.copyfile(copy, candidate)
            engine = make_engine(f"sqlite:///{candidate}")
            try:
                report = verify_database(UnitOfWorkFactory(engine))
            finally:
                engine.dispose()
            if not report.ok:
                raise DomainError("备份副本的台账或审计链校验不通过，未恢复："
                                  + "；".join(list(report.problems())[:3]), rule_id="SEC-6")
            safety = take_backup(database, self._dir, kind="before-restore",
                                 keep=KEEP["before-restore"], now=self._clock.now())
            self._release()
            copy_into(candidate, database)
        checked = sum(c.count for c in report.chains if c.chain.startswith("ledger"))
        with self._uow() as uow:
            audit.record(uow, actor, "backup.restore", at=self._clock.now(),
                         target_type="backup", target_id=copy.name, detail={
                             "safety_copy": safety.path.name, "ledger_entries": checked})
            uow.commit()
        return RestoreResult(copy, safety.path, checked)

    def _sqlite(self) -> Path:
        if self._database is None:
            raise DomainError(POSTGRES_GUIDANCE, rule_id="SEC-6")
        return self._database
