"""审计日志: the newest audit records of the store, read-only (VIEW_AUDIT, SEC-4).

Shows the latest 200 records; a filter box narrows them by any column. The full chain
is checked with ``pharmacy-pos-cli verify``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.audit import recent_audit
from pharmacy_pos.ui.audit_model import AuditModel
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.style import TITLE_STYLE

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

RECENT_LIMIT = 200


class AuditView(QWidget):
    """The newest audit records with a text filter and 刷新 (F5)."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor

        title = QLabel(self.tr("审计日志"))
        title.setStyleSheet(TITLE_STYLE)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filter_edit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("筛选：操作人、操作、对象或详情"))
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.filter_edit, 1)
        header.addWidget(self.count_label)
        header.addWidget(self.refresh_button)

        self.model = AuditModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)  # any column
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)

        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the newest records."""
        rows = call_guarded(
            self, lambda: recent_audit(self._ctx.uow, self._actor, RECENT_LIMIT)
        )
        if rows is None:
            return
        self.model.set_rows(rows)
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(
            self.tr("{0} / {1} 条").format(self.proxy.rowCount(), self.model.rowCount())
        )

    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._show_count()

    def _on_refresh_button_clicked(self) -> None:
        self.refresh()
