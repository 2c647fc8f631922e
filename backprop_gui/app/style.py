"""The look shared by every plot: light background, readable axes, and the colours that
mean the same thing everywhere (training vs validation, class 0 vs class 1)."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QVBoxLayout, QWidget

BACKGROUND = "#ffffff"
FOREGROUND = "#303030"
TRAIN_COLOR = "#1f77b4"
VALIDATION_COLOR = "#d62728"
#: class colours for points and boundaries (colour-blind-friendly, Okabe-Ito order)
CLASS_COLORS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
                "#f0e442", "#000000"]
AXIS_FONT_PT = 9
PLOT_OPTIONS_KEPT = ("Grid",)  # of pyqtgraph's "Plot Options" submenus


class TidyLogAxis(pg.AxisItem):
    """On a log scale, labels only 1, 2 and 5 × 10^k: pyqtgraph labels every minor tick
    (0.06, 0.07, 0.08, ...) on a short range, and they overlap. Within less than a
    decade (few ticks, fewer than two of them tidy) every tick keeps its label."""

    def tickStrings(self, values, scale, spacing):
        strings = super().tickStrings(values, scale, spacing)
        if not self.logMode:
            return strings
        tidy = []
        for value, text in zip(values, strings):
            mantissa = round(10 ** (value - math.floor(value + 1e-9)), 3)
            tidy.append(text if mantissa in (1.0, 2.0, 5.0) else "")
        if sum(bool(t) for t in tidy) < 2 and len(strings) <= 6:  # a short range: keep them
            return strings
        return tidy


class CountAxis(pg.AxisItem):
    """Epoch counts from 10,000 on as 20k, 1.5M, and labelled ticks never closer than
    their labels are wide: "500 10001500" ran together on a narrow plot."""

    #: pixels between two labels, at least
    LABEL_GAP_PX = 10

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or self.orientation not in ("bottom", "top") or maxVal <= minVal or size <= 0:
            return levels
        widest = max(QFontMetricsF(self.style.get("tickFont") or self.font()).horizontalAdvance(text)
                     for text in self.tickStrings([minVal, maxVal], 1.0, levels[0][0]))
        major = levels[0][0]
        pixels_per_unit = size / (maxVal - minVal)
        steps = (2, 2.5, 2)  # 1 -> 2 -> 5 -> 10 -> 20 ...
        i = 0
        while major * pixels_per_unit < widest + self.LABEL_GAP_PX:
            major *= steps[i % 3]
            i += 1
        if major == levels[0][0]:
            return levels
        return [(major, 0), *((spacing, offset) for spacing, offset in levels if spacing < major)][:2]

    def tickStrings(self, values, scale, spacing):
        if max((abs(v * scale) for v in values), default=0.0) < 10_000:
            return super().tickStrings(values, scale, spacing)
        return ["0" if v == 0 else f"{v * scale / 1e6:g}M" if abs(v * scale) >= 1e6
                else f"{v * scale / 1e3:g}k" for v in values]


class PowerAxis(pg.AxisItem):
    """A log axis labelled 10⁻⁶, 10⁻⁵, ... (not pyqtgraph's mix of 0.001 and 10⁻⁵),
    without an SI-prefix scale: on a log axis a "(x0.001)" is only confusing."""

    SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

    def __init__(self, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values, scale, spacing):
        """Powers of ten only, unless the view spans less than a decade."""
        low, high = sorted(self.range)
        out = []
        for v in values:
            if abs(v - round(v)) < 1e-9:
                n = round(v)
                out.append("1" if n == 0 else "10" if n == 1 else "10" + str(n).translate(self.SUPERSCRIPT))
            else:
                out.append("" if high - low >= 1 else f"{10 ** v:.1g}")
        return out


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options; call once before any plot is made."""
    pg.setConfigOptions(antialias=True, background=BACKGROUND, foreground=FOREGROUND,
                        imageAxisOrder="row-major")


def style_plot(widget: pg.PlotWidget, bottom: str, left: str) -> None:
    """Light background, labelled axes with readable ticks, a faint grid."""
    widget.setBackground(BACKGROUND)
    item = widget.getPlotItem()
    if type(item.getAxis("left")) is pg.AxisItem:  # keep a plot's own (a PowerAxis)
        item.setAxisItems({"left": TidyLogAxis("left")})
    font = widget.font()
    font.setPointSizeF(AXIS_FONT_PT)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        # kept as a pixmap between range changes: replaying its ticks, labels and grid
        # lines costs ~1.4 ms a frame, a blit almost nothing
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setPen(FOREGROUND)
        axis.setTextPen(FOREGROUND)
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "(x0.001)" on a log axis misleads
    item.setLabel("bottom", bottom)
    item.setLabel("left", left)
    item.showGrid(x=True, y=True, alpha=0.15)
    item.setMenuEnabled(True)
    # of pyqtgraph's "Plot Options" only the grid: its transforms (FFT, dy/dx, log axes
    # the panels' own controls do not know of), downsampling, averaging, alpha and points
    # are for data items the plots do not use, or would contradict what they show
    for action in item.ctrlMenu.actions():
        action.setVisible(action.text() in PLOT_OPTIONS_KEPT)


def lay_out_plot(panel: QWidget, left: list[QWidget], right: list[QWidget], plot: QWidget,
                 below: QWidget | None = None) -> None:
    """A plot panel's layout: a row of controls above the plot (left-aligned ones, a
    stretch, right-aligned ones), the plot taking the rest, an optional note below."""
    bar = QHBoxLayout()
    bar.setContentsMargins(4, 0, 4, 0)
    for widget in left:
        bar.addWidget(widget)
    bar.addStretch(1)
    for widget in right:
        bar.addWidget(widget)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addLayout(bar)
    layout.addWidget(plot, 1)
    if below is not None:
        layout.addWidget(below)
