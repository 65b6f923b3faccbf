"""退货 (SELL): take goods back against a receipt, approved by a store manager (SALE-7).

The cashier scans or types the receipt number (Enter looks it up), types the units to
return per line in the table (F8 fills every line with what may still come back), gives
a reason, and presses F9: the store manager types their user name and password at this
terminal. The return service decides everything (who may approve, how many units remain,
that an insured sale comes back whole); the screen only collects the choice, previews the
refund with the same rounding the service uses, and shows the slip or the refusal.

``ReturnDesk`` holds the sale on screen and the chosen units (no Qt); ``ReturnLinesModel``
adapts its lines to the table; ``ApprovalDialog`` asks for the manager's credentials;
``ReturnView`` is the layout and wires keys to them.

Keys: Enter in the receipt field looks it up; in the table, type a number (or F2) to edit
the units of a line and Enter to keep them; F8 全部退; F9 店长审批并退货; Esc in the
approval dialog cancels (nothing is recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShowEvent
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
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import ZERO, format_yuan
from pharmacy_pos.domain.sale import PaymentMethod, refund_share
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.returns import (
    CompletedReturn,
    ReturnableLine,
    ReturnableSale,
    ReturnService,
)
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.errors import call_guarded, try_credentials
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import CENTER, LEFT, RIGHT

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

Index = QModelIndex | QPersistentModelIndex

#: Reason text kept by the service (longer text is cut there).
MAX_REASON = 200

#: Item-data role giving the most units a line's editor accepts.
MAX_UNITS_ROLE = Qt.ItemDataRole.UserRole + 1


def quantity_text(line: ReturnableLine, units: int) -> str:
    """``48粒`` or ``48粒（2盒）``: minimum units first, whole packages in brackets."""
    text = f"{units}{line.min_unit}"
    if line.units_per_pack > 1 and units and units % line.units_per_pack == 0:
        text += QCoreApplication.translate("ReturnView", "（{0}{1}）").format(
            units // line.units_per_pack, line.package_unit)
    return text


# -- controller (no Qt) ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RefundPreview:
    """What the return would give back, before the manager approves it.

    For an insured sale the fund and personal-account parts are those of the sale (the
    insurer cancels the settlement whole); the service's slip has the final numbers.
    """

    total: Decimal
    fund: Decimal
    account: Decimal
    cash: Decimal
    method: PaymentMethod | None
    line_refunds: Mapping[int, Decimal]


class ReturnDesk:
    """The sale on the return screen and the units chosen per line.

    Every decision is the return service's; the desk only remembers the sale it found and
    the units typed, and previews the refund. Service errors propagate to the view.
    """

    def __init__(self, service: ReturnService, actor: Actor) -> None:
        self._service = service
        self._actor = actor
        self.sale: ReturnableSale | None = None
        self.units: dict[int, int] = {}

    @property
    def locked(self) -> bool:
        """Quantities cannot be chosen: an insured sale comes back whole (SALE-7)."""
        return self.sale is not None and self.sale.insured

    def look_up(self, doc_no: str) -> ReturnableSale:
        """Find the sale by its receipt number and start afresh with it.

        Raises:
            NotFound / DomainError: no such sale in this store, or no number typed.
        """
        sale = self._service.find(self._actor, doc_no)
        self.show(sale)
        return sale

    def show(self, sale: ReturnableSale) -> None:
        """Take ``sale`` as the one on screen; an insured sale is preset to all units."""
        self.sale = sale
        self.units = {line.line_id: 0 for line in sale.lines}
        if sale.insured:
            self.fill_all()

    def clear(self) -> None:
        """Nothing on screen."""
        self.sale = None
        self.units = {}

    def set_units(self, line_id: int, units: int) -> bool:
        """Choose how many units of a line come back; False when out of range or locked."""
        line = self._line(line_id)
        if line is None or self.locked or not 0 <= units <= line.returnable_units:
            return False
        self.units[line_id] = units
        return True

    def fill_all(self) -> None:
        """Every line: everything that may still come back."""
        if self.sale is not None:
            self.units = {line.line_id: line.returnable_units for line in self.sale.lines}

    def chosen(self) -> dict[int, int]:
        """Line id -> units, only the lines with units to return."""
        return {line_id: units for line_id, units in self.units.items() if units}

    def preview(self) -> RefundPreview:
        """The refund of the units chosen, rounded as the service rounds it."""
        sale = self.sale
        if sale is None:
            return RefundPreview(ZERO, ZERO, ZERO, ZERO, None, {})
        parts = {line.line_id: refund_share(line.amount, line.sold_units,
                                            line.returned_units, self.units[line.line_id])
                 for line in sale.lines if self.units.get(line.line_id)}
        total = sum(parts.values(), ZERO)
        fund = sale.fund_pay if sale.insured and parts else ZERO
        account = sale.acct_pay if sale.insured and parts else ZERO
        return RefundPreview(total, fund, account, total - fund - account,
                             sale.tender_method, parts)

    def submit(self, reason: str, approver: str, password: str) -> CompletedReturn:
        """Record the return, approved by ``approver`` (SALE-7); clears the desk on success.

        Raises:
            AuthenticationFailed, PermissionDenied, DomainError, EnvironmentFault: see
                ``ReturnService.return_items``; nothing was recorded.
        """
        if self.sale is None:
            raise DomainError(QCoreApplication.translate(
                "ReturnView", "请先扫描或输入原销售小票号"))
        done = self._service.return_items(
            self._actor, self.sale.doc_no, self.chosen(), reason=reason,
            approver=approver, approver_password=password)
        self.clear()
        return done

    def _line(self, line_id: int) -> ReturnableLine | None:
        if self.sale is None:
            return None
        return next((line for line in self.sale.lines if line.line_id == line_id), None)


# -- table ------------------------------------------------------------------------------------

class ReturnLinesModel(QAbstractTableModel):
    """The sale's lines; the 本次退货 column is editable unless the desk is locked."""

    #: Column of the units to return.
    UNITS = 5
    #: Emitted after the cashier changed a line's units.
    units_edited = Signal()

    def __init__(self, desk: ReturnDesk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._lines: list[ReturnableLine] = []
        self._preview: Mapping[int, Decimal] = {}
        self._titles = [self.tr("商品"), self.tr("已售"), self.tr("已退"), self.tr("可退"),
                        self.tr("金额"), self.tr("本次退货"), self.tr("退款")]

    def reload(self) -> None:
        """Show the desk's sale and units afresh."""
        self.beginResetModel()
        self._lines = list(self._desk.sale.lines) if self._desk.sale else []
        self._preview = self._desk.preview().line_refunds
        self.endResetModel()

    def line_at(self, row: int) -> ReturnableLine:
        """The line shown in ``row``."""
        return self._lines[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt override."""
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt override."""
        return 0 if parent.isValid() else len(self._titles)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Qt override: column titles, row numbers."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._titles[section] if 0 <= section < len(self._titles) else None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override."""
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        units = self._desk.units.get(line.line_id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column, units)
        if role == Qt.ItemDataRole.EditRole and column == self.UNITS:
            return units
        if role == MAX_UNITS_ROLE and column == self.UNITS:
            return line.returnable_units
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column == 0 else (CENTER if column == self.UNITS else RIGHT)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return line.item_code
        return None

    def _text(self, line: ReturnableLine, column: int, units: int) -> str | None:
        if column == 0:
            return line.name
        if column == 1:
            return quantity_text(line, line.sold_units)
        if column == 2:
            return quantity_text(line, line.returned_units)
        if column == 3:
            return quantity_text(line, line.returnable_units)
        if column == 4:
            return format_yuan(line.amount)
        if column == self.UNITS:
            return quantity_text(line, units) if units else ""
        if column == 6:
            part = self._preview.get(line.line_id)
            return format_yuan(part) if part is not None else ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Qt override: the units column is editable while the line has units left."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (index.column() == self.UNITS and not self._desk.locked
                and 0 <= index.row() < len(self._lines)
                and self._lines[index.row()].returnable_units > 0):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any,  # noqa: N802 - Qt override
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Qt override: the units typed for a line, kept when in range."""
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() != self.UNITS or not 0 <= index.row() < len(self._lines)):
            return False
        try:
            units = int(value)
        except (TypeError, ValueError):
            return False
        if not self._desk.set_units(self._lines[index.row()].line_id, units):
            return False
        self.refresh_units()
        self.units_edited.emit()
        return True

    def refresh_units(self) -> None:
        """The desk's units or preview changed: repaint those two columns."""
        if not self._lines:
            return
        self._preview = self._desk.preview().line_refunds
        self.dataChanged.emit(self.index(0, self.UNITS),
                              self.index(len(self._lines) - 1, self.UNITS + 1),
                              [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])


class UnitsDelegate(QStyledItemDelegate):
    """Edits a line's units with a spin box bounded by what may still come back."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        """Qt override."""
        editor = QSpinBox(parent)
        editor.setObjectName("units_editor")
        editor.setRange(0, int(index.data(MAX_UNITS_ROLE) or 0))
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor


# -- approval -----------------------------------------------------------------------------------

#: Records the return with the approver's credentials (user name, password).
Approve = Callable[[str, str], CompletedReturn]


class ApprovalDialog(QDialog):
    """The store manager approves the return at this terminal (SALE-7).

    Enter approves (the default button), Esc cancels; nothing is recorded unless the
    service accepts. A refusal is explained and the dialog stays open for another try.
    """

    returned = Signal(object)  # CompletedReturn

    def __init__(self, approve: Approve, *, summary: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._approve = approve
        self.setWindowTitle(self.tr("店长审批退货"))
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
        form.addRow(self.tr("审批人用户名(&U)"), self.username_edit)
        form.addRow(self.tr("密码(&P)"), self.password_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        hint = QLabel(self.tr("须由收银员以外、有审批权的店长在本机输入用户名和密码。"
                              "Enter 审批并退货，Esc 取消（取消则不退货）"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.approve_button = buttons.addButton(self.tr("审批并退货(Enter)"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("取消(Esc)"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.username_edit.setFocus()

    def _on_approve_button_clicked(self) -> None:
        # Wrong password, not allowed, the cashier themself: another try may do.
        done, result = try_credentials(
            self, self._approve, username_edit=self.username_edit,
            password_edit=self.password_edit, error_label=self.error_label)
        if done:
            self.returned.emit(result)
            self.accept()


# -- view -----------------------------------------------------------------------------------------

class ReturnView(QWidget):
    """The return screen: receipt, lines, reason, refund preview; F8 全部退, F9 审批退货."""

    #: Emitted with the ``CompletedReturn`` after a return is recorded.
    return_completed = Signal(object)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = ReturnDesk(ctx.returns, actor)
        self.approval_dialog: ApprovalDialog | None = None

        title = QLabel(self.tr("退货"))
        title.setStyleSheet(TITLE_STYLE)
        self.doc_edit = QLineEdit()
        self.doc_edit.setObjectName("doc_edit")
        self.doc_edit.setPlaceholderText(self.tr("扫描小票条码或输入小票号，按 Enter 查找"))
        self.doc_edit.setMaxLength(40)
        self.find_button = QPushButton(self.tr("查找(Enter)"))
        self.find_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        doc_label = QLabel(self.tr("原销售小票号(&R)"))
        doc_label.setBuddy(self.doc_edit)
        lookup = QHBoxLayout()
        lookup.addWidget(title)
        lookup.addSpacing(16)
        lookup.addWidget(doc_label)
        lookup.addWidget(self.doc_edit, 1)
        lookup.addWidget(self.find_button)

        self.sale_label = QLabel()
        self.sale_label.setObjectName("sale_label")
        self.sale_label.setWordWrap(True)
        self.insured_label = QLabel(self.tr(
            "医保结算的销售只能整单退货：医保撤销结算为整单撤销，统筹基金和个人账户原路退回。"
            "数量已锁定为全部可退数量；如只退部分药品，请整单退货后重新结算其余药品。"))
        self.insured_label.setObjectName("insured_label")
        self.insured_label.setStyleSheet(ERROR_STYLE)
        self.insured_label.setWordWrap(True)
        self.insured_label.hide()

        self.model = ReturnLinesModel(self.desk, self)
        self.table = QTableView()
        self.table.setObjectName("lines_table")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(ReturnLinesModel.UNITS, UnitsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)

        self.fill_button = QPushButton(self.tr("全部退(F8)"))
        self.fill_button.setObjectName("fill_button")
        self.fill_button.setShortcut(QKeySequence(Qt.Key.Key_F8))
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(self.tr("必填，如：顾客买重了、质量问题"))
        reason_row = QHBoxLayout()
        reason_label = QLabel(self.tr("退货原因(&Y)"))
        reason_label.setBuddy(self.reason_edit)
        reason_row.addWidget(self.fill_button)
        reason_row.addSpacing(16)
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason_edit, 1)

        self.preview_label = QLabel()
        self.preview_label.setObjectName("preview_label")
        self.preview_label.setStyleSheet(TITLE_STYLE)
        self.approve_button = QPushButton(self.tr("店长审批并退货(F9)"))
        self.approve_button.setObjectName("approve_button")
        self.approve_button.setShortcut(QKeySequence(Qt.Key.Key_F9))
        bottom = QHBoxLayout()
        bottom.addWidget(self.preview_label, 1)
        bottom.addWidget(self.approve_button)
        for button in (self.find_button, self.fill_button, self.approve_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the fields

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(self.tr("Enter 查找小票　表格中输入数字或 F2 修改本次退货数量　"
                              "F8 全部退　F9 店长审批并退货"))
        hint.setStyleSheet(FOOTNOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(lookup)
        layout.addWidget(self.sale_label)
        layout.addWidget(self.insured_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(reason_row)
        layout.addLayout(bottom)
        layout.addWidget(self.message_label)
        layout.addWidget(hint)
        QWidget.setTabOrder(self.doc_edit, self.table)
        QWidget.setTabOrder(self.table, self.reason_edit)

        self.doc_edit.returnPressed.connect(self._on_doc_edit_return_pressed)
        self.find_button.clicked.connect(self._on_doc_edit_return_pressed)
        self.fill_button.clicked.connect(self._on_fill_button_clicked)
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.reason_edit.returnPressed.connect(self._on_approve_button_clicked)
        self.model.units_edited.connect(self._on_model_units_edited)
        self.setFocusProxy(self.doc_edit)
        self._show_desk()

    # -- showing --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The receipt field has the focus whenever the screen appears."""
        super().showEvent(event)
        if self.desk.sale is None:
            self.doc_edit.setFocus()

    def show_sale(self, sale: ReturnableSale) -> None:
        """Put ``sale`` on screen (as found by the service) and go to its first line."""
        self.desk.show(sale)
        self._show_found(sale)

    def _show_found(self, sale: ReturnableSale) -> None:
        self.message_label.clear()
        self._show_desk()
        if sale.fully_returned:
            self._say(self.tr("此单已全部退货（{0}），没有可退的商品").format(
                self.tr("、", "list separator").join(sale.earlier_returns)), error=True)
            self.doc_edit.setFocus()
            self.doc_edit.selectAll()
        elif self.desk.locked:
            self.reason_edit.setFocus()
        else:
            row = next(row for row, line in enumerate(sale.lines) if line.returnable_units)
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(row, ReturnLinesModel.UNITS))

    def _show_desk(self) -> None:
        sale = self.desk.sale
        self.model.reload()
        self.insured_label.setVisible(self.desk.locked)
        self.fill_button.setEnabled(sale is not None and not self.desk.locked
                                    and not sale.fully_returned)
        self.approve_button.setEnabled(sale is not None and not sale.fully_returned)
        self.reason_edit.setEnabled(sale is not None)
        if sale is None:
            self.sale_label.setText(self.tr("请扫描或输入原销售小票号"))
        else:
            paid = [self.tr("合计 {0}").format(format_yuan(sale.total))]
            if sale.fund_pay:
                paid.append(self.tr("统筹基金 {0}").format(format_yuan(sale.fund_pay)))
            if sale.acct_pay:
                paid.append(self.tr("个人账户 {0}").format(format_yuan(sale.acct_pay)))
            if sale.cash_pay:
                paid.append(self.tr("{0} {1}").format(self._method_label(sale.tender_method),
                                                      format_yuan(sale.cash_pay)))
            text = self.tr("小票 {0}　{1}　收银员 {2}　{3}　{4}").format(
                sale.doc_no, local_text(sale.completed_at), sale.cashier,
                self.tr("医保结算") if sale.insured else self.tr("自费"),
                self.tr("，", "list separator").join(paid))
            if sale.earlier_returns:
                text += "\n" + self.tr("已有退货单：{0}").format(
                    self.tr("、", "list separator").join(sale.earlier_returns))
            self.sale_label.setText(text)
        self._show_preview()

    def _show_preview(self) -> None:
        preview = self.desk.preview()
        if self.desk.sale is None or not preview.line_refunds:
            self.preview_label.setText(self.tr("退款预览：{0}").format(format_yuan(ZERO)))
            return
        parts = []
        if preview.fund:
            parts.append(self.tr("统筹基金 {0}").format(format_yuan(preview.fund)))
        if preview.account:
            parts.append(self.tr("个人账户 {0}").format(format_yuan(preview.account)))
        if preview.cash:
            parts.append(self.tr("{0} {1}").format(self._method_label(preview.method),
                                                   format_yuan(preview.cash)))
        self.preview_label.setText(self.tr("退款预览：{0}（{1}）").format(
            format_yuan(preview.total), self.tr("，", "list separator").join(parts)))

    def _method_label(self, method: PaymentMethod | None) -> str:
        return labels.label(method if method is not None else PaymentMethod.CASH)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    # -- looking up -------------------------------------------------------------------------

    def _on_doc_edit_return_pressed(self) -> None:
        doc_no = self.doc_edit.text()
        if not doc_no.strip():
            self._say(self.tr("请扫描或输入原销售小票号"), error=True)
            return
        sale = call_guarded(self, lambda: self.desk.look_up(doc_no))
        if sale is None:
            # Refused (the box said why): empty the screen so nothing of an older sale stays.
            self.desk.clear()
            self._show_desk()
            self._say(self.tr("没有打开小票“{0}”：请核对小票号后重新扫描").format(doc_no.strip()),
                      error=True)
            self.doc_edit.setFocus()
            self.doc_edit.selectAll()
            return
        self._show_found(sale)

    # -- choosing -------------------------------------------------------------------------------

    def _on_model_units_edited(self) -> None:
        self._show_preview()

    def _on_fill_button_clicked(self) -> None:
        if self.desk.sale is None or self.desk.locked:
            return
        self.desk.fill_all()
        self.model.refresh_units()
        self._show_preview()
        self.reason_edit.setFocus()

    # -- approving ------------------------------------------------------------------------------

    def _on_approve_button_clicked(self) -> None:
        sale = self.desk.sale
        if sale is None or self.approval_dialog is not None:
            return
        # The service refuses these too; asking first spares the manager a wasted login.
        if not self.desk.chosen():
            self._say(self.tr("请在表格中填写本次退货数量（F8 全部退）"), error=True)
            self.table.setFocus()
            return
        reason = self.reason_edit.text()
        if not reason.strip():
            self._say(self.tr("请填写退货原因"), error=True)
            self.reason_edit.setFocus()
            return
        preview = self.desk.preview()
        summary = self.tr("原小票 {0}，退 {1} 项商品，退款 {2}。\n原因：{3}").format(
            sale.doc_no, len(preview.line_refunds), format_yuan(preview.total), reason.strip())
        dialog = ApprovalDialog(
            lambda username, password: self.desk.submit(reason, username, password),
            summary=summary, parent=self)
        dialog.returned.connect(self._on_approval_dialog_returned)
        dialog.finished.connect(self._on_approval_dialog_finished)
        self.approval_dialog = dialog
        dialog.open()

    def _on_approval_dialog_returned(self, done: CompletedReturn) -> None:
        parts = [self.tr("统筹基金 {0}").format(format_yuan(done.fund_returned)),
                 self.tr("个人账户 {0}").format(format_yuan(done.acct_returned)),
                 self.tr("{0} {1}").format(self._method_label(done.refund_method),
                                           format_yuan(done.cash_refund))]
        self._say(self.tr("退货完成：退货单 {0}（原小票 {1}），退款合计 {2}：{3}。审批人：{4}")
                  .format(done.doc_no, done.original_doc_no, format_yuan(done.refund_total),
                          self.tr("，", "list separator").join(parts), done.approved_by))
        self.doc_edit.clear()
        self.reason_edit.clear()
        self._show_desk()
        self.return_completed.emit(done)

    def _on_approval_dialog_finished(self, _result: int) -> None:
        dialog, self.approval_dialog = self.approval_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if self.desk.sale is None:
            self.doc_edit.setFocus()
        else:
            self.reason_edit.setFocus()
