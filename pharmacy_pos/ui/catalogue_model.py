"""Qt table model over ``ProductRow`` DTOs for the catalogue screen."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.services.catalogue import ProductRow
from pharmacy_pos.ui import labels
from pharmacy_pos.ui.table_model import CENTER, RIGHT, Column, DtoTableModel

RX_COLOUR = QColor("#c0392b")
NO_STOCK_COLOUR = QColor("#7f8c8d")


def stock_text(row: ProductRow) -> str:
    """Stock in whole packs plus loose units, e.g. "12盒3粒" (split-package sales)."""
    units = row.stock_units
    if row.units_per_pack <= 1:
        return f"{units}{row.package_unit}"
    packs, loose = divmod(units, row.units_per_pack)
    if loose == 0:
        return f"{packs}{row.package_unit}"
    if packs == 0:
        return f"{loose}{row.min_unit}"
    return f"{packs}{row.package_unit}{loose}{row.min_unit}"


class CatalogueModel(DtoTableModel):
    """One row per product: what a cashier or pharmacist needs at a glance.

    Price and stock come before the long manufacturer name so they stay on screen.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self.set_columns([
            Column(self.tr("商品编码"), lambda p: p.item_code,
                   tooltip=lambda p: self.tr("医保编码: {0}").format(p.national_code)
                   if p.national_code else ""),
            Column(self.tr("通用名"), lambda p: p.generic_name),
            Column(self.tr("商品名"), lambda p: p.trade_name),
            Column(self.tr("规格"), lambda p: p.specification),
            Column(self.tr("处方/OTC"), self.rx_text, CENTER,
                   foreground=lambda p: RX_COLOUR if p.is_prescription else None),
            Column(self.tr("医保类别"), lambda p: labels.label(p.insurance_class), CENTER),
            Column(self.tr("零售价"), lambda p: format_yuan(p.retail_price), RIGHT),
            Column(self.tr("库存"), stock_text, RIGHT,
                   tooltip=lambda p: self.tr("共 {0}{1}").format(p.stock_units, p.min_unit),
                   foreground=lambda p: NO_STOCK_COLOUR if p.stock_units == 0 else None),
            Column(self.tr("生产企业"), lambda p: p.manufacturer,
                   tooltip=lambda p: p.manufacturer),
            Column(self.tr("条码"), lambda p: " ".join(p.barcodes)),
        ])

    def rx_text(self, row: ProductRow) -> str:
        """处方药, the OTC class, or 非处方."""
        if row.is_prescription:
            return self.tr("处方药")
        return labels.label(row.otc_class) or self.tr("非处方")
