"""收银 (SELL): the till: the cart (``cart_view.py``) and the insured person's card and
identity (ID-1 to ID-5, ID-7, ID-8).

A card inserted in the reader appears within a fraction of a second: the watcher's
events reach this screen only through ``CardEvents`` signals (STYLE.md, habit 6). Each
read is recorded by the identity service, which says what the card allows; the screen
shows the holder with the social-security number masked (SEC-5), the status in colour,
the identity-document check (证、卡、人一致, ID-2), the proxy-purchase declaration (ID-5)
and whether insurance may settle (ID-1), asking the service each time.

``CardDesk`` holds the customer's state and talks to the service (no Qt); ``CardPanel``
is layout; ``TillView`` wires reader events, keys and dialogs to them, and to the cart:
F5 switches the cart to 医保结算 once the card desk is ready, and a card that leaves
the reader switches it back to self-pay, saying why (ID-7).

Keys of the cart: see ``cart_view.py`` (F2 结算, F3 数量, F4 处方, F5 医保结算, F6 挂单/取单,
F7 购买人证件, Delete 删除行, Esc clears the scan field). Keys of the card: F9 读卡 (or
reconnect the reader after a fault), Ctrl+I to the document number (a scanner types the
digits and Enter), Enter checks, Esc clears the document fields, F8 代购登记.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pharmacy_pos.devices.ports import CardEvent
from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.identity import Finding, ProxyPurchase
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.identity import CardCheck, IdentityService, SettlementIdentity
from pharmacy_pos.ui.card_events import CardEvents
from pharmacy_pos.ui.cart_view import CartView
from pharmacy_pos.ui.errors import call_guarded, error_text, show_error
from pharmacy_pos.ui.print_status import PrintStatusLine, find_print_queue
from pharmacy_pos.ui.proxy_dialog import ProxyDialog
from pharmacy_pos.ui.rule_texts import with_rule
from pharmacy_pos.ui.style import FOOTNOTE_STYLE, TITLE_STYLE

if TYPE_CHECKING:
    from pharmacy_pos.bootstrap import AppContext

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How often the settlement verdict is asked again while a card is on screen.
RECHECK_MS = 60_000

GREEN = "#1e8449"
AMBER = "#b9770e"
RED = "#c0392b"
GREY = "#7f8c8d"


# -- controller (no Qt) ---------------------------------------------------------------------

class CardStatus(Enum):
    """What the cashier must know first about the card in front of them."""

    NO_CARD = "no_card"
    RETAIN = "retain"                  # ID-3: keep the card, tell the insurer
    REFUSED = "refused"                # the card itself is refused (ID-1, ID-4)
    MISMATCH = "mismatch"              # ID-2: the document does not match the card
    CHECK_DOCUMENT = "check_document"  # ID-2: the document has not been checked yet
    DECLARE_PROXY = "declare_proxy"    # ID-5: marked as 代购, not yet declared
    READY = "ready"                    # insurance may settle
    NOT_READY = "not_ready"            # any other refusal of the settlement identity


@dataclass(frozen=True, slots=True)
class Readiness:
    """The service's answer to "may insurance settle for this card now?" (ID-1, ID-2).

    ``identity`` is set when it may; otherwise ``rule_id`` and ``message`` say why not.
    ``proxy_pending`` adds the till's own condition: marked as 代购 but not declared (ID-5).
    """

    identity: SettlementIdentity | None
    rule_id: str | None = None
    message: str = ""
    proxy_pending: bool = False

    @property
    def ready(self) -> bool:
        """Whether settlement may go on."""
        return self.identity is not None and not self.proxy_pending


class CardDesk:
    """One customer's card at the till and what the identity rules said about it.

    Every decision is the identity service's; the desk remembers the answers (the
    recorded read, the document check, the proxy declaration) and combines them into
    one status. Service errors propagate: the view decides how to show them.
    """

    def __init__(self, identity: IdentityService, actor: Actor, *, card_source: str) -> None:
        self._identity = identity
        self._actor = actor
        self._card_source = card_source
        self.check: CardCheck | None = None
        self.document_findings: tuple[Finding, ...] | None = None  # None: not checked
        self.proxy_wanted = False
        self.proxy: ProxyPurchase | None = None
        self.readiness = Readiness(None)

    @property
    def record(self) -> CardRecord | None:
        """The card on screen."""
        return self.check.record if self.check else None

    @property
    def card_usable(self) -> bool:
        """A card is on screen and the card checks let it go on to the document check."""
        return self.check is not None and self.check.accepted

    def take_card(self, record: CardRecord) -> CardCheck:
        """Record a card just read (ID-3, ID-4, ID-8) and start afresh with it."""
        check = self._identity.record_card_read(self._actor, record,
                                                source=self._card_source)
        self.clear()
        self.check = check
        return check

    def clear(self) -> None:
        """The card left: forget it here (its read stays recorded)."""
        self.check = None
        self.document_findings = None
        self.proxy_wanted = False
        self.proxy = None
        self.readiness = Readiness(None)

    def verify_document(self, id_number: str, name: str) -> tuple[Finding, ...]:
        """Compare the document shown with the card (ID-2); a mismatch is recorded.

        Raises:
            DomainError: no card, or the typed number is not an ID number (ID-4).
        """
        check = self._require_card()
        findings = tuple(self._identity.verify_document(
            self._actor, check.read_id, id_number=id_number, name=name, record=check.record,
        ))
        self.document_findings = findings
        return findings

    def want_proxy(self, wanted: bool) -> None:
        """Mark the purchase as made for the card holder by someone else (or not)."""
        if self.proxy is None:
            self.proxy_wanted = wanted

    def declare_proxy(self, purchase: ProxyPurchase) -> None:
        """Record the proxy purchase (ID-5).

        Raises:
            ValidationFailed: listing every missing or wrong item; nothing recorded.
        """
        check = self._require_card()
        self._identity.declare_proxy(self._actor, check.read_id, purchase)
        self.proxy_wanted = True
        self.proxy = purchase

    def evaluate(self) -> Readiness:
        """Ask the service whether insurance may settle now (ID-1, ID-2) and remember it."""
        pending = self.proxy_wanted and self.proxy is None
        read_id = self.check.read_id if self.check else None
        try:
            identity = self._identity.settlement_identity(self._actor, read_id=read_id)
        except DomainError as exc:
            self.readiness = Readiness(None, exc.rule_id, exc.message, pending)
        else:
            self.readiness = Readiness(identity, proxy_pending=pending)
        return self.readiness

    def status(self) -> CardStatus:
        """The one status line the cashier reads first (from the last ``evaluate``)."""
        check = self.check
        if check is None:
            return CardStatus.NO_CARD
        if any(f.rule_id == "ID-3" and f.blocks for f in check.findings):
            return CardStatus.RETAIN
        if not check.accepted:
            return CardStatus.REFUSED
        if self.document_findings:
            return CardStatus.MISMATCH
        readiness = self.readiness
        if readiness.identity is not None:
            return CardStatus.DECLARE_PROXY if readiness.proxy_pending else CardStatus.READY
        if readiness.rule_id == "ID-2" and self.document_findings is None:
            return CardStatus.CHECK_DOCUMENT
        return CardStatus.NOT_READY

    def _require_card(self) -> CardCheck:
        if self.check is None:
            raise DomainError(QCoreApplication.translate("TillView", "请先读取社保卡"),
                              rule_id="ID-1")
        return self.check


# -- layout ---------------------------------------------------------------------------------

def _value_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _message_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _banner_style(colour: str) -> str:
    return (f"QLabel {{ color: white; background-color: {colour}; font-size: 15pt;"
            " font-weight: bold; padding: 8px 12px; border-radius: 4px; }")


class CardPanel(QWidget):
    """The widgets of the card panel, and how each state looks; no behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Holder: status banner, blocking findings, the card's data, notes, reader line.
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.findings_label = _message_label("findings_label")
        self.findings_label.setStyleSheet(
            f"QLabel {{ color: {RED}; font-size: 12pt; font-weight: bold; }}"
        )
        self.name_label = _value_label("name_label")
        self.name_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.sex_label = _value_label("sex_label")
        self.ssn_label = _value_label("ssn_label")
        self.card_number_label = _value_label("card_number_label")
        self.expiry_label = _value_label("expiry_label")
        self.read_label = _value_label("read_label")
        self.read_label.setStyleSheet(FOOTNOTE_STYLE)
        self.notes_label = _message_label("notes_label")
        self.notes_label.setStyleSheet(f"color: {AMBER};")
        self.reader_label = _message_label("reader_label")
        self.reader_label.setStyleSheet(
            f"QLabel {{ color: {RED}; border: 1px solid {RED}; padding: 6px; }}"
        )
        self.reconnect_button = QPushButton(self.tr("重新连接读卡器(F9)"))
        self.reconnect_button.setObjectName("reconnect_button")
        self.reconnect_button.setAutoDefault(False)
        self.reconnect_button.setVisible(False)
        self.reconnect_button.setShortcut(QKeySequence(Qt.Key.Key_F9))

        holder_form = QFormLayout()
        holder_form.addRow(self.tr("姓名"), self.name_label)
        holder_form.addRow(self.tr("性别"), self.sex_label)
        holder_form.addRow(self.tr("社会保障号码"), self.ssn_label)
        holder_form.addRow(self.tr("卡号"), self.card_number_label)
        holder_form.addRow(self.tr("卡有效期"), self.expiry_label)
        holder_form.addRow(self.tr("读卡"), self.read_label)
        reader_row = QHBoxLayout()
        reader_row.addWidget(self.reader_label, 1)
        reader_row.addWidget(self.reconnect_button)
        self.holder_box = QGroupBox(self.tr("参保人（社保卡）"))
        holder_layout = QVBoxLayout(self.holder_box)
        holder_layout.addWidget(self.status_label)
        holder_layout.addWidget(self.findings_label)
        holder_layout.addLayout(holder_form)
        holder_layout.addWidget(self.notes_label)
        holder_layout.addLayout(reader_row)

        # 证、卡、人一致 (ID-2).
        self.document_id_edit = QLineEdit()
        self.document_id_edit.setObjectName("document_id_edit")
        self.document_id_edit.setPlaceholderText(self.tr("输入或扫描身份证号"))
        self.document_id_edit.setMaxLength(18)
        self.document_name_edit = QLineEdit()
        self.document_name_edit.setObjectName("document_name_edit")
        self.document_name_edit.setPlaceholderText(self.tr("证件上的姓名"))
        self.check_button = QPushButton(self.tr("核对(Enter)"))
        self.check_button.setObjectName("check_button")
        self.check_button.setAutoDefault(False)
        self.document_result_label = _message_label("document_result_label")
        document_grid = QGridLayout()
        document_grid.addWidget(QLabel(self.tr("证件号码")), 0, 0)
        document_grid.addWidget(self.document_id_edit, 0, 1)
        document_grid.addWidget(QLabel(self.tr("姓名")), 1, 0)
        document_grid.addWidget(self.document_name_edit, 1, 1)
        document_grid.addWidget(self.check_button, 1, 2)
        document_grid.setColumnStretch(1, 1)
        self.document_box = QGroupBox(self.tr("核对身份证件（Ctrl+I）"))
        document_layout = QVBoxLayout(self.document_box)
        document_layout.addLayout(document_grid)
        document_layout.addWidget(self.document_result_label)

        # 代购 (ID-5).
        self.proxy_check = QCheckBox(self.tr("代购：购药人不是参保人本人"))
        self.proxy_check.setObjectName("proxy_check")
        self.proxy_button = QPushButton(self.tr("代购登记(F8)"))
        self.proxy_button.setObjectName("proxy_button")
        self.proxy_button.setShortcut(QKeySequence(Qt.Key.Key_F8))
        self.proxy_button.setAutoDefault(False)
        self.proxy_label = _value_label("proxy_label")
        self.proxy_label.setWordWrap(True)
        proxy_row = QHBoxLayout()
        proxy_row.addWidget(self.proxy_check, 1)
        proxy_row.addWidget(self.proxy_button)
        self.proxy_box = QGroupBox(self.tr("代购登记"))
        proxy_layout = QVBoxLayout(self.proxy_box)
        proxy_layout.addLayout(proxy_row)
        proxy_layout.addWidget(self.proxy_label)

        # ID-1: the service's verdict on settling this card now.
        self.settlement_label = _value_label("settlement_label")
        self.settlement_label.setWordWrap(True)
        self.settlement_box = QGroupBox(self.tr("医保结算"))
        settlement_layout = QVBoxLayout(self.settlement_box)
        settlement_layout.addWidget(self.settlement_label)

        # One column beside the cart.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.holder_box)
        layout.addWidget(self.document_box)
        layout.addWidget(self.proxy_box)
        layout.addWidget(self.settlement_box)
        layout.addStretch(1)

    # -- how states look --------------------------------------------------------------

    def show_status(self, text: str, colour: str) -> None:
        """The banner at the top of the holder box."""
        self.status_label.setText(text)
        self.status_label.setStyleSheet(_banner_style(colour))

    def show_lines(self, label: QLabel, lines: list[str], colour: str | None = None) -> None:
        """Show ``lines`` in ``label`` (hidden when empty), optionally in a colour."""
        label.setText("\n".join(lines))
        if colour is not None:
            label.setStyleSheet(f"color: {colour};")
        label.setVisible(bool(lines))

    def show_settlement(self, text: str, colour: str) -> None:
        """The settlement verdict."""
        self.settlement_label.setText(text)
        self.settlement_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def show_holder(self, values: dict[str, str]) -> None:
        """Name, sex, masked number, card number, expiry and read line (empty: cleared)."""
        for key, label in (("name", self.name_label), ("sex", self.sex_label),
                           ("ssn", self.ssn_label), ("card_number", self.card_number_label),
                           ("expiry", self.expiry_label), ("read", self.read_label)):
            label.setText(values.get(key, ""))

    def texts(self) -> list[str]:
        """Every text the panel shows or holds (tests check nothing leaks, SEC-5)."""
        found: list[str] = []
        for widget in self.findChildren(QWidget):
            for attribute in ("text", "title", "placeholderText", "toolTip"):
                getter = getattr(widget, attribute, None)
                if callable(getter):
                    value = getter()
                    if isinstance(value, str) and value:
                        found.append(value)
        return found


# -- the screen -----------------------------------------------------------------------------

class TillView(QWidget):
    """收银: the cart beside the card panel driven by reader events (see the module
    docstring).

    Emits ``card_checked`` (CardCheck) once a read card is recorded and shown, and
    ``card_cleared`` when the panel is emptied after the card left.
    """

    card_checked = Signal(object)  # CardCheck
    card_cleared = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = ctx.clock
        self._reader_configured = ctx.settings.card_reader != "none"
        self.desk = CardDesk(ctx.identity, actor, card_source=ctx.card_source)
        self.card_events = CardEvents(ctx.card_watcher, ctx.card_reader, self)
        self.proxy_dialog: ProxyDialog | None = None
        self._watched_window: QWidget | None = None
        self._running = False
        self._expects_watcher = False

        title = QLabel(self.tr("收银"))
        title.setStyleSheet(TITLE_STYLE)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("mode_label")
        self.mode_label.setStyleSheet(FOOTNOTE_STYLE)
        self.read_button = QPushButton(self.tr("读卡(F9)"))
        self.read_button.setObjectName("read_button")
        self.read_button.setShortcut(QKeySequence(Qt.Key.Key_F9))
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.mode_label)
        header.addWidget(self.read_button)

        self.cart_view = CartView(ctx, actor)
        self.cart_view.card_present = self._card_present
        self.panel = CardPanel()
        self.keys_label = QLabel()
        self.keys_label.setObjectName("keys_label")
        self.keys_label.setStyleSheet(FOOTNOTE_STYLE)
        self.keys_label.setWordWrap(True)
        # The session's print queue, found when the screen is shown (none when alone).
        self.print_status = PrintStatusLine(actor)

        body = QHBoxLayout()
        body.addWidget(self.cart_view, 3)
        body.addWidget(self.panel, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(self.keys_label)
        layout.addWidget(self.print_status)

        events = self.card_events
        events.card_read.connect(self._on_card_events_card_read)
        events.card_failed.connect(self._on_card_events_card_failed)
        events.card_removed.connect(self._on_card_events_card_removed)
        events.reader_lost.connect(self._on_card_events_reader_lost)
        events.reader_back.connect(self._on_card_events_reader_back)
        events.read_started.connect(self._on_card_events_read_started)
        events.read_finished.connect(self._on_card_events_read_finished)
        self.cart_view.insurance_toggled.connect(self._on_cart_view_insurance_toggled)
        # The receipt was queued with the sale: print it now, without waiting for it.
        self.cart_view.sale_completed.connect(self.print_status.wake)
        self.cart_view.reprint_queued.connect(self.print_status.wake)
        panel = self.panel
        self.read_button.clicked.connect(self._on_read_button_clicked)
        panel.reconnect_button.clicked.connect(self._on_reconnect_button_clicked)
        panel.document_id_edit.returnPressed.connect(self._on_document_id_edit_return_pressed)
        panel.document_name_edit.returnPressed.connect(
            self._on_document_name_edit_return_pressed
        )
        panel.check_button.clicked.connect(self._on_check_button_clicked)
        panel.proxy_check.toggled.connect(self._on_proxy_check_toggled)
        panel.proxy_button.clicked.connect(self._on_proxy_button_clicked)
        QShortcut(QKeySequence("Ctrl+I"), self, self._on_document_shortcut_activated)
        for edit in (panel.document_id_edit, panel.document_name_edit):
            escape_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), edit,
                                   self._on_escape_shortcut_activated)
            escape_key.setContext(Qt.ShortcutContext.WidgetShortcut)

        # A read goes stale (policy: card_read_valid_minutes): the verdict is asked again
        # now and then while a card is on screen, so green never outlives the read.
        self.recheck_timer = QTimer(self)
        self.recheck_timer.setInterval(RECHECK_MS)
        self.recheck_timer.timeout.connect(self._on_recheck_timer_timeout)

        self._show_desk()

    # -- life cycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether this screen listens to the reader (between first show and close)."""
        return self._running

    def start_reader(self) -> None:
        """Start listening to the reader (the watcher, or F9 reads when there is none)."""
        self._running = True
        watching = self.card_events.start()
        self._show_mode(watching)

    def stop_reader(self) -> None:
        """Stop the watcher and wait for its thread; no card event reaches the screen."""
        self._running = False
        self.recheck_timer.stop()
        self.cart_view.review_timer.stop()
        self.card_events.stop()
        if self.proxy_dialog is not None:
            self.proxy_dialog.reject()

    def refresh(self) -> None:
        """Shown again: ask the service afresh (a card read goes stale after a while)."""
        self._show_desk()
        self.cart_view.refresh_review()
        self.cart_view.focus_scan()

    def _on_recheck_timer_timeout(self) -> None:
        if self.desk.check is not None:
            self._show_desk()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """First shown: start the reader, and stop it when the window closes."""
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched_window:
            if self._watched_window is not None:
                self._watched_window.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched_window = window
        if not self._running:
            self.start_reader()
        if self.print_status.queue is None:
            self.print_status.set_queue(find_print_queue(self))
        if self.desk.check is None:
            self.cart_view.focus_scan()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The window closing (退出, 注销, close button) stops the reader: no thread left."""
        if watched is self._watched_window and event.type() == QEvent.Type.Close:
            self.stop_reader()
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Closed on its own (as a top-level window): stop the reader."""
        self.stop_reader()
        super().closeEvent(event)

    # -- reader events --------------------------------------------------------------------

    def _on_card_events_card_read(self, event: CardEvent) -> None:
        record = event.record
        if record is None:
            return
        self._close_proxy_dialog()
        check = call_guarded(self, lambda: self.desk.take_card(record))
        self._show_reader_fault("")
        if check is None:
            # The read could not be recorded (database): nothing may go on with it.
            self.desk.clear()
            self._show_desk()
            self._show_reader_fault(self.tr("读卡未能记录，请取出社保卡后重新插卡"))
            return
        self._detach_stale_insurance(self.tr(
            "[ID-7] 已读取另一张社保卡：本单改为自费，如需医保结算请按 F5"))
        self._show_desk(read_ms=event.elapsed_ms)
        if self.desk.card_usable:
            # ID-2: the document's number is scanned next.
            self.panel.document_id_edit.setFocus()
        else:
            self.cart_view.focus_scan()
        self.card_checked.emit(check)

    def _on_card_events_card_failed(self, message: str) -> None:
        self._forget_card()
        self._show_reader_fault(self.tr("读卡失败：{0}").format(message), reconnect=False)

    def _on_card_events_card_removed(self) -> None:
        self._forget_card()
        self._show_reader_fault("")
        self.card_cleared.emit()

    def _on_card_events_reader_lost(self, message: str) -> None:
        self._forget_card()
        self._show_reader_fault(self.tr("读卡器不可用：{0}").format(message), reconnect=True)

    def _on_card_events_reader_back(self) -> None:
        self._show_reader_fault("")

    def _on_card_events_read_started(self) -> None:
        self.read_button.setEnabled(False)
        self.mode_label.setText(self.tr("正在读卡，请勿拔卡…"))

    def _on_card_events_read_finished(self) -> None:
        self.read_button.setEnabled(True)
        self._show_mode(self.card_events.watching)

    def _on_read_button_clicked(self) -> None:
        self._show_reader_fault("")
        call_guarded(self, self.card_events.read_now)

    def _on_reconnect_button_clicked(self) -> None:
        self._show_reader_fault("")
        self.start_reader()

    # -- document check (ID-2) ------------------------------------------------------------

    def _on_document_shortcut_activated(self) -> None:
        self.panel.document_id_edit.setFocus()
        self.panel.document_id_edit.selectAll()

    def _on_escape_shortcut_activated(self) -> None:
        self._clear_document_fields()
        self.panel.document_id_edit.setFocus()

    def _clear_document_fields(self) -> None:
        self.panel.document_id_edit.clear()
        self.panel.document_name_edit.clear()

    def _on_document_id_edit_return_pressed(self) -> None:
        self._check_document()

    def _on_document_name_edit_return_pressed(self) -> None:
        self._check_document()

    def _on_check_button_clicked(self) -> None:
        self._check_document()

    def _check_document(self) -> None:
        panel = self.panel
        id_number = panel.document_id_edit.text()
        if not id_number.strip():
            panel.show_lines(panel.document_result_label,
                             [self.tr("请输入或扫描证件上的身份证号")], AMBER)
            panel.document_id_edit.setFocus()
            return
        findings = self._run_inline(
            lambda: self.desk.verify_document(id_number, panel.document_name_edit.text()),
            panel.document_result_label,
        )
        if findings is None:
            panel.document_id_edit.setFocus()
            panel.document_id_edit.selectAll()
            return
        self._show_desk()
        if findings:
            # A scanner's next code replaces the wrong one.
            panel.document_id_edit.setFocus()
            panel.document_id_edit.selectAll()
        else:
            # The full number has served its purpose; it does not stay on screen (SEC-5).
            self._clear_document_fields()
            self.cart_view.focus_scan()

    # -- proxy purchase (ID-5) ------------------------------------------------------------

    def _on_proxy_check_toggled(self, checked: bool) -> None:
        if checked == self.desk.proxy_wanted:
            return
        self.desk.want_proxy(checked)
        self._show_desk()
        if checked and self.desk.proxy is None:
            self._open_proxy_dialog()

    def _on_proxy_button_clicked(self) -> None:
        if not self.desk.card_usable or self.desk.proxy is not None:
            return
        self.desk.want_proxy(True)
        self._show_desk()
        self._open_proxy_dialog()

    def _open_proxy_dialog(self) -> None:
        record = self.desk.record
        if record is None:
            return
        self._close_proxy_dialog()
        dialog = ProxyDialog(self.desk.declare_proxy,
                             holder_text=f"{record.name} {record.masked_ssn}", parent=self)
        dialog.proxy_declared.connect(self._on_proxy_dialog_proxy_declared)
        dialog.finished.connect(self._on_proxy_dialog_finished)
        self.proxy_dialog = dialog
        dialog.open()

    def _on_proxy_dialog_proxy_declared(self, _purchase: ProxyPurchase) -> None:
        self._show_desk()

    def _on_proxy_dialog_finished(self, _result: int) -> None:
        dialog, self.proxy_dialog = self.proxy_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self.cart_view.focus_after_dialog()

    def _close_proxy_dialog(self) -> None:
        if self.proxy_dialog is not None:
            self.proxy_dialog.reject()

    # -- showing --------------------------------------------------------------------------

    # -- insurance for the cart (ID-1, ID-7) -------------------------------------------

    def _on_cart_view_insurance_toggled(self) -> None:
        cart_view = self.cart_view
        if cart_view.cart.insured is not None:
            cart_view.detach_insured(self.tr("已改为自费结算"))
            return
        readiness = call_guarded(self, self.desk.evaluate) or self.desk.readiness
        self._show_desk()
        if readiness.ready and readiness.identity is not None:
            if cart_view.attach_insured(readiness.identity):
                cart_view.panel.show_message(self.tr("本单按医保结算：{0}（{1}）").format(
                    readiness.identity.name, readiness.identity.masked_ssn), GREEN)
        elif readiness.identity is not None:
            cart_view.panel.show_message(self.tr(
                "[ID-5] 不能医保结算：代购须先登记购药人和参保人的身份证号（F8）"))
        else:
            cart_view.panel.show_message(self.tr("不能医保结算：{0}").format(
                with_rule(readiness.rule_id, readiness.message)))
        cart_view.focus_scan()

    def _card_present(self) -> bool:
        """Asked just before an insured settlement: the card read is still on screen."""
        insured = self.cart_view.cart.insured
        check = self.desk.check
        return (insured is not None and check is not None
                and check.read_id == insured.identity.read_id)

    def _detach_stale_insurance(self, reason: str) -> None:
        """The cart settles for a card no longer in the reader: pay it without insurance."""
        insured = self.cart_view.cart.insured
        check = self.desk.check
        if insured is not None and (check is None or check.read_id != insured.identity.read_id):
            self.cart_view.detach_insured(reason)

    def _forget_card(self) -> None:
        self._close_proxy_dialog()
        self.desk.clear()
        self._clear_document_fields()
        self._show_desk()
        self._detach_stale_insurance(self.tr(
            "[ID-7] 社保卡已拔出：本单改为自费结算，如需医保结算请重新插卡、核对证件后按 F5"))

    def _show_mode(self, watching: bool) -> None:
        # A watcher that failed to start is still this terminal's way of reading: the
        # cashier reconnects it (F9) rather than reading by hand.
        self._expects_watcher = watching or self.card_events.watcher_failed
        if watching:
            text = self.tr("读卡器：插卡即自动读取")
        elif self._expects_watcher:
            text = self.tr("读卡器未连接")
        elif self._reader_configured:
            text = self.tr("读卡器：插卡后按 F9 读卡")
        else:
            text = self.tr("本终端未配置读卡器：不能医保结算")
        self.mode_label.setText(text)
        on_demand = not self._expects_watcher and self._reader_configured
        self.read_button.setVisible(on_demand)
        keys = self.tr("Enter 扫码　Esc 清空　↑/↓ 选行　Ctrl+I 核对证件　F8 代购登记")
        if on_demand:
            keys = self.tr("F9 读卡　") + keys
        elif self._expects_watcher:
            keys += self.tr("　F9 重新连接读卡器（读卡器故障时）")
        self.keys_label.setText(keys)

    def _show_reader_fault(self, text: str, *, reconnect: bool = False) -> None:
        panel = self.panel
        panel.show_lines(panel.reader_label, [text] if text else [])
        # Without a watcher the header's 读卡(F9) is the way to try again.
        panel.reconnect_button.setVisible(bool(text) and reconnect and self._expects_watcher)

    def _show_desk(self, *, read_ms: float | None = None) -> None:
        """Render everything from the desk, after asking the service for readiness."""
        readiness = call_guarded(self, self.desk.evaluate) or self.desk.readiness
        desk, panel = self.desk, self.panel
        check = desk.check
        if check is None:
            self.recheck_timer.stop()
        elif self._running and not self.recheck_timer.isActive():
            self.recheck_timer.start()
        status = desk.status()
        text, colour = self._status_text(status)
        panel.show_status(text, colour)

        if check is None:
            panel.show_holder({})
            panel.show_lines(panel.findings_label, [])
            panel.show_lines(panel.notes_label, [])
        else:
            if read_ms is not None:
                self._show_holder(check, read_ms)
            panel.show_lines(panel.findings_label,
                             [with_rule(f.rule_id, f.message) for f in check.findings if f.blocks])
            panel.show_lines(panel.notes_label, [with_rule(f.rule_id, f.message)
                                                 for f in check.findings if not f.blocks])

        usable = desk.card_usable
        panel.document_box.setEnabled(usable)
        if desk.document_findings is None:
            panel.show_lines(panel.document_result_label, [])
        elif desk.document_findings:
            panel.show_lines(panel.document_result_label,
                             [with_rule(f.rule_id, f.message) for f in desk.document_findings], RED)
        else:
            panel.show_lines(panel.document_result_label,
                             [self.tr("证件与社保卡一致（人证卡一致）")], GREEN)

        panel.proxy_box.setEnabled(usable and desk.proxy is None)
        panel.proxy_check.blockSignals(True)
        panel.proxy_check.setChecked(desk.proxy_wanted)
        panel.proxy_check.blockSignals(False)
        panel.proxy_label.setText(self._proxy_text())
        panel.proxy_label.setStyleSheet(
            f"color: {GREEN if desk.proxy else AMBER if desk.proxy_wanted else GREY};"
        )

        if readiness.ready and readiness.identity is not None:
            identity = readiness.identity
            verdict = self.tr("可医保结算：{0}（{1}），卡号 {2}").format(
                identity.name, identity.masked_ssn, identity.card_number
            )
            if identity.proxy_buyer_id_number:
                verdict += self.tr("；代购人 {0}").format(
                    mask_id_number(identity.proxy_buyer_id_number)
                )
            panel.show_settlement(verdict, GREEN)
        elif readiness.identity is not None:
            panel.show_settlement(self.tr(
                "[ID-5] 不能继续：代购须先登记购药人和参保人的身份证号（F8）"
            ), AMBER)
        else:
            colour = {CardStatus.NO_CARD: GREY, CardStatus.CHECK_DOCUMENT: AMBER}.get(status, RED)
            panel.show_settlement(self.tr("不能医保结算：{0}").format(
                with_rule(readiness.rule_id, readiness.message)), colour)

    def _show_holder(self, check: CardCheck, read_ms: float) -> None:
        record = check.record
        missing = self.tr("（卡内未读出）")
        expiry = record.expiry_date.isoformat() if record.expiry_date else self.tr("未设定")
        if record.expiry_date is not None and record.expiry_date < self._clock.today():
            expiry = self.tr("{0}（已过期）").format(expiry)
        read_at = self._clock.now().astimezone(STORE_ZONE).strftime("%H:%M:%S")
        read_text = self.tr("{0} 读取，用时 {1:.0f} 毫秒").format(read_at, read_ms)
        if check.repeat_visits_today:
            read_text += self.tr("；今日第 {0} 次").format(check.repeat_visits_today + 1)
        self.panel.show_holder({
            "name": record.name or missing,
            "sex": record.sex_label or "—",
            "ssn": record.masked_ssn or missing,
            "card_number": record.card_number,
            "expiry": expiry,
            "read": read_text,
        })

    def _status_text(self, status: CardStatus) -> tuple[str, str]:
        return {
            CardStatus.NO_CARD: (self.tr("请插入社保卡"), GREY),
            CardStatus.RETAIN: (self.tr("请扣留此卡，并立即通知医保经办机构"), RED),
            CardStatus.REFUSED: (self.tr("此卡不能医保结算"), RED),
            CardStatus.MISMATCH: (self.tr("人证卡不一致，不能医保结算"), RED),
            CardStatus.CHECK_DOCUMENT: (self.tr("待核对证件"), AMBER),
            CardStatus.DECLARE_PROXY: (self.tr("待登记代购"), AMBER),
            CardStatus.READY: (self.tr("可医保结算"), GREEN),
            CardStatus.NOT_READY: (self.tr("不能医保结算"), RED),
        }[status]

    def _proxy_text(self) -> str:
        desk = self.desk
        proxy = desk.proxy
        if proxy is not None:
            text = self.tr("已登记代购：购药人 {0}（{1}）").format(
                proxy.buyer_name.strip(), mask_id_number(proxy.buyer_id_number.strip().upper())
            )
            if proxy.bedridden:
                text += self.tr("；参保人卧床，证明编号 {0}").format(proxy.certificate_ref.strip())
            return text
        if desk.proxy_wanted:
            return self.tr("代购尚未登记：登记购药人和参保人的身份证号后才能继续（F8）")
        return self.tr("参保人本人购药，无需登记")

    def _run_inline(self, action: Callable[[], T], label: QLabel) -> T | None:
        """Run a use case; a refusal goes to ``label`` in red, a fault offers 重试."""
        while True:
            try:
                return action()
            except DomainError as exc:
                self.panel.show_lines(label, [error_text(exc)], RED)
                return None
            except EnvironmentFault as exc:
                if not show_error(self, exc):
                    return None

    def panel_texts(self) -> list[str]:
        """Every text on the screen (for tests: the full ID number never shows, SEC-5)."""
        return [*self.panel.texts(), self.mode_label.text(), *self.cart_view.texts()]
