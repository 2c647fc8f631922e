"""The decision boundary: the network's output over the data, with the data on top.

Two features: a heatmap with fixed colour levels and a colour bar (P(class 1), or ŷ for
regression); multi-class: one colour per class, paler where the network is less sure.
One feature: the fitted curve over the points. More than two: the user picks the two
axes; the others are held at their mean, and the plot says so. Validation points are
drawn as hollow squares, training points as filled circles."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGraphicsItem, QLabel, QWidget

from ...core.boundary import BoundaryCurve, BoundaryImage
from ...core.experiment import Experiment
from ...core.unit_maps import value_range
from ..network_picture import NEGATIVE, POSITIVE
from ..style import CLASS_COLORS, lay_out_plot, style_plot
from .heatmap import Heatmap
from .paint_tool import PaintTool

#: the heatmap blends each class colour this far towards white, so points stand out
PALE = 0.55
REGRESSION_MAP = "viridis"
#: one neuron's activation: the network view's colours for negative and positive weights
UNIT_MAP = pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE.getRgb()[:3], (255, 255, 255), POSITIVE.getRgb()[:3]])


def _rgb(color: str) -> np.ndarray:
    c = pg.mkColor(color)
    return np.array([c.red(), c.green(), c.blue()], float)


def _pale(color: str, amount: float = PALE) -> np.ndarray:
    return _rgb(color) * (1 - amount) + 255 * amount


class BoundaryPlot(QWidget):
    sigAxesChanged = Signal(object)  # (i, j): the features the user put on the axes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        style_plot(self.plot, "x1", "x2")
        item = self.plot.getPlotItem()
        item.showGrid(x=False, y=False)
        self.image = Heatmap()
        item.addItem(self.image)
        self.curve = item.plot(pen=pg.mkPen("#303030", width=2.5), name="network output")
        self.class_curves: list[pg.PlotDataItem] = []
        self.train_points = pg.ScatterPlotItem(pxMode=True)
        self.val_points = pg.ScatterPlotItem(pxMode=True)
        item.addItem(self.train_points)
        item.addItem(self.val_points)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap="CET-D1", interactive=False, width=14)
        self.colorbar.setImageItem([], insert_in=item)  # beside the plot; the heatmap is ours
        # the points and the colour bar stay put while the image under them changes on
        # every frame: kept as pixmaps, they are blitted instead of redrawn (~0.3 ms a frame)
        for still in (self.train_points, self.val_points, self.colorbar):
            still.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.x_axis, self.y_axis = QComboBox(), QComboBox()
        self.x_axis.setToolTip("The feature on the horizontal axis.")
        self.y_axis.setToolTip("The feature on the vertical axis.")
        self.discrete = QCheckBox("Threshold at 0.5")
        self.discrete.setToolTip("Show the predicted class only (output > 0.5), not how sure "
                                 "the network is.")
        self.key = QLabel()  # the legend, beside the controls: never over a data point
        self.key.setToolTip("Filled circles: training points. Hollow squares: validation points "
                            "(never trained on).")
        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.axis_labels = [QLabel("x:"), QLabel("y:")]
        self.paint = PaintTool(self.plot)
        lay_out_plot(self, [self.axis_labels[0], self.x_axis, self.axis_labels[1], self.y_axis,
                            self.discrete, self.paint.button, self.paint.brush, self.paint.value],
                     [self.key], self.plot, self.note)
        self.x_axis.currentIndexChanged.connect(self._axes_picked)
        self.y_axis.currentIndexChanged.connect(self._axes_picked)
        self.discrete.toggled.connect(self._redraw)
        self._experiment: Experiment | None = None
        self._last: BoundaryImage | BoundaryCurve | None = None
        self._unit: tuple[int, int] | None = None  # the neuron whose activation is shown
        self.rgb: np.ndarray | None = None  # the multi-class image, as drawn

    # -- a new experiment -----------------------------------------------------------------

    def set_experiment(self, experiment: Experiment, axes: tuple[int, int]) -> None:
        self._experiment = experiment
        self._last = None
        self.paint.set_data(experiment.dataset)
        self.image.clear()
        self.curve.setData([], [])
        ds = experiment.dataset
        names = ds.feature_names
        for combo, index in ((self.x_axis, axes[0]), (self.y_axis, axes[1])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        picker = ds.n_features > 2
        for widget in (*self.axis_labels, self.x_axis, self.y_axis):
            widget.setVisible(picker)
        self.discrete.setVisible(ds.task != "regression")
        self.note.setVisible(False)
        self._make_class_curves(ds)
        self._draw_points(axes)
        self._colors_for(None)
        self.plot.getPlotItem().enableAutoRange()

    def _colors_for(self, unit: tuple[int, int] | None, levels: tuple[float, float] = (0, 1)) -> None:
        """The colour bar and map of the network's output (unit None), or of one neuron's
        activation over `levels` (orange low, white middle, blue high, as in the network)."""
        ds = self._experiment.dataset
        self._unit = unit
        if unit is not None:
            self.colorbar.setVisible(ds.n_features >= 2)
            self.colorbar.setColorMap(UNIT_MAP)
            self.colorbar.setLevels(levels)
            self.colorbar.axis.setLabel(f"a of {self._unit_name(unit)}")
        elif ds.task == "regression":
            self.colorbar.setVisible(ds.n_features >= 2)
            self.colorbar.setColorMap(REGRESSION_MAP)
            self.colorbar.setLevels((float(ds.y.min()), float(ds.y.max())))
            self.colorbar.axis.setLabel(ds.target_name)
        else:
            self.colorbar.setVisible(ds.n_features >= 2 and ds.task != "multiclass")
            self.colorbar.setColorMap(self._binary_map())
            self.colorbar.setLevels((0.0, 1.0))
            self.colorbar.axis.setLabel(f"P(class {ds.class_names[-1]})")
        self.image.set_color_map(self.colorbar.colorMap())

    def _unit_name(self, unit: tuple[int, int]) -> str:
        layer, index = unit
        e = self._experiment
        if layer == len(e.network.sizes) - 1:
            names = e.dataset.class_names if e.dataset.task == "multiclass" else [e.dataset.target_name]
            return f"output {names[index] if index < len(names) else index + 1}"
        return f"hidden {layer} unit {index + 1}"

    def _binary_map(self) -> pg.ColorMap:
        return pg.ColorMap([0.0, 0.5, 1.0], [_pale(CLASS_COLORS[0]), np.full(3, 250.0),
                                             _pale(CLASS_COLORS[1])])

    def _make_class_curves(self, ds) -> None:
        """One curve per class probability for one-feature multi-class data."""
        item = self.plot.getPlotItem()
        for curve in self.class_curves:
            item.removeItem(curve)
        self.class_curves = []
        if ds.n_features == 1 and ds.task == "multiclass":
            for k, name in enumerate(ds.class_names):
                color = CLASS_COLORS[k % len(CLASS_COLORS)]
                self.class_curves.append(item.plot(pen=pg.mkPen(color, width=2), name=f"P({name})"))
        self.curve.setVisible(not self.class_curves)

    def _draw_points(self, axes: tuple[int, int]) -> None:
        e = self._experiment
        ds = e.dataset
        parts = [(self.train_points, e.train_points), (self.val_points, e.validation_points)]
        n = len(ds.X)
        size = 13 if n <= 20 else 9 if n <= 300 else 6
        for points, part in parts:
            if part is None:
                points.setData([])
                continue
            X = part.X  # the raw points: in data units, on the x1/x2 plane
            if ds.n_features == 1:
                x, y = X[:, 0], part.y.astype(float)
            else:
                x, y = X[:, axes[0]], X[:, axes[1]]
            brushes, pens = self._point_colors(part, points is self.val_points)
            symbol = "s" if points is self.val_points else "o"
            points.setData(x=x, y=y, brush=brushes, pen=pens, symbol=symbol, size=size)
        item = self.plot.getPlotItem()
        item.setLabel("bottom", ds.feature_names[axes[0]])
        item.setLabel("left", ds.target_name if ds.n_features == 1 else ds.feature_names[axes[1]])
        self._legend_entries(ds)

    def _point_colors(self, part, hollow: bool):
        ds = self._experiment.dataset
        if ds.task == "regression":
            if ds.n_features == 1:
                colors = ["#303030"] * len(part.y)
            else:
                cmap = pg.colormap.get(REGRESSION_MAP)
                lo, hi = float(ds.y.min()), float(ds.y.max())
                colors = cmap.map((part.y - lo) / ((hi - lo) or 1.0), mode="qcolor")
        else:
            colors = [CLASS_COLORS[k % len(CLASS_COLORS)] for k in part.y]
        if hollow:
            return [pg.mkBrush(None)] * len(colors), [pg.mkPen(c, width=2) for c in colors]
        return [pg.mkBrush(c) for c in colors], [pg.mkPen("#ffffff", width=1)] * len(colors)

    def _legend_entries(self, ds) -> None:
        """The key: class colours, the curve, and the validation marker."""
        entries = []
        if ds.n_features == 1 and not self.class_curves:
            entries.append('<span style="color:#303030">━</span> network output')
        if ds.task != "regression":
            for k, name in enumerate(ds.class_names):
                color = CLASS_COLORS[k % len(CLASS_COLORS)]
                label = f"class {name}" if name.isdigit() else name if len(name) <= 12 else name[:11] + "…"
                entries.append(f'<span style="color:{color}">●</span> {html.escape(label)}')
        if self._experiment.validation_set is not None:
            entries.append('<span style="color:#555">□</span> validation')
        self.key.setText("&nbsp;&nbsp;".join(entries))

    def _axes_picked(self) -> None:
        axes = (self.x_axis.currentIndex(), self.y_axis.currentIndex())
        if self._experiment is None or axes[0] < 0 or axes[1] < 0:
            return
        if axes[0] == axes[1]:  # swap rather than show one feature against itself
            other = self.y_axis if self.sender() is self.x_axis else self.x_axis
            other.blockSignals(True)
            other.setCurrentIndex(next(i for i in range(self.x_axis.count()) if i != axes[0]))
            other.blockSignals(False)
            axes = (self.x_axis.currentIndex(), self.y_axis.currentIndex())
        self._draw_points(axes)
        self.plot.getPlotItem().enableAutoRange()
        self.sigAxesChanged.emit(axes)

    # -- every snapshot with a new grid -----------------------------------------------------

    def set_boundary(self, boundary: BoundaryImage | BoundaryCurve, note: str = "") -> None:
        values = boundary.values if isinstance(boundary, BoundaryImage) else boundary.y
        if not np.isfinite(values).all():
            # a diverged network: a flat colour or a clipped curve would be a lie
            boundary = None
            self.image.clear()
            self.curve.setData([], [])
            for curve in self.class_curves:
                curve.setData([], [])
            note = ("The network's output overflowed (inf or NaN) somewhere on this plane: "
                    "nothing to draw. " + note).strip()
        self._last = boundary
        unit = boundary.unit if boundary is not None else None
        if unit is not None:
            activation = self._experiment.network.activation_names[unit[0] - 1]
            self._colors_for(unit, value_range(values, activation))
            note = (f"Showing what {self._unit_name(unit)} ({activation}) computes: click it in the "
                    "network again, or press Esc there, for the network's output. " + note).strip()
        elif self._unit is not None:
            self._colors_for(None)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._redraw()

    def _redraw(self) -> None:
        b, e = self._last, self._experiment
        if b is None or e is None:
            return
        task = e.dataset.task
        if b.unit is not None:  # one neuron's activation: its own colours, never thresholded
            if isinstance(b, BoundaryCurve):
                self.curve.setData(b.x, b.y)
            else:
                self.image.show_values(b.values, self.colorbar.levels(), b.x_range, b.y_range)
            return
        if isinstance(b, BoundaryCurve):
            if self.class_curves:
                for k, curve in enumerate(self.class_curves):
                    curve.setData(b.x, b.y[:, k])
            else:
                y = (b.y > 0.5).astype(float) if self.discrete.isChecked() and task == "binary" else b.y
                self.curve.setData(b.x, y)
            return
        if task == "multiclass":
            self.rgb = self._class_image(b.values)
            self.image.show_rgb(self.rgb, b.x_range, b.y_range)
        else:
            values = b.values
            if self.discrete.isChecked() and task == "binary":
                values = (values > 0.5).astype(np.float32)
            self.image.show_values(values, self.colorbar.levels(), b.x_range, b.y_range)

    def _class_image(self, probabilities: np.ndarray) -> np.ndarray:
        """Each cell in its most likely class's colour, paler the less sure: at chance
        (1/K) white, at certainty the class colour (itself pale, so points stand out)."""
        K = probabilities.shape[-1]
        p = np.nan_to_num(probabilities, nan=1.0 / K)
        winner = p.argmax(axis=-1)
        palette = np.array([_pale(CLASS_COLORS[k % len(CLASS_COLORS)], 0.35) for k in range(K)])
        if self.discrete.isChecked():
            sure = np.ones(winner.shape)
        else:
            sure = np.clip((p.max(axis=-1) - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)
        rgb = palette[winner] * sure[..., None] + 255.0 * (1.0 - sure[..., None])
        return rgb.astype(np.uint8)

    def plot_items(self) -> dict[str, pg.PlotItem]:
        return {"decision boundary": self.plot.getPlotItem()}

