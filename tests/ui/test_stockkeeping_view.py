"""养护与效期 screen (INV-3, INV-7): a maintenance item found doubtful by keyboard locks the
batch; the locked batch is destroyed with a store manager's credentials typed at the
terminal; wrong credentials record nothing; the models pass qtmodeltester."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.product import BatchStatus
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.demo import DEMO_PASSWORD
from pharmacy_pos.services.verify import verify_database
from pharmacy_pos.ui.screens import SCREENS, screens_for
from pharmacy_pos.ui.stockkeeping_view import StockkeepingView
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import audit_actions, commit_text

WAIT_MS = 2000


@pytest.fixture
def pharmacist(log_in: Callable[[str], Actor]) -> Actor:
    """The demo pharmacist (does the maintenance)."""
    return log_in("pharmacist")


@pytest.fixture
def view(qtbot: QtBot, app_ctx: AppContext, pharmacist: Actor) -> StockkeepingView:
    """The screen as the navigation builds it, shown and active (shortcuts work)."""
    spec = next(s for s in SCREENS if s.key == "stockkeeping")
    screen = spec.factory(app_ctx, pharmacist, None)
    assert isinstance(screen, StockkeepingView)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=WAIT_MS)
    return screen


def _status(ctx: AppContext, batch_id: int) -> BatchStatus:
    with ctx.uow(readonly=True) as uow:
        return uow.batches.get(batch_id).status


def _balance(ctx: AppContext, batch_id: int) -> int:
    with ctx.uow(readonly=True) as uow:
        return uow.ledger.balance_of(batch_id)


def test_the_screen_is_offered_to_maintainers_only(log_in):
    assert "stockkeeping" in [s.key for s in screens_for(log_in("pharmacist"))]
    assert "stockkeeping" in [s.key for s in screens_for(log_in("inspector"))]
    assert "stockkeeping" not in [s.key for s in screens_for(log_in("cashier"))]


def test_models_pass_qtmodeltester(view: StockkeepingView, qtmodeltester: ModelTester):
    assert view.check_model.rowCount() > 0 and view.expiry_model.rowCount() > 0
    for model in (view.check_model, view.expiry_model, view.held_model, view.split_model,
                  view.records_model, view.low_model):
        qtmodeltester.check(model)


def test_inv_3_a_doubtful_item_by_keyboard_then_inv_7_destroyed_with_a_manager(
        qtbot: QtBot, view: StockkeepingView, app_ctx: AppContext,
        message_boxes: BoxRecorder):
    table = view.check_table
    assert view.sheet is not None and view.sheet.done == 0
    assert view.check_label.text().startswith("2026-11 月度养护")
    # The list starts with the riskiest stock: nothing later expires earlier.
    expiries = [line.batch.expiry_date for line in view.sheet.lines]
    first_sellable = next(row for row, line in enumerate(view.sheet.lines)
                          if line.batch.status is BatchStatus.SELLABLE)
    table.setFocus()
    table.setCurrentIndex(view.check_model.index(first_sellable, 0))
    assert expiries[0] == min(expiries)

    # Enter: fine; the cursor moves on to the next batch.
    ok_line = view.check_model.row_at(first_sellable)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert view.check_model.row_at(first_sellable).result == "ok"
    assert table.currentIndex().row() == first_sellable + 1
    assert _status(app_ctx, ok_line.batch.batch_id) is BatchStatus.SELLABLE

    # ↓ to a sellable batch, D: doubtful with a note -> locked.
    row = first_sellable + 1
    while view.check_model.row_at(row).batch.status is not BatchStatus.SELLABLE:
        qtbot.keyClick(table, Qt.Key.Key_Down)
        row += 1
    assert table.currentIndex().row() == row
    doubtful = view.check_model.row_at(row).batch
    qtbot.keyClick(table, Qt.Key.Key_D)
    dialog = view.note_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    commit_text(dialog.note_edit, "外包装破损受潮")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.note_dialog is None, timeout=WAIT_MS)
    assert view.check_model.row_at(row).result == "doubtful"
    assert view.check_model.row_at(row).note == "外包装破损受潮"
    assert _status(app_ctx, doubtful.batch_id) is BatchStatus.LOCKED
    assert view.sheet.done == 2 and "已查 2 批" in view.check_label.text()
    assert not message_boxes.shown

    # To the held tab: the locked batch is there; choose it, give a reason, F7.
    view.tabs.setCurrentIndex(2)
    held = [b.batch_id for b in view.held_model.rows()]
    assert doubtful.batch_id in held
    view.held_table.setFocus()
    view.held_table.setCurrentIndex(view.held_model.index(held.index(doubtful.batch_id), 0))
    view.held_reason_edit.setFocus()
    commit_text(view.held_reason_edit, "养护发现包装破损受潮")
    with qtbot.waitSignal(view.destroy_button.clicked, timeout=WAIT_MS):
        qtbot.keyClick(view.held_reason_edit, Qt.Key.Key_F7)
    dialog = view.credentials_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert "养护发现包装破损受潮" in dialog.findChild(QWidget, "summary_label").text()

    # The pharmacist's own credentials are refused; nothing is recorded.
    units = _balance(app_ctx, doubtful.batch_id)
    qtbot.keyClicks(dialog.username_edit, "pharmacist")
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "店长" in dialog.error_label.text() and message_boxes.shown
    assert _status(app_ctx, doubtful.batch_id) is BatchStatus.LOCKED
    assert view.credentials_dialog is dialog and dialog.password_edit.text() == ""

    # The manager's credentials: destroyed, the whole stock out by one entry.
    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, "manager")
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.credentials_dialog is None, timeout=WAIT_MS)
    assert _status(app_ctx, doubtful.batch_id) is BatchStatus.DESTROYED
    assert _balance(app_ctx, doubtful.batch_id) == 0 and units > 0
    assert view.message_label.text().startswith("销毁单 XH-")
    assert "刘洋" in view.message_label.text()
    assert doubtful.batch_id not in [b.batch_id for b in view.held_model.rows()]
    assert view.held_reason_edit.text() == ""
    actions = [action for action, _ in audit_actions(app_ctx)]
    assert actions.count("maintenance.check") == 2 and actions.count("batch.destroy") == 1
    assert verify_database(app_ctx.uow, workers=1).ok


def test_f7_without_a_reason_asks_for_one_and_opens_no_dialog(
        qtbot: QtBot, view: StockkeepingView):
    view.tabs.setCurrentIndex(2)
    assert view.held_model.rowCount() > 0  # the demo has expired stock
    view.held_table.setFocus()
    view.held_table.setCurrentIndex(view.held_model.index(0, 0))
    with qtbot.waitSignal(view.destroy_button.clicked, timeout=WAIT_MS):
        qtbot.keyClick(view.held_table, Qt.Key.Key_F7)
    assert view.credentials_dialog is None
    assert view.message_label.text() == "请填写原因"
    assert view.held_reason_edit.hasFocus()
