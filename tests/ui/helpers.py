"""Small helpers shared by the UI tests."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from pharmacy_pos.bootstrap import AppContext


def audit_actions(ctx: AppContext) -> list[tuple[str, str]]:
    """(action, detail) of every audit record of the store, oldest first."""
    assert ctx.store is not None
    with ctx.uow(readonly=True) as uow:
        return [(r.action, r.detail) for r in reversed(uow.audit.recent(ctx.store.id, 100_000))]


def commit_text(widget: QWidget, text: str) -> None:
    """Enter Chinese text the way an input method does: one committed string.

    ``QTest.keyClicks`` only maps ASCII to keys (it aborts on other characters), and a
    Pinyin IME delivers 汉字 as an input-method commit, not as key presses anyway.
    """
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def log_in_as(qtbot, controller, username: str, password: str):
    """Type a user's credentials into the controller's login window; returns the main window."""
    from PySide6.QtCore import Qt

    dialog = controller.start()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClicks(dialog.password_edit, password)
    with qtbot.waitSignal(controller.session_started) as started:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    return started.args[0]


def run_with_real_pcscd(target: str, data_dir: object) -> dict:
    """Run ``target`` (``"tests.ui.module:function"``, called with ``data_dir`` as text) in
    a child process that starts its own private pcscd, and return the JSON it printed last.

    A child, because libpcsclite ties a process to one pcscd socket at its first call and
    the device tests may have tied this one already. Skips (with the reason) where pcscd
    is not installed or could not start; fails if the child failed.
    """
    import json
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if shutil.which("pcscd") is None:
        pytest.skip("pcscd not installed (Debian: apt-get install pcscd vsmartcard-vpcd)")
    module, function = target.split(":")
    env = {k: v for k, v in os.environ.items() if k != "PCSCLITE_CSOCK_NAME"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    child = subprocess.run(
        [sys.executable, "-W", "error", "-c",
         f"import sys; from {module} import {function} as f; f(sys.argv[1])", str(data_dir)],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    if "skip" in result:
        pytest.skip(f"pcscd unavailable: {result['skip']}")
    return result
