"""ID numbers never leave the database in full (SEC-5): receipts, exports, screens.

A store copy gets an insured sale for 张三丰, an external prescription naming him, an
ephedrine sale recording a buyer's ID number (RX-12) and a proxy purchase (ID-5). Then:

- the receipt, dispensing label and shift report bytes as the printer gets them;
- every report exported as XLSX and CSV by a store manager;
- every screen each role may open, with the review, history and upload screens driven
  to the records that carry the numbers: every model's display and tooltip data and
  every label, line edit and text box;

hold the numbers only masked (``mask_id_number``: first 3 and last 4 characters), and
the masked form does appear where the number is shown, so the checks are not vacuous.

Nobody's task needs a full number on a screen or paper: the till compares the card, the
document and the prescription's patient itself (ID-2, ID-6) and records the full numbers
for the insurer; the pharmacist judges the prescription, not the number. Full numbers
are typed into entry fields only (the document check, a paper prescription, a proxy
declaration), and travel to the insurer in the upload records, which the upload screen
shows masked as well.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextEdit
from sqlalchemy import select

import pharmacy_pos.reports  # noqa: F401 - registers the reports
from pharmacy_pos.bootstrap import AppContext, build_context
from pharmacy_pos.db.models import UploadQueueItem
from pharmacy_pos.devices.adapters.escpos_printer import render
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.identity import ProxyPurchase
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.reports.catalog import REPORTS, Period
from pharmacy_pos.reports.export import export_report
from pharmacy_pos.settings import Settings
from tests.cards import BUYER_SSN, HOLDER_SSN, card
from tests.integration.test_access_matrix import (
    CLOCK_AT,
    Facts,
    Shop,
    prepare_store,
    store_copy,
)
from tests.till_world import AMOXICILLIN, COLD_GRANULES, CONTAC, paper_prescription

FULL = (HOLDER_SSN, BUYER_SSN)
NOVEMBER = Period.month(2026, 11)


@dataclass(frozen=True)
class Sold:
    """The documents that carry ID numbers."""

    insured: str
    prescription: str
    ephedrine: str
    prescription_id: int
    upload_items: tuple[int, ...]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Facts]:
    """The access matrix's prepared store, built once for this module."""
    return prepare_store(tmp_path_factory.mktemp("masking"))


@pytest.fixture
def shop(prepared: tuple[Path, Facts], tmp_path: Path) -> Iterator[Shop]:
    """This test's own copy of it."""
    with store_copy(*prepared, tmp_path) as built:
        yield built


def _insured_identity(shop: Shop):
    cashier = shop.facts.staff[Role.CASHIER]
    record = card()
    check = shop.identity.record_card_read(cashier, record, source="pcsc")
    shop.identity.verify_document(cashier, check.read_id, id_number=record.ssn,
                                  name=record.name, record=record)
    return check.read_id, shop.identity.settlement_identity(cashier, read_id=check.read_id)


@pytest.fixture
def sold(shop: Shop) -> Sold:
    """Sales carrying the insured person's, the patient's and a buyer's ID numbers."""
    cashier = shop.facts.staff[Role.CASHIER]
    pharmacist = shop.facts.staff[Role.PHARMACIST]
    _, identity = _insured_identity(shop)
    cart = shop.cart(COLD_GRANULES)
    shop.sales.attach_insured(cashier, cart, identity)
    insured = shop.sales.complete(cashier, cart, method=PaymentMethod.CASH,
                                  self_pay_consent=True)

    read_id, identity = _insured_identity(shop)
    shop.identity.declare_proxy(cashier, read_id, ProxyPurchase(
        buyer_id_number=BUYER_SSN, buyer_name="李四", insured_id_number=HOLDER_SSN))
    identity = shop.identity.settlement_identity(cashier, read_id=read_id, proxy_expected=True)
    cart = shop.sales.new_cart(cashier)
    shop.sales.add_product(cashier, cart, shop.facts.world.products[AMOXICILLIN], "1")
    shop.sales.submit_prescription(cashier, cart, paper_prescription(
        [("P001", 24, 4)], issue_date=shop.clock.today(), patient_id=HOLDER_SSN))
    assert cart.review is not None
    prescription_id = cart.review.prescription_id
    shop.sales.decide(pharmacist, prescription_id, approve=True)
    shop.sales.refresh_review(cashier, cart)
    shop.sales.attach_insured(cashier, cart, identity)
    rx = shop.sales.complete(cashier, cart, method=PaymentMethod.CASH, self_pay_consent=True)

    cart = shop.cart(CONTAC)
    shop.sales.record_buyer_id(cashier, cart, BUYER_SSN)
    ephedrine = shop.sales.complete(cashier, cart, method=PaymentMethod.CASH)
    shop.uploads.take_new()
    shop.uploads.run_pass()  # the requests (with the numbers) are logged and shown
    with shop.uow(readonly=True) as uow:
        items = tuple(uow.session.scalars(select(UploadQueueItem.id).where(
            UploadQueueItem.doc_no.in_([insured.doc_no, rx.doc_no]))).all())
    assert items
    return Sold(insured.doc_no, rx.doc_no, ephedrine.doc_no, prescription_id, items)


def _no_full_number(text: str, where: str) -> None:
    for number in FULL:
        assert number not in text, f"{where} shows the full ID number {number}"


def test_sec_5_receipts_labels_and_shift_report_print_id_numbers_masked(shop, sold):
    cashier = shop.facts.staff[Role.CASHIER]
    printed: dict[str, bytes] = {}
    planned = [("receipt", doc_no, None)
               for doc_no in (sold.insured, sold.prescription, sold.ephedrine)]
    planned.append(("label", sold.prescription, 1))  # the dispensing label names the patient
    for kind, doc_no, line in planned:
        dummy = Dummy()
        render(shop.printing.document(cashier, kind, doc_no, line_no=line), dummy)
        printed[f"{kind} {doc_no}"] = dummy.output
    dummy = Dummy()
    render(_shift(shop, cashier, CLOCK_AT.replace(hour=0)), dummy)
    printed["shift"] = dummy.output
    for where, data in printed.items():
        for number in FULL:
            assert number.encode("ascii") not in data, f"{where} prints {number}"
    insured = printed[f"receipt {sold.insured}"]
    assert mask_id_number(HOLDER_SSN).encode("ascii") in insured
    assert mask_id_number(BUYER_SSN).encode("ascii") in printed[f"receipt {sold.ephedrine}"]


def _shift(shop: Shop, actor, start: datetime):
    from pharmacy_pos.domain.receipts import shift_report

    data = shop.printing.shift_data(actor, start, datetime(2026, 11, 2, tzinfo=UTC))
    return shift_report(data, 48)


def test_sec_5_exported_reports_hold_id_numbers_masked(shop, sold, tmp_path):
    manager = shop.facts.staff[Role.STORE_MANAGER]
    texts: dict[str, str] = {}
    for spec in REPORTS.values():
        report = spec.build(shop.uow, manager, NOVEMBER, clock=shop.clock,
                            insurer=shop.sales._insurer, identity=shop.identity)
        xlsx = export_report(manager, report, tmp_path / f"{spec.key}.xlsx", "xlsx")[0]
        with zipfile.ZipFile(xlsx) as book:
            texts[f"{spec.key}.xlsx"] = "".join(
                book.read(name).decode("utf-8") for name in book.namelist())
        for path in export_report(manager, report, tmp_path / f"{spec.key}.csv", "csv"):
            texts[path.name] = path.read_text(encoding="utf-8-sig")
    for where, text in texts.items():
        _no_full_number(text, where)
    assert mask_id_number(HOLDER_SSN) in texts["rx-statement.xlsx"]


# -- screens --------------------------------------------------------------------------------

def _context(shop: Shop, tmp_path: Path) -> AppContext:
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{shop.path}",
                        store_code=shop.facts.store.code, terminal_id="T01",
                        printer=f"file:{tmp_path / 'receipts.prn'}")
    return build_context(settings, clock=FixedClock(CLOCK_AT.replace(hour=3)), check=False)


def _model_texts(model: QAbstractItemModel) -> Iterator[str]:
    parent = QModelIndex()
    for row in range(model.rowCount(parent)):
        for column in range(max(model.columnCount(parent), 1)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.EditRole):
                value = model.data(index, role)
                if value is not None:
                    yield str(value)


def _screen_texts(widget) -> str:
    """Everything a person can read on ``widget`` and its children (dialogs included)."""
    parts = []
    for model in widget.findChildren(QAbstractItemModel):
        parts.extend(_model_texts(model))
    for label in widget.findChildren(QLabel):
        parts += [label.text(), label.toolTip()]
    for edit in widget.findChildren(QLineEdit):
        if edit.echoMode() is QLineEdit.EchoMode.Normal:
            parts.append(edit.text())
    for box in widget.findChildren(QPlainTextEdit):
        parts.append(box.toPlainText())
    for box in widget.findChildren(QTextEdit):
        parts.append(box.toPlainText())
    for button in widget.findChildren(QAbstractButton):
        parts += [button.text(), button.toolTip()]
    return "\n".join(parts)


@pytest.mark.parametrize("role", list(Role))
def test_sec_5_no_screen_shows_a_full_id_number(shop, sold, tmp_path, qtbot, role):
    from pharmacy_pos.ui.screens import screens_for

    ctx = _context(shop, tmp_path)
    try:
        actor = ctx.users.authenticate(role.value.replace("_", "."), "Passw0rd2026",
                                       terminal_id="T01")
        seen = []
        for spec in screens_for(actor):
            widget = spec.factory(ctx, actor, None)
            qtbot.addWidget(widget)
            widget.show()
            _drive(widget, sold)
            text = _screen_texts(widget)
            _no_full_number(text, f"{role.value}: {spec.key}")
            seen.append((spec.key, text))
            widget.close()
        shown = dict(seen)
        # Where the number is shown, it is shown masked: the checks above are not vacuous.
        assert mask_id_number(HOLDER_SSN) in shown["uploads"]
        if role is Role.PHARMACIST:
            assert mask_id_number(HOLDER_SSN) in shown["review"]
    finally:
        ctx.close()


def _drive(widget, sold: Sold) -> None:
    """Bring the records carrying ID numbers onto the screen where a screen lists them."""
    from pharmacy_pos.ui.history_view import HistoryView
    from pharmacy_pos.ui.review_view import ReviewView
    from pharmacy_pos.ui.uploads_view import UploadsView

    if isinstance(widget, ReviewView):
        widget.refresh()
        assert widget.select_prescription(sold.prescription_id)
    elif isinstance(widget, HistoryView):
        widget.refresh()
        if widget.select_document(sold.insured):
            for kind in ("receipt", "label"):
                widget.select_printout(kind, 1 if kind == "label" else None)
    elif isinstance(widget, UploadsView):
        widget.refresh()
        assert widget.select_item(sold.upload_items[0])
        assert widget.open_detail() is not None  # a child of the screen: read with it


def test_sec_5_only_a_manager_correcting_an_upload_record_sees_the_number_in_full(
        shop, sold, tmp_path, qtbot):
    """The one exception: the correction of a record sent to the insurer (APPROVE)."""
    from pharmacy_pos.ui.uploads_view import UploadsView

    ctx = _context(shop, tmp_path)
    try:
        for role, allowed in ((Role.STORE_MANAGER, True), (Role.AUDITOR, False)):
            actor = ctx.users.authenticate(role.value.replace("_", "."), "Passw0rd2026",
                                           terminal_id="T01")
            view = UploadsView(ctx, actor)
            qtbot.addWidget(view)
            view.refresh()
            assert view.select_item(sold.upload_items[0])
            dialog = view.open_correction()
            assert (dialog is not None) is allowed
            if dialog is not None:
                assert dialog.edits["certno"].text() == HOLDER_SSN
                dialog.reject()
            view.close()
    finally:
        ctx.close()
