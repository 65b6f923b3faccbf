"""盘点 (COUNT_STOCK, INV-4): start or resume a stock-take, count by scanning, approve.

The counter presses F2 to start (an open stock-take of the store is resumed by itself,
in a new session), scans a product's barcode (Enter), chooses the lot in the list (Enter;
a product with one lot skips this), types the count and presses Enter. F4 switches
between counting minimum units (粒/片) and packages (盒/瓶). The header shows how many
batches are counted and how many of the snapshot are not. F5 shows the difference list
(units and value at purchase price) and the uncounted batches; F9 asks a store manager
to approve at this terminal with their password (gain and loss entries are booked for
counted batches only); F10 cancels the stock-take (a manager too, with a reason).

``StocktakeDesk`` holds the open stock-take and the scanned product (no Qt);
``CredentialsDialog`` asks for the manager; ``StocktakeView`` is the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.stocktake import DifferenceLine, DifferenceList, parse_count
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.stocktake import (
    ApprovalResult,
    CountResult,
    LotRow,
    StocktakeInfo,
    StocktakeService,
    UncountedRow,
)
from pharmacy_pos.ui.errors import call_guarded, error_text, show_error, try_credentials
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import RIGHT, Column, DtoTableModel


def signed_yuan(value: Any) -> str:
    """``+¥0.50`` for a gain, ``-¥12.00`` for a loss."""
    return ("+" if value > 0 else "") + format_yuan(value)


# -- controller (no Qt) ---------------------------------------------------------------------

class StocktakeDesk:
    """The stock-take this terminal counts in and the product just scanned.

    Every decision is the service's; the desk remembers what is on screen.
    """

    def __init__(self, service: StocktakeService, actor: Actor) -> None:
        self.service = service
        self.actor = actor
        self.info: StocktakeInfo | None = None
        self.barcode = ""
        self.lots: list[LotRow] = []
        self.chosen: LotRow | None = None

    def resume_open(self) -> StocktakeInfo | None:
        """Pick up the store's open stock-take, if any, in a new session."""
        if self.info is not None and self.info.decision is None:
            self.info = self.service.info(self.actor, self.info.stocktake_id,
                                          self.info.session_no)
            return self.info
        open_ones = self.service.open_stocktakes(self.actor)
        self.info = (self.service.resume(self.actor, open_ones[0].stocktake_id)
                     if open_ones else None)
        return self.info

    def start(self) -> StocktakeInfo:
        """Take the snapshot and open a stock-take."""
        self.info = self.service.start(self.actor)
        self._forget_product()
        return self.info

    def scan(self, barcode: str) -> list[LotRow]:
        """The lots of the scanned product (one lot is chosen at once)."""
        info = self._open()
        self.lots = self.service.lots(self.actor, info.stocktake_id, barcode)
        self.barcode = barcode.strip()
        self.chosen = self.lots[0] if len(self.lots) == 1 else None
        return self.lots

    def choose(self, row: int) -> LotRow:
        """Choose the lot in ``row`` of the list."""
        self.chosen = self.lots[row]
        return self.chosen

    def record(self, text: str, *, in_packs: bool) -> CountResult:
        """Record the typed count for the chosen lot."""
        info = self._open()
        if self.chosen is None:
            raise DomainError(QCoreApplication.translate(
                "StocktakeView", "请先扫描商品条码并选择批号"), rule_id="INV-4")
        quantity = parse_count(text)
        result = self.service.count(self.actor, info.stocktake_id, self.chosen.batch_id,
                                    quantity, in_packs=in_packs, session_no=info.session_no)
        self.info = result.info
        self._forget_product()
        return result

    def differences(self) -> tuple[DifferenceList, list[UncountedRow]]:
        """The difference list and the batches not counted."""
        info = self._stocktake()
        return (self.service.differences(self.actor, info.stocktake_id),
                self.service.uncounted(self.actor, info.stocktake_id))

    def approve(self, username: str, password: str, note: str,
                seen_count_id: int | None) -> ApprovalResult:
        """The manager approves what they saw."""
        info = self._open()
        result = self.service.approve(self.actor, info.stocktake_id, approver=username,
                                      approver_password=password, note=note,
                                      seen_count_id=seen_count_id)
        self.info = self.service.info(self.actor, info.stocktake_id, info.session_no)
        return result

    def cancel(self, username: str, password: str, reason: str) -> None:
        """The manager cancels the stock-take."""
        info = self._open()
        self.service.cancel(self.actor, info.stocktake_id, approver=username,
                            approver_password=password, reason=reason)
        self.info = self.service.info(self.actor, info.stocktake_id, info.session_no)
        self._forget_product()

    def _forget_product(self) -> None:
        self.barcode, self.lots, self.chosen = "", [], None

    def _stocktake(self) -> StocktakeInfo:
        if self.info is None:
            raise DomainError(QCoreApplication.translate(
                "StocktakeView", "没有进行中的盘点：请按 F2 开始盘点"), rule_id="INV-4")
        return self.info

    def _open(self) -> StocktakeInfo:
        info = self._stocktake()
        if info.decision is not None:
            raise DomainError(QCoreApplication.translate(
                "StocktakeView", "盘点单 {0} 已结束：请按 F2 开始新的盘点").format(info.doc_no),
                rule_id="INV-4")
        return info


# -- the manager at the terminal ------------------------------------------------------------

#: Runs the closing with (user name, password, note); returns what the view reports.
Closing = Callable[[str, str, str], object]


class CredentialsDialog(QDialog):
    """A store manager approves or cancels at this terminal with their password.

    Enter confirms, Esc cancels (nothing is recorded). A refusal is shown in the dialog,
    which stays open for another try.
    """

    done = Signal(object)

    def __init__(self, action: Closing, *, title: str, summary: str, note_label: str,
                 confirm: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        intro = QLabel(summary)
        intro.setObjectName("summary_label")
        intro.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("username_edit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setMaxLength(200)
        form = QFormLayout()
        form.addRow(self.tr("店长用户名(&U)"), self.username_edit)
        form.addRow(self.tr("密码(&P)"), self.password_edit)
        form.addRow(note_label, self.note_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.confirm_button = buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("取消(Esc)"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.username_edit.setFocus()

    def _on_confirm_button_clicked(self) -> None:
        # Wrong password, not allowed, the cashier themself: another try may do.
        note = self.note_edit.text()
        done, result = try_credentials(
            self, lambda username, password: self._action(username, password, note),
            username_edit=self.username_edit, password_edit=self.password_edit,
            error_label=self.error_label)
        if done:
            self.done.emit(result)
            self.accept()


# -- view -----------------------------------------------------------------------------------

class StocktakeView(QWidget):
    """The counting screen: F2 start, scan, lot, count; F5 differences; F9 approve."""

    #: Emitted with the ``ApprovalResult`` once a manager approved.
    stocktake_approved = Signal(object)

    def __init__(self, service: StocktakeService, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = StocktakeDesk(service, actor)
        self.dialog: CredentialsDialog | None = None
        self._seen_count_id: int | None = None

        title = QLabel(self.tr("盘点"))
        title.setStyleSheet(TITLE_STYLE)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.start_button = QPushButton(self.tr("开始盘点(F2)"))
        self.start_button.setObjectName("start_button")
        self.start_button.setShortcut(QKeySequence(Qt.Key.Key_F2))
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(16)
        header.addWidget(self.status_label, 1)
        header.addWidget(self.start_button)

        self.barcode_edit = QLineEdit()
        self.barcode_edit.setObjectName("barcode_edit")
        self.barcode_edit.setPlaceholderText(self.tr("扫描商品条码，按 Enter"))
        self.barcode_edit.setMaxLength(20)
        barcode_label = QLabel(self.tr("商品条码(&B)"))
        barcode_label.setBuddy(self.barcode_edit)
        self.lots_model = DtoTableModel([
            Column(self.tr("品名"), lambda r: f"{r.name} {r.specification}"),
            Column(self.tr("批号"), lambda r: r.lot_no),
            Column(self.tr("有效期"), lambda r: r.expiry_date.isoformat()),
            Column(self.tr("账面(开始时)"),
                   lambda r: "—" if r.book_units is None else f"{r.book_units}{r.min_unit}",
                   RIGHT),
            Column(self.tr("已盘"), lambda r: "" if r.counted_units is None
                   else f"{r.counted_units}{r.min_unit}", RIGHT),
        ], self)
        self.lots_table = QTableView()
        self.lots_table.setObjectName("lots_table")
        self.lots_table.setModel(self.lots_model)
        self._table_defaults(self.lots_table)
        self.lots_table.setMaximumHeight(150)

        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosen_label")
        self.count_edit = QLineEdit()
        self.count_edit.setObjectName("count_edit")
        self.count_edit.setPlaceholderText(self.tr("实盘数量，按 Enter"))
        self.count_edit.setMaxLength(12)
        count_label = QLabel(self.tr("实盘数量(&Q)"))
        count_label.setBuddy(self.count_edit)
        self.packs_check = QCheckBox(self.tr("按包装计数(F4)"))
        self.packs_check.setObjectName("packs_check")
        self.packs_check.setShortcut(QKeySequence(Qt.Key.Key_F4))
        self.packs_check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        entry = QHBoxLayout()
        entry.addWidget(barcode_label)
        entry.addWidget(self.barcode_edit, 1)
        entry.addSpacing(16)
        entry.addWidget(count_label)
        entry.addWidget(self.count_edit)
        entry.addWidget(self.packs_check)

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)

        self.diff_model = DtoTableModel([
            Column(self.tr("编码"), lambda d: d.item_code),
            Column(self.tr("品名"), lambda d: d.name),
            Column(self.tr("批号"), lambda d: d.lot_no),
            Column(self.tr("账面"), lambda d: f"{d.book_units}{d.min_unit}", RIGHT),
            Column(self.tr("实盘"), lambda d: f"{d.counted_units}{d.min_unit}", RIGHT),
            Column(self.tr("差异"), _difference_text, RIGHT),
            Column(self.tr("金额(进价)"), lambda d: signed_yuan(d.value), RIGHT),
        ], self)
        self.diff_table = QTableView()
        self.diff_table.setObjectName("diff_table")
        self.diff_table.setModel(self.diff_model)
        self._table_defaults(self.diff_table)
        self.uncounted_model = DtoTableModel([
            Column(self.tr("编码"), lambda u: u.item_code),
            Column(self.tr("品名"), lambda u: u.name),
            Column(self.tr("批号"), lambda u: u.lot_no),
            Column(self.tr("账面"), lambda u: f"{u.book_units}{u.min_unit}", RIGHT),
        ], self)
        self.uncounted_table = QTableView()
        self.uncounted_table.setObjectName("uncounted_table")
        self.uncounted_table.setModel(self.uncounted_model)
        self._table_defaults(self.uncounted_table)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.diff_table, self.tr("差异表（已盘批次）"))
        self.tabs.addTab(self.uncounted_table, self.tr("未盘批次（不调整）"))
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals_label")

        self.refresh_button = QPushButton(self.tr("差异表(F5)"))
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.approve_button = QPushButton(self.tr("店长审批入账(F9)"))
        self.approve_button.setObjectName("approve_button")
        self.approve_button.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.cancel_button = QPushButton(self.tr("作废盘点(F10)"))
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setShortcut(QKeySequence(Qt.Key.Key_F10))
        for button in (self.start_button, self.refresh_button, self.approve_button,
                       self.cancel_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        actions = QHBoxLayout()
        actions.addWidget(self.totals_label, 1)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.approve_button)
        actions.addWidget(self.cancel_button)
        hint = QLabel(self.tr(
            "差异 = 实盘 − 盘点时账面（开始时账面 + 其后至清点时的进出），"
            "盘点期间照常销售不算盘亏。审批只调整已盘批次，未盘批次保持账面数。"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(entry)
        layout.addWidget(self.lots_table)
        layout.addWidget(self.chosen_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(actions)
        layout.addWidget(hint)

        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.barcode_edit.returnPressed.connect(self._on_barcode_edit_return_pressed)
        self.lots_table.activated.connect(self._on_lots_table_activated)
        self.count_edit.returnPressed.connect(self._on_count_edit_return_pressed)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.refresh()

    @staticmethod
    def _table_defaults(table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)

    # -- showing --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Pick up the open stock-take (the main window calls this when shown again)."""
        call_guarded(self, self.desk.resume_open)
        self._show_status()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Qt override: the scanner types into the barcode field."""
        super().showEvent(event)
        self.barcode_edit.setFocus()

    def _show_status(self) -> None:
        info = self.desk.info
        counting = info is not None and info.decision is None
        self.start_button.setEnabled(not counting)
        for widget in (self.barcode_edit, self.count_edit, self.approve_button,
                       self.cancel_button):
            widget.setEnabled(counting)
        if info is None:
            self.status_label.setText(self.tr("没有进行中的盘点，按 F2 开始（开始时记录账面库存）"))
            return
        if info.decision is not None:
            state = self.tr("已审批入账") if info.decision == "approved" else self.tr("已作废")
            self.status_label.setText(self.tr("盘点单 {0} {1}。按 F2 开始新的盘点")
                                      .format(info.doc_no, state))
            return
        self.status_label.setText(self.tr(
            "盘点单 {0}（{1} 由 {2} 开始）第 {3} 次盘点：已盘 {4} 批，账面 {5} 批中未盘 {6} 批")
            .format(info.doc_no, local_text(info.started_at), info.started_by,
                    info.session_no, info.counted_batches, info.book_batches,
                    info.uncounted_batches))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)

    def _show_chosen(self) -> None:
        lot = self.desk.chosen
        if lot is None:
            self.chosen_label.setText("")
            return
        unit = lot.package_unit if self.packs_check.isChecked() else lot.min_unit
        self.chosen_label.setText(self.tr(
            "正在盘点：{0} {1} 批号 {2}（每{3} {4}{5}），数量单位：{6}").format(
            lot.name, lot.specification, lot.lot_no, lot.package_unit, lot.units_per_pack,
            lot.min_unit, unit))

    # -- starting and counting --------------------------------------------------------------

    def _on_start_button_clicked(self) -> None:
        info = call_guarded(self, self.desk.start)
        if info is not None:
            self._say(self.tr("已开始盘点 {0}：记录了 {1} 个批次的账面库存").format(
                info.doc_no, info.book_batches))
            self.lots_model.set_rows([])
            self.diff_model.set_rows([])
            self.uncounted_model.set_rows([])
            self.totals_label.clear()
            self._seen_count_id = None
        self._show_status()
        self.barcode_edit.setFocus()

    def _on_barcode_edit_return_pressed(self) -> None:
        code = self.barcode_edit.text().strip()
        if not code:
            return
        try:
            lots = self.desk.scan(code)
        except DomainError as exc:
            self._say(error_text(exc), error=True)
            self.barcode_edit.selectAll()
            return
        except EnvironmentFault as exc:
            show_error(self, exc)
            return
        self.lots_model.set_rows(lots)
        self._show_chosen()
        if self.desk.chosen is not None:
            self.lots_table.selectRow(0)
            self._say(self.tr("请输入实盘数量"))
            self.count_edit.setFocus()
        else:
            self._say(self.tr("该商品有 {0} 个批次：用 ↑↓ 选择药盒上的批号，按 Enter")
                      .format(len(lots)))
            self.lots_table.setFocus()
            self.lots_table.selectRow(0)

    def _on_lots_table_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.desk.choose(index.row())
        self._show_chosen()
        self.count_edit.setFocus()

    def _on_count_edit_return_pressed(self) -> None:
        text = self.count_edit.text()
        in_packs = self.packs_check.isChecked()
        try:
            result = self.desk.record(text, in_packs=in_packs)
        except DomainError as exc:
            self._say(error_text(exc), error=True)
            self.count_edit.selectAll()
            return
        except EnvironmentFault as exc:
            show_error(self, exc)
            return
        replaced = ("" if result.previous_units is None else
                    self.tr("（替换之前的 {0}{1}）").format(result.previous_units,
                                                      result.min_unit))
        self._say(self.tr("已记录：{0} 批号 {1} 实盘 {2}{3}{4}").format(
            result.name, result.lot_no, result.units, result.min_unit, replaced))
        self.count_edit.clear()
        self.barcode_edit.clear()
        self.lots_model.set_rows([])
        self.packs_check.setChecked(False)
        self._show_chosen()
        self._show_status()
        self.barcode_edit.setFocus()

    # -- differences and closing ------------------------------------------------------------

    def _on_refresh_button_clicked(self) -> None:
        if self.desk.info is None:
            self._say(self.tr("没有进行中的盘点：请按 F2 开始盘点"), error=True)
            return
        # The counts as of now, read before the list: a count arriving in between makes
        # the approval refuse (seen_count_id) rather than approve numbers nobody saw.
        info = call_guarded(self, self.desk.resume_open)
        found = call_guarded(self, self.desk.differences) if info is not None else None
        if info is None or found is None:
            self._show_status()
            return
        diffs, uncounted = found
        self._seen_count_id = info.last_count_id
        self.diff_model.set_rows(list(diffs.lines))
        self.uncounted_model.set_rows(uncounted)
        self.totals_label.setText(self.tr(
            "已盘 {0} 批，有差异 {1} 批：盘盈 {2}，盘亏 {3}，净额 {4}；未盘 {5} 批不调整").format(
            diffs.counted_batches, len(diffs.lines), format_yuan(diffs.gain_value),
            format_yuan(diffs.loss_value), signed_yuan(diffs.net_value), len(uncounted)))
        self._show_status()

    def _on_approve_button_clicked(self) -> None:
        info = self.desk.info
        if info is None or info.decision is not None or self.dialog is not None:
            return
        if self._seen_count_id is None or self._seen_count_id != info.last_count_id:
            self._on_refresh_button_clicked()
        if self.desk.info is None or self._seen_count_id is None:
            return
        summary = self.tr(
            "盘点单 {0}：{1}\n审批后按差异生成盘盈、盘亏分录（只调整已盘批次）。").format(
            info.doc_no, self.totals_label.text())
        seen = self._seen_count_id
        self._open_dialog(CredentialsDialog(
            lambda username, password, note: self.desk.approve(username, password, note, seen),
            title=self.tr("店长审批盘点"), summary=summary, note_label=self.tr("审批意见(&N)"),
            confirm=self.tr("审批入账(Enter)"), parent=self), self._on_approved)

    def _on_cancel_button_clicked(self) -> None:
        info = self.desk.info
        if info is None or info.decision is not None or self.dialog is not None:
            return
        summary = self.tr("作废盘点单 {0}：不生成任何库存分录，已录入的盘点记录保留备查。").format(
            info.doc_no)
        self._open_dialog(CredentialsDialog(
            lambda username, password, reason: self.desk.cancel(username, password, reason),
            title=self.tr("店长作废盘点"), summary=summary, note_label=self.tr("作废原因(&N)"),
            confirm=self.tr("作废(Enter)"), parent=self), self._on_cancelled)

    def _open_dialog(self, dialog: CredentialsDialog, on_done: Callable[[Any], None]) -> None:
        dialog.done.connect(on_done)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_approved(self, result: ApprovalResult) -> None:
        self._say(self.tr("盘点单 {0} 已由 {1} 审批入账：{2} 条盘盈/盘亏分录，盘盈 {3}，盘亏 {4}；"
                          "未盘 {5} 批未调整").format(
            result.doc_no, result.approved_by, result.entries, format_yuan(result.gain_value),
            format_yuan(result.loss_value), result.uncounted_batches))
        self._show_status()
        self.stocktake_approved.emit(result)

    def _on_cancelled(self, _result: object) -> None:
        self._say(self.tr("盘点单已作废，未调整任何库存"))
        self.diff_model.set_rows([])
        self.uncounted_model.set_rows([])
        self.totals_label.clear()
        self._show_status()

    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.barcode_edit.setFocus()


# DifferenceLine.kind as the domain writes it, marked for lupdate.
_DIFFERENCE_KINDS = (QT_TRANSLATE_NOOP("StocktakeView", "盘盈"),
                     QT_TRANSLATE_NOOP("StocktakeView", "盘亏"),
                     QT_TRANSLATE_NOOP("StocktakeView", "相符"))


def _difference_text(line: DifferenceLine) -> str:
    if not line.difference:
        return "0"
    return QCoreApplication.translate("StocktakeView", "{0}{1}（{2}）").format(
        f"{line.difference:+d}", line.min_unit,
        QCoreApplication.translate("StocktakeView", line.kind))
