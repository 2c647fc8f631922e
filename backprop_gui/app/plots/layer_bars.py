"""The bar view of each layer's current gradient size: one plain rectangle per layer.

pyqtgraph's BarGraphItem rebuilds a picture of its bars in Python on every change and
plays it back from Python on every paint; the bars here move on most frames while a net
learns. Qt's own QGraphicsRectItem is set and painted in C++, so the training thread
keeps the GIL for those frames."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem


class LayerBars:
    """Bars at x = 1..L in a plot, from a common baseline `y0` up by `heights`."""

    def __init__(self, plot: pg.PlotItem, width: float = 0.7) -> None:
        self._plot = plot
        self.width = width
        self._rects: list[QGraphicsRectItem] = []
        self._colors: list[str] = []  # each rect's brush, as set
        self.y0 = 0.0
        self.heights = np.zeros(0)

    def set_bars(self, y0: float, heights: np.ndarray, colors: list[str]) -> None:
        """Bar l (from 1) from y0 to y0 + heights[l - 1], in colors[l - 1]."""
        while len(self._rects) > len(heights):
            self._plot.removeItem(self._rects.pop())
            self._colors.pop()
        while len(self._rects) < len(heights):
            rect = QGraphicsRectItem()
            rect.setPen(QPen(Qt.PenStyle.NoPen))
            self._plot.addItem(rect)
            self._rects.append(rect)
            self._colors.append("")  # no brush yet (Qt's default: none)
        for l, (rect, height, color) in enumerate(zip(self._rects, heights, colors), start=1):
            rect.setRect(QRectF(l - self.width / 2, y0, self.width, float(height)))
            if self._colors[l - 1] != color:
                rect.setBrush(QBrush(QColor(color)))
                self._colors[l - 1] = color
        self.y0, self.heights = float(y0), np.asarray(heights, dtype=float)

    def clear(self) -> None:
        self.set_bars(0.0, np.zeros(0), [])
