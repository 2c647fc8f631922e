"""An epoch axis on a narrow plot: its labelled ticks stay at least a label apart."""

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontMetricsF

from backprop_gui.app.style import CountAxis


@pytest.mark.parametrize("width, epochs", [(130, 1751), (160, 2500), (140, 90_000), (600, 2500)])
def test_labelled_ticks_are_never_closer_than_their_labels(qtbot, width, epochs):
    plot = pg.PlotWidget(axisItems={"bottom": CountAxis("bottom")})
    qtbot.addWidget(plot)
    plot.resize(width, 120)
    plot.plot([0, epochs], [0, 1])
    plot.show()
    qtbot.waitExposed(plot)
    axis = plot.getPlotItem().getAxis("bottom")
    low, high = axis.range
    size = axis.geometry().width()
    major = axis.tickSpacing(low, high, size)[0][0]
    labels = axis.tickStrings([low, high, major * round(high / major)], 1.0, major)
    widest = max(QFontMetricsF(axis.font()).horizontalAdvance(text) for text in labels)
    assert major * size / (high - low) >= widest + CountAxis.LABEL_GAP_PX - 1e-9
