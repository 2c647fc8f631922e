"""A curve of history rows, drawn by Qt alone: a QGraphicsPathItem.

pyqtgraph's PlotDataItem re-maps, re-clips and re-checks its data on every setData (about
0.5 ms a curve and frame for 1,000 points on a log axis), and even its bare PlotCurveItem
paints and measures its bounds in Python several times a frame, each time taking the GIL
from the training thread. The rows given here are already thinned (decimate.py), so a
path item drawn in C++ shows them; this adds what the history plots need of pyqtgraph's
curves: the log10 of a log axis (told by the plot, as its own curves are), only the rows
in view once the user has zoomed in (thinned again if they are many), a legend entry,
and every row for a CSV export."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from .decimate import PeakEnvelope

Range = tuple[float, float]
Rows = tuple[np.ndarray, np.ndarray]


class HistoryCurve(QGraphicsPathItem):
    def __init__(self, pen: QPen, name: str | None = None, max_points: int = 1024) -> None:
        super().__init__()
        pen = QPen(pen)
        pen.setCosmetic(True)  # its width in pixels, whatever the axes' units
        self.setPen(pen)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the plot's, for panning
        self._bounds = QRectF()
        self.opts = {"pen": pen, "name": name, "antialias": True}  # what a legend reads
        self.max_points = max_points
        self.log = (False, False)  # (x, y) on log axes
        self._rows: Rows = (np.zeros(0), np.zeros(0))
        self._x_range: Range | None = None
        self._every_row: Callable[[], Rows] | None = None
        self._shown: Rows = self._rows
        #: the rows drawn, in data units (before any log10)
        self.drawn: Rows = self._rows

    def show_rows(self, x: np.ndarray, y: np.ndarray, x_range: Range | None = None,
                  every_row: Callable[[], Rows] | None = None) -> None:
        """Draw rows (x, y) in data units. x_range (of a zoomed-in view, in its units:
        log10 on a log axis): only the rows in it and one beyond each side, as a peak
        envelope if they are many. every_row: gives all the rows (x, y) is thinned from,
        for an export (default: x, y)."""
        if x_range is not None and self.log[0]:
            with np.errstate(over="ignore"):
                x_range = (float(np.power(10.0, x_range[0])), float(np.power(10.0, x_range[1])))
        self._rows, self._x_range, self._every_row = (x, y), x_range, every_row
        self._draw()

    def _draw(self) -> None:
        (x, y), x_range = self._rows, self._x_range  # x_range in data units
        if x_range is not None and len(x):
            first = max(int(np.searchsorted(x, x_range[0], side="right")) - 1, 0)
            last = int(np.searchsorted(x, x_range[1], side="left")) + 1
            x, y = x[first:last], y[first:last]
            if len(x) > self.max_points:
                x, y = PeakEnvelope(self.max_points).update(x, y)
        self.drawn = (x, y)
        self._shown = (_log10(x) if self.log[0] else np.asarray(x, dtype=float),
                       _log10(y) if self.log[1] else np.asarray(y, dtype=float))
        path = pg.arrayToQPath(*self._shown, connect="finite") if len(x) else QPainterPath()
        self.prepareGeometryChange()  # with the old bounds, before they change
        self._bounds = path.controlPointRect()
        self.setPath(path)

    def boundingRect(self) -> QRectF:
        """The points' extent. Qt's own would stroke the whole path with the pen, in data
        units, to find it; the pen's pixel or two beyond is within the 2 px margin the
        view repaints around every change."""
        return self._bounds

    def shape(self) -> QPainterPath:
        """The extent too: the scene asks for it on every mouse move over the plot."""
        shape = QPainterPath()
        shape.addRect(self._bounds)
        return shape

    def paint(self, painter: QPainter, option, widget=None) -> None:
        """Antialiased, as pyqtgraph's curves are (the views do not ask for it)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)

    def clear_rows(self) -> None:
        self.show_rows(np.zeros(0), np.zeros(0))

    # -- what PlotItem, its legend and its exporters ask of its curves ------------------

    def name(self) -> str | None:
        return self.opts["name"]

    def implements(self, interface: str | None = None) -> bool | list[str]:
        """A data item: the plot lists it for its legend and its CSV export."""
        return ["plotData"] if interface is None else interface == "plotData"

    def getData(self) -> Rows:
        """What is drawn, in view coordinates (log10 on a log axis)."""
        return self._shown

    def getOriginalDataset(self) -> Rows:
        """Every row, in data units: what a CSV export of the plot writes."""
        return self._every_row() if self._every_row is not None else self._rows

    def setLogMode(self, x: bool, y: bool) -> None:
        """The plot's axes turned log or linear (from code or the plot's menu)."""
        if (x, y) != self.log:
            self.log = (bool(x), bool(y))
            self._draw()


def _log10(values: np.ndarray) -> np.ndarray:
    """log10 where positive; a gap (NaN) where not."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.where(values > 0, values, np.nan))
