"""Money and exact decimal helpers. Money is ``Decimal`` everywhere, never float.

Amounts are stored as integers of a fixed scale (DESIGN.md): 分 (scale 2) for amounts,
1/10000 元 (scale 4) for unit prices and costs, so split-package prices stay exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

AMOUNT_SCALE = 2
PRICE_SCALE = 4
RATIO_SCALE = 4

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_minor(value: Decimal, scale: int) -> int:
    """Turn a Decimal into an integer of ``scale`` decimal places; refuse to round.

    Raises:
        ValueError: the value is not a finite Decimal or has more decimals than ``scale``.
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"money must be Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {value}")
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimal places")
    return int(scaled)


def from_minor(value: int, scale: int) -> Decimal:
    """Inverse of :func:`to_minor`; the result carries exactly ``scale`` decimals."""
    return Decimal(value).scaleb(-scale).quantize(Decimal(1).scaleb(-scale))


def round_amount(value: Decimal) -> Decimal:
    """Round to 分, half up, as Chinese retail receipts do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# No amount a pharmacy types reaches a trillion 元; larger is a slip (or a barcode).
MAX_AMOUNT = Decimal(10) ** 12


def parse_decimal(text: str, *, max_places: int, allow_zero: bool = True) -> Decimal:
    """Parse a user-typed number exactly ("18.5", "１８．５" full-width digits accepted).

    Raises:
        ValueError: with a Chinese message saying what is wrong.
    """
    cleaned = _normalise_digits(text).strip().replace(",", "").lstrip("¥￥")
    if not cleaned:
        raise ValueError("不能为空")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有效数字")
    if value < 0:
        raise ValueError(f"不能为负数: {text}")
    if value >= MAX_AMOUNT:
        raise ValueError(f"“{text[:30]}”数值过大")
    if value == 0 and not allow_zero:
        raise ValueError("必须大于 0")
    if not has_at_most_places(value, max_places):
        raise ValueError(f"“{text}”最多 {max_places} 位小数")
    return value


def has_at_most_places(value: Decimal, places: int) -> bool:
    """Whether ``value`` needs no more than ``places`` decimals ("4.8000" needs one)."""
    # By the exponent, not by quantize(): quantizing a 27-digit number overflows the
    # decimal context (InvalidOperation) instead of answering.
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -places


def format_yuan(value: Decimal) -> str:
    """``Decimal('12.5')`` -> ``'¥12.50'``."""
    return f"¥{round_amount(value):,.2f}"


def _normalise_digits(text: str) -> str:
    # Chinese input methods often type full-width digits and points.
    return text.translate(_FULL_WIDTH)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
