"""收货: receiving a supplier's delivery against its delivery note (INV-2), scanner-driven.

Pick the supplier, type the delivery-note number (随货单号) and the invoice, then scan
each box: the product appears in the line form, Enter walks lot → manufacture date →
expiry → approval number → purchase price → quantity, and Enter on the quantity adds
the line and returns to the scanner field. Del removes the selected line, Enter on a line
takes it back into the form. Ctrl+S saves the whole delivery; the service checks every
line at once and the problems are listed here, each with its line number, with nothing
saved. Received goods wait for the quality inspector (质量验收) and cannot be sold.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import ValidationFailed
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.receiving import ReceiptResult, ReceivingService, ScannedProduct
from pharmacy_pos.ui.errors import call_guarded, error_text
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import RIGHT, Column, DtoTableModel

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext



# lupdate reads translate("<context>", "<text>") only with both literal, so each call
# names its context (a variable context or a wrapper hides the string from it).
translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class DraftLine:
    """A line of the delivery being typed (text as entered; the service validates)."""

    product: ScannedProduct
    lot_no: str
    manufacture_date: str
    expiry_date: str
    approval_no: str
    purchase_price: str
    quantity: str
    unit: str  # "pack" / "unit"
    is_gift: bool

    @property
    def quantity_text(self) -> str:
        """The quantity with its unit (``5盒``)."""
        unit = self.product.package_unit if self.unit == "pack" else self.product.min_unit
        return f"{self.quantity}{unit}"

    def to_input(self, row: int) -> LineInput:
        """The line as the service takes it, numbered as the screen shows it."""
        return LineInput(
            row=row, product_key=self.product.key, lot_no=self.lot_no,
            manufacture_date=self.manufacture_date, expiry_date=self.expiry_date,
            approval_no=self.approval_no, purchase_price=self.purchase_price,
            quantity=self.quantity, unit=self.unit, is_gift=self.is_gift)


def lines_model(parent: QWidget | None = None) -> DtoTableModel:
    """The delivery's lines as typed."""
    return DtoTableModel([
        Column(translate("ReceivingView", "商品编码"), lambda d: d.product.item_code),
        Column(translate("ReceivingView", "品名"), lambda d: d.product.name),
        Column(translate("ReceivingView", "规格"), lambda d: d.product.specification),
        Column(translate("ReceivingView", "批号"), lambda d: d.lot_no),
        Column(translate("ReceivingView", "生产日期"), lambda d: d.manufacture_date),
        Column(translate("ReceivingView", "有效期至"), lambda d: d.expiry_date),
        Column(translate("ReceivingView", "批准文号"), lambda d: d.approval_no),
        Column(translate("ReceivingView", "进价"), lambda d: d.purchase_price, RIGHT),
        Column(translate("ReceivingView", "数量"), lambda d: d.quantity_text, RIGHT),
        Column(translate("ReceivingView", "赠品"),
               lambda d: translate("ReceivingView", "是") if d.is_gift else ""),
    ], parent)


class ReceivingView(QWidget):
    """The receiving screen: header, scanner field, line form, lines, Ctrl+S to save."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None, *,
                 service: ReceivingService | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._service = service or ReceivingService(ctx.uow, ctx.clock,
                                                    store_code=ctx.settings.store_code)
        self.product: ScannedProduct | None = None
        self.last_receipt: ReceiptResult | None = None

        title = QLabel(self.tr("收货（按随货单）"))
        title.setStyleSheet(TITLE_STYLE)

        self.supplier_combo = QComboBox()
        self.supplier_combo.setObjectName("supplier_combo")
        self.note_edit = self._edit("note_edit", 60)
        self.invoice_code_edit = self._edit("invoice_code_edit", 20)
        self.invoice_no_edit = self._edit("invoice_no_edit", 20)
        header = QFormLayout()
        header.addRow(self.tr("供应商(&G)"), self.supplier_combo)
        header.addRow(self.tr("随货单号(&N)"), self.note_edit)
        invoice = QHBoxLayout()
        invoice.addWidget(self.invoice_code_edit)
        invoice.addWidget(self.invoice_no_edit)
        header.addRow(self.tr("发票代码 / 号码"), invoice)
        header_box = QGroupBox(self.tr("随货单"))
        header_box.setLayout(header)

        self.scan_edit = self._edit("scan_edit", 40)
        self.scan_edit.setPlaceholderText(self.tr("扫描商品条码，或输入商品编码后按回车"))
        self.product_label = QLabel()
        self.product_label.setObjectName("product_label")
        self.lot_edit = self._edit("lot_edit", 50)
        self.made_edit = self._edit("made_edit", 10, "YYYY-MM-DD")
        self.expiry_edit = self._edit("expiry_edit", 10, "YYYY-MM-DD")
        self.approval_edit = self._edit("approval_edit", 50)
        self.price_edit = self._edit("price_edit", 14, self.tr("每包装"))
        self.quantity_edit = self._edit("quantity_edit", 8)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unit_combo")
        self.gift_check = QCheckBox(self.tr("赠品(&F)"))
        self.gift_check.setObjectName("gift_check")
        quantity = QHBoxLayout()
        quantity.addWidget(self.quantity_edit)
        quantity.addWidget(self.unit_combo)
        quantity.addWidget(self.gift_check)
        form = QFormLayout()
        form.addRow(self.tr("扫码(&B)"), self.scan_edit)
        form.addRow(self.tr("商品"), self.product_label)
        form.addRow(self.tr("批号"), self.lot_edit)
        form.addRow(self.tr("生产日期"), self.made_edit)
        form.addRow(self.tr("有效期至"), self.expiry_edit)
        form.addRow(self.tr("批准文号"), self.approval_edit)
        form.addRow(self.tr("进价"), self.price_edit)
        form.addRow(self.tr("数量"), quantity)
        form_box = QGroupBox(self.tr("商品行"))
        form_box.setLayout(form)

        top = QHBoxLayout()
        top.addWidget(header_box, 2)
        top.addWidget(form_box, 3)

        self.lines_model = lines_model(self)
        self.lines_table = QTableView()
        self.lines_table.setObjectName("lines_table")
        self.lines_table.setModel(self.lines_model)
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.lines_table.horizontalHeader().setStretchLastSection(True)

        self.total_label = QLabel()
        self.total_label.setObjectName("total_label")
        self.save_button = QPushButton(self.tr("保存收货(Ctrl+S)"))
        self.save_button.setObjectName("save_button")
        self.save_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total_label)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(self.tr("扫码后回车逐项填写，数量处回车加入本单　Del 删除行　"
                              "回车 修改所选行　Ctrl+S 保存　保存后货物待质量验收，不能销售"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.lines_table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message_label)
        layout.addWidget(hint)

        # Enter walks the line form like a paper delivery note, left to right.
        chain = [self.lot_edit, self.made_edit, self.expiry_edit, self.approval_edit,
                 self.price_edit, self.quantity_edit]
        for here, there in pairwise(chain):
            here.returnPressed.connect(lambda there=there: there.setFocus())
        self.quantity_edit.returnPressed.connect(self._on_quantity_edit_return_pressed)
        self.scan_edit.returnPressed.connect(self._on_scan_edit_return_pressed)
        self.note_edit.returnPressed.connect(self.invoice_code_edit.setFocus)
        self.invoice_code_edit.returnPressed.connect(self.invoice_no_edit.setFocus)
        self.invoice_no_edit.returnPressed.connect(self.scan_edit.setFocus)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        save = QShortcut(QKeySequence("Ctrl+S"), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self._on_save_button_clicked)
        remove = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.lines_table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self._on_remove_activated)
        edit = QShortcut(QKeySequence(Qt.Key.Key_Return), self.lines_table)
        edit.setContext(Qt.ShortcutContext.WidgetShortcut)
        edit.activated.connect(self._on_edit_activated)

        self._clear_form()
        self._show_total()
        self.setFocusProxy(self.scan_edit)
        self.refresh()

    def _edit(self, name: str, length: int, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(length)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    # -- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the suppliers (a licence may have expired since)."""
        suppliers = call_guarded(self, lambda: self._service.suppliers(self._actor))
        if suppliers is None:
            return
        chosen = self.supplier_combo.currentData()
        self.supplier_combo.clear()
        for supplier in suppliers:
            text = supplier.name
            if not supplier.licence_valid:
                # Listed so staff see why it is refused; the service refuses it (INV-2).
                text = self.tr("{0}（许可证已过期）").format(supplier.name)
            self.supplier_combo.addItem(text, supplier.id)
        if chosen is not None and (index := self.supplier_combo.findData(chosen)) >= 0:
            self.supplier_combo.setCurrentIndex(index)

    def draft_lines(self) -> list[DraftLine]:
        """The lines typed so far."""
        return self.lines_model.rows()

    # -- the line form --------------------------------------------------------------------

    def _on_scan_edit_return_pressed(self) -> None:
        code = self.scan_edit.text().strip()
        if not code:
            return
        product = call_guarded(self, lambda: self._service.find_product(self._actor, code))
        self.scan_edit.clear()
        if product is None:
            self.scan_edit.setFocus()
            return
        self._load_form(product)

    def _load_form(self, product: ScannedProduct, draft: DraftLine | None = None) -> None:
        self.product = product
        self.product_label.setText(self.tr("{0} {1}（{2}，每{3} {4}{5}）").format(
            product.item_code, product.name, product.specification, product.package_unit,
            product.units_per_pack, product.min_unit))
        self.unit_combo.clear()
        self.unit_combo.addItem(product.package_unit, "pack")
        if product.split_allowed and product.units_per_pack > 1:
            self.unit_combo.addItem(product.min_unit, "unit")
        self.lot_edit.setText(draft.lot_no if draft else "")
        self.made_edit.setText(draft.manufacture_date if draft else "")
        self.expiry_edit.setText(draft.expiry_date if draft else "")
        self.approval_edit.setText(draft.approval_no if draft else product.approval_no)
        self.price_edit.setText(draft.purchase_price if draft else "")
        self.quantity_edit.setText(draft.quantity if draft else "")
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(
            draft.unit if draft else "pack")))
        self.gift_check.setChecked(draft.is_gift if draft else False)
        for widget in self._form_widgets():
            widget.setEnabled(True)
        self.lot_edit.setFocus()

    def _form_widgets(self) -> list[QWidget]:
        return [self.lot_edit, self.made_edit, self.expiry_edit, self.approval_edit,
                self.price_edit, self.quantity_edit, self.unit_combo, self.gift_check]

    def _clear_form(self) -> None:
        self.product = None
        self.product_label.setText(self.tr("（请先扫码）"))
        for edit in (self.lot_edit, self.made_edit, self.expiry_edit, self.approval_edit,
                     self.price_edit, self.quantity_edit):
            edit.clear()
        self.unit_combo.clear()
        self.gift_check.setChecked(False)
        for widget in self._form_widgets():
            widget.setEnabled(False)

    def _on_quantity_edit_return_pressed(self) -> None:
        if self.product is None:
            return
        draft = DraftLine(
            product=self.product, lot_no=self.lot_edit.text().strip(),
            manufacture_date=self.made_edit.text().strip(),
            expiry_date=self.expiry_edit.text().strip(),
            approval_no=self.approval_edit.text().strip(),
            purchase_price=self.price_edit.text().strip(),
            quantity=self.quantity_edit.text().strip(),
            unit=self.unit_combo.currentData() or "pack", is_gift=self.gift_check.isChecked())
        self.lines_model.set_rows([*self.lines_model.rows(), draft])
        self._clear_form()
        self._show_total()
        self.message_label.clear()
        self.scan_edit.setFocus()

    def _on_remove_activated(self) -> None:
        row = self.lines_table.currentIndex().row()
        rows = self.lines_model.rows()
        if 0 <= row < len(rows):
            del rows[row]
            self.lines_model.set_rows(rows)
            self._show_total()
            if rows:
                self.lines_table.selectRow(min(row, len(rows) - 1))

    def _on_edit_activated(self) -> None:
        row = self.lines_table.currentIndex().row()
        rows = self.lines_model.rows()
        if not 0 <= row < len(rows):
            return
        draft = rows.pop(row)
        self.lines_model.set_rows(rows)
        self._show_total()
        self._load_form(draft.product, draft)

    def _show_total(self) -> None:
        self.total_label.setText(self.tr("共 {0} 行").format(self.lines_model.rowCount()))

    # -- saving ---------------------------------------------------------------------------

    def _show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE)

    def _on_save_button_clicked(self) -> None:
        lines = [d.to_input(n) for n, d in enumerate(self.draft_lines(), start=1)]
        supplier_id = self.supplier_combo.currentData()
        if supplier_id is None:
            self._show_problem(self.tr("请先选择供应商"))
            return
        refused: list[ValidationFailed] = []

        def receive() -> ReceiptResult | None:
            try:
                return self._service.receive(
                    self._actor, supplier_id=supplier_id, lines=lines,
                    delivery_note_no=self.note_edit.text(),
                    invoice_code=self.invoice_code_edit.text(),
                    invoice_no=self.invoice_no_edit.text())
            except ValidationFailed as exc:
                # Listed here, next to the lines they name, rather than in a box.
                refused.append(exc)
                return None

        result = call_guarded(self, receive)
        if refused:
            self._show_problem(error_text(refused[0]))
            return
        if result is None:
            return
        self.last_receipt = result
        self.lines_model.set_rows([])
        self._clear_form()
        self._show_total()
        for edit in (self.note_edit, self.invoice_code_edit, self.invoice_no_edit):
            edit.clear()
        self.message_label.setText(self.tr(
            "已收货 {0}：{1} 行，金额 {2} 元。货物待质量验收，验收合格前不能销售。").format(
                result.doc_no, len(result.line_ids), result.amount))
        self.message_label.setStyleSheet("")
        self.note_edit.setFocus()
