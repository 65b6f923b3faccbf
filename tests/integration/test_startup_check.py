"""Issue 9, durability on start: a database is checked before it opens (file, chain
tails: milliseconds), fully after login (integrity_check + verify), and a damaged one
refuses to open, naming the file, what is wrong and how to restore (SEC-6)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pharmacy_pos.bootstrap import build_context
from pharmacy_pos.cli import EXIT_ENVIRONMENT, EXIT_OK, EXIT_REFUSED
from pharmacy_pos.db.backup import take_backup
from pharmacy_pos.domain.clock import SystemClock
from pharmacy_pos.domain.errors import AuthenticationFailed, PermissionDenied
from pharmacy_pos.domain.policy import SecurityPolicy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.setup import create_first_admin, ensure_store, find_store
from pharmacy_pos.services.startup_check import (
    DatabaseCorrupt,
    marker_for,
    restore_damaged_database,
    tail_problems,
)
from pharmacy_pos.services.users import UserService
from pharmacy_pos.services.verify import verify_database
from pharmacy_pos.settings import Settings
from tests.integration.test_cli import run
from tests.till_world import build

STORE = "H00000000001"
ADMIN_PASSWORD = "Strong2026x"


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    """A terminal whose database holds a small store with stock and a good backup."""
    monkeypatch.setenv("PHARMACY_POS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHARMACY_POS_DATABASE_URL", raising=False)
    settings = Settings(data_dir=tmp_path, database_url="", store_code=STORE)
    context = build_context(settings)
    try:
        store, _ = ensure_store(context.uow, context.clock, code=STORE, name="测试大药房",
                                operator="test", terminal_id="T01")
        system = Actor.system(store.id, "T01", "test")
        create_first_admin(context.uow, context.clock, SecurityPolicy(), system,
                           username="admin", display_name="管理员", password=ADMIN_PASSWORD)
        with context.uow(readonly=True) as uow:
            admin_id = uow.users.by_username("admin").id
        build(context.uow, context.clock, store.id, admin_id)
    finally:
        context.close()
    take_backup(database(settings), settings.backup_dir, kind="manual", keep=10)
    return settings


def database(settings: Settings) -> Path:
    return settings.data_dir / "pharmacy_pos.sqlite3"


def _rootpage(path: Path, name: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (name,)).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return page, size


def _scribble(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(bytes((i * 37 + 11) % 256 for i in range(length)))


def _refused(settings: Settings) -> DatabaseCorrupt:
    with pytest.raises(DatabaseCorrupt) as refused:
        build_context(settings)
    return refused.value


def test_a_sound_database_passes_the_start_check_and_opens(settings):
    context = build_context(settings)
    try:
        assert context.store is not None
        assert tail_problems(context.uow) == []
    finally:
        context.close()


def test_sec_6_garbage_in_the_first_page_refuses_to_open_naming_file_problem_and_restore(
        settings):
    path = database(settings)
    _rootpage(path, "stores")  # checkpoint: the damage is in the file itself
    _scribble(path, 0, 4096)
    refusal = _refused(settings)
    text = str(refusal)
    assert str(path) in text and "不是 SQLite 数据库文件" in text
    assert "pharmacy-pos-cli restore" in text and "SEC-6" in text
    assert refusal.backups and refusal.backups[0].name in text
    assert not refusal.retryable


def test_sec_6_a_truncated_file_refuses_to_open(settings):
    path = database(settings)
    _rootpage(path, "stores")
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)
    assert "截断" in str(_refused(settings))


def test_sec_6_a_file_that_is_not_sqlite_refuses_to_open(settings):
    path = database(settings)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_text("收银小票\n" * 500, encoding="utf-8")
    assert "不是 SQLite 数据库文件" in str(_refused(settings))


def test_another_applications_database_refuses_to_open(settings):
    path = database(settings)
    path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    sqlite3.connect(path).execute("CREATE TABLE notes (x)").connection.commit()
    assert "不是本系统的数据库" in str(_refused(settings))


def test_inv_5_a_tampered_last_ledger_entry_refuses_to_open(settings):
    conn = sqlite3.connect(database(settings))
    conn.execute("DROP TRIGGER ledger_entries_no_update")
    conn.execute("UPDATE ledger_entries SET quantity = quantity + 1 "
                 "WHERE id = (SELECT max(id) FROM ledger_entries)")
    conn.commit()
    conn.close()
    assert "哈希链断裂" in str(_refused(settings))


def test_inv_5_a_deleted_last_audit_record_refuses_to_open(settings):
    conn = sqlite3.connect(database(settings))
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    conn.commit()
    conn.close()
    assert "链头" in str(_refused(settings))


def test_inv_1_a_cached_balance_off_the_ledger_refuses_to_open(settings):
    conn = sqlite3.connect(database(settings))
    conn.execute("UPDATE stock_balances SET quantity = quantity - 1 "
                 "WHERE batch_id = (SELECT max(batch_id) FROM stock_balances)")
    conn.commit()
    conn.close()
    assert "库存不平" in str(_refused(settings))


def test_full_check_passes_and_is_audit_logged(settings):
    context = build_context(settings)
    try:
        actor = Actor.system(context.store.id, "T01", "gui:test")
        steps: list[str] = []
        result = context.database_check.full(actor, progress=steps.append)
        assert result.ok and result.file_checked, result.problems
        assert steps == ["integrity", "chains"]
        assert result.ledger_entries > 0 and result.audit_records > 0
        with context.uow(readonly=True) as uow:
            [record] = uow.audit.by_action("database.check")
            assert json.loads(record.detail)["ok"] is True
        assert verify_database(context.uow).ok  # the record extends the chain soundly
    finally:
        context.close()


def test_sec_6_damage_deep_inside_is_found_after_login_and_refused_at_the_next_start(
        settings):
    path = database(settings)
    # An index the start check does not read: only integrity_check can see it.
    page, size = _rootpage(path, "ix_audit_log_time")
    _scribble(path, (page - 1) * size + 8, size - 8)
    context = build_context(settings)  # the quick check passes: start-up stays fast
    try:
        actor = Actor.system(context.store.id, "T01", "gui:test")
        result = context.database_check.full(actor)
    finally:
        context.close()
    assert not result.ok
    assert any("完整性检查" in p for p in result.problems)
    assert marker_for(path, settings.data_dir).exists()
    refusal = _refused(settings)
    assert "上次后台校验" in str(refusal) and "完整性检查" in str(refusal)


def test_sec_6_cli_check_reports_and_restore_replaces_a_damaged_database(settings, capsys):
    path = database(settings)
    assert run(capsys, "check")[0] == EXIT_OK
    code, out, _ = run(capsys, "check", "--full")
    assert code == EXIT_OK and "完整检查通过" in out
    _rootpage(path, "stores")
    _scribble(path, 0, 2048)
    code, _, err = run(capsys, "check")
    assert code == EXIT_REFUSED and "不是 SQLite 数据库文件" in err
    code, _, err = run(capsys, "users", "list")
    assert code == EXIT_ENVIRONMENT and "备份:" in err and str(path) in err
    [copy] = settings.backup_dir.glob("*-manual.sqlite3")
    code, out, err = run(capsys, "restore", str(copy), "--yes")
    assert code == EXIT_OK, err
    assert "损坏的数据库已移至" in out
    damaged = list(settings.backup_dir.glob("*-damaged.sqlite3.bad"))
    assert len(damaged) == 1 and damaged[0].read_bytes()[:16] != b"SQLite format 3\x00"
    code, out, _ = run(capsys, "check", "--full")
    assert code == EXIT_OK, out
    assert run(capsys, "verify")[0] == EXIT_OK
    actions = [r[0] for r in sqlite3.connect(path).execute("SELECT action FROM audit_log")]
    assert "backup.restore" in actions


def test_sec_6_restore_in_the_window_needs_an_administrator_of_the_copy(settings, tmp_path):
    path = database(settings)
    _rootpage(path, "stores")
    _scribble(path, 0, 2048)
    damaged_bytes = path.read_bytes()
    [copy] = settings.backup_dir.glob("*-manual.sqlite3")
    marker = marker_for(path, settings.data_dir)
    context_clock = SystemClock()

    def as_user(username: str, password: str):
        def authenticate(uow):
            store = find_store(uow, STORE)
            actor = UserService(uow, context_clock, SecurityPolicy()).authenticate(
                username, password, terminal_id="T01")
            assert store is not None and actor.store_id == store.id
            return actor
        return authenticate

    with pytest.raises(AuthenticationFailed):
        restore_damaged_database(path, copy, backup_dir=settings.backup_dir, marker=marker,
                                 clock=context_clock, actor_in_copy=as_user("admin", "wrong"))
    assert path.read_bytes() == damaged_bytes  # nothing changed
    restored = restore_damaged_database(
        path, copy, backup_dir=settings.backup_dir, marker=marker, clock=context_clock,
        actor_in_copy=as_user("admin", ADMIN_PASSWORD))
    assert restored.ledger_entries > 0 and restored.damaged
    context = build_context(settings)
    context.close()


def test_sec_1_a_cashier_of_the_copy_cannot_restore(settings):
    path = database(settings)
    context = build_context(settings)
    try:
        admin = context.users.authenticate("admin", ADMIN_PASSWORD, terminal_id="T01")
        context.users.add_user(admin, username="cashier", display_name="收银员",
                               roles=[Role.CASHIER], password="Till2026xyz")
    finally:
        context.close()
    copy = take_backup(path, settings.backup_dir, kind="manual", keep=10).path
    _scribble(path, 0, 2048)
    damaged_bytes = path.read_bytes()
    clock = SystemClock()
    with pytest.raises(PermissionDenied):
        restore_damaged_database(
            path, copy, backup_dir=settings.backup_dir,
            marker=marker_for(path, settings.data_dir), clock=clock,
            actor_in_copy=lambda uow: UserService(uow, clock, SecurityPolicy()).authenticate(
                "cashier", "Till2026xyz", terminal_id="T01"))
    assert path.read_bytes() == damaged_bytes


def test_tail_check_finds_a_moved_chain_head_on_each_backend(uow_factory, store, world,
                                                             engine):
    from sqlalchemy import text

    assert tail_problems(uow_factory) == []
    with engine.begin() as conn:
        conn.execute(text("UPDATE chain_heads SET last_seq = last_seq - 1 "
                          "WHERE name LIKE 'ledger%'"))
    problems = tail_problems(uow_factory)
    assert problems and "链头" in problems[0]


def test_full_check_on_each_backend_walks_chains(uow_factory, store, world, clock, tmp_path,
                                                 engine):
    from pharmacy_pos.services.startup_check import DatabaseCheck

    checks = DatabaseCheck(uow_factory, clock, database=None if engine.dialect.name != "sqlite"
                           else Path(engine.url.database), description="db",
                           backup_dir=tmp_path / "b", marker=tmp_path / "marker.json")
    result = checks.full(Actor.system(store.id, "T01", "t"))
    assert result.ok, result.problems
    assert result.file_checked == (engine.dialect.name == "sqlite")
    assert result.ledger_entries > 0


def test_the_damaged_copy_is_kept_not_deleted(settings):
    path = database(settings)
    _rootpage(path, "stores")
    _scribble(path, 0, 2048)
    original = path.read_bytes()
    [copy] = settings.backup_dir.glob("*-manual.sqlite3")
    clock = SystemClock()
    restored = restore_damaged_database(
        path, copy, backup_dir=settings.backup_dir,
        marker=marker_for(path, settings.data_dir), clock=clock,
        actor_in_copy=lambda uow: Actor.system(find_store(uow, STORE).id, "T01", "t"))
    [kept] = [p for p in restored.damaged if p.name.endswith("-damaged.sqlite3.bad")]
    assert kept.read_bytes() == original  # kept in the backup folder as evidence


@pytest.mark.parametrize("where", ["ledger_entries", "audit_log", "chain_heads",
                                   "sqlite_autoindex_ledger_entries_1", "stock_balances"])
def test_sec_6_garbage_in_a_page_read_at_start_refuses_to_open_with_the_restore(
        settings, where):
    # The pages the start check reads (the tables' and chain index's right edges); damage
    # elsewhere is the background check's (test above).
    path = database(settings)
    page, size = _rootpage(path, where)
    _scribble(path, (page - 1) * size, size)
    refusal = _refused(settings)
    assert str(path) in str(refusal) and "pharmacy-pos-cli restore" in str(refusal)
    assert refusal.backups


def test_a_failure_remembered_on_postgresql_refuses_with_pg_guidance(tmp_path, clock):
    from pharmacy_pos.db.integrity import write_marker
    from pharmacy_pos.services.startup_check import DatabaseCheck

    marker = marker_for(None, tmp_path)
    write_marker(marker, ["哈希链断裂: 台账第 7 条"], "2026-11-23T10:00:00")
    checks = DatabaseCheck(lambda **_: None, clock, database=None,  # type: ignore[arg-type]
                           description="postgresql+psycopg://pos@db/pos",
                           backup_dir=tmp_path / "backups", marker=marker)
    with pytest.raises(DatabaseCorrupt) as refused:
        checks.before_open()
    assert not refused.value.sqlite
    assert "pg_restore" in str(refused.value) and "台账第 7 条" in str(refused.value)
