"""The decision boundary's heatmap: a grid of values through a colour map, as a pixmap.

pyqtgraph's ImageItem re-renders its image in Python on every new grid (levels, a lookup
table, an indexed QImage with a fresh colour table) and paints it from Python; the grid
is new on most frames while a network learns. Here NumPy maps the values through the
colour map's 256 colours into 32-bit pixels once, and Qt scales and paints the pixmap in
C++, with square cells (no smoothing), as ImageItem draws them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem

Range = tuple[float, float]


def lookup_table(cmap: pg.ColorMap) -> np.ndarray:
    """The colour map's 256 colours as 0xffRRGGBB pixels."""
    rgb = cmap.getLookupTable(nPts=256, mode="byte")[:, :3].astype(np.uint32)
    return 0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


def colored(values: np.ndarray, levels: Range, table: np.ndarray) -> np.ndarray:
    """Each value's pixel from `table`, levels[0] its first colour and levels[1] its last;
    NaN the middle one."""
    low, high = levels
    scaled = (np.asarray(values, dtype=np.float64) - low) * (255.0 / ((high - low) or 1.0))
    return table[np.clip(np.nan_to_num(scaled, nan=127.5), 0, 255).astype(np.uint8)]


def pixels_image(pixels: np.ndarray) -> QImage:
    """A QImage of 32-bit pixels, row 0 its top line (shares `pixels`' memory: copy it or
    make a pixmap before `pixels` goes)."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint32)
    rows, cols = pixels.shape
    return QImage(pixels.data, cols, rows, 4 * cols, QImage.Format.Format_RGB32)


class Heatmap(QGraphicsPixmapItem):
    def __init__(self) -> None:
        super().__init__()
        self._table = np.zeros(256, dtype=np.uint32)  # the colour map, as 0xffRRGGBB
        self.values: np.ndarray | None = None  # what is shown: (rows, cols) values or RGB
        self.setVisible(False)

    def set_color_map(self, cmap: pg.ColorMap) -> None:
        self._table = lookup_table(cmap)

    def show_values(self, values: np.ndarray, levels: Range, x_range: Range, y_range: Range) -> None:
        """values[i, j] at the i-th row from the bottom and j-th column from the left,
        coloured from levels[0] (the map's first colour) to levels[1] (its last)."""
        self._show(colored(values, levels, self._table), x_range, y_range)
        self.values = values

    def show_rgb(self, rgb: np.ndarray, x_range: Range, y_range: Range) -> None:
        """rgb[i, j] (uint8 red, green, blue) at the i-th row from the bottom."""
        c = rgb.astype(np.uint32)
        self._show(0xFF000000 | (c[..., 0] << 16) | (c[..., 1] << 8) | c[..., 2], x_range, y_range)
        self.values = rgb

    def clear(self) -> None:
        self.setPixmap(QPixmap())
        self.setVisible(False)
        self.values = None

    def _show(self, pixels: np.ndarray, x_range: Range, y_range: Range) -> None:
        rows, cols = pixels.shape
        # row 0 first in memory is the image's top line, which the plot's upward y axis
        # puts at y_range[0]: the bottom, as the values want
        self.setPixmap(QPixmap.fromImage(pixels_image(pixels)))  # a copy: `pixels` may go
        (x0, x1), (y0, y1) = x_range, y_range
        transform = QTransform()
        transform.translate(x0, y0)
        transform.scale((x1 - x0) / cols, (y1 - y0) / rows)
        self.setTransform(transform)
        self.setVisible(True)
