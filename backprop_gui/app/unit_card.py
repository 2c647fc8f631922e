"""The card the network editor shows when the mouse rests on a neuron: its description
(layer, activation, bias) and a small picture of what it computes over the input plane,
orange where it is low, white in the middle of its range, blue where it is high: the
colours of negative and positive weights, so a strongly weighted link reads the same way."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ..core.boundary import BoundaryGrid
from ..core.unit_maps import unit_values, value_range
from .plots.boundary import UNIT_MAP
from .plots.heatmap import colored, lookup_table, pixels_image

UNIT_TABLE = lookup_table(UNIT_MAP)

#: the picture's side in pixels (the grid's cells are scaled up to it, unsmoothed)
PICTURE_SIDE = 100


def diverging_image(values: np.ndarray, levels: tuple[float, float]) -> QImage:
    """values (rows from the bottom up) from levels[0] (orange) through white to levels[1]
    (blue): the boundary plot's colours for a neuron (UNIT_MAP)."""
    return pixels_image(colored(values, levels, UNIT_TABLE)[::-1]).copy()  # the top row first


class UnitCard(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.text = QLabel()
        self.picture = QLabel()
        self.picture.setFixedSize(PICTURE_SIDE, PICTURE_SIDE)
        self.legend = QLabel()
        self.legend.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        for widget in (self.text, self.picture, self.legend):
            layout.addWidget(widget)
        self.hide()
        self.unit: tuple[int, int] | None = None  # (layer, unit) shown
        #: the picture's values, as drawn (rows from the bottom), for tests and checks
        self.values: np.ndarray | None = None

    def show_unit(self, text: str, layer: int, unit: int, at: QPoint, grid: BoundaryGrid | None,
                  weights: list[np.ndarray], biases: list[np.ndarray], activations: list[str]) -> None:
        """Describe (layer, unit) near `at` (the parent's coordinates); its picture over
        `grid` when there is one (2-D data) and the weights are known."""
        self.unit = (layer, unit)
        self.text.setText(text)
        self.refresh(grid, weights, biases, activations)
        self.adjustSize()
        parent = self.parentWidget()
        x = at.x() + 14 if at.x() + 14 + self.width() <= parent.width() else at.x() - 14 - self.width()
        y = min(max(at.y() - self.height() // 2, 0), max(parent.height() - self.height(), 0))
        self.move(max(x, 0), y)
        self.show()
        self.raise_()

    def refresh(self, grid: BoundaryGrid | None, weights: list[np.ndarray], biases: list[np.ndarray],
                activations: list[str]) -> None:
        """Redraw the picture from new weights (the card stays where it is)."""
        shown = self.unit is not None and grid is not None and hasattr(grid, "shape") and bool(weights)
        self.picture.setVisible(shown)
        self.legend.setVisible(shown)
        if not shown:
            self.values = None
            return
        layer, unit = self.unit
        flat = unit_values(weights, biases, activations, grid.inputs, layer, unit)
        self.values = flat.reshape(grid.shape)
        levels = value_range(self.values, activations[layer - 1])
        image = diverging_image(self.values, levels)
        self.picture.setPixmap(QPixmap.fromImage(image).scaled(
            PICTURE_SIDE, PICTURE_SIDE, Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.FastTransformation))
        names = grid.dataset.feature_names
        i, j = grid.axes
        self.legend.setText(f"over {names[i]} (→) and {names[j]} (↑)\n"
                            f"orange {levels[0]:.3g} · white {(levels[0] + levels[1]) / 2:.3g} · "
                            f"blue {levels[1]:.3g}")

    def dismiss(self) -> None:
        self.unit = None
        self.hide()
