"""Which batches a sale line takes its stock from (SALE-5, INV-2), and typed quantities.

Stock is picked first-expiry-first-out from sellable batches only: never from an expired
batch (SALE-5), nor from one that is locked (INV-3), destroyed (INV-7) or still awaiting
acceptance (INV-2). Everything here counts in the product's minimum unit (最小单位), as
the ledger does (INV-1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.identity import Action, Finding
from pharmacy_pos.domain.product import BatchStatus

# A sanity bound against slips of the finger (a barcode scanned into the quantity field,
# an extra zero), not a regional rule: no till line of a retail pharmacy is 10,000 boxes.
# Policy limits (e.g. RX-12 ephedrine packs) are checked separately by their own rules.
MAX_PACKS_PER_LINE = 9_999

QuantityUnit = Literal["pack", "unit"]

# Plain decimal notation only: "1e3" or "0x10" typed at a till is a slip, not a quantity.
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class BatchStock:
    """One batch of a product with what the store holds of it, in minimum units."""

    batch_id: int
    lot_no: str
    expiry_date: date
    status: BatchStatus
    units: int
    opened: bool = False  # a split-package batch (拆零): an opened pack sells first

    def __post_init__(self) -> None:
        # Stock never goes below zero (INV-1); a negative value here is a bug upstream.
        if self.units < 0:
            raise ValueError(f"batch {self.batch_id}: negative stock {self.units}")

    def unsellable_reason(self, today: date) -> str | None:
        """Why this batch may not be sold today (Chinese), or None when it may."""
        if self.status is BatchStatus.EXPIRED or self.expiry_date < today:
            return "已过期"
        if self.status is not BatchStatus.SELLABLE:
            return self.status.label
        return None


@dataclass(frozen=True, slots=True)
class Allocation:
    """Units taken from one batch for one sale line."""

    batch_id: int
    lot_no: str
    expiry_date: date
    units: int


@dataclass(frozen=True, slots=True)
class Picking:
    """The batches a line takes its units from, and what the rules said about it.

    When a finding blocks, ``allocations`` is empty: a line is picked whole or not at all.
    """

    allocations: tuple[Allocation, ...]
    findings: tuple[Finding, ...]
    available: int

    @property
    def blocked(self) -> bool:
        """Whether the line must not be sold."""
        return any(f.blocks for f in self.findings)

    @property
    def units(self) -> int:
        """Units allocated in total."""
        return sum(a.units for a in self.allocations)


def pick_fefo(batches: Iterable[BatchStock], units_wanted: int, *, today: date,
              near_expiry_days: int, unit_name: str = "") -> Picking:
    """Take ``units_wanted`` from sellable batches, earliest expiry first (SALE-5).

    Ties on expiry go to an opened split-package batch first, then to the lower batch id,
    so the same stock always picks the same way.
    A batch expiring today is still sellable; one whose expiry date is before ``today`` is
    not, whatever its status says (the nightly status update may not have run yet).

    Args:
        batches: the product's batches in the store, in any order and any status.
        units_wanted: minimum units the line needs; must be positive.
        today: the store's business date.
        near_expiry_days: ``SalePolicy.near_expiry_warn_days``; an allocation from a
            batch expiring within this many days (inclusive) warns.
        unit_name: the minimum unit's Chinese name (粒, 支...) for messages.

    Returns:
        The allocations and findings: a SALE-5 block when sellable stock is short (with
        how much there is and what unsellable stock exists), a SALE-5 warning for each
        allocation from a near-expiry batch.

    Raises:
        DomainError: ``units_wanted`` is zero or negative (SALE-2).
    """
    if units_wanted <= 0:
        raise DomainError(f"数量必须大于 0（收到 {units_wanted}）", rule_id="SALE-2")
    if near_expiry_days < 0:
        raise ValueError(f"near_expiry_days must not be negative: {near_expiry_days}")
    stock = [b for b in batches if b.units > 0]
    # Earliest expiry first; on the same expiry an opened (split) pack before sealed ones,
    # then the older batch.
    sellable = sorted((b for b in stock if b.unsellable_reason(today) is None),
                      key=lambda b: (b.expiry_date, not b.opened, b.batch_id))
    available = sum(b.units for b in sellable)
    if available < units_wanted:
        return Picking((), (_short_finding(stock, units_wanted, available, today, unit_name),),
                       available)
    allocations: list[Allocation] = []
    findings: list[Finding] = []
    remaining = units_wanted
    for batch in sellable:
        if remaining == 0:
            break
        take = min(batch.units, remaining)
        remaining -= take
        allocations.append(Allocation(batch.batch_id, batch.lot_no, batch.expiry_date, take))
        days_left = (batch.expiry_date - today).days
        if days_left <= near_expiry_days:
            when = "今天到期" if days_left == 0 else f"还有 {days_left} 天到期"
            findings.append(Finding(
                "SALE-5", Action.WARN,
                f"批号 {batch.lot_no} 有效期至 {batch.expiry_date:%Y-%m-%d}（{when}），"
                f"本次取 {take}{unit_name}：请告知顾客效期并确认在效期内用完",
            ))
    return Picking(tuple(allocations), tuple(findings), available)


def _short_finding(stock: list[BatchStock], wanted: int, available: int, today: date,
                   unit_name: str) -> Finding:
    unsellable: dict[str, int] = {}
    for batch in stock:
        reason = batch.unsellable_reason(today)
        if reason is not None:
            unsellable[reason] = unsellable.get(reason, 0) + batch.units
    message = f"可售库存不足：需要 {wanted}{unit_name}，合格可售仅 {available}{unit_name}"
    if unsellable:
        # Say that stock exists but may not be sold, so the cashier does not go and fetch
        # boxes from the shelf that the rules forbid selling.
        parts = "、".join(f"{reason} {units}{unit_name}" for reason, units in unsellable.items())
        message += f"；另有{parts}，不能销售"
    return Finding("SALE-5", Action.BLOCK, message)


def units_for(quantity: str | int | Decimal, unit: QuantityUnit, units_per_pack: int,
              split_allowed: bool) -> int:
    """Turn a quantity typed at the till into minimum units.

    Args:
        quantity: what was typed (full-width digits are accepted) or a number.
        unit: ``"pack"`` for whole packages (盒), ``"unit"`` for split units (拆零).
        units_per_pack: minimum units in one package (≥ 1).
        split_allowed: whether the product may be sold in split units.

    Returns:
        The quantity in minimum units, always positive.

    Raises:
        DomainError: empty or not a number; zero or negative (SALE-2); a fraction; more
            than ``MAX_PACKS_PER_LINE`` packages' worth; split units for a product that
            may not be split.
        ValueError: ``unit`` or ``units_per_pack`` is invalid (a bug in the caller).
    """
    if unit not in ("pack", "unit"):
        raise ValueError(f"unknown quantity unit: {unit!r}")
    if units_per_pack < 1:
        raise ValueError(f"units_per_pack must be at least 1: {units_per_pack}")
    value = _parse_quantity(quantity)
    if value <= 0:
        raise DomainError(
            f"数量必须大于 0（输入为 {value}）：不允许零数量或负数量的销售行",
            rule_id="SALE-2",
        )
    if value != value.to_integral_value():
        hint = "；如需拆零，请按最小单位输入整数" if unit == "pack" and split_allowed else ""
        raise DomainError(f"数量必须是整数（输入为 {value}）{hint}")
    if unit == "unit" and not split_allowed:
        raise DomainError("此商品不允许拆零销售，请按整包装数量输入")
    units = int(value) * (units_per_pack if unit == "pack" else 1)
    if units > MAX_PACKS_PER_LINE * units_per_pack:
        raise DomainError(
            f"数量 {value} 超出合理范围（每行最多 {MAX_PACKS_PER_LINE} 个包装），请检查是否误输入"
        )
    return units


def _parse_quantity(quantity: str | int | Decimal) -> Decimal:
    # bool is an int subclass; True as a quantity is always a caller's bug.
    if isinstance(quantity, bool):
        raise TypeError("quantity must not be a bool")
    if isinstance(quantity, int):
        return Decimal(quantity)
    if isinstance(quantity, Decimal):
        if not quantity.is_finite():
            raise DomainError(f"数量“{quantity}”不是有效数字")
        return quantity
    text = unicodedata.normalize("NFKC", str(quantity)).strip()
    if not text:
        raise DomainError("请输入数量")
    if _NUMBER.fullmatch(text) is None:
        raise DomainError(f"数量“{text[:20]}”不是有效数字")
    return Decimal(text)  # the pattern admits only plain decimals, which always parse
