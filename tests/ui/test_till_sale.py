"""收银 cart, driven by the keyboard like a cashier with a scanner: scan, F3 quantity, F2 pay
with change; unknown barcodes; the search popup; RX-1 blocking until a prescription is
captured (F4) and signed by a pharmacist (RX-2, polled); an insured mixed basket with the
self-pay consent (SALE-10) and the split; a card pulled detaches insurance (ID-7); a
second click on confirm pays once; hold and recall (F6); void a line; RX-12 buyer ID (F7).

Products come from the demo database: each test looks up barcodes whose scan gives the
findings it needs, rather than hard-coding them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import Product, ProductBarcode, Sale
from pharmacy_pos.domain.identity import Action
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.product import ControlledCategory, InsuranceClass
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.sales import CompletedSale
from pharmacy_pos.ui.cart_view import CartView
from pharmacy_pos.ui.pay_dialog import PayDialog
from pharmacy_pos.ui.till_view import TillView
from tests.cards import BUYER_SSN, HOLDER_SSN, card
from tests.ui.conftest import BoxRecorder
from tests.ui.fakes import FakeCardWatcher
from tests.ui.helpers import commit_text

WAIT_MS = 2000


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture
def watcher(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> FakeCardWatcher:
    """The terminal's card watcher, driven by the test."""
    fake = FakeCardWatcher()
    monkeypatch.setattr(app_ctx, "card_watcher", lambda: fake)
    return fake


@pytest.fixture
def cashier(log_in: Callable[[str], Actor]) -> Actor:
    """The demo cashier, logged in."""
    return log_in("cashier")


@pytest.fixture
def till(qtbot: QtBot, app_ctx: AppContext, watcher: FakeCardWatcher,
         cashier: Actor) -> Iterator[TillView]:
    """The till screen, shown and active, the focus in the scan field."""
    view = TillView(app_ctx, cashier)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    activate(qtbot, view)
    qtbot.waitUntil(view.cart_view.panel.scan_edit.hasFocus, timeout=WAIT_MS)
    yield view
    view.close()


# -- demo products ----------------------------------------------------------------------------

def _candidates(ctx: AppContext, *conditions: object) -> list[str]:
    with ctx.uow(readonly=True) as uow:
        rows = uow.session.execute(
            select(ProductBarcode.barcode).join(Product)
            .where(Product.active.is_(True), *conditions)  # type: ignore[arg-type]
            .order_by(Product.item_code, ProductBarcode.barcode)).all()
    return [row.barcode for row in rows]


def find_barcodes(ctx: AppContext, actor: Actor, count: int, *conditions: object,
                  findings: set[str] | None = None) -> list[str]:
    """Barcodes of distinct products whose scan gives exactly the rule ids ``findings``
    (none by default), tried on throwaway carts (nothing is written)."""
    wanted = findings or set()
    found: list[str] = []
    names: set[str] = set()
    for barcode in _candidates(ctx, *conditions):
        cart = ctx.sales.new_cart(actor)
        ctx.sales.scan(actor, cart, barcode)
        line = cart.lines[0]
        if {f.rule_id for f in cart.findings} == wanted and line.product.name not in names \
                and line.product.retail_price < 60:
            found.append(barcode)
            names.add(line.product.name)
            if len(found) == count:
                return found
    raise AssertionError(f"the demo has fewer than {count} products with findings {wanted}")


def otc_barcodes(ctx: AppContext, actor: Actor, count: int,
                 insurance: tuple[InsuranceClass, ...] = (InsuranceClass.A,)) -> list[str]:
    """Insured over-the-counter drugs that scan without any finding."""
    return find_barcodes(ctx, actor, count, Product.is_prescription.is_(False),
                         Product.controlled_category == ControlledCategory.NONE,
                         Product.insurance_class.in_(insurance))


def sale_count(ctx: AppContext) -> int:
    """Sales recorded in the database."""
    with ctx.uow(readonly=True) as uow:
        return uow.session.execute(select(func.count()).select_from(Sale)).scalar_one()


# -- driving the till by keyboard ----------------------------------------------------------

def activate(qtbot: QtBot, widget: QWidget) -> None:
    """Make the window active so that its shortcuts work."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=WAIT_MS)


def scan(qtbot: QtBot, till: TillView, code: str) -> None:
    """The scanner types the code and Enter into the field that has the focus."""
    edit = till.cart_view.panel.scan_edit
    focus_back(qtbot, till)
    qtbot.keyClicks(edit, code)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def focus_back(qtbot: QtBot, till: TillView) -> None:
    """The scan field has the focus again (at once, or when a closed dialog let go)."""
    qtbot.waitUntil(till.cart_view.panel.scan_edit.hasFocus, timeout=WAIT_MS)


def press(qtbot: QtBot, till: TillView, key: Qt.Key) -> None:
    """Press a function key on the till."""
    activate(qtbot, till)
    qtbot.keyClick(till.cart_view.panel.scan_edit, key)


def wait_dialog(qtbot: QtBot, view: CartView, name: str) -> QWidget:
    """Wait until the cart's dialog ``name`` is open and active."""
    qtbot.waitUntil(lambda: getattr(view, name) is not None, timeout=WAIT_MS)
    dialog = getattr(view, name)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    return dialog


def pay(qtbot: QtBot, till: TillView, tendered: str = "") -> PayDialog:
    """F2, then type the cash handed over (if any); returns the open dialog."""
    press(qtbot, till, Qt.Key.Key_F2)
    dialog = wait_dialog(qtbot, till.cart_view, "pay_dialog")
    assert isinstance(dialog, PayDialog)
    if tendered:
        qtbot.keyClicks(dialog.tendered_edit, tendered)
    return dialog


def confirm(qtbot: QtBot, till: TillView, dialog: PayDialog) -> CompletedSale:
    """Enter in the pay dialog; wait for the sale."""
    with qtbot.waitSignal(till.cart_view.sale_completed, timeout=WAIT_MS) as done:
        qtbot.keyClick(dialog.tendered_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: till.cart_view.pay_dialog is None, timeout=WAIT_MS)
    return done.args[0]


def cart_rows(till: TillView) -> list[tuple[str, str]]:
    """(product, quantity) of every line shown."""
    model = till.cart_view.panel.lines_model
    return [(row.name, row.quantity) for row in model.rows()]


def shown_findings(till: TillView) -> list[tuple[str, str]]:
    """(rule id, what it does) as the findings table shows them."""
    model = till.cart_view.panel.findings_model
    return [(model.index(r, 0).data(), model.index(r, 1).data())
            for r in range(model.rowCount())]


# -- (1) a cash sale ---------------------------------------------------------------------------

def test_cash_sale_by_keyboard_scan_quantity_pay_with_change(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor, qtmodeltester,
) -> None:
    first, second = otc_barcodes(app_ctx, cashier, 2)
    scan(qtbot, till, first)
    scan(qtbot, till, second)
    view = till.cart_view
    assert len(cart_rows(till)) == 2
    assert view.panel.scan_edit.text() == ""
    # F3 changes the selected line: the one scanned last.
    press(qtbot, till, Qt.Key.Key_F3)
    dialog = wait_dialog(qtbot, view, "quantity_dialog")
    qtbot.keyClicks(dialog.quantity_edit, "3")
    qtbot.keyClick(dialog.quantity_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.quantity_dialog is None, timeout=WAIT_MS)
    line = view.cart.lines[1]
    assert line.quantity == 3 * line.product.units_per_pack
    assert cart_rows(till)[1][1] == line.product.quantity_text(line.quantity)
    assert cart_rows(till)[1][1] == f"3{line.product.package_unit}"
    focus_back(qtbot, till)
    qtmodeltester.check(view.panel.lines_model)
    qtmodeltester.check(view.panel.findings_model)

    total = view.cart.total
    quantities = [(n, ln.quantity) for n, ln in enumerate(view.cart.lines, start=1)]
    assert quantities[1][1] == 3 * line.product.units_per_pack
    assert format_yuan(total) in view.panel.total_label.text()
    dialog = pay(qtbot, till, "500")
    assert dialog.change_label.text() == format_yuan(Decimal(500) - total)
    sold = confirm(qtbot, till, dialog)

    assert sold.doc_no in view.panel.receipt_label.text()
    assert f"找零 {format_yuan(Decimal(500) - total)}" in view.panel.receipt_label.text()
    assert cart_rows(till) == [] and view.cart.lines == []
    focus_back(qtbot, till)
    with app_ctx.uow(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale is not None
        assert sale.total_amount == total and sale.cash_pay == total
        assert sorted((ln.line_no, ln.quantity) for ln in sale.lines) == quantities
        assert [(p.method, p.tendered, p.change) for p in sale.payments] == [
            ("cash", Decimal(500), Decimal(500) - total)]


# -- (2) unknown codes and the search popup ------------------------------------------------

def test_unknown_barcode_is_explained_the_cart_unchanged_and_the_focus_kept(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
) -> None:
    (known,) = otc_barcodes(app_ctx, cashier, 1)
    unknown = "6900000000017"
    assert unknown not in _candidates(app_ctx)
    scan(qtbot, till, known)
    before = cart_rows(till)
    scan(qtbot, till, unknown)
    panel = till.cart_view.panel
    assert panel.message_label.isVisible()
    assert f"未知条码“{unknown}”" in panel.message_label.text()
    assert cart_rows(till) == before
    assert till.cart_view.search_dialog is None
    focus_back(qtbot, till)
    assert panel.scan_edit.text() == ""
    # The next good scan clears the message.
    scan(qtbot, till, known)
    assert not panel.message_label.isVisible()
    assert cart_rows(till)[0][1] != before[0][1]


def test_esc_clears_the_scan_field(qtbot: QtBot, till: TillView) -> None:
    edit = till.cart_view.panel.scan_edit
    qtbot.keyClicks(edit, "690123")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == ""
    focus_back(qtbot, till)


def test_pinyin_initials_open_the_search_and_enter_adds_the_product(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
) -> None:
    (barcode,) = otc_barcodes(app_ctx, cashier, 1)
    with app_ctx.uow(readonly=True) as uow:
        product = uow.products.by_barcode(barcode)
        assert product is not None
        initials, product_id = product.pinyin_initials, product.id
    assert initials and not initials.isdigit()
    scan(qtbot, till, initials)
    view = till.cart_view
    dialog = wait_dialog(qtbot, view, "search_dialog")
    ids = [row.id for row in dialog.model.rows()]
    assert product_id in ids
    for _ in range(ids.index(product_id)):
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.search_dialog is None, timeout=WAIT_MS)
    assert [line.product.product_id for line in view.cart.lines] == [product_id]
    focus_back(qtbot, till)


# -- (3) a prescription drug ---------------------------------------------------------------

def test_rx_1_blocks_until_a_prescription_is_captured_and_signed(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
    log_in: Callable[[str], Actor], message_boxes: BoxRecorder,
) -> None:
    (rx_drug,) = find_barcodes(app_ctx, cashier, 1, Product.is_prescription.is_(True),
                               findings={"RX-1"})
    scan(qtbot, till, rx_drug)
    view = till.cart_view
    assert ("RX-1", "禁止") in shown_findings(till)
    press(qtbot, till, Qt.Key.Key_F2)
    assert view.pay_dialog is None
    assert "[RX-1]" in message_boxes.shown[-1].text
    focus_back(qtbot, till)

    press(qtbot, till, Qt.Key.Key_F4)
    dialog = wait_dialog(qtbot, view, "prescription_dialog")
    line = view.cart.lines[0]
    assert dialog.items_table.item(0, 0).text() == line.product.item_code
    commit_text(dialog.institution_name_edit, "朝阳区第一社区卫生服务中心")
    qtbot.keyClicks(dialog.institution_code_edit, "H11010500002")
    commit_text(dialog.physician_name_edit, "李时珍")
    qtbot.keyClicks(dialog.physician_code_edit, "D110105000123")
    qtbot.keyClick(dialog.signature_check, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.seal_check, Qt.Key.Key_Space)
    commit_text(dialog.patient_name_edit, "王五")
    commit_text(dialog.diagnosis_edit, "急性上呼吸道感染")
    dialog.set_item_value(0, "dosage", "0.5g")
    dialog.set_item_value(0, "frequency", "每日3次")
    dialog.set_item_value(0, "days_of_supply", "4")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.prescription_dialog is None, timeout=WAIT_MS)

    assert view.panel.review_label.text() == "处方：等待药师审核"
    assert view.review_timer.isActive()
    assert ("RX-1", "禁止") not in shown_findings(till)
    assert ("RX-2", "需药师审核") in shown_findings(till)
    press(qtbot, till, Qt.Key.Key_F2)
    assert view.pay_dialog is None
    assert "[RX-2]" in message_boxes.shown[-1].text

    review = view.cart.review
    assert review is not None
    app_ctx.sales.decide(log_in("pharmacist"), review.prescription_id, approve=True)
    view.review_timer.setInterval(20)
    qtbot.waitUntil(lambda: "审核通过" in view.panel.review_label.text(), timeout=WAIT_MS)
    assert not view.review_timer.isActive()
    assert view.panel.review_label.text() == "处方：药师 李明 审核通过"

    sold = confirm(qtbot, till, pay(qtbot, till))
    with app_ctx.uow(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale is not None and sale.prescription_id == review.prescription_id


def test_an_incomplete_prescription_form_says_what_is_missing(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
) -> None:
    (rx_drug,) = find_barcodes(app_ctx, cashier, 1, Product.is_prescription.is_(True),
                               findings={"RX-1"})
    scan(qtbot, till, rx_drug)
    view = till.cart_view
    press(qtbot, till, Qt.Key.Key_F4)
    dialog = wait_dialog(qtbot, view, "prescription_dialog")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.prescription_dialog is dialog
    assert dialog.error_label.isVisible()
    assert "physician" in dialog.error_label.text()
    assert view.cart.review is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.prescription_dialog is None, timeout=WAIT_MS)
    focus_back(qtbot, till)


# -- (4) insurance ---------------------------------------------------------------------------

def insert_and_check(qtbot: QtBot, till: TillView, watcher: FakeCardWatcher) -> None:
    """Insert 张三丰's card and scan his ID document (ID-2)."""
    with qtbot.waitSignal(till.card_checked, timeout=WAIT_MS):
        watcher.insert(card())
    edit = till.panel.document_id_edit
    qtbot.keyClicks(edit, HOLDER_SSN)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert till.desk.readiness.ready
    focus_back(qtbot, till)


def test_insured_mixed_basket_shows_the_split_and_needs_consent(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
    watcher: FakeCardWatcher, message_boxes: BoxRecorder,
) -> None:
    (insured_drug,) = otc_barcodes(app_ctx, cashier, 1)
    (not_covered,) = find_barcodes(app_ctx, cashier, 1,
                                   Product.insurance_class == InsuranceClass.NONE,
                                   Product.is_prescription.is_(False),
                                   Product.controlled_category == ControlledCategory.NONE)
    view = till.cart_view
    insert_and_check(qtbot, till, watcher)
    scan(qtbot, till, insured_drug)
    scan(qtbot, till, not_covered)
    press(qtbot, till, Qt.Key.Key_F5)
    assert view.cart.insured is not None
    assert view.panel.payer_label.text().startswith("医保结算：张三丰")
    assert HOLDER_SSN not in view.panel.payer_label.text()

    dialog = pay(qtbot, till)
    labels = [label for label, _ in dialog.split_rows]
    assert "统筹基金支付" in labels and "个人账户支付" in labels and "个人现金支付" in labels
    assert dialog.consent_check.isVisible() and dialog.notes_label.isVisible()
    not_covered_name = view.cart.lines[1].product.name
    assert not_covered_name in dialog.notes_label.text()
    before = sale_count(app_ctx)
    qtbot.keyClick(dialog.tendered_edit, Qt.Key.Key_Return)
    assert "[SALE-10]" in message_boxes.shown[-1].text
    assert "[SALE-10]" in dialog.error_label.text()
    assert sale_count(app_ctx) == before
    assert view.pay_dialog is dialog and dialog.confirm_button.isEnabled()

    qtbot.keyClick(dialog.consent_check, Qt.Key.Key_Space)
    sold = confirm(qtbot, till, dialog)
    assert sold.setl_id and sold.fund_pay + sold.acct_pay > 0
    assert sold.balance_after is not None
    assert f"个人账户余额 {format_yuan(sold.balance_after)}" in view.panel.receipt_label.text()
    with app_ctx.uow(readonly=True) as uow:
        sale = uow.sales.by_doc_no(sold.doc_no)
        assert sale is not None
        assert sale.self_pay_consent and sale.insured_ssn == HOLDER_SSN
        assert sale.fund_pay + sale.acct_pay + sale.cash_pay == sale.total_amount
    assert view.cart.lines == [] and view.cart.insured is None


def test_id_7_a_card_pulled_switches_the_cart_to_self_pay(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
    watcher: FakeCardWatcher,
) -> None:
    (insured_drug,) = otc_barcodes(app_ctx, cashier, 1)
    view = till.cart_view
    insert_and_check(qtbot, till, watcher)
    scan(qtbot, till, insured_drug)
    press(qtbot, till, Qt.Key.Key_F5)
    assert view.cart.insured is not None
    with qtbot.waitSignal(till.card_cleared, timeout=WAIT_MS):
        watcher.remove()
    assert view.cart.insured is None and not view.cart.pay_with_insurance
    assert view.panel.message_label.text().startswith("[ID-7] 社保卡已拔出")
    assert view.panel.payer_label.text().startswith("自费结算")
    assert len(view.cart.lines) == 1


def test_f5_without_a_checked_card_says_why_insurance_cannot_settle(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
) -> None:
    (drug,) = otc_barcodes(app_ctx, cashier, 1)
    scan(qtbot, till, drug)
    press(qtbot, till, Qt.Key.Key_F5)
    view = till.cart_view
    assert view.cart.insured is None
    assert view.panel.message_label.text().startswith("不能医保结算：[ID-1]")
    focus_back(qtbot, till)


# -- (5) paying twice ------------------------------------------------------------------------

def test_a_second_click_on_confirm_records_one_sale(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (drug,) = otc_barcodes(app_ctx, cashier, 1)
    scan(qtbot, till, drug)
    dialog = pay(qtbot, till)
    complete = app_ctx.sales.complete
    calls: list[bool] = []

    def impatient_complete(*args: object, **kwargs: object) -> CompletedSale:
        calls.append(dialog.confirm_button.isEnabled())
        # The cashier clicks again while the first click is still paying.
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        dialog.confirm_button.click()
        return complete(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app_ctx.sales, "complete", impatient_complete)
    before = sale_count(app_ctx)
    with qtbot.waitSignal(till.cart_view.sale_completed, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: till.cart_view.pay_dialog is None, timeout=WAIT_MS)
    assert calls == [False]
    assert sale_count(app_ctx) == before + 1


# -- (6) hold, recall, void ------------------------------------------------------------------

def test_f6_holds_the_cart_and_recalls_it(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
) -> None:
    first, second = otc_barcodes(app_ctx, cashier, 2)
    scan(qtbot, till, first)
    scan(qtbot, till, first)
    held = cart_rows(till)
    view = till.cart_view
    press(qtbot, till, Qt.Key.Key_F6)
    assert cart_rows(till) == []
    assert view.panel.held_label.text() == "挂单 1 张（F6 取回）"
    # The next customer is served meanwhile.
    scan(qtbot, till, second)
    confirm(qtbot, till, pay(qtbot, till))
    press(qtbot, till, Qt.Key.Key_F6)
    assert cart_rows(till) == held
    assert not view.panel.held_label.isVisible()
    focus_back(qtbot, till)


def test_delete_voids_the_selected_line_after_confirmation(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
    message_boxes: BoxRecorder,
) -> None:
    first, second = otc_barcodes(app_ctx, cashier, 2)
    scan(qtbot, till, first)
    scan(qtbot, till, second)
    names = [name for name, _ in cart_rows(till)]
    edit = till.cart_view.panel.scan_edit
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert till.cart_view.cart.selected == 0
    message_boxes.answer = "取消"
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert [name for name, _ in cart_rows(till)] == names
    assert names[0] in message_boxes.shown[-1].text
    message_boxes.answer = "删除"
    press(qtbot, till, Qt.Key.Key_Delete)
    assert [name for name, _ in cart_rows(till)] == names[1:]
    focus_back(qtbot, till)


def test_rx_12_f7_records_the_buyer_id_for_an_ephedrine_compound(
    qtbot: QtBot, till: TillView, app_ctx: AppContext, cashier: Actor,
) -> None:
    (ephedrine,) = find_barcodes(
        app_ctx, cashier, 1,
        Product.controlled_category == ControlledCategory.EPHEDRINE_COMPOUND,
        findings={"RX-12"})
    scan(qtbot, till, ephedrine)
    view = till.cart_view
    assert any(f.rule_id == "RX-12" and f.action is Action.BLOCK for f in view.cart.findings)
    press(qtbot, till, Qt.Key.Key_F7)
    dialog = wait_dialog(qtbot, view, "buyer_dialog")
    qtbot.keyClicks(dialog.id_edit, "110105")
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    assert view.buyer_dialog is dialog and dialog.error_label.isVisible()
    dialog.id_edit.clear()
    qtbot.keyClicks(dialog.id_edit, BUYER_SSN)
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.buyer_dialog is None, timeout=WAIT_MS)
    assert not any(f.blocks for f in view.cart.findings)
    assert ("RX-12", "记录") in shown_findings(till)
    assert BUYER_SSN not in view.panel.buyer_label.text()
    assert view.panel.buyer_label.text().startswith("购买人证件：")
    focus_back(qtbot, till)
