"""Products, batches and the kinds of stock movement, as plain values."""

from __future__ import annotations

from enum import StrEnum


class ProductCategory(StrEnum):
    """What a product is; decides whether insurance may ever pay for it (SALE-1)."""

    DRUG = "drug"
    MEDICAL_DEVICE = "medical_device"
    HEALTH_FOOD = "health_food"
    COSMETIC = "cosmetic"
    DAILY_GOODS = "daily_goods"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Chinese name."""
        return CATEGORY_LABELS[self]

    @property
    def never_insured(self) -> bool:
        """Food, daily goods, cosmetics and supplements are never paid by insurance."""
        return self in (
            ProductCategory.HEALTH_FOOD,
            ProductCategory.COSMETIC,
            ProductCategory.DAILY_GOODS,
        )


CATEGORY_LABELS = {
    ProductCategory.DRUG: "药品",
    ProductCategory.MEDICAL_DEVICE: "医疗器械",
    ProductCategory.HEALTH_FOOD: "保健食品",
    ProductCategory.COSMETIC: "化妆品",
    ProductCategory.DAILY_GOODS: "日用品",
    ProductCategory.OTHER: "其他",
}


class InsuranceClass(StrEnum):
    """医保类别: 甲 fully covered, 乙 with a self-paid share, 丙 self-paid; NONE = not listed."""

    NONE = "none"
    A = "A"
    B = "B"
    C = "C"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"none": "非医保", "A": "甲类", "B": "乙类", "C": "丙类"}[self.value]


class OtcClass(StrEnum):
    """OTC class of a non-prescription drug (甲类 red label, 乙类 green label)."""

    NONE = "none"
    A = "A"
    B = "B"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"none": "", "A": "甲类OTC", "B": "乙类OTC"}[self.value]


class ControlledCategory(StrEnum):
    """Special management classes with extra sale rules (RX-12 and the like)."""

    NONE = "none"
    EPHEDRINE_COMPOUND = "ephedrine_compound"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"none": "", "ephedrine_compound": "含麻黄碱类复方制剂"}[self.value]


class BatchStatus(StrEnum):
    """Where a batch stands; only SELLABLE stock may be sold (SALE-5, INV-2, INV-3)."""

    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    SELLABLE = "sellable"
    LOCKED = "locked"
    EXPIRED = "expired"
    DESTROYED = "destroyed"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {
            "awaiting_acceptance": "待验收",
            "sellable": "合格可售",
            "locked": "锁定",
            "expired": "已过期",
            "destroyed": "已销毁",
        }[self.value]


class LedgerEntryType(StrEnum):
    """Every way stock can change. Nothing else changes stock (INV-1)."""

    PURCHASE_IN = "purchase_in"
    PURCHASE_RETURN = "purchase_return"
    SALE_OUT = "sale_out"
    SALE_RETURN = "sale_return"
    STOCKTAKE_GAIN = "stocktake_gain"
    STOCKTAKE_LOSS = "stocktake_loss"
    DESTRUCTION = "destruction"
    SPLIT_CONVERSION = "split_conversion"
    REVERSAL = "reversal"

    @property
    def label(self) -> str:
        """Chinese name."""
        return LEDGER_TYPE_LABELS[self]

    @property
    def sign(self) -> int:
        """+1 if the entry may only add stock, -1 if only remove, 0 if either."""
        return _SIGNS[self]


LEDGER_TYPE_LABELS = {
    LedgerEntryType.PURCHASE_IN: "采购入库",
    LedgerEntryType.PURCHASE_RETURN: "采购退货",
    LedgerEntryType.SALE_OUT: "销售出库",
    LedgerEntryType.SALE_RETURN: "销售退货",
    LedgerEntryType.STOCKTAKE_GAIN: "盘盈",
    LedgerEntryType.STOCKTAKE_LOSS: "盘亏",
    LedgerEntryType.DESTRUCTION: "销毁",
    LedgerEntryType.SPLIT_CONVERSION: "拆零转换",
    LedgerEntryType.REVERSAL: "冲正",
}

_SIGNS = {
    LedgerEntryType.PURCHASE_IN: 1,
    LedgerEntryType.PURCHASE_RETURN: -1,
    LedgerEntryType.SALE_OUT: -1,
    LedgerEntryType.SALE_RETURN: 1,
    LedgerEntryType.STOCKTAKE_GAIN: 1,
    LedgerEntryType.STOCKTAKE_LOSS: -1,
    LedgerEntryType.DESTRUCTION: -1,
    LedgerEntryType.SPLIT_CONVERSION: 0,
    LedgerEntryType.REVERSAL: 0,
}


def quantity_text(units: int, units_per_pack: int, package_unit: str, min_unit: str) -> str:
    """A quantity in minimum units as a cashier says it: ``2盒``, ``1盒4片`` or ``4片``."""
    if units_per_pack == 1:
        return f"{units}{package_unit}"
    packs, rest = divmod(units, units_per_pack)
    parts = []
    if packs:
        parts.append(f"{packs}{package_unit}")
    if rest:
        parts.append(f"{rest}{min_unit}")
    return "".join(parts) or f"0{package_unit}"
