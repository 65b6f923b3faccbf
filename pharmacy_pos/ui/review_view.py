"""处方审核: the pharmacist's queue of prescriptions sent by the tills (RX-2, RX-5).

Every terminal on the same database sees the same queue; this screen re-reads it every
few seconds while it is shown, and on F5. The selected prescription is shown as written
(header and items), with the drugs the cashier will dispense and what the rules say
about them. F9 signs it (审核通过), F10 refuses it with a reason. The service decides
who may sign and what a refusal needs; the screen only collects the choice and shows
the service's refusal with its rule id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.identity import Finding
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.sale import RefusalReason, ReviewDecision
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.sales import QueueEntry, ReviewDetail, ReviewState
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.errors import call_guarded, error_text
from pharmacy_pos.ui.rule_texts import explained
from pharmacy_pos.ui.style import ERROR_STYLE, FOOTNOTE_STYLE, TITLE_STYLE
from pharmacy_pos.ui.table_model import CENTER, RIGHT, Column, DtoTableModel, Index

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

#: How often the queue is re-read while the screen is shown (other tills submit).
REFRESH_MS = 5_000

#: Signs or refuses the prescription a dialog was opened for.
Decide = Callable[..., ReviewState]

_PENDING_BACKGROUND = QColor("#fff3cd")
_BLOCKING_FOREGROUND = QColor("#c0392b")




# lupdate reads translate("<context>", "<text>") only with both literal, so each call
# names its context (a variable context or a wrapper hides the string from it).
translate = QCoreApplication.translate


def _source_text(source: str) -> str:
    labels = {"paper": translate("ReviewView", "纸质"),
              "electronic": translate("ReviewView", "电子"),
              "internal": translate("ReviewView", "本店")}
    return labels.get(source, source)


def _state_text(entry: QueueEntry) -> str:
    text = labels.label(entry.decision)
    if entry.reviewer:
        text = translate("ReviewView", "{0}（{1}）").format(text, entry.reviewer)
    if entry.dispensed:
        text = translate("ReviewView", "{0}，已调配").format(text)
    return text


class QueueModel(DtoTableModel):
    """The review queue: one row per :class:`QueueEntry`, pending rows highlighted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("提交时间"), lambda e: local_text(e.submitted_at)),
            Column(self.tr("终端"), lambda e: e.terminal_id, CENTER),
            Column(self.tr("收银员"), lambda e: e.cashier),
            Column(self.tr("患者"), lambda e: e.patient_name),
            Column(self.tr("医疗机构"), lambda e: e.institution_name),
            Column(self.tr("医师"), lambda e: e.physician_name),
            Column(self.tr("诊断"), lambda e: e.diagnosis),
            Column(self.tr("来源"), lambda e: _source_text(e.source), CENTER),
            Column(self.tr("状态"), lambda e: _state_text(e)),
        ])

    def pending_count(self) -> int:
        """How many rows wait for a pharmacist."""
        return sum(1 for e in self.rows() if e.decision is ReviewDecision.PENDING)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: as the base model, plus a background on pending rows."""
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.isValid() and 0 <= index.row() < self.rowCount():
                entry = self.row_at(index.row())
                if entry.decision is ReviewDecision.PENDING:
                    return _PENDING_BACKGROUND
            return None
        return super().data(index, role)


def _finding_colour(finding: Finding) -> QColor | None:
    return _BLOCKING_FOREGROUND if finding.blocks else None


def _table(name: str, model: DtoTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


class ApproveDialog(QDialog):
    """Confirms 审核通过: the pharmacist signs with their name; emits ``decided``."""

    decided = Signal(object)  # ReviewState

    def __init__(self, detail: ReviewDetail, signer: str, approve: Callable[[], ReviewState],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._approve = approve
        self.setWindowTitle(self.tr("审核通过：药师签字"))
        self.setMinimumWidth(440)
        entry = detail.entry
        question = QLabel(self.tr(
            "处方 {0}（患者 {1}，{2}，医师 {3}）\n经本人审核，同意调配。"
        ).format(detail.rx_no or "-", entry.patient_name, entry.institution_name,
                 entry.physician_name))
        question.setWordWrap(True)
        self.signature_label = QLabel(self.tr("审核药师签字：{0}").format(signer))
        self.signature_label.setObjectName("signature_label")
        self.signature_label.setStyleSheet(TITLE_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        blocking = [f for f in detail.findings if f.blocks]
        if blocking:
            # The till will still refuse to settle these; the pharmacist should know.
            warning = QLabel(self.tr("注意：有 {0} 项禁止性提示，收银时仍将被拦截。")
                             .format(len(blocking)))
            warning.setObjectName("blocking_warning")
            warning.setStyleSheet(ERROR_STYLE)
            warning.setWordWrap(True)
            layout.addWidget(warning)
        layout.addWidget(self.signature_label)
        buttons = QDialogButtonBox()
        self.sign_button = buttons.addButton(self.tr("签字通过(Enter)"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("取消(Esc)"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.sign_button.setFocus()

    def _on_sign_button_clicked(self) -> None:
        state = call_guarded(self, self._approve)
        if state is None:
            # A refusal here (own sale, already decided elsewhere) does not go away by
            # trying again: close, and the queue shows where the prescription stands.
            self.reject()
            return
        self.decided.emit(state)
        self.accept()


class RefuseDialog(QDialog):
    """Asks why the pharmacist refuses to dispense; emits ``decided`` when recorded."""

    decided = Signal(object)  # ReviewState

    def __init__(self, detail: ReviewDetail, refuse: Decide,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refuse = refuse
        self.setWindowTitle(self.tr("拒绝调配"))
        self.setMinimumWidth(420)
        question = QLabel(self.tr("拒绝调配处方 {0}（患者 {1}）。请选择原因：")
                          .format(detail.rx_no or "-", detail.entry.patient_name))
        question.setWordWrap(True)
        self.reason_group = QButtonGroup(self)
        self.reason_buttons: dict[RefusalReason, QRadioButton] = {}
        reasons = QVBoxLayout()
        for number, reason in enumerate(RefusalReason, start=1):
            # Alt+digit picks a reason; arrow keys move between them.
            button = QRadioButton(self.tr("{0}(&{1})").format(labels.label(reason), number))
            button.setObjectName(f"reason_{reason.value}")
            self.reason_group.addButton(button)
            self.reason_buttons[reason] = button
            reasons.addWidget(button)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(self.tr("原因为“其他”时必填"))
        form = QFormLayout()
        form.addRow(self.tr("说明(&N)"), self.note_edit)
        buttons = QDialogButtonBox()
        self.refuse_button = buttons.addButton(self.tr("确认拒绝(Enter)"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.refuse_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("取消(Esc)"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.refuse_button.clicked.connect(self._on_refuse_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(reasons)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.reason_buttons[RefusalReason.INCOMPATIBILITY].setFocus()

    def chosen_reason(self) -> RefusalReason | None:
        """The reason ticked, if any."""
        for reason, button in self.reason_buttons.items():
            if button.isChecked():
                return reason
        return None

    def _on_refuse_button_clicked(self) -> None:
        reason = self.chosen_reason()
        note = self.note_edit.text()
        # On a refusal (no reason, 其他 without a note) the form stays open to correct it.
        state = call_guarded(self, lambda: self._refuse(approve=False, reason=reason,
                                                        note=note))
        if state is None:
            return
        self.decided.emit(state)
        self.accept()


class ReviewView(QWidget):
    """The review queue and the selected prescription; F9 通过, F10 拒绝, F5 刷新."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sales = ctx.sales
        self._actor = actor
        self.detail: ReviewDetail | None = None
        self.approve_dialog: ApproveDialog | None = None
        self.refuse_dialog: RefuseDialog | None = None

        title = QLabel(self.tr("处方审核"))
        title.setStyleSheet(TITLE_STYLE)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pending_label")
        self.approve_button = QPushButton(self.tr("审核通过(F9)"))
        self.approve_button.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.refuse_button = QPushButton(self.tr("拒绝(F10)"))
        self.refuse_button.setShortcut(QKeySequence(Qt.Key.Key_F10))
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        toolbar = QHBoxLayout()
        toolbar.addWidget(title)
        toolbar.addWidget(self.pending_label)
        toolbar.addStretch(1)
        for button in (self.approve_button, self.refuse_button, self.refresh_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # focus stays in the queue
            toolbar.addWidget(button)

        self.queue_model = QueueModel(self)
        self.queue_table = _table("queue_table", self.queue_model)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.queue_table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        # The queue shows several prescriptions even when the detail below is tall.
        self.queue_table.setMinimumHeight(180)
        splitter.setSizes([240, 420])

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        hint = QLabel(self.tr("↑/↓ 选择处方　F9 审核通过　F10 拒绝　F5 刷新"))
        hint.setStyleSheet(FOOTNOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(hint)

        # Other tills submit at any time: re-read the queue while the screen is shown.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

        self.queue_table.selectionModel().currentRowChanged.connect(
            self._on_queue_table_current_row_changed)
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.refuse_button.clicked.connect(self._on_refuse_button_clicked)
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.setFocusProxy(self.queue_table)
        self._show_detail(None)
        self.refresh()

    def _build_detail(self) -> QWidget:
        self.header_labels: dict[str, QLabel] = {}
        header = QFormLayout()
        for key, label in (
            ("rx_no", self.tr("处方编号")), ("issue_date", self.tr("开具日期")),
            ("source", self.tr("来源")), ("institution", self.tr("医疗机构")),
            ("physician", self.tr("医师")), ("patient", self.tr("患者")),
            ("patient_id", self.tr("身份证号")), ("diagnosis", self.tr("诊断")),
            ("kind", self.tr("类别")), ("state", self.tr("审核状态")),
        ):
            value = QLabel()
            value.setObjectName(f"header_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.header_labels[key] = value
            header.addRow(label, value)
        header_box = QGroupBox(self.tr("处方"))
        header_box.setLayout(header)

        self.items_model = DtoTableModel([
            Column(self.tr("编码"), lambda i: i[0]),
            Column(self.tr("药品"), lambda i: i[1]),
            Column(self.tr("数量"), lambda i: str(i[2]), RIGHT),
            Column(self.tr("单次用量"), lambda i: i[3]),
            Column(self.tr("频次"), lambda i: i[4]),
            Column(self.tr("天数"), lambda i: str(i[5]), RIGHT),
        ], self)
        self.items_table = _table("items_table", self.items_model)
        self.dispense_model = DtoTableModel([
            Column(self.tr("编码"), lambda d: d[0]),
            Column(self.tr("药品"), lambda d: d[1]),
            Column(self.tr("调配数量（最小单位）"), lambda d: str(d[2]), RIGHT),
        ], self)
        self.dispense_table = _table("dispense_table", self.dispense_model)
        self.findings_model = DtoTableModel([
            Column(self.tr("规则"), lambda f: f.rule_id, CENTER, foreground=_finding_colour),
            Column(self.tr("处理"), lambda f: labels.label(f.action), CENTER,
                   foreground=_finding_colour),
            Column(self.tr("说明"), lambda f: explained(f.rule_id, f.message),
                   tooltip=lambda f: explained(f.rule_id, f.message),
                   foreground=_finding_colour),
        ], self)
        self.findings_table = _table("findings_table", self.findings_model)
        for table in (self.items_table, self.dispense_table, self.findings_table):
            # Tab goes from the queue to the buttons' world, not through every table.
            table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        self.findings_summary = QLabel()
        self.findings_summary.setObjectName("findings_summary")

        def boxed(title: str, *widgets: QWidget) -> QGroupBox:
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            for widget in widgets:
                inner.addWidget(widget)
            return box

        right = QVBoxLayout()
        right.addWidget(boxed(self.tr("处方药品（按处方所写）"), self.items_table))
        right.addWidget(boxed(self.tr("本次调配"), self.dispense_table))
        right.addWidget(boxed(self.tr("规则提示"), self.findings_summary, self.findings_table))
        detail = QWidget()
        row = QHBoxLayout(detail)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(header_box, 2)
        row.addLayout(right, 3)
        return detail

    # -- life cycle -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Qt override: poll the queue only while the screen is visible."""
        super().showEvent(event)
        self.refresh_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        """Qt override: stop polling while another screen is shown."""
        self.refresh_timer.stop()
        super().hideEvent(event)

    # -- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the queue; keep the selected prescription selected."""
        entries = call_guarded(self, lambda: self._sales.review_queue(self._actor))
        if entries is not None:
            self._show_queue(entries)

    def _show_queue(self, entries: list[QueueEntry]) -> None:
        selected = self.selected_entry()
        changed = entries != self.queue_model.rows()
        if changed:
            self.queue_model.set_rows(entries)
        pending = self.queue_model.pending_count()
        self.pending_label.setText(self.tr("待审核 {0} 张").format(pending))
        self.pending_label.setStyleSheet(ERROR_STYLE if pending else FOOTNOTE_STYLE)
        if not changed:
            return
        wanted = selected.prescription_id if selected else None
        rows = [e.prescription_id for e in entries]
        if entries:
            # The reset cleared the selection: select the same one, or the first waiting.
            self.queue_table.selectRow(rows.index(wanted) if wanted in rows else 0)
        else:
            self._show_detail(None)

    def selected_entry(self) -> QueueEntry | None:
        """The queue row selected."""
        index = self.queue_table.currentIndex()
        if not index.isValid():
            return None
        return self.queue_model.row_at(index.row())

    def select_prescription(self, prescription_id: int) -> bool:
        """Select the row of ``prescription_id``; False if it is not in the queue."""
        for row, entry in enumerate(self.queue_model.rows()):
            if entry.prescription_id == prescription_id:
                self.queue_table.selectRow(row)
                return True
        return False

    def _load_detail(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self._show_detail(None)
            return
        detail = call_guarded(
            self, lambda: self._sales.review_detail(self._actor, entry.prescription_id))
        self._show_detail(detail)

    def _show_detail(self, detail: ReviewDetail | None) -> None:
        self.detail = detail
        pending = detail is not None and detail.entry.decision is ReviewDecision.PENDING
        self.approve_button.setEnabled(pending)
        self.refuse_button.setEnabled(pending)
        if detail is None:
            for label in self.header_labels.values():
                label.clear()
            self.items_model.set_rows([])
            self.dispense_model.set_rows([])
            self.findings_model.set_rows([])
            self.findings_summary.clear()
            return
        entry = detail.entry
        kinds = [self.tr("急诊")] if detail.emergency else []
        if detail.chronic_disease:
            kinds.append(self.tr("慢病：{0}").format(detail.chronic_disease))
        if detail.chronic_reason:
            kinds.append(detail.chronic_reason)
        texts = {
            "rx_no": detail.rx_no or "-", "issue_date": detail.issue_date.isoformat(),
            "source": _source_text(entry.source),
            "institution": entry.institution_name, "physician": entry.physician_name,
            # Masked (SEC-5): the till checks the patient against the insured person
            # itself (ID-6); the pharmacist judges the prescription, not the number.
            "patient": entry.patient_name,
            "patient_id": mask_id_number(detail.patient_id_number)
            if detail.patient_id_number else "",
            "diagnosis": entry.diagnosis,
            "kind": self.tr("，", "list separator").join(kinds) if kinds else self.tr("普通"),
            "state": self._decision_text(detail),
        }
        for key, text in texts.items():
            self.header_labels[key].setText(text)
        # A paper prescription is captured by code: name its drugs from the dispense list.
        names = {code: name for code, name, _ in detail.dispense}
        self.items_model.set_rows([(code, name or names.get(code, ""), *rest)
                                   for code, name, *rest in detail.items])
        self.dispense_model.set_rows(list(detail.dispense))
        self.findings_model.set_rows(list(detail.findings))
        blocking = sum(1 for f in detail.findings if f.blocks)
        if not detail.findings:
            self.findings_summary.setText(self.tr("无规则提示"))
            self.findings_summary.setStyleSheet(FOOTNOTE_STYLE)
        else:
            self.findings_summary.setText(self.tr("{0} 项提示，其中禁止 {1} 项")
                                          .format(len(detail.findings), blocking))
            self.findings_summary.setStyleSheet(ERROR_STYLE if blocking else "")

    def _decision_text(self, detail: ReviewDetail) -> str:
        text = _state_text(detail.entry)
        if detail.reason:
            text += self.tr("；原因：{0}").format(labels.label(RefusalReason(detail.reason)))
        if detail.note:
            text += self.tr("；说明：{0}").format(detail.note)
        return text

    # -- deciding -------------------------------------------------------------------------

    def _decide(self, prescription_id: int, **decision: Any) -> ReviewState:
        return self._sales.decide(self._actor, prescription_id, **decision)

    def _on_approve_button_clicked(self) -> None:
        detail = self.detail
        if detail is None or detail.entry.decision is not ReviewDecision.PENDING:
            return
        prescription_id = detail.entry.prescription_id
        dialog = ApproveDialog(
            detail, self._actor.display_name,
            lambda: self._decide(prescription_id, approve=True), self)
        dialog.decided.connect(self._on_dialog_decided)
        dialog.finished.connect(self._on_approve_dialog_finished)
        self.approve_dialog = dialog
        dialog.open()

    def _on_approve_dialog_finished(self, _result: int) -> None:
        dialog, self.approve_dialog = self.approve_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        # Whatever happened (signed, refused by a rule, cancelled), show where it stands.
        self.refresh()
        self.queue_table.setFocus()

    def _on_refuse_button_clicked(self) -> None:
        detail = self.detail
        if detail is None or detail.entry.decision is not ReviewDecision.PENDING:
            return
        prescription_id = detail.entry.prescription_id
        dialog = RefuseDialog(
            detail, lambda **decision: self._decide(prescription_id, **decision), self)
        dialog.decided.connect(self._on_dialog_decided)
        dialog.finished.connect(self._on_refuse_dialog_finished)
        self.refuse_dialog = dialog
        dialog.open()

    def _on_refuse_dialog_finished(self, _result: int) -> None:
        dialog, self.refuse_dialog = self.refuse_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.refresh()
        self.queue_table.setFocus()

    def _on_dialog_decided(self, state: ReviewState) -> None:
        if state.decision is ReviewDecision.APPROVED:
            text = self.tr("已签字审核通过，收银台可以结算")
        else:
            label = labels.label(state.reason) if state.reason else ""
            text = self.tr("已拒绝调配（{0}），收银台将被拦截").format(label)
        self.message_label.setText(text)
        self.message_label.setStyleSheet("")

    def _on_queue_table_current_row_changed(self, _current: Index, _previous: Index) -> None:
        self._load_detail()

    def _on_refresh_button_clicked(self) -> None:
        self.refresh()
        self.message_label.clear()

    def _on_refresh_timer_timeout(self) -> None:
        # A background poll never opens a box: a fault is shown on the message line and
        # the next poll (or F5) tries again.
        try:
            entries = self._sales.review_queue(self._actor)
        except (DomainError, EnvironmentFault) as exc:
            self.message_label.setText(error_text(exc))
            self.message_label.setStyleSheet(ERROR_STYLE)
            return
        self._show_queue(entries)
