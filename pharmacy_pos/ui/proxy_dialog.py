"""代购登记 (ID-5): someone buys with another person's card.

Both ID numbers are recorded (the buyer's and the insured person's, typed from the
documents shown, never taken over from the card) and, for a bed-ridden holder, the
reference of the diagnosis certificate or outpatient record. The service checks every
item; the dialog lists every problem at once and records nothing until all are right.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, ValidationFailed
from pharmacy_pos.domain.identity import ProxyPurchase
from pharmacy_pos.ui.errors import error_text, show_error
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE

#: Records a declaration for the card read on screen; raises ValidationFailed if incomplete.
DeclareProxy = Callable[[ProxyPurchase], None]


class ProxyDialog(QDialog):
    """Collects a proxy purchase; emits ``proxy_declared`` and closes once it is recorded.

    Enter saves (the default button), Escape cancels; nothing is recorded on cancel.
    """

    proxy_declared = Signal(object)  # ProxyPurchase

    def __init__(
        self, declare: DeclareProxy, *, holder_text: str, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._declare = declare
        self.setWindowTitle(self.tr("代购登记"))
        self.setMinimumWidth(480)

        intro = QLabel(
            self.tr("为他人购药（代购）须登记购药人和参保人的身份证号；参保人卧床不能"
                    "亲自购药的，另须登记诊断证明或门诊病历的编号。\n社保卡：{0}")
            .format(holder_text)
        )
        intro.setWordWrap(True)
        self.buyer_id_edit = QLineEdit()
        self.buyer_id_edit.setObjectName("buyer_id_edit")
        self.buyer_id_edit.setPlaceholderText(self.tr("18 位，可扫描证件"))
        self.buyer_id_edit.setMaxLength(18)
        self.buyer_name_edit = QLineEdit()
        self.buyer_name_edit.setObjectName("buyer_name_edit")
        self.insured_id_edit = QLineEdit()
        self.insured_id_edit.setObjectName("insured_id_edit")
        self.insured_id_edit.setPlaceholderText(self.tr("按参保人的身份证件录入"))
        self.insured_id_edit.setMaxLength(18)
        self.bedridden_check = QCheckBox(self.tr("参保人卧床，不能亲自购药(&B)"))
        self.bedridden_check.setObjectName("bedridden_check")
        self.certificate_edit = QLineEdit()
        self.certificate_edit.setObjectName("certificate_edit")
        self.certificate_edit.setPlaceholderText(self.tr("诊断证明或门诊病历的编号"))
        self.certificate_edit.setEnabled(False)

        form = QFormLayout()
        form.addRow(self.tr("购药人身份证号(&I)"), self.buyer_id_edit)
        form.addRow(self.tr("购药人姓名(&N)"), self.buyer_name_edit)
        form.addRow(self.tr("参保人身份证号(&P)"), self.insured_id_edit)
        form.addRow("", self.bedridden_check)
        form.addRow(self.tr("证明编号(&C)"), self.certificate_edit)

        hint = QLabel(self.tr("Enter 登记，Esc 取消（取消则不登记任何内容）"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("登记"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("取消"),
                                               QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(hint)
        layout.addWidget(buttons)

        self.bedridden_check.toggled.connect(self._on_bedridden_check_toggled)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.buyer_id_edit.setFocus()

    def purchase(self) -> ProxyPurchase:
        """The declaration as typed so far."""
        return ProxyPurchase(
            buyer_id_number=self.buyer_id_edit.text(),
            buyer_name=self.buyer_name_edit.text(),
            insured_id_number=self.insured_id_edit.text(),
            bedridden=self.bedridden_check.isChecked(),
            certificate_ref=self.certificate_edit.text() if self.bedridden_check.isChecked()
            else "",
        )

    def _on_bedridden_check_toggled(self, checked: bool) -> None:
        self.certificate_edit.setEnabled(checked)
        if checked:
            self.certificate_edit.setFocus()

    def _on_save_button_clicked(self) -> None:
        purchase = self.purchase()
        while True:
            try:
                self._declare(purchase)
            except ValidationFailed as exc:
                # Every problem at once; the form stays as typed.
                self.error_label.setText("\n".join(
                    [str(exc), *(f"• {problem.message}" for problem in exc.problems)]
                ))
                self.adjustSize()
                return
            except DomainError as exc:
                self.error_label.setText(error_text(exc))
                self.adjustSize()
                return
            except EnvironmentFault as exc:
                if show_error(self, exc):
                    continue
                return
            break
        self.error_label.clear()
        self.proxy_declared.emit(purchase)
        self.accept()
