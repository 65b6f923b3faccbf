"""经营概况 screen (issue 7): the dashboard draws its five charts from the figures; a sale
rung at the till shows on the day's bar, in the month's share and among the top
products; F5 reloads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QChartView, QPieSeries
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.reports.dashboard import DAYS, WEEKS
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.dashboard_view import DashboardView
from pharmacy_pos.ui.screens import SCREENS
from tests.ui.test_till_sale import otc_barcodes


@pytest.fixture
def manager(log_in: Callable[[str], Actor]) -> Actor:
    return log_in("manager")


def open_dashboard(qtbot: QtBot, ctx: AppContext, actor: Actor) -> DashboardView:
    spec = next(s for s in SCREENS if s.key == "dashboard")
    view = spec.factory(ctx, actor, None)
    assert isinstance(view, DashboardView)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


def bar_series(view: QChartView) -> QAbstractBarSeries:
    (series,) = view.chart().series()
    assert isinstance(series, QAbstractBarSeries)
    return series


def bar_values(view: QChartView) -> dict[str, list[float]]:
    """Each bar set's label and values."""
    return {bar.label(): [bar.at(i) for i in range(bar.count())]
            for bar in bar_series(view).barSets()}


def test_the_dashboard_shows_five_charts_with_the_expected_points(
        qtbot: QtBot, app_ctx: AppContext, manager: Actor) -> None:
    view = open_dashboard(qtbot, app_ctx, manager)
    sales = bar_values(view.sales_view)
    assert list(sales) == ["医保统筹", "个人账户", "现金及其他"]
    assert all(len(points) == DAYS for points in sales.values())
    assert bar_series(view.sales_view).chart().axes(Qt.Orientation.Horizontal)[0] \
        .categories()[-1] == "11-01"
    (pie,) = view.share_view.chart().series()
    assert isinstance(pie, QPieSeries) and pie.count() == 3
    assert "暂无销售" in view.share_view.chart().title()  # the demo has no sales
    expiry = bar_values(view.expiry_view)["库存金额"]
    windows = app_ctx.policy.stock.near_expiry_days
    assert len(expiry) == len(windows)
    assert expiry == [float(e.value) for e in view.figures.near_expiry]
    assert sum(expiry) > 0  # the demo stocks batches near expiry
    assert bar_values(view.top_view)["销售额"] == []
    assert view.flags_view.chart().axes(Qt.Orientation.Horizontal)[0].count() == WEEKS
    assert view.as_of_label.text() == "数据截至 2026-11-01 10:00:00"


def test_a_sale_shows_on_todays_bar_and_among_the_top_products_after_f5(
        qtbot: QtBot, app_ctx: AppContext, manager: Actor, log_in) -> None:
    view = open_dashboard(qtbot, app_ctx, manager)
    cashier = log_in("cashier")
    first, second = otc_barcodes(app_ctx, cashier, 2)
    cart = app_ctx.sales.new_cart(cashier)
    app_ctx.sales.scan(cashier, cart, first)
    app_ctx.sales.scan(cashier, cart, first)
    app_ctx.sales.scan(cashier, cart, second)
    sold = app_ctx.sales.complete(cashier, cart, method=PaymentMethod.CASH)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_F5)
    cash = bar_values(view.sales_view)["现金及其他"]
    assert cash[-1] == float(sold.total) and sum(cash[:-1]) == 0
    top = bar_values(view.top_view)["销售额"]
    assert len(top) == 2 and top == sorted(top)  # the largest drawn last, on top
    assert sum(top) == float(sold.total)
    (pie,) = view.share_view.chart().series()
    assert [s.value() for s in pie.slices()] == [0.0, 0.0, float(sold.total)]
    assert "100%" in pie.slices()[2].label()


def test_a_cashier_may_not_open_the_dashboard(log_in: Callable[[str], Actor]) -> None:
    from pharmacy_pos.ui.screens import screens_for

    assert "dashboard" not in [s.key for s in screens_for(log_in("cashier"))]
