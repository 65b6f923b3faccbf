"""处方审核: the pharmacist sees what the tills submitted, signs with F9 or refuses with
F10 and a reason (RX-2, RX-5); the till's cart follows the decision."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.eprescription import capture_document
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.sale import RefusalReason, ReviewDecision
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.sales import Cart
from pharmacy_pos.ui.review_view import ApproveDialog, RefuseDialog, ReviewView
from pharmacy_pos.ui.screens import screens_for
from tests.ui.conftest import BoxRecorder
from tests.ui.helpers import audit_actions, commit_text

AMOXICILLIN = "P000001"  # demo catalogue: 阿莫西林胶囊 0.25g*24粒, prescription drug
PATIENT_ID = "11010519491231002X"

#: Rings ``units`` of amoxicillin for a prescription of ``prescribed`` units; returns the cart.
Submit = Callable[..., Cart]


@pytest.fixture
def pharmacist(log_in: Callable[[str], Actor]) -> Actor:
    """The demo pharmacist (李明, qualification ZY00112233)."""
    return log_in("pharmacist")


@pytest.fixture
def submit(app_ctx: AppContext, log_in: Callable[[str], Actor]) -> Submit:
    """Ring a prescription sale at a till and send it for review, as a cashier would."""

    def _submit(*, patient: str = "张三丰", units: int = 24, prescribed: int = 24,
                cashier: str = "cashier") -> Cart:
        actor = log_in(cashier)
        with app_ctx.uow(readonly=True) as uow:
            product_id = uow.products.by_item_codes([AMOXICILLIN])[AMOXICILLIN].id
        cart = app_ctx.sales.new_cart(actor)
        app_ctx.sales.add_product(actor, cart, product_id, str(units), "unit")
        document = capture_document({
            "issue_date": app_ctx.clock.today().isoformat(),
            "institution": {"code": "H11010500002", "name": "朝阳区第一社区卫生服务中心",
                            "designated": True},
            "physician": {"name": "李时珍", "code": "D110105000123"},
            "signature_present": True, "seal_present": True,
            "patient": {"name": patient, "id_number": PATIENT_ID},
            "diagnosis": {"name": "急性上呼吸道感染"},
            "items": [{"item_code": AMOXICILLIN, "quantity": prescribed, "unit": "粒",
                       "dosage": "0.5g", "frequency": "每日3次", "route": "口服",
                       "days_of_supply": 4}],
        }, rx_no=f"RX-{patient}")
        app_ctx.sales.submit_prescription(actor, cart, document)
        assert cart.review is not None
        return cart

    return _submit


@pytest.fixture
def open_view(qtbot: QtBot, app_ctx: AppContext, pharmacist: Actor) -> Callable[[], ReviewView]:
    """Open the review screen as the pharmacist, focus in the queue."""

    def _open() -> ReviewView:
        view = ReviewView(app_ctx, pharmacist)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)  # shortcuts (F9, F10, F5) need it
        view.queue_table.setFocus()
        return view

    return _open


def _review(ctx: AppContext, prescription_id: int):
    with ctx.uow(readonly=True) as uow:
        review = uow.sales.review_of(prescription_id)
        if review is None:
            return None
        return review.decision, review.reason_code, review.note, \
            review.reviewer_qualification_no


def _row_of(view: ReviewView, prescription_id: int) -> int:
    ids = [e.prescription_id for e in view.queue_model.rows()]
    return ids.index(prescription_id)


def _press_f9(qtbot: QtBot, view: ReviewView) -> ApproveDialog:
    qtbot.keyClick(view.queue_table, Qt.Key.Key_F9)
    # A button's shortcut "animates" the click, which lands ~100 ms later.
    qtbot.waitUntil(lambda: view.approve_dialog is not None)
    assert view.approve_dialog is not None
    qtbot.waitExposed(view.approve_dialog)
    return view.approve_dialog


def _press_f10(qtbot: QtBot, view: ReviewView) -> RefuseDialog:
    qtbot.keyClick(view.queue_table, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: view.refuse_dialog is not None)
    assert view.refuse_dialog is not None
    qtbot.waitExposed(view.refuse_dialog)
    qtbot.waitUntil(view.refuse_dialog.isActiveWindow)  # Alt+digit picks a reason
    return view.refuse_dialog


def test_the_screen_is_offered_to_pharmacists_only(log_in: Callable[[str], Actor]) -> None:
    assert "review" in [s.key for s in screens_for(log_in("pharmacist"))]
    for username in ("cashier", "manager", "admin"):
        assert "review" not in [s.key for s in screens_for(log_in(username))]


def test_rx_2_a_submitted_prescription_waits_in_the_queue_highlighted(
    qtmodeltester: ModelTester, submit: Submit, open_view: Callable[[], ReviewView],
) -> None:
    cart = submit()
    view = open_view()
    qtmodeltester.check(view.queue_model)
    assert cart.review is not None
    row = _row_of(view, cart.review.prescription_id)
    model = view.queue_model
    texts = [model.index(row, c).data() for c in range(model.columnCount())]
    assert texts[1:] == ["T01", "王芳", "张三丰", "朝阳区第一社区卫生服务中心", "李时珍",
                         "急性上呼吸道感染", "纸质", "待审核"]
    assert texts[0].startswith("2026-11-01 10:00")
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.pending_label.text() == "待审核 1 张"
    # The first waiting prescription is selected and shown in full.
    assert view.selected_entry() is not None
    assert view.selected_entry().prescription_id == cart.review.prescription_id
    assert view.header_labels["rx_no"].text() == "RX-张三丰"
    # SEC-5: the patient's ID number is shown masked.
    assert view.header_labels["patient_id"].text() == mask_id_number(PATIENT_ID)
    assert view.items_model.rows()[0][:6] == (AMOXICILLIN, "阿莫仙（阿莫西林胶囊）", 24, "0.5g",
                                              "每日3次", 4)
    assert view.dispense_model.rows() == [(AMOXICILLIN, "阿莫仙（阿莫西林胶囊）", 24)]
    assert view.findings_summary.text() == "无规则提示"
    assert view.approve_button.isEnabled() and view.refuse_button.isEnabled()


def test_rx_2_approving_with_f9_records_the_pharmacists_signature(
    qtbot: QtBot, app_ctx: AppContext, submit: Submit, open_view: Callable[[], ReviewView],
    log_in: Callable[[str], Actor],
) -> None:
    cart = submit()
    assert cart.review is not None
    prescription_id = cart.review.prescription_id
    view = open_view()
    dialog = _press_f9(qtbot, view)
    assert dialog.signature_label.text() == "审核药师签字：李明"
    assert _review(app_ctx, prescription_id) is None  # nothing before signing
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.approve_dialog is None)
    assert _review(app_ctx, prescription_id) == ("approved", "", "", "ZY00112233")
    assert audit_actions(app_ctx)[-1][0] == "prescription.approved"
    row = _row_of(view, prescription_id)
    assert view.queue_model.index(row, 8).data() == "审核通过（李明）"
    assert view.queue_model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert view.pending_label.text() == "待审核 0 张"
    assert not view.approve_button.isEnabled()
    assert "审核通过" in view.message_label.text()
    # The till sees the signature: nothing blocks the sale any more.
    app_ctx.sales.refresh_review(log_in("cashier"), cart)
    assert cart.review.decision is ReviewDecision.APPROVED
    assert not cart.blocked


def test_rx_2_cancelling_the_signature_records_nothing(
    qtbot: QtBot, app_ctx: AppContext, submit: Submit, open_view: Callable[[], ReviewView],
) -> None:
    cart = submit()
    assert cart.review is not None
    view = open_view()
    dialog = _press_f9(qtbot, view)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.approve_dialog is None)
    assert _review(app_ctx, cart.review.prescription_id) is None
    assert view.pending_label.text() == "待审核 1 张"


def test_rx_5_refusing_with_f10_for_incompatibility_blocks_the_till(
    qtbot: QtBot, app_ctx: AppContext, submit: Submit, open_view: Callable[[], ReviewView],
    log_in: Callable[[str], Actor],
) -> None:
    first = submit(patient="张三丰")
    second = submit(patient="李四")
    assert first.review is not None and second.review is not None
    view = open_view()
    assert view.pending_label.text() == "待审核 2 张"
    # Keyboard only: move down to the second prescription, F10, Alt+1 (配伍禁忌), a note.
    view.queue_table.selectRow(_row_of(view, first.review.prescription_id))
    target = _row_of(view, second.review.prescription_id)
    key = Qt.Key.Key_Down if target > view.queue_table.currentIndex().row() else Qt.Key.Key_Up
    qtbot.keyClick(view.queue_table, key)
    assert view.selected_entry().prescription_id == second.review.prescription_id
    assert view.header_labels["patient"].text() == "李四"
    dialog = _press_f10(qtbot, view)
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.chosen_reason() is RefusalReason.INCOMPATIBILITY)
    dialog.note_edit.setFocus()
    commit_text(dialog.note_edit, "与头孢类同用")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.refuse_dialog is None)
    assert _review(app_ctx, second.review.prescription_id) == (
        "refused", "incompatibility", "与头孢类同用", "ZY00112233")
    assert _review(app_ctx, first.review.prescription_id) is None
    row = _row_of(view, second.review.prescription_id)
    assert view.queue_model.index(row, 8).data() == "审核拒绝（李明）"
    assert view.pending_label.text() == "待审核 1 张"
    assert view.selected_entry().prescription_id == second.review.prescription_id
    assert "原因：配伍禁忌" in view.header_labels["state"].text()
    # The cashier's cart is blocked by RX-5 once the till re-reads the decision.
    app_ctx.sales.refresh_review(log_in("cashier"), second)
    assert [f.rule_id for f in second.findings if f.blocks] == ["RX-5"]


def test_rx_2_other_without_a_note_is_refused_and_records_nothing(
    qtbot: QtBot, app_ctx: AppContext, submit: Submit, open_view: Callable[[], ReviewView],
    message_boxes: BoxRecorder,
) -> None:
    cart = submit()
    assert cart.review is not None
    view = open_view()
    dialog = _press_f10(qtbot, view)
    qtbot.keyClick(dialog, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.chosen_reason() is RefusalReason.OTHER)
    qtbot.mouseClick(dialog.refuse_button, Qt.MouseButton.LeftButton)
    assert [box.text for box in message_boxes.shown] == ["[RX-2] 原因为“其他”时请填写说明"]
    assert _review(app_ctx, cart.review.prescription_id) is None
    # The form stays open to add the note; with it the refusal goes through.
    assert view.refuse_dialog is dialog and dialog.isVisible()
    commit_text(dialog.note_edit, "患者要求更换药品")
    qtbot.mouseClick(dialog.refuse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.refuse_dialog is None)
    assert _review(app_ctx, cart.review.prescription_id)[:3] == (
        "refused", "other", "患者要求更换药品")


def test_rx_2_a_refusal_needs_a_reason(
    qtbot: QtBot, app_ctx: AppContext, submit: Submit, open_view: Callable[[], ReviewView],
    message_boxes: BoxRecorder,
) -> None:
    cart = submit()
    assert cart.review is not None
    view = open_view()
    dialog = _press_f10(qtbot, view)
    qtbot.mouseClick(dialog.refuse_button, Qt.MouseButton.LeftButton)
    assert len(message_boxes.shown) == 1
    assert message_boxes.shown[0].text.startswith("[RX-2] 拒绝调配须选择原因")
    assert _review(app_ctx, cart.review.prescription_id) is None


def test_rx_2_a_pharmacist_cannot_sign_a_sale_they_rang(
    qtbot: QtBot, app_ctx: AppContext, submit: Submit, log_in: Callable[[str], Actor],
    message_boxes: BoxRecorder,
) -> None:
    cart = submit(cashier="pharmacist2")
    assert cart.review is not None
    view = ReviewView(app_ctx, log_in("pharmacist2"))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    dialog = _press_f9(qtbot, view)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.approve_dialog is None)
    assert [b.text for b in message_boxes.shown] == [
        "[RX-2] 审方药师不能是本单收银员：请由另一位在岗药师审核"]
    assert _review(app_ctx, cart.review.prescription_id) is None
    assert view.pending_label.text() == "待审核 1 张"


def test_rx_4_blocking_findings_are_shown_in_red(
    qtbot: QtBot, qtmodeltester: ModelTester, submit: Submit,
    open_view: Callable[[], ReviewView],
) -> None:
    submit(units=48, prescribed=24)
    view = open_view()
    qtmodeltester.check(view.findings_model)
    findings = view.findings_model.rows()
    assert "RX-4" in [f.rule_id for f in findings if f.blocks]
    row = [f.rule_id for f in findings].index("RX-4")
    assert view.findings_model.index(row, 0).data() == "RX-4"
    colour = view.findings_model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole)
    assert colour == QColor("#c0392b")
    assert "禁止" in view.findings_summary.text()
    dialog = _press_f9(qtbot, view)
    assert dialog.findChild(type(dialog.signature_label), "blocking_warning") is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_the_queue_follows_other_tills_on_f5_and_while_shown(
    qtbot: QtBot, submit: Submit, open_view: Callable[[], ReviewView],
) -> None:
    view = open_view()
    assert view.queue_model.rows() == []
    assert view.pending_label.text() == "待审核 0 张"
    assert not view.approve_button.isEnabled()
    assert view.refresh_timer.isActive()
    submit(patient="张三丰")
    qtbot.keyClick(view.queue_table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: view.pending_label.text() == "待审核 1 张")
    assert view.header_labels["patient"].text() == "张三丰"
    submit(patient="李四")
    view.refresh_timer.timeout.emit()  # the poll, without waiting five seconds
    assert view.pending_label.text() == "待审核 2 张"
    # The selection stays where the pharmacist was reading.
    assert view.header_labels["patient"].text() == "张三丰"
    view.hide()
    assert not view.refresh_timer.isActive()


def test_an_empty_queue_shows_nothing_to_sign(
    qtbot: QtBot, open_view: Callable[[], ReviewView],
) -> None:
    view = open_view()
    qtbot.keyClick(view.queue_table, Qt.Key.Key_F9)
    qtbot.keyClick(view.queue_table, Qt.Key.Key_F10)
    qtbot.wait(300)  # longer than a shortcut's animated click
    assert view.approve_dialog is None and view.refuse_dialog is None
    assert view.header_labels["rx_no"].text() == ""

