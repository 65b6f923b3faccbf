"""How a report value reads as text: on screen, in the PDF and in the CSV.

Two forms: :func:`display_text` is for people (thousands separators, fixed places, ``%``),
:func:`plain_text` is for machines (a Decimal as its exact digits, dates ISO). Both
take the column's :class:`Kind`, so one value is shown the same way everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.reports.model import Kind, Value

PLACES: dict[Kind, int] = {Kind.MONEY: 2, Kind.PRICE: 4, Kind.INTEGER: 0}
"""Decimal places shown for each numeric kind (percent: two places of the percentage)."""

NUMERIC_KINDS = frozenset({Kind.INTEGER, Kind.MONEY, Kind.PRICE, Kind.PERCENT})


def local_datetime(value: datetime) -> datetime:
    """An aware moment in the store's zone without tzinfo; naive moments are kept as they are.

    Spreadsheets have no time zones: a report's times are the store's wall clock.
    """
    if value.tzinfo is None:
        return value
    return value.astimezone(STORE_ZONE).replace(tzinfo=None)


def _quantize(value: Decimal | int, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def display_text(kind: Kind, value: Value) -> str:
    """``value`` as a person reads it in a column of ``kind`` (``""`` for None).

    Money ``1,234.50``, price ``12.3450``, integer ``1,234``, percent ``12.50%``,
    dates ``2026-10-31``, times ``2026-10-31 14:05`` (store time).
    """
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int: never a number in a report
        return "是" if value else "否"
    if kind in PLACES and isinstance(value, int | Decimal):
        return f"{_quantize(value, PLACES[kind]):,}"
    if kind is Kind.PERCENT and isinstance(value, int | Decimal):
        return f"{_quantize(Decimal(value) * 100, 2)}%"
    if isinstance(value, datetime):
        return f"{local_datetime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def plain_text(value: Value) -> str:
    """``value`` for a machine: exact Decimal digits (never an exponent), ISO dates.

    Datetimes are the store's wall clock, ``YYYY-MM-DD HH:MM:SS``.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return local_datetime(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
