"""用户管理: list accounts, add one, freeze a leaver's (MANAGE_USERS, SEC-1, SEC-3).

Accounts are never deleted: a leaver's account is frozen with a reason and stays in
every record it signed. The service checks every rule; the dialogs only collect input
and show the service's refusal (with its rule id) inline, changing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.users import UserInfo
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.errors import call_guarded, error_text, show_error
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.users_model import UsersModel

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

#: Creates an account: keyword arguments of ``UserService.add_user`` minus the actor.
CreateUser = Callable[..., UserInfo]
#: Freezes an account: (username, reason) -> UserInfo.
FreezeUser = Callable[[str, str], UserInfo]


def _run_inline(
    dialog: QWidget, error_label: QLabel, action: Callable[[], UserInfo],
) -> UserInfo | None:
    """Run a use case from a form: refusals go to the form's error line, faults offer 重试."""
    while True:
        try:
            return action()
        except DomainError as exc:
            error_label.setText(error_text(exc))
            return None
        except EnvironmentFault as exc:
            if not show_error(dialog, exc):
                return None


class AddUserDialog(QDialog):
    """Form for a new account; emits ``user_added`` and closes when the service agrees."""

    user_added = Signal(object)  # UserInfo

    def __init__(
        self, create_user: CreateUser, *, password_min_length: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._create_user = create_user
        self.setWindowTitle(self.tr("新增用户"))
        self.setMinimumWidth(460)

        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setPlaceholderText(self.tr("小写字母开头，如 wangfang"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_grid = QGridLayout()
        for number, role in enumerate(Role):
            box = QCheckBox(labels.label(role))
            box.setObjectName(f"role_{role.value}")
            self.role_boxes[role] = box
            roles_grid.addWidget(box, number // 3, number % 3)
        self.qualification_edit = QLineEdit()
        self.qualification_edit.setObjectName("qualification_edit")
        self.qualification_edit.setPlaceholderText(self.tr("药师必填"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("confirm_edit")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        rules = QLabel(
            self.tr("密码至少 {0} 位，须同时包含字母和数字，不能包含用户名").format(
                password_min_length
            )
        )
        rules.setStyleSheet(FOOTNOTE_STYLE)
        rules.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("用户名(&U)"), self.username_edit)
        form.addRow(self.tr("姓名(&N)"), self.name_edit)
        form.addRow(self.tr("角色"), roles_grid)
        form.addRow(self.tr("执业药师资格证号(&Q)"), self.qualification_edit)
        form.addRow(self.tr("密码(&P)"), self.password_edit)
        form.addRow(self.tr("确认密码(&C)"), self.confirm_edit)
        form.addRow("", rules)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("保存"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("取消"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.username_edit.setFocus()

    def chosen_roles(self) -> list[Role]:
        """Roles ticked."""
        return [role for role, box in self.role_boxes.items() if box.isChecked()]

    def _on_save_button_clicked(self) -> None:
        password = self.password_edit.text()
        if password != self.confirm_edit.text():
            self.error_label.setText(self.tr("两次输入的密码不一致"))
            self.password_edit.clear()
            self.confirm_edit.clear()
            self.password_edit.setFocus()
            return
        info = _run_inline(self, self.error_label, lambda: self._create_user(
            username=self.username_edit.text(),
            display_name=self.name_edit.text(),
            password=password,
            roles=self.chosen_roles(),
            qualification_no=self.qualification_edit.text(),
        ))
        if info is None:
            return
        self.user_added.emit(info)
        self.accept()


class FreezeDialog(QDialog):
    """Asks why an account is frozen; emits ``user_frozen`` when the service agrees."""

    user_frozen = Signal(object)  # UserInfo

    def __init__(
        self, user: UserInfo, freeze_user: FreezeUser, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._user = user
        self._freeze_user = freeze_user
        self.setWindowTitle(self.tr("冻结账号"))
        self.setMinimumWidth(420)
        question = QLabel(
            self.tr("冻结 {0}（{1}）的账号？冻结后不能登录，历史记录保留，账号不可删除。")
            .format(user.display_name, user.username)
        )
        question.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setPlaceholderText(self.tr("如：离职"))
        form = QFormLayout()
        form.addRow(self.tr("原因(&R)"), self.reason_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.freeze_button = buttons.addButton(self.tr("冻结"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.freeze_button.setDefault(True)
        cancel = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.freeze_button.clicked.connect(self._on_freeze_button_clicked)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.reason_edit.setFocus()

    def _on_freeze_button_clicked(self) -> None:
        reason = self.reason_edit.text()
        info = _run_inline(self, self.error_label,
                           lambda: self._freeze_user(self._user.username, reason))
        if info is None:
            return
        self.user_frozen.emit(info)
        self.accept()


class UsersView(QWidget):
    """The account list with 新增用户 (Ctrl+N), 冻结账号 (Ctrl+D) and 刷新 (F5)."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.add_dialog: AddUserDialog | None = None
        self.freeze_dialog: FreezeDialog | None = None

        title = QLabel(self.tr("用户管理"))
        title.setStyleSheet(TITLE_STYLE)
        self.add_button = QPushButton(self.tr("新增用户(Ctrl+N)"))
        self.add_button.setShortcut(QKeySequence("Ctrl+N"))
        self.freeze_button = QPushButton(self.tr("冻结账号(Ctrl+D)"))
        self.freeze_button.setShortcut(QKeySequence("Ctrl+D"))
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        toolbar = QHBoxLayout()
        toolbar.addWidget(title)
        toolbar.addStretch(1)
        for button in (self.add_button, self.freeze_button, self.refresh_button):
            toolbar.addWidget(button)

        self.model = UsersModel(self)
        self.table = QTableView()
        self.table.setObjectName("users_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.freeze_button.clicked.connect(self._on_freeze_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the account list."""
        users = call_guarded(self, lambda: self._ctx.users.list_users(self._actor))
        if users is None:
            return
        self.model.now = self._ctx.clock.now()
        self.model.set_rows(users)

    def select_user(self, username: str) -> bool:
        """Select the row of ``username``; False if it is not listed."""
        for row, user in enumerate(self.model.rows()):
            if user.username == username:
                self.table.selectRow(row)
                return True
        return False

    def selected_user(self) -> UserInfo | None:
        """The account selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_add_button_clicked(self) -> None:
        self.add_dialog = AddUserDialog(
            partial(self._ctx.users.add_user, self._actor),
            password_min_length=self._ctx.policy.security.password_min_length,
            parent=self,
        )
        self.add_dialog.user_added.connect(self._on_add_dialog_user_added)
        self.add_dialog.open()

    def _on_add_dialog_user_added(self, user: UserInfo) -> None:
        self.refresh()
        self.select_user(user.username)
        self.message_label.setText(
            self.tr("已新增用户 {0}（{1}）").format(user.username, user.display_name)
        )

    def _on_freeze_button_clicked(self) -> None:
        user = self.selected_user()
        if user is None:
            self.message_label.setText(self.tr("请先在表格中选择要冻结的用户"))
            return
        self.freeze_dialog = FreezeDialog(
            user, lambda username, reason: self._ctx.users.freeze(
                self._actor, username, reason=reason
            ), self,
        )
        self.freeze_dialog.user_frozen.connect(self._on_freeze_dialog_user_frozen)
        self.freeze_dialog.open()

    def _on_freeze_dialog_user_frozen(self, user: UserInfo) -> None:
        self.refresh()
        self.select_user(user.username)
        self.message_label.setText(self.tr("已冻结用户 {0}").format(user.username))

    def _on_refresh_button_clicked(self) -> None:
        self.refresh()
