"""Stock movements and the verification of hash chains (INV-1, INV-5, SEC-4).

Stock on hand is the sum of ledger entries per batch. An entry's hash covers the fields
below in this order, as stored: integers for money (minor units), the UTC timestamp text
of :func:`pharmacy_pos.domain.hashchain.canonical_time`, empty text for NULL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.hashchain import GENESIS_HASH
from pharmacy_pos.domain.money import round_amount
from pharmacy_pos.domain.product import LedgerEntryType

HASH_LENGTH = len(GENESIS_HASH)

LEDGER_HASH_FIELDS: tuple[str, ...] = (
    "store_id", "chain_seq", "batch_id", "product_id", "entry_type", "quantity",
    "unit_cost", "amount", "operator_id", "occurred_at", "doc_type", "doc_no",
    "reverses_id", "note",
)
AUDIT_HASH_FIELDS: tuple[str, ...] = (
    "store_id", "chain_seq", "occurred_at", "actor_id", "actor_name", "terminal_id",
    "action", "target_type", "target_id", "detail",
)


def ledger_chain_name(store_id: int) -> str:
    """Name of a store's ledger chain."""
    return f"ledger/{store_id}"


def audit_chain_name(store_id: int) -> str:
    """Name of a store's audit chain."""
    return f"audit/{store_id}"


@dataclass(frozen=True, slots=True)
class StockMovement:
    """A requested change of one batch's stock, before it becomes a ledger entry.

    ``quantity`` is signed and in the product's minimum unit; ``unit_cost`` per package.
    """

    batch_id: int
    product_id: int
    entry_type: LedgerEntryType
    quantity: int
    unit_cost: Decimal
    units_per_pack: int
    doc_type: str
    doc_no: str
    note: str = ""
    reverses_id: int | None = None

    def __post_init__(self) -> None:
        if self.quantity == 0:
            raise DomainError("库存变动数量不能为 0", rule_id="INV-1")
        sign = self.entry_type.sign
        if sign and (self.quantity > 0) != (sign > 0):
            raise DomainError(
                f"“{self.entry_type.label}”的数量方向不对: {self.quantity}", rule_id="INV-1"
            )
        if self.unit_cost < 0:
            raise DomainError("成本单价不能为负数", rule_id="INV-1")
        if self.units_per_pack < 1:
            raise DomainError("包装数量必须至少为 1", rule_id="INV-1")
        if not self.doc_type or not self.doc_no:
            raise DomainError("库存变动必须关联单据", rule_id="INV-1")
        if (self.entry_type is LedgerEntryType.REVERSAL) != (self.reverses_id is not None):
            raise DomainError("冲正分录必须且只能引用被冲正的分录", rule_id="INV-5")

    @property
    def amount(self) -> Decimal:
        """Signed value at cost, rounded to 分."""
        return round_amount(Decimal(self.quantity) * self.unit_cost / self.units_per_pack)


# One stored link as verification reads it: (chain seq, stored hash, payload), the hash
# as ASCII bytes and the payload as UTF-8 bytes: the exact bytes the hash was made over,
# i.e. the stored previous hash, then each field of LEDGER_HASH_FIELDS /
# AUDIT_HASH_FIELDS, joined by U+001F. Plain tuples of bytes, because a year of ledger is
# a million of them and bytes need no decoding.
ChainRow = tuple[int, bytes, bytes]


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first broken link found in a chain (``row_id`` filled in by the caller)."""

    chain: str
    row_id: int | None
    seq: int
    reason: str

    def __str__(self) -> str:
        where = f"id={self.row_id}, " if self.row_id is not None else ""
        return f"{self.chain}: 第 {self.seq} 条 ({where}){self.reason}"


@dataclass(slots=True)
class ChainResult:
    """Outcome of walking one chain (or one segment of it)."""

    chain: str
    count: int = 0
    first_seq: int = 0
    first_prev: str | None = None  # the first row's stored previous hash, if any row
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    broken: ChainBreak | None = None


def walk_chain(
    chain: str,
    rows: Iterable[ChainRow],
    *,
    start_seq: int = 1,
    start_prev: str | None = GENESIS_HASH,
) -> ChainResult:
    """Recompute every link (rows in sequence order); stop at the first break.

    A segment that does not start the chain passes ``start_seq`` and
    ``start_prev=None``: its first stored previous hash is taken as given, and the caller
    checks it against the previous segment's last hash (:func:`join_segments`).
    """
    result = ChainResult(chain)
    sha = hashlib.sha256
    expected_seq = start_seq
    expected_prev = None if start_prev is None else start_prev.encode("ascii")
    # The loop is the hot path of verify: locals only, no calls beyond the hash.
    for seq, entry_hash, payload in rows:
        if expected_seq == start_seq:
            result.first_seq = seq
            result.first_prev = payload[:HASH_LENGTH].decode("ascii", "replace")
            if expected_prev is None:
                expected_prev = payload[:HASH_LENGTH]
        if seq != expected_seq:
            reason = f"序号不连续: 应为 {expected_seq}，实际 {seq}（记录被删除或插入）"
            result.broken = ChainBreak(chain, None, seq, reason)
            return result
        # The payload starts with the row's stored previous hash.
        if not payload.startswith(expected_prev):  # type: ignore[arg-type]
            result.broken = ChainBreak(chain, None, seq, "前一条哈希不符（链被改动）")
            return result
        if sha(payload).hexdigest().encode("ascii") != entry_hash:
            result.broken = ChainBreak(chain, None, seq, "内容与哈希不符（记录被篡改）")
            return result
        expected_prev = entry_hash
        expected_seq += 1
    result.count = expected_seq - start_seq
    result.last_seq = expected_seq - 1
    if expected_prev is not None:
        result.last_hash = expected_prev.decode("ascii", "replace")
    return result


def join_segments(chain: str, segments: list[ChainResult]) -> ChainResult:
    """Combine consecutive segment results into the result of one walk of the chain."""
    total = ChainResult(chain)
    previous_last = GENESIS_HASH
    for segment in segments:
        # The boundary comes first: a wrong link into a segment is an earlier break than
        # anything found inside it.
        if segment.first_prev is not None and segment.first_prev != previous_last:
            total.broken = ChainBreak(chain, None, segment.first_seq, "前一条哈希不符（链被改动）")
            break
        total.count += segment.count
        if segment.broken is not None:
            total.broken = segment.broken
            break
        if segment.count:
            total.last_seq, total.last_hash = segment.last_seq, segment.last_hash
            previous_last = segment.last_hash
    return total


@dataclass(frozen=True, slots=True)
class BalanceMismatch:
    """A cached balance that disagrees with the sum of the ledger."""

    batch_id: int
    cached: int | None
    ledger: int

    def __str__(self) -> str:
        cached = "无" if self.cached is None else str(self.cached)
        return f"批次 {self.batch_id}: 缓存库存 {cached}，台账合计 {self.ledger}"


@dataclass(slots=True)
class VerifyReport:
    """Everything ``verify`` checked, and the first problem of each kind."""

    chains: list[ChainResult] = field(default_factory=list)
    head_problems: list[str] = field(default_factory=list)
    balance_mismatches: list[BalanceMismatch] = field(default_factory=list)
    negative_batches: list[tuple[int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every chain, head and balance is intact."""
        return not (
            any(c.broken for c in self.chains)
            or self.head_problems
            or self.balance_mismatches
            or self.negative_batches
        )

    @property
    def first_break(self) -> ChainBreak | None:
        """The first broken link over all chains."""
        return next((c.broken for c in self.chains if c.broken), None)

    def problems(self) -> Iterator[str]:
        """Every problem as a Chinese sentence."""
        for chain in self.chains:
            if chain.broken:
                yield f"哈希链断裂: {chain.broken}"
        yield from self.head_problems
        for m in self.balance_mismatches:
            yield f"库存不平: {m}"
        for batch_id, qty in self.negative_batches:
            yield f"负库存: 批次 {batch_id} 台账合计 {qty}"
