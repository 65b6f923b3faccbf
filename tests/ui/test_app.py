"""Start-up: the probe line the benchmark reads, lean imports, demo mode, language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pharmacy_pos.bootstrap import build_context
from pharmacy_pos.ui.app import needs_demo_data, process_uptime, resident_mb
from tests.ui.conftest import DB_FILE, ui_settings

PROBE_LINE = re.compile(r"^LOGIN_READY (\d+\.\d{3}) (\d+\.\d)$", re.MULTILINE)
# Only needed by imports/exports; loading them would slow every start.
HEAVY_MODULES = ("openpyxl", "pypinyin", "smartcard", "escpos", "psycopg", "alembic")

RUN_AND_LIST_MODULES = f"""
import sys
from pharmacy_pos.ui.app import main
status = main(sys.argv[1:])
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY_MODULES!r}))
print('HEAVY', ','.join(heavy))
raise SystemExit(status)
"""


def _run_gui(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHARMACY_POS_")}
    env.update(QT_QPA_PLATFORM="offscreen", PHARMACY_POS_DATA_DIR=str(data_dir),
               PHARMACY_POS_CARD_READER="none")
    return subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture
def demo_data_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A data folder holding a copy of the demo database."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy2(demo_template / DB_FILE, folder / DB_FILE)
    return folder


def test_process_measures_are_plausible() -> None:
    assert 0 < process_uptime() < 24 * 3600
    assert 20 < resident_mb() < 4096


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_startup_probe_reports_login_ready_without_heavy_imports(
    demo_data_dir: Path, language: str,
) -> None:
    result = _run_gui(demo_data_dir, "--startup-probe", "--lang", language)
    assert result.returncode == 0, result.stderr
    match = PROBE_LINE.search(result.stdout)
    assert match, result.stdout
    seconds, rss_mb = float(match[1]), float(match[2])
    assert 0 < seconds < 30  # the 1.5 s target is measured by the benchmark, not here
    assert 0 < rss_mb <= 250
    assert "HEAVY \n" in result.stdout + "\n", result.stdout


def test_demo_mode_creates_and_fills_its_own_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    result = _run_gui(data_dir, "--demo", "--startup-probe")
    assert result.returncode == 0, result.stderr
    assert PROBE_LINE.search(result.stdout), result.stdout
    assert not (data_dir / DB_FILE).exists()  # the real database is untouched
    ctx = build_context(ui_settings(data_dir / "demo"))
    try:
        assert ctx.store is not None
        assert ctx.store.name == "演示大药房（定点零售药店）"
        assert not needs_demo_data(ctx)
        with ctx.uow(readonly=True) as uow:
            assert uow.users.count() == 7
            assert uow.products.count() > 100
    finally:
        ctx.close()


def test_an_empty_database_needs_demo_data(tmp_path: Path) -> None:
    ctx = build_context(ui_settings(tmp_path))
    try:
        assert needs_demo_data(ctx)
    finally:
        ctx.close()


RUN_WITH_INFO_BOX_PRINTED = """
import sys
from PySide6.QtWidgets import QMessageBox

def information(parent, title, text, *args, **kwargs):
    print('INFO', title, text.replace('\\n', ' '))
    return QMessageBox.StandardButton.Ok

QMessageBox.information = information
from pharmacy_pos.ui.app import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_uninitialised_database_explains_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHARMACY_POS_")}
    env.update(QT_QPA_PLATFORM="offscreen", PHARMACY_POS_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", RUN_WITH_INFO_BOX_PRINTED, "--startup-probe"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "INFO 尚未初始化" in result.stdout
    assert "pharmacy-pos-cli init" in result.stdout
    assert "LOGIN_READY" not in result.stdout
