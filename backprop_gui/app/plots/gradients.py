"""The gradient panel: how big each layer's weight gradient dW is, epoch after epoch, so
that vanishing (early layers' curves far below the output layer's) and exploding
(curves shooting up) are seen, not read about.

- a line per layer of RMS (or L2 norm) of dW against epoch, on a log axis;
- bars of the current size per layer, in the same colours;
- the diagnosis in one sentence, coloured by kind, and a table per layer with the share
  of saturated and dead units that explains it.

Items are made once per network (set_layers) and fed on each frame (HistoryCurve.show_rows)."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.gradient_health import SATURATED_DERIVATIVE, SATURATED_SAMPLES, GradientDiagnosis, UnitHealth
from ..style import CountAxis, PowerAxis, style_plot
from ..throttle import Throttle
from .decimate import PeakEnvelope
from .history_curve import HistoryCurve
from .kept_curves import KeptCurves, KeptLine, faint_pen, merge_spans, run_dash
from .layer_bars import LayerBars
from .ranges import FollowingViewBox, finite_span

#: Okabe-Ito without its yellow (unreadable on white): told apart with any colour vision;
#: an 8th layer and beyond reuse them dashed
LAYER_COLORS = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#000000"]
#: kind -> (bar, background) of the diagnosis label
KIND_COLORS = {
    "ok": ("#7a9a80", "#eef3ee"),
    "vanishing": ("#e69f00", "#fff4dc"),
    "exploding": ("#c0392b", "#fbe6e3"),
    "exploded": ("#c0392b", "#fbe6e3"),
    "none": ("#a0a0a0", "#f2f2f2"),
}
MEASURES = {"RMS": "RMS of dW", "L2 norm": "L2 norm of dW"}
COLUMNS = [
    ("layer", "Layer l = 1..L; the last is the output layer."),
    ("activation", "The layer's activation f. Its derivative f'(z) multiplies every gradient "
                   "that passes back through the layer."),
    ("RMS", "Root mean square of the entries of dW (the weights' gradient): comparable "
            "across layers of different sizes."),
    ("L2", "L2 (Euclidean) norm of dW: the length of the whole gradient step's direction."),
    ("saturated", f"Share of units whose f'(z) is below {SATURATED_DERIVATIVE:.0%} of its peak on "
                  f"{SATURATED_SAMPLES:.0%} of samples: their gradients are nearly zero. "
                  "Only sigmoid and tanh saturate."),
    ("dead", "Share of ReLU units that output 0 (z ≤ 0) on every sample (leaky ReLU: z < 0): "
             "they pass no gradient back and stop learning. Only ReLU units die."),
]
OUTPUT_SATURATION = ("A confident sigmoid or softmax output is saturated, and with a cross-entropy "
                     "loss that does no harm: its gradient is ŷ − y, without f'.")
#: the narrowest the gradient-history plot gets (px)
MIN_CURVES_WIDTH = 180
#: the bars are redrawn when one of them moves by this much (decades; ~1 px)
BAR_STEP = 0.005
#: new numbers in the diagnosis sentence show at most this often (ms)
DIAGNOSIS_TEXT_MS = 250
#: the widest text each column shows
COLUMN_SAMPLES = ["L33", "leaky_relu", "0.00088", "0.00088", "100%", "100%"]
NONE = "—"


def layer_color(l: int) -> str:
    return LAYER_COLORS[(l - 1) % len(LAYER_COLORS)]


def layer_pen(l: int) -> pg.QtGui.QPen:
    """Layer l's pen (l from 1): solid for the first seven, then dashed. One pixel wide:
    Qt draws a noisy 10,000-point curve antialiased in ~1 ms at width 1, ~50 ms at width 2."""
    style = Qt.PenStyle.SolidLine if l <= len(LAYER_COLORS) else Qt.PenStyle.DashLine
    return pg.mkPen(layer_color(l), width=1, style=style)


def _short(x: float) -> str:
    return f"{x:.2g}" if np.isfinite(x) else f"{x:g}"


class GradientPanel(QWidget):
    """Per-layer gradient sizes: history, current bars, diagnosis and unit table."""

    sigMeasureChanged = Signal(str)  # "RMS" or "L2 norm"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._activations: list[str] = []
        self._history = None  # a core History (epoch, grad_rms, grad_l2), or None
        self._now_rms = self._now_l2 = np.zeros(0)
        self.curves: list[HistoryCurve] = []
        self.diagnosis_kind = "none"

        self.diagnosis_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        # room for two lines: a sentence that rewraps from one to two does not move the plots
        self.diagnosis_label.setMinimumHeight(2 * self.fontMetrics().lineSpacing() + 8)
        self._pending_text = ""
        self._health: UnitHealth | None = None  # the latest, for the table
        self._show_numbers = Throttle(DIAGNOSIS_TEXT_MS, self._show_pending_numbers, self)

        self.measure = QComboBox(toolTip="Plot the RMS of each layer's dW (comparable across layer "
                                         "sizes) or its L2 norm (the size of the whole step).")
        self.measure.addItems(list(MEASURES))
        self.view = FollowingViewBox()
        self._envelope = PeakEnvelope()  # of Σ dW² rows: both measures grow with it
        self.plot = pg.PlotWidget(viewBox=self.view,
                                  axisItems={"left": PowerAxis(), "bottom": CountAxis("bottom")})
        style_plot(self.plot, "epoch", "")
        item = self.plot.getPlotItem()
        item.setLogMode(y=True)
        # the legend sits in a band above the curves, never over them: anchored to the
        # plot item (so an export takes it along) in the row reserved for a title
        self.legend_font = QFont(self.font())
        self.legend_font.setPointSizeF(8)
        self.legend = pg.LegendItem(labelTextSize="8pt", verSpacing=-8, horSpacing=4, frame=False)
        self.legend.setParentItem(item)
        self._legend_layout: tuple[list[str], int, bool] | None = None
        self.legend.anchor((0, 0), (0, 0), offset=(48, 0))
        item.legend = self.legend  # a curve removed from the plot leaves the legend too
        # kept runs: their curves in the layers' colours, each run with its own dash, named
        # in a legend of their own in the lower right corner
        self.kept_legend = pg.LegendItem(labelTextSize="8pt", verSpacing=-8, frame=False,
                                         brush=pg.mkBrush(255, 255, 255, 220))
        self.kept_legend.setParentItem(item.getViewBox())
        self.kept_legend.anchor((1, 1), (1, 1), offset=(-4, -4))
        self.kept = KeptCurves(item, self.kept_legend)
        self._kept_runs: list = []  # (KeptRun, label), oldest first
        self._current_label = "this run"
        self.plot.installEventFilter(self)  # more legend columns when the plot is wider

        self.bar_plot = pg.PlotWidget(axisItems={"left": PowerAxis()})
        style_plot(self.bar_plot, "", "")
        bars = self.bar_plot.getPlotItem()
        bars.setLogMode(y=True)  # the bars' heights are log10 values: ticks read 10⁻⁵ ...
        bars.setMouseEnabled(x=False, y=False)
        bars.hideButtons()
        bars.setMenuEnabled(False)
        self.bars = LayerBars(bars)

        self.table = table = QTableWidget(0, len(COLUMNS), frameShape=QTableWidget.Shape.NoFrame,
                                          focusPolicy=Qt.FocusPolicy.NoFocus)
        for c, (name, tip) in enumerate(COLUMNS):
            table.setHorizontalHeaderItem(c, QTableWidgetItem(name))
            table.horizontalHeaderItem(c).setToolTip(tip)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        # fixed column widths, wide enough for any value: the layout never jumps
        header = table.horizontalHeader()
        header.setSectionResizeMode(header.ResizeMode.Fixed)
        cell, head = table.fontMetrics(), header.fontMetrics()
        for c, (name, _), widest in zip(range(len(COLUMNS)), COLUMNS, COLUMN_SAMPLES):
            header.resizeSection(c, max(head.horizontalAdvance(name), cell.horizontalAdvance(widest)) + 10)
        header.resizeSection(0, header.sectionSize(0) + table.iconSize().width() + 8)  # the swatch

        top = QHBoxLayout(contentsMargins=pg.QtCore.QMargins(4, 0, 0, 0))
        top.addWidget(QLabel("Measure of dW:"))
        top.addWidget(self.measure)
        top.addStretch(1)
        self.right = QWidget()  # as wide as the table: the curves take the rest
        right = QVBoxLayout(self.right, spacing=2, contentsMargins=pg.QtCore.QMargins())
        right.addLayout(top)
        right.addWidget(self.bar_plot, 1)
        right.addWidget(table)
        plots = QHBoxLayout(spacing=4)
        self.plot.setMinimumWidth(MIN_CURVES_WIDTH)  # the table beside it is fixed: never a sliver
        plots.addWidget(self.plot, 1)
        plots.addWidget(self.right)
        layout = QVBoxLayout(self, spacing=3, contentsMargins=pg.QtCore.QMargins())
        layout.addWidget(self.diagnosis_label)
        layout.addLayout(plots, 1)

        self.measure.currentTextChanged.connect(self._measure_changed)
        self.view.sigXRangeChanged.connect(self._panned)
        self._measure_changed(self.measure.currentText())
        self.set_layers([])

    # -- the API the window uses ---------------------------------------------------------

    def set_layers(self, activations: list[str]) -> None:
        """A new network: one curve, bar and table row per layer (activations of 1..L)."""
        item = self.plot.getPlotItem()
        for curve in self.curves:
            item.removeItem(curve)  # also takes it out of the legend
        self._legend_layout = None
        self._activations = list(activations)
        L = len(activations)
        self.curves = []
        for l in range(1, L + 1):
            curve = HistoryCurve(layer_pen(l))  # _fit_legend names it
            item.addItem(curve)
            self.curves.append(curve)
        self._fit_legend()
        self.bar_plot.getPlotItem().getAxis("bottom").setTicks([[(l, f"L{l}") for l in range(1, L + 1)]])
        self.bar_plot.getPlotItem().setXRange(0.4, L + 0.6, padding=0)
        self.table.setRowCount(L)
        for l, act in enumerate(activations, start=1):
            name = QTableWidgetItem(f"L{l}")
            name.setData(Qt.ItemDataRole.DecorationRole, QColor(layer_color(l)))  # the curve's colour
            self.table.setItem(l - 1, 0, name)
            self.table.setItem(l - 1, 1, QTableWidgetItem(act))
            for c in range(2, len(COLUMNS)):
                self.table.setItem(l - 1, c, QTableWidgetItem(NONE))
                self.table.item(l - 1, c).setTextAlignment(Qt.AlignmentFlag.AlignRight
                                                           | Qt.AlignmentFlag.AlignVCenter)
            if l == L:
                name.setToolTip("the output layer")
                self.table.item(l - 1, 4).setToolTip(OUTPUT_SATURATION)
        self._fit_table()
        self.clear()

    def set_kept(self, runs: list, current_label: str | None = None) -> None:
        """Kept runs to draw beside the live one: (KeptRun, label) pairs, named in their
        legend below the live run's `current_label` ("this run (lr 8)")."""
        self._kept_runs = list(runs)
        self._current_label = current_label or "this run"
        self._update_curves()

    def set_history(self, history) -> None:
        """The recorded rows: a core History, read for its `epoch` and the shown measure
        only (each is computed over every row), kept by reference until the next call."""
        self._history = history
        self._update_curves()

    def set_current(self, grad_rms: np.ndarray, grad_l2: np.ndarray, health: UnitHealth | None,
                    diagnosis: GradientDiagnosis) -> None:
        """The latest gradient sizes per layer, the unit health (None: keep the shown one)
        and the diagnosis."""
        self._now_rms, self._now_l2 = np.asarray(grad_rms, float), np.asarray(grad_l2, float)
        if health is not None:
            self._health = health
        self._update_bars()
        self.show_diagnosis(diagnosis)  # and the table's numbers

    def show_diagnosis(self, diagnosis: GradientDiagnosis) -> None:
        """The sentence, with the kind in bold on its colour. Only what changed is set: a
        style sheet re-polishes and re-lays out the whole panel, too dear for every frame."""
        head, sep, rest = (html.escape(part, quote=False) for part in diagnosis.message.partition(": "))
        self._pending_text = f"<b>{head}:</b> {rest}" if sep else head
        # a new kind shows at once; new numbers in the same sentence or the table at most
        # 4 times a second: numbers that change on every frame cannot be read, and each
        # change of a wrapped label re-lays out the panel and the docks around it
        self._show_numbers(now=diagnosis.kind != self.diagnosis_kind)
        if diagnosis.kind != self.diagnosis_kind or not self.diagnosis_label.styleSheet():
            bar, background = KIND_COLORS.get(diagnosis.kind, KIND_COLORS["none"])
            self.diagnosis_label.setToolTip(f"diagnosis: {diagnosis.kind}")
            self.diagnosis_label.setStyleSheet(
                f"QLabel {{ border-left: 5px solid {bar}; background: {background}; color: #202020; "
                "padding: 3px 6px; }")
            self.diagnosis_kind = diagnosis.kind

    def _show_pending_numbers(self) -> None:
        if self._pending_text != self.diagnosis_label.text():
            self.diagnosis_label.setText(self._pending_text)
        rows = self.table.rowCount()
        for l in range(min(len(self._now_rms), rows)):
            self.table.item(l, 2).setText(_short(self._now_rms[l]))
            self.table.item(l, 3).setText(_short(self._now_l2[l]))
        if self._health is not None:
            for c, shares in ((4, self._health.saturated), (5, self._health.dead)):
                for l, share in enumerate(shares[:rows]):
                    self.table.item(l, c).setText(NONE if share is None else f"{share:.0%}")

    def clear(self) -> None:
        """No run yet: empty curves and bars, dashes in the table."""
        L = len(self._activations)
        self._history = None
        self._now_rms = self._now_l2 = np.zeros(0)
        self._health = None
        for curve in self.curves:
            curve.clear_rows()
        for l in range(self.table.rowCount()):
            for c in range(2, len(COLUMNS)):
                self.table.item(l, c).setText(NONE)
        self._update_bars()
        for plot, x_range in ((self.plot, (0, 10)), (self.bar_plot, (0.4, L + 0.6))):
            plot.getPlotItem().setRange(xRange=x_range, yRange=(-6, 0), padding=0)
        self._envelope.reset()
        self.view.restart_run()
        self.view.follow(None, None)
        self.plot.getPlotItem().enableAutoRange()  # the first data sets the range again
        self.show_diagnosis(GradientDiagnosis("none", "No gradients yet: press Train to see them.",
                                              float("nan")))

    def plot_items(self) -> dict[str, pg.PlotItem]:
        return {"gradients": self.plot.getPlotItem(), "gradient bars": self.bar_plot.getPlotItem()}

    # -- drawing -------------------------------------------------------------------------

    def _showing_rms(self) -> bool:
        return self.measure.currentText() == "RMS"

    def _measure_changed(self, name: str) -> None:
        self.view.restart_run()
        self.plot.getPlotItem().setLabel("left", f"{MEASURES[name]} (log)")
        self.bar_plot.getPlotItem().setLabel("left", f"{name} now")
        self._update_curves()
        self._update_bars()
        self.sigMeasureChanged.emit(name)

    def _draw_kept(self, zoomed) -> None:
        measure = "rms" if self._showing_rms() else "l2"

        def lines(run) -> list[KeptLine]:
            dash = run_dash(run)
            return [KeptLine(faint_pen(layer_color(l), dash),
                             lambda h, l=l: h.grad_measure(h.grad_sq, measure)[:, l - 1])
                    for l in range(1, len(run.activations) + 1)]

        self.kept.show(self._kept_runs, lines, lambda run: faint_pen("#505050", run_dash(run)),
                       True, zoomed, key=measure, first=(pg.mkPen("#505050", width=1), self._current_label))

    def _update_curves(self) -> None:
        h = self._history
        zoomed = None if self.view.follows_x() else tuple(self.view.viewRange()[0])
        self._draw_kept(zoomed)
        if h is None or len(h) == 0 or h.grad_sq.shape[1] != len(self.curves):
            for curve in self.curves:
                curve.clear_rows()
            self.view.restart_run()
            kept = self.kept.spans(log=True)
            if kept is not None:
                self.view.follow_run(*kept)
            return
        zoomed = None
        if self.view.follows_x():  # the whole run on view: its peak envelope
            epoch, sq = self._envelope.update(h.epoch, h.grad_sq, (h, h.compactions))
        else:  # zoomed in by the user: the curves draw every row in view
            epoch, sq = h.epoch, h.grad_sq
            zoomed = tuple(self.view.viewRange()[0])
        measure = "rms" if self._showing_rms() else "l2"
        data = h.grad_measure(sq, measure)
        for l, curve in enumerate(self.curves):
            curve.show_rows(epoch, data[:, l], zoomed,
                            lambda l=l: (h.epoch, h.grad_measure(h.grad_sq, measure)[:, l]))
        self.view.follow_run(*merge_spans(epoch[0], epoch[-1], finite_span(data, log=True),
                                          self.kept.spans(log=True), log=True))

    def _panned(self) -> None:
        """A zoomed-in view moved: its curves draw the rows now in view."""
        if not self.view.follows_x():
            self._update_curves()

    def _update_bars(self) -> None:
        """Bars from a baseline a decade below the smallest size up to log10(size); a
        size of 0 or inf/NaN gets no bar (the table shows its value)."""
        now = self._now_rms if self._showing_rms() else self._now_l2
        if len(now) == 0:
            self.bars.clear()
            return
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(now)
        shown = np.isfinite(logs)
        low = np.floor(logs[shown].min()) - 1 if shown.any() else -1.0
        high = np.ceil(logs[shown].max()) if shown.any() else 0.0
        heights = np.where(shown, logs - low, 0.0)
        drawn = self.bars
        if (drawn.y0 == low and len(drawn.heights) == len(heights)
                and np.all(np.abs(heights - drawn.heights) < BAR_STEP)):
            return  # no bar would move by a pixel: not redrawn
        self.bars.set_bars(low, heights, [layer_color(l) for l in range(1, len(now) + 1)])
        self.bar_plot.getPlotItem().setYRange(low, max(high, low + 1), padding=0.02)

    def _fit_table(self) -> None:
        """Tall enough for every row up to 8 layers and wide enough for every column: no
        scrollbar in the common case."""
        rows = min(self.table.rowCount(), 8)
        height = (self.table.horizontalHeader().sizeHint().height()
                  + rows * self.table.verticalHeader().defaultSectionSize() + 2)
        self.table.setFixedHeight(height)
        width = sum(self.table.horizontalHeader().sectionSize(c) for c in range(len(COLUMNS))) + 2
        if self.table.rowCount() > rows:
            width += self.table.verticalScrollBar().sizeHint().width()
        self.table.setFixedWidth(width)
        self.right.setFixedWidth(width)

    def _fit_legend(self) -> None:
        """As many legend columns as fit across the plot, and the band above the curves as
        tall as the legend. When "layer 1 (sigmoid)" ... would need more than two rows, the
        entries shrink to "L1" ... (the table beside names each layer's activation)."""
        L = len(self.curves)
        metrics = QFontMetrics(self.legend_font)
        room = self.plot.width() - 60

        def columns(labels: list[str]) -> int:
            entry = max((metrics.horizontalAdvance(t) for t in labels), default=0) + 44
            return max(1, min(L, room // entry))

        labels = [f"layer {l} ({act})" for l, act in enumerate(self._activations, start=1)]
        if L and -(-L // columns(labels)) > 2:
            labels = [f"L{l}" for l in range(1, L + 1)]
        # a band of more than two rows would squash the curves: the legend then floats
        # over the plot's top right corner on a white ground instead
        floating = L > 0 and -(-L // columns(labels)) > 2
        layout = (labels, columns(labels), floating)
        if layout != self._legend_layout:  # rebuilt only when it changes: on a resize or new layers
            self._legend_layout = layout
            self.legend.clear()
            self.legend.setColumnCount(layout[1])
            for curve, text in zip(self.curves, labels):
                self.legend.addItem(curve, text)
            if floating:
                self.legend.anchor((1, 0), (1, 0), offset=(-6, 4))
                self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
            else:
                self.legend.anchor((0, 0), (0, 0), offset=(48, 0))
                self.legend.setBrush(None)
        band = 0 if floating or not L else self.legend.height() + 2
        self.plot.getPlotItem().layout.setRowFixedHeight(0, band)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.Resize:
            self._fit_legend()
        return super().eventFilter(watched, event)
