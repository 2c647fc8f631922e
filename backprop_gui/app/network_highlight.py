"""The step-through inspector's mark on the network view: a tinted band behind the
columns a stage works on (the previous layer and its own, with the links between), in
the stage's colour, so the formula on the panel and the place in the network meet."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from .stage_html import PHASE_COLORS

BAND_ALPHA = 34
EDGE_ALPHA = 150


@dataclass(frozen=True)
class Highlight:
    first: int  # the first column (layer 0 = inputs) ...
    last: int  # ... through the last
    phase: str  # "forward", "loss", "backward" or "update": the colour


def paint_highlight(p: QPainter, view, highlight: Highlight) -> None:
    """The band from column `first` to column `last` of `view` (a NetworkView)."""
    sizes = view.sizes
    if not sizes or not 0 <= highlight.first <= highlight.last < len(sizes):
        return
    pad = max(view.layer_gap * 0.16, 14.0)
    x0, x1 = view.layer_x(highlight.first) - pad, view.layer_x(highlight.last) + pad
    rect = QRectF(x0, 4.0, x1 - x0, view.height() - 8.0)
    color = QColor(PHASE_COLORS.get(highlight.phase, "#1f6fb2"))
    fill = QColor(color)
    fill.setAlpha(BAND_ALPHA)
    color.setAlpha(EDGE_ALPHA)
    p.save()
    p.setPen(QPen(color, 1.5, Qt.PenStyle.DashLine))
    p.setBrush(fill)
    p.drawRoundedRect(rect, 8.0, 8.0)
    p.restore()
