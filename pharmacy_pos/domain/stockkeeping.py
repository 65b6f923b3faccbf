"""Stock keeping by GSP, the pure part: expiry windows, the maintenance order, reordering.

- Near-expiry (近效期, INV-3 / SALE-5): a batch falls in the smallest of the policy's
  windows (``StockPolicy.near_expiry_days``, e.g. 30/60/90 days) that its days left fit
  in; a batch past its expiry date is expired, not near-expiry.
- The monthly maintenance check (养护, INV-3) looks at the riskiest stock first: batches
  near expiry and split packages (拆零, opened and exposed), earliest expiry first, then
  everything else by product.
- Low-stock suggestions: the average daily sale over the recent days, the supplier's lead
  time and the product's minimum (``Product.min_stock``) give a reorder point; stock at or
  below it is suggested up to enough for the lead time plus the cover days plus the
  minimum, rounded up to whole packages.

Document numbers of this part: ``CL-`` split records (拆零), ``XH-`` destructions (销毁).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import ZERO, round_amount
from pharmacy_pos.domain.product import BatchStatus

#: Maintenance results of one checked batch.
RESULT_OK = "ok"
RESULT_DOUBTFUL = "doubtful"
RESULTS = (RESULT_OK, RESULT_DOUBTFUL)

#: A slip-of-the-finger bound for packs opened at once (one split opens a few boxes).
MAX_SPLIT_PACKS = 999

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class ShelfBatch:
    """A batch with stock in the store, as stock keeping looks at it (units: minimum unit)."""

    batch_id: int
    product_id: int
    item_code: str
    generic_name: str
    specification: str
    manufacturer: str
    lot_no: str
    expiry_date: date
    status: BatchStatus
    units: int
    units_per_pack: int
    package_unit: str
    min_unit: str
    purchase_price: Decimal  # per package
    split_from_id: int | None = None
    split_allowed: bool = False

    @property
    def is_split(self) -> bool:
        """A split-package batch (拆零), opened from a sealed one."""
        return self.split_from_id is not None

    @property
    def value(self) -> Decimal:
        """Stock value at purchase price, to 分."""
        return stock_value(self.units, self.purchase_price, self.units_per_pack)

    def days_left(self, today: date) -> int:
        """Days until expiry (0 = expires today, negative = expired)."""
        return (self.expiry_date - today).days


@dataclass(frozen=True, slots=True)
class ExpiryBucket:
    """The batches whose days left fall in one window (after the smaller windows)."""

    window_days: int
    batches: tuple[ShelfBatch, ...]

    @property
    def value(self) -> Decimal:
        """Value of the window's stock at purchase price."""
        return sum((b.value for b in self.batches), ZERO)

    @property
    def units(self) -> int:
        """Units in the window."""
        return sum(b.units for b in self.batches)


@dataclass(frozen=True, slots=True)
class LowStockParams:
    """How suggestions are computed: days of sales looked at, lead time, days to cover."""

    sales_days: int = 30
    lead_time_days: int = 7
    cover_days: int = 14

    def __post_init__(self) -> None:
        if self.sales_days < 1 or self.lead_time_days < 0 or self.cover_days < 0:
            raise ValueError("sales_days >= 1, lead_time_days >= 0, cover_days >= 0")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A reorder suggestion for one product (units and whole packages)."""

    reorder_point: int
    suggested_units: int
    suggested_packs: int


def stock_value(units: int, purchase_price: Decimal, units_per_pack: int) -> Decimal:
    """Value of ``units`` minimum units at a per-package price, rounded to 分."""
    return round_amount(Decimal(units) * purchase_price / units_per_pack)


def expiry_window(expiry: date, today: date, windows: Sequence[int]) -> int | None:
    """The smallest window (days) the batch's days left fit in; None if expired or beyond.

    A batch expiring today has 0 days left and is in the first window: it may still be
    sold today (picking refuses only dates before today).
    """
    days = (expiry - today).days
    if days < 0:
        return None
    return next((w for w in sorted(windows) if days <= w), None)


def near_expiry_buckets(batches: Iterable[ShelfBatch], today: date,
                        windows: Sequence[int]) -> list[ExpiryBucket]:
    """Batches grouped by expiry window, one bucket per window (empty ones included).

    Within a bucket, earliest expiry first. Expired batches and those beyond the largest
    window are left out.
    """
    grouped: dict[int, list[ShelfBatch]] = {w: [] for w in sorted(windows)}
    for batch in batches:
        window = expiry_window(batch.expiry_date, today, windows)
        if window is not None:
            grouped[window].append(batch)
    return [ExpiryBucket(w, tuple(sorted(found, key=_by_expiry)))
            for w, found in grouped.items()]


def maintenance_order(batches: Iterable[ShelfBatch], today: date,
                      windows: Sequence[int]) -> list[ShelfBatch]:
    """The order of a maintenance check list (INV-3): the riskiest stock first.

    Near-expiry (within the largest window, or already expired) and split-package batches
    come first, earliest expiry first; then the rest by item code, lot and batch.
    """
    horizon = max(windows)

    def key(batch: ShelfBatch) -> tuple[int, date, str, str, int]:
        urgent = batch.is_split or batch.days_left(today) <= horizon
        if urgent:
            return (0, batch.expiry_date, batch.item_code, batch.lot_no, batch.batch_id)
        return (1, date.min, batch.item_code, batch.lot_no, batch.batch_id)

    return sorted(batches, key=key)


def low_stock_suggestion(*, on_hand: int, sold_units: int, min_stock: int,
                         units_per_pack: int, params: LowStockParams) -> Suggestion | None:
    """Whether to reorder a product, and how much (in minimum units and packages).

    The reorder point is the sales expected during the lead time plus the minimum; at or
    below it, the suggestion fills up to the sales of lead time plus cover days plus the
    minimum, rounded up to whole packs. Net sales (returns subtracted) below zero count as
    none. A product neither sold nor given a minimum gets no suggestion.
    """
    if units_per_pack < 1:
        raise ValueError("units_per_pack must be at least 1")
    sold = max(sold_units, 0)
    if sold == 0 and min_stock <= 0:
        return None
    # Integer arithmetic rounded up: sold / days per day, never a float.
    lead_need = _ceil_div(sold * params.lead_time_days, params.sales_days)
    target_need = _ceil_div(sold * (params.lead_time_days + params.cover_days),
                            params.sales_days)
    minimum = max(min_stock, 0)
    reorder_point = lead_need + minimum
    if on_hand > reorder_point:
        return None
    wanted = max(target_need + minimum - on_hand, 1)
    packs = _ceil_div(wanted, units_per_pack)
    return Suggestion(reorder_point, packs * units_per_pack, packs)


def check_month(text: str) -> str:
    """A maintenance month ``YYYY-MM``.

    Raises:
        DomainError: not a month.
    """
    value = text.strip()
    if not _MONTH.fullmatch(value):
        raise DomainError(f"养护月份“{value[:20]}”无效，请用 YYYY-MM（如 2026-11）",
                          rule_id="INV-3")
    return value


def split_doc_no(store_code: str, day: date, number: int) -> str:
    """A split-package record number (拆零记录), gapless per store and day: ``CL-…``."""
    return _doc_no("CL", store_code, day, number)


def destruction_doc_no(store_code: str, day: date, number: int) -> str:
    """A destruction number (销毁单), gapless per store and day: ``XH-…``."""
    return _doc_no("XH", store_code, day, number)


def _doc_no(prefix: str, store_code: str, day: date, number: int) -> str:
    if number < 1 or number > 99_999:
        raise ValueError(f"document counter out of range: {number}")
    return f"{prefix}-{store_code}-{day:%Y%m%d}-{number:05d}"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _by_expiry(batch: ShelfBatch) -> tuple[date, str, int]:
    return (batch.expiry_date, batch.item_code, batch.batch_id)
