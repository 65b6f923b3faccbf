"""Login window: keyboard log-in, role-limited navigation, and SEC-3 refusals that
change nothing but the failure counter and the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.ui.login_view import LoginDialog
from pharmacy_pos.ui.session import SessionController
from tests.ui.helpers import audit_actions


@pytest.fixture
def session(qtbot: QtBot, app_ctx: AppContext) -> Iterator[SessionController]:
    """A session controller with its login window up."""
    controller = SessionController(app_ctx)
    controller.start()
    assert controller.login_dialog is not None
    qtbot.addWidget(controller.login_dialog)
    yield controller
    controller.close()


def _type_login(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def _dialog(session: SessionController) -> LoginDialog:
    assert session.login_dialog is not None
    return session.login_dialog


def test_login_window_names_store_terminal_and_database(
    session: SessionController, app_ctx: AppContext,
) -> None:
    dialog = _dialog(session)
    assert "演示大药房" in dialog.windowTitle()
    assert "T01" in dialog.footnote_label.text()
    assert str(app_ctx.settings.data_dir) in dialog.footnote_label.text()
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.isVisible()


def test_cashier_logs_in_with_keyboard_and_sees_only_cashier_screens(
    qtbot: QtBot, session: SessionController,
) -> None:
    dialog = _dialog(session)
    with qtbot.waitSignal(session.session_started) as started:
        _type_login(qtbot, dialog, "cashier", DEMO_PASSWORD)
    window = started.args[0]
    qtbot.addWidget(window)
    assert session.login_dialog is None
    assert window.actor.username == "cashier"
    titles = window.nav_titles()
    assert "系统状态" in titles
    assert "商品目录" in titles
    assert "用户管理" not in titles
    assert "审计日志" not in titles


def test_admin_sees_user_management_and_audit_but_not_catalogue(
    qtbot: QtBot, session: SessionController,
) -> None:
    with qtbot.waitSignal(session.session_started) as started:
        _type_login(qtbot, _dialog(session), "admin", DEMO_PASSWORD)
    window = started.args[0]
    qtbot.addWidget(window)
    # administrator: MANAGE_USERS, MAINTAIN_SYSTEM, VIEW_AUDIT, VIEW_STATUS (SEC-1)
    assert set(window.nav_titles()) == {"用户管理", "审计日志", "系统状态", "医保上传"}


def test_wrong_password_is_refused_inline_and_audited(
    qtbot: QtBot, session: SessionController, app_ctx: AppContext,
) -> None:
    dialog = _dialog(session)
    before = audit_actions(app_ctx)
    _type_login(qtbot, dialog, "cashier", "Wrong2026")
    assert "用户名或密码错误" in dialog.error_label.text()
    assert "再错 4 次" in dialog.error_label.text()
    assert dialog.isVisible()
    assert session.main_window is None
    assert dialog.username_edit.text() == "cashier"  # kept for the next try
    assert dialog.password_edit.text() == ""  # cleared
    new = audit_actions(app_ctx)[len(before):]
    assert [action for action, _ in new] == ["login.failed"]
    assert '"username": "cashier"' in new[0][1]


def test_password_field_is_focused_after_a_failure(
    qtbot: QtBot, session: SessionController,
) -> None:
    dialog = _dialog(session)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _type_login(qtbot, dialog, "cashier", "Wrong2026")
    assert dialog.focusWidget() is dialog.password_edit


def test_unknown_user_is_refused_without_any_change(
    qtbot: QtBot, session: SessionController, app_ctx: AppContext,
) -> None:
    dialog = _dialog(session)
    before = audit_actions(app_ctx)
    _type_login(qtbot, dialog, "nobody", DEMO_PASSWORD)
    assert "用户名或密码错误" in dialog.error_label.text()
    assert session.main_window is None
    assert audit_actions(app_ctx) == before


def test_frozen_account_cannot_log_in(
    qtbot: QtBot, session: SessionController, app_ctx: AppContext,
    log_in: Callable[[str], Actor],
) -> None:
    app_ctx.users.freeze(log_in("admin"), "cashier", reason="离职")
    dialog = _dialog(session)
    _type_login(qtbot, dialog, "cashier", DEMO_PASSWORD)
    assert "账号已冻结" in dialog.error_label.text()
    assert "离职" in dialog.error_label.text()
    assert session.main_window is None


def test_five_wrong_passwords_lock_the_account(
    qtbot: QtBot, session: SessionController, app_ctx: AppContext,
) -> None:
    dialog = _dialog(session)
    for _ in range(app_ctx.policy.security.max_failed_logins):
        qtbot.keyClicks(dialog.password_edit, "Wrong2026")
        if not dialog.username_edit.text():
            qtbot.keyClicks(dialog.username_edit, "pharmacist")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "锁定" in dialog.error_label.text()
    # Even the right password is refused while locked.
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "锁定至" in dialog.error_label.text()
    assert session.main_window is None
    assert "login.locked" in [action for action, _ in audit_actions(app_ctx)]


def test_enter_after_user_name_moves_to_password_without_trying(
    qtbot: QtBot, session: SessionController, app_ctx: AppContext,
) -> None:
    dialog = _dialog(session)
    before = audit_actions(app_ctx)
    qtbot.keyClicks(dialog.username_edit, "cashier")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Return)
    assert dialog.error_label.text() == "请输入密码"
    assert audit_actions(app_ctx) == before
    assert session.main_window is None


def test_empty_form_asks_for_user_name_and_password(
    qtbot: QtBot, session: SessionController,
) -> None:
    dialog = _dialog(session)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Return)
    assert "请输入用户名和密码" in dialog.error_label.text()


def test_escape_cancels_and_ends_the_application(
    qtbot: QtBot, session: SessionController,
) -> None:
    dialog = _dialog(session)
    with qtbot.waitSignal(session.ended):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert session.login_dialog is None
