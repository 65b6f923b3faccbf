"""Printing in the UI, against a real network printer (a TCP listener on 127.0.0.1):
the till never waits for the printer and says when it is offline (SALE-6), 重试 prints
what waited, the history screen previews and reprints (重打, with a reason), a waiting job
is dismissed only with a reason, and the shift report adds up the day by means of payment.

The print worker runs on its own thread; the tests wait for its reports (signals) or for
the listener's bytes, never for a fixed time.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pharmacy_pos.bootstrap import AppContext, build_context
from pharmacy_pos.db.models import Product, ProductBarcode
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.product import ControlledCategory
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.sales import CompletedSale
from pharmacy_pos.ui.history_view import HistoryView
from pharmacy_pos.ui.pay_dialog import PayDialog
from pharmacy_pos.ui.print_status import PrintQueue, PrintQueueDialog, ReasonDialog
from pharmacy_pos.ui.printout_view import CJK_MONO_FAMILY, PrintoutPreview
from pharmacy_pos.ui.return_view import ReturnView
from pharmacy_pos.ui.session import SessionController
from pharmacy_pos.ui.till_view import TillView
from tests.devices.tcp_printer import STATUS_OK, TcpPrinter, refused_port
from tests.ui.conftest import DB_FILE, TERMINAL, ui_settings
from tests.ui.helpers import audit_actions, commit_text, log_in_as

WAIT_MS = 5000
RED = "#c0392b"


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture
def port() -> int:
    """The printer's port: nobody listens there until a test switches the printer on."""
    return refused_port()


@pytest.fixture
def ctx(demo_template: Path, tmp_path: Path, ui_clock: FixedClock, port: int,
        ) -> Iterator[AppContext]:
    """A context over a copy of the demo database, printing to tcp:127.0.0.1:<port>."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
        if (demo_template / name).exists():
            shutil.copy2(demo_template / name, data_dir / name)
    settings = ui_settings(data_dir).model_copy(update={"printer": f"tcp:127.0.0.1:{port}"})
    context = build_context(settings, clock=ui_clock)
    yield context
    context.close()


@pytest.fixture
def cashier(ctx: AppContext) -> Actor:
    """The demo cashier, logged in."""
    return ctx.users.authenticate("cashier", DEMO_PASSWORD, terminal_id=TERMINAL)


@pytest.fixture
def queue(ctx: AppContext) -> Iterator[PrintQueue]:
    """The terminal's print queue, its worker running."""
    print_queue = PrintQueue(ctx.printing)
    print_queue.start()
    yield print_queue
    print_queue.stop()


@pytest.fixture
def printer(port: int) -> Iterator[TcpPrinter]:
    """The printer, switched on at the configured port."""
    with TcpPrinter(status=STATUS_OK, port=port) as listener:
        yield listener


@pytest.fixture
def till(qtbot: QtBot, ctx: AppContext, cashier: Actor, queue: PrintQueue) -> Iterator[TillView]:
    """The till, shown and active, following the print queue."""
    view = TillView(ctx, cashier)
    view.print_status.set_queue(queue)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=WAIT_MS)
    qtbot.waitUntil(view.cart_view.panel.scan_edit.hasFocus, timeout=WAIT_MS)
    yield view
    view.close()


@pytest.fixture
def history(qtbot: QtBot, ctx: AppContext, cashier: Actor,
            queue: PrintQueue) -> Callable[[], HistoryView]:
    """Open the history screen (after the test has made its sales)."""

    def _open() -> HistoryView:
        view = HistoryView(ctx, cashier, print_queue=queue)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow, timeout=WAIT_MS)
        return view

    return _open


# -- helpers ----------------------------------------------------------------------------------

def plain_barcodes(ctx: AppContext, actor: Actor, count: int) -> list[str]:
    """Barcodes of distinct over-the-counter products that scan without any finding."""
    with ctx.uow(readonly=True) as uow:
        codes = uow.session.scalars(
            select(ProductBarcode.barcode).join(Product)
            .where(Product.active.is_(True), Product.is_prescription.is_(False),
                   Product.controlled_category == ControlledCategory.NONE)
            .order_by(Product.item_code, ProductBarcode.barcode)).all()
    found: list[str] = []
    products: set[str] = set()
    for code in codes:
        cart = ctx.sales.new_cart(actor)
        ctx.sales.scan(actor, cart, code)
        line = cart.lines[0]
        if not cart.findings and line.product.name not in products \
                and line.product.retail_price < 60:
            found.append(code)
            products.add(line.product.name)
            if len(found) == count:
                return found
    raise AssertionError(f"the demo has fewer than {count} plain products")


def sell(ctx: AppContext, actor: Actor, code: str, method: PaymentMethod = PaymentMethod.CASH,
         tendered: Decimal | None = Decimal(100)) -> CompletedSale:
    """A sale of one product through the service, as the till records it."""
    cart = ctx.sales.new_cart(actor)
    ctx.sales.scan(actor, cart, code)
    return ctx.sales.complete(actor, cart, method=method,
                              tendered=tendered if method is PaymentMethod.CASH else None)


def printed_text(data: bytes) -> str:
    """The printer's bytes as text (the receipt is in GB18030)."""
    return data.decode("gb18030", errors="replace")


def click(qtbot: QtBot, button: QPushButton) -> None:
    """Click a button with the mouse."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_idle(qtbot: QtBot, queue: PrintQueue) -> None:
    """Wait until the worker reports an empty queue and a working printer."""
    qtbot.waitUntil(lambda: queue.state.printer_ok and not queue.state.pending,
                    timeout=WAIT_MS)


def ok_button(dialog: ReasonDialog) -> QPushButton:
    """The reason dialog's 确定."""
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(QDialogButtonBox.StandardButton.Ok)


# -- the preview ------------------------------------------------------------------------------

def test_the_preview_is_paper_wide_and_a_chinese_character_takes_two_columns(
    qtbot: QtBot, ctx: AppContext, cashier: Actor,
) -> None:
    sold = sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
    document = ctx.printing.document(cashier, "receipt", sold.doc_no)
    preview = PrintoutPreview(document.columns)
    qtbot.addWidget(preview)
    preview.show_document(document)
    assert preview.isReadOnly()
    assert preview.font().family() == CJK_MONO_FAMILY
    metrics = QFontMetricsF(preview.font())
    assert metrics.horizontalAdvance("药" * 24) == metrics.horizontalAdvance("0" * 48)
    paper = metrics.horizontalAdvance("0" * document.columns)
    assert paper < preview.width() < paper + 80  # narrow: the paper and its margins
    preview.show()
    qtbot.waitExposed(preview)
    assert preview.horizontalScrollBar().maximum() == 0  # every line fits across
    assert any(sold.doc_no in line for line in preview.lines())


# -- the till ---------------------------------------------------------------------------------

def test_sale_6_an_offline_printer_never_holds_the_till_and_retry_prints_the_receipt(
    qtbot: QtBot, till: TillView, ctx: AppContext, cashier: Actor, queue: PrintQueue,
    port: int,
) -> None:
    status = till.print_status
    qtbot.waitUntil(lambda: status.status_label.text() == "打印机正常", timeout=WAIT_MS)
    code = plain_barcodes(ctx, cashier, 1)[0]
    edit = till.cart_view.panel.scan_edit
    qtbot.keyClicks(edit, code)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert len(till.cart_view.cart.lines) == 1
    qtbot.keyClick(edit, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: till.cart_view.pay_dialog is not None, timeout=WAIT_MS)
    dialog = till.cart_view.pay_dialog
    assert isinstance(dialog, PayDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.tendered_edit, "100")
    started = time.perf_counter()
    with qtbot.waitSignal(till.cart_view.sale_completed, timeout=WAIT_MS) as done:
        qtbot.keyClick(dialog.tendered_edit, Qt.Key.Key_Return)
    assert time.perf_counter() - started < 1.5  # the printer is not waited for
    sold: CompletedSale = done.args[0]
    assert sold.doc_no in till.cart_view.panel.receipt_label.text()

    # The worker tried, the printer refused: the till says so, in red.
    qtbot.waitUntil(lambda: "1 张待打印" in status.status_label.text(), timeout=WAIT_MS)
    assert status.status_label.text().startswith("打印机离线：1 张待打印（")
    assert RED in status.status_label.styleSheet()
    assert status.retry_button.isVisible()
    assert [job.doc_no for job in queue.state.pending] == [sold.doc_no]

    # The printer is back at its address: 重试 prints the receipt at once.
    with TcpPrinter(status=STATUS_OK, port=port) as listener:
        with qtbot.waitSignal(queue.state_changed, timeout=WAIT_MS,
                              check_params_cb=lambda s: s.printer_ok and not s.pending):
            click(qtbot, status.retry_button)
        data = listener.jobs(1)[0]
    assert sold.doc_no in printed_text(data)
    assert status.status_label.text() == "打印机正常"
    assert RED not in status.status_label.styleSheet()
    assert ctx.printing.pending() == []


def test_a_waiting_job_is_dismissed_only_with_a_reason(
    qtbot: QtBot, till: TillView, ctx: AppContext, cashier: Actor, queue: PrintQueue,
    qtmodeltester,
) -> None:
    sold = sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
    queue.wake()
    status = till.print_status
    qtbot.waitUntil(lambda: "1 张待打印" in status.status_label.text(), timeout=WAIT_MS)
    click(qtbot, status.queue_button)
    qtbot.waitUntil(lambda: status.dialog is not None, timeout=WAIT_MS)
    dialog = status.dialog
    assert isinstance(dialog, PrintQueueDialog)
    qtmodeltester.check(dialog.model)
    [job] = dialog.model.rows()
    assert job.doc_no == sold.doc_no and job.attempts >= 1 and job.last_error
    assert dialog.selected_job() == job

    click(qtbot, dialog.dismiss_button)
    assert dialog.message_label.text() == "请填写不打印的原因"
    assert [j.doc_no for j in ctx.printing.pending()] == [sold.doc_no]

    commit_text(dialog.reason_edit, "顾客不要小票")
    with qtbot.waitSignal(queue.state_changed, timeout=WAIT_MS,
                          check_params_cb=lambda s: not s.pending):
        click(qtbot, dialog.dismiss_button)
    assert ctx.printing.pending() == []
    assert dialog.model.rows() == []
    qtbot.waitUntil(lambda: status.status_label.text() == "打印机正常", timeout=WAIT_MS)
    assert any(action == "print.dismiss" and "顾客不要小票" in detail
               for action, detail in audit_actions(ctx))
    dialog.reject()
    qtbot.waitUntil(lambda: status.dialog is None, timeout=WAIT_MS)


# -- history ----------------------------------------------------------------------------------

def test_history_lists_the_sale_previews_it_and_ctrl_p_reprints_a_marked_copy(
    qtbot: QtBot, ctx: AppContext, cashier: Actor, queue: PrintQueue, printer: TcpPrinter,
    history: Callable[[], HistoryView], qtmodeltester,
) -> None:
    first, second = plain_barcodes(ctx, cashier, 2)
    earlier = sell(ctx, cashier, first)
    sold = sell(ctx, cashier, second, PaymentMethod.WECHAT)
    queue.wake()
    wait_idle(qtbot, queue)
    assert len(printer.jobs(2)) == 2

    view = history()
    qtmodeltester.check(view.model)
    rows = view.model.rows()
    assert [r.doc_no for r in rows] == [sold.doc_no, earlier.doc_no]  # newest first
    newest = rows[0]
    assert (newest.kind_label, newest.total, newest.cashier, newest.insured) == (
        "销售", sold.total, cashier.display_name, False)
    assert view.model.index(0, 3).data() == format_yuan(sold.total)
    assert view.table.hasFocus()
    # The newest is selected; ↓ goes to the earlier one and its receipt shows.
    assert view.selected_row() == rows[0]
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected_row() == rows[1]
    text = "\n".join(view.preview.lines())
    assert earlier.doc_no in text and format_yuan(earlier.total) in text
    assert "重打" not in text
    assert view.printout_combo.currentText() == "销售小票"

    # Ctrl+P asks why; no reason, no reprint.
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.reason_dialog is not None, timeout=WAIT_MS)
    dialog = view.reason_dialog
    assert isinstance(dialog, ReasonDialog)
    assert earlier.doc_no in dialog.findChild(type(view.message_label)).text()
    click(qtbot, ok_button(dialog))
    assert dialog.message_label.text() == "请填写原因"
    assert view.reason_dialog is dialog
    commit_text(dialog.reason_edit, "顾客小票丢失")
    click(qtbot, ok_button(dialog))
    qtbot.waitUntil(lambda: view.reason_dialog is None, timeout=WAIT_MS)
    assert "重打" in view.message_label.text()

    copy = printed_text(printer.jobs(3)[2])
    assert earlier.doc_no in copy and "重打" in copy
    wait_idle(qtbot, queue)
    assert any(action == "print.reprint" and "顾客小票丢失" in detail
               for action, detail in audit_actions(ctx))


def test_another_day_lists_nothing(
    qtbot: QtBot, ctx: AppContext, cashier: Actor, history: Callable[[], HistoryView],
) -> None:
    sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
    view = history()
    assert view.model.rowCount() == 1
    view.date_edit.setDate(view.date_edit.date().addDays(-1))
    assert view.model.rowCount() == 0
    assert view.preview.lines() == []
    assert not view.reprint_button.isEnabled()


def test_shift_report_preview_shows_the_days_totals_by_means_of_payment_and_prints(
    qtbot: QtBot, ctx: AppContext, cashier: Actor, ui_clock: FixedClock, queue: PrintQueue,
    printer: TcpPrinter, history: Callable[[], HistoryView],
) -> None:
    first, second, third = plain_barcodes(ctx, cashier, 3)
    cash = [sell(ctx, cashier, first), sell(ctx, cashier, second)]
    wechat = sell(ctx, cashier, third, PaymentMethod.WECHAT)
    ui_clock.advance(minutes=30)
    queue.wake()
    wait_idle(qtbot, queue)
    printed = len(printer.jobs(3))

    view = history()
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: view.shift_dialog is not None, timeout=WAIT_MS)
    dialog = view.shift_dialog
    assert dialog is not None
    assert "销售 3 笔" in dialog.summary_label.text()
    lines = dialog.preview.lines()
    cash_total = sum((s.total for s in cash), Decimal(0))

    def amount_of(label: str) -> str:
        row = next(line for line in lines if line.startswith(label))
        return row.split()[-1]

    assert amount_of("现金") == format_yuan(cash_total)
    assert amount_of("微信") == format_yuan(wechat.total)
    assert amount_of("销售笔数") == "3"
    assert amount_of("销售金额") == format_yuan(cash_total + wechat.total)

    click(qtbot, dialog.print_button)
    qtbot.waitUntil(lambda: view.shift_dialog is None, timeout=WAIT_MS)
    report = printed_text(printer.jobs(printed + 1)[printed])
    assert "交班报表" in report and format_yuan(wechat.total) in report
    assert "交班报表已加入打印队列" in view.message_label.text()


# -- the session ------------------------------------------------------------------------------

def test_the_session_starts_the_print_worker_shows_it_at_the_till_and_stops_it(
    qtbot: QtBot, ctx: AppContext,
) -> None:
    print_queue = PrintQueue(ctx.printing)
    controller = SessionController(ctx, print_queue=print_queue)
    window = log_in_as(qtbot, controller, "cashier", DEMO_PASSWORD)
    try:
        assert print_queue.running
        till = window.current_screen()
        assert isinstance(till, TillView)
        assert till.print_status.queue is print_queue
        assert till.print_status.isVisible()
        qtbot.waitUntil(lambda: till.print_status.status_label.text() == "打印机正常",
                        timeout=WAIT_MS)
        history_view = window.show_screen("history")
        assert isinstance(history_view, HistoryView)
        assert history_view.model.rowCount() == 0
        # A return's slip is queued with it: the return screen wakes the worker.
        returns = window.show_screen("returns")
        assert isinstance(returns, ReturnView)
        cashier = window.actor
        sell(ctx, cashier, plain_barcodes(ctx, cashier, 1)[0])
        with qtbot.waitSignal(print_queue.state_changed, timeout=WAIT_MS,
                              check_params_cb=lambda s: len(s.pending) == 1):
            returns.return_completed.emit(None)
    finally:
        controller.close()
    assert not print_queue.running
