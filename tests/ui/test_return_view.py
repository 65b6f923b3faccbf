"""退货 screen (SALE-7): find the receipt, choose units per line by keyboard, a store
manager approves at the terminal; stock comes back; wrong or own credentials, an unknown
receipt and a missing reason record nothing; an insured sale is locked to the whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QSpinBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.sale import PaymentMethod, refund_share
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.sales import CompletedSale
from pharmacy_pos.ui.return_view import ApprovalDialog, ReturnLinesModel, ReturnView
from pharmacy_pos.ui.screens import screens_for
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import commit_text

WAIT_MS = 2000
UNITS = ReturnLinesModel.UNITS


@pytest.fixture
def cashier(log_in: Callable[[str], Actor]) -> Actor:
    """The demo cashier, logged in."""
    return log_in("cashier")


def _otc_codes(ctx: AppContext, cashier: Actor, wanted: int) -> list[str]:
    """Barcodes of OTC products in stock, sold in boxes of several units, that the till
    lets a cashier sell without a card or prescription (e.g. no pseudoephedrine)."""
    assert ctx.store is not None
    with ctx.uow(readonly=True) as uow:
        candidates = [barcodes[0] for product, units, barcodes
                      in uow.products.search_with_stock("", ctx.store.id, 1000)
                      if barcodes and not product.is_prescription
                      and product.units_per_pack > 1 and units >= 4 * product.units_per_pack]
    codes = []
    for code in candidates:
        if not ctx.sales.scan(cashier, ctx.sales.new_cart(cashier), code).blocked:
            codes.append(code)
        if len(codes) == wanted:
            return codes
    raise AssertionError("the demo catalogue has no OTC product the till can sell")


@pytest.fixture
def sold(app_ctx: AppContext, cashier: Actor) -> CompletedSale:
    """A cash sale by the demo cashier: two boxes of one OTC product, one of another."""
    first, second = _otc_codes(app_ctx, cashier, 2)
    cart = app_ctx.sales.new_cart(cashier)
    for code in (first, first, second):
        cart = app_ctx.sales.scan(cashier, cart, code)
    assert not cart.blocked
    return app_ctx.sales.complete(cashier, cart, method=PaymentMethod.CASH)


@pytest.fixture
def view(qtbot: QtBot, app_ctx: AppContext, cashier: Actor) -> ReturnView:
    """The return screen, shown and active so that its shortcuts work."""
    screen = ReturnView(app_ctx, cashier)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=WAIT_MS)
    return screen


def _look_up(qtbot: QtBot, view: ReturnView, doc_no: str) -> None:
    qtbot.keyClicks(view.doc_edit, doc_no)
    qtbot.keyClick(view.doc_edit, Qt.Key.Key_Return)


def _type_units(qtbot: QtBot, view: ReturnView, row: int, units: int) -> None:
    """Go to a line's 本次退货 cell, F2, type the number, Enter."""
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(row, UNITS))
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = view.table.findChild(QSpinBox, "units_editor")
    assert editor is not None and editor.hasFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, str(units))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.table.findChild(QSpinBox, "units_editor") is None,
                    timeout=WAIT_MS)


def _press(qtbot: QtBot, view: ReturnView, key: Qt.Key) -> None:
    """Press a button's shortcut and wait for its click (shortcuts "animate" the click,
    which lands ~100 ms later)."""
    button = {Qt.Key.Key_F8: view.fill_button, Qt.Key.Key_F9: view.approve_button}[key]
    with qtbot.waitSignal(button.clicked, timeout=WAIT_MS):
        qtbot.keyClick(view, key)


def _open_approval(qtbot: QtBot, view: ReturnView) -> ApprovalDialog:
    _press(qtbot, view, Qt.Key.Key_F9)
    dialog = view.approval_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    return dialog


def _approve(qtbot: QtBot, dialog: ApprovalDialog, username: str, password: str) -> None:
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def _batch_of_first_line(ctx: AppContext, doc_no: str) -> int:
    with ctx.uow(readonly=True) as uow:
        sale = uow.sales.by_doc_no(doc_no)
        assert sale is not None
        first = min(sale.lines, key=lambda line: line.line_no)
        return first.allocations[0].batch_id


def _balance(ctx: AppContext, batch_id: int) -> int:
    with ctx.uow(readonly=True) as uow:
        return uow.ledger.balance_of(batch_id)


def _nothing_returned(ctx: AppContext, cashier: Actor, sold: CompletedSale) -> bool:
    found = ctx.returns.find(cashier, sold.doc_no)
    return found.earlier_returns == () and all(line.returned_units == 0
                                               for line in found.lines)


def test_the_receipt_field_has_the_focus_when_the_screen_opens(view: ReturnView) -> None:
    assert view.doc_edit.hasFocus()
    assert view.model.rowCount() == 0
    assert not view.approve_button.isEnabled()


def test_sale_7_part_of_a_line_comes_back_with_the_managers_approval(
    qtbot: QtBot, view: ReturnView, app_ctx: AppContext, cashier: Actor, sold: CompletedSale,
    message_boxes: BoxRecorder,
) -> None:
    batch = _batch_of_first_line(app_ctx, sold.doc_no)
    before = _balance(app_ctx, batch)
    _look_up(qtbot, view, sold.doc_no.lower())  # a typed number need not be upper case
    assert view.model.rowCount() == 2
    line = view.model.line_at(0)
    assert line.sold_units == 2 * line.units_per_pack and line.returnable_units == line.sold_units
    assert sold.doc_no in view.sale_label.text()
    assert view.table.hasFocus() and view.table.currentIndex().column() == UNITS

    _type_units(qtbot, view, 0, 3)
    share = refund_share(line.amount, line.sold_units, 0, 3)
    assert view.model.index(0, UNITS).data() == f"3{line.min_unit}"
    assert f"¥{share:.2f}" in view.preview_label.text()
    commit_text(view.reason_edit, "顾客买重了")

    dialog = _open_approval(qtbot, view)
    assert dialog.password_edit.echoMode() is QLineEdit.EchoMode.Password
    with qtbot.waitSignal(view.return_completed, timeout=WAIT_MS) as completed:
        _approve(qtbot, dialog, "manager", DEMO_PASSWORD)
    done = completed.args[0]
    assert message_boxes.shown == []
    assert done.refund_total == share and done.cash_refund == share
    assert done.refund_method is PaymentMethod.CASH and done.approved_by == "刘洋"
    with app_ctx.uow(readonly=True) as uow:
        slip = uow.sales.by_doc_no(done.doc_no)
        assert slip is not None and slip.kind == "return" and slip.reason == "顾客买重了"
        assert [(back.quantity, back.amount) for back in slip.lines] == [(3, share)]
    assert _balance(app_ctx, batch) == before + 3
    # The slip is on screen, the rest is cleared for the next customer.
    qtbot.waitUntil(lambda: view.approval_dialog is None, timeout=WAIT_MS)
    assert done.doc_no in view.message_label.text() and "现金" in view.message_label.text()
    assert view.model.rowCount() == 0 and view.doc_edit.text() == ""
    assert view.reason_edit.text() == ""
    # The offscreen platform does not re-activate the window when the dialog closes:
    # check where the focus will be, not that the window has it.
    assert view.focusWidget() is view.doc_edit
    again = app_ctx.returns.find(cashier, sold.doc_no)
    assert again.lines[0].returnable_units == line.sold_units - 3


def test_sec_3_a_wrong_manager_password_is_refused_and_nothing_is_recorded(
    qtbot: QtBot, view: ReturnView, app_ctx: AppContext, cashier: Actor, sold: CompletedSale,
    message_boxes: BoxRecorder,
) -> None:
    batch = _batch_of_first_line(app_ctx, sold.doc_no)
    before = _balance(app_ctx, batch)
    _look_up(qtbot, view, sold.doc_no)
    _type_units(qtbot, view, 0, 1)
    commit_text(view.reason_edit, "质量问题")
    dialog = _open_approval(qtbot, view)
    _approve(qtbot, dialog, "manager", "wrong-password")
    assert len(message_boxes.shown) == 1
    assert "密码" in message_boxes.shown[0].text
    assert dialog.isVisible() and dialog.password_edit.text() == ""
    assert "密码" in dialog.error_label.text()
    assert _nothing_returned(app_ctx, cashier, sold)
    assert _balance(app_ctx, batch) == before
    # Cancelling leaves the return on screen as it was typed.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.approval_dialog is None, timeout=WAIT_MS)
    assert view.model.index(0, UNITS).data().startswith("1")
    assert view.reason_edit.text() == "质量问题"


def test_sale_7_the_cashier_cannot_approve_their_own_return(
    qtbot: QtBot, view: ReturnView, app_ctx: AppContext, cashier: Actor, sold: CompletedSale,
    message_boxes: BoxRecorder,
) -> None:
    _look_up(qtbot, view, sold.doc_no)
    _type_units(qtbot, view, 1, 1)
    commit_text(view.reason_edit, "质量问题")
    dialog = _open_approval(qtbot, view)
    _approve(qtbot, dialog, "cashier", DEMO_PASSWORD)
    assert [box.text[:8] for box in message_boxes.shown] == ["[SALE-7]"]
    assert "[SALE-7]" in dialog.error_label.text()
    assert dialog.isVisible()
    assert _nothing_returned(app_ctx, cashier, sold)


def test_an_unknown_receipt_number_is_explained_and_nothing_is_shown(
    qtbot: QtBot, view: ReturnView, sold: CompletedSale, message_boxes: BoxRecorder,
) -> None:
    _look_up(qtbot, view, sold.doc_no)
    assert view.model.rowCount() == 2
    view.doc_edit.selectAll()
    _look_up(qtbot, view, "XS-NO-SUCH-RECEIPT")
    assert len(message_boxes.shown) == 1
    assert "找不到销售单" in message_boxes.shown[0].text
    assert "XS-NO-SUCH-RECEIPT" in message_boxes.shown[0].text
    assert "没有打开小票“XS-NO-SUCH-RECEIPT”" in view.message_label.text()
    assert view.model.rowCount() == 0 and not view.approve_button.isEnabled()
    assert view.doc_edit.hasFocus() and view.doc_edit.selectedText() == "XS-NO-SUCH-RECEIPT"


def test_f8_fills_every_line_and_the_preview_is_the_whole_sale(
    qtbot: QtBot, view: ReturnView, sold: CompletedSale,
) -> None:
    _look_up(qtbot, view, sold.doc_no)
    _press(qtbot, view, Qt.Key.Key_F8)
    lines = [view.model.line_at(row) for row in range(view.model.rowCount())]
    assert len(lines) == 2
    assert view.desk.chosen() == {line.line_id: line.sold_units for line in lines}
    assert all(view.model.index(row, UNITS).data() for row in range(2))
    assert f"¥{sold.total:.2f}" in view.preview_label.text()
    assert view.reason_edit.hasFocus()


def test_a_reason_is_required_before_the_manager_is_asked(
    qtbot: QtBot, view: ReturnView, app_ctx: AppContext, cashier: Actor, sold: CompletedSale,
) -> None:
    _look_up(qtbot, view, sold.doc_no)
    _press(qtbot, view, Qt.Key.Key_F9)
    assert view.approval_dialog is None and "退货数量" in view.message_label.text()
    _type_units(qtbot, view, 0, 2)
    _press(qtbot, view, Qt.Key.Key_F9)
    assert view.approval_dialog is None and "退货原因" in view.message_label.text()
    assert view.reason_edit.hasFocus()
    assert _nothing_returned(app_ctx, cashier, sold)


def test_units_beyond_what_remains_cannot_be_typed(
    qtbot: QtBot, view: ReturnView, sold: CompletedSale,
) -> None:
    _look_up(qtbot, view, sold.doc_no)
    line = view.model.line_at(0)
    _type_units(qtbot, view, 0, line.returnable_units * 10)
    assert view.desk.units[line.line_id] <= line.returnable_units
    assert not view.model.setData(view.model.index(0, UNITS), line.returnable_units + 1)


def test_sale_7_an_insured_sale_is_locked_to_the_whole_sale(
    qtbot: QtBot, view: ReturnView, app_ctx: AppContext, cashier: Actor, sold: CompletedSale,
) -> None:
    found = app_ctx.returns.find(cashier, sold.doc_no)
    insured = replace(found, insured=True, fund_pay=Decimal("5.00"),
                      acct_pay=Decimal("1.00"), cash_pay=found.total - Decimal("6.00"))
    view.show_sale(insured)
    assert view.insured_label.isVisible() and "整单退货" in view.insured_label.text()
    assert view.desk.chosen() == {line.line_id: line.returnable_units for line in found.lines}
    assert not view.model.flags(view.model.index(0, UNITS)) & Qt.ItemFlag.ItemIsEditable
    assert not view.model.setData(view.model.index(0, UNITS), 1)
    assert not view.fill_button.isEnabled()
    preview = view.preview_label.text()
    assert "统筹基金 ¥5.00" in preview and "个人账户 ¥1.00" in preview
    assert f"¥{found.total:.2f}" in preview
    assert view.reason_edit.hasFocus()


def test_the_lines_model_is_a_well_behaved_qt_model(
    qtbot: QtBot, qtmodeltester: ModelTester, view: ReturnView, sold: CompletedSale,
) -> None:
    _look_up(qtbot, view, sold.doc_no)
    qtmodeltester.check(view.model)


def test_the_screen_is_offered_to_sellers_right_after_the_till(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    cashier = log_in("cashier")
    keys = [spec.key for spec in screens_for(cashier)]
    assert keys[keys.index("till") + 1] == "returns"
    assert "returns" not in [spec.key for spec in screens_for(log_in("auditor"))]
    spec = next(spec for spec in screens_for(cashier) if spec.key == "returns")
    assert spec.display_title == "退货"
    screen = spec.factory(app_ctx, cashier, None)
    qtbot.addWidget(screen)
    assert isinstance(screen, ReturnView)
