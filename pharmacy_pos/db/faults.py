"""Say exactly why SQLite could not write: a full disk or a read-only file or disk.

SQLite's own words are not always specific: a database on a read-only disk (or whose
``-wal``/``-shm`` files cannot be created) fails with "unable to open database file",
which reads like a missing file. Hooked on the engine's ``handle_error`` event, this
looks at the file and its disk when SQLite fails and replaces the error by an
``EnvironmentFault`` that names the file and says what to do. Anything it cannot pin
down is left to the unit of work's general translation (``db/uow.py``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from pharmacy_pos.db.engine import sqlite_path
from pharmacy_pos.domain.errors import EnvironmentFault

# Less free space than this on the database's disk counts as full: SQLite needs room
# for its WAL and journal pages, not only for the rows.
NEARLY_FULL_BYTES = 256 * 1024
_SUSPECT = ("unable to open", "readonly", "read-only", "disk i/o error", "disk is full",
            "no space")


def install_fault_diagnosis(engine: Engine) -> None:
    """Make ``engine`` (file-based SQLite; others are left alone) explain full and
    read-only faults precisely."""
    path = sqlite_path(engine)
    if path is None:
        return

    @event.listens_for(engine, "handle_error")
    def _diagnose(context: Any) -> BaseException | None:
        return diagnose(path, context.original_exception)


def diagnose(path: Path, exc: BaseException) -> EnvironmentFault | None:
    """The precise fault behind SQLite's error ``exc`` on ``path``, if it is one of
    disk full / read-only file / read-only disk; else None."""
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    if not any(word in text for word in _SUSPECT):
        return None
    folder = path.parent
    if _read_only_disk(folder):
        return EnvironmentFault(
            f"数据库所在的磁盘是只读的（{folder}），无法保存。"
            "请检查磁盘或其挂载方式后重试（未保存任何内容）")
    if not _writable(path) or not _writable(folder):
        return EnvironmentFault(
            f"数据库文件只读（{path}），无法保存。请检查文件及其文件夹的权限后重试"
            "（未保存任何内容）")
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if free < NEARLY_FULL_BYTES:
        return EnvironmentFault(
            f"磁盘已满：数据库所在磁盘（{folder}）仅剩 {free // 1024} KB，无法保存。"
            "请清理磁盘空间后重试（未保存任何内容）")
    if "full" in text or "no space" in text:
        # Space is back by now, or a size limit was hit: say both, the retry may work.
        return EnvironmentFault(
            f"磁盘已满或数据库文件（{path}）已达大小上限，无法保存。"
            "请清理磁盘空间后重试（未保存任何内容）")
    return None


def _read_only_disk(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _writable(path: Path) -> bool:
    # os.access is True for root whatever the mode bits; a read-only disk is caught above.
    return not path.exists() or os.access(path, os.W_OK)
