"""商品目录: find a product by scanning or typing, see its price and stock (VIEW_STOCK).

One search box, the way a till works: a scanned barcode or national code matches
exactly; item code, generic or trade name and pinyin initials ("AMX" for 阿莫西林)
match anywhere. Typing searches after a short pause, Enter (the scanner's suffix)
searches at once, Esc clears.

Staff who maintain the catalogue (MANAGE_CATALOGUE) import a CSV/XLSX file here
(Ctrl+I). When the file changes a retail price, a second person who may approve types
their user name and password in the approval dialog (SEC-2); otherwise it imports at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import (
    CatalogueService,
    ImportResult,
    PriceChange,
    search_products,
)
from pharmacy_pos.ui.catalogue_model import CatalogueModel
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.stockkeeping_view import CredentialsDialog
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
        self.import_button = QPushButton(self.tr("导入目录…(Ctrl+I)"))
        self.import_button.setObjectName("import_button")
        self.import_button.setVisible(actor.can(Permission.MANAGE_CATALOGUE))
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.approval_dialog: CredentialsDialog | None = None
        header = QHBoxLayout()
        header.addWidget(title)
        header.addWidget(self.search_edit, 1)
        header.addWidget(self.count_label)
        header.addWidget(self.import_button)

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
        if actor.can(Permission.MANAGE_CATALOGUE):
            QShortcut(QKeySequence("Ctrl+I"), self, self._on_import_button_clicked)
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

    # -- importing (MANAGE_CATALOGUE; price changes need an approver, SEC-2) ------------

    def _service(self) -> CatalogueService:
        terminal = self._ctx.settings.terminal_id
        return CatalogueService(
            self._ctx.uow, self._ctx.clock,
            lambda username, password: self._ctx.users.authenticate(
                username, password, terminal_id=terminal))

    def import_file(self, path: Path) -> ImportResult | None:
        """Import ``path``; asks for an approver first when a retail price changes.

        Returns the result when it imported at once; None when refused, or when the
        approval dialog (``approval_dialog``) was opened: it imports once approved.
        """
        service = self._service()
        changes = call_guarded(self, lambda: service.price_changes(self._actor, path))
        if changes is None:
            return None
        if not changes:
            result = call_guarded(self, lambda: service.import_file(self._actor, path))
            if result is not None:
                self._on_imported(result)
            return result
        dialog = CredentialsDialog(
            lambda username, password: service.import_file(
                self._actor, path, approver=username, approver_password=password),
            title=self.tr("店长审批调价"), summary=self._price_summary(path, changes),
            button=self.tr("审批并导入(Enter)"), parent=self)
        dialog.completed.connect(self._on_imported)
        dialog.finished.connect(self._on_approval_dialog_finished)
        self.approval_dialog = dialog
        dialog.open()
        return None

    def _price_summary(self, path: Path, changes: list[PriceChange]) -> str:
        shown = "\n".join(
            self.tr("{0} {1}：{2} → {3}").format(
                c.item_code, c.name, format_yuan(c.old_price), format_yuan(c.new_price))
            for c in changes[:10])
        more = self.tr("\n…共 {0} 个商品调价").format(len(changes)) if len(changes) > 10 else ""
        return self.tr("{0} 将调整以下商品的零售价。调价须由导入人以外、有审批权的店长"
                       "输入用户名和密码审批（SEC-2）；取消则不导入任何商品。\n{1}{2}").format(
            path.name, shown, more)

    def _on_import_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择商品目录文件"), "",
            self.tr("商品目录 (*.csv *.xlsx);;所有文件 (*)"))
        if name:
            self.import_file(Path(name))

    def _on_imported(self, result: ImportResult) -> None:
        self.refresh()
        self.count_label.setText(self.tr("导入完成：新增 {0}，更新 {1}，未变 {2}").format(
            result.added, result.updated, result.unchanged))

    def _on_approval_dialog_finished(self, _result: int) -> None:
        dialog, self.approval_dialog = self.approval_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.search_edit.setFocus()

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
