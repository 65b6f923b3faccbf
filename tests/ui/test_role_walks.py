"""Each role's main task, walked end to end through the GUI with the keyboard only.

Every walk starts at the login window of a real ``SessionController`` over a copy of the
demo database, types the user name and password, presses Enter, reaches its screen with
Alt+<n> and does the work with key presses sent to the widget that has the focus — no
mouse, no slot or setter called to act. Chinese text is entered as an input method
commits it (``commit_text``). Each walk then checks the outcome in the database.

Two things stand in for the desktop around the app: a newly shown window is activated,
and the main window is activated again when its dialog closes (a window manager does
both; the offscreen platform does neither, see ``back_to``).

- 收银员: scan, F3 quantity, F2 cash with change, the receipt printed (file printer),
  the sale and its ledger entries (INV-1); F10 reprints a marked copy; F6 hold and
  recall; F12 locks the till (SEC-3).
- 药师: F9 signs a prescription (RX-2), F10 refuses another with a reason (RX-5).
- 质量验收员: F9 accepts a line, F10 rejects part of one with a reason, F8 the rest
  (INV-2): batches sellable, ledger rows written, the rejected units returned.
- 店长: the monthly stock report exported as CSV (REP-1) balances row by row; Ctrl+L locks
  the screen and the password unlocks it (SEC-3).
- 管理员: Ctrl+N adds a user (SEC-1), Ctrl+Shift+L logs out, the new user logs in.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import (
    Acceptance,
    Batch,
    DeliveryLine,
    LedgerEntry,
    Product,
)
from pharmacy_pos.devices.adapters.probes import DEFAULT_RECEIPT_FILE
from pharmacy_pos.domain.eprescription import capture_document
from pharmacy_pos.domain.product import BatchStatus, LedgerEntryType
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod, RefusalReason
from pharmacy_pos.reports import monthly_stock
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.receiving import ReceiptResult, ReceivingService
from pharmacy_pos.ui.acceptance_view import AcceptanceView, RejectDialog
from pharmacy_pos.ui.main_window import MainWindow
from pharmacy_pos.ui.print_status import PrintQueue
from pharmacy_pos.ui.reports_view import ReportsView
from pharmacy_pos.ui.review_view import ApproveDialog, RefuseDialog, ReviewView
from pharmacy_pos.ui.session import SessionController
from pharmacy_pos.ui.till_view import TillView
from pharmacy_pos.ui.users_view import AddUserDialog, UsersView
from tests.ui.conftest import TERMINAL
from tests.ui.helpers import audit_actions, commit_text
from tests.ui.test_printing_ui import plain_barcodes

WAIT_MS = 5000


# -- the session -------------------------------------------------------------------------

@pytest.fixture
def controller(app_ctx: AppContext) -> Iterator[SessionController]:
    """The terminal's session controller; its windows are closed after the test."""
    session = SessionController(app_ctx)
    yield session
    session.close()


def focus(qtbot: QtBot, widget: QWidget) -> QWidget:
    """Wait until ``widget`` has the keyboard focus (as a person would look for the cursor)."""
    qtbot.waitUntil(widget.hasFocus, timeout=WAIT_MS)
    return widget


def focused(qtbot: QtBot) -> QWidget:
    """The widget that receives the next key press (once a closed dialog gave the focus
    back to its window)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=WAIT_MS)
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(qtbot: QtBot, code: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press one key, delivered where the keyboard would deliver it: the focus widget."""
    qtbot.keyClick(focused(qtbot), code, modifier)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ASCII ``text`` into ``widget``, which must have the focus."""
    qtbot.keyClicks(focus(qtbot, widget), text)


def type_chinese(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Enter Chinese ``text`` into ``widget`` (which must have the focus) as an IME does."""
    commit_text(focus(qtbot, widget), text)


def log_in(qtbot: QtBot, controller: SessionController, username: str,
           password: str = DEMO_PASSWORD) -> MainWindow:
    """At the login window: user name, Tab, password, Enter; returns the main window,
    active (as the window manager makes a newly shown window)."""
    dialog = controller.login_dialog or controller.start()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    type_text(qtbot, dialog.username_edit, username)
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, dialog.password_edit, password)
    with qtbot.waitSignal(controller.session_started, timeout=WAIT_MS) as started:
        key(qtbot, Qt.Key.Key_Return)
    window = started.args[0]
    assert isinstance(window, MainWindow)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    assert window.actor.username == username
    return window


def open_screen(qtbot: QtBot, window: MainWindow, screen: str) -> QWidget:
    """Alt+<n> opens the navigation's n-th screen; returns it."""
    number = window.nav_keys().index(screen) + 1
    assert number <= 9, f"{screen} has no Alt+<n> key"
    key(qtbot, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.AltModifier)
    page = window.current_screen()
    assert page is not None and page.objectName() == f"screen_{screen}"
    return page


def wait_dialog(qtbot: QtBot, owner: object, name: str) -> QDialog:
    """Wait until ``owner``'s dialog attribute ``name`` is open and active."""
    qtbot.waitUntil(lambda: getattr(owner, name) is not None, timeout=WAIT_MS)
    dialog = getattr(owner, name)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    return dialog


def wait_closed(qtbot: QtBot, owner: QWidget, name: str) -> None:
    """Wait until ``owner``'s dialog attribute ``name`` is gone and its window is active."""
    qtbot.waitUntil(lambda: getattr(owner, name) is None, timeout=WAIT_MS)
    back_to(qtbot, owner.window())


def back_to(qtbot: QtBot, window: QWidget) -> None:
    """A dialog closed: ``window`` is active again.

    A desktop's window manager gives the activation back to the main window when one of
    its dialogs closes; the offscreen platform has no window manager and leaves no window
    active, so the test does what the window manager would (the till does it itself:
    ``CartView.focus_after_dialog``).
    """
    def active() -> bool:
        current = QApplication.activeWindow()
        # None, or a dialog that closed a moment ago: nothing the person could type into.
        if current is not window and (current is None or not current.isVisible()):
            window.activateWindow()
        return window.isActiveWindow()

    qtbot.waitUntil(active, timeout=WAIT_MS)


# -- 收银员: scan, quantity, cash, receipt; hold and recall ---------------------------------

@pytest.fixture
def till_session(app_ctx: AppContext) -> Iterator[SessionController]:
    """A session controller whose print queue prints to the demo's file printer
    (``<data dir>/receipts.prn``), as the app's is."""
    session = SessionController(app_ctx, print_queue=PrintQueue(app_ctx.printing))
    yield session
    session.close()  # stops the print worker


def test_cashier_sells_for_cash_prints_the_receipt_and_holds_a_cart(
    qtbot: QtBot, app_ctx: AppContext, till_session: SessionController,
) -> None:
    ctx, session = app_ctx, till_session
    window = log_in(qtbot, session, "cashier")
    till = open_screen(qtbot, window, "till")
    assert isinstance(till, TillView)
    view = till.cart_view
    scan_edit = view.panel.scan_edit
    first, second = plain_barcodes(ctx, window.actor, 2)

    # Scan: the scanner types the digits and Enter into the field that has the focus.
    type_text(qtbot, scan_edit, first)
    key(qtbot, Qt.Key.Key_Return)
    assert len(view.cart.lines) == 1
    # F3: three packs of the line just scanned.
    key(qtbot, Qt.Key.Key_F3)
    dialog = wait_dialog(qtbot, view, "quantity_dialog")
    type_text(qtbot, dialog.quantity_edit, "3")  # the old quantity is selected: replaced
    key(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, view, "quantity_dialog")
    line = view.cart.lines[0]
    assert line.quantity == 3 * line.product.units_per_pack
    total = view.cart.total

    # F2: cash, 500 handed over (three packs under 60 each), Enter.
    key(qtbot, Qt.Key.Key_F2)
    pay = wait_dialog(qtbot, view, "pay_dialog")
    type_text(qtbot, pay.tendered_edit, "500")
    assert pay.change_label.text().endswith(f"{Decimal(500) - total:.2f}")
    with qtbot.waitSignal(view.sale_completed, timeout=WAIT_MS) as completed:
        key(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, view, "pay_dialog")
    sold = completed.args[0]
    focus(qtbot, scan_edit)

    # The sale, its payment and its stock movements are in the database (INV-1).
    with ctx.uow(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale is not None
        assert sale.total_amount == total
        assert [(p.method, p.tendered, p.change) for p in sale.payments] == [
            ("cash", Decimal(500), Decimal(500) - total)]
        moved = uow.session.scalars(
            select(LedgerEntry.quantity).where(LedgerEntry.doc_no == sold.doc_no)).all()
    assert sum(moved) == -line.quantity

    # The receipt reaches the (file) printer: the print worker prints it off the GUI thread.
    printed = ctx.settings.data_dir / DEFAULT_RECEIPT_FILE
    qtbot.waitUntil(lambda: printed.exists()
                    and sold.doc_no in printed.read_bytes().decode("gb18030", "replace"),
                    timeout=WAIT_MS)
    receipt = printed.read_bytes().decode("gb18030", "replace")
    assert line.product.name in receipt
    assert "重打" not in receipt

    # F10: a marked copy of that receipt, Enter takes the offered reason (audited).
    key(qtbot, Qt.Key.Key_F10)
    wait_dialog(qtbot, view, "reprint_dialog")
    key(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, view, "reprint_dialog")
    qtbot.waitUntil(lambda: "重打" in printed.read_bytes().decode("gb18030", "replace"),
                    timeout=WAIT_MS)
    copy = printed.read_bytes().decode("gb18030", "replace")[len(receipt):]
    assert sold.doc_no in copy
    (reprinted,) = [json.loads(detail) for action, detail in audit_actions(ctx)
                    if action == "print.reprint"]
    assert reprinted["reason"] == "小票未打出或顾客要求补打"
    focus(qtbot, scan_edit)

    # F6 holds the next customer's cart (the till is free again), F6 recalls it.
    type_text(qtbot, scan_edit, second)
    key(qtbot, Qt.Key.Key_Return)
    held = [(ln.product.item_code, ln.quantity) for ln in view.cart.lines]
    key(qtbot, Qt.Key.Key_F6)
    assert view.cart.lines == []
    assert "挂单 1 张" in view.panel.held_label.text()
    focus(qtbot, scan_edit)
    key(qtbot, Qt.Key.Key_F6)
    assert [(ln.product.item_code, ln.quantity) for ln in view.cart.lines] == held
    assert not view.panel.held_label.isVisible()
    focus(qtbot, scan_edit)

    # F12 locks the till as the cashier walks away (SEC-3); the password unlocks it.
    key(qtbot, Qt.Key.Key_F12)
    lock = window.idle_lock.dialog
    assert lock is not None
    type_text(qtbot, lock.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=WAIT_MS):
        key(qtbot, Qt.Key.Key_Return)
    back_to(qtbot, window)
    focus(qtbot, scan_edit)


# -- 药师: sign one prescription (F9), refuse another (F10) ----------------------------------

AMOXICILLIN = "P000001"  # demo catalogue: 阿莫西林胶囊 0.25g*24粒, a prescription drug


def submit_prescription(ctx: AppContext, cashier: Actor, patient: str) -> int:
    """A cashier rings amoxicillin and sends its paper prescription to the pharmacist's
    queue (RX-1, RX-2); returns the prescription's id."""
    with ctx.uow(readonly=True) as uow:
        product_id = uow.products.by_item_codes([AMOXICILLIN])[AMOXICILLIN].id
    cart = ctx.sales.new_cart(cashier)
    ctx.sales.add_product(cashier, cart, product_id, "24", "unit")
    document = capture_document({
        "issue_date": ctx.clock.today().isoformat(),
        "institution": {"code": "H11010500002", "name": "朝阳区第一社区卫生服务中心",
                        "designated": True},
        "physician": {"name": "李时珍", "code": "D110105000123"},
        "signature_present": True, "seal_present": True,
        "patient": {"name": patient, "id_number": "11010519491231002X"},
        "diagnosis": {"name": "急性上呼吸道感染"},
        "items": [{"item_code": AMOXICILLIN, "quantity": 24, "unit": "粒", "dosage": "0.5g",
                   "frequency": "每日3次", "route": "口服", "days_of_supply": 4}],
    }, rx_no=f"RX-{patient}")
    ctx.sales.submit_prescription(cashier, cart, document)
    assert cart.review is not None
    return cart.review.prescription_id


def select_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    """↑/↓ in ``table`` (which must have the focus) until ``row`` is the current row."""
    focus(qtbot, table)
    for _ in range(table.model().rowCount()):
        current = table.currentIndex().row()
        if current == row:
            return
        key(qtbot, Qt.Key.Key_Down if current < row else Qt.Key.Key_Up)
    assert table.currentIndex().row() == row


def test_pharmacist_signs_one_prescription_and_refuses_another(
    qtbot: QtBot, app_ctx: AppContext, controller: SessionController,
) -> None:
    cashier = app_ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)
    signed_id = submit_prescription(app_ctx, cashier, "张三丰")
    refused_id = submit_prescription(app_ctx, cashier, "李四")

    window = log_in(qtbot, controller, "pharmacist")
    review = open_screen(qtbot, window, "review")
    assert isinstance(review, ReviewView)
    # Tab goes from the navigation into the screen: its queue.
    key(qtbot, Qt.Key.Key_Tab)
    ids = [e.prescription_id for e in review.queue_model.rows()]
    assert set(ids) >= {signed_id, refused_id}

    # ↓/↑ to the first prescription, F9, the pharmacist's signature, Enter.
    select_row(qtbot, review.queue_table, ids.index(signed_id))
    assert review.detail is not None and review.detail.entry.prescription_id == signed_id
    key(qtbot, Qt.Key.Key_F9)
    approve = wait_dialog(qtbot, review, "approve_dialog")
    assert isinstance(approve, ApproveDialog)
    assert approve.signature_label.text() == "审核药师签字：李明"
    key(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, review, "approve_dialog")
    assert review.message_label.text() == "已签字审核通过，收银台可以结算"

    # The other: F10, Alt+2 超剂量 (RX-5), Alt+N and a note, Enter.
    select_row(qtbot, review.queue_table, ids.index(refused_id))
    key(qtbot, Qt.Key.Key_F10)
    refuse = wait_dialog(qtbot, review, "refuse_dialog")
    assert isinstance(refuse, RefuseDialog)
    key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    # A mnemonic "animates" the click, which lands ~100 ms later.
    qtbot.waitUntil(lambda: refuse.chosen_reason() is RefusalReason.OVERDOSE, timeout=WAIT_MS)
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    type_chinese(qtbot, refuse.note_edit, "单次剂量超过说明书，请医师修改")
    key(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, review, "refuse_dialog")
    assert review.message_label.text().startswith("已拒绝调配")
    focus(qtbot, review.queue_table)

    # The decisions are recorded with the pharmacist's qualification number, and audited.
    with app_ctx.uow(readonly=True) as uow:
        signed = uow.sales.review_of(signed_id)
        refused = uow.sales.review_of(refused_id)
        assert signed is not None and refused is not None
        assert (signed.decision, signed.reviewer_qualification_no, signed.reviewer_id) == (
            "approved", "ZY00112233", window.actor.user_id)
        assert (refused.decision, refused.reason_code, refused.note) == (
            "refused", "overdose", "单次剂量超过说明书，请医师修改")
    actions = [action for action, _ in audit_actions(app_ctx)]
    assert actions.count("prescription.approved") == 1
    assert actions.count("prescription.refused") == 1


# -- 质量验收员: accept a delivery line by line (INV-2) ---------------------------------------

AMOXICILLIN_BARCODE = "6938265910656"  # demo P000001, 24 capsules a box


def receive_delivery(ctx: AppContext, receiver: Actor, *lots: str) -> ReceiptResult:
    """The store manager receives five boxes of amoxicillin per lot; it awaits acceptance."""
    assert ctx.store is not None
    service = ReceivingService(ctx.uow, ctx.clock, store_code=ctx.store.code)
    lines = [LineInput(row=n, product_key=AMOXICILLIN_BARCODE, lot_no=lot,
                       manufacture_date="2026-06-01", expiry_date="2028-05-31",
                       purchase_price="9.60", quantity="5")
             for n, lot in enumerate(lots, start=1)]
    return service.receive(receiver, supplier_name="国药控股北京有限公司",
                           delivery_note_no="SH-WALK-1", lines=lines)


def test_inspector_accepts_a_delivery_with_its_conclusions(
    qtbot: QtBot, app_ctx: AppContext, controller: SessionController,
) -> None:
    manager = app_ctx.users.authenticate("manager", DEMO_PASSWORD, terminal_id=TERMINAL)
    receipt = receive_delivery(app_ctx, manager, "W1", "W2", "W3")

    window = log_in(qtbot, controller, "inspector")
    acceptance = open_screen(qtbot, window, "acceptance")
    assert isinstance(acceptance, AcceptanceView)
    key(qtbot, Qt.Key.Key_Tab)  # from the navigation into the screen: its table
    table = focus(qtbot, acceptance.table)
    assert [p.lot_no for p in acceptance.pending_model.rows()] == ["W1", "W2", "W3"]

    # W1 passes whole: F9.
    select_row(qtbot, acceptance.table, 0)
    key(qtbot, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: [p.lot_no for p in acceptance.pending_model.rows()]
                    == ["W2", "W3"], timeout=WAIT_MS)
    # W2: F10, 2 of its 5 boxes pass, Alt+R and the reason for the rest, Enter.
    focus(qtbot, table)
    select_row(qtbot, acceptance.table, 0)
    key(qtbot, Qt.Key.Key_F10)
    reject = wait_dialog(qtbot, acceptance, "reject_dialog")
    assert isinstance(reject, RejectDialog)
    type_text(qtbot, reject.accepted_edit, "2")  # replaces the selected "0"
    key(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    type_chinese(qtbot, reject.reason_edit, "外包装破损")
    key(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, acceptance, "reject_dialog")
    assert "CT-" in acceptance.message_label.text()
    # W3, the rest of the delivery: F8.
    focus(qtbot, table)
    key(qtbot, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: acceptance.pending_model.rows() == [], timeout=WAIT_MS)
    assert acceptance.pending_label.text() == "待验收 0 行"

    # In the database: every line decided by the inspector, the batches sellable with
    # what passed, the received units in the ledger and the rejected ones returned.
    inspector_id = window.actor.user_id
    with app_ctx.uow(readonly=True) as uow:
        decided = []
        for line_id in receipt.line_ids:
            line = uow.session.get(DeliveryLine, line_id)
            (acceptance_row,) = uow.session.scalars(
                select(Acceptance).where(Acceptance.delivery_line_id == line_id)).all()
            batch = uow.session.get(Batch, line.batch_id)
            entries = uow.session.execute(
                select(LedgerEntry.entry_type, LedgerEntry.quantity, LedgerEntry.doc_no)
                .where(LedgerEntry.batch_id == line.batch_id)
                .order_by(LedgerEntry.chain_seq)).all()
            decided.append((line.lot_no, acceptance_row.inspector_id,
                            acceptance_row.accepted_units, acceptance_row.rejected_units,
                            acceptance_row.reason, batch.status,
                            uow.ledger.balance_of(batch.id),
                            [(t, q, d[:3]) for t, q, d in entries]))
    received = (LedgerEntryType.PURCHASE_IN, 120, receipt.doc_no[:3])
    assert decided == [
        ("W1", inspector_id, 120, 0, "", BatchStatus.SELLABLE, 120, [received]),
        ("W2", inspector_id, 48, 72, "外包装破损", BatchStatus.SELLABLE, 48,
         [received, (LedgerEntryType.PURCHASE_RETURN, -72, "CT-")]),
        ("W3", inspector_id, 120, 0, "", BatchStatus.SELLABLE, 120, [received]),
    ]
    assert [action for action, _ in audit_actions(app_ctx)].count("receiving.accept") == 3


# -- 店长: export the monthly stock report (REP-1); lock and unlock the screen (SEC-3) -------

def answer_save_dialog(qtbot: QtBot, path: Path, answered: list[str]) -> None:
    """Once the save-file dialog is up (modal: it runs its own event loop), type ``path``
    into its file-name field, which has the focus, and press Enter. A dialog that never
    comes, or stays, is closed with Esc after a while so that the test fails instead of
    hanging."""
    tries = 0

    def attempt() -> None:
        nonlocal tries
        tries += 1
        dialog = QApplication.activeModalWidget()
        edit = QApplication.focusWidget()
        if isinstance(dialog, QFileDialog) and dialog.isActiveWindow() and edit is not None:
            answered.append(type(edit).__name__)
            if not isinstance(edit, QLineEdit):  # not the file name: fail, never hang
                qtbot.keyClick(dialog, Qt.Key.Key_Escape)
                return
            # Ctrl+A and the path replace the suggested name.
            qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(edit, str(path))
            qtbot.keyClick(edit, Qt.Key.Key_Return)
            return
        if tries > 100:  # ~5 s: give up (the test then fails on ``answered``)
            if dialog is not None:
                qtbot.keyClick(dialog, Qt.Key.Key_Escape)
            return
        QTimer.singleShot(50, attempt)

    QTimer.singleShot(50, attempt)


def balance_by_rows(path: Path) -> list[dict[str, str]]:
    """The batch rows of an exported monthly stock report (CSV), keyed by column key."""
    headers = {column.header: column.key for column in monthly_stock.COLUMNS}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    keys = [headers[header] for header in rows[0]]
    return [dict(zip(keys, row, strict=True)) for row in rows[1:]
            if row[keys.index("lot_no")]]


# The save dialog's file-name completer pops up while the path is typed: the offscreen
# platform says it cannot raise that popup or let it grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support raise",
                           "This plugin does not support grabbing the keyboard")
def test_manager_exports_the_monthly_stock_report_and_locks_the_screen(
    qtbot: QtBot, app_ctx: AppContext, controller: SessionController, tmp_path: Path,
) -> None:
    # Something moved this month: a cash sale at the till.
    cashier = app_ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)
    cart = app_ctx.sales.new_cart(cashier)
    app_ctx.sales.scan(cashier, cart, plain_barcodes(app_ctx, cashier, 1)[0])
    app_ctx.sales.pre_settle(cashier, cart)
    sold = app_ctx.sales.complete(cashier, cart, method=PaymentMethod.CASH)

    window = log_in(qtbot, controller, "manager")
    reports = open_screen(qtbot, window, "reports")
    assert isinstance(reports, ReportsView)
    # Alt+n put the keys in the screen: the report list; Home picks the first, 进销存月报
    # (REP-1).
    focus(qtbot, reports.report_combo)
    key(qtbot, Qt.Key.Key_Home)
    assert reports.report_combo.currentData() == "monthly"
    # Tab to the month: the year is selected; a full year goes on to the month.
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, reports.month_edit, "2026")
    assert reports.month_edit.currentSection() is QDateTimeEdit.Section.MonthSection
    type_text(qtbot, reports.month_edit, "11")
    assert reports.month_edit.text() == "2026-11"
    # F5 builds it (off the GUI thread).
    key(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: reports.report() is not None and not reports.running_jobs(),
                    timeout=30_000)
    assert reports.report().period == "2026年11月"
    back_to(qtbot, window)  # the progress dialog closed

    # F7 is 导出 CSV; then the file's name in the save dialog.
    target = tmp_path / "monthly-2026-11.csv"
    answered: list[str] = []
    answer_save_dialog(qtbot, target, answered)
    key(qtbot, Qt.Key.Key_F7)
    assert answered == ["QLineEdit"], "the save-file dialog did not come"
    qtbot.waitUntil(lambda: reports.last_export == [target], timeout=30_000)
    assert reports.status.text() == f"已导出：{target}"
    back_to(qtbot, window)  # the file and the progress dialogs closed

    # The file balances row by row (REP-1) and closes at the ledger's balance.
    rows = balance_by_rows(target)
    assert rows
    movements = [(t.value, sign) for t, _, sign in monthly_stock.MOVEMENTS]
    for row in rows:
        moved = sum(sign * int(row[k]) for k, sign in movements)
        assert int(row["opening"]) + moved == int(row["closing"]), row
    with app_ctx.uow(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale is not None
        (allocation,) = [a for line in sale.lines for a in line.allocations]
        batch = uow.session.get(Batch, allocation.batch_id)
        assert batch is not None
        lot_no, item_code = batch.lot_no, uow.session.get(Product, batch.product_id).item_code
        balance = uow.ledger.balance_of(batch.id)
    (sold_row,) = [r for r in rows if (r["item_code"], r["lot_no"]) == (item_code, lot_no)]
    assert int(sold_row["sale_out"]) > 0
    assert int(sold_row["closing"]) == balance

    # Ctrl+L locks; a wrong password is refused, the right one unlocks.
    key(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    lock = window.idle_lock
    assert lock.is_locked
    dialog = lock.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    key(qtbot, Qt.Key.Key_Escape)  # Esc does not unlock
    assert lock.is_locked
    type_text(qtbot, dialog.password_edit, "Wrong2026")
    key(qtbot, Qt.Key.Key_Return)
    assert lock.is_locked and "密码错误" in dialog.error_label.text()
    type_text(qtbot, dialog.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=WAIT_MS):
        key(qtbot, Qt.Key.Key_Return)
    assert not lock.is_locked
    assert controller.main_window is window
    actions = [action for action, _ in audit_actions(app_ctx)]
    assert actions[-2:] == ["unlock.failed", "unlock.ok"]


# -- 管理员: add a user, log out, the new user logs in (SEC-1, SEC-3) -----------------------

def test_administrator_adds_a_user_who_then_logs_in(
    qtbot: QtBot, app_ctx: AppContext, controller: SessionController,
) -> None:
    window = log_in(qtbot, controller, "admin")
    users = open_screen(qtbot, window, "users")
    assert isinstance(users, UsersView)

    # Ctrl+N: the form; user name, Tab, name (IME), Tab to the first role, 收银员, Space.
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_dialog(qtbot, users, "add_dialog")
    assert isinstance(dialog, AddUserDialog)
    type_text(qtbot, dialog.username_edit, "sunli")
    key(qtbot, Qt.Key.Key_Tab)
    type_chinese(qtbot, dialog.name_edit, "孙丽")
    key(qtbot, Qt.Key.Key_Tab)
    focus(qtbot, dialog.role_boxes[Role.CASHIER])
    key(qtbot, Qt.Key.Key_Space)
    assert dialog.chosen_roles() == [Role.CASHIER]
    # Alt+P to the password, Alt+C to its confirmation, Enter saves.
    key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    type_text(qtbot, dialog.password_edit, "Sunny2026x")
    key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    type_text(qtbot, dialog.confirm_edit, "Sunny2026x")
    with qtbot.waitSignal(dialog.user_added, timeout=WAIT_MS):
        key(qtbot, Qt.Key.Key_Return)
    assert users.message_label.text() == "已新增用户 sunli（孙丽）"
    back_to(qtbot, window)

    # The account is in the database with its role, and the addition is audited (SEC-4).
    admin = window.actor
    (created,) = [u for u in app_ctx.users.list_users(admin) if u.username == "sunli"]
    assert (created.display_name, created.roles, created.frozen) == ("孙丽", (Role.CASHIER,),
                                                                     False)
    assert "user.add" in [action for action, _ in audit_actions(app_ctx)]

    # Ctrl+Shift+L logs out to the login window; the new cashier logs in at the till.
    with qtbot.waitSignal(controller.login_shown, timeout=WAIT_MS):
        key(qtbot, Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert controller.main_window is None
    new_window = log_in(qtbot, controller, "sunli", "Sunny2026x")
    assert new_window.actor.display_name == "孙丽"
    assert new_window.nav_keys()[0] == "till"
    assert isinstance(new_window.current_screen(), TillView)
