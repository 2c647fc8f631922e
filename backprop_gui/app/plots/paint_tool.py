"""Painting data on the decision-boundary plot: with Paint on, a click adds a point of the
chosen class (or target value) where it lands, and a drag erases the points it passes
over (they are crossed out while the mouse is down, and go when it is released).

The tool edits nothing itself: it says which points the data should have
(`sigPainted`), and the window makes that an undoable change of the project's data (a
painted set, core/painted.py), which rebuilds the network."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPixmap
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QToolButton

from ...core.data import Dataset
from ...core.painted import LIMIT, MAX_CLASSES, MAX_POINTS, dataset_points
from ..style import CLASS_COLORS

PAINT_TIP = ("Paint your own data: click on the plot to add a point of the chosen class, drag "
             "over points to erase them. Training restarts on the new data; Ctrl+Z undoes.")
#: a drag erases the points within this many pixels of the mouse
ERASE_RADIUS = 12
#: a press that moves less than this (pixels) before its release is a click
CLICK_SLOP = 4


class PaintTool(QObject):
    sigPainted = Signal(object, str)  # the new points [[x1, x2, t], ...], and what was done

    def __init__(self, plot: pg.PlotWidget) -> None:
        super().__init__(plot)
        self.plot = plot
        self.button = QToolButton()
        self.button.setText("Paint")
        self.button.setCheckable(True)
        self.brush = QComboBox()
        self.brush.setToolTip("The class a click adds (a new class makes the problem multi-class).")
        self.value = QDoubleSpinBox()
        self.value.setRange(-LIMIT, LIMIT)
        self.value.setDecimals(3)
        self.value.setSingleStep(0.1)
        self.value.setToolTip("The target value a click adds (regression data).")
        self.button.toggled.connect(self._show_brush)
        self.eraser = pg.ScatterPlotItem(pxMode=True, symbol="x", size=14,
                                         brush=pg.mkBrush("#303030"), pen=pg.mkPen("#ffffff", width=1))
        self.eraser.setZValue(20)
        plot.getPlotItem().addItem(self.eraser)
        self._viewport = plot.viewport()  # kept: a closing window deletes the plot first
        self._viewport.installEventFilter(self)
        plot.destroyed.connect(self._gone)
        self._points = np.zeros((0, 3))
        self._task = "classification"
        self._press: QPoint | None = None
        self._dragging = False
        self._erased = np.zeros(0, dtype=bool)
        self._painting = False
        self.set_data(None)

    # -- what can be painted ----------------------------------------------------------------

    def set_data(self, dataset: Dataset | None) -> None:
        """Paint on this data (its points are where painting starts); None or data that is
        not on a plane of two features: nothing to paint on."""
        two = dataset is not None and dataset.n_features == 2
        self.button.setEnabled(two)
        self.button.setVisible(two)  # room for the axis pickers of wider data
        if not two:
            self.button.setChecked(False)
            self._show_brush()
            self._points = np.zeros((0, 3))
            self.button.setToolTip("Painting needs data with two features (x1, x2).")
            return
        self._points = np.asarray(dataset_points(dataset), dtype=float).reshape(-1, 3)
        self._task = "regression" if dataset.task == "regression" else "classification"
        self.button.setToolTip(PAINT_TIP)
        self.brush.blockSignals(True)
        chosen = max(self.brush.currentIndex(), 0)
        self.brush.clear()
        k = len(dataset.class_names)
        for c in range(min(k + 1, MAX_CLASSES)):
            self.brush.addItem(_swatch(CLASS_COLORS[c % len(CLASS_COLORS)]),
                               f"class {c}" if c < k else f"new class {c}")
        self.brush.setCurrentIndex(min(chosen, self.brush.count() - 1))
        self.brush.blockSignals(False)
        if self._task == "regression" and len(dataset.y):
            self.value.setValue(float(np.mean(dataset.y)))
        self._show_brush()

    @property
    def painting(self) -> bool:
        return self._painting

    def _show_brush(self) -> None:
        # kept as a flag: the event filter must not ask the button, which the window may
        # have deleted first while closing
        self._painting = self.button.isChecked() and self.button.isEnabled()
        self.brush.setVisible(self.painting and self._task == "classification")
        self.value.setVisible(self.painting and self._task == "regression")
        cursor = Qt.CursorShape.CrossCursor if self.painting else Qt.CursorShape.ArrowCursor
        self.plot.viewport().setCursor(cursor)

    # -- the mouse ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painting or watched is not self._viewport:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragging = event.position().toPoint(), False
            self._erased = np.zeros(len(self._points), dtype=bool)
            return True
        if kind == QEvent.Type.MouseMove and self._press is not None:
            pos = event.position().toPoint()
            if (pos - self._press).manhattanLength() > CLICK_SLOP:
                self._dragging = True
            if self._dragging:
                self._erase_near(pos)
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._press is not None:
            self._release(event)
            return True
        return kind in (QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel)  # no zoom while painting

    def _gone(self) -> None:
        self._painting = False

    def _release(self, event: QMouseEvent) -> None:
        pos, dragging = event.position().toPoint(), self._dragging
        self._press, self._dragging = None, False
        self.eraser.setData([])
        if not dragging:
            self.add_point(self._to_data(pos))
            return
        erased = int(self._erased.sum())
        if erased:
            self.erase(self._erased)

    def add_point(self, at: QPointF) -> None:
        """Add a point of the chosen class (or value) at `at`, in data units."""
        if len(self._points) >= MAX_POINTS:
            return
        t = float(self.brush.currentIndex()) if self._task == "classification" else self.value.value()
        point = [float(at.x()), float(at.y()), t]
        what = f"class {int(t)}" if self._task == "classification" else f"value {t:g}"
        self.sigPainted.emit([*self._points.tolist(), point], f"add a point of {what}")

    def erase(self, mask: np.ndarray) -> None:
        """Erase the points where `mask` is True, if enough are left to learn from."""
        kept = self._points[~mask]
        classes = len(np.unique(kept[:, 2])) if len(kept) else 0
        if len(kept) < 2 or (self._task == "classification" and classes < 2):
            self.sigPainted.emit(None, "keep at least two points, of two classes, to learn from")
            return
        n = int(mask.sum())
        self.sigPainted.emit(kept.tolist(), f"erase {n} point{'s' if n != 1 else ''}")

    def _erase_near(self, pos: QPoint) -> None:
        """Mark the points within ERASE_RADIUS pixels of `pos`, and cross them out."""
        if not len(self._points):
            return
        centre = self._to_data(pos)
        edge = self._to_data(pos + QPoint(ERASE_RADIUS, ERASE_RADIUS))
        rx, ry = abs(edge.x() - centre.x()) or 1e-12, abs(edge.y() - centre.y()) or 1e-12
        d = ((self._points[:, 0] - centre.x()) / rx) ** 2 + ((self._points[:, 1] - centre.y()) / ry) ** 2
        self._erased |= d <= 1.0
        crossed = self._points[self._erased]
        self.eraser.setData(x=crossed[:, 0], y=crossed[:, 1])

    def _to_data(self, pos: QPoint) -> QPointF:
        view = self.plot.getPlotItem().getViewBox()
        return view.mapSceneToView(self.plot.mapToScene(pos))


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)
