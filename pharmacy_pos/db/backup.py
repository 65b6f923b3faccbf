"""Copies of the embedded SQLite database: taken online, checked, rotated, restored (SEC-6).

A copy is written under a temporary name with SQLite's online backup API (the till keeps
selling meanwhile), checked with ``PRAGMA integrity_check`` and renamed only when the
check passes, so a file named like a backup is always a good one. PostgreSQL stores back
up with ``pg_dump`` (README).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pharmacy_pos.domain.errors import EnvironmentFault

SUFFIX = ".sqlite3"
# Tables a copy must have to be this application's database.
REQUIRED_TABLES = ("alembic_version", "stores", "ledger_entries", "audit_log")


@dataclass(frozen=True, slots=True)
class BackupCopy:
    """A finished backup.

    Attributes:
        path: the copy.
        size: its size in bytes.
        seconds: how long copying and checking took.
        removed: older copies of the same kind deleted by rotation.
    """

    path: Path
    size: int
    seconds: float
    removed: tuple[Path, ...] = ()


def take_backup(source: Path, backup_dir: Path, *, kind: str, keep: int,
                now: datetime | None = None) -> BackupCopy:
    """Copy ``source`` into ``backup_dir`` as ``<stem>-<UTC time>-<kind>.sqlite3``, check
    the copy and keep the newest ``keep`` copies of that kind.

    Raises:
        EnvironmentFault: the database or the folder cannot be read or written (disk
            full, read-only), or the copy failed its check; nothing is left half-written.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    started = datetime.now(UTC)
    stamp = (now or started).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{source.stem}-{stamp}-{kind}{SUFFIX}"
    partial = target.with_name(target.name + ".partial")
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=4096)
            finally:
                dst.close()
        finally:
            src.close()
        problems = check_copy(partial)
        if problems:
            raise EnvironmentFault("备份副本校验失败，未保存：" + "；".join(problems[:3]))
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        _discard(partial)
        raise EnvironmentFault(f"备份失败（{exc}）：请检查备份目录 {backup_dir} 的空间与权限，"
                               "数据库本身未受影响") from exc
    except EnvironmentFault:
        _discard(partial)
        raise
    removed = rotate(backup_dir, source.stem, kind, keep)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BackupCopy(target, target.stat().st_size, seconds, removed)


def rotate(backup_dir: Path, stem: str, kind: str, keep: int) -> tuple[Path, ...]:
    """Delete all but the newest ``keep`` copies of ``kind`` (names sort by time)."""
    copies = sorted(backup_dir.glob(f"{stem}-*-{kind}{SUFFIX}"))
    old = copies[:-keep] if len(copies) > keep else []
    for path in old:
        path.unlink(missing_ok=True)
    return tuple(old)


def list_copies(backup_dir: Path) -> list[Path]:
    """Every finished copy in ``backup_dir``, newest first."""
    if not backup_dir.is_dir():
        return []
    return sorted((p for p in backup_dir.glob(f"*{SUFFIX}") if p.is_file()),
                  key=lambda p: p.name.split("-", 1)[-1], reverse=True)


def check_copy(path: Path) -> list[str]:
    """What is wrong with a copy (empty when it is a sound database of this app)."""
    if not path.is_file():
        return [f"文件不存在：{path}"]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"不是可读的 SQLite 数据库（{exc}）"]
    problems = [] if rows == ["ok"] else [f"完整性检查：{r}" for r in rows[:5]]
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        problems.append("不是本系统的数据库（缺少表：" + "、".join(missing) + "）")
    return problems


def copy_into(source: Path, live: Path) -> None:
    """Replace the contents of the live database ``live`` with ``source`` (online backup
    API into the live file, so the WAL and open connections stay consistent).

    Raises:
        EnvironmentFault: the live database cannot be written (locked, read-only, full).
    """
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(live, timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        raise EnvironmentFault(f"恢复失败（{exc}）：数据库未被替换；请关闭其他终端后重试") from exc


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
