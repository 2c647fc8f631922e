"""Small pictures of the built-in data sets, for the data panel's picker: a student sees
rings, moons and spirals before choosing one by name.

Each is drawn once with QPainter from the set's own generator (200 points, noise 0.1,
seed 0), in the colours the boundary plot uses: class colours for classification,
viridis by target for a 2-D regression, the curve's grey for the 1-D one. x and y share
one scale, so circles stay round. About 1.6 ms a set, drawn when first shown and cached
for the program's life."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QComboBox, QWidget

from ...core.data import Dataset
from ...core.datasets import make_dataset
from ..style import CLASS_COLORS, FOREGROUND

THUMBNAIL_SIZE = 40  # logical pixels, square
SAMPLES, NOISE, SEED = 200, 0.1, 0
FRAME = QColor("#c8c8c8")
REGRESSION_MAP = "viridis"  # as the boundary plot
REGRESSION_STEPS = 16  # bands of the colour map a regression target is drawn in
CURVE_COLOR = QColor("#303030")  # the 1-D regression points, as the boundary plot


@cache
def dataset_icon(kind: str, size: int = THUMBNAIL_SIZE) -> QIcon:
    """The picture of built-in set `kind` ("csv": a small table), cached: one pixmap for
    each device pixel ratio of the screens (2 on a HiDPI one), so it stays sharp."""
    icon = QIcon()
    ratios = {1.0, *(screen.devicePixelRatio() for screen in QGuiApplication.screens())}
    for ratio in sorted(ratios):
        icon.addPixmap(thumbnail(kind, size, ratio))
    return icon


def thumbnail(kind: str, size: int = THUMBNAIL_SIZE, ratio: float = 1.0) -> QPixmap:
    """One pixmap of `size` logical pixels at device pixel ratio `ratio`."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.white)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if kind == "csv":
            _draw_table(painter, size)
        elif kind == "painted":
            _draw_painted(painter, size)
        else:
            _draw_points(painter, make_dataset(kind, SAMPLES, NOISE, SEED), size, ratio)
        painter.setPen(QPen(FRAME, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0.5, 0.5, size - 1.0, size - 1.0))
    finally:
        painter.end()
    return pixmap


def _draw_points(painter: QPainter, ds: Dataset, size: int, ratio: float) -> None:
    """The points as round dots: one antialiased dot drawn per colour, then copied to
    each point (Qt strokes 200 antialiased round points about ten times slower)."""
    one_d = ds.n_features == 1
    xy = np.column_stack([ds.X[:, 0], ds.y]) if one_d else ds.X[:, :2]
    screen = _fit(xy, size, same_scale=not one_d)
    groups, palette = _color_groups(ds)
    diameter = 8.0 if len(xy) <= 8 else 3.4
    for group, color in enumerate(palette):
        dot = _dot(color, diameter, ratio)
        for x, y in screen[groups == group]:
            painter.drawPixmap(QPointF(x - diameter / 2, y - diameter / 2), dot)


def _dot(color: QColor, diameter: float, ratio: float) -> QPixmap:
    side = math.ceil(diameter * ratio)
    dot = QPixmap(side, side)
    dot.setDevicePixelRatio(ratio)
    dot.fill(Qt.GlobalColor.transparent)
    painter = QPainter(dot)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(QRectF(0, 0, diameter, diameter))
    painter.end()
    return dot


def _color_groups(ds: Dataset) -> tuple[np.ndarray, list[QColor]]:
    """Each point's colour as an index into a small palette: its class, or its target
    in one of REGRESSION_STEPS bands of viridis (grey for the 1-D curve)."""
    if ds.task != "regression":
        palette = [QColor(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(len(ds.class_names))]
        return ds.y, palette
    if ds.n_features == 1:
        return np.zeros(len(ds.y), int), [CURVE_COLOR]
    lo, hi = float(ds.y.min()), float(ds.y.max())
    bands = np.minimum(((ds.y - lo) / ((hi - lo) or 1.0) * REGRESSION_STEPS).astype(int),
                       REGRESSION_STEPS - 1)
    centres = (np.arange(REGRESSION_STEPS) + 0.5) / REGRESSION_STEPS
    return bands, list(pg.colormap.get(REGRESSION_MAP).map(centres, mode="qcolor"))


def _fit(xy: np.ndarray, size: int, same_scale: bool) -> np.ndarray:
    """Data -> pixel centres inside a margin, y up; the same scale on both axes when
    asked (the 2-D sets), each axis filled on its own otherwise (a curve)."""
    margin = max(4.0, size * 0.12)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    if same_scale:
        span = np.full(2, span.max())
    centre = (lo + hi) / 2
    unit = (xy - centre) / span  # in [-0.5, 0.5]
    inner = size - 2 * margin
    return np.column_stack([size / 2 + unit[:, 0] * inner, size / 2 - unit[:, 1] * inner])


def _draw_painted(painter: QPainter, size: int) -> None:
    """A few dots of two classes and the stroke of a pen: data painted by hand."""
    painter.setPen(Qt.PenStyle.NoPen)
    for k, (x, y) in enumerate(((0.3, 0.3), (0.45, 0.22), (0.25, 0.5), (0.7, 0.72), (0.55, 0.8))):
        painter.setBrush(QColor(CLASS_COLORS[int(k >= 3)]))
        painter.drawEllipse(QPointF(x * size, y * size), size * 0.07, size * 0.07)
    painter.setPen(QPen(QColor(FOREGROUND), max(size * 0.06, 1.5), Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(size * 0.62, size * 0.2), QPointF(size * 0.82, size * 0.42))


def _draw_table(painter: QPainter, size: int) -> None:
    """A CSV file: a header row and a few rows of cells."""
    margin = size * 0.2
    width, rows = size - 2 * margin, 4
    height = width / rows
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(FOREGROUND).lighter(250))
    painter.drawRect(QRectF(margin, margin, width, height))
    painter.setPen(QPen(QColor(FOREGROUND), 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(margin, margin, width, height * rows))
    for r in range(1, rows):
        painter.drawLine(QPointF(margin, margin + r * height), QPointF(margin + width, margin + r * height))
    for c in (1, 2):
        x = margin + c * width / 3
        painter.drawLine(QPointF(x, margin), QPointF(x, margin + height * rows))


class DatasetCombo(QComboBox):
    """A combo of data sets, each item with its picture. Pictures are drawn when first
    seen (the current item's at once, the others when the list opens), so the window
    starts without drawing eight sets it may never show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self.currentIndexChanged.connect(self._picture_current)

    def has_picture(self, index: int) -> bool:
        return not self.itemIcon(index).isNull()

    def showPopup(self) -> None:
        for index in range(self.count()):
            self._picture(index)
        super().showPopup()

    def _picture_current(self, index: int) -> None:
        if index >= 0:
            self._picture(index)

    def _picture(self, index: int) -> None:
        if not self.has_picture(index):
            self.setItemIcon(index, dataset_icon(self.itemText(index)))
