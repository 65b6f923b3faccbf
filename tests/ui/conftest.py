"""UI test fixtures: a real demo database per test (copied from one built per session),
a context over it, logged-in actors, and a recorder standing in for modal message boxes.

Self-contained on purpose: nothing here relies on ``tests/conftest.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from pharmacy_pos.bootstrap import AppContext, build_context
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD, load_demo
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.settings import Settings
from pharmacy_pos.ui import errors as ui_errors
from tests.ui.dialog_keys import DialogKeysAudit

DB_FILE = "pharmacy_pos.sqlite3"
TERMINAL = "T01"
STORE_CODE = "H00000000001"
STORE_NAME = "演示大药房（定点零售药店）"
MOMENT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


def ui_settings(data_dir: Path) -> Settings:
    """Settings for a test terminal; every field explicit so PHARMACY_POS_* cannot leak in."""
    return Settings(
        data_dir=data_dir, database_url="", store_code=STORE_CODE, terminal_id=TERMINAL,
        policy_file=None, language="zh_CN", card_reader="none", printer="file",
        backup_before_migration=False,
    )


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the whole session (loading takes ~1.5 s); tests copy it."""
    folder = tmp_path_factory.mktemp("demo_template")
    ctx = build_context(ui_settings(folder), clock=FixedClock(MOMENT))
    try:
        store, _ = ensure_store(ctx.uow, ctx.clock, code=STORE_CODE, name=STORE_NAME,
                                operator="test", terminal_id=TERMINAL)
        load_demo(ctx.uow, ctx.clock, Actor.system(store.id, TERMINAL, "test"),
                  catalogue=resource("demo", "catalogue.csv"))
    finally:
        ctx.close()  # the last connection closing checkpoints the WAL into the file
    return folder


@pytest.fixture
def ui_clock() -> FixedClock:
    """The tests' clock (2026-11-01 10:00 Asia/Shanghai)."""
    return FixedClock(MOMENT)


@pytest.fixture
def app_ctx(demo_template: Path, tmp_path: Path, ui_clock: FixedClock) -> Iterator[AppContext]:
    """A context over this test's own copy of the demo database."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
        if (demo_template / name).exists():
            shutil.copy2(demo_template / name, data_dir / name)
    ctx = build_context(ui_settings(data_dir), clock=ui_clock)
    assert ctx.store is not None
    yield ctx
    ctx.close()


@pytest.fixture
def log_in(app_ctx: AppContext) -> Callable[[str], Actor]:
    """Log a demo user in through the service: ``log_in("cashier")``."""

    def _log_in(username: str) -> Actor:
        return app_ctx.users.authenticate(username, DEMO_PASSWORD, terminal_id=TERMINAL)

    return _log_in


@dataclass
class ShownBox:
    """What a message box said, as recorded instead of showing it."""

    icon: QMessageBox.Icon
    title: str
    text: str
    informative: str
    detailed: str
    buttons: list[str] = field(default_factory=list)


class BoxRecorder:
    """Replaces modal message boxes; ``answer`` may name a button to click."""

    def __init__(self) -> None:
        self.shown: list[ShownBox] = []
        self.answer: str | None = None

    def __call__(self, box: QMessageBox) -> None:
        self.shown.append(ShownBox(
            box.icon(), box.windowTitle(), box.text(), box.informativeText(),
            box.detailedText(), [b.text() for b in box.buttons()],
        ))
        if self.answer is not None:
            for button in box.buttons():
                if button.text() == self.answer:
                    button.click()
                    break


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> BoxRecorder:
    """Every message box is recorded, never shown (a modal box would hang the test).

    Depends on ``qapp`` so that every UI test has its QApplication.
    """
    recorder = BoxRecorder()
    monkeypatch.setattr(ui_errors, "exec_message_box", recorder)
    return recorder


@pytest.fixture(autouse=True)
def dialog_keys(qapp: QApplication) -> Iterator[DialogKeysAudit]:
    """Every dialog a UI test opens keeps the Enter/Esc contract (tests/ui/dialog_keys.py);
    a dialog that breaks it fails the test that opened it."""
    audit = DialogKeysAudit()
    qapp.installEventFilter(audit)
    yield audit
    qapp.removeEventFilter(audit)
    assert not audit.problems, "Enter/Esc contract broken:\n" + "\n".join(audit.problems)

