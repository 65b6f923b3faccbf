"""The drug traceability code (药品追溯码) scanned from each box sold (DEVICES.md §3).

The insurer wants the code of every box captured with the sale (field ``drug_trac_codg``);
the same code sold twice means a box was resold, a fraud signal, so a sale refuses it.

Only the shape is checked here: 20 ASCII digits after NFKC normalisation, whose first 7
digits are the product identification part (药品标识码). The code's check digit and the
meaning of its other parts are not verified: we have no citable specification of the
algorithm at hand, and inventing one would refuse genuine boxes. Whether a code is known
and unsold is for the insurer's answer and our own record of sold codes.

RULES.md has no rule id for traceability codes yet, so these errors carry none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pharmacy_pos.domain.errors import DomainError

TRACE_CODE_LENGTH = 20
PRODUCT_PART_LENGTH = 7


class InvalidTraceCode(DomainError):
    """The text is not a 20-digit traceability code; the message is Chinese."""


@dataclass(frozen=True, slots=True, order=True)
class TraceCode:
    """A well-formed drug traceability code: 20 ASCII digits."""

    value: str

    def __post_init__(self) -> None:
        if len(self.value) != TRACE_CODE_LENGTH or not _ascii_digits(self.value):
            raise InvalidTraceCode(f"追溯码必须是 {TRACE_CODE_LENGTH} 位数字")

    @classmethod
    def parse(cls, text: str) -> TraceCode:
        """Read a scanned or typed code.

        Full-width digits are normalised (NFKC) and surrounding whitespace (a scanner's
        trailing Enter, a pasted space) is dropped; nothing else is forgiven.

        Raises:
            InvalidTraceCode: empty, not all digits, or not 20 digits long.
        """
        code = unicodedata.normalize("NFKC", text).strip()
        if not code:
            raise InvalidTraceCode("请扫描药品追溯码")
        if not _ascii_digits(code):
            raise InvalidTraceCode(
                f"追溯码只能包含数字（收到“{code[:30]}”）：请扫描药盒上的追溯码，而非其他条码"
            )
        if len(code) != TRACE_CODE_LENGTH:
            hint = "，这可能是商品条码而非追溯码" if len(code) in (8, 12, 13, 14) else ""
            raise InvalidTraceCode(
                f"追溯码必须是 {TRACE_CODE_LENGTH} 位数字，收到 {len(code)} 位{hint}"
            )
        return cls(code)

    @property
    def product_part(self) -> str:
        """The first 7 digits: the product identification part (药品标识码)."""
        return self.value[:PRODUCT_PART_LENGTH]

    def __str__(self) -> str:
        return self.value


def is_trace_code(text: str) -> bool:
    """Whether a scan looks like a traceability code (to route it from the scan field)."""
    try:
        TraceCode.parse(text)
    except InvalidTraceCode:
        return False
    return True


def repeated_codes(codes: Iterable[TraceCode]) -> list[TraceCode]:
    """Codes that occur more than once, in first-seen order.

    One box cannot be sold twice, not even within one sale: a repeated scan in a basket
    is either a double scan or a resold box, and the cashier must look.
    """
    seen: set[TraceCode] = set()
    repeated: list[TraceCode] = []
    for code in codes:
        if code in seen and code not in repeated:
            repeated.append(code)
        seen.add(code)
    return repeated


def already_sold_message(code: TraceCode, sold_doc_no: str) -> str:
    """The refusal for a code already recorded as sold (a resold box)."""
    return (f"追溯码 {code} 已在销售单 {sold_doc_no} 中售出：同一盒药不能重复销售，"
            "请核对药盒并报告店长")


def _ascii_digits(text: str) -> bool:
    # str.isdigit() accepts superscripts and other scripts' digits; only 0-9 are valid.
    return text.isascii() and text.isdigit()
