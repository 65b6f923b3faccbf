"""医保上传 screen: the records and the header after passes against the embedded simulated
insurer, a record refused for a missing national code (shown with the insurer's message
and its fields), a manager's correction through the dialog and its upload, a cashier who
may not correct, and the upload worker started with the session (its reports refresh the
screen through the GUI thread)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import Product, ProductBarcode
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.sales import CompletedSale
from pharmacy_pos.services.uploads import DONE, PENDING, REFUSED, SUPERSEDED, UploadItemView
from pharmacy_pos.ui import uploads_view
from pharmacy_pos.ui.session import SessionController
from pharmacy_pos.ui.uploads_model import MISSING_BACKGROUND
from pharmacy_pos.ui.uploads_view import (
    CorrectionDialog,
    UploadMonitor,
    UploadsView,
    start_uploads_with_sessions,
)
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import audit_actions, log_in_as
from tests.ui.test_printing_ui import plain_barcodes, sell

WAIT_MS = 30_000
#: Purchase records the demo database holds for the insurer (one per received line).
DEMO_RECORDS = 236

OpenView = Callable[[str], UploadsView]


@pytest.fixture
def open_view(qtbot: QtBot, app_ctx: AppContext,
              log_in: Callable[[str], Actor]) -> Iterator[OpenView]:
    """Open the screen for a demo user; every pass it started is joined at the end."""
    views: list[UploadsView] = []

    def _open(username: str) -> UploadsView:
        view = UploadsView(app_ctx, log_in(username))
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        views.append(view)
        return view

    yield _open
    for view in views:
        assert view.wait_job(30)


def upload_now(qtbot: QtBot, view: UploadsView) -> None:
    """Press 立即上传 (no worker in this session: a pass runs on a thread) and wait."""
    qtbot.mouseClick(view.upload_button, Qt.MouseButton.LeftButton)
    assert view.running_job()
    assert not view.upload_button.isEnabled()  # one pass at a time
    qtbot.waitUntil(lambda: not view.running_job(), timeout=WAIT_MS)


def listed(view: UploadsView) -> list[UploadItemView]:
    return view.model.rows()


def without_national_code(ctx: AppContext, cashier: Actor) -> tuple[str, str]:
    """A plain product's barcode, after its national code (med_list_codg) was cleared;
    returns (barcode, the code it had)."""
    barcode = plain_barcodes(ctx, cashier, 1)[0]
    with ctx.uow() as uow:
        product_id = uow.session.scalar(
            select(ProductBarcode.product_id).where(ProductBarcode.barcode == barcode))
        product = uow.session.get(Product, product_id)
        assert product is not None and product.med_list_codg
        code, product.med_list_codg = product.med_list_codg, None
        uow.commit()
    return barcode, code


@pytest.fixture
def refused_sale(app_ctx: AppContext, log_in: Callable[[str], Actor],
                 ) -> tuple[CompletedSale, str]:
    """Everything uploaded, then a sale of a product without national code, refused by
    the insurer; returns the sale and the code the product should have."""
    cashier = log_in("cashier")
    barcode, code = without_national_code(app_ctx, cashier)
    sale = sell(app_ctx, cashier, barcode, tendered=Decimal(200))
    result = app_ctx.uploads.run_pass()
    assert (result.sent, result.refused) == (DEMO_RECORDS, 1)
    return sale, code


def refused_row(view: UploadsView, sale: CompletedSale) -> UploadItemView:
    view.set_filter((REFUSED,))
    rows = listed(view)
    assert [(r.infno, r.doc_no) for r in rows] == [("3505", sale.doc_no)]
    assert view.select_item(rows[0].id)
    return rows[0]


# -- listing ---------------------------------------------------------------------------------

def test_the_records_become_uploaded_after_a_pass_and_the_header_follows(
    qtbot: QtBot, qtmodeltester: ModelTester, app_ctx: AppContext,
    log_in: Callable[[str], Actor], open_view: OpenView,
) -> None:
    cashier = log_in("cashier")
    sale = sell(app_ctx, cashier, plain_barcodes(app_ctx, cashier, 1)[0])
    app_ctx.uploads.take_new()  # what a pass does first: the records wait now
    view = open_view("manager")
    oldest = view.overview.oldest_pending_at if view.overview else None
    assert oldest is not None and oldest.utcoffset() is not None
    shanghai = oldest.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert view.pending_label.text() == f"待上传 {DEMO_RECORDS + 1}（最早 {shanghai}）"
    assert view.refused_label.text() == "被拒绝 0"
    assert view.attempt_label.text() == "最近一次 —"
    assert {r.state for r in listed(view)} == {PENDING}
    assert view.model.data(view.model.index(0, 3)) == "待上传"
    qtmodeltester.check(view.model)

    upload_now(qtbot, view)

    assert view.pending_label.text() == "待上传 0"
    assert view.done_label.text() == f"已上传 {DEMO_RECORDS + 1}"
    assert view.refused_label.text() == "被拒绝 0"
    assert "color" not in view.refused_label.styleSheet()
    # 02:00 UTC is 10:00 in the store (Asia/Shanghai).
    assert view.success_label.text() == "最近成功 2026-11-01 10:00"
    assert view.attempt_label.text() == "最近一次 2026-11-01 10:00 成功"
    assert view.holder_label.text() == "上传终端 T01"
    assert f"已上传 {DEMO_RECORDS + 1} 条，被拒绝 0 条" in view.message_label.text()
    rows = listed(view)
    assert len(rows) == DEMO_RECORDS + 1 and {r.state for r in rows} == {DONE}
    mine = [r for r in rows if r.doc_no == sale.doc_no]
    assert [(r.infno, r.tries) for r in mine] == [("3505", 1)]
    row = view.model.row_of(mine[0].id)
    texts = [view.model.data(view.model.index(row, c)) for c in range(7)]
    assert texts[:2] == ["3505 商品销售", sale.doc_no]
    assert texts[2] == mine[0].fixmedins_bchno and texts[2]
    assert texts[3:6] == ["已上传", "1", ""]
    assert texts[6] == "2026-11-01 10:00:00"
    qtmodeltester.check(view.model)

    view.set_filter((PENDING,))
    assert listed(view) == []
    view.set_filter((DONE,))
    assert len(listed(view)) == DEMO_RECORDS + 1


# -- a refusal -------------------------------------------------------------------------------

def test_a_record_without_national_code_is_refused_with_the_insurers_message(
    qtbot: QtBot, qtmodeltester: ModelTester, open_view: OpenView,
    refused_sale: tuple[CompletedSale, str],
) -> None:
    sale, _code = refused_sale
    view = open_view("manager")
    assert view.refused_label.text() == "被拒绝 1"
    assert "#c0392b" in view.refused_label.styleSheet()
    assert "拒绝" in view.attempt_label.text() and "med_list_codg" in view.attempt_label.text()
    item = refused_row(view, sale)
    assert item.state == REFUSED and "med_list_codg" in item.last_error
    assert view.model.data(view.model.index(0, 3)) == "被拒绝"
    assert "med_list_codg" in view.model.data(view.model.index(0, 5))

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.detail_dialog
    assert dialog is not None and dialog.isVisible()
    assert "med_list_codg" in dialog.error_label.text()
    fields = dialog.fields_model.rows()
    code_row = next(n for n, f in enumerate(fields) if f.name == "med_list_codg")
    assert fields[code_row].missing and fields[code_row].label == "med_list_codg *"
    index = dialog.fields_model.index(code_row, 1)
    assert dialog.fields_model.data(index, Qt.ItemDataRole.BackgroundRole) == MISSING_BACKGROUND
    name_row = next(n for n, f in enumerate(fields) if f.name == "fixmedins_hilist_name")
    assert not fields[name_row].missing and fields[name_row].label.endswith(" *")
    assert dialog.fields_model.data(dialog.fields_model.index(name_row, 1),
                                    Qt.ItemDataRole.BackgroundRole) is None
    attempts = dialog.attempts_model
    assert attempts.rowCount() == 1
    assert [attempts.data(attempts.index(0, c)) for c in (0, 1, 3)] == [
        "2026-11-01 10:00:00", "3505", "拒绝"]
    assert "med_list_codg" in attempts.data(attempts.index(0, 4))
    assert dialog.request_edit.isReadOnly() and dialog.response_edit.isReadOnly()
    assert '"med_list_codg": ""' in dialog.request_edit.toPlainText()
    assert "med_list_codg" in dialog.response_edit.toPlainText()
    qtmodeltester.check(dialog.fields_model)
    qtmodeltester.check(attempts)


# -- corrections -----------------------------------------------------------------------------

def test_a_manager_corrects_the_refused_record_and_the_correction_uploads(
    qtbot: QtBot, app_ctx: AppContext, open_view: OpenView, message_boxes: BoxRecorder,
    refused_sale: tuple[CompletedSale, str],
) -> None:
    sale, code = refused_sale
    view = open_view("manager")
    item = refused_row(view, sale)
    assert view.correct_button.isEnabled()
    qtbot.mouseClick(view.correct_button, Qt.MouseButton.LeftButton)
    dialog = view.correction_dialog
    assert isinstance(dialog, CorrectionDialog) and dialog.isVisible()
    assert dialog.catalogue_check.isChecked()
    code_edit = dialog.edits["med_list_codg"]
    assert code_edit.text() == "" and "fadbd8" in code_edit.styleSheet()
    assert dialog.edits["fixmedins_hilist_name"].text()  # prefilled from the record
    assert dialog.changes() == {}

    # No reason: refused in the dialog, nothing written.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "更正原因" in dialog.error_label.text() and dialog.isVisible()
    # A reason but still no code (the catalogue has none either): the service refuses.
    qtbot.keyClicks(dialog.reason_edit, "national code added")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert message_boxes.shown and message_boxes.shown[-1].text.startswith("[INV-6]")
    assert "med_list_codg" in message_boxes.shown[-1].text
    assert "[INV-6]" in dialog.error_label.text()
    assert app_ctx.uploads.detail(view._actor, item.id).item.state == REFUSED

    qtbot.keyClicks(code_edit, code)
    assert dialog.changes() == {"med_list_codg": code}
    with qtbot.waitSignal(view.corrected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert view.correction_dialog is None
    assert "已更正" in view.message_label.text()
    assert view.refused_label.text() == "被拒绝 0"
    assert listed(view) == []  # the 被拒绝 filter is empty now
    view.set_filter((SUPERSEDED,))
    assert [r.id for r in listed(view)] == [item.id]
    assert "upload.correct" in [action for action, _ in audit_actions(app_ctx)]

    upload_now(qtbot, view)
    assert "已上传 1 条，被拒绝 0 条" in view.message_label.text()
    view.set_filter(())
    mine = [r for r in listed(view) if r.doc_no == sale.doc_no]
    assert sorted(r.state for r in mine) == [DONE, SUPERSEDED]
    resent = next(r for r in mine if r.state == DONE)
    assert resent.id != item.id and resent.fixmedins_bchno == item.fixmedins_bchno
    detail = app_ctx.uploads.detail(view._actor, resent.id)
    assert detail.record["med_list_codg"] == code
    assert [a.outcome for a in detail.attempts] == ["ok"]
    # An uploaded record may be corrected too (3507 delete, then resent).
    assert view.select_item(resent.id) and view.correct_button.isEnabled()


def test_a_cashier_sees_the_refusal_but_cannot_correct_it(
    qtbot: QtBot, app_ctx: AppContext, open_view: OpenView, message_boxes: BoxRecorder,
    refused_sale: tuple[CompletedSale, str],
) -> None:
    sale, code = refused_sale
    view = open_view("cashier")
    assert not view._actor.can(Permission.APPROVE)
    item = refused_row(view, sale)
    assert not view.correct_button.isEnabled()
    assert "店长" in view.correct_button.toolTip()
    assert view.open_correction() is None and view.correction_dialog is None
    # Were the dialog reached anyway, the service refuses (SEC-1) and says so.
    assert not view.apply_correction(item.id, "typed by a cashier",
                                     {"med_list_codg": code}, True)
    assert message_boxes.shown[-1].icon == QMessageBox.Icon.Warning
    assert message_boxes.shown[-1].text.startswith("[SEC-1]")
    assert app_ctx.uploads.detail(view._actor, item.id).item.state == REFUSED
    # Viewing is allowed.
    assert view.detail_button.isEnabled()
    assert view.open_detail() is not None


def test_only_refused_or_uploaded_records_can_be_corrected(
    app_ctx: AppContext, open_view: OpenView,
) -> None:
    app_ctx.uploads.take_new()
    view = open_view("manager")
    view.set_filter((PENDING,))
    assert view.select_item(listed(view)[0].id)
    assert not view.correct_button.isEnabled()  # waiting records upload by themselves


# -- the worker ------------------------------------------------------------------------------

def test_the_session_starts_the_upload_worker_and_the_screen_refreshes_on_its_reports(
    qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    controller = SessionController(app_ctx)
    start_uploads_with_sessions(controller, app_ctx)
    window = log_in_as(qtbot, controller, "manager", DEMO_PASSWORD)
    monitor = window.property(uploads_view.PROPERTY)
    try:
        assert isinstance(monitor, UploadMonitor) and monitor.running
        view = window.show_screen("uploads")
        assert isinstance(view, UploadsView) and view.monitor() is monitor
        # The worker's first pass uploads the demo's records; the screen follows.
        qtbot.waitUntil(lambda: view.done_label.text() == f"已上传 {DEMO_RECORDS}",
                        timeout=WAIT_MS)
        assert monitor.last is not None and monitor.last.sent == DEMO_RECORDS
        # A new sale: 立即上传 wakes the worker instead of running a pass here.
        cashier = log_in("cashier")
        sell(app_ctx, cashier, plain_barcodes(app_ctx, cashier, 1)[0])
        with qtbot.waitSignal(monitor.result_arrived, timeout=WAIT_MS,
                              check_params_cb=lambda r: r.sent == 1):
            qtbot.mouseClick(view.upload_button, Qt.MouseButton.LeftButton)
            assert not view.running_job()
            assert "已通知上传线程" in view.message_label.text()
        assert view.done_label.text() == f"已上传 {DEMO_RECORDS + 1}"
        # Log out and in again: the same worker serves the next session's window.
        window.logout_action.trigger()
        dialog = controller.login_dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.username_edit, "cashier")
        qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
        with qtbot.waitSignal(controller.session_started) as started:
            qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        assert started.args[0].property(uploads_view.PROPERTY) is monitor
        assert monitor.running
    finally:
        controller.close()
        if isinstance(monitor, UploadMonitor):
            monitor.stop()
    assert not monitor.running
    assert "upload-worker" not in [t.name for t in threading.enumerate()]


def test_the_monitor_reports_on_the_gui_thread(
    qtbot: QtBot, app_ctx: AppContext,
) -> None:
    monitor = UploadMonitor(app_ctx)
    threads: list[str] = []
    monitor.result_arrived.connect(lambda _r: threads.append(threading.current_thread().name))
    monitor.start()
    try:
        qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    finally:
        monitor.stop()
    assert threads[0] == threading.main_thread().name
    # Stopped: a later report (e.g. a pass run by hand) is dropped.
    monitor.worker.run_once()
    qtbot.wait(50)
    assert len(threads) == 1
