"""Is the SQLite file sound? Fast file-level checks for start-up, the full check for later.

Start-up must reach the login window in about a second, and ``PRAGMA integrity_check``
(or ``quick_check``) reads every page: 6–11 s on a year of data (1M ledger entries,
366 MiB). So the file is checked in two steps:

- :func:`file_problems`, at every start, in a few milliseconds: the header (SQLite's
  magic string, a valid page size), the length (whole pages, not shorter than the header
  says: a truncated copy), and that the schema can be read and is this application's.
  Garbage in the first page, a truncated file and a file that is not SQLite are caught
  here.
- :func:`integrity_problems`, in the background after login: ``PRAGMA integrity_check``
  on its own read-only connection (WAL: the till keeps selling meanwhile).

A failed background check leaves a marker file beside the database
(:func:`write_marker`), so the next start refuses even when the database itself can no
longer be written to record it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
# Tables a database must have to be this application's (once it has any table at all).
REQUIRED_TABLES = ("alembic_version", "stores", "ledger_entries", "audit_log", "chain_heads")
MARKER_SUFFIX = ".check-failed.json"
# How many SQLite VM steps between progress callbacks / cancellation checks.
_PROGRESS_STEPS = 200_000


def file_problems(path: Path) -> list[str]:
    """What is wrong with the SQLite file ``path`` (empty: fit to open).

    A missing or empty file is fine: a new database is created there. Reads the
    100-byte header and the schema only, so it takes milliseconds on any size.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [f"无法读取文件（{exc.strerror}）"]
    if size == 0:
        return []
    try:
        with path.open("rb") as handle:
            header = handle.read(HEADER_BYTES)
    except OSError as exc:
        return [f"无法读取文件（{exc.strerror}）"]
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        return ["不是 SQLite 数据库文件（文件头不对：文件被覆盖或写坏）"]
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return [f"文件头已损坏（页大小 {page_size} 无效）"]
    if not _wal_has_frames(path):
        # With frames in the WAL an interrupted checkpoint may legitimately leave the
        # main file short; SQLite completes it from the WAL on open.
        if size % page_size:
            return [f"文件长度 {size} 字节不是页大小 {page_size} 的整数倍（文件被截断或写坏）"]
        pages = int.from_bytes(header[28:32], "big")
        # The header's page count is valid only when these two counters agree.
        if header[24:28] == header[92:96] and size < pages * page_size:
            return [f"文件被截断：应有 {pages} 页，实际只有 {size // page_size} 页"]
    try:
        tables = _table_names(path)
    except sqlite3.DatabaseError as exc:
        return [f"数据库结构无法读取（{exc}）"]
    if tables and (missing := [t for t in REQUIRED_TABLES if t not in tables]):
        return ["不是本系统的数据库（缺少表：" + "、".join(missing) + "）"]
    return []


def _wal_has_frames(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 32  # more than the WAL header
    except OSError:
        return False


def _table_names(path: Path) -> set[str]:
    # A read-write open that only reads: a read-only open of a WAL database would fail
    # when its -shm file is missing; SQLite opens read-only by itself when it must.
    conn = sqlite3.connect(path, timeout=5)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def integrity_problems(path: Path, *, cancelled: Callable[[], bool] = lambda: False,
                       ) -> list[str]:
    """``PRAGMA integrity_check`` of the whole file: every problem SQLite names (at most
    20), or a single "cannot open" problem. Empty when sound.

    ``cancelled`` is polled while the check runs; when it turns true the check stops and
    :class:`InterruptedError` is raised (the application is closing).
    """
    try:
        conn = sqlite3.connect(path, timeout=30)
    except sqlite3.Error as exc:
        return [f"无法打开数据库（{exc}）"]
    try:
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, _PROGRESS_STEPS)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        except sqlite3.OperationalError as exc:
            if cancelled():
                raise InterruptedError("integrity check cancelled") from exc
            return [f"完整性检查无法完成（{exc}）"]
        except sqlite3.DatabaseError as exc:
            return [f"完整性检查无法完成（{exc}）"]
    finally:
        conn.close()
    return [] if rows == ["ok"] else [f"完整性检查：{r}" for r in rows]


def marker_path(database: Path) -> Path:
    """Where a failed check of ``database`` is remembered."""
    return database.with_name(database.name + MARKER_SUFFIX)


def write_marker(marker: Path, problems: list[str], checked_at: str) -> None:
    """Remember that the check at ``checked_at`` failed (written atomically)."""
    partial = marker.with_name(marker.name + ".partial")
    marker.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(json.dumps({"checked_at": checked_at, "problems": problems},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, marker)


def read_marker(marker: Path) -> list[str] | None:
    """The problems a failed check left, or None when there is no marker."""
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return ["上次后台校验未通过（记录文件无法读取）"]
    problems = data.get("problems") if isinstance(data, dict) else None
    checked_at = data.get("checked_at", "") if isinstance(data, dict) else ""
    listed = [str(p) for p in problems] if isinstance(problems, list) and problems else [
        "上次后台校验未通过"]
    return [f"上次后台校验（{checked_at}）未通过：{p}" if checked_at else p for p in listed]


def clear_marker(marker: Path) -> None:
    """Forget a failed check (after a restore, or a full check that passed)."""
    with contextlib.suppress(FileNotFoundError):
        marker.unlink()


def set_aside(database: Path, folder: Path, stamp: str) -> list[Path]:
    """Move a damaged database and its WAL/shared-memory files into ``folder`` (never
    deleted: it is evidence, and may hold the last sales). Returns the new paths."""
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{database}{suffix}")
        if source.exists():
            target = folder / f"{database.stem}-{stamp}-damaged{database.suffix}{suffix}.bad"
            shutil.move(source, target)  # a rename when on the same file system
            moved.append(target)
    return moved


def stage_copy(copy: Path, database: Path) -> Path:
    """Write ``copy`` beside ``database`` under a temporary name, flushed to disk; the
    caller renames it into place (``os.replace``), so a crash leaves the old or the new."""
    partial = database.with_name(database.name + ".restoring")
    shutil.copyfile(copy, partial)
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    return partial


def tail_balances(session: Session, store_id: int, lo: int) -> list[tuple[int, int | None, int]]:
    """(batch, cached balance or None, ledger sum) of every batch moved by a store's
    ledger links from ``lo`` on (the chain's tail), in one query over the indexes."""
    from sqlalchemy import func, select

    from pharmacy_pos.db.models import LedgerEntry, StockBalance

    moved = (select(LedgerEntry.batch_id).distinct()
             .where(LedgerEntry.store_id == store_id, LedgerEntry.chain_seq >= lo)
             .subquery())
    total = (select(func.coalesce(func.sum(LedgerEntry.quantity), 0))
             .where(LedgerEntry.batch_id == moved.c.batch_id).scalar_subquery())
    rows = session.execute(
        select(moved.c.batch_id, StockBalance.quantity, total)
        .outerjoin(StockBalance, StockBalance.batch_id == moved.c.batch_id))
    return [(int(b), None if c is None else int(c), int(t)) for b, c, t in rows]
