"""What every report is before it is a screen, a spreadsheet, a CSV or a PDF.

A :class:`Report` has a title, the period it covers and one or more sections; a
:class:`Section` is a table: typed columns (so each export formats numbers, money and
dates its own way), rows of plain values, and optional subtotal and total rows. Reports
are built by the report modules (``reports/monthly_stock.py``...) from the records and
rendered by ``reports/export.py`` (XLSX, CSV) and ``ui/`` (screen, PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

Value = str | int | Decimal | date | datetime | None


class Kind(StrEnum):
    """How a column's values are formatted and aligned."""

    TEXT = "text"
    INTEGER = "integer"      # counts, quantities in minimum units
    MONEY = "money"          # Decimal 元, two places
    PRICE = "price"          # Decimal 元, four places (unit prices of split packages)
    PERCENT = "percent"      # Decimal ratio 0..1
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its key, its Chinese header and its kind."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    width: int = 12  # a hint for exports, in characters


@dataclass(frozen=True, slots=True)
class Section:
    """One table of a report.

    Attributes:
        name: the section's title (also the XLSX sheet name; at most 31 characters).
        columns: the table's columns.
        rows: the data, one tuple per row, values in column order.
        subtotals: labelled subtotal rows (e.g. per category), shown after the rows.
        total: the grand total row, if the section has one.
        notes: lines printed under the table (how to read it, what was refused).
    """

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Value, ...]]
    subtotals: Sequence[tuple[Value, ...]] = ()
    total: tuple[Value, ...] | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.rows[:1], *self.subtotals, *([self.total] if self.total else [])):
            if len(row) != width:
                raise ValueError(f"section {self.name!r}: a row has {len(row)} values, "
                                 f"the table {width} columns")


@dataclass(frozen=True, slots=True)
class Report:
    """A report: title, store, period, sections."""

    title: str
    store: str
    period: str
    generated_at: datetime
    sections: tuple[Section, ...] = field(default_factory=tuple)
