"""结算 (F2): the split the buyer agrees to, how the rest is paid, and the change.

The dialog shows the insurer's pre-settlement (统筹基金, 个人账户, 现金 …), lists the
self-paid parts with a consent checkbox when insurance settles (SALE-10), lets the
cashier choose how the rest is paid (cash by default) and shows the change live. Enter
confirms. The confirm button is disabled while the sale completes, so a second click
cannot pay twice (the service also finds the first sale by the cart's token).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.money import format_yuan, parse_decimal
from pharmacy_pos.domain.sale import TENDER_METHODS, PaymentMethod
from pharmacy_pos.domain.settlement import SettlementSplit
from pharmacy_pos.services.sales import CompletedSale
from pharmacy_pos.ui.errors import error_text, show_error
from pharmacy_pos.ui.style import CHANGE_SIZE, TOTAL_STYLE

#: Pays the rest: (method, cash tendered or None for the exact amount, consent) -> sale.
PayFunction = Callable[[PaymentMethod, Decimal | None, bool], CompletedSale]

RED = "#c0392b"

# Labels the domain writes and this dialog translates with self.tr (marked for lupdate):
# SettlementSplit.display_rows() and PaymentMethod.label.
_DOMAIN_LABELS = (
    QT_TRANSLATE_NOOP("PayDialog", "医疗费总额"), QT_TRANSLATE_NOOP("PayDialog", "全自费金额"),
    QT_TRANSLATE_NOOP("PayDialog", "乙类先行自付"), QT_TRANSLATE_NOOP("PayDialog", "符合范围金额"),
    QT_TRANSLATE_NOOP("PayDialog", "起付线自付"), QT_TRANSLATE_NOOP("PayDialog", "统筹基金支付"),
    QT_TRANSLATE_NOOP("PayDialog", "超限额自付"), QT_TRANSLATE_NOOP("PayDialog", "个人账户支付"),
    QT_TRANSLATE_NOOP("PayDialog", "个人现金支付"), QT_TRANSLATE_NOOP("PayDialog", "个人账户余额"),
    QT_TRANSLATE_NOOP("PayDialog", "统筹基金"), QT_TRANSLATE_NOOP("PayDialog", "个人账户"),
    QT_TRANSLATE_NOOP("PayDialog", "现金"), QT_TRANSLATE_NOOP("PayDialog", "微信"),
    QT_TRANSLATE_NOOP("PayDialog", "支付宝"), QT_TRANSLATE_NOOP("PayDialog", "银行卡"),
    QT_TRANSLATE_NOOP("PayDialog", "购物卡/礼券"),
)
AMBER = "#b9770e"


class PayDialog(QDialog):
    """Take the payment for a cart whose split was just pre-settled.

    Emits ``sale_completed`` (CompletedSale) once the sale is recorded, then closes.
    """

    sale_completed = Signal(object)  # CompletedSale

    def __init__(self, split: SettlementSplit, *, insured: bool, pay: PayFunction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("结算"))
        self._split = split
        self._insured = insured
        self._pay = pay
        self._busy = False
        self.completed: CompletedSale | None = None
        self.due = split.psn_cash_pay

        # The split: every row of the 购药清单 when insurance settles, else what is due.
        rows = QFormLayout()
        self.split_rows: list[tuple[str, str]] = []
        shown = (split.display_rows() if insured
                 else [(QT_TRANSLATE_NOOP("PayDialog", "应收金额"), split.psn_cash_pay)])
        for label, amount in shown:
            value = QLabel(format_yuan(amount))
            value.setObjectName(f"split_{len(self.split_rows)}")
            rows.addRow(self.tr(label), value)
            self.split_rows.append((self.tr(label), format_yuan(amount)))
        split_box = QGroupBox(self.tr("医保结算明细") if insured else self.tr("应收"))
        split_box.setLayout(rows)

        self.due_label = QLabel(self.tr("应收现金部分：{0}").format(format_yuan(self.due)))
        self.due_label.setObjectName("due_label")
        self.due_label.setStyleSheet(TOTAL_STYLE)

        # SALE-10: the buyer is told the self-paid parts and agrees before settling.
        notes = split.self_paid_notes() if insured else []
        self.notes_label = QLabel("\n".join(notes))
        self.notes_label.setObjectName("notes_label")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(f"color: {AMBER};")
        self.notes_label.setVisible(bool(notes))
        self.consent_check = QCheckBox(self.tr("已向顾客说明自费部分，顾客同意自费（Alt+C）"))
        self.consent_check.setObjectName("consent_check")
        self.consent_check.setShortcut("Alt+C")
        self.consent_check.setVisible(bool(notes))

        self.method_combo = QComboBox()
        self.method_combo.setObjectName("method_combo")
        for method in TENDER_METHODS:
            self.method_combo.addItem(self.tr(method.label), method.value)
        self.tendered_edit = QLineEdit()
        self.tendered_edit.setObjectName("tendered_edit")
        self.tendered_edit.setPlaceholderText(self.tr("不填按应收金额"))
        self.change_label = QLabel()
        self.change_label.setObjectName("change_label")
        self.change_label.setStyleSheet(f"{CHANGE_SIZE} font-weight: bold;")
        form = QFormLayout()
        form.addRow(self.tr("收款方式"), self.method_combo)
        form.addRow(self.tr("实收金额"), self.tendered_edit)
        form.addRow(self.tr("找零"), self.change_label)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {RED};")
        self.error_label.setVisible(False)

        self.confirm_button = QPushButton(self.tr("确认收款(Enter)"))
        self.confirm_button.setObjectName("confirm_button")
        self.confirm_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消(Esc)"))
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(split_box)
        layout.addWidget(self.due_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.consent_check)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.method_combo.currentIndexChanged.connect(self._on_method_combo_changed)
        self.tendered_edit.textChanged.connect(self._on_tendered_edit_text_changed)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self._show_change()
        self.tendered_edit.setFocus()

    @property
    def method(self) -> PaymentMethod:
        """The means of payment chosen for the rest."""
        return PaymentMethod(self.method_combo.currentData())

    def _on_method_combo_changed(self, _index: int) -> None:
        cash = self.method is PaymentMethod.CASH
        # Other means pay exactly what is due (SALE-2): nothing to type, no change.
        self.tendered_edit.setEnabled(cash)
        if not cash:
            self.tendered_edit.clear()
        self._show_change()

    def _on_tendered_edit_text_changed(self, _text: str) -> None:
        self._show_change()

    def _tendered(self) -> Decimal | None:
        """The cash typed, None when empty (exactly the amount due).

        Raises:
            ValueError: not an amount.
        """
        text = self.tendered_edit.text()
        if self.method is not PaymentMethod.CASH or not text.strip():
            return None
        return parse_decimal(text, max_places=2)

    def _show_change(self) -> None:
        try:
            tendered = self._tendered()
        except ValueError as exc:
            self.change_label.setText(str(exc))
            self.change_label.setStyleSheet(f"color: {RED};")
            return
        if tendered is None:
            self.change_label.setText(format_yuan(Decimal(0)))
            self.change_label.setStyleSheet(f"{CHANGE_SIZE} font-weight: bold;")
            return
        try:
            change = self._split.change_for(tendered)
        except DomainError:
            self.change_label.setText(self.tr("还差 {0}").format(
                format_yuan(self.due - tendered)))
            self.change_label.setStyleSheet(f"color: {RED}; {CHANGE_SIZE}")
            return
        self.change_label.setText(format_yuan(change))
        self.change_label.setStyleSheet(f"{CHANGE_SIZE} font-weight: bold;")

    def _on_confirm_button_clicked(self) -> None:
        if self._busy or self.completed is not None:
            return
        try:
            tendered = self._tendered()
        except ValueError as exc:
            self._show_error_line(self.tr("实收金额：{0}").format(exc))
            return
        method = self.method
        consent = self.consent_check.isChecked()
        self._busy = True
        self.confirm_button.setEnabled(False)
        try:
            sale = self._complete(lambda: self._pay(method, tendered, consent))
        finally:
            self._busy = False
        if sale is None:
            self.confirm_button.setEnabled(True)
            self.tendered_edit.setFocus()
            return
        self.completed = sale
        self.sale_completed.emit(sale)
        self.accept()

    def _complete(self, action: Callable[[], CompletedSale]) -> CompletedSale | None:
        """Pay; a refusal is shown with its rule id, a fault offers 重试."""
        while True:
            try:
                return action()
            except DomainError as exc:
                self._show_error_line(error_text(exc))
                show_error(self, exc)
                return None
            except EnvironmentFault as exc:
                self._show_error_line(error_text(exc))
                if not show_error(self, exc):
                    return None

    def _show_error_line(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
