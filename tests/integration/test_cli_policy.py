"""pharmacy-pos-cli policy: show, history, install with a store manager approving."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

import pytest

from pharmacy_pos.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from tests.integration.test_cli import _db, run
from tests.integration.test_policy_versions import DEFAULT_TEXT, revised

MANAGER_PASSWORD = "Manager2026x"


@pytest.fixture
def initialised(tmp_path, monkeypatch, capsys) -> Path:
    """A store with its administrator, in a data directory of its own."""
    monkeypatch.setenv("PHARMACY_POS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHARMACY_POS_DATABASE_URL", raising=False)
    monkeypatch.delenv("PHARMACY_POS_POLICY_FILE", raising=False)
    code, out, _ = run(capsys, "init", "--store-name", "测试大药房", "--password-stdin",
                       stdin="Strong2026x\n")
    assert code == EXIT_OK, out
    return tmp_path


@pytest.fixture
def with_manager(initialised, capsys) -> Path:
    code, _, err = run(capsys, "users", "add", "liu.yang", "--name", "刘洋", "--role",
                         "store_manager", "--password-stdin", stdin=f"{MANAGER_PASSWORD}\n")
    assert code == EXIT_OK, err
    code, _, err = run(capsys, "users", "add", "wang.fang", "--name", "王芳", "--role",
                         "cashier", "--password-stdin", stdin=f"{MANAGER_PASSWORD}\n")
    assert code == EXIT_OK, err
    return initialised


@pytest.fixture
def new_file(tmp_path) -> Path:
    # effective 2026-01-01: already in force whatever today's date is (the CLI's real clock)
    path = tmp_path / "policy-2026.2.toml"
    path.write_text(revised(effective_from="2026-01-01"), encoding="utf-8")
    return path


# ``init`` records the shipped default as the first version, under the CLI operator.
DEFAULT_ROW = ("2026.1", f"cli:{getpass.getuser()}")


def _versions(data_dir: Path) -> list[tuple[str, str]]:
    with _db(data_dir) as db:
        return db.execute(
            "SELECT version, installed_by FROM policy_versions ORDER BY id").fetchall()


def _install_audits(data_dir: Path) -> list[dict]:
    with _db(data_dir) as db:
        rows = db.execute("SELECT detail FROM audit_log WHERE action = 'policy.install' "
                          "ORDER BY id").fetchall()
    return [json.loads(detail) for (detail,) in rows]


def test_show_prints_the_default_in_force(initialised, capsys):
    code, out, _ = run(capsys, "policy", "show")
    assert code == EXIT_OK
    assert "政策版本: 2026.1（默认统筹区，2026-01-01 起生效）" in out
    # init recorded the shipped default as the store's first version.
    assert "尚未安装" not in out and "\n安装: " in out
    assert "一般处方用药天数上限: 7 天" in out
    assert "门诊统筹年度支付限额: ¥250.00" in out


def test_install_with_manager_password_then_show_and_history(with_manager, new_file, capsys):
    code, out, err = run(capsys, "policy", "install", str(new_file), "--manager", "liu.yang",
                         "--password-stdin", stdin=f"{MANAGER_PASSWORD}\n")
    assert code == EXIT_OK, err
    assert "政策已安装: 2026.1 → 2026.2" in out
    assert "一般处方用药天数上限: 7 天 → 5 天" in out
    assert _versions(with_manager) == [DEFAULT_ROW, ("2026.2", "liu.yang")]
    detail = _install_audits(with_manager)[-1]
    assert detail["approver"] == "liu.yang" and detail["source"] == str(new_file)
    assert (detail["old_version"], detail["new_version"]) == ("2026.1", "2026.2")

    code, out, _ = run(capsys, "policy", "show")
    assert code == EXIT_OK and "政策版本: 2026.2" in out and "liu.yang" in out
    assert "一般处方用药天数上限: 5 天" in out
    code, out, _ = run(capsys, "policy", "history")
    assert code == EXIT_OK
    assert out.splitlines()[0].startswith("2026.2") and "现行" in out


def test_wrong_manager_password_is_refused_and_nothing_installed(with_manager, new_file,
                                                                 capsys):
    code, _, err = run(capsys, "policy", "install", str(new_file), "--manager", "liu.yang",
                       "--password-stdin", stdin="wrong-password\n")
    assert code == EXIT_REFUSED and "密码错误" in err
    assert _versions(with_manager) == [DEFAULT_ROW]


def test_a_cashier_cannot_approve(with_manager, new_file, capsys):
    code, _, err = run(capsys, "policy", "install", str(new_file), "--manager", "wang.fang",
                       "--password-stdin", stdin=f"{MANAGER_PASSWORD}\n")
    assert code == EXIT_REFUSED and "SEC-2" in err and "审批人" in err
    assert _versions(with_manager) == [DEFAULT_ROW]


def test_invalid_file_is_refused_with_problems_before_any_password(with_manager, tmp_path,
                                                                   capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_TEXT.replace("emergency_max_days = 3", "emergency_max_days = 30"),
                   encoding="utf-8")
    code, _, err = run(capsys, "policy", "install", str(bad), "--manager", "liu.yang",
                       "--password-stdin", stdin="")
    assert code == EXIT_REFUSED and "内容无效" in err and "急诊" in err
    with _db(with_manager) as db:
        # No password was asked for, so no login was attempted (nothing audit-logged).
        assert db.execute("SELECT count(*) FROM audit_log WHERE action LIKE 'login.%'"
                          ).fetchone() == (0,)
    assert _versions(with_manager) == [DEFAULT_ROW]


def test_same_content_and_missing_file_are_refused(with_manager, tmp_path, capsys):
    same = tmp_path / "same.toml"
    same.write_text(DEFAULT_TEXT, encoding="utf-8")
    code, _, err = run(capsys, "policy", "install", str(same), "--manager", "liu.yang",
                       "--password-stdin", stdin=f"{MANAGER_PASSWORD}\n")
    assert code == EXIT_REFUSED and "与现行政策相同，无需重新安装" in err
    code, _, err = run(capsys, "policy", "install", str(tmp_path / "none.toml"), "--manager",
                       "liu.yang", "--password-stdin", stdin=f"{MANAGER_PASSWORD}\n")
    assert code == EXIT_REFUSED and "找不到文件" in err
    assert _versions(with_manager) == [DEFAULT_ROW]


def test_install_needs_a_manager_argument(initialised, new_file, capsys):
    with pytest.raises(SystemExit) as usage:
        run(capsys, "policy", "install", str(new_file))
    assert usage.value.code == EXIT_USAGE
    # Only the default that init recorded.
    with sqlite3.connect(initialised / "pharmacy_pos.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM policy_versions").fetchone() == (1,)
