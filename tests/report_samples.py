"""Report objects built by hand for the export tests and the export benchmark.

Shaped like the monthly stock report (药品进销存月报): 16 columns of Chinese text,
quantities, money and unit prices, dates; subtotals per category and a total. They do
not come from the report modules, so the exports are tested on their own.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from pharmacy_pos.reports.model import Column, Kind, Report, Section, Value

STORE = "演示大药房（定点零售药店）"
GENERATED = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)

STOCK_COLUMNS = (
    Column("code", "商品编码", Kind.TEXT, 12),
    Column("name", "药品名称", Kind.TEXT, 20),
    Column("spec", "规格", Kind.TEXT, 12),
    Column("maker", "生产企业", Kind.TEXT, 18),
    Column("category", "类别", Kind.TEXT, 8),
    Column("batch", "批号", Kind.TEXT, 10),
    Column("expiry", "有效期至", Kind.DATE, 10),
    Column("opening_qty", "期初数量", Kind.INTEGER, 8),
    Column("opening_amount", "期初金额", Kind.MONEY, 12),
    Column("in_qty", "入库数量", Kind.INTEGER, 8),
    Column("in_amount", "入库金额", Kind.MONEY, 12),
    Column("out_qty", "出库数量", Kind.INTEGER, 8),
    Column("out_amount", "出库金额", Kind.MONEY, 12),
    Column("closing_qty", "期末数量", Kind.INTEGER, 8),
    Column("closing_amount", "期末金额", Kind.MONEY, 12),
    Column("unit_price", "拆零单价", Kind.PRICE, 10),
)

_NAMES = ("阿莫西林胶囊", "布洛芬缓释胶囊", "复方甘草片", "维生素C片", "感冒灵颗粒",
          "板蓝根颗粒", "盐酸二甲双胍片", "硝苯地平控释片", "蒙脱石散", "氯雷他定片")
_MAKERS = ("华北制药股份有限公司", "石药集团欧意药业有限公司", "修正药业集团股份有限公司",
           "哈药集团制药总厂", "广州白云山制药股份有限公司")
_CATEGORIES = ("处方药", "甲类非处方药", "乙类非处方药")


def stock_rows(count: int, seed: int = 2026) -> list[tuple[Value, ...]]:
    """``count`` rows of a monthly stock report, reproducible from ``seed``."""
    pick = random.Random(seed)
    rows: list[tuple[Value, ...]] = []
    for number in range(count):
        cost = Decimal(pick.randrange(50, 50_000)) / 100  # 0.50 .. 499.99 元 a pack
        opening, received, sold = pick.randrange(0, 300), pick.randrange(0, 200), 0
        sold = pick.randrange(0, opening + received + 1)
        closing = opening + received - sold
        rows.append((
            f"P{number:07d}", pick.choice(_NAMES), f"{pick.choice((10, 12, 24, 36))}粒/盒",
            pick.choice(_MAKERS), pick.choice(_CATEGORIES), f"B{pick.randrange(10**7):07d}",
            date(2027, 1, 1) + timedelta(days=pick.randrange(0, 900)),
            opening, cost * opening, received, cost * received, sold, cost * sold,
            closing, cost * closing,
            (cost / pick.choice((10, 12, 24))).quantize(Decimal("0.0001")),
        ))
    return rows


def stock_report(count: int, *, title: str = "药品进销存月报", seed: int = 2026) -> Report:
    """A one-section stock report of ``count`` rows with per-category subtotals and a total."""
    rows = stock_rows(count, seed)
    money = (8, 10, 12, 14)
    quantities = (7, 9, 11, 13)

    def summed(label: str, subset: list[tuple[Value, ...]]) -> tuple[Value, ...]:
        values: list[Value] = [label] + [None] * (len(STOCK_COLUMNS) - 1)
        for index in quantities:
            values[index] = sum(int(r[index]) for r in subset)  # type: ignore[arg-type]
        for index in money:
            values[index] = sum((r[index] for r in subset), Decimal(0))  # type: ignore[misc]
        return tuple(values)

    subtotals = [summed(f"小计：{c}", [r for r in rows if r[4] == c]) for c in _CATEGORIES]
    return Report(
        title=title, store=STORE, period="2026年10月", generated_at=GENERATED,
        sections=(Section(
            name="进销存明细", columns=STOCK_COLUMNS, rows=rows, subtotals=subtotals,
            total=summed("合计", rows),
            notes=("金额按进价计算（元）；数量以最小包装单位计。", "拆零单价保留四位小数。"),
        ),),
    )
