"""养护与效期 (MAINTAIN_STOCK): the monthly maintenance check, near-expiry stock, locked and
expired batches (release / destroy), split packages and low-stock suggestions.

Tabs:
- 月度养护: this month's check list, riskiest first (near-expiry, split packages). ↑/↓ move,
  Enter records the batch as fine, D as doubtful (a note is asked for; the batch is locked
  from sale at once).
- 近效期: stock within the policy's windows (e.g. 30/60/90 days), valued at cost.
- 锁定/过期: batches held from sale. F5 marks past-expiry batches expired; F6 a store
  manager releases the selected locked batch; F7 destroys the selected batch (reason
  required, the manager types their credentials at this terminal; INV-7).
- 拆零: open packs of a sealed batch (F8; a second person checks by password); the
  split-package records below.
- 缺货建议: products at or below their reorder point.

The service decides everything; the screen collects choices and shows results or refusals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.product import quantity_text
from pharmacy_pos.domain.stockkeeping import MAX_SPLIT_PACKS, RESULT_DOUBTFUL, RESULT_OK, ShelfBatch
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.stockkeeping import (
    CheckLine,
    CheckSheet,
    StockkeepingService,
)
from pharmacy_pos.ui.errors import call_guarded, try_credentials
from pharmacy_pos.ui.labels import label
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import CENTER, RIGHT, Column, DtoTableModel

MAX_NOTE = 200
_RESULT_LABELS = {RESULT_OK: QT_TRANSLATE_NOOP("StockkeepingView", "合格"),
                  RESULT_DOUBTFUL: QT_TRANSLATE_NOOP("StockkeepingView", "存疑（已锁定）"),
                  None: QT_TRANSLATE_NOOP("StockkeepingView", "未查")}


def _result_text(result: str | None) -> str:
    return QCoreApplication.translate("StockkeepingView", _RESULT_LABELS[result])


def _units(batch: ShelfBatch) -> str:
    return quantity_text(batch.units, batch.units_per_pack, batch.package_unit, batch.min_unit)


def _lot_text(batch: ShelfBatch) -> str:
    if not batch.is_split:
        return batch.lot_no
    return QCoreApplication.translate("StockkeepingView", "{0}（拆零）").format(batch.lot_no)


def _batch_columns() -> list[Column]:
    # Literal contexts: lupdate reads translate() only when both arguments are literals.
    translate = QCoreApplication.translate
    return [
        Column(translate("StockkeepingView", "编码"), lambda b: b.item_code),
        Column(translate("StockkeepingView", "通用名"), lambda b: b.generic_name),
        Column(translate("StockkeepingView", "规格"), lambda b: b.specification),
        Column(translate("StockkeepingView", "批号"), _lot_text),
        Column(translate("StockkeepingView", "有效期至"), lambda b: b.expiry_date.isoformat(),
               CENTER),
        Column(translate("StockkeepingView", "状态"), lambda b: label(b.status), CENTER),
        Column(translate("StockkeepingView", "库存"), _units, RIGHT),
        Column(translate("StockkeepingView", "成本金额"), lambda b: format_yuan(b.value), RIGHT),
    ]


def _table(model: DtoTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def _current_row(table: QTableView) -> int | None:
    index = table.currentIndex()
    return index.row() if index.isValid() else None


# -- dialogs -----------------------------------------------------------------------------------

class NoteDialog(QDialog):
    """Asks what was found on a doubtful batch; Enter records, Esc cancels."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("养护存疑"))
        self.setMinimumWidth(420)
        intro = QLabel(summary)
        intro.setWordWrap(True)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.setPlaceholderText(self.tr("如：包装破损、变色、受潮、漏液"))
        form = QFormLayout()
        form.addRow(self.tr("存疑情况(&N)"), self.note_edit)
        hint = QLabel(self.tr("Enter 记录存疑并锁定该批次，Esc 取消"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.note_edit.setFocus()

    def note(self) -> str:
        """The note typed."""
        return self.note_edit.text().strip()


class CredentialsDialog(QDialog):
    """A second person types their user name and password at this terminal.

    ``action(username, password)`` runs the use case; a refusal is explained and the dialog
    stays open for another try; Esc cancels (nothing is recorded).
    """

    completed = Signal(object)  # the use case's result

    def __init__(self, action: Callable[[str, str], Any], *, title: str, summary: str,
                 button: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        intro = QLabel(summary)
        intro.setObjectName("summary_label")
        intro.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("用户名(&U)"), self.username_edit)
        form.addRow(self.tr("密码(&P)"), self.password_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        cancel = buttons.addButton(self.tr("取消(Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.ok_button.clicked.connect(self._on_ok_button_clicked)
        cancel.clicked.connect(self.reject)
        self.username_edit.setFocus()

    def _on_ok_button_clicked(self) -> None:
        # Wrong password, not allowed, the cashier themself: another try may do.
        done, result = try_credentials(
            self, self._action, username_edit=self.username_edit,
            password_edit=self.password_edit, error_label=self.error_label)
        if done:
            self.completed.emit(result)
            self.accept()


# -- the screen --------------------------------------------------------------------------------

class StockkeepingView(QWidget):
    """养护与效期: five tabs over one :class:`StockkeepingService`."""

    #: Emitted after anything was recorded (a check, release, destruction, split).
    changed = Signal()

    def __init__(self, service: StockkeepingService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.sheet: CheckSheet | None = None
        self.note_dialog: NoteDialog | None = None
        self.credentials_dialog: CredentialsDialog | None = None

        title = QLabel(self.tr("养护与效期"))
        title.setStyleSheet(TITLE_STYLE)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message_label)

        self._build_check_tab()
        self._build_expiry_tab()
        self._build_held_tab()
        self._build_split_tab()
        self._build_low_tab()
        self.setFocusProxy(self.check_table)
        self.refresh()

    # -- building -----------------------------------------------------------------------------

    def _build_check_tab(self) -> None:
        page = QWidget()
        self.check_label = QLabel()
        self.check_label.setObjectName("check_label")
        self.check_model = DtoTableModel([
            Column(self.tr("编码"), lambda line: line.batch.item_code),
            Column(self.tr("通用名"), lambda line: line.batch.generic_name),
            Column(self.tr("规格"), lambda line: line.batch.specification),
            Column(self.tr("批号"), lambda line: _lot_text(line.batch)),
            Column(self.tr("有效期至"), lambda line: line.batch.expiry_date.isoformat(), CENTER),
            Column(self.tr("库存"), lambda line: _units(line.batch), RIGHT),
            Column(self.tr("结论"), lambda line: _result_text(line.result), CENTER),
            Column(self.tr("情况"), lambda line: line.note),
            Column(self.tr("检查人"), lambda line: line.checked_by),
        ], self)
        self.check_table = _table(self.check_model, "check_table")
        self.check_table.installEventFilter(self)
        hint = QLabel(self.tr("↑/↓ 选择批次　Enter 合格　D 存疑（写明情况，批次立即锁定停售）"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        layout = QVBoxLayout(page)
        layout.addWidget(self.check_label)
        layout.addWidget(self.check_table, 1)
        layout.addWidget(hint)
        self.tabs.addTab(page, self.tr("月度养护"))

    def _build_expiry_tab(self) -> None:
        page = QWidget()
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("expiry_label")
        self.expiry_label.setWordWrap(True)
        self.expiry_model = DtoTableModel(
            [Column(self.tr("窗口"), lambda row: self.tr("{0} 天内").format(row[0]), CENTER)]
            + [Column(c.title, lambda row, f=c.text: f(row[1]), c.alignment)
               for c in _batch_columns()], self)
        self.expiry_table = _table(self.expiry_model, "expiry_table")
        layout = QVBoxLayout(page)
        layout.addWidget(self.expiry_label)
        layout.addWidget(self.expiry_table, 1)
        self.tabs.addTab(page, self.tr("近效期"))

    def _build_held_tab(self) -> None:
        page = QWidget()
        self.held_model = DtoTableModel(_batch_columns(), self)
        self.held_table = _table(self.held_model, "held_table")
        self.held_reason_edit = QLineEdit()
        self.held_reason_edit.setObjectName("held_reason_edit")
        self.held_reason_edit.setMaxLength(MAX_NOTE)
        self.held_reason_edit.setPlaceholderText(self.tr("必填，如：过期、破损、召回、复查合格"))
        reason_label = QLabel(self.tr("原因(&Y)"))
        reason_label.setBuddy(self.held_reason_edit)
        self.expire_button = QPushButton(self.tr("标记过期批次(F5)"))
        self.expire_button.setObjectName("expire_button")
        self.expire_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.release_button = QPushButton(self.tr("店长解除锁定(F6)"))
        self.release_button.setObjectName("release_button")
        self.release_button.setShortcut(QKeySequence(Qt.Key.Key_F6))
        self.destroy_button = QPushButton(self.tr("销毁(F7)"))
        self.destroy_button.setObjectName("destroy_button")
        self.destroy_button.setShortcut(QKeySequence(Qt.Key.Key_F7))
        row = QHBoxLayout()
        row.addWidget(reason_label)
        row.addWidget(self.held_reason_edit, 1)
        for button in (self.expire_button, self.release_button, self.destroy_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        hint = QLabel(self.tr("选择批次，填写原因：F6 店长解除锁定；F7 销毁全部剩余库存"
                              "（经办人与店长两人，店长在本机输入用户名和密码）"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.held_table, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        self.expire_button.clicked.connect(self._on_expire_button_clicked)
        self.release_button.clicked.connect(self._on_release_button_clicked)
        self.destroy_button.clicked.connect(self._on_destroy_button_clicked)
        self.tabs.addTab(page, self.tr("锁定/过期"))

    def _build_split_tab(self) -> None:
        page = QWidget()
        self.split_model = DtoTableModel(_batch_columns(), self)
        self.split_table = _table(self.split_model, "split_table")
        self.packs_spin = QSpinBox()
        self.packs_spin.setObjectName("packs_spin")
        self.packs_spin.setRange(1, MAX_SPLIT_PACKS)
        packs_label = QLabel(self.tr("拆开整包数(&K)"))
        packs_label.setBuddy(self.packs_spin)
        self.split_button = QPushButton(self.tr("拆零(F8)"))
        self.split_button.setObjectName("split_button")
        self.split_button.setShortcut(QKeySequence(Qt.Key.Key_F8))
        self.split_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = QHBoxLayout()
        row.addWidget(packs_label)
        row.addWidget(self.packs_spin)
        row.addStretch(1)
        row.addWidget(self.split_button)
        self.records_model = DtoTableModel([
            Column(self.tr("拆零单号"), lambda r: r.doc_no),
            Column(self.tr("拆零时间"), lambda r: local_text(r.opened_at), CENTER),
            Column(self.tr("通用名"), lambda r: r.generic_name),
            Column(self.tr("规格"), lambda r: r.specification),
            Column(self.tr("批号"), lambda r: r.lot_no),
            Column(self.tr("生产企业"), lambda r: r.manufacturer),
            Column(self.tr("有效期至"), lambda r: r.expiry_date.isoformat(), CENTER),
            Column(self.tr("数量"), lambda r: f"{r.units}{r.min_unit}", RIGHT),
            Column(self.tr("拆零人"), lambda r: r.split_by),
            Column(self.tr("复核人"), lambda r: r.checked_by),
        ], self)
        self.records_table = _table(self.records_model, "records_table")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("可拆零批次（允许拆零、在售、未过期的整包）")))
        layout.addWidget(self.split_table, 2)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("拆零记录")))
        layout.addWidget(self.records_table, 1)
        self.split_button.clicked.connect(self._on_split_button_clicked)
        self.tabs.addTab(page, self.tr("拆零"))

    def _build_low_tab(self) -> None:
        page = QWidget()
        self.low_model = DtoTableModel([
            Column(self.tr("编码"), lambda r: r.item_code),
            Column(self.tr("通用名"), lambda r: r.generic_name),
            Column(self.tr("规格"), lambda r: r.specification),
            Column(self.tr("可售库存"), lambda r: f"{r.on_hand}{r.min_unit}", RIGHT),
            Column(self.tr("近期销量"), lambda r: self.tr("{0}{1}/{2}天").format(
                r.sold_units, r.min_unit, r.sales_days), RIGHT),
            Column(self.tr("最低库存"), lambda r: f"{r.min_stock}{r.min_unit}", RIGHT),
            Column(self.tr("订货点"), lambda r: f"{r.reorder_point}{r.min_unit}", RIGHT),
            Column(self.tr("建议采购"), lambda r: f"{r.suggested_packs}{r.package_unit}", RIGHT),
        ], self)
        self.low_table = _table(self.low_model, "low_table")
        layout = QVBoxLayout(page)
        layout.addWidget(self.low_table, 1)
        self.tabs.addTab(page, self.tr("缺货建议"))

    # -- showing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read every tab (the main window calls this when the screen is shown)."""
        sheet = call_guarded(self, lambda: self._service.open_check(self._actor))
        if sheet is not None:
            self._show_sheet(sheet)
        report = call_guarded(self, lambda: self._service.near_expiry(self._actor))
        if report is not None:
            self.expiry_model.set_rows([(b.window_days, batch) for b in report.buckets
                                        for batch in b.batches])
            parts = [self.tr("{0} 天内 {1} 批，{2}").format(
                b.window_days, len(b.batches), format_yuan(b.value)) for b in report.buckets]
            self.expiry_label.setText(self.tr("近效期合计 {0}：{1}").format(
                format_yuan(report.value), self.tr("；", "list separator").join(parts)))
        self._reload(self.held_model, self._service.held_batches)
        self._reload(self.split_model, self._service.splittable)
        self._reload(self.records_model, self._service.split_records)
        self._reload(self.low_model, self._service.low_stock)

    def _reload(self, model: DtoTableModel, query: Callable[[Actor], Any]) -> None:
        rows = call_guarded(self, lambda: query(self._actor))
        if rows is not None:
            model.set_rows(rows)

    def _show_sheet(self, sheet: CheckSheet, row: int | None = None) -> None:
        self.sheet = sheet
        self.check_model.set_rows(sheet.lines)
        self.check_label.setText(self.tr("{0} 月度养护：共 {1} 批，已查 {2} 批").format(
            sheet.month, len(sheet.lines), sheet.done))
        if sheet.lines:
            target = min(row if row is not None else 0, len(sheet.lines) - 1)
            self.check_table.setCurrentIndex(self.check_model.index(target, 0))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    # -- maintenance keys ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter = fine, D = doubtful, on the check list."""
        if watched is self.check_table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._record_ok()
                return True
            if event.key() == Qt.Key.Key_D and not event.modifiers():
                self._ask_doubtful()
                return True
        return super().eventFilter(watched, event)

    def _current_line(self) -> tuple[int, CheckLine] | None:
        row = _current_row(self.check_table)
        if self.sheet is None or row is None:
            return None
        return row, self.check_model.row_at(row)

    def _record_ok(self) -> None:
        current = self._current_line()
        if current is None:
            return
        row, line = current
        self._record(row, line, RESULT_OK, "")

    def _ask_doubtful(self) -> None:
        current = self._current_line()
        if current is None or self.note_dialog is not None:
            return
        row, line = current
        dialog = NoteDialog(self.tr("{0} {1} 批号 {2}：写明存疑情况，记录后该批次锁定停售").format(
            line.batch.item_code, line.batch.generic_name, line.batch.lot_no), self)
        self.note_dialog = dialog

        def finished(result: int) -> None:
            self.note_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                if not dialog.note():
                    self._say(self.tr("存疑须写明情况，未记录"), error=True)
                else:
                    self._record(row, line, RESULT_DOUBTFUL, dialog.note())
            self.check_table.setFocus()

        dialog.finished.connect(finished)
        dialog.open()

    def _record(self, row: int, line: CheckLine, result: str, note: str) -> None:
        assert self.sheet is not None
        check_id = self.sheet.check_id
        done = call_guarded(self, lambda: self._service.record_check(
            self._actor, check_id, line.batch.batch_id, result, note))
        if done is None:
            return
        self._say(self.tr("{0} 批号 {1}：{2}").format(
            done.batch.generic_name, done.batch.lot_no, _result_text(result)))
        sheet = call_guarded(self, lambda: self._service.check_sheet(self._actor, check_id))
        if sheet is not None:
            self._show_sheet(sheet, row + 1)
        if result == RESULT_DOUBTFUL:
            self._reload(self.held_model, self._service.held_batches)
            self._reload(self.split_model, self._service.splittable)
        self.changed.emit()

    # -- held batches --------------------------------------------------------------------------

    def _held_choice(self) -> ShelfBatch | None:
        row = _current_row(self.held_table)
        if row is None:
            self._say(self.tr("请先在表格中选择批次"), error=True)
            self.held_table.setFocus()
            return None
        reason = self.held_reason_edit.text().strip()
        if not reason:
            self._say(self.tr("请填写原因"), error=True)
            self.held_reason_edit.setFocus()
            return None
        return self.held_model.row_at(row)

    def _on_expire_button_clicked(self) -> None:
        changed = call_guarded(self, lambda: self._service.expire_due_batches(self._actor))
        if changed is None:
            return
        self._say(self.tr("已标记过期 {0} 个批次").format(len(changed)))
        self.refresh()
        self.changed.emit()

    def _on_release_button_clicked(self) -> None:
        batch = self._held_choice()
        if batch is None:
            return
        reason = self.held_reason_edit.text().strip()
        self._ask_credentials(
            lambda u, p: self._service.release(self._actor, batch.batch_id, reason=reason,
                                               approver=u, approver_password=p),
            title=self.tr("店长解除锁定"), button=self.tr("解除锁定(Enter)"),
            summary=self.tr("{0} 批号 {1} 解除锁定、恢复销售。\n原因：{2}").format(
                batch.generic_name, batch.lot_no, reason),
            done=lambda change: self.tr("批号 {0} 已解除锁定，恢复销售").format(change.lot_no))

    def _on_destroy_button_clicked(self) -> None:
        batch = self._held_choice()
        if batch is None:
            return
        reason = self.held_reason_edit.text().strip()
        self._ask_credentials(
            lambda u, p: self._service.destroy(self._actor, batch.batch_id, reason=reason,
                                               approver=u, approver_password=p),
            title=self.tr("店长复核销毁"), button=self.tr("复核并销毁(Enter)"),
            summary=self.tr("销毁 {0} 批号 {1} 全部剩余库存 {2}（成本 {3}）。\n原因：{4}\n"
                            "须由经办人以外的店长输入用户名和密码。").format(
                batch.generic_name, batch.lot_no, _units(batch), format_yuan(batch.value),
                reason),
            done=lambda d: self.tr("销毁单 {0}：批号 {1} 销毁 {2}，复核人 {3}").format(
                d.doc_no, d.lot_no, d.units, d.approved_by))

    # -- split packages ------------------------------------------------------------------------

    def _on_split_button_clicked(self) -> None:
        row = _current_row(self.split_table)
        if row is None:
            self._say(self.tr("请先选择要拆零的批次"), error=True)
            self.split_table.setFocus()
            return
        batch: ShelfBatch = self.split_model.row_at(row)
        packs = self.packs_spin.value()
        self._ask_credentials(
            lambda u, p: self._service.split_package(self._actor, batch.batch_id, packs,
                                                     checker=u, checker_password=p),
            title=self.tr("拆零复核"), button=self.tr("复核并拆零(Enter)"),
            summary=self.tr("拆开 {0} 批号 {1} 共 {2}{3}，转为拆零批次。\n"
                            "须由另一位药师、质量人员或店长复核。").format(
                batch.generic_name, batch.lot_no, packs, batch.package_unit),
            done=lambda r: self.tr("拆零单 {0}：{1} {2}{3}，拆零人 {4}，复核人 {5}").format(
                r.doc_no, r.generic_name, r.units, r.min_unit, r.split_by, r.checked_by))

    # -- second person -------------------------------------------------------------------------

    def _ask_credentials(self, action: Callable[[str, str], Any], *, title: str, button: str,
                         summary: str, done: Callable[[Any], str]) -> None:
        if self.credentials_dialog is not None:
            return
        dialog = CredentialsDialog(action, title=title, summary=summary, button=button,
                                   parent=self)
        self.credentials_dialog = dialog

        def on_done(result: Any) -> None:
            self._say(done(result))
            self.held_reason_edit.clear()
            self.refresh()
            self.changed.emit()

        def on_finished(_result: int) -> None:
            self.credentials_dialog = None
            dialog.deleteLater()

        dialog.completed.connect(on_done)
        dialog.finished.connect(on_finished)
        dialog.open()

