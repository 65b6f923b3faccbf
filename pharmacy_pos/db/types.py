"""Column types that keep money exact and time in UTC on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from pharmacy_pos.domain.money import from_minor, to_minor


class ScaledDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as an integer of ``scale`` decimal places.

    SQLite has no exact decimal type; integers are exact on every backend, and refusing
    to round on the way in means no amount is ever silently changed.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int) -> None:
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return to_minor(value, self.scale)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_minor(int(value), self.scale)

    def process_literal_param(self, value: Decimal | None, dialect: Dialect) -> str:
        return "NULL" if value is None else str(to_minor(value, self.scale))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """Amounts in 分 (scale 2)."""
    return ScaledDecimal(2)


def UnitPrice() -> ScaledDecimal:  # noqa: N802
    """Unit prices and costs in 1/10000 元 (scale 4), exact for split-package sales."""
    return ScaledDecimal(4)


def Ratio() -> ScaledDecimal:  # noqa: N802
    """Ratios such as the self-paid share, 4 decimals."""
    return ScaledDecimal(4)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    PostgreSQL keeps ``timestamptz``; SQLite keeps naive UTC text. Naive datetimes are
    refused on the way in, so local time never sneaks into the ledger.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
