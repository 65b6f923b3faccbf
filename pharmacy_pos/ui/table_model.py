"""A thin Qt table model over a plain list of frozen DTOs (STYLE.md, habit 7).

Screens describe their columns (title, how to show a row, alignment) and hand the model
a list of DTOs from a service or query; the model never talks to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

Index = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its (translated) title and how to show a row in it."""

    title: str
    text: Callable[[Any], str]
    alignment: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[Any], str] | None = None
    foreground: Callable[[Any], QColor | None] | None = None
    decoration: Callable[[Any], QIcon | None] | None = None


class DtoTableModel(QAbstractTableModel):
    """Read-only rows of DTOs in columns; ``set_rows`` replaces the whole list."""

    def __init__(self, columns: Sequence[Column] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[Column] = list(columns)
        self._rows: list[Any] = []

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the column definitions."""
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a fresh query result)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """The DTOs shown, in order."""
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        """The DTO shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt override: rows under the (invisible) root only."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt override."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: text, alignment, tooltip and colour of one cell."""
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(self._columns)):
            return None
        column = self._columns[index.column()]
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(item)
        if role == Qt.ItemDataRole.DecorationRole and column.decoration is not None:
            return column.decoration(item)
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Qt override: column titles across the top, row numbers down the side."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section].title
            return None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Qt override: selectable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
