"""A printout on screen, as it will come out of the receipt printer.

The preview shows ``domain.printout.preview_lines`` (the same layout the printer gets) in
a monospaced font whose CJK glyphs are exactly two Latin columns wide, on a white strip
as wide as the paper's columns: what lines up on the screen lines up on the paper.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from pharmacy_pos.domain.printout import PAPER_COLUMNS, Document, preview_lines

#: Preferred family: its Latin glyphs are half as wide as its ideographs (the printer's
#: own 12x24 / 24x24 cells), which most "monospace" fonts are not.
CJK_MONO_FAMILY = "Noto Sans Mono CJK SC"
POINT_SIZE = 11
#: White paper, a thin grey edge, black print.
PAPER_STYLE = ("QPlainTextEdit { background: white; color: black;"
               " border: 1px solid #b0b0b0; padding: 6px; }")


def printout_font(point_size: int = POINT_SIZE) -> QFont:
    """The preview's font: the CJK monospace family if installed, else the system's
    fixed-width font (Chinese may then not line up exactly)."""
    if CJK_MONO_FAMILY in QFontDatabase.families():
        font = QFont(CJK_MONO_FAMILY, point_size)
    else:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(point_size)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setFixedPitch(True)
    font.setKerning(False)
    return font


class PrintoutPreview(QPlainTextEdit):
    """Read-only, paper-white, exactly ``columns`` columns wide (scrolls vertically)."""

    def __init__(self, columns: int = PAPER_COLUMNS[80], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printout_preview")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFont(printout_font())
        self.setStyleSheet(PAPER_STYLE)
        self.document_shown: Document | None = None
        self._columns = 0
        self.set_columns(columns)

    @property
    def columns(self) -> int:
        """The paper's width in columns."""
        return self._columns

    def set_columns(self, columns: int) -> None:
        """Make the strip exactly ``columns`` wide (plus margins and the scroll bar)."""
        if columns == self._columns:
            return
        self._columns = columns
        text_width = math.ceil(QFontMetricsF(self.font()).horizontalAdvance("0" * columns))
        margins = self.contentsMargins()
        frame = (2 * int(self.document().documentMargin()) + margins.left() + margins.right()
                 + 2 * self.frameWidth() + 14)  # 14: the padding and border of PAPER_STYLE
        self.setFixedWidth(text_width + frame + self.verticalScrollBar().sizeHint().width())

    def show_document(self, document: Document | None) -> None:
        """Show ``document`` as it prints (None: blank paper)."""
        self.document_shown = document
        if document is None:
            self.clear()
            return
        self.set_columns(document.columns)
        self.setPlainText("\n".join(preview_lines(document)))
        self.moveCursor(self.textCursor().MoveOperation.Start)

    def lines(self) -> list[str]:
        """The lines shown (tests)."""
        return self.toPlainText().split("\n") if self.toPlainText() else []
