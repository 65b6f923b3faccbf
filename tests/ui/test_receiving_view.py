"""收货: a delivery typed from the scanner and the keyboard, saved with Ctrl+S (INV-2)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import Batch, Delivery, DeliveryLine
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.receiving_view import ReceivingView
from pharmacy_pos.ui.screens import screens_for
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import audit_actions

AMOX = "6938265910656"  # demo catalogue P000001 阿莫西林胶囊 0.25g*24粒, 国药准字H20191379
SUPPLIER = "国药控股北京有限公司"
LAPSED = "某市康达医药有限公司（许可证已过期）"


@pytest.fixture
def open_view(qtbot: QtBot, app_ctx: AppContext,
              log_in: Callable[[str], Actor]) -> Callable[..., ReceivingView]:
    """Open the receiving screen as the store manager, the window active."""

    def _open(username: str = "manager") -> ReceivingView:
        view = ReceivingView(app_ctx, log_in(username))
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)  # Ctrl+S needs it
        return view

    return _open


def choose_supplier(view: ReceivingView, name: str) -> None:
    """Pick a supplier as the combo box lists it."""
    index = next(i for i in range(view.supplier_combo.count())
                 if view.supplier_combo.itemText(i).startswith(name))
    view.supplier_combo.setCurrentIndex(index)


def type_header(qtbot: QtBot, view: ReceivingView, note: str = "SH-20261101") -> None:
    """Delivery-note number and invoice, Enter after each: ends in the scanner field."""
    view.note_edit.setFocus()
    for edit, text in ((view.note_edit, note), (view.invoice_code_edit, "011001900111"),
                       (view.invoice_no_edit, "12345678")):
        assert edit.hasFocus()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert view.scan_edit.hasFocus()


def scan_line(qtbot: QtBot, view: ReceivingView, *, lot: str, made: str, expiry: str,
              price: str, quantity: str) -> None:
    """Scan the box, then type each field and Enter, as on the delivery note."""
    qtbot.keyClicks(view.scan_edit, AMOX)
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_Return)
    assert view.lot_edit.hasFocus()
    assert view.approval_edit.text() == "国药准字H20191379"  # from the catalogue
    for edit, text in ((view.lot_edit, lot), (view.made_edit, made),
                       (view.expiry_edit, expiry), (view.approval_edit, ""),
                       (view.price_edit, price), (view.quantity_edit, quantity)):
        assert edit.hasFocus(), edit.objectName()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert view.scan_edit.hasFocus()


def deliveries(ctx: AppContext) -> list[tuple[str, str, int, BatchStatus]]:
    """(note no, lot, units, batch status) of every received line."""
    with ctx.uow(readonly=True) as uow:
        return [tuple(row) for row in uow.session.execute(
            select(Delivery.delivery_note_no, DeliveryLine.lot_no, DeliveryLine.quantity,
                   Batch.status)
            .join(DeliveryLine, DeliveryLine.delivery_id == Delivery.id)
            .join(Batch, Batch.id == DeliveryLine.batch_id)
            .order_by(DeliveryLine.id))]


def test_the_screen_is_offered_to_staff_who_receive_goods(log_in):
    for username in ("manager", "inspector"):
        assert "receiving" in [s.key for s in screens_for(log_in(username))]
    for username in ("cashier", "pharmacist", "auditor", "admin"):
        assert "receiving" not in [s.key for s in screens_for(log_in(username))]


def test_a_delivery_is_scanned_typed_and_saved_by_keyboard(qtbot, open_view, app_ctx):
    view = open_view()
    assert SUPPLIER in [view.supplier_combo.itemText(i)
                        for i in range(view.supplier_combo.count())]
    choose_supplier(view, SUPPLIER)
    type_header(qtbot, view)
    scan_line(qtbot, view, lot="A2611", made="2026-06-01", expiry="2028-05-31",
              price="9.60", quantity="5")
    scan_line(qtbot, view, lot="A2612", made="2026-07-01", expiry="2028-06-30",
              price="9.60", quantity="2")
    ModelTester(None).check(view.lines_model)  # a sane Qt model
    assert [d.quantity_text for d in view.draft_lines()] == ["5盒", "2盒"]
    assert view.total_label.text() == "共 2 行"

    qtbot.keyClick(view.scan_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.last_receipt is not None)
    assert view.last_receipt.doc_no.startswith("RK-")
    assert "已收货 RK-" in view.message_label.text()
    assert "待质量验收" in view.message_label.text()
    assert view.draft_lines() == [] and view.note_edit.text() == ""
    assert deliveries(app_ctx) == [
        ("SH-20261101", "A2611", 120, BatchStatus.AWAITING_ACCEPTANCE),
        ("SH-20261101", "A2612", 48, BatchStatus.AWAITING_ACCEPTANCE)]
    assert "receiving.receive" in [a for a, _ in audit_actions(app_ctx)]


def test_bad_lines_are_listed_on_the_screen_and_nothing_is_saved(
        qtbot, open_view, app_ctx, message_boxes: BoxRecorder):
    view = open_view()
    choose_supplier(view, SUPPLIER)
    type_header(qtbot, view)
    scan_line(qtbot, view, lot="A1", made="2026-06-01", expiry="2028-05-31", price="9.60",
              quantity="5")
    scan_line(qtbot, view, lot="A2", made="2026-06-01", expiry="2026-05-01", price="9.60",
              quantity="1.5")
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "未保存任何内容" in view.message_label.text())
    text = view.message_label.text()
    assert "第 2 行 “有效期至”: 有效期至 2026-05-01 早于生产日期 2026-06-01" in text
    assert "第 2 行 “数量”: 数量必须是整数" in text
    assert "第 1 行" not in text
    assert message_boxes.shown == []
    assert len(view.draft_lines()) == 2  # kept for correcting
    assert deliveries(app_ctx) == []


def test_a_line_is_taken_back_with_enter_and_removed_with_delete(qtbot, open_view):
    view = open_view()
    type_header(qtbot, view)
    scan_line(qtbot, view, lot="A1", made="2026-06-01", expiry="2028-05-31", price="9.60",
              quantity="5")
    scan_line(qtbot, view, lot="A2", made="2026-06-01", expiry="2028-05-31", price="9.60",
              quantity="3")
    view.lines_table.setFocus()
    view.lines_table.selectRow(0)
    qtbot.keyClick(view.lines_table, Qt.Key.Key_Return)
    assert view.lot_edit.hasFocus() and view.lot_edit.text() == "A1"
    assert [d.lot_no for d in view.draft_lines()] == ["A2"]
    view.quantity_edit.setFocus()
    view.quantity_edit.selectAll()
    qtbot.keyClicks(view.quantity_edit, "4")
    qtbot.keyClick(view.quantity_edit, Qt.Key.Key_Return)
    assert [(d.lot_no, d.quantity) for d in view.draft_lines()] == [("A2", "3"), ("A1", "4")]
    view.lines_table.setFocus()
    view.lines_table.selectRow(0)
    qtbot.keyClick(view.lines_table, Qt.Key.Key_Delete)
    assert [d.lot_no for d in view.draft_lines()] == ["A1"]


def test_an_unknown_barcode_is_explained(qtbot, open_view, message_boxes: BoxRecorder):
    view = open_view()
    qtbot.keyClicks(view.scan_edit, "6900000000000")
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_Return)
    assert len(message_boxes.shown) == 1
    assert "不在商品目录中" in message_boxes.shown[0].text
    assert view.product is None and view.scan_edit.hasFocus()


def test_inv_2_a_supplier_with_an_expired_licence_is_refused(
        qtbot, open_view, app_ctx, message_boxes: BoxRecorder):
    view = open_view()
    choose_supplier(view, "某市康达医药有限公司")
    assert view.supplier_combo.currentText() == LAPSED + "（许可证已过期）"
    type_header(qtbot, view)
    scan_line(qtbot, view, lot="A1", made="2026-06-01", expiry="2028-05-31", price="9.60",
              quantity="5")
    qtbot.keyClick(view.scan_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(message_boxes.shown) == 1)
    assert "[INV-2]" in message_boxes.shown[0].text
    assert "许可证" in message_boxes.shown[0].text
    assert view.last_receipt is None and len(view.draft_lines()) == 1
    with app_ctx.uow(readonly=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Delivery)) == 0
