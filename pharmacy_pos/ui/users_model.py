"""Qt table model over ``UserInfo`` DTOs for the user management screen."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.services.users import UserInfo
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.table_model import Column, DtoTableModel

FROZEN_COLOUR = QColor("#7f8c8d")


class UsersModel(DtoTableModel):
    """One row per account, frozen ones greyed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        #: The time lockouts are compared with; the screen sets it from the clock.
        self.now: datetime | None = None
        grey = self._frozen_grey
        self.set_columns([
            Column(self.tr("用户名"), lambda u: u.username, foreground=grey),
            Column(self.tr("姓名"), lambda u: u.display_name, foreground=grey),
            Column(self.tr("角色"), lambda u: labels.joined(u.roles),
                   foreground=grey),
            Column(self.tr("执业药师资格证号"), lambda u: u.pharmacist_qualification_no,
                   foreground=grey),
            Column(self.tr("状态"), self.status_text, tooltip=self._status_tooltip,
                   foreground=grey),
        ])

    def status_text(self, user: UserInfo) -> str:
        """正常, 已冻结 or 锁定至 … ."""
        if user.frozen:
            return self.tr("已冻结")
        if user.locked_until is not None and (self.now is None or user.locked_until > self.now):
            return self.tr("登录锁定至 {0}").format(local_text(user.locked_until))
        return self.tr("正常")

    def _status_tooltip(self, user: UserInfo) -> str:
        if user.frozen and user.frozen_at is not None:
            return self.tr("{0} 冻结：{1}").format(local_text(user.frozen_at), user.frozen_reason)
        return ""

    @staticmethod
    def _frozen_grey(user: UserInfo) -> QColor | None:
        return FROZEN_COLOUR if user.frozen else None
