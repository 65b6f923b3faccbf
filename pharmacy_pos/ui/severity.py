"""How a rule's finding looks at the till: one colour and one icon per action, so a
cashier tells 禁止 from 需药师审核 from 提醒 at a glance, also when colours are hard to
tell apart (the icons differ in their glyph: "×", "?", "!" and "i").

The icons are drawn here rather than taken from the platform style, which draws nothing
under the offscreen platform and differs between desktops.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from pharmacy_pos.domain.identity import Action

RED = "#c0392b"
AMBER = "#b9770e"
BLUE = "#2471a3"
GREY = "#7f8c8d"

#: Colour of each action, strongest first.
COLOURS = {Action.BLOCK: RED, Action.APPROVE: AMBER, Action.WARN: BLUE, Action.RECORD: GREY}
#: The glyph drawn on the disc of each action.
GLYPHS = {Action.BLOCK: "×", Action.APPROVE: "?", Action.WARN: "!", Action.RECORD: "i"}

ICON_SIZE = 32


def disc_pixmap(colour: str, size: int, glyph: str = "") -> QPixmap:
    """A filled disc in ``colour``, with ``glyph`` in white on it (needs a QGuiApplication);
    also the status bar's lights."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(1, 1, size - 2, size - 2)
        if glyph:
            font = QFont()
            font.setBold(True)
            font.setPixelSize(size * 2 // 3)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    finally:
        painter.end()
    return pixmap


@cache
def severity_icon(action: Action) -> QIcon:
    """The action's disc: its colour, its glyph."""
    return QIcon(disc_pixmap(COLOURS[action], ICON_SIZE, GLYPHS[action]))
