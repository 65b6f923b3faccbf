"""SEC-6: checked online backups with rotation, and a restore that checks the copy (file
and hash chains) before it replaces anything."""

from __future__ import annotations

import sqlite3

import pytest

from pharmacy_pos.cli import EXIT_OK, EXIT_REFUSED
from pharmacy_pos.db.backup import check_copy, take_backup
from tests.integration.test_cli import data_dir, load_demo_copy, run  # noqa: F401  (fixture)


def _count(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_sec_6_backup_restore_round_trip(
        data_dir, capsys, cli_demo_template):  # noqa: F811
    load_demo_copy(cli_demo_template, data_dir)
    live = data_dir / "pharmacy_pos.sqlite3"
    code, out, _ = run(capsys, "backup")
    assert code == EXIT_OK and "已备份并校验" in out
    [copy] = list((data_dir / "backups").glob("*-manual.sqlite3"))
    assert check_copy(copy) == []
    entries = _count(copy, "ledger_entries")
    assert entries == _count(live, "ledger_entries") > 0
    # Later stock changes are undone by the restore; the state before is kept aside.
    assert run(capsys, "expire")[0] == EXIT_OK
    code, out, err = run(capsys, "restore", str(copy))
    assert code == EXIT_REFUSED and "--yes" in err
    code, out, _ = run(capsys, "restore", str(copy), "--yes")
    assert code == EXIT_OK, out
    assert f"校验台账 {entries} 条" in out
    assert list((data_dir / "backups").glob("*-before-restore.sqlite3"))
    assert run(capsys, "verify")[0] == EXIT_OK
    assert "backup.restore" in {r[0] for r in sqlite3.connect(live).execute(
        "SELECT action FROM audit_log")}


def test_sec_6_a_damaged_or_foreign_copy_is_refused_and_nothing_replaced(
        data_dir, capsys, cli_demo_template, tmp_path):  # noqa: F811
    load_demo_copy(cli_demo_template, data_dir)
    live = data_dir / "pharmacy_pos.sqlite3"
    before = _count(live, "ledger_entries")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    code, _, err = run(capsys, "restore", str(garbage), "--yes")
    assert code == EXIT_REFUSED and "SEC-6" in err
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    code, _, err = run(capsys, "restore", str(foreign), "--yes")
    assert code == EXIT_REFUSED and "不是本系统的数据库" in err
    # A copy whose ledger was altered: the file is sound, its chain is not.
    assert run(capsys, "backup")[0] == EXIT_OK
    [copy] = list((data_dir / "backups").glob("*-manual.sqlite3"))
    tampered = tmp_path / "tampered.sqlite3"
    tampered.write_bytes(copy.read_bytes())
    conn = sqlite3.connect(tampered)
    conn.execute("DROP TRIGGER IF EXISTS ledger_entries_no_update")
    conn.execute("UPDATE ledger_entries SET quantity = quantity + 1 WHERE id = 3")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "restore", str(tampered), "--yes")
    assert code == EXIT_REFUSED and "校验不通过" in err
    assert _count(live, "ledger_entries") == before
    assert not list((data_dir / "backups").glob("*-before-restore.sqlite3"))


def test_sec_6_rotation_keeps_the_newest_copies(tmp_path):
    source = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(source)
    for table in ("alembic_version", "stores", "ledger_entries", "audit_log"):
        conn.execute(f"CREATE TABLE {table} (x)")
    conn.commit()
    conn.close()
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 1, tzinfo=UTC)
    made = [take_backup(source, tmp_path / "b", kind="daily", keep=3,
                        now=start + timedelta(days=n)) for n in range(5)]
    left = sorted((tmp_path / "b").glob("*-daily.sqlite3"))
    assert left == [m.path for m in made[-3:]]
    assert made[-1].removed == (made[1].path,)
    assert not list((tmp_path / "b").glob("*.partial"))


def test_sec_6_a_backup_folder_that_cannot_be_written_loses_nothing(tmp_path):
    import os

    from pharmacy_pos.domain.errors import EnvironmentFault

    source = tmp_path / "db.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE stores (x)").connection.commit()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(EnvironmentFault, match="备份失败"):
        take_backup(source, blocked / "b", kind="manual", keep=2)
    assert source.exists() and os.path.getsize(source) > 0


def test_sec_6_the_daily_copy_is_taken_once_a_day(tmp_path):
    from datetime import UTC, datetime

    from pharmacy_pos.bootstrap import build_context
    from pharmacy_pos.domain.clock import FixedClock
    from pharmacy_pos.paths import resource
    from pharmacy_pos.services.demo import prepare_demo_store
    from pharmacy_pos.settings import Settings

    clock = FixedClock(datetime.now(UTC))
    ctx = build_context(Settings(data_dir=tmp_path), clock=clock)
    try:
        prepare_demo_store(ctx.uow, clock, store_code=ctx.settings.store_code,
                           terminal_id="T01", operator="test",
                           catalogue=resource("demo", "catalogue.csv"))
        ctx.refresh_store()
        first = ctx.daily_backup("test")
        assert first is not None and first.name.endswith("-daily.sqlite3")
        clock.advance(hours=23)
        assert ctx.daily_backup("test") is None
        clock.advance(hours=2)
        second = ctx.daily_backup("test")
        assert second is not None and second != first
        assert [p.name for p in ctx.backups.copies()] == [second.name, first.name]
    finally:
        ctx.close()
