"""政策参数: the version in force, installing a file after confirming what changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.ui.policy_view import ConfirmInstallDialog, PolicyView
from pharmacy_pos.ui.screens import screens_for
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import audit_actions

DEFAULT_TEXT = resource("policy", "default.toml").read_text(encoding="utf-8")


def _revised(tmp_path: Path, text: str | None = None) -> Path:
    """A policy file: version 2026.2 with 5 days for a general prescription."""
    path = tmp_path / "policy-2026.2.toml"
    path.write_text(text if text is not None else (
        DEFAULT_TEXT.replace('version = "2026.1"', 'version = "2026.2"')
        .replace("general_max_days = 7", "general_max_days = 5")
    ), encoding="utf-8")
    return path


@pytest.fixture
def manager(log_in: Callable[[str], Actor]) -> Actor:
    """The demo store manager, logged in."""
    return log_in("manager")


@pytest.fixture
def view(qtbot: QtBot, app_ctx: AppContext, manager: Actor) -> PolicyView:
    """The screen as built by its ScreenSpec factory for the manager."""
    spec = next(s for s in screens_for(manager) if s.key == "policy")
    screen = spec.factory(app_ctx, manager, None)
    assert isinstance(screen, PolicyView)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(path) if path else "", ""))


def _values(view: PolicyView) -> dict[str, str]:
    return dict(view.values_model.rows())


def _open_confirmation(qtbot: QtBot, view: PolicyView) -> ConfirmInstallDialog:
    qtbot.mouseClick(view.install_button, Qt.MouseButton.LeftButton)
    assert view.confirm_dialog is not None
    qtbot.waitExposed(view.confirm_dialog)
    return view.confirm_dialog


def _approve(qtbot: QtBot, dialog: ConfirmInstallDialog, username: str = "admin",
             password: str = DEMO_PASSWORD) -> None:
    """Install (Enter) and let a second person approve with their password (SEC-2)."""
    qtbot.mouseClick(dialog.install_button, Qt.MouseButton.LeftButton)
    approval = dialog.approval_dialog
    assert approval is not None and approval.isVisible()
    qtbot.keyClicks(approval.username_edit, username)
    qtbot.keyClicks(approval.password_edit, password)
    qtbot.keyClick(approval.password_edit, Qt.Key.Key_Return)


def test_only_the_store_manager_sees_the_screen(log_in: Callable[[str], Actor]) -> None:
    for username in ("cashier", "pharmacist", "inspector", "auditor", "admin"):
        assert "policy" not in [s.key for s in screens_for(log_in(username))]
    assert "policy" in [s.key for s in screens_for(log_in("manager"))]


def test_shows_the_version_in_force_and_its_numbers(view: PolicyView) -> None:
    assert view.version_label.text() == "2026.1"
    assert view.region_label.text() == "默认统筹区"
    assert view.effective_label.text() == "2026-01-01"
    assert "尚未安装" in view.installed_label.text()
    assert _values(view)["一般处方用药天数上限"] == "7 天"
    assert view.history_model.rowCount() == 0


def test_installing_a_file_after_confirmation_changes_the_version_shown(
    qtbot: QtBot, view: PolicyView, app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, message_boxes: BoxRecorder,
) -> None:
    _choose_file(monkeypatch, _revised(tmp_path))
    dialog = _open_confirmation(qtbot, view)
    assert dialog.isVisible() and view.version_label.text() == "2026.1"  # not yet
    assert dialog.changes_model.rows() == [
        ("版本", "2026.1", "2026.2"),
        ("一般处方用药天数上限", "7 天", "5 天"),
    ]
    _approve(qtbot, dialog)
    assert not dialog.isVisible()
    assert message_boxes.shown == []
    assert view.version_label.text() == "2026.2"
    assert _values(view)["一般处方用药天数上限"] == "5 天"
    assert "manager" in view.installed_label.text()
    assert view.message_label.text() == "已安装政策版本 2026.2"
    assert view.history_model.rowCount() == 1
    assert view.history_model.index(0, 0).data() == "2026.2（现行）"
    installs = [json.loads(detail) for action, detail in audit_actions(app_ctx)
                if action == "policy.install"]
    assert [(d["old_version"], d["new_version"]) for d in installs] == [("2026.1", "2026.2")]
    assert installs[0]["approver"] == "admin"


def test_sec_2_the_manager_cannot_approve_their_own_policy_change(
    qtbot: QtBot, view: PolicyView, app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _choose_file(monkeypatch, _revised(tmp_path))
    dialog = _open_confirmation(qtbot, view)
    _approve(qtbot, dialog, username="manager")
    approval = dialog.approval_dialog
    assert approval is not None and approval.isVisible()
    assert "SEC-2" in approval.error_label.text()
    assert view.version_label.text() == "2026.1"
    assert "policy.install" not in [action for action, _ in audit_actions(app_ctx)]
    approval.reject()
    dialog.reject()


def test_sec_2_cancelling_the_approval_installs_nothing_and_a_cashier_cannot_approve(
    qtbot: QtBot, view: PolicyView, app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _choose_file(monkeypatch, _revised(tmp_path))
    dialog = _open_confirmation(qtbot, view)
    _approve(qtbot, dialog, username="cashier")
    approval = dialog.approval_dialog
    assert approval is not None and approval.isVisible()
    assert "SEC-2" in approval.error_label.text() and "审批人" in approval.error_label.text()
    qtbot.keyClick(approval, Qt.Key.Key_Escape)  # the approver walks away
    assert not approval.isVisible() and dialog.isVisible()
    assert view.version_label.text() == "2026.1"
    assert "policy.install" not in [action for action, _ in audit_actions(app_ctx)]
    dialog.reject()


def test_cancelling_the_confirmation_installs_nothing(
    qtbot: QtBot, view: PolicyView, app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _choose_file(monkeypatch, _revised(tmp_path))
    dialog = _open_confirmation(qtbot, view)
    dialog.reject()
    assert view.version_label.text() == "2026.1"
    assert "policy.install" not in [action for action, _ in audit_actions(app_ctx)]


def test_no_file_chosen_opens_nothing(qtbot: QtBot, view: PolicyView,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _choose_file(monkeypatch, None)
    qtbot.mouseClick(view.install_button, Qt.MouseButton.LeftButton)
    assert view.confirm_dialog is None


def test_invalid_file_is_explained_and_no_confirmation_opens(
    qtbot: QtBot, view: PolicyView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    message_boxes: BoxRecorder,
) -> None:
    bad = DEFAULT_TEXT.replace("emergency_max_days = 3", "emergency_max_days = 30")
    _choose_file(monkeypatch, _revised(tmp_path, bad))
    qtbot.mouseClick(view.install_button, Qt.MouseButton.LeftButton)
    assert view.confirm_dialog is None
    [box] = message_boxes.shown
    assert box.icon == QMessageBox.Icon.Warning
    assert "内容无效" in box.text and "急诊" in box.text
    assert view.version_label.text() == "2026.1"


def test_same_content_is_refused_at_install_and_the_dialog_stays(
    qtbot: QtBot, view: PolicyView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    message_boxes: BoxRecorder,
) -> None:
    _choose_file(monkeypatch, _revised(tmp_path, DEFAULT_TEXT))
    dialog = _open_confirmation(qtbot, view)
    assert dialog.changes_model.rowCount() == 0
    _approve(qtbot, dialog)
    approval = dialog.approval_dialog
    assert approval is not None and approval.isVisible()
    assert "与现行政策相同，无需重新安装" in approval.error_label.text()
    assert dialog.isVisible()
    approval.reject()
    dialog.reject()


def test_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, view: PolicyView,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    _choose_file(monkeypatch, _revised(tmp_path))
    dialog = _open_confirmation(qtbot, view)
    _approve(qtbot, dialog)
    qtmodeltester.check(view.values_model)
    qtmodeltester.check(view.history_model)
    qtmodeltester.check(dialog.changes_model)
