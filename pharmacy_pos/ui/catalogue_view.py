"""商品目录: find a product by scanning or typing, see its price and stock (VIEW_STOCK).

One search box, the way a till works: a scanned barcode or national code matches
exactly; item code, generic or trade name and pinyin initials ("AMX" for 阿莫西林)
match anywhere. Typing searches after a short pause, Enter (the scanner's suffix)
searches at once, Esc clears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import search_products
from pharmacy_pos.ui.catalogue_model import CatalogueModel
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.style import TITLE_STYLE

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

#: Pause after the last keystroke before searching (a scanner types far faster).
SEARCH_DELAY_MS = 250
MAX_COLUMN_WIDTH = 220


class CatalogueView(QWidget):
    """Read-only product list with a search box (focused with Ctrl+F)."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor

        title = QLabel(self.tr("商品目录"))
        title.setStyleSheet(TITLE_STYLE)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("扫码或输入：条码 / 医保编码 / 商品编码 / 名称 / 拼音首字母（Ctrl+F）")
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.search_edit, 1)
        header.addWidget(self.count_label)

        self.model = CatalogueModel(self)
        self.table = QTableView()
        self.table.setObjectName("catalogue_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.table.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textEdited.connect(self._on_search_edit_text_edited)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        QShortcut(QKeySequence.StandardKey.Find, self, self._on_find_shortcut_activated)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_edit,
                          self._on_escape_shortcut_activated)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)

        self.refresh()
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            # Long names (manufacturers) would push price and stock off screen.
            if self.table.columnWidth(column) > MAX_COLUMN_WIDTH:
                self.table.setColumnWidth(column, MAX_COLUMN_WIDTH)
        self.search_edit.setFocus()

    def search(self, text: str) -> None:
        """Put ``text`` in the search box and search now."""
        self.search_edit.setText(text)
        self.refresh()

    def refresh(self) -> None:
        """Run the search for the box's current text."""
        self._search_timer.stop()
        text = self.search_edit.text()
        found = call_guarded(
            self, lambda: search_products(self._ctx.uow, self._actor, text)
        )
        if found is None:
            return
        self.model.set_rows(found.rows)
        if found.truncated:
            self.count_label.setText(
                self.tr("仅显示前 {0} 个，请输入更具体的条件").format(len(found.rows))
            )
        else:
            self.count_label.setText(self.tr("共 {0} 个商品").format(len(found.rows)))
        if found.rows:
            self.table.selectRow(0)

    def _on_search_edit_text_edited(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_edit_return_pressed(self) -> None:
        self.refresh()
        # A scanner sends one code per Enter: select the text so the next scan replaces it.
        self.search_edit.selectAll()

    def _on_find_shortcut_activated(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _on_escape_shortcut_activated(self) -> None:
        self.search_edit.clear()
        self.refresh()
