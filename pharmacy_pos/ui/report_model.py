"""A Qt table model over one report section: data rows, then subtotal rows, then the total.

Values are shown as ``reports.formatting.display_text`` shows them (money ``1,234.50``,
percent ``12.50%``...), so the screen reads like the PDF; numbers are right-aligned;
subtotal and total rows are bold (the total also shaded), as in the exports.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from pharmacy_pos.reports.formatting import NUMERIC_KINDS, display_text
from pharmacy_pos.reports.model import Kind, Section, Value
from pharmacy_pos.ui.report_texts import report_text

Index = QModelIndex | QPersistentModelIndex

ROW_DATA, ROW_SUBTOTAL, ROW_TOTAL = "data", "subtotal", "total"

_TOTAL_BACKGROUND = QColor("#f2f2f2")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


class SectionTableModel(QAbstractTableModel):
    """Read-only view of one :class:`Section`; ``set_section`` replaces it."""

    def __init__(self, section: Section | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._section: Section | None = None
        self._rows: list[tuple[str, tuple[Value, ...]]] = []
        self._bold = QFont()
        self._bold.setBold(True)
        if section is not None:
            self.set_section(section)

    def set_section(self, section: Section) -> None:
        """Show ``section``."""
        self.beginResetModel()
        self._section = section
        self._rows = ([(ROW_DATA, tuple(r)) for r in section.rows]
                      + [(ROW_SUBTOTAL, tuple(r)) for r in section.subtotals]
                      + ([(ROW_TOTAL, tuple(section.total))] if section.total else []))
        self.endResetModel()

    def row_kind(self, row: int) -> str:
        """``data``, ``subtotal`` or ``total``."""
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt override."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt override."""
        if parent.isValid() or self._section is None:
            return 0
        return len(self._section.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: formatted text, alignment by kind, bold subtotal and total rows."""
        if self._section is None or not index.isValid():
            return None
        if not (0 <= index.row() < len(self._rows)
                and 0 <= index.column() < len(self._section.columns)):
            return None
        kind, values = self._rows[index.row()]
        column = self._section.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column.kind, values[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in NUMERIC_KINDS:
                return _RIGHT
            return _CENTER if column.kind in (Kind.DATE, Kind.DATETIME) else _LEFT
        if role == Qt.ItemDataRole.FontRole and kind != ROW_DATA:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and kind == ROW_TOTAL:
            return QBrush(_TOTAL_BACKGROUND)
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Qt override: the columns' headers (interface language); row numbers for data rows."""
        if role != Qt.ItemDataRole.DisplayRole or self._section is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            columns = self._section.columns
            return report_text(columns[section].header) if 0 <= section < len(columns) else None
        if 0 <= section < len(self._rows):
            kind = self._rows[section][0]
            return {ROW_SUBTOTAL: self.tr("小计"), ROW_TOTAL: self.tr("合计")}.get(
                kind, str(section + 1))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Qt override: selectable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
