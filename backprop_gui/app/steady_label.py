"""A one-line text for numbers that change on every frame, whose size does not.

A QLabel's setText always asks its layout to recompute (updateGeometry), and a status
bar rebuilds its layout and then the main window's on each such request: a new epoch
count thirty times a second re-laid out the whole window. This widget is sized once for
the widest text it is meant to show; a new text only repaints it (elided if too long)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class SteadyLabel(QWidget):
    def __init__(self, widest: str, text: str = "", parent: QWidget | None = None,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        super().__init__(parent)
        self._widest = widest
        self._text = text
        self._align = align | Qt.AlignmentFlag.AlignVCenter
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # opaque: a new text repaints this widget alone, not the dock or bar behind it
        self.setAutoFillBackground(True)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update()

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._widest) + margins.left() + margins.right(),
                     metrics.height() + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().windowText().color())
        painter.drawText(rect, self._align, text)
