"""A label for numbers that change on every frame, whose size does not.

A QLabel's size hint follows its text, so a new number can re-lay out its panel, the
dock and the whole main window (with dock animations) thirty times a second. This one
is sized once for the widest text it is meant to show, and elides anything longer."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    def __init__(self, widest: str, text: str = "", parent: QWidget | None = None,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        super().__init__(text, parent)
        self._widest = widest
        self.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._widest) + margins.left() + margins.right()
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
