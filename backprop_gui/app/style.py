"""The look shared by every plot: light background, readable axes, and the colours that
mean the same thing everywhere (training vs validation, class 0 vs class 1)."""

from __future__ import annotations

import pyqtgraph as pg

BACKGROUND = "#ffffff"
FOREGROUND = "#303030"
TRAIN_COLOR = "#1f77b4"
VALIDATION_COLOR = "#d62728"
#: class colours for points and boundaries (colour-blind-friendly, Okabe-Ito order)
CLASS_COLORS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
                "#f0e442", "#000000"]
AXIS_FONT_PT = 9


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options; call once before any plot is made."""
    pg.setConfigOptions(antialias=True, background=BACKGROUND, foreground=FOREGROUND,
                        imageAxisOrder="row-major")


def style_plot(widget: pg.PlotWidget, bottom: str, left: str) -> None:
    """Light background, labelled axes with readable ticks, a faint grid."""
    widget.setBackground(BACKGROUND)
    item = widget.getPlotItem()
    font = widget.font()
    font.setPointSizeF(AXIS_FONT_PT)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(FOREGROUND)
        axis.setTextPen(FOREGROUND)
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "(x0.001)" on a log axis misleads
    item.setLabel("bottom", bottom)
    item.setLabel("left", left)
    item.showGrid(x=True, y=True, alpha=0.15)
    item.setMenuEnabled(True)
