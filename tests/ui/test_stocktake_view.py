"""盘点 screen (INV-4): a small stock-take driven by keyboard through a manager's approval;
bad counts and a non-manager approver record nothing; the screen is registered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import (
    Batch,
    ProductBarcode,
    StockBalance,
    StocktakeClosing,
    StocktakeCount,
)
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.stocktake import StocktakeService
from pharmacy_pos.services.verify import verify_database
from pharmacy_pos.ui.screens import screens_for
from pharmacy_pos.ui.stocktake_view import StocktakeView
from tests.ui.conftest import TERMINAL, BoxRecorder
from tests.ui.helpers import commit_text

WAIT_MS = 2000


@pytest.fixture
def inspector(log_in: Callable[[str], Actor]) -> Actor:
    """The demo quality inspector (counts stock)."""
    return log_in("inspector")


@pytest.fixture
def view(qtbot: QtBot, app_ctx: AppContext, inspector: Actor) -> StocktakeView:
    """The screen as the navigation builds it."""
    [spec] = [s for s in screens_for(inspector) if s.key == "stocktake"]
    widget = spec.factory(app_ctx, inspector, None)
    assert isinstance(widget, StocktakeView)
    qtbot.addWidget(widget)
    _activate(qtbot, widget)
    return widget


def _activate(qtbot: QtBot, widget: StocktakeView) -> None:
    """Shown and active, so that the function-key shortcuts work."""
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=WAIT_MS)


def _press(qtbot: QtBot, view: StocktakeView, key: Qt.Key) -> None:
    """Press a button's shortcut and wait for its (animated) click."""
    button = {Qt.Key.Key_F2: view.start_button, Qt.Key.Key_F5: view.refresh_button,
              Qt.Key.Key_F9: view.approve_button, Qt.Key.Key_F10: view.cancel_button}[key]
    with qtbot.waitSignal(button.clicked, timeout=WAIT_MS):
        qtbot.keyClick(view, key)


def _stocked(ctx: AppContext) -> tuple[tuple[str, list[int]], tuple[str, int]]:
    """(barcode, batch ids) of a product with several stocked batches, and (barcode,
    batch id) of one with exactly one batch in the store."""
    assert ctx.store is not None
    with ctx.uow(readonly=True) as uow:
        rows = uow.session.execute(
            select(Batch.product_id, Batch.id, ProductBarcode.barcode)
            .join(StockBalance, StockBalance.batch_id == Batch.id)
            .join(ProductBarcode, ProductBarcode.product_id == Batch.product_id)
            .where(Batch.store_id == ctx.store.id, StockBalance.quantity > 0)
            .order_by(Batch.product_id, Batch.expiry_date, Batch.id)).all()
        all_batches = dict(uow.session.execute(
            select(Batch.product_id, func.count()).where(Batch.store_id == ctx.store.id)
            .group_by(Batch.product_id)).all())
    by_product: dict[int, tuple[str, list[int]]] = {}
    for product, batch, barcode in rows:
        _, ids = by_product.setdefault(product, (barcode, []))
        if batch not in ids:
            ids.append(batch)
    several = next(v for p, v in by_product.items() if len(v[1]) >= 2
                   and all_batches[p] == len(v[1]))
    single = next((v[0], v[1][0]) for p, v in by_product.items()
                  if all_batches[p] == 1 and v[0] != several[0])
    return several, single


def _balance(ctx: AppContext, batch_id: int) -> int:
    with ctx.uow(readonly=True) as uow:
        return uow.ledger.balance_of(batch_id)


def _rows(ctx: AppContext, model: type) -> int:
    with ctx.uow(readonly=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _scan(qtbot: QtBot, view: StocktakeView, barcode: str) -> None:
    view.barcode_edit.setFocus()
    qtbot.keyClicks(view.barcode_edit, barcode)
    qtbot.keyClick(view.barcode_edit, Qt.Key.Key_Return)


def _type_count(qtbot: QtBot, view: StocktakeView, text: str) -> None:
    assert view.count_edit.hasFocus()
    qtbot.keyClicks(view.count_edit, text)
    qtbot.keyClick(view.count_edit, Qt.Key.Key_Return)


def test_inv_4_stocktake_by_keyboard_through_approval(qtbot: QtBot, app_ctx: AppContext,
                                                      view: StocktakeView,
                                                      message_boxes: BoxRecorder):
    (several, several_ids), (single, single_id) = _stocked(app_ctx)
    second_batch = several_ids[1]
    book_second = _balance(app_ctx, second_batch)
    book_single = _balance(app_ctx, single_id)
    untouched = several_ids[0]
    book_untouched = _balance(app_ctx, untouched)
    assert "F2" in view.status_label.text()

    _press(qtbot, view, Qt.Key.Key_F2)                       # start: the snapshot
    assert view.desk.info is not None
    doc_no = view.desk.info.doc_no
    assert doc_no in view.status_label.text()
    assert view.barcode_edit.hasFocus()

    # A product with several lots: choose the second one with ↓ and Enter, count 1 less.
    _scan(qtbot, view, several)
    assert view.lots_table.hasFocus()
    assert view.lots_model.rowCount() == len(several_ids)
    qtbot.keyClick(view.lots_table, Qt.Key.Key_Down)
    qtbot.keyClick(view.lots_table, Qt.Key.Key_Return)
    assert view.desk.chosen is not None and view.desk.chosen.batch_id == second_batch
    _type_count(qtbot, view, str(book_second - 1))
    assert "已记录" in view.message_label.text()
    assert "已盘 1 批" in view.status_label.text()

    # A product with one lot goes straight to the count; a bad count is refused inline.
    _scan(qtbot, view, single)
    assert view.desk.chosen is not None and view.desk.chosen.batch_id == single_id
    _type_count(qtbot, view, "-3")
    assert "负数" in view.message_label.text()
    view.count_edit.clear()
    commit_text(view.count_edit, "三")
    qtbot.keyClick(view.count_edit, Qt.Key.Key_Return)
    assert "整数" in view.message_label.text()
    assert _rows(app_ctx, StocktakeCount) == 1
    view.count_edit.clear()
    _type_count(qtbot, view, str(book_single + 2))
    assert "已盘 2 批" in view.status_label.text()

    _press(qtbot, view, Qt.Key.Key_F5)                       # the difference list
    ModelTester(qtbot).check(view.diff_model)
    ModelTester(qtbot).check(view.uncounted_model)
    lines = {line.batch_id: line for line in view.diff_model.rows()}
    assert (lines[second_batch].difference, lines[single_id].difference) == (-1, 2)
    assert untouched in {row.batch_id for row in view.uncounted_model.rows()}
    assert "盘盈" in view.totals_label.text() and "未盘" in view.totals_label.text()

    # A pharmacist may not approve: the dialog says so and stays open.
    _press(qtbot, view, Qt.Key.Key_F9)
    dialog = view.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.username_edit, "pharmacist")
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "店长" in dialog.error_label.text()
    assert _rows(app_ctx, StocktakeClosing) == 0

    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, "manager")
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    commit_text(dialog.note_edit, "月末盘点")
    with qtbot.waitSignal(view.stocktake_approved) as approved:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert approved.args[0].entries == 2
    assert view.dialog is None
    assert "已审批入账" in view.status_label.text()
    assert _balance(app_ctx, second_batch) == book_second - 1
    assert _balance(app_ctx, single_id) == book_single + 2
    assert _balance(app_ctx, untouched) == book_untouched
    assert not view.barcode_edit.isEnabled()
    report = verify_database(app_ctx.uow, workers=1)
    assert report.ok, list(report.problems())


def test_inv_4_unknown_barcode_and_count_before_start_are_refused(
        qtbot: QtBot, app_ctx: AppContext, view: StocktakeView):
    assert not view.barcode_edit.isEnabled()                  # nothing to count into yet
    _press(qtbot, view, Qt.Key.Key_F2)
    _scan(qtbot, view, "6900000000000")
    assert "不属于任何商品" in view.message_label.text()
    assert view.lots_model.rowCount() == 0
    assert _rows(app_ctx, StocktakeCount) == 0


def test_inv_4_open_stocktake_is_resumed_in_a_new_session(
        qtbot: QtBot, app_ctx: AppContext, inspector: Actor, log_in: Callable[[str], Actor]):
    _, (_, single_id) = _stocked(app_ctx)
    service = StocktakeService(app_ctx.uow, app_ctx.clock,
                               lambda u, p: app_ctx.users.authenticate(u, p,
                                                                       terminal_id=TERMINAL))
    info = service.start(inspector)
    service.count(inspector, info.stocktake_id, single_id, 1)

    manager = log_in("manager")
    view = StocktakeView(service, manager)
    qtbot.addWidget(view)
    _activate(qtbot, view)
    assert view.desk.info is not None
    assert view.desk.info.session_no == 2
    assert info.doc_no in view.status_label.text() and "已盘 1 批" in view.status_label.text()
    assert not view.start_button.isEnabled()

    # The manager cancels at the terminal (a reason is required): nothing is booked.
    _press(qtbot, view, Qt.Key.Key_F10)
    dialog = view.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.username_edit, "manager")
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "作废原因" in dialog.error_label.text()
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    commit_text(dialog.note_edit, "重新盘点")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "已作废" in view.status_label.text()
    assert _rows(app_ctx, StocktakeClosing) == 1
    assert view.start_button.isEnabled()


def test_stocktake_screen_is_offered_to_counters_only(log_in: Callable[[str], Actor]):
    assert "stocktake" in [s.key for s in screens_for(log_in("inspector"))]
    assert "stocktake" in [s.key for s in screens_for(log_in("manager"))]
    assert "stocktake" not in [s.key for s in screens_for(log_in("cashier"))]
