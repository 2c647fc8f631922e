"""HistoryCurve draws what PlotDataItem drew for the history plots: log10 on a log axis
(set from code or the plot's menu), only the rows in a zoomed-in view, and every row
for a CSV export."""

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
import pytest

from backprop_gui.app.plots.history_curve import HistoryCurve
from backprop_gui.app.style import style_plot


@pytest.fixture
def plot(qtbot) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    style_plot(widget, "epoch", "loss")
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows(n: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    epoch = np.arange(1, n + 1, dtype=float)
    return epoch, 1.0 / epoch + 0.01 * np.sin(epoch)


def test_a_log_axis_draws_log10_and_leaves_gaps_for_values_not_above_zero(plot):
    curve = HistoryCurve(pg.mkPen("b"))
    plot.getPlotItem().addItem(curve)
    x, y = np.arange(5.0), np.array([1.0, 10.0, 0.0, -1.0, 100.0])
    curve.show_rows(x, y)
    np.testing.assert_array_equal(curve.getData()[1], y)
    plot.getPlotItem().setLogMode(y=True)  # the plot tells its curves, as it does PlotDataItem
    drawn = curve.getData()[1]
    np.testing.assert_array_equal(drawn[[0, 1, 4]], [0.0, 1.0, 2.0])
    assert np.isnan(drawn[2]) and np.isnan(drawn[3])
    np.testing.assert_array_equal(curve.drawn[1], y)  # in data units
    plot.getPlotItem().setLogMode(y=False)
    np.testing.assert_array_equal(curve.getData()[1], y)


def test_a_zoomed_in_view_gets_the_rows_in_it_and_one_beyond_each_edge(plot):
    curve = HistoryCurve(pg.mkPen("b"))
    plot.getPlotItem().addItem(curve)
    x, y = rows()
    curve.show_rows(x, y, x_range=(100.5, 200.5))
    np.testing.assert_array_equal(curve.drawn[0], np.arange(100.0, 202.0))
    np.testing.assert_array_equal(curve.drawn[1], y[99:201])
    curve.show_rows(x, y, x_range=(-50.0, 3.0))  # an edge beyond the data
    np.testing.assert_array_equal(curve.drawn[0], [1.0, 2.0, 3.0])


def test_a_wide_zoom_is_thinned_to_its_peaks_and_a_log_x_range_is_read_as_log10(plot):
    curve = HistoryCurve(pg.mkPen("b"), max_points=256)
    plot.getPlotItem().addItem(curve)
    x, y = rows()
    y[2345] = 50.0  # a spike
    curve.show_rows(x, y, x_range=(1000.0, 4000.0))
    drawn_x, drawn_y = curve.drawn
    assert len(drawn_x) <= 256 + 16 and set(drawn_y) <= set(y)
    assert drawn_y.max() == 50.0 and drawn_y.min() == y[999:4001].min()
    curve.setLogMode(True, False)  # the same rows in view, now on a log x axis
    assert curve.drawn[1].max() == 50.0 and len(curve.drawn[0]) <= 256 + 16
    curve.show_rows(x, y, x_range=(2.0, 3.0))  # 10^2 to 10^3
    assert curve.drawn[0][0] == 100.0 and curve.drawn[0][-1] == 1000.0


def test_a_csv_export_writes_every_row_not_the_thinned_ones(plot, tmp_path):
    curve = HistoryCurve(pg.mkPen("b"), name="training")
    plot.getPlotItem().addItem(curve)
    x, y = rows()
    curve.show_rows(x[::100], y[::100], every_row=lambda: (x, y))
    out = tmp_path / "curve.csv"
    pg.exporters.CSVExporter(plot.getPlotItem()).export(str(out))
    lines = out.read_text().splitlines()
    assert lines[0] == "training_x,training_y" and len(lines) == 1 + len(x)
    assert float(lines[-1].split(",")[1]) == pytest.approx(y[-1], rel=1e-8)  # 10 digits


def test_the_plot_menu_offers_the_grid_only(plot):
    shown = [a.text() for a in plot.getPlotItem().ctrlMenu.actions() if a.isVisible()]
    assert shown == ["Grid"]


def test_a_curve_that_shrinks_leaves_nothing_behind(plot):
    """Its bounds are the points' extent: the old spike's pixels must be repainted."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor

    curve = HistoryCurve(pg.mkPen("#ff0000", width=1))
    item = plot.getPlotItem()
    item.addItem(curve)
    item.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    item.enableAutoRange(False)
    x = np.arange(11.0)

    def red_above(y: float) -> int:
        image = plot.viewport().grab().toImage()
        top = plot.mapFromScene(item.getViewBox().mapViewToScene(QPointF(0, y))).y()
        colours = (QColor(image.pixel(col, row)) for row in range(max(0, top))
                   for col in range(image.width()))
        return sum(1 for c in colours if c.red() > 150 and c.green() < 120)

    curve.show_rows(x, np.where(x == 5, 8.0, 2.0))  # a spike up to 8
    assert red_above(4.0) > 0
    curve.show_rows(x, np.full(11, 2.0))  # flat at 2: the spike is gone
    assert red_above(4.0) == 0
