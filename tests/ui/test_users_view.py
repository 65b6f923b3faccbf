"""用户管理: list, add through the dialog (SEC-3 password rules shown inline, nothing
created on refusal), freeze with a reason (never delete)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.errors import AuthenticationFailed
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.users_model import UsersModel
from pharmacy_pos.ui.users_view import AddUserDialog, FreezeDialog, UsersView
from tests.ui.helpers import audit_actions, commit_text


@pytest.fixture
def admin(log_in: Callable[[str], Actor]) -> Actor:
    """The demo administrator, logged in."""
    return log_in("admin")


@pytest.fixture
def view(qtbot: QtBot, app_ctx: AppContext, admin: Actor) -> UsersView:
    """The user management screen as the administrator sees it."""
    users = UsersView(app_ctx, admin)
    qtbot.addWidget(users)
    users.show()
    return users


def _usernames(ctx: AppContext, admin: Actor) -> list[str]:
    return [u.username for u in ctx.users.list_users(admin)]


def _open_add_dialog(qtbot: QtBot, view: UsersView) -> AddUserDialog:
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.add_dialog is not None
    qtbot.waitExposed(view.add_dialog)
    return view.add_dialog


def _fill(qtbot: QtBot, dialog: AddUserDialog, *, username: str, name: str,
          password: str, confirm: str | None = None, roles: tuple[Role, ...] = (Role.CASHIER,),
          qualification: str = "") -> None:
    qtbot.keyClicks(dialog.username_edit, username)
    commit_text(dialog.name_edit, name)
    for role in roles:
        dialog.role_boxes[role].setFocus()
        qtbot.keyClick(dialog.role_boxes[role], Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.qualification_edit, qualification)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClicks(dialog.confirm_edit, password if confirm is None else confirm)


def test_lists_every_account_with_roles(view: UsersView) -> None:
    rows = {u.username: u for u in view.model.rows()}
    assert set(rows) >= {"cashier", "pharmacist", "admin", "auditor"}
    row = list(rows).index("pharmacist2")
    assert view.model.index(row, 2).data() == "药师、收银员" or \
        view.model.index(row, 2).data() == "收银员、药师"
    assert view.model.index(row, 4).data() == "正常"


def test_adding_a_user_through_the_dialog_creates_it(
    qtbot: QtBot, view: UsersView, app_ctx: AppContext, admin: Actor,
) -> None:
    dialog = _open_add_dialog(qtbot, view)
    _fill(qtbot, dialog, username="sunli", name="孙丽", password="Sunny2026x",
          roles=(Role.PHARMACIST,), qualification="ZY00998877")
    with qtbot.waitSignal(dialog.user_added):
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    created = {u.username: u for u in app_ctx.users.list_users(admin)}["sunli"]
    assert created.roles == (Role.PHARMACIST,)
    assert created.pharmacist_qualification_no == "ZY00998877"
    assert "sunli" in [u.username for u in view.model.rows()]
    assert view.selected_user() is not None
    assert view.selected_user().username == "sunli"
    assert "sunli" in view.message_label.text()
    assert audit_actions(app_ctx)[-1][0] == "user.add"
    # The new account works.
    app_ctx.users.authenticate("sunli", "Sunny2026x", terminal_id="T01")


def test_weak_password_shows_sec_3_and_creates_nothing(
    qtbot: QtBot, view: UsersView, app_ctx: AppContext, admin: Actor,
) -> None:
    before = _usernames(app_ctx, admin)
    dialog = _open_add_dialog(qtbot, view)
    _fill(qtbot, dialog, username="weakling", name="弱密码", password="abc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "SEC-3" in dialog.error_label.text()
    assert "密码至少 8 位" in dialog.error_label.text()
    assert _usernames(app_ctx, admin) == before


def test_mismatched_passwords_are_caught_before_the_service(
    qtbot: QtBot, view: UsersView, app_ctx: AppContext, admin: Actor,
) -> None:
    before = audit_actions(app_ctx)
    dialog = _open_add_dialog(qtbot, view)
    _fill(qtbot, dialog, username="typo", name="手误", password="Typo2026xx",
          confirm="Typo2026xy")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "两次输入的密码不一致"
    assert dialog.password_edit.text() == ""
    assert "typo" not in _usernames(app_ctx, admin)
    assert audit_actions(app_ctx) == before


def test_pharmacist_without_qualification_is_refused(
    qtbot: QtBot, view: UsersView, app_ctx: AppContext, admin: Actor,
) -> None:
    dialog = _open_add_dialog(qtbot, view)
    _fill(qtbot, dialog, username="noqual", name="无证", password="Noqual2026x",
          roles=(Role.PHARMACIST,))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "RX-2" in dialog.error_label.text()
    assert "noqual" not in _usernames(app_ctx, admin)


def test_taken_user_name_is_refused(qtbot: QtBot, view: UsersView) -> None:
    dialog = _open_add_dialog(qtbot, view)
    _fill(qtbot, dialog, username="cashier", name="重名", password="Other2026xx")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "已存在" in dialog.error_label.text()
    assert dialog.isVisible()


def test_freezing_a_user_with_a_reason(
    qtbot: QtBot, view: UsersView, app_ctx: AppContext,
) -> None:
    assert view.select_user("cashier")
    qtbot.mouseClick(view.freeze_button, Qt.MouseButton.LeftButton)
    dialog = view.freeze_dialog
    assert isinstance(dialog, FreezeDialog)
    commit_text(dialog.reason_edit, "离职")
    with qtbot.waitSignal(dialog.user_frozen):
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    row = [u.username for u in view.model.rows()].index("cashier")
    assert view.model.index(row, 4).data() == "已冻结"
    assert "离职" in view.model.index(row, 4).data(Qt.ItemDataRole.ToolTipRole)
    with pytest.raises(AuthenticationFailed, match="账号已冻结"):
        app_ctx.users.authenticate("cashier", "Demo2026", terminal_id="T01")


def test_freezing_without_a_reason_is_refused(
    qtbot: QtBot, view: UsersView, app_ctx: AppContext, admin: Actor,
) -> None:
    view.select_user("cashier")
    qtbot.mouseClick(view.freeze_button, Qt.MouseButton.LeftButton)
    dialog = view.freeze_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.freeze_button, Qt.MouseButton.LeftButton)
    assert "冻结账号必须填写原因" in dialog.error_label.text()
    assert dialog.isVisible()
    cashier = {u.username: u for u in app_ctx.users.list_users(admin)}["cashier"]
    assert not cashier.frozen


def test_freeze_needs_a_selected_user(qtbot: QtBot, view: UsersView) -> None:
    view.table.clearSelection()
    qtbot.mouseClick(view.freeze_button, Qt.MouseButton.LeftButton)
    assert view.freeze_dialog is None
    assert "请先" in view.message_label.text()


def test_users_model_passes_modeltester(
    qtmodeltester: ModelTester, app_ctx: AppContext, admin: Actor,
) -> None:
    app_ctx.users.freeze(admin, "auditor", reason="调岗")
    model = UsersModel()
    model.set_rows(app_ctx.users.list_users(admin))
    qtmodeltester.check(model)
    frozen = [u.username for u in model.rows()].index("auditor")
    assert model.index(frozen, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
