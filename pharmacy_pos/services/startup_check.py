"""Is the database fit to open? Checked at every start, fully after login (issue 9).

A full check (``PRAGMA integrity_check`` + :func:`verify_database`) reads every page and
every link: 10 s and more on a year of data, far beyond the start-up budget (login
window within 1.5 s). So the check is split:

- **Before the login window, blocking, a few milliseconds whatever the size:**
  the SQLite file itself (header, length, readable schema of this app:
  :func:`pharmacy_pos.db.integrity.file_problems`), a failed full check remembered from
  an earlier run (marker file), and, once open, the *tail* of every hash chain: the last
  :data:`TAIL_LINKS` links are recomputed and must end exactly at the chain head, and
  the batches they moved must have cached stock equal to the ledger's sum. Recent writes
  are where a crash or a tampering hand lands, and they sit on the B-tree's right edge,
  which this reads.
- **After login, in the background:** :meth:`DatabaseCheck.full` (SQLite's
  ``integrity_check``, then every chain link and every stock equation). Its outcome is
  recorded in the audit log (``database.check``, SEC-4); a failure also leaves a marker
  beside the database, so the next start refuses even when the damaged database cannot
  be written. On PostgreSQL there is no ``integrity_check``; verify runs alone.

A database that fails refuses to open with :class:`DatabaseCorrupt`: which file, what
is wrong, and what to do (restore the newest good backup, in the window or with
``pharmacy-pos-cli restore FILE --yes``). :func:`restore_damaged_database` restores
without opening the damaged file: it is moved aside, never deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pharmacy_pos.db.backup import check_copy, list_copies
from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.integrity import (
    clear_marker,
    file_problems,
    integrity_problems,
    read_marker,
    set_aside,
    stage_copy,
    tail_balances,
    write_marker,
)
from pharmacy_pos.db.uow import UnitOfWork, UnitOfWorkFactory
from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.ledger import GENESIS_HASH, audit_chain_name, ledger_chain_name, walk_chain
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.verify import verify_database

UowFactory = Callable[..., UnitOfWork]
# Links of each chain recomputed at start: enough to cover the last sales of a busy
# hour, few enough to stay in milliseconds.
TAIL_LINKS = 64
CLI_RESTORE = "pharmacy-pos-cli restore <备份文件> --yes"
POSTGRES_MARKER = "database.check-failed.json"


class DatabaseCorrupt(EnvironmentFault):
    """The database failed its check and must not be opened (SEC-6: restore a backup).

    Attributes:
        database: the file (or the PostgreSQL address) that failed.
        problems: what is wrong, in Chinese.
        backups: good copies to restore from, newest first (empty on PostgreSQL).
        sqlite: whether the database is an embedded SQLite file (restorable here).
    """

    def __init__(self, database: str, problems: Sequence[str], *,
                 backups: Sequence[Path] = (), sqlite: bool = True) -> None:
        self.database = database
        self.problems = tuple(problems)
        self.backups = tuple(backups)
        self.sqlite = sqlite
        listed = "\n".join(f"  - {p}" for p in self.problems[:5])
        if sqlite:
            newest = (f"（最新：{self.backups[0].name}）" if self.backups
                      else "（未找到备份，请联系系统管理员）")
            todo = (f"请从最近的备份恢复{newest}：在本窗口选择备份并点“从备份恢复”，"
                    "或在命令行运行\n"
                    f"  {CLI_RESTORE}\n"
                    "损坏的文件会移到备份目录保存，不会删除。恢复前请不要继续营业。")
        else:
            todo = ("请停止营业并联系系统管理员：用 pg_restore 恢复最近的 pg_dump 备份，"
                    "再运行 pharmacy-pos-cli check --full（见 README“备份与恢复”）。")
        super().__init__(f"数据库 {database} 未通过校验，已拒绝打开，以免账目出错（SEC-6）。\n"
                         f"问题：\n{listed}\n{todo}", retryable=False)
        self.rule_id = "SEC-6"

    def __str__(self) -> str:
        return self.message  # the rule id is already in the message


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a full check.

    Attributes:
        ok: nothing wrong.
        problems: what is wrong, in Chinese (at most 20).
        seconds: how long it took.
        file_checked: whether SQLite's ``integrity_check`` ran (False on PostgreSQL).
        ledger_entries: links of the ledger chains walked.
        audit_records: links of the audit chains walked.
    """

    ok: bool
    problems: tuple[str, ...]
    seconds: float
    file_checked: bool
    ledger_entries: int
    audit_records: int


@dataclass(frozen=True, slots=True)
class RestoredDatabase:
    """What :func:`restore_damaged_database` did.

    Attributes:
        restored_from: the backup put in place.
        damaged: where the damaged files were moved (kept as evidence).
        ledger_entries: ledger links verified in the copy.
    """

    restored_from: Path
    damaged: tuple[Path, ...]
    ledger_entries: int


def marker_for(database: Path | None, data_dir: Path) -> Path:
    """Where a failed full check is remembered: beside a SQLite file, else in the data
    folder (PostgreSQL: per terminal, each of which checks for itself)."""
    if database is not None:
        return database.with_name(database.name + ".check-failed.json")
    return data_dir / POSTGRES_MARKER


class DatabaseCheck:
    """The start-up and background checks of one database.

    Args:
        uow: unit-of-work factory of the database.
        clock: the store's clock.
        database: the SQLite file; None on PostgreSQL.
        description: how the database is named to a person (file path or address).
        backup_dir: where good copies are.
        marker: where a failed full check is remembered (:func:`marker_for`).
    """

    def __init__(self, uow: UowFactory, clock: Clock, *, database: Path | None,
                 description: str, backup_dir: Path, marker: Path) -> None:
        self._uow = uow
        self._clock = clock
        self._database = database
        self._description = description
        self._backup_dir = backup_dir
        self._marker = marker

    def refuse(self, problems: Sequence[str]) -> DatabaseCorrupt:
        """The refusal naming this database, its problems and the backups to restore."""
        backups = list_copies(self._backup_dir) if self._database is not None else []
        return DatabaseCorrupt(self._description, problems, backups=backups,
                               sqlite=self._database is not None)

    def before_open(self, *, remembered: bool = True) -> None:
        """The file and (with ``remembered``) a failure an earlier full check left,
        before anything (migrations) writes.

        Raises:
            DatabaseCorrupt: the database must not be opened.
        """
        problems = (read_marker(self._marker) or []) if remembered else []
        if self._database is not None:
            problems = file_problems(self._database) + problems
        if problems:
            raise self.refuse(problems)

    def after_open(self) -> None:
        """The tail of every chain and the stock of the batches it moved.

        Raises:
            DatabaseCorrupt: a link, a head or a balance is wrong.
        """
        try:
            problems = tail_problems(self._uow)
        except EnvironmentFault as exc:
            if not is_damage(exc):
                raise
            problems = [f"读取哈希链末尾时出错（{_cause(exc)}）"]
        if problems:
            raise self.refuse(problems)

    def full(self, actor: Actor | None, *,
             progress: Callable[[str], None] = lambda step: None,
             cancelled: Callable[[], bool] = lambda: False,
             workers: int | None = 1) -> CheckResult:
        """Everything: ``integrity_check`` (SQLite), every link and stock equation.

        Records the outcome in the audit log when ``actor`` is given (SEC-4); a failure
        is also remembered in the marker (the next start refuses), a pass clears it.
        ``workers`` defaults to one process: in the background the till keeps the other
        core. Raises InterruptedError when ``cancelled`` turns true (nothing recorded).
        """
        started = time.perf_counter()
        problems: list[str] = []
        if self._database is not None:
            progress("integrity")
            problems += integrity_problems(self._database, cancelled=cancelled)
        ledger = audits = 0
        if not problems:  # chains on a damaged file would only repeat its errors
            if cancelled():
                raise InterruptedError("database check cancelled")
            progress("chains")
            try:
                report = verify_database(self._uow, workers=workers)
            except EnvironmentFault as exc:
                problems.append(f"台账校验无法完成：{exc}")
            else:
                problems += list(report.problems())[:20]
                ledger = sum(c.count for c in report.chains if c.chain.startswith("ledger"))
                audits = sum(c.count for c in report.chains if c.chain.startswith("audit"))
        result = CheckResult(not problems, tuple(problems[:20]),
                             time.perf_counter() - started, self._database is not None,
                             ledger, audits)
        self._remember(result, actor)
        return result

    def _remember(self, result: CheckResult, actor: Actor | None) -> None:
        at = self._clock.now()
        if result.ok:
            clear_marker(self._marker)
        else:
            # First the marker: the damaged database may refuse the audit record.
            write_marker(self._marker, list(result.problems), at.isoformat(timespec="seconds"))
        if actor is None:
            return
        try:
            with self._uow() as uow:
                audit.record(uow, actor, "database.check", at=at, target_type="database",
                             target_id=self._description[-60:], detail={
                                 "ok": result.ok, "problems": list(result.problems[:5]),
                                 "seconds": round(result.seconds, 2),
                                 "integrity_check": result.file_checked,
                                 "ledger_entries": result.ledger_entries,
                                 "audit_records": result.audit_records})
                uow.commit()
        except (EnvironmentFault, DomainError):
            if result.ok:
                raise
            # A damaged database may not take the record; the marker keeps the outcome.


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it was raised from) says the database file is damaged."""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).lower()
        if any(w in text for w in ("malformed", "not a database", "file is not a database",
                                   "数据库文件已损坏")):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _cause(exc: BaseException) -> str:
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    return str(getattr(root, "orig", root))


def tail_problems(uow_factory: UowFactory, *, links: int = TAIL_LINKS) -> list[str]:
    """The last ``links`` links of every chain recomputed and matched to their heads, and
    the cached stock of the batches they moved matched to the ledger (a few queries on
    indexes: milliseconds on a million entries)."""
    problems: list[str] = []
    with uow_factory(readonly=True) as uow:
        heads = uow.ledger.heads()
        for store in uow.stores.all():
            for table, name, repo in (
                    ("ledger_entries", ledger_chain_name(store.id), uow.ledger),
                    ("audit_log", audit_chain_name(store.id), uow.audit)):
                extent = uow.ledger.chain_extent(table, store.id)
                lo = max(1, extent - links + 1)
                result = walk_chain(name, repo.chain_rows(store.id, lo, extent), start_seq=lo,
                                    start_prev=GENESIS_HASH if lo == 1 else None)
                if result.broken is not None:
                    problems.append(f"哈希链断裂: {result.broken}")
                    continue
                head = heads.get(name)
                if extent == 0 and head in (None, (0, GENESIS_HASH)):
                    continue
                if head != (result.last_seq, result.last_hash):
                    seq = "无" if head is None else head[0]
                    problems.append(f"{name}: 链头为第 {seq} 条，实际最后一条为第 {extent} 条"
                                    "（末尾记录被删除或链头被改动）")
            lo = max(1, uow.ledger.chain_extent("ledger_entries", store.id) - links + 1)
            for batch_id, cached, total in tail_balances(uow.session, store.id, lo):
                if cached != total:
                    problems.append(f"库存不平: 批次 {batch_id} 缓存 {cached}，台账合计 {total}")
                elif total < 0:
                    problems.append(f"负库存: 批次 {batch_id} 台账合计 {total}")
    return problems


def restore_damaged_database(
    database: Path, copy: Path, *, backup_dir: Path, marker: Path, clock: Clock,
    actor_in_copy: Callable[[UnitOfWorkFactory], Actor],
) -> RestoredDatabase:
    """Replace a database that refused to open by the good ``copy``, without opening the
    damaged file (it cannot be backed up or written; it is moved aside into
    ``backup_dir``, never deleted).

    The copy is checked first (file, then its chains and stock on a scratch copy);
    ``actor_in_copy`` names who restores, from the copy's own users (the damaged
    database's cannot be trusted) and must hold MAINTAIN_SYSTEM; the restore is
    audit-logged in the copy before it is put in place (SEC-4, SEC-6).

    Raises:
        DomainError: the copy is not a sound database of this app; nothing changed.
        PermissionDenied, AuthenticationFailed: from ``actor_in_copy``; nothing changed.
        EnvironmentFault: the files could not be moved or written.
    """
    if problems := check_copy(copy):
        raise DomainError("备份副本有问题，未恢复：" + "；".join(problems[:3]), rule_id="SEC-6")
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%fZ")
    with tempfile.TemporaryDirectory(prefix="pos-restore-", dir=database.parent) as scratch:
        candidate = Path(scratch) / database.name
        shutil.copyfile(copy, candidate)
        engine = make_engine(f"sqlite:///{candidate}")
        try:
            factory = UnitOfWorkFactory(engine)
            report = verify_database(factory)
            if not report.ok:
                raise DomainError("备份副本的台账或审计链校验不通过，未恢复："
                                  + "；".join(list(report.problems())[:3]), rule_id="SEC-6")
            actor = actor_in_copy(factory)
            actor.require(Permission.MAINTAIN_SYSTEM)
            with factory() as uow:
                audit.record(uow, actor, "backup.restore", at=clock.now(),
                             target_type="backup", target_id=copy.name, detail={
                                 "reason": "database_check_failed",
                                 "damaged_moved_to": str(backup_dir)})
                uow.commit()
        finally:
            engine.dispose()  # the last connection checkpoints the WAL into the file
        try:
            staged = stage_copy(candidate, database)
            damaged = set_aside(database, backup_dir, stamp)
            os.replace(staged, database)
        except OSError as exc:
            raise EnvironmentFault(f"恢复失败（{exc}）：请检查 {database.parent} 与 {backup_dir} "
                                   "的空间与权限") from exc
    clear_marker(marker)
    checked = sum(c.count for c in report.chains if c.chain.startswith("ledger"))
    return RestoredDatabase(copy, tuple(damaged), checked)
