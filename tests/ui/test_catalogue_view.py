"""商品目录: search by barcode, national code, item code, name and pinyin initials;
price and stock on hand per product."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.db.models import Batch
from pharmacy_pos.domain.errors import PermissionDenied
from pharmacy_pos.domain.product import InsuranceClass, OtcClass
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import ProductRow, search_products
from pharmacy_pos.ui.catalogue_model import CatalogueModel, stock_text
from pharmacy_pos.ui.catalogue_view import CatalogueView
from tests.ui.helpers import commit_text

AMOXICILLIN_BARCODE = "6938265910656"  # P000001 阿莫西林胶囊 (阿莫仙), 24粒/盒
AMOXICILLIN_NATIONAL_CODE = "XJ01CAA359A002110150138"


@pytest.fixture
def view(qtbot: QtBot, app_ctx: AppContext, log_in: Callable[[str], Actor]) -> CatalogueView:
    """The catalogue as the cashier sees it."""
    catalogue = CatalogueView(app_ctx, log_in("cashier"))
    qtbot.addWidget(catalogue)
    catalogue.show()
    return catalogue


def _ledger_units(ctx: AppContext, item_code: str) -> int:
    # The ledger is the truth; the screen reads the cached balances (INV-1 keeps them equal).
    with ctx.uow(readonly=True) as uow:
        sums = uow.ledger.ledger_sums()
        product_of = dict(uow.session.execute(select(Batch.id, Batch.product_id)).all())
        product = next(p for p in uow.products.all() if p.item_code == item_code)
        return sum(units for batch, units in sums.items() if product_of[batch] == product.id)


def _item_codes(view: CatalogueView) -> list[str]:
    return [row.item_code for row in view.model.rows()]


def test_lists_every_product_at_first(view: CatalogueView, app_ctx: AppContext) -> None:
    with app_ctx.uow(readonly=True) as uow:
        total = uow.products.count()
    assert view.model.rowCount() == total
    assert view.count_label.text() == f"共 {total} 个商品"


def test_scanned_barcode_finds_the_product_with_price_and_stock(
    qtbot: QtBot, view: CatalogueView, app_ctx: AppContext,
) -> None:
    qtbot.keyClicks(view.search_edit, AMOXICILLIN_BARCODE)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert _item_codes(view) == ["P000001"]
    row = view.model.row_at(0)
    assert row.generic_name == "阿莫西林胶囊"
    assert row.retail_price == Decimal("12.50")
    units = _ledger_units(app_ctx, "P000001")
    assert units > 0
    assert row.stock_units == units
    cells = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert "¥12.50" in cells
    assert "处方药" in cells
    assert "甲类" in cells
    packs, loose = divmod(units, 24)
    assert f"{packs}盒" + (f"{loose}粒" if loose else "") in cells
    assert view.search_edit.selectedText() == AMOXICILLIN_BARCODE  # next scan replaces it


def test_pinyin_initials_find_products_in_either_case(view: CatalogueView) -> None:
    view.search("AMX")
    upper = _item_codes(view)
    assert {"P000001", "P000002"} <= set(upper)
    assert len(upper) < 50
    view.search("amx")
    assert _item_codes(view) == upper


def test_trade_name_pinyin_matches(view: CatalogueView) -> None:
    # "AMX" is also 阿莫仙's initials; the second word of pinyin_initials is searched too.
    view.search("阿莫仙")
    assert _item_codes(view) == ["P000001"]


def test_national_code_and_name_substring_match(view: CatalogueView) -> None:
    view.search(AMOXICILLIN_NATIONAL_CODE)
    assert _item_codes(view) == ["P000001"]
    view.search("头孢")
    rows = view.model.rows()
    assert rows
    assert all("头孢" in r.generic_name or "头孢" in r.trade_name for r in rows)


def test_partial_barcode_does_not_match(view: CatalogueView) -> None:
    # Barcodes match exactly: a half-read scan must not pick some other product.
    view.search(AMOXICILLIN_BARCODE[:8])
    assert "P000001" not in _item_codes(view)


def test_typing_searches_after_a_pause(qtbot: QtBot, view: CatalogueView) -> None:
    qtbot.keyClicks(view.search_edit, "P000003")
    qtbot.waitUntil(lambda: _item_codes(view) == ["P000003"], timeout=2000)


def test_nothing_found_says_so(view: CatalogueView) -> None:
    view.search("没有这种药")
    assert view.model.rowCount() == 0
    assert view.count_label.text() == "共 0 个商品"


def test_escape_clears_the_search(qtbot: QtBot, view: CatalogueView) -> None:
    view.search(AMOXICILLIN_BARCODE)
    view.search_edit.setFocus()
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Escape)
    assert view.search_edit.text() == ""
    assert view.model.rowCount() > 100


def test_like_wildcards_are_literal(app_ctx: AppContext, log_in: Callable[[str], Actor]) -> None:
    cashier = log_in("cashier")
    assert search_products(app_ctx.uow, cashier, "阿%林").rows == ()
    assert search_products(app_ctx.uow, cashier, "阿_西林").rows == ()
    percent = search_products(app_ctx.uow, cashier, "%").rows
    assert [r.generic_name for r in percent] == ["75%乙醇消毒液"]


def test_search_limit_reports_truncation(
    app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    found = search_products(app_ctx.uow, log_in("cashier"), "", limit=10)
    assert len(found.rows) == 10
    assert found.truncated


def test_stock_query_needs_view_stock_permission(
    app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    with pytest.raises(PermissionDenied):
        search_products(app_ctx.uow, log_in("admin"), "")


def _row(units: int, per_pack: int) -> ProductRow:
    return ProductRow(
        id=1, item_code="X", national_code="", generic_name="g", trade_name="",
        specification="", manufacturer="", is_prescription=False, otc_class=OtcClass.A,
        insurance_class=InsuranceClass.NONE, retail_price=Decimal("1.00"),
        package_unit="盒", min_unit="片", units_per_pack=per_pack, stock_units=units,
        barcodes=(), active=True,
    )


@pytest.mark.parametrize(
    ("units", "per_pack", "expected"),
    [(0, 24, "0盒"), (48, 24, "2盒"), (50, 24, "2盒2片"), (5, 24, "5片"), (7, 1, "7盒")],
)
def test_stock_is_shown_in_packs_and_loose_units(units: int, per_pack: int,
                                                expected: str) -> None:
    assert stock_text(_row(units, per_pack)) == expected


def test_catalogue_model_passes_modeltester(
    qtmodeltester: ModelTester, app_ctx: AppContext, log_in: Callable[[str], Actor],
) -> None:
    model = CatalogueModel()
    model.set_rows(search_products(app_ctx.uow, log_in("cashier"), "阿莫西林").rows)
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole).startswith("医保编码")


def test_chinese_typed_through_an_input_method_searches(
    qtbot: QtBot, view: CatalogueView,
) -> None:
    commit_text(view.search_edit, "阿莫西林")
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < 20, timeout=2000)
    assert "P000001" in _item_codes(view)
    assert all("阿莫西林" in r.generic_name for r in view.model.rows())
