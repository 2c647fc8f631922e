"""The boundary heatmap paints each grid cell in its colour, row 0 at the bottom, over the
data range it is given; a multi-class grid shows each class's colour where it wins."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from backprop_gui.app.plots.boundary import BoundaryPlot
from backprop_gui.app.plots.heatmap import Heatmap
from backprop_gui.app.style import CLASS_COLORS
from backprop_gui.core.boundary import BoundaryImage
from backprop_gui.core.config import load_project
from backprop_gui.core.experiment import Experiment

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


@pytest.fixture
def plot(qtbot) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.getPlotItem().hideAxis("left")
    widget.getPlotItem().hideAxis("bottom")
    widget.getPlotItem().setRange(xRange=(0, 2), yRange=(0, 2), padding=0)
    return widget


def colour_at(plot: pg.PlotWidget, x: float, y: float) -> tuple[int, int, int]:
    """The screen pixel at data point (x, y)."""
    image = plot.grab().toImage()
    view = plot.getPlotItem().getViewBox()
    scene = view.mapViewToScene(QPointF(x, y))
    widget = plot.mapFromScene(scene)
    ratio = image.devicePixelRatio()
    c = QColor(image.pixel(round(widget.x() * ratio), round(widget.y() * ratio)))
    return c.red(), c.green(), c.blue()


def close(a, b, tolerance: int = 2) -> bool:
    """Colours equal within a step or two of the map's 256 (0.5 falls between two)."""
    return max(abs(u - v) for u, v in zip(a, b)) <= tolerance


def test_values_are_painted_through_the_map_row_zero_at_the_bottom(plot):
    heatmap = Heatmap()
    plot.getPlotItem().addItem(heatmap)
    heatmap.set_color_map(pg.ColorMap([0.0, 0.5, 1.0], [RED, GREEN, BLUE]))
    values = np.array([[0.0, 1.0],    # bottom row: low left, high right
                       [0.5, np.nan]])  # top row: middle, and NaN shows the middle colour
    heatmap.show_values(values, (0.0, 1.0), (0.0, 2.0), (0.0, 2.0))
    assert close(colour_at(plot, 0.5, 0.5), RED) and close(colour_at(plot, 1.5, 0.5), BLUE)
    assert close(colour_at(plot, 0.5, 1.5), GREEN)
    assert close(colour_at(plot, 1.5, 1.5), GREEN)  # NaN: the map's middle
    heatmap.show_values(values * 10, (0.0, 10.0), (0.0, 2.0), (0.0, 2.0))  # levels scale
    assert close(colour_at(plot, 1.5, 0.5), BLUE)
    heatmap.clear()
    assert not heatmap.isVisible() and heatmap.values is None


def test_an_rgb_grid_covers_the_range_it_is_given(plot):
    heatmap = Heatmap()
    plot.getPlotItem().addItem(heatmap)
    rgb = np.array([[RED, GREEN]], dtype=np.uint8)  # one row, two cells
    heatmap.show_rgb(rgb, (0.0, 1.0), (0.0, 1.0))  # the lower left quarter only
    assert colour_at(plot, 0.25, 0.5) == RED and colour_at(plot, 0.75, 0.5) == GREEN
    assert colour_at(plot, 1.5, 1.5) != RED and colour_at(plot, 1.5, 1.5) != GREEN


def test_a_three_class_boundary_shows_the_winning_class_colour(qtbot, tmp_path):
    project = tmp_path / "three.json"
    project.write_text(
        '{"format": 1, "name": "3 blobs", "dataset": {"kind": "spiral3", "samples": 150},'
        ' "network": {"hidden": [{"units": 8, "activation": "tanh"}], "output_activation": "softmax"},'
        ' "training": {"loss": "cross_entropy", "learning_rate": 0.5, "epochs": 5}}')
    experiment = Experiment.from_project(load_project(project))
    widget = BoundaryPlot()
    qtbot.addWidget(widget)
    widget.resize(400, 380)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_experiment(experiment, (0, 1))
    # a made-up grid: class k wins in the k-th third from the left, surely
    probabilities = np.full((30, 30, 3), 0.0, dtype=np.float32)
    for k in range(3):
        probabilities[:, 10 * k:10 * (k + 1), k] = 1.0
    widget.set_boundary(BoundaryImage((0, 1), (-3.0, 3.0), (-3.0, 3.0), probabilities))
    widget.plot.getPlotItem().setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)
    for k, x in enumerate((-2.0, 0.0, 2.0)):
        pale = np.array(QColor(CLASS_COLORS[k]).getRgb()[:3]) * 0.65 + 255 * 0.35
        seen = np.array(colour_at(widget.plot, x, 2.8))  # near the top: clear of the points
        assert np.abs(seen - pale).max() <= 2, (k, seen, pale)
