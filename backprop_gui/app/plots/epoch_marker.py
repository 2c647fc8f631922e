"""A vertical line at one epoch of a history plot: where the timeline looks back to."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

MARKER_COLOR = "#7c3aed"


class EpochMarker:
    def __init__(self, plot: pg.PlotItem) -> None:
        self.line = pg.InfiniteLine(angle=90, movable=False,
                                    pen=pg.mkPen(MARKER_COLOR, width=1.5, style=Qt.PenStyle.DashLine))
        self.line.setZValue(50)
        self.line.hide()
        plot.addItem(self.line, ignoreBounds=True)  # the plot's range follows the data, not it

    def show(self, epoch: int | None) -> None:
        """The line at `epoch`; None hides it."""
        if epoch is None:
            self.line.hide()
        else:
            self.line.setValue(epoch)
            self.line.show()
