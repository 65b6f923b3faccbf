"""质量验收: the inspector accepts (F9, F8) or rejects with a reason (F10) by keyboard (INV-2)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import Batch, DeliveryLine, PurchaseReturn
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.domain.receiving import LineInput
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.receiving import ReceiptResult, ReceivingService
from pharmacy_pos.ui.acceptance_view import AcceptanceView, RejectDialog
from pharmacy_pos.ui.screens import screens_for
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import commit_text

AMOX = "6938265910656"  # demo P000001 阿莫西林胶囊 0.25g*24粒
SUPPLIER = "国药控股北京有限公司"


@pytest.fixture
def service(app_ctx: AppContext) -> ReceivingService:
    """Receiving and acceptance over the test's demo database."""
    assert app_ctx.store is not None
    return ReceivingService(app_ctx.uow, app_ctx.clock, store_code=app_ctx.store.code)


@pytest.fixture
def receive(service: ReceivingService,
            log_in: Callable[[str], Actor]) -> Callable[..., ReceiptResult]:
    """Receive a delivery of amoxicillin lots (5 boxes each) as ``username``."""

    def _receive(*lots: str, username: str = "manager", note: str = "SH-1") -> ReceiptResult:
        lines = [LineInput(row=n, product_key=AMOX, lot_no=lot, manufacture_date="2026-06-01",
                           expiry_date="2028-05-31", purchase_price="9.60", quantity="5")
                 for n, lot in enumerate(lots, start=1)]
        return service.receive(log_in(username), supplier_name=SUPPLIER,
                               delivery_note_no=note, lines=lines)

    return _receive


@pytest.fixture
def open_view(qtbot: QtBot, service: ReceivingService,
              log_in: Callable[[str], Actor]) -> Callable[[], AcceptanceView]:
    """Open the acceptance screen as the demo inspector (张伟), focus in the table."""

    def _open() -> AcceptanceView:
        view = AcceptanceView(service, log_in("inspector"))
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)  # F-key shortcuts need it
        view.table.setFocus()
        return view

    return _open


def batches(ctx: AppContext, receipt: ReceiptResult) -> list[tuple[BatchStatus, int]]:
    """(status, units on hand) of each line's batch."""
    with ctx.uow(readonly=True) as uow:
        result = []
        for line_id in receipt.line_ids:
            batch_id = uow.session.get(DeliveryLine, line_id).batch_id
            result.append((uow.session.get(Batch, batch_id).status,
                           uow.ledger.balance_of(batch_id)))
        return result


def test_the_screen_is_offered_to_quality_inspectors_only(log_in):
    assert "acceptance" in [s.key for s in screens_for(log_in("inspector"))]
    for username in ("manager", "cashier", "pharmacist", "auditor", "admin"):
        assert "acceptance" not in [s.key for s in screens_for(log_in(username))]


def test_inv_2_accept_one_line_with_f9_and_reject_another_with_f10(
        qtbot, open_view, receive, app_ctx):
    receipt = receive("A1", "A2")
    view = open_view()
    ModelTester(None).check(view.pending_model)
    assert [(p.lot_no, p.quantity_text, p.receiver_name)
            for p in view.pending_model.rows()] == [("A1", "5盒", "刘洋"), ("A2", "5盒", "刘洋")]
    assert view.pending_label.text() == "待验收 2 行"

    qtbot.keyClick(view.table, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: view.last_result is not None)
    assert [p.lot_no for p in view.pending_model.rows()] == ["A2"]
    assert "合格 120" in view.message_label.text()

    qtbot.keyClick(view.table, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: view.reject_dialog is not None)
    dialog = view.reject_dialog
    assert isinstance(dialog, RejectDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.accepted_edit, "2")  # replaces the selected "0": 2 boxes pass
    dialog.reason_edit.setFocus()
    commit_text(dialog.reason_edit, "外包装破损")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.reject_dialog is None)
    assert view.pending_model.rows() == []
    assert "拒收 72" in view.message_label.text() and "CT-" in view.message_label.text()
    assert batches(app_ctx, receipt) == [(BatchStatus.SELLABLE, 120),
                                         (BatchStatus.SELLABLE, 48)]
    with app_ctx.uow(readonly=True) as uow:
        (reason,) = uow.session.scalars(select(PurchaseReturn.reason)).all()
    assert reason == "验收拒收: 外包装破损"


def test_a_rejection_without_a_reason_keeps_the_form_open(
        qtbot, open_view, receive, app_ctx, message_boxes: BoxRecorder):
    receipt = receive("A1")
    view = open_view()
    qtbot.keyClick(view.table, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: view.reject_dialog is not None)
    dialog = view.reject_dialog
    qtbot.keyClick(dialog.accepted_edit, Qt.Key.Key_Return)
    assert len(message_boxes.shown) == 1
    assert "请填写拒收原因" in message_boxes.shown[0].text
    assert view.reject_dialog is dialog and dialog.isVisible()
    dialog.reason_edit.setFocus()
    commit_text(dialog.reason_edit, "无检验报告")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.reject_dialog is None)
    assert batches(app_ctx, receipt) == [(BatchStatus.LOCKED, 0)]


def test_f8_accepts_the_whole_delivery(qtbot, open_view, receive, app_ctx):
    first = receive("A1", "A2", note="SH-1")
    second = receive("B1", note="SH-2")
    view = open_view()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: view.last_result is not None)
    assert view.last_result.lines == 2
    assert [p.lot_no for p in view.pending_model.rows()] == ["B1"]
    assert batches(app_ctx, first) == [(BatchStatus.SELLABLE, 120)] * 2
    assert batches(app_ctx, second) == [(BatchStatus.AWAITING_ACCEPTANCE, 120)]


def test_inv_2_the_inspector_cannot_accept_goods_they_received(
        qtbot, open_view, receive, app_ctx, message_boxes: BoxRecorder):
    receipt = receive("A1", username="inspector")
    view = open_view()
    qtbot.keyClick(view.table, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: len(message_boxes.shown) == 1)
    assert "[INV-2]" in message_boxes.shown[0].text
    assert "由您本人收货" in message_boxes.shown[0].text
    assert view.last_result is None
    assert batches(app_ctx, receipt) == [(BatchStatus.AWAITING_ACCEPTANCE, 120)]
