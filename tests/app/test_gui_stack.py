"""The GUI stack the next issue builds on installs and runs offscreen: PySide6 with the
pinned version, a pyqtgraph plot that draws real data into a real image."""

import numpy as np
import pyqtgraph as pg
import PySide6


def test_pyside6_is_the_pinned_version():
    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 10), PySide6.__version__


def test_a_pyqtgraph_plot_renders_offscreen(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(320, 240)
    curve = widget.plot(np.arange(100), np.sin(np.arange(100) / 10), pen=pg.mkPen("r", width=3))
    widget.show()
    qtbot.waitExposed(widget)
    x, y = curve.getData()
    assert len(x) == 100
    image = widget.grab().toImage()
    assert image.width() > 0
    # the red curve was really drawn: some pixel is strongly red
    reds = [image.pixelColor(i, j) for i in range(0, image.width(), 2)
            for j in range(0, image.height(), 2)]
    assert any(c.red() > 200 and c.green() < 80 and c.blue() < 80 for c in reds)
