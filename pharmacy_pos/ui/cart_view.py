"""收银 (SELL): the cart being rung, its findings, and the keys that change it.

Keyboard-first: the scan field always has the focus back after an action, so a barcode
scanner (digits, then Enter) never types into nowhere. A text that is not a code opens
the product search (name or pinyin initials). Every change goes through
``SaleService`` (``services/sales.py``), which re-evaluates every rule: the screen only
shows ``cart.findings``; nothing here decides what is allowed.

Keys (shown on the buttons): Enter scans, Esc clears the field, ↑/↓ choose a line,
F2 结算, F3 数量, F4 处方, F5 医保结算/自费, F6 挂单/取单, F7 购买人证件 (RX-12),
Delete 删除行.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, NotFound
from pharmacy_pos.domain.identity import Action, Finding
from pharmacy_pos.domain.ids import InvalidIdNumber, mask_id_number
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.sale import PaymentMethod, ReviewDecision
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import ProductRow, search_products
from pharmacy_pos.services.identity import SettlementIdentity
from pharmacy_pos.services.sales import Cart, CompletedSale, SaleService, TillLine
from pharmacy_pos.ui import errors, labels
from pharmacy_pos.ui.errors import error_text, show_error
from pharmacy_pos.ui.flow_layout import FlowLayout, flow_policy
from pharmacy_pos.ui.pay_dialog import PayDialog
from pharmacy_pos.ui.prescription_dialog import PrescriptionDialog, PrescriptionLine
from pharmacy_pos.ui.print_status import ReasonDialog
from pharmacy_pos.ui.rule_texts import explained
from pharmacy_pos.ui.severity import AMBER, BLUE, COLOURS, GREY, RED, severity_icon
from pharmacy_pos.ui.style import FOOTNOTE_STYLE, TOTAL_STYLE
from pharmacy_pos.ui.table_model import RIGHT, Column, DtoTableModel

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

T = TypeVar("T")

#: How often a pending prescription review is asked again (RX-2).
REVIEW_POLL_MS = 3000

GREEN = "#1e8449"


# -- what the tables show -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CartRow:
    """One cart line as the table shows it (a frozen copy: the cart itself changes)."""

    name: str
    specification: str
    quantity: str
    unit_price: Decimal
    amount: Decimal
    batches: str
    trace_codes: int
    boxes: int
    blocked: bool

    @classmethod
    def of(cls, line: TillLine) -> CartRow:
        """Copy what the table needs from a till line."""
        product = line.product
        translate = QCoreApplication.translate
        batches = translate("CartView", "；", "list separator").join(
            translate("CartView", "{0} 至 {1}").format(a.lot_no, f"{a.expiry_date:%Y-%m-%d}")
            for a in line.picking.allocations)
        return cls(
            name=product.name, specification=product.specification,
            quantity=product.quantity_text(line.quantity),
            unit_price=product.retail_price, amount=line.amount, batches=batches,
            trace_codes=len(line.trace_codes),
            boxes=-(-line.quantity // product.units_per_pack),
            blocked=line.picking.blocked,
        )


# -- small dialogs --------------------------------------------------------------------------

class ScanEdit(QLineEdit):
    """The scan field: ↑/↓ choose a cart line; Delete on an empty field voids a line."""

    stepped = Signal(int)
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Route the keys the till uses while the focus stays here."""
        key = event.key()
        if key == Qt.Key.Key_Up:
            self.stepped.emit(-1)
        elif key == Qt.Key.Key_Down:
            self.stepped.emit(1)
        elif key == Qt.Key.Key_Delete and not self.text():
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)


def _inline_error() -> QLabel:
    label = QLabel()
    label.setObjectName("error_label")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {RED};")
    label.setVisible(False)
    return label


class QuantityDialog(QDialog):
    """F3: the selected line's quantity, in packs or (where offered) split units."""

    def __init__(self, line: TillLine, apply: Callable[[str, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改数量"))
        self._apply = apply
        product = line.product
        self.quantity_edit = QLineEdit(str(line.quantity // product.units_per_pack
                                           if line.quantity % product.units_per_pack == 0
                                           else line.quantity))
        self.quantity_edit.setObjectName("quantity_edit")
        self.quantity_edit.selectAll()
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unit_combo")
        self.unit_combo.addItem(self.tr("{0}（整盒）").format(product.package_unit), "pack")
        if product.units_per_pack > 1:
            self.unit_combo.addItem(self.tr("{0}（拆零）").format(product.min_unit), "unit")
            if line.quantity % product.units_per_pack:
                self.unit_combo.setCurrentIndex(1)
        self.error_label = _inline_error()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定(Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消(Esc)"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("商品"), QLabel(f"{product.name} {product.specification}"))
        form.addRow(self.tr("数量"), self.quantity_edit)
        form.addRow(self.tr("单位"), self.unit_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.quantity_edit.setFocus()

    def _on_buttons_accepted(self) -> None:
        unit = str(self.unit_combo.currentData())
        if _run_in_dialog(self, lambda: self._apply(self.quantity_edit.text(), unit),
                          self.error_label):
            self.accept()
        else:
            self.quantity_edit.setFocus()
            self.quantity_edit.selectAll()


class BuyerIdDialog(QDialog):
    """F7: the buyer's resident ID number for ephedrine compounds (RX-12)."""

    def __init__(self, apply: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记购买人身份证件"))
        self._apply = apply
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("buyer_id_edit")
        self.id_edit.setMaxLength(18)
        self.id_edit.setPlaceholderText(self.tr("输入或扫描购买人身份证号"))
        self.error_label = _inline_error()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登记(Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消(Esc)"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        note = QLabel(self.tr("含麻黄碱类复方制剂须登记购买人身份证号（RX-12）"))
        note.setStyleSheet(FOOTNOTE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.id_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.id_edit.setFocus()

    def _on_buttons_accepted(self) -> None:
        if _run_in_dialog(self, lambda: self._apply(self.id_edit.text()), self.error_label):
            self.accept()
        else:
            self.id_edit.setFocus()
            self.id_edit.selectAll()


class ProductSearchDialog(QDialog):
    """Pick a product by name or pinyin initials; ↑/↓ move, Enter picks, Esc closes."""

    product_chosen = Signal(int)  # product id

    def __init__(self, search: Callable[[str], Sequence[ProductRow] | None], text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("查找商品"))
        self.resize(760, 420)
        self._search = search
        self.search_edit = QLineEdit(text)
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setPlaceholderText(self.tr("商品名称、拼音首字母、编码"))
        self.search_edit.installEventFilter(self)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(FOOTNOTE_STYLE)
        self.model = DtoTableModel([
            Column(self.tr("商品"), _product_name),
            Column(self.tr("规格"), lambda r: r.specification),
            Column(self.tr("生产企业"), lambda r: r.manufacturer),
            Column(self.tr("处方"), lambda r: self.tr("处方药") if r.is_prescription else ""),
            Column(self.tr("零售价"), lambda r: format_yuan(r.retail_price), RIGHT),
            Column(self.tr("库存"), lambda r: _units_text(r), RIGHT),
        ], self)
        self.table = QTableView()
        self.table.setObjectName("search_table")
        self.table.setModel(self.model)
        _table_look(self.table)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.search_edit.textEdited.connect(self._on_search_edit_text_edited)
        # Enter presses 加入 (the default button), Esc cancels, as in every dialog.
        buttons = QDialogButtonBox()
        self.add_button = buttons.addButton(self.tr("加入(Enter)"),
                                            QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("add_button")
        self.add_button.setDefault(True)
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self._last_text: str | None = None
        self.refresh()
        self.search_edit.setFocus()

    def refresh(self) -> None:
        """Search for the field's text (once per distinct text)."""
        text = self.search_edit.text().strip()
        if text == self._last_text:
            return
        self._last_text = text
        rows = self._search(text)
        if rows is None:
            return
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
            self.count_label.setText(self.tr("找到 {0} 个商品：↑/↓ 选择，Enter 加入").format(
                len(rows)))
        else:
            self.count_label.setText(self.tr("没有找到“{0}”").format(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """↑/↓ in the search field move through the results."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None:
                count = self.model.rowCount()
                if count:
                    current = self.table.currentIndex().row()
                    self.table.selectRow(max(0, min(count - 1, current + step)))
                return True
        return super().eventFilter(watched, event)

    def _on_search_edit_text_edited(self, _text: str) -> None:
        self.refresh()

    def _on_add_button_clicked(self) -> None:
        self.refresh()
        self._choose(self.table.currentIndex().row())

    def _on_table_double_clicked(self, index: object) -> None:
        self._choose(self.table.currentIndex().row())

    def _choose(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.product_chosen.emit(self.model.row_at(row).id)
            self.accept()


def _product_name(row: ProductRow) -> str:
    if row.trade_name and row.trade_name != row.generic_name:
        return QCoreApplication.translate("ProductSearchDialog", "{0}（{1}）").format(
            row.trade_name, row.generic_name)
    return row.generic_name


def _units_text(row: ProductRow) -> str:
    packs, rest = divmod(row.stock_units, max(row.units_per_pack, 1))
    text = f"{packs}{row.package_unit}"
    return text + (f"{rest}{row.min_unit}" if rest else "")


def _table_look(table: QTableView) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


def _run_in_dialog(parent: QWidget, action: Callable[[], object], label: QLabel) -> bool:
    """Run a use case from a dialog: a refusal shows in ``label``, a fault offers 重试."""
    while True:
        try:
            action()
        except DomainError as exc:
            label.setText(error_text(exc))
            label.setVisible(True)
            return False
        except EnvironmentFault as exc:
            if not show_error(parent, exc):
                return False
        else:
            return True


# -- layout ---------------------------------------------------------------------------------

def _button(text: str, name: str, key: Qt.Key) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    # The key is a QShortcut of the cart (see CartView): a button's own shortcut
    # "animates" the click and acts only 100 ms later, which a fast cashier outruns.
    button.setProperty("till_key", key)
    button.setAutoDefault(False)
    # Clicking must not leave the focus on the button: the scanner types into the field.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class CartPanel(QWidget):
    """The widgets of the cart: scan field, lines, totals, findings, keys; no behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scan_edit = ScanEdit()
        self.scan_edit.setObjectName("scan_edit")
        self.scan_edit.setPlaceholderText(
            self.tr("扫描条码、追溯码，或输入名称/拼音首字母后按 Enter"))
        self.scan_edit.setStyleSheet("font-size: 14pt; padding: 4px;")
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)

        self.lines_model = DtoTableModel([
            Column(self.tr("商品"), lambda r: r.name,
                   foreground=lambda r: QColor(RED) if r.blocked else None),
            Column(self.tr("规格"), lambda r: r.specification),
            Column(self.tr("数量"), lambda r: r.quantity, RIGHT),
            Column(self.tr("单价"), lambda r: format_yuan(r.unit_price), RIGHT),
            Column(self.tr("金额"), lambda r: format_yuan(r.amount), RIGHT),
            Column(self.tr("批号/有效期"), lambda r: r.batches),
            Column(self.tr("追溯码"), lambda r: f"{r.trace_codes}/{r.boxes}", RIGHT),
        ], self)
        self.lines_table = QTableView()
        self.lines_table.setObjectName("lines_table")
        self.lines_table.setModel(self.lines_model)
        _table_look(self.lines_table)
        self.lines_table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        # The product's name and its batches share the width (on a narrow screen both give
        # way, the name never alone); numbers keep to their contents.
        lines_header = self.lines_table.horizontalHeader()
        lines_header.setStretchLastSection(False)
        lines_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lines_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lines_header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)

        # How many products and packs, then the total on a line of its own in big type.
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.count_label.setStyleSheet("font-size: 13pt;")
        self.total_label = QLabel()
        self.total_label.setObjectName("total_label")
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.payer_label = QLabel()
        self.payer_label.setObjectName("payer_label")
        self.payer_label.setWordWrap(True)
        self.buyer_label = QLabel()
        self.buyer_label.setObjectName("buyer_label")
        self.review_label = QLabel()
        self.review_label.setObjectName("review_label")
        self.review_label.setWordWrap(True)
        self.held_label = QLabel()
        self.held_label.setObjectName("held_label")
        self.held_label.setStyleSheet(FOOTNOTE_STYLE)
        self.receipt_label = QLabel()
        self.receipt_label.setObjectName("receipt_label")
        self.receipt_label.setWordWrap(True)
        self.receipt_label.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
        self.receipt_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt_label.setVisible(False)

        self.findings_model = DtoTableModel([
            Column(self.tr("规则"), lambda f: f.rule_id),
            Column(self.tr("处理"), self.action_label,
                   foreground=lambda f: QColor(COLOURS[f.action]),
                   decoration=lambda f: severity_icon(f.action)),
            Column(self.tr("说明"), lambda f: explained(f.rule_id, f.message),
                   tooltip=lambda f: explained(f.rule_id, f.message)),
        ], self)
        self.findings_table = QTableView()
        self.findings_table.setObjectName("findings_table")
        self.findings_table.setModel(self.findings_model)
        _table_look(self.findings_table)
        self.findings_table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.findings_table.setWordWrap(True)
        # Rule id and action are short; the explanation gets the rest of the width.
        header = self.findings_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.findings_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)

        self.pay_button = _button(self.tr("结算(F2)"), "pay_button", Qt.Key.Key_F2)
        self.quantity_button = _button(self.tr("数量(F3)"), "quantity_button", Qt.Key.Key_F3)
        self.prescription_button = _button(self.tr("处方(F4)"), "prescription_button",
                                           Qt.Key.Key_F4)
        self.insurance_button = _button(self.tr("医保结算(F5)"), "insurance_button",
                                        Qt.Key.Key_F5)
        self.hold_button = _button(self.tr("挂单/取单(F6)"), "hold_button", Qt.Key.Key_F6)
        self.buyer_button = _button(self.tr("购买人证件(F7)"), "buyer_button", Qt.Key.Key_F7)
        self.delete_button = _button(self.tr("删除行(Del)"), "delete_button",
                                     Qt.Key.Key_Delete)
        self.reprint_button = _button(self.tr("补打小票(F10)"), "reprint_button",
                                      Qt.Key.Key_F10)

        totals = QGroupBox(self.tr("合计"))
        totals_layout = QVBoxLayout(totals)
        for widget in (self.count_label, self.total_label, self.payer_label, self.buyer_label,
                       self.review_label, self.held_label):
            totals_layout.addWidget(widget)
        findings = QGroupBox(self.tr("规则提示"))
        findings_layout = QVBoxLayout(findings)
        findings_layout.addWidget(self.findings_table)
        lower = QHBoxLayout()
        lower.addWidget(totals, 1)
        lower.addWidget(findings, 2)
        # The key buttons wrap to a second row on a narrow (1024-pixel) screen.
        self.keys_row = QWidget()
        self.keys_row.setObjectName("keys_row")
        self.keys_row.setSizePolicy(flow_policy())
        keys = FlowLayout(self.keys_row)
        for button in self.key_buttons():
            keys.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scan_edit)
        layout.addWidget(self.message_label)
        layout.addWidget(self.receipt_label)
        layout.addWidget(self.lines_table, 3)
        layout.addLayout(lower, 2)
        layout.addWidget(self.keys_row)

    def key_buttons(self) -> list[QPushButton]:
        """The buttons that have a key of their own, in the order shown."""
        return [self.pay_button, self.quantity_button, self.prescription_button,
                self.insurance_button, self.hold_button, self.buyer_button,
                self.delete_button, self.reprint_button]

    def action_label(self, finding: Finding) -> str:
        """What a finding does, in the cashier's words."""
        return {
            Action.BLOCK: self.tr("禁止"),
            Action.APPROVE: self.tr("需药师审核"),
            Action.WARN: self.tr("提醒"),
            Action.RECORD: self.tr("记录"),
        }[finding.action]

    def show_message(self, text: str, colour: str = RED) -> None:
        """One line above the cart (empty: hidden)."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.message_label.setVisible(bool(text))


# -- the cart screen ------------------------------------------------------------------------

class CartView(QWidget):
    """The cart at one terminal: scanning, lines, rules, prescription, hold and pay.

    ``card_present`` is asked just before an insured settlement (ID-7); the till sets it.
    Emits ``sale_completed`` (CompletedSale) after a sale is paid and recorded, and
    ``insurance_toggled`` when the cashier presses F5 (the till owns the card).
    """

    sale_completed = Signal(object)  # CompletedSale
    #: A copy of a receipt was queued (F10): the print worker should print it now.
    reprint_queued = Signal()
    insurance_toggled = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._sales: SaleService = ctx.sales
        self._actor = actor
        self.card_present: Callable[[], bool] | None = None
        self.cart: Cart = self._sales.new_cart(actor)
        self.last_sale: CompletedSale | None = None
        self.search_dialog: ProductSearchDialog | None = None
        self.quantity_dialog: QuantityDialog | None = None
        self.buyer_dialog: BuyerIdDialog | None = None
        self.prescription_dialog: PrescriptionDialog | None = None
        self.pay_dialog: PayDialog | None = None
        self.reprint_dialog: ReasonDialog | None = None

        self.panel = CartPanel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)

        self.review_timer = QTimer(self)
        self.review_timer.setInterval(REVIEW_POLL_MS)
        self.review_timer.timeout.connect(self._on_review_timer_timeout)

        panel = self.panel
        panel.scan_edit.returnPressed.connect(self._on_scan_edit_return_pressed)
        panel.scan_edit.stepped.connect(self._on_scan_edit_stepped)
        panel.scan_edit.delete_requested.connect(self._on_delete_button_clicked)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), panel.scan_edit,
                          self._on_escape_shortcut_activated)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        panel.lines_table.clicked.connect(self._on_lines_table_clicked)
        panel.pay_button.clicked.connect(self._on_pay_button_clicked)
        panel.quantity_button.clicked.connect(self._on_quantity_button_clicked)
        panel.prescription_button.clicked.connect(self._on_prescription_button_clicked)
        panel.insurance_button.clicked.connect(self.insurance_toggled)
        panel.hold_button.clicked.connect(self._on_hold_button_clicked)
        panel.buyer_button.clicked.connect(self._on_buyer_button_clicked)
        panel.delete_button.clicked.connect(self._on_delete_button_clicked)
        panel.reprint_button.clicked.connect(self._on_reprint_button_clicked)
        for button in panel.key_buttons():
            QShortcut(QKeySequence(button.property("till_key")), self, button.click)
        self.show_cart()

    # -- focus ----------------------------------------------------------------------------

    def focus_scan(self) -> None:
        """Give the scan field the focus (after every action)."""
        self.panel.scan_edit.setFocus()

    def focus_after_dialog(self) -> None:
        """A dialog of the till closed: the till's window takes the keys again."""
        window = self.window()
        if window.isVisible() and not window.isActiveWindow():
            window.activateWindow()
        self.focus_scan()

    # -- scanning -------------------------------------------------------------------------

    def scan(self, text: str) -> None:
        """What the scanner (or the cashier) typed, then Enter."""
        code = text.strip()
        panel = self.panel
        panel.scan_edit.clear()
        panel.receipt_label.setVisible(False)
        if not code:
            self.focus_scan()
            return
        try:
            done = self._run(lambda: self._sales.scan(self._actor, self.cart, code),
                             refused_inline=False)
        except NotFound as exc:
            if code.isascii() and code.isdigit():
                panel.show_message(error_text(exc))
                self.focus_scan()
                return
            self._open_search(code)
            return
        if done is not None:
            panel.show_message("")
        self.show_cart()
        self.focus_scan()

    def _on_scan_edit_return_pressed(self) -> None:
        self.scan(self.panel.scan_edit.text())

    def _on_escape_shortcut_activated(self) -> None:
        self.panel.scan_edit.clear()
        self.panel.show_message("")

    def _on_scan_edit_stepped(self, step: int) -> None:
        if not self.cart.lines:
            return
        current = self.cart.selected if self.cart.selected is not None else 0
        index = max(0, min(len(self.cart.lines) - 1, current + step))
        self._sales.select(self.cart, index)
        self._show_selection()

    def _on_lines_table_clicked(self, index: object) -> None:
        row = self.panel.lines_table.currentIndex().row()
        if 0 <= row < len(self.cart.lines):
            self._sales.select(self.cart, row)
        self.focus_scan()

    def _open_search(self, text: str) -> None:
        def search(query: str) -> Sequence[ProductRow] | None:
            found = self._run(lambda: search_products(self._ctx.uow, self._actor, query))
            return found.rows if found is not None else None

        dialog = ProductSearchDialog(search, text, self)
        dialog.product_chosen.connect(self._on_search_dialog_product_chosen)
        dialog.finished.connect(self._on_search_dialog_finished)
        self.search_dialog = dialog
        dialog.open()

    def _on_search_dialog_product_chosen(self, product_id: int) -> None:
        if self._run(lambda: self._sales.add_product(self._actor, self.cart, product_id)):
            self.panel.show_message("")
        self.show_cart()

    def _on_search_dialog_finished(self, _result: int) -> None:
        dialog, self.search_dialog = self.search_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.focus_after_dialog()

    # -- lines ----------------------------------------------------------------------------

    def _selected_line(self) -> TillLine | None:
        index = self.cart.selected
        if index is None or not 0 <= index < len(self.cart.lines):
            self.panel.show_message(self.tr("请先扫描商品，或用 ↑/↓ 选择一行"))
            self.focus_scan()
            return None
        return self.cart.lines[index]

    def _on_quantity_button_clicked(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        index = self.cart.lines.index(line)

        def apply(text: str, unit: str) -> None:
            self._sales.set_quantity(self._actor, self.cart, index, text,
                                     "unit" if unit == "unit" else "pack")
            self.show_cart()

        dialog = QuantityDialog(line, apply, self)
        dialog.finished.connect(self._on_quantity_dialog_finished)
        self.quantity_dialog = dialog
        dialog.open()

    def _on_quantity_dialog_finished(self, _result: int) -> None:
        dialog, self.quantity_dialog = self.quantity_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.focus_after_dialog()

    def _on_delete_button_clicked(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        index = self.cart.lines.index(line)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("删除行"),
                          self.tr("删除“{0}”（{1}）？").format(
                              line.product.name, line.product.quantity_text(line.quantity)),
                          QMessageBox.StandardButton.NoButton, self)
        remove = box.addButton(self.tr("删除"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        errors.exec_message_box(box)
        if box.clickedButton() is remove:
            self._run(lambda: self._sales.remove_line(self._actor, self.cart, index))
            self.show_cart()
        self.focus_scan()

    def _on_buyer_button_clicked(self) -> None:
        def apply(text: str) -> None:
            try:
                self._sales.record_buyer_id(self._actor, self.cart, text)
            except InvalidIdNumber as exc:
                # Not a resident ID number (ID-4): said like any refusal, in the dialog.
                raise DomainError(str(exc), rule_id="ID-4") from exc
            self.show_cart()

        dialog = BuyerIdDialog(apply, self)
        dialog.finished.connect(self._on_buyer_dialog_finished)
        self.buyer_dialog = dialog
        dialog.open()

    def _on_buyer_dialog_finished(self, _result: int) -> None:
        dialog, self.buyer_dialog = self.buyer_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.focus_after_dialog()

    # -- hold / recall --------------------------------------------------------------------

    def _on_hold_button_clicked(self) -> None:
        if self.cart.lines:
            cart = self._run(lambda: self._sales.hold(self._actor, self.cart))
            if cart is not None:
                self._replace_cart(cart)
                self.panel.show_message(self.tr("已挂单，按 F6 取回"), BLUE)
        elif self._sales.held:
            cart = self._run(lambda: self._sales.recall(self._actor))
            if cart is not None:
                self._replace_cart(cart)
                self.panel.show_message(self.tr("已取回挂单"), BLUE)
        else:
            self.panel.show_message(self.tr("购物车为空，也没有挂单"))
        self.focus_scan()

    def _replace_cart(self, cart: Cart) -> None:
        self.cart = cart
        if cart.review is not None and cart.review.decision is ReviewDecision.PENDING:
            self.review_timer.start()
        else:
            self.review_timer.stop()
        self.show_cart()

    # -- insurance ------------------------------------------------------------------------

    def attach_insured(self, identity: SettlementIdentity) -> bool:
        """Settle this cart through insurance for ``identity`` (from a card read, ID-1)."""
        done = self._run(lambda: self._sales.attach_insured(self._actor, self.cart, identity))
        self.show_cart()
        self.focus_scan()
        return done is not None

    def detach_insured(self, reason: str) -> None:
        """Pay this cart without insurance, saying why (card pulled, ID-7)."""
        if self.cart.insured is None:
            return
        self._run(lambda: self._sales.detach_insured(self._actor, self.cart))
        self.panel.show_message(reason, AMBER)
        self.show_cart()

    # -- prescription (RX-1, RX-2) --------------------------------------------------------

    def _on_prescription_button_clicked(self) -> None:
        lines = [PrescriptionLine(line.product.item_code, line.product.name, line.quantity,
                                  line.product.min_unit)
                 for line in self.cart.lines if line.product.is_prescription]
        insured = self.cart.insured
        # The name is prefilled, the ID number is not: it is typed from the prescription,
        # so ID-6 compares the prescription with the card, and the card's number never
        # shows in full on screen (SEC-5).
        patient = (insured.identity.name, "") if insured else ("", "")
        dialog = PrescriptionDialog(
            lines, patient=patient, today=self._ctx.clock.today(),
            importer=lambda data: self._sales.import_eprescription(self._actor, data),
            parent=self)
        dialog.document_ready.connect(self._on_prescription_dialog_document_ready)
        dialog.finished.connect(self._on_prescription_dialog_finished)
        self.prescription_dialog = dialog
        dialog.open()

    def _on_prescription_dialog_document_ready(self, document: object) -> None:
        done = self._run(lambda: self._sales.submit_prescription(
            self._actor, self.cart, document))  # type: ignore[arg-type]
        if done is not None and self.cart.review is not None:
            self.panel.show_message("")
            if self.cart.review.decision is ReviewDecision.PENDING:
                self.review_timer.start()
        self.show_cart()

    def _on_prescription_dialog_finished(self, _result: int) -> None:
        dialog, self.prescription_dialog = self.prescription_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.focus_after_dialog()

    def refresh_review(self) -> None:
        """Ask again for the pharmacist's decision; stop polling once decided."""
        if self.cart.review is None:
            self.review_timer.stop()
            return
        try:
            self._sales.refresh_review(self._actor, self.cart)
        except EnvironmentFault:
            # A busy database is asked again at the next tick; no box every few seconds.
            return
        if self.cart.review is None or self.cart.review.decision is not ReviewDecision.PENDING:
            self.review_timer.stop()
        self.show_cart()

    def _on_review_timer_timeout(self) -> None:
        self.refresh_review()

    # -- paying ---------------------------------------------------------------------------

    def _on_pay_button_clicked(self) -> None:
        self.panel.receipt_label.setVisible(False)
        split = self._run(lambda: self._sales.pre_settle(self._actor, self.cart),
                          refused_inline=False, boxed=True)
        self.show_cart()
        if split is None:
            self.focus_scan()
            return
        cart = self.cart
        insured = cart.pay_with_insurance and cart.insured is not None

        def pay(method: PaymentMethod, tendered: Decimal | None,
                consent: bool) -> CompletedSale:
            return self._sales.complete(
                self._actor, cart, method=method, tendered=tendered,
                self_pay_consent=consent,
                card_present=self.card_present if insured else None)

        dialog = PayDialog(split, insured=insured, pay=pay, parent=self)
        dialog.sale_completed.connect(self._on_pay_dialog_sale_completed)
        dialog.finished.connect(self._on_pay_dialog_finished)
        self.pay_dialog = dialog
        dialog.open()

    def _on_pay_dialog_sale_completed(self, sale: CompletedSale) -> None:
        self.last_sale = sale
        self.review_timer.stop()
        self.cart = self._sales.new_cart(self._actor)
        self.panel.show_message("")
        self.panel.receipt_label.setText(self._receipt_text(sale))
        self.panel.receipt_label.setVisible(True)
        self.show_cart()
        self.sale_completed.emit(sale)

    def _on_pay_dialog_finished(self, _result: int) -> None:
        dialog, self.pay_dialog = self.pay_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.show_cart()
        self.focus_after_dialog()

    # -- 补打 (F10) ------------------------------------------------------------------------

    def _on_reprint_button_clicked(self) -> None:
        """F10: a marked copy (重打) of this session's last receipt, with a reason that the
        audit trail keeps; older documents are reprinted from the 销售记录 screen (Ctrl+P)."""
        if self.reprint_dialog is not None:
            return
        sale = self.last_sale
        if sale is None:
            self.panel.show_message(self.tr(
                "本次登录还没有结算过的单据；其它单据请到“销售记录”屏选中后按 Ctrl+P 重打"), AMBER)
            self.focus_scan()
            return
        dialog = ReasonDialog(
            self.tr("补打小票"),
            self.tr("补打单号 {0} 的小票：打印件标注“重打”，并记入审计日志。\n"
                    "原因（可直接按 Enter）：").format(sale.doc_no), self)
        dialog.reason_edit.setText(self.tr("小票未打出或顾客要求补打"))
        dialog.reason_edit.selectAll()
        dialog.reason_given.connect(lambda reason: self._reprint(sale.doc_no, reason))
        dialog.finished.connect(self._on_reprint_dialog_finished)
        self.reprint_dialog = dialog
        dialog.open()

    def _reprint(self, doc_no: str, reason: str) -> None:
        queued = self._run(lambda: self._ctx.printing.reprint(
            self._actor, "receipt", doc_no, reason=reason))
        if queued is None:
            return
        self.panel.show_message(self.tr("已加入打印队列：单号 {0} 的小票（重打）").format(doc_no),
                                BLUE)
        self.reprint_queued.emit()

    def _on_reprint_dialog_finished(self, _result: int) -> None:
        dialog, self.reprint_dialog = self.reprint_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.focus_after_dialog()

    def _receipt_text(self, sale: CompletedSale) -> str:
        parts = [self.tr("已结算　单号 {0}").format(sale.doc_no),
                 self.tr("合计 {0}").format(format_yuan(sale.total))]
        if sale.fund_pay:
            parts.append(self.tr("统筹基金 {0}").format(format_yuan(sale.fund_pay)))
        if sale.acct_pay:
            parts.append(self.tr("个人账户 {0}").format(format_yuan(sale.acct_pay)))
        parts.append(self.tr("{0} {1}").format(labels.label(sale.tender.method),
                                               format_yuan(sale.tender.amount_due)))
        parts.append(self.tr("实收 {0}").format(format_yuan(sale.tender.tendered)))
        parts.append(self.tr("找零 {0}").format(format_yuan(sale.tender.change)))
        if sale.balance_after is not None:
            parts.append(self.tr("个人账户余额 {0}").format(format_yuan(sale.balance_after)))
        return self.tr("　", "separator").join(parts)

    # -- showing --------------------------------------------------------------------------

    def show_cart(self) -> None:
        """Render the cart, its totals and every finding."""
        cart, panel = self.cart, self.panel
        panel.lines_model.set_rows([CartRow.of(line) for line in cart.lines])
        self._show_selection()
        panel.findings_model.set_rows(list(cart.findings))
        panel.findings_table.resizeRowsToContents()
        count = sum(-(-line.quantity // line.product.units_per_pack) for line in cart.lines)
        panel.count_label.setText(self.tr("{0} 种 {1} 件").format(len(cart.lines), count))
        panel.total_label.setText(self.tr("合计 {0}").format(format_yuan(cart.total)))
        if cart.pay_with_insurance and cart.insured is not None:
            identity = cart.insured.identity
            panel.payer_label.setText(self.tr("医保结算：{0}（{1}）").format(
                identity.name, identity.masked_ssn))
            panel.payer_label.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
            panel.insurance_button.setText(self.tr("改为自费(F5)"))
        else:
            panel.payer_label.setText(self.tr("自费结算（现金、微信、支付宝、银行卡）"))
            panel.payer_label.setStyleSheet("")
            panel.insurance_button.setText(self.tr("医保结算(F5)"))
        panel.buyer_label.setText(self.tr("购买人证件：{0}").format(
            mask_id_number(cart.buyer_id_number)) if cart.buyer_id_number else "")
        panel.buyer_label.setVisible(bool(cart.buyer_id_number))
        text, colour = self._review_text()
        panel.review_label.setText(text)
        panel.review_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        panel.review_label.setVisible(bool(text))
        held = len(self._sales.held)
        panel.held_label.setText(self.tr("挂单 {0} 张（F6 取回）").format(held) if held else "")
        panel.held_label.setVisible(bool(held))

    def _review_text(self) -> tuple[str, str]:
        review = self.cart.review
        if review is None:
            if self.cart.document is None:
                return "", GREY
            return self.tr("处方：未提交审核"), AMBER
        if review.decision is ReviewDecision.PENDING:
            return self.tr("处方：等待药师审核"), AMBER
        if review.decision is ReviewDecision.APPROVED:
            return self.tr("处方：药师 {0} 审核通过").format(review.reviewer), GREEN
        reason = labels.label(review.reason) if review.reason else ""
        return self.tr("处方：药师 {0} 拒绝调配（{1}）{2}").format(
            review.reviewer, reason, review.note), RED

    def _show_selection(self) -> None:
        index = self.cart.selected
        table = self.panel.lines_table
        if index is not None and 0 <= index < len(self.cart.lines):
            table.selectRow(index)
        else:
            table.clearSelection()

    def _run(self, action: Callable[[], T], *, refused_inline: bool = True,
             boxed: bool = False) -> T | None:
        """Run a use case: a refusal is shown above the cart (or in a box), a fault offers
        重试. With ``refused_inline`` False a ``NotFound`` is raised to the caller."""
        while True:
            try:
                return action()
            except NotFound as exc:
                if not refused_inline:
                    raise
                self.panel.show_message(error_text(exc))
                return None
            except DomainError as exc:
                self.panel.show_message(error_text(exc))
                if boxed:
                    show_error(self, exc)
                return None
            except EnvironmentFault as exc:
                if not show_error(self, exc):
                    return None

    def texts(self) -> list[str]:
        """Every text the cart shows (tests: the full ID number never shows, SEC-5)."""
        return [w.text() for w in self.findChildren(QLabel) if w.text()]

