"""Training mode on screen (培训模式): a watermark over every window of the session, so
nobody takes a practice sale for a real one (the printouts carry the same mark, see
``domain/receipts.py: with_training_mark``).

The watermark lets every click and key through; it only paints.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

#: Object name of the overlay (tests and screenshots look for it).
WATERMARK_NAME = "training_watermark"
#: Spacing of the repeated text, in pixels.
_STEP_X, _STEP_Y = 360, 180


class TrainingWatermark(QWidget):
    """A see-through layer over ``parent`` with 培训模式 written across it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(WATERMARK_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text = self.tr("培训模式 · 非真实交易")
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Follow the window's size and stay on top of what it adds later."""
        if watched is self.parent():
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(self.parentWidget().rect())
            elif event.type() in (QEvent.Type.ChildAdded, QEvent.Type.Show):
                self.raise_()
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """The text, tilted and repeated, faint enough to read the screen through it."""
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            font = QFont(self.font())
            font.setPixelSize(34)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor(192, 57, 43, 48))
            painter.translate(self.width() / 2, self.height() / 2)
            painter.rotate(-25)
            reach = int((self.width() ** 2 + self.height() ** 2) ** 0.5) // 2 + _STEP_X
            for y in range(-reach, reach, _STEP_Y):
                shift = _STEP_X // 2 if (y // _STEP_Y) % 2 else 0
                for x in range(-reach, reach, _STEP_X):
                    painter.drawText(QRectF(x + shift, y, _STEP_X, _STEP_Y),
                                     Qt.AlignmentFlag.AlignCenter, self.text)
        finally:
            painter.end()


def mark_for_training(window: QWidget) -> TrainingWatermark:
    """Put the watermark on ``window`` and say 培训模式 in its title (idempotent)."""
    existing = window.findChild(TrainingWatermark, WATERMARK_NAME)
    if isinstance(existing, TrainingWatermark):
        return existing
    prefix = QCoreApplication.translate("TrainingWatermark", "【培训模式】")
    if not window.windowTitle().startswith(prefix):
        window.setWindowTitle(f"{prefix}{window.windowTitle()}")
    return TrainingWatermark(window)
