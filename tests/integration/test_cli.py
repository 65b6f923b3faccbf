"""pharmacy-pos-cli: every command, and its answers to bad input (exit status, no change)."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pharmacy_pos.cli import EXIT_ENVIRONMENT, EXIT_OK, EXIT_REFUSED, main
from pharmacy_pos.paths import resource
from tests.integration.test_catalogue_import import _row, write_csv


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PHARMACY_POS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHARMACY_POS_DATABASE_URL", raising=False)
    return tmp_path


#: The CLI's SQLite files in a data folder.
DB_FILES = ("pharmacy_pos.sqlite3", "pharmacy_pos.sqlite3-wal", "pharmacy_pos.sqlite3-shm")


def load_demo_copy(template: Path, data_dir: Path) -> None:
    """Put a copy of the session's demo store into ``data_dir`` (what ``demo`` writes)."""
    for name in DB_FILES:
        if (template / name).exists():
            (data_dir / name).write_bytes((template / name).read_bytes())


def run(capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def initialised(data_dir, capsys) -> Path:
    code, out, _ = run(capsys, "init", "--store-name", "测试大药房", "--password-stdin",
                       stdin="Strong2026x\n")
    assert code == EXIT_OK, out
    return data_dir


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "pharmacy_pos.sqlite3")


def test_init_creates_store_and_admin_and_is_repeatable(initialised, capsys):
    with _db(initialised) as db:
        assert db.execute("SELECT username FROM users").fetchall() == [("admin",)]
    code, out, _ = run(capsys, "init", "--store-name", "测试大药房", "--password-stdin",
                       stdin="Strong2026x\n")
    assert code == EXIT_OK and "已存在" in out and "未创建管理员" in out
    with _db(initialised) as db:
        assert db.execute("SELECT count(*) FROM stores").fetchone() == (1,)


def test_init_refuses_a_weak_admin_password(data_dir, capsys):
    code, _, err = run(capsys, "init", "--store-name", "店", "--password-stdin", stdin="123\n")
    assert code == EXIT_REFUSED and "SEC-3" in err
    with _db(data_dir) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_commands_before_init_say_what_to_do(data_dir, capsys):
    code, _, err = run(capsys, "users", "list")
    assert code == EXIT_REFUSED and "pharmacy-pos-cli init" in err


def test_users_add_list_freeze(initialised, capsys):
    code, out, _ = run(capsys, "users", "add", "li.ming", "--name", "李明", "--role",
                       "pharmacist", "--role", "收银员", "--qualification", "ZY001",
                       "--password-stdin", stdin="Pharm2026x\n")
    assert code == EXIT_OK and "药师" in out
    code, out, _ = run(capsys, "users", "freeze", "li.ming", "--reason", "离职")
    assert code == EXIT_OK
    code, out, _ = run(capsys, "users", "list")
    assert "li.ming" in out and "已冻结（离职）" in out and "资格证 ZY001" in out


@pytest.mark.parametrize(
    ("argv", "stdin", "fragment"),
    [
        (["users", "add", "x1", "--name", "某", "--role", "boss", "--password-stdin"], "Aa123456\n",
         "未知角色"),
        (["users", "add", "x1", "--name", "某", "--role", "cashier", "--password-stdin"], "weak\n",
         "密码至少"),
        (["users", "add", "admin", "--name", "某", "--role", "cashier", "--password-stdin"],
         "Strong2026x\n", "已存在"),
        (["users", "freeze", "nobody", "--reason", "x"], "", "没有用户"),
        (["users", "add", "x1", "--name", "某", "--role", "cashier"], "", "--password-stdin"),
    ],
)
def test_users_bad_input_changes_nothing(initialised, capsys, argv, stdin, fragment):
    code, _, err = run(capsys, *argv, stdin=stdin)
    assert code == EXIT_REFUSED and fragment in err
    with _db(initialised) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone() == (1,)


def test_import_catalogue_good_and_bad(initialised, capsys, tmp_path):
    code, out, _ = run(capsys, "import-catalogue", str(resource("demo", "catalogue.csv")))
    assert code == EXIT_OK and "新增 201" in out
    bad = write_csv(tmp_path / "bad.csv", [_row("Z1", "6901234567891"),
                                           _row("Z2", "6901234567885", 零售价="-2")])
    code, _, err = run(capsys, "import-catalogue", str(bad))
    assert code == EXIT_REFUSED
    assert "第 2 行" in err and "第 3 行" in err and "未导入任何商品" in err
    with _db(initialised) as db:
        assert db.execute("SELECT count(*) FROM products").fetchone() == (201,)


def test_demo_then_verify_then_tamper(data_dir, capsys):
    code, out, _ = run(capsys, "demo")
    assert code == EXIT_OK and "演示账号" in out
    code, out, _ = run(capsys, "verify")
    assert code == EXIT_OK and "校验通过" in out
    with _db(data_dir) as db:
        db.execute("DROP TRIGGER ledger_entries_no_update")
        db.execute("UPDATE ledger_entries SET quantity = quantity + 1 WHERE chain_seq = 7")
    code, _, err = run(capsys, "verify")
    assert code == EXIT_REFUSED
    assert "第一处断裂: ledger/1: 第 7 条" in err and "校验失败" in err


def test_demo_refuses_a_database_with_products(data_dir, capsys):
    assert run(capsys, "demo")[0] == EXIT_OK
    code, _, err = run(capsys, "demo")
    assert code == EXIT_REFUSED and "已有商品" in err


def test_unreachable_database_is_an_environment_fault(data_dir, capsys):
    code, _, err = run(capsys, "--database", "postgresql+psycopg://nobody@127.0.0.1:1/none",
                       "verify")
    assert code == EXIT_ENVIRONMENT and "无法连接数据库" in err


def test_a_file_that_is_not_a_database(data_dir, capsys):
    (data_dir / "pharmacy_pos.sqlite3").write_bytes(b"this is not sqlite" * 100)
    code, _, err = run(capsys, "verify")
    assert code == EXIT_ENVIRONMENT and "损坏" in err


def test_console_script_is_installed_and_speaks_chinese(data_dir):
    script = Path(sys.executable).with_name("pharmacy-pos-cli")
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60,
                          env=os.environ | {"PYTHONIOENCODING": "utf-8"}, check=False)
    assert done.returncode == 0 and "import-catalogue" in done.stdout and "演示数据" in done.stdout


def test_id_3_blacklist_commands(initialised, capsys, tmp_path):
    code, out, _ = run(capsys, "blacklist", "add", "A12345678", "--reason", "本人挂失")
    assert code == EXIT_OK and "已加入" in out
    code, _, err = run(capsys, "blacklist", "add", "A12345678", "--reason", "again")
    assert code == EXIT_REFUSED and "已在挂失卡名单中" in err
    listing = tmp_path / "lost.csv"
    listing.write_text("卡号,原因\nB1,冒用\nC2,挂失\n", encoding="utf-8")
    assert run(capsys, "blacklist", "import", str(listing))[1].strip() == "导入完成: 新增 2 张卡"
    code, out, _ = run(capsys, "blacklist", "lift", "B1", "--reason", "误报")
    assert code == EXIT_OK
    code, out, _ = run(capsys, "blacklist", "list")
    assert "A12345678" in out and "C2" in out and "B1" not in out
    assert "B1" in run(capsys, "blacklist", "list", "--all")[1]


def test_card_use_report_refuses_bad_dates(initialised, capsys):
    with pytest.raises(SystemExit) as usage:
        run(capsys, "card-use", "--from", "2026-13-01", "--to", "2026-11-30")
    assert usage.value.code == 2
    assert "日期“2026-13-01”无效" in capsys.readouterr().err
    code, _, err = run(capsys, "card-use", "--from", "2026-11-30", "--to", "2026-11-01")
    assert code == EXIT_REFUSED and "结束日期" in err
    code, out, _ = run(capsys, "card-use", "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == EXIT_OK and "共 0 条" in out


def test_training_mode_commands_use_the_training_database_only(data_dir, capsys, monkeypatch):
    """PHARMACY_POS_TRAINING=1 (as the app): the commands act on <data dir>/training and
    never on the store's database; naming another database is refused."""
    monkeypatch.setenv("PHARMACY_POS_TRAINING", "1")
    code, _, err = run(capsys, "demo")
    assert code == EXIT_OK, err
    assert "培训模式" in err
    assert (data_dir / "training" / "pharmacy_pos.sqlite3").exists()
    assert not (data_dir / "pharmacy_pos.sqlite3").exists()
    code, _, err = run(capsys, "--database", f"sqlite:///{data_dir / 'store.sqlite3'}", "verify")
    assert code == EXIT_REFUSED and "--database" in err
    assert not (data_dir / "store.sqlite3").exists()
