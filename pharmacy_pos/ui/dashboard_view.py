"""经营概况 (VIEW_REPORTS): the manager's dashboard, five charts to look at.

- 近 30 天销售额: stacked bars per store day — insurance fund, personal account, the
  person's own money (net of returns);
- 本月医保占比: a pie of the month's takings by who paid;
- 本月销售额前 10 品种: horizontal bars, largest on top;
- 近效期库存金额: stock at cost in the policy's windows (e.g. ≤30, 31–60, 61–90 days);
- 近 8 周自查标记: sale flags per week, stacked by rule id.

The figures come from ``reports.dashboard.dashboard_figures`` (no Qt); this module only
draws them with QtCharts. Loading takes ~20–50 ms on the demo database, so it runs on the
GUI thread (the issue asks for a worker only beyond ~100 ms). F5 and coming back to the
screen reload; the "as of" time says how fresh the figures are.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QT_TRANSLATE_NOOP, QMargins, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.clock import local_text
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.reports.dashboard import DAYS, WEEKS, DashboardFigures, dashboard_figures
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.ui.errors import call_guarded
from pharmacy_pos.ui.style import FOOTNOTE_STYLE, TITLE_STYLE

#: Who paid, in stacking order, with their colours (fund blue, account green, cash orange).
PAYERS = ((QT_TRANSLATE_NOOP("DashboardView", "医保统筹"), "#2e86c1"),
          (QT_TRANSLATE_NOOP("DashboardView", "个人账户"), "#28b463"),
          (QT_TRANSLATE_NOOP("DashboardView", "现金及其他"), "#f39c12"))
EXPIRY_COLOUR = "#c0392b"
TOP_COLOUR = "#5d6d7e"
#: Colours of the flag rules, in order of their ids; repeated if there are more rules.
FLAG_COLOURS = ("#8e44ad", "#e67e22", "#16a085", "#c0392b", "#2c3e50", "#d4ac0d")


def _yuan_float(value: Decimal) -> float:
    # Charts take floats; the figures stay Decimal until here, for drawing only.
    return float(value)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _money_axis(maximum: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("¥%.0f")
    axis.setRange(0, maximum if maximum > 0 else 1)
    axis.applyNiceNumbers()
    return axis


class DashboardView(QWidget):
    """The dashboard screen; ``refresh()`` reloads the figures."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        actor.require(Permission.VIEW_REPORTS)
        self._ctx = ctx
        self._actor = actor
        self.figures: DashboardFigures | None = None

        title = QLabel(self.tr("经营概况"))
        title.setStyleSheet(TITLE_STYLE)
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("as_of_label")
        self.as_of_label.setStyleSheet(FOOTNOTE_STYLE)
        hint = QLabel(self.tr("F5 刷新"))
        hint.setStyleSheet(FOOTNOTE_STYLE)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.as_of_label)
        top.addWidget(hint)

        self.sales_view = self._chart_view("sales_chart")
        self.share_view = self._chart_view("share_chart")
        self.top_view = self._chart_view("top_chart")
        self.expiry_view = self._chart_view("expiry_chart")
        self.flags_view = self._chart_view("flags_chart")
        grid = QGridLayout()
        grid.addWidget(self.sales_view, 0, 0, 1, 2)
        grid.addWidget(self.share_view, 0, 2)
        grid.addWidget(self.top_view, 1, 0)
        grid.addWidget(self.expiry_view, 1, 1)
        grid.addWidget(self.flags_view, 1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh()

    def _chart_view(self, name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(320, 240)
        return view

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the figures and redraw every chart."""
        ctx = self._ctx
        figures = call_guarded(self, lambda: dashboard_figures(
            ctx.uow, self._actor, ctx.clock.today(),
            windows=ctx.policy.stock.near_expiry_days, as_of=ctx.clock.now()))
        if figures is None:
            return
        self.show_figures(figures)

    def show_figures(self, figures: DashboardFigures) -> None:
        """Draw ``figures``."""
        self.figures = figures
        self.as_of_label.setText(self.tr("数据截至 {0}").format(local_text(figures.as_of)))
        self._replace(self.sales_view, self._sales_chart(figures))
        self._replace(self.share_view, self._share_chart(figures))
        self._replace(self.top_view, self._top_chart(figures))
        self._replace(self.expiry_view, self._expiry_chart(figures))
        self._replace(self.flags_view, self._flags_chart(figures))

    @staticmethod
    def _replace(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)  # the view owns the new chart
        if old is not None:
            old.deleteLater()

    # -- the charts ------------------------------------------------------------------------

    def _sales_chart(self, figures: DashboardFigures) -> QChart:
        total = sum((d.total for d in figures.days), Decimal(0))
        chart = _chart(self.tr("近 {0} 天销售额（合计 {1}）").format(DAYS, format_yuan(total)))
        series = QStackedBarSeries()
        values = [[d.split.fund for d in figures.days], [d.split.account for d in figures.days],
                  [d.split.cash for d in figures.days]]
        for (label, colour), amounts in zip(PAYERS, values, strict=True):
            bar = QBarSet(self.tr(label))
            bar.setColor(QColor(colour))
            bar.append([_yuan_float(a) for a in amounts])
            series.append(bar)
        chart.addSeries(series)
        days = QBarCategoryAxis()
        days.append([f"{d.day:%m-%d}" if i % 5 == 0 or i == len(figures.days) - 1
                     else f"{d.day.day}" for i, d in enumerate(figures.days)])
        chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(days)
        money = _money_axis(max((_yuan_float(d.total) for d in figures.days), default=0))
        chart.addAxis(money, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(money)
        return chart

    def _share_chart(self, figures: DashboardFigures) -> QChart:
        month = figures.month
        chart = _chart(self.tr("本月医保占比（{0}）").format(format_yuan(month.total)))
        series = QPieSeries()
        for (label, colour), amount in zip(PAYERS, (month.fund, month.account, month.cash),
                                           strict=True):
            share = f"{amount / month.total:.0%}" if month.total > 0 else "—"
            piece = series.append(self.tr("{0} {1}（{2}）").format(
                                      self.tr(label), format_yuan(amount), share),
                                  max(_yuan_float(amount), 0.0))
            piece.setColor(QColor(colour))
            piece.setLabelVisible(amount > 0)
        series.setPieSize(0.6)
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        if month.total <= 0:
            chart.setTitle(self.tr("本月医保占比（本月暂无销售）"))
        return chart

    def _top_chart(self, figures: DashboardFigures) -> QChart:
        chart = _chart(self.tr("本月销售额前 {0} 品种").format(len(figures.top_products) or 10))
        chart.legend().setVisible(False)
        series = QHorizontalBarSeries()
        bar = QBarSet(self.tr("销售额"))
        bar.setColor(QColor(TOP_COLOUR))
        products = list(reversed(figures.top_products))  # the largest drawn on top
        bar.append([_yuan_float(p.amount) for p in products])
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("¥@value")
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([p.name for p in products] or [self.tr("（暂无销售）")])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        money = _money_axis(max((_yuan_float(p.amount) for p in products), default=0) * 1.15)
        chart.addAxis(money, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(money)
        return chart

    def _expiry_chart(self, figures: DashboardFigures) -> QChart:
        total = sum((e.value for e in figures.near_expiry), Decimal(0))
        chart = _chart(self.tr("近效期库存金额（成本价，合计 {0}）").format(format_yuan(total)))
        chart.legend().setVisible(False)
        series = QBarSeries()
        bar = QBarSet(self.tr("库存金额"))
        bar.setColor(QColor(EXPIRY_COLOUR))
        bar.append([_yuan_float(e.value) for e in figures.near_expiry])
        series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("¥@value")
        chart.addSeries(series)
        labels, previous = [], -1
        for bucket in figures.near_expiry:
            labels.append(self.tr("≤{0} 天").format(bucket.window_days) if previous < 0 else
                          self.tr("{0}–{1} 天").format(previous + 1, bucket.window_days))
            labels[-1] += self.tr("（{0} 批）").format(bucket.batches)
            previous = bucket.window_days
        windows = QBarCategoryAxis()
        windows.append(labels)
        chart.addAxis(windows, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(windows)
        money = _money_axis(max((_yuan_float(e.value) for e in figures.near_expiry),
                                default=0) * 1.15)
        chart.addAxis(money, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(money)
        return chart

    def _flags_chart(self, figures: DashboardFigures) -> QChart:
        total = sum(w.total for w in figures.weeks)
        chart = _chart(self.tr("近 {0} 周自查标记（共 {1} 条）").format(WEEKS, total))
        series = QStackedBarSeries()
        for index, rule in enumerate(figures.flag_rules):
            bar = QBarSet(rule)
            bar.setColor(QColor(FLAG_COLOURS[index % len(FLAG_COLOURS)]))
            bar.append([float(w.count(rule)) for w in figures.weeks])
            series.append(bar)
        chart.addSeries(series)
        weeks = QBarCategoryAxis()
        weeks.append([self.tr("{0}周").format(f"{w.week_start:%m-%d}") for w in figures.weeks])
        chart.addAxis(weeks, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(weeks)
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        counts.setRange(0, max(max((w.total for w in figures.weeks), default=0), 4))
        counts.setTickCount(5)
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(counts)
        if not figures.flag_rules:
            chart.legend().setVisible(False)
        return chart
