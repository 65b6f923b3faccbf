"""Stock-take (盘点, INV-4): document numbers, count validation, the difference list.

How book stock is defined while the shop keeps selling:

* Starting a stock-take takes a **snapshot** of book stock per batch (every batch of the
  store with stock > 0) under the ledger's lock, and remembers the ledger position
  (the store's ``chain_seq``) it was taken at.
* A count says how many units lie on the shelf *at the moment it is made*. The book stock
  it is compared with is therefore the snapshot **plus every ledger movement of that
  batch after the snapshot and up to the count** (``occurred_at`` ≤ the count's time).
  A box sold between the snapshot and the count is neither on the shelf nor in that book,
  so it shows as no difference, not as a loss.
* The difference is ``counted − book at the count``. Movements after the count do not
  matter: the gain or loss entry corrects the balance by exactly that difference, so the
  balance afterwards equals the count plus what moved since.
* Only counted batches are in the difference list and get entries when the manager
  approves (a stock-take may cover part of the shop); batches of the snapshot that were
  not counted are listed apart and keep their book stock.

Gains and losses are valued at the batch's purchase price (per package), pro rata per
minimum unit, rounded to 分 like every ledger amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.money import ZERO, round_amount

#: Doc type of the ledger entries a stock-take books.
DOC_TYPE_STOCKTAKE = "stocktake"

#: The most units one batch may be counted at. No pharmacy shelf holds a million
#: tablets of one lot: a bigger number is a scanner that typed a barcode into the
#: count field, not a count.
MAX_COUNT_UNITS = 999_999

#: Decisions that close a stock-take.
APPROVED = "approved"
CANCELLED = "cancelled"


def stocktake_doc_no(store_code: str, day: date, number: int) -> str:
    """The stock-take's number: ``PD-<store>-<YYYYMMDD>-<nn>``, gapless per store and day."""
    if number < 1 or number > 999:
        raise ValueError(f"stock-take counter out of range: {number}")
    return f"PD-{store_code}-{day:%Y%m%d}-{number:03d}"


def counted_units(quantity: object, *, units_per_pack: int, in_packs: bool) -> int:
    """Validate a typed count and turn it into minimum units.

    Args:
        quantity: what was typed, already an integer (text is parsed by :func:`parse_count`).
        units_per_pack: the product's minimum units per package.
        in_packs: the count is in packages (盒/瓶), not minimum units.

    Raises:
        DomainError: not a whole number, negative, or beyond :data:`MAX_COUNT_UNITS`.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError("盘点数量必须是整数", rule_id="INV-4")
    if quantity < 0:
        raise DomainError(f"盘点数量不能为负数（输入了 {quantity}）：没有货请输入 0",
                          rule_id="INV-4")
    units = quantity * units_per_pack if in_packs else quantity
    if units > MAX_COUNT_UNITS:
        raise DomainError(
            f"盘点数量 {units} 不合理（一个批次最多 {MAX_COUNT_UNITS}）："
            "是否把条码扫进了数量栏？请重新输入", rule_id="INV-4")
    return units


def parse_count(text: str) -> int:
    """A count typed by a person: digits only (full-width digits accepted).

    Raises:
        DomainError: empty, not a whole number, negative.
    """
    cleaned = text.strip().translate(_FULL_WIDTH_DIGITS)
    if not cleaned:
        raise DomainError("请输入盘点数量", rule_id="INV-4")
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise DomainError(f"盘点数量不能为负数（输入了 {cleaned}）：没有货请输入 0",
                          rule_id="INV-4")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise DomainError(f"盘点数量“{cleaned[:20]}”不是整数", rule_id="INV-4")
    if len(cleaned) > 9:
        raise DomainError(f"盘点数量 {cleaned[:20]} 不合理（一个批次最多 {MAX_COUNT_UNITS}）："
                          "是否把条码扫进了数量栏？请重新输入", rule_id="INV-4")
    return int(cleaned)


_NO_VALUE = Decimal("0.00")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９－", "0123456789-")


class CountedBatch(NamedTuple):
    """What the database says about one counted batch (input to :func:`difference_list`).

    Named tuples, not dataclasses: a whole-store stock-take makes 100,000 and more of
    these and of :class:`DifferenceLine`, and a tuple is built several times faster.

    ``book_units`` is the snapshot (0 for a batch that had no stock when the stock-take
    started), ``moved_units`` the signed sum of its ledger entries after the snapshot and
    up to the count.
    """

    batch_id: int
    product_id: int
    item_code: str
    name: str
    lot_no: str
    min_unit: str
    units_per_pack: int
    purchase_price: Decimal
    book_units: int
    moved_units: int
    counted_units: int


class DifferenceLine(NamedTuple):
    """One counted batch compared with its book stock."""

    batch_id: int
    product_id: int
    item_code: str
    name: str
    lot_no: str
    min_unit: str
    units_per_pack: int
    unit_cost: Decimal           # purchase price per package
    book_units: int              # book stock at the count (snapshot + movements since)
    counted_units: int
    difference: int              # counted − book: > 0 gain (盘盈), < 0 loss (盘亏)
    value: Decimal               # signed, at purchase price, rounded to 分

    @property
    def kind(self) -> str:
        """``盘盈``, ``盘亏`` or ``相符``."""
        return "盘盈" if self.difference > 0 else "盘亏" if self.difference < 0 else "相符"


@dataclass(frozen=True, slots=True)
class DifferenceList:
    """The counted batches that differ from book, and the totals a manager approves.

    Batches whose count matches their book stock are not lines (a whole-store stock-take
    counts 100,000 batches, most of them right); ``counted_batches`` says how many were
    counted in all.
    """

    lines: tuple[DifferenceLine, ...]
    counted_batches: int

    @property
    def differing(self) -> tuple[DifferenceLine, ...]:
        """Lines with a gain or a loss (those that become ledger entries): every line."""
        return self.lines

    @property
    def matching_batches(self) -> int:
        """Counted batches whose count equals their book stock."""
        return self.counted_batches - len(self.lines)

    @property
    def gain_units(self) -> int:
        """Units found over book."""
        return sum(line.difference for line in self.lines if line.difference > 0)

    @property
    def loss_units(self) -> int:
        """Units missing against book (a positive number)."""
        return -sum(line.difference for line in self.lines if line.difference < 0)

    @property
    def gain_value(self) -> Decimal:
        """Value of the gains at purchase price."""
        return sum((line.value for line in self.lines if line.value > 0), ZERO)

    @property
    def loss_value(self) -> Decimal:
        """Value of the losses at purchase price (a positive amount)."""
        return -sum((line.value for line in self.lines if line.value < 0), ZERO)

    @property
    def net_value(self) -> Decimal:
        """Gains minus losses."""
        return self.gain_value - self.loss_value


def difference_value(difference: int, unit_cost: Decimal, units_per_pack: int) -> Decimal:
    """The signed value of ``difference`` minimum units, as the ledger books it."""
    if not difference:
        return _NO_VALUE
    return round_amount(Decimal(difference) * unit_cost / units_per_pack)


def difference_list(batches: Iterable[CountedBatch], *,
                    counted_batches: int | None = None) -> DifferenceList:
    """Compare counted batches with their book stock at the count; keep those that differ.

    ``batches`` may be only the batches that can differ (the repository leaves out those
    whose count equals the snapshot and that did not move); ``counted_batches`` is then
    how many were counted in all (default: as many as given). Lines come in item-code,
    lot, batch order so the printed list is stable.
    """
    given = 0
    lines = []
    for (batch_id, product_id, item_code, name, lot_no, min_unit, per_pack, price, book,
         moved, counted) in batches:
        given += 1
        book += moved
        difference = counted - book
        if not difference:
            continue
        lines.append(DifferenceLine(
            batch_id, product_id, item_code, name, lot_no, min_unit, per_pack, price, book,
            counted, difference, difference_value(difference, price, per_pack)))
    lines.sort(key=lambda line: (line.item_code, line.lot_no, line.batch_id))
    return DifferenceList(tuple(lines),
                          given if counted_batches is None else counted_batches)
