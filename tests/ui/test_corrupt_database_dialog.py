"""SEC-6 in the window: a damaged database refuses to open with what is wrong and the
restore, and the full check after login shows its outcome in the status bar."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from pharmacy_pos.bootstrap import build_context, restore_damaged
from pharmacy_pos.db.backup import take_backup
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.startup_check import DatabaseCorrupt, marker_for
from pharmacy_pos.ui.database_check_view import CorruptDatabaseDialog, DatabaseCheckMonitor
from pharmacy_pos.ui.main_window import MainWindow
from tests.ui.conftest import DB_FILE, ui_settings


def _scribble(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(bytes((i * 37 + 11) % 256 for i in range(length)))


def _checkpoint(path: Path, index: str = "stores") -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (index,)).fetchone()[0]
        return page, conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def damaged(demo_template, tmp_path):
    """A terminal whose database was overwritten at its start, with one good backup."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
        if (demo_template / name).exists():
            shutil.copy2(demo_template / name, data_dir / name)
    settings = ui_settings(data_dir)
    take_backup(data_dir / DB_FILE, settings.backup_dir, kind="daily", keep=14)
    _checkpoint(data_dir / DB_FILE)
    _scribble(data_dir / DB_FILE, 0, 4096)
    with pytest.raises(DatabaseCorrupt) as refused:
        build_context(settings)
    return settings, refused.value


def test_sec_6_dialog_names_the_file_the_problem_the_backups_and_the_command(qtbot, damaged):
    settings, refusal = damaged
    dialog = CorruptDatabaseDialog(refusal, lambda *_: pytest.fail("not restored here"))
    qtbot.addWidget(dialog)
    text = dialog.message_label.text()
    assert str(settings.data_dir / DB_FILE) in text
    assert "不是 SQLite 数据库文件" in text and "pharmacy-pos-cli restore" in text
    assert dialog.backup_list.count() == 1
    assert dialog.selected_copy() == refusal.backups[0]
    assert dialog.restore_button.isEnabled()


def test_sec_6_restore_in_the_window_needs_the_administrator_then_the_database_opens(
        qtbot, damaged):
    settings, refusal = damaged
    dialog = CorruptDatabaseDialog(refusal, lambda copy, user, password: restore_damaged(
        settings, copy, username=user, password=password))
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("cashier")
    dialog.password_edit.setText(DEMO_PASSWORD)
    dialog.restore_button.click()
    assert "未恢复" in dialog.status_label.text() and "SEC-1" in dialog.status_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    with pytest.raises(DatabaseCorrupt):  # nothing changed
        build_context(settings)
    dialog.user_edit.setText("admin")
    dialog.password_edit.setText(DEMO_PASSWORD)
    dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.restored is not None and dialog.restored.ledger_entries > 0
    ctx = build_context(settings)
    try:
        assert ctx.store is not None
        with ctx.uow(readonly=True) as uow:
            [record] = uow.audit.by_action("backup.restore")
            assert record.actor_name == "admin"
    finally:
        ctx.close()


def test_dialog_without_backups_says_to_call_the_administrator(qtbot, tmp_path):
    refusal = DatabaseCorrupt(str(tmp_path / DB_FILE), ["文件被截断"], backups=[])
    dialog = CorruptDatabaseDialog(refusal, lambda *_: pytest.fail("nothing to restore"))
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert "系统管理员" in dialog.status_label.text()
    assert "未找到备份" in dialog.message_label.text()


def test_the_full_check_after_login_shows_its_outcome_in_the_status_bar(
        qtbot, app_ctx, log_in):
    window = MainWindow(app_ctx, log_in("cashier"))
    qtbot.addWidget(window)
    monitor = DatabaseCheckMonitor(app_ctx, "gui:test")
    monitor.attach(window)
    with qtbot.waitSignal(monitor.finished, timeout=30_000) as done:
        monitor.start()
    assert done.args[0].ok
    assert "数据库校验通过" in monitor.label.text()
    with app_ctx.uow(readonly=True) as uow:
        [record] = uow.audit.by_action("database.check")
        assert json.loads(record.detail)["ok"] is True
    monitor.stop()


def test_damage_found_after_login_is_announced_and_remembered(qtbot, app_ctx, log_in):
    path = Path(app_ctx.engine.url.database)
    window = MainWindow(app_ctx, log_in("cashier"))
    qtbot.addWidget(window)
    page, size = _checkpoint(path, "ix_audit_log_time")
    _scribble(path, (page - 1) * size + 8, size - 8)
    monitor = DatabaseCheckMonitor(app_ctx, "gui:test")
    monitor.attach(window)
    with qtbot.waitSignal(monitor.failed, timeout=30_000) as failed:
        monitor.start()
    refusal = failed.args[0]
    assert isinstance(refusal, DatabaseCorrupt) and "完整性检查" in str(refusal)
    assert monitor.label.text() == "数据库校验未通过"
    assert marker_for(path, app_ctx.settings.data_dir).exists()
    monitor.stop()


def test_sec_6_the_app_refuses_a_damaged_database_at_start_and_opens_it_once_restored(
        qtbot, damaged, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pharmacy_pos.ui import app

    settings, _ = damaged
    shown: list[CorruptDatabaseDialog] = []

    def refuse(dialog: CorruptDatabaseDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(CorruptDatabaseDialog, "exec", refuse)
    assert app._open_context(settings) is None  # 退出: the database is never opened
    assert shown and str(settings.data_dir / DB_FILE) in shown[0].message_label.text()

    def restore(dialog: CorruptDatabaseDialog) -> int:
        dialog.user_edit.setText("admin")
        dialog.password_edit.setText(DEMO_PASSWORD)
        dialog.restore_button.click()
        return dialog.result()

    told: list[str] = []
    monkeypatch.setattr(CorruptDatabaseDialog, "exec", restore)
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text: told.append(text))
    ctx = app._open_context(settings)
    try:
        assert ctx is not None and ctx.store is not None
        assert told and "已从备份" in told[0] and "damaged" in told[0]
    finally:
        if ctx is not None:
            ctx.close()
