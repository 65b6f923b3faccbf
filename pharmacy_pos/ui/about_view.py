"""系统状态: database, devices, policy and software version in one place (VIEW_STATUS).

What a support call starts with: which database file (or server), which schema
revision, how much data, whether the card reader and printer are usable and what to do
if not, which policy version is in force.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import pharmacy_pos
from pharmacy_pos.devices.ports import DeviceState, DeviceStatus
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.status import status_counts
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.style import TITLE_STYLE

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

_STATE_COLOURS = {
    DeviceState.OK: "#1e8449",
    DeviceState.SIMULATED: "#b9770e",
    DeviceState.ABSENT: "#7f8c8d",
    DeviceState.FAULT: "#c0392b",
}


def _value_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AboutView(QWidget):
    """Read-only status panel; 刷新 (F5) re-reads counts and probes the devices."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._device_plain: dict[str, str] = {}

        self.database_label = _value_label("database_label")
        self.revision_label = _value_label("revision_label")
        self.counts_label = _value_label("counts_label")
        database_box = QGroupBox(self.tr("数据库"))
        database_form = QFormLayout(database_box)
        database_form.addRow(self.tr("位置"), self.database_label)
        database_form.addRow(self.tr("结构版本"), self.revision_label)
        database_form.addRow(self.tr("数据量"), self.counts_label)

        self.card_reader_label = _value_label("card_reader_label")
        self.printer_label = _value_label("printer_label")
        devices_box = QGroupBox(self.tr("设备"))
        devices_form = QFormLayout(devices_box)
        devices_form.addRow(self.tr("读卡器"), self.card_reader_label)
        devices_form.addRow(self.tr("打印机"), self.printer_label)

        self.policy_label = _value_label("policy_label")
        self.security_label = _value_label("security_label")
        policy_box = QGroupBox(self.tr("政策参数"))
        policy_form = QFormLayout(policy_box)
        policy_form.addRow(self.tr("版本"), self.policy_label)
        policy_form.addRow(self.tr("安全"), self.security_label)

        self.software_label = _value_label("software_label")
        self.terminal_label = _value_label("terminal_label")
        software_box = QGroupBox(self.tr("软件"))
        software_form = QFormLayout(software_box)
        software_form.addRow(self.tr("版本"), self.software_label)
        software_form.addRow(self.tr("药店与终端"), self.terminal_label)

        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        for box in (database_box, devices_box, policy_box, software_box):
            content_layout.addWidget(box)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        title = QLabel(self.tr("系统状态"))
        title.setStyleSheet(TITLE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self._show_static()
        self.refresh()

    def _show_static(self) -> None:
        ctx = self._ctx
        self.database_label.setText(ctx.database_description())
        migration = ctx.migration
        revision = migration.to_revision
        if migration.upgraded:
            revision = self.tr("{0}（本次启动从 {1} 升级）").format(
                revision, migration.from_revision or self.tr("空库")
            )
        self.revision_label.setText(revision)
        policy = ctx.policy
        self.policy_label.setText(
            self.tr("{0} · {1} · {2} 起执行").format(
                policy.version, policy.region, policy.effective_from.isoformat()
            )
        )
        security = policy.security
        self.security_label.setText(
            self.tr("无操作 {0} 分钟锁屏；连续 {1} 次密码错误锁定 {2} 分钟").format(
                security.idle_lock_minutes, security.max_failed_logins,
                security.lockout_minutes,
            )
        )
        self.software_label.setText(f"pharmacy_pos {pharmacy_pos.__version__}")
        store = ctx.store
        store_text = (self.tr("{0}（{1}）").format(store.name, store.code) if store
                      else self.tr("未初始化"))
        self.terminal_label.setText(
            self.tr("{0} · 终端 {1}").format(store_text, ctx.settings.terminal_id)
        )

    def refresh(self) -> None:
        """Re-read the counts and probe the devices again."""
        counts = call_guarded(self, lambda: status_counts(self._ctx.uow, self._actor))
        if counts is not None:
            self.counts_label.setText(
                self.tr("商品 {0} · 批次 {1} · 台账 {2} 条 · 用户 {3}").format(
                    counts.products, counts.batches, counts.ledger_entries, counts.users
                )
            )
        for status in self._ctx.device_statuses():
            label = {"card_reader": self.card_reader_label,
                     "printer": self.printer_label}.get(status.kind)
            if label is not None:
                label.setText(self._device_html(status))
                self._device_plain[status.kind] = " ".join(
                    part for part in (labels.label(status.state), status.description,
                                      status.advice)
                    if part
                )

    def device_text(self, kind: str) -> str:
        """Plain text of a device line ("card_reader" or "printer"), as last probed."""
        return self._device_plain.get(kind, "")

    def _device_html(self, status: DeviceStatus) -> str:
        colour = _STATE_COLOURS.get(status.state, "#000000")
        text = (f'<span style="color:{colour}; font-weight:bold;">'
                f"{escape(labels.label(status.state))}</span>&nbsp;&nbsp;"
                f"{escape(status.description)}")
        if status.advice:
            text += "<br/>" + escape(self.tr("处理建议: {0}").format(status.advice))
        return text

    def _on_refresh_button_clicked(self) -> None:
        self.refresh()

