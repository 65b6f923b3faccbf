"""质量验收: the quality inspector accepts or rejects each received line (INV-2).

The table lists every delivery line awaiting acceptance, oldest delivery first. ↑/↓
select a line; F9 accepts it whole (合格); F10 opens the rejection form: how much passes
(0 = reject the whole line) and why; F8 accepts every remaining line of the selected
delivery; F5 re-reads the list. Each decision is saved at once: accepted units become
sellable, rejected units go back to the supplier by a purchase return (CT-…) in the same
transaction. The service refuses an inspector who received the delivery themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.picking import units_for
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.receiving import (
    AcceptanceResult,
    LineDecision,
    PendingLine,
    ReceivingService,
)
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import CENTER, RIGHT, Column, DtoTableModel

# lupdate reads translate("<context>", "<text>") only with both literal, so each call
# names its context (a variable context or a wrapper hides the string from it).
translate = QCoreApplication.translate


def pending_model(parent: QObject | None = None) -> DtoTableModel:
    """The lines awaiting acceptance."""
    return DtoTableModel([
        Column(translate("AcceptanceView", "入库单号"), lambda p: p.doc_no),
        Column(translate("AcceptanceView", "供应商"), lambda p: p.supplier_name),
        Column(translate("AcceptanceView", "随货单号"), lambda p: p.delivery_note_no),
        Column(translate("AcceptanceView", "行"), lambda p: str(p.line_no), CENTER),
        Column(translate("AcceptanceView", "商品编码"), lambda p: p.item_code),
        Column(translate("AcceptanceView", "品名"), lambda p: p.name),
        Column(translate("AcceptanceView", "规格"), lambda p: p.specification),
        Column(translate("AcceptanceView", "生产企业"), lambda p: p.manufacturer),
        Column(translate("AcceptanceView", "批号"), lambda p: p.lot_no),
        Column(translate("AcceptanceView", "生产日期"), lambda p: p.manufacture_date.isoformat()
               if p.manufacture_date else ""),
        Column(translate("AcceptanceView", "有效期至"), lambda p: p.expiry_date.isoformat()),
        Column(translate("AcceptanceView", "批准文号"), lambda p: p.approval_no),
        Column(translate("AcceptanceView", "数量"), lambda p: p.quantity_text, RIGHT),
        Column(translate("AcceptanceView", "赠品"),
               lambda p: translate("AcceptanceView", "是") if p.is_gift else "", CENTER),
        Column(translate("AcceptanceView", "收货人"), lambda p: p.receiver_name),
    ], parent)


class RejectDialog(QDialog):
    """How much of a line passes (0 = none) and why the rest is rejected."""

    decided = Signal(object)  # AcceptanceResult

    def __init__(self, line: PendingLine, decide: Callable[[LineDecision], AcceptanceResult],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._line = line
        self._decide = decide
        self.setWindowTitle(self.tr("拒收"))
        self.setMinimumWidth(420)
        question = QLabel(self.tr("{0} 第 {1} 行：{2} 批号 {3}，到货 {4}").format(
            line.doc_no, line.line_no, line.name, line.lot_no, line.quantity_text))
        question.setWordWrap(True)
        self.accepted_edit = QLineEdit("0")
        self.accepted_edit.setObjectName("accepted_edit")
        self.accepted_edit.setMaxLength(8)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unit_combo")
        self.unit_combo.addItem(line.package_unit, "pack")
        if line.split_allowed and line.units_per_pack > 1:
            self.unit_combo.addItem(line.min_unit, "unit")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("必填，如：外包装破损、无检验报告"))
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        accepted = QHBoxLayout()
        accepted.addWidget(self.accepted_edit)
        accepted.addWidget(self.unit_combo)
        form = QFormLayout()
        quantity_label = QLabel(self.tr("合格数量(&Q)"))
        quantity_label.setBuddy(self.accepted_edit)  # Alt+Q
        form.addRow(quantity_label, accepted)
        form.addRow(self.tr("拒收原因(&R)"), self.reason_edit)
        buttons = QDialogButtonBox()
        self.reject_button = buttons.addButton(self.tr("确认拒收(Enter)"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.reject_button.setDefault(True)
        cancel = buttons.addButton(self.tr("取消(Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        self.reject_button.clicked.connect(self._on_reject_button_clicked)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.accepted_edit.selectAll()
        self.accepted_edit.setFocus()

    def accepted_units(self) -> int:
        """What the form says passes, in minimum units.

        Raises:
            DomainError: not a whole, non-negative number of the chosen unit.
        """
        text = self.accepted_edit.text().strip()
        if text in ("0", "０"):
            return 0
        line = self._line
        return units_for(text, self.unit_combo.currentData(), line.units_per_pack,
                         line.split_allowed)

    def _on_reject_button_clicked(self) -> None:
        try:
            decision = LineDecision(self._line.line_id, self.accepted_units(),
                                    self.reason_edit.text())
        except DomainError as exc:
            self.error_label.setText(str(exc))
            return
        result = call_guarded(self, lambda: self._decide(decision))
        if result is None:
            return  # refused: the form stays open to correct it
        self.decided.emit(result)
        self.accept()


class AcceptanceView(QWidget):
    """Lines awaiting acceptance; F9 合格, F10 拒收, F8 整单合格, F5 刷新."""

    def __init__(self, service: ReceivingService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.reject_dialog: RejectDialog | None = None
        self.last_result: AcceptanceResult | None = None

        title = QLabel(self.tr("质量验收"))
        title.setStyleSheet(TITLE_STYLE)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending_label")
        self.accept_button = QPushButton(self.tr("合格(F9)"))
        self.reject_button = QPushButton(self.tr("拒收(F10)"))
        self.accept_all_button = QPushButton(self.tr("整单合格(F8)"))
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        toolbar = QHBoxLayout()
        toolbar.addWidget(title)
        toolbar.addWidget(self.pending_label)
        toolbar.addStretch(1)
        for button, key, slot in (
            (self.accept_button, Qt.Key.Key_F9, self._on_accept_button_clicked),
            (self.reject_button, Qt.Key.Key_F10, self._on_reject_button_clicked),
            (self.accept_all_button, Qt.Key.Key_F8, self._on_accept_all_button_clicked),
            (self.refresh_button, Qt.Key.Key_F5, self.refresh),
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus stays in the table
            button.clicked.connect(slot)
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            toolbar.addWidget(button)

        self.pending_model = pending_model(self)
        self.table = QTableView()
        self.table.setObjectName("pending_table")
        self.table.setModel(self.pending_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        hint = QLabel(self.tr("↑/↓ 选择　F9 本行合格　F10 拒收（填写原因）　F8 本单其余行全部合格"
                              "　F5 刷新　收货人不能验收自己收的货 (INV-2)"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(hint)
        self.setFocusProxy(self.table)
        self.refresh()

    # -- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the lines awaiting acceptance; keep the selection near where it was."""
        lines = call_guarded(self, lambda: self._service.pending(self._actor))
        if lines is None:
            return
        row = max(self.table.currentIndex().row(), 0)
        self.pending_model.set_rows(lines)
        self.pending_label.setText(self.tr("待验收 {0} 行").format(len(lines)))
        self.pending_label.setStyleSheet(ERROR_STYLE if lines else FOOTNOTE_STYLE)
        enabled = bool(lines)
        for button in (self.accept_button, self.reject_button, self.accept_all_button):
            button.setEnabled(enabled)
        if lines:
            self.table.selectRow(min(row, len(lines) - 1))

    def selected_line(self) -> PendingLine | None:
        """The line selected."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.pending_model.row_at(index.row())

    # -- deciding -------------------------------------------------------------------------

    def _decide(self, decisions: list[LineDecision]) -> AcceptanceResult:
        return self._service.accept(self._actor, decisions)

    def _on_accept_button_clicked(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        result = call_guarded(self, lambda: self._decide([LineDecision(line.line_id,
                                                                      line.units)]))
        self._show_result(result)

    def _on_accept_all_button_clicked(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        lines = [p for p in self.pending_model.rows() if p.delivery_id == line.delivery_id]
        result = call_guarded(self, lambda: self._decide(
            [LineDecision(p.line_id, p.units) for p in lines]))
        self._show_result(result)

    def _on_reject_button_clicked(self) -> None:
        line = self.selected_line()
        if line is None or self.reject_dialog is not None:
            return
        dialog = RejectDialog(line, lambda d: self._decide([d]), self)
        dialog.decided.connect(self._show_result)
        dialog.finished.connect(self._on_reject_dialog_finished)
        self.reject_dialog = dialog
        dialog.open()

    def _on_reject_dialog_finished(self, _result: int) -> None:
        dialog, self.reject_dialog = self.reject_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.table.setFocus()

    def _show_result(self, result: AcceptanceResult | None) -> None:
        if result is None:
            return
        self.last_result = result
        text = self.tr("已验收 {0} 行：合格 {1}，拒收 {2}（最小单位）").format(
            result.lines, result.accepted_units, result.rejected_units)
        if result.return_doc_nos:
            text += self.tr("；拒收货物已退供应商：{0}").format(
                self.tr("、", "list separator").join(result.return_doc_nos))
        self.message_label.setText(text)
        self.message_label.setStyleSheet("")
        self.refresh()
        self.table.setFocus()
