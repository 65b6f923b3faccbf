"""政策参数: the policy in force, its history, installing a new version (CHANGE_POLICY).

The store manager picks a TOML file; the screen shows every shown value that would
change (old → new) and installs only after confirmation. The service checks everything
again (permission, validity, same content, reused version, effective date) and writes
the version and its audit record in one transaction (SEC-1, SEC-4).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.policy import (
    ActivePolicy,
    PolicyService,
    PolicyVersionInfo,
    changed_rows,
    read_policy_file,
)
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.stockkeeping_view import CredentialsDialog
from pharmacy_pos.ui.style import FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import Column, DtoTableModel

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext


def _table(name: str, model: DtoTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ValuesModel(DtoTableModel):
    """(label, value) rows of ``PolicyService.describe``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("参数"), lambda r: r[0]),
            Column(self.tr("数值"), lambda r: r[1], tooltip=lambda r: r[1]),
        ])


class ChangesModel(DtoTableModel):
    """(label, old, new) rows: what an install would change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("参数"), lambda r: r[0]),
            Column(self.tr("现行"), lambda r: r[1], tooltip=lambda r: r[1]),
            Column(self.tr("新版本"), lambda r: r[2], tooltip=lambda r: r[2]),
        ])


class HistoryModel(DtoTableModel):
    """Installed versions, newest (in force) first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("版本"), self._version_text),
            Column(self.tr("统筹区"), lambda r: r.region),
            Column(self.tr("生效日期"),
                   lambda r: r.effective_from.isoformat() if r.effective_from else ""),
            Column(self.tr("安装时间"), lambda r: local_text(r.installed_at)),
            Column(self.tr("安装人"), lambda r: r.installed_by),
            Column(self.tr("sha256"), lambda r: r.short_sha, tooltip=lambda r: r.sha256),
        ])

    def _version_text(self, row: PolicyVersionInfo) -> str:
        if self.rowCount() and self.row_at(0) is row:
            return self.tr("{0}（现行）").format(row.version)
        return row.version


class ConfirmInstallDialog(QDialog):
    """Lists what would change and installs on 安装; emits ``installed`` when done."""

    installed = Signal(object)  # ActivePolicy

    def __init__(self, service: PolicyService, actor: Actor, text: str, source: str,
                 old: ActivePolicy, new: ActivePolicy, parent: QWidget | None = None, *,
                 authenticate: Callable[[str, str], Actor]) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._authenticate = authenticate
        self.approval_dialog: CredentialsDialog | None = None
        self._text = text
        self._source = source
        self.setWindowTitle(self.tr("安装新版本政策"))
        self.setMinimumWidth(560)
        question = QLabel(
            self.tr("将政策从版本 {0} 更换为版本 {1}（文件 {2}）。以下参数将改变：")
            .format(old.version, new.version, Path(source).name)
        )
        question.setWordWrap(True)
        self.changes_model = ChangesModel(self)
        self.changes_model.set_rows(changed_rows(service, old, new))
        self.changes_table = _table("changes_table", self.changes_model)
        note = QLabel(
            self.tr("安装后立即生效，并记入审计日志。")
            if self.changes_model.rowCount()
            else self.tr("显示的参数均无变化（文件的其他内容有改动）。"
                         "安装后立即生效，并记入审计日志。")
        )
        note.setObjectName("note_label")
        note.setWordWrap(True)
        note.setStyleSheet(FOOTNOTE_STYLE)
        buttons = QDialogButtonBox()
        self.install_button = buttons.addButton(self.tr("安装"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.install_button.clicked.connect(self._on_install_button_clicked)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.changes_table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _on_install_button_clicked(self) -> None:
        # A second person approves with their own password (SEC-2); Esc installs nothing.
        dialog = CredentialsDialog(
            lambda username, password: self._service.install(
                self._actor, self._text, source=self._source,
                approver=self._authenticate(username, password)),
            title=self.tr("第二人审批政策变更"),
            summary=self.tr("政策变更须由第二人审批（SEC-2）：另一位店长或系统管理员"
                            "输入本人用户名和密码。"),
            button=self.tr("审批并安装(Enter)"), parent=self)
        dialog.completed.connect(self._on_approval_dialog_completed)
        self.approval_dialog = dialog
        dialog.open()

    def _on_approval_dialog_completed(self, active: ActivePolicy) -> None:
        self.installed.emit(active)
        self.accept()


class PolicyView(QWidget):
    """The policy in force with its numbers, the version history and 从文件安装新版本…."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *,
                 service: PolicyService | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._ctx = ctx
        if service is None:
            if ctx.store is None:
                raise ValueError("PolicyView needs an initialised store")
            service = PolicyService.for_store(ctx.uow, ctx.clock, ctx.store.id,
                                              ctx.settings.policy_file)
        self._service = service
        self.confirm_dialog: ConfirmInstallDialog | None = None

        title = QLabel(self.tr("政策参数"))
        title.setStyleSheet(TITLE_STYLE)
        self.install_button = QPushButton(self.tr("从文件安装新版本…"))
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        toolbar = QHBoxLayout()
        toolbar.addWidget(title)
        toolbar.addStretch(1)
        toolbar.addWidget(self.install_button)
        toolbar.addWidget(self.refresh_button)

        self.version_label = QLabel()
        self.version_label.setObjectName("version_label")
        self.region_label = QLabel()
        self.effective_label = QLabel()
        self.installed_label = QLabel()
        self.installed_label.setObjectName("installed_label")
        self.sha_label = QLabel()
        self.sha_label.setStyleSheet(FOOTNOTE_STYLE)
        self.sha_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("现行版本"), self.version_label)
        form.addRow(self.tr("统筹区"), self.region_label)
        form.addRow(self.tr("生效日期"), self.effective_label)
        form.addRow(self.tr("安装"), self.installed_label)
        form.addRow(self.tr("sha256"), self.sha_label)

        self.values_model = ValuesModel(self)
        self.values_table = _table("values_table", self.values_model)
        self.history_model = HistoryModel(self)
        self.history_table = _table("history_table", self.history_model)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addLayout(form)
        layout.addWidget(self.values_table, 3)
        layout.addWidget(QLabel(self.tr("历史版本")))
        layout.addWidget(self.history_table, 2)
        layout.addWidget(self.message_label)

        self.install_button.clicked.connect(self._on_install_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the policy in force (another terminal may have installed one)."""
        active = call_guarded(self, self._service.refresh)
        if active is None:
            return
        self._show(active)
        history = call_guarded(self, lambda: self._service.history(self._actor))
        if history is not None:
            self.history_model.set_rows(history)

    def _show(self, active: ActivePolicy) -> None:
        self.version_label.setText(active.version)
        self.region_label.setText(active.policy.region)
        self.effective_label.setText(active.policy.effective_from.isoformat())
        if active.installed_at is None:
            self.installed_label.setText(self.tr("尚未安装（使用随附默认政策）"))
        else:
            self.installed_label.setText(self.tr("{0}，{1}").format(
                local_text(active.installed_at), active.installed_by))
        self.sha_label.setText(active.short_sha)
        self.sha_label.setToolTip(active.sha256)
        self.values_model.set_rows(self._service.describe(active))

    def _on_install_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择政策文件"), "", self.tr("政策文件 (*.toml);;所有文件 (*)")
        )
        if not path:
            return
        source = str(path)

        def prepare() -> tuple[str, ActivePolicy, ActivePolicy]:
            text = read_policy_file(Path(source))
            return text, self._service.current(), self._service.preview(text, source=source)

        prepared = call_guarded(self, prepare)
        if prepared is None:
            return
        text, old, new = prepared
        terminal = self._ctx.settings.terminal_id
        self.confirm_dialog = ConfirmInstallDialog(
            self._service, self._actor, text, source, old, new, self,
            authenticate=lambda username, password: self._ctx.users.authenticate(
                username, password, terminal_id=terminal))
        self.confirm_dialog.installed.connect(self._on_confirm_dialog_installed)
        self.confirm_dialog.open()

    def _on_confirm_dialog_installed(self, active: ActivePolicy) -> None:
        self.refresh()
        self.message_label.setText(self.tr("已安装政策版本 {0}").format(active.version))

    def _on_refresh_button_clicked(self) -> None:
        self.refresh()
