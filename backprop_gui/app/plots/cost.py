"""The cost curve: training and validation loss (or accuracy, R²) against epoch.

Curves are made once and fed on each frame with the peak envelope of the history (a
10^6-epoch run is at most 131,072 rows, see core/history.py), or with the rows in view
once the user zooms in."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from ..steady_label import SteadyLabel
from ..style import TRAIN_COLOR, VALIDATION_COLOR, CountAxis, lay_out_plot, style_plot
from .decimate import PeakEnvelope
from .history_curve import HistoryCurve
from .kept_curves import KeptCurves, KeptLine, faint_pen, merge_spans, run_color
from .ranges import FollowingViewBox, finite_span

LOSS_LABELS = {"mse": "½-MSE loss", "bce": "cross-entropy loss", "cross_entropy": "cross-entropy loss"}
METRIC_LABELS = {"accuracy": "accuracy", "r2": "R²"}


class CostPlot(QWidget):
    """Loss or metric curves, with a log-scale toggle, a legend, and auto-range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = FollowingViewBox()
        self.plot = pg.PlotWidget(viewBox=self.view, axisItems={"bottom": CountAxis("bottom")})
        item = self.plot.getPlotItem()
        style_plot(self.plot, "epoch", "loss")
        self.legend = item.addLegend(offset=(-10, 10))
        # one pixel wide: Qt strokes a long antialiased curve ~10x faster at width 1 than at 2
        self.train_curve = HistoryCurve(pg.mkPen(TRAIN_COLOR, width=1), "training")
        self.val_curve = HistoryCurve(
            pg.mkPen(VALIDATION_COLOR, width=1, style=pg.QtCore.Qt.PenStyle.DashLine), "validation")
        for curve in (self.train_curve, self.val_curve):
            item.addItem(curve)
        self.kept = KeptCurves(item, self.legend)
        self._kept_runs: list = []  # (KeptRun, label), oldest first
        self.show_what = QComboBox()
        self.show_what.addItems(["Loss", "Accuracy"])
        self.show_what.setToolTip("Plot the loss the network minimises, or how often it is right "
                                  "(R² for regression).")
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip("A logarithmic loss axis shows slow late progress that a linear "
                                  "axis flattens.")
        self.log_scale.setChecked(True)
        self.readout = SteadyLabel("loss 0.0001234 · validation 0.0001234",
                                   align=pg.QtCore.Qt.AlignmentFlag.AlignRight)
        self.readout.setObjectName("readout")
        lay_out_plot(self, [self.show_what, self.log_scale], [self.readout], self.plot)
        self.show_what.currentIndexChanged.connect(self._redraw)
        self.view.sigXRangeChanged.connect(self._panned)
        self.log_scale.toggled.connect(self._apply_log)
        self._loss_label, self._metric_label = "loss", "accuracy"
        self._history = None
        self._axes: tuple[bool, str] | None = None  # (log y, left label) as last set
        self._envelopes = (PeakEnvelope(), PeakEnvelope())  # train, validation
        self._show_validation(False)
        self._apply_log(True)

    def set_names(self, loss_name: str, metric_name: str) -> None:
        """Label the axes for this experiment's loss and metric."""
        self._loss_label = LOSS_LABELS.get(loss_name, "loss")
        self._metric_label = METRIC_LABELS.get(metric_name, metric_name)
        self.show_what.setItemText(1, self._metric_label.capitalize() if metric_name != "r2" else "R²")
        self._redraw()

    def set_history(self, history) -> None:
        """Show the history's rows (a core History; read, never kept past the next call)."""
        self._history = history
        self._redraw()

    def set_kept(self, runs: list, current_label: str | None = None) -> None:
        """Kept runs to draw beside the live one: (KeptRun, label) pairs; the live run's
        training curve is then named `current_label` ("this run (lr 8)")."""
        self._kept_runs = list(runs)
        self.legend.getLabel(self.train_curve).setText(current_label if runs and current_label
                                                      else "training")
        self._redraw()

    def clear(self) -> None:
        self._history = None
        self._restart_range()
        self.view.follow(None, None)
        self.train_curve.clear_rows()
        self.val_curve.clear_rows()
        self.readout.setText("")

    def plot_items(self) -> dict[str, pg.PlotItem]:
        return {"cost": self.plot.getPlotItem()}

    def curves_csv(self) -> tuple[list[str], list[np.ndarray]]:
        """The columns behind the curves: for a CSV export."""
        h = self._history
        if h is None:
            return [], []
        return (["epoch", "train_loss", "val_loss", "train_metric", "val_metric"],
                [h.epoch, h.train_loss, h.val_loss, h.metric, h.val_metric])

    def _show_validation(self, shown: bool) -> None:
        """The validation curve and its legend entry only when there is a validation set."""
        if shown == self.val_curve.isVisible():
            return
        self.val_curve.setVisible(shown)
        if shown:
            self.legend.addItem(self.val_curve, "validation")
        else:
            self.legend.removeItem(self.val_curve)

    def _showing_loss(self) -> bool:
        return self.show_what.currentIndex() == 0

    def _apply_log(self, on: bool) -> None:
        self._redraw()

    def _restart_range(self) -> None:
        for envelope in self._envelopes:
            envelope.reset()
        self.view.restart_run()

    def _points(self, h, columns: tuple[np.ndarray, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """What to draw of each column: all of it when the user zoomed in (the curves
        keep the rows in view), else its peak envelope (the view shows the whole run: a
        few points a pixel are enough)."""
        if not self.view.follows_x():
            return [(h.epoch, y) for y in columns]
        return [e.update(h.epoch, y, (h, h.compactions)) for e, y in zip(self._envelopes, columns)]

    def _panned(self) -> None:
        """A zoomed-in view moved: its curves draw the rows now in view."""
        if not self.view.follows_x() and self._history is not None:
            self._redraw()

    def _follow(self, points: list[tuple[np.ndarray, np.ndarray]], log: bool) -> None:
        """Let the view follow all the data, in steps (see ranges.py)."""
        spans = [s for s in (finite_span(y, log) for _, y in points) if s is not None]
        values = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        epoch = points[0][0]
        self.view.follow_run(*merge_spans(epoch[0], epoch[-1], values, self.kept.spans(log), log))

    def _draw_kept(self, loss: bool, log: bool, zoomed) -> None:
        """Each kept run's training curve in its colour, its validation curve dashed."""
        def lines(run) -> list[KeptLine]:
            train, val = ((lambda h: h.train_loss), (lambda h: h.val_loss)) if loss else \
                ((lambda h: h.metric), (lambda h: h.val_metric))
            color = run_color(run)
            out = [KeptLine(faint_pen(color), train)]
            if np.isfinite(run.last.val_loss):
                out.append(KeptLine(faint_pen(color, pg.QtCore.Qt.PenStyle.DashLine), val))
            return out

        self.kept.show(self._kept_runs, lines, lambda run: faint_pen(run_color(run)), log, zoomed,
                       key=loss)

    def _redraw(self) -> None:
        h = self._history
        item = self.plot.getPlotItem()
        loss = self._showing_loss()
        self.log_scale.setEnabled(loss)
        log = loss and self.log_scale.isChecked()
        label = self._loss_label if loss else self._metric_label
        if (log, label) != self._axes:  # each re-maps every curve and re-lays out the axis
            self._axes = (log, label)
            item.setLogMode(y=log)
            item.setLabel("left", label)
            self._restart_range()
        zoomed = None if self.view.follows_x() else tuple(self.view.viewRange()[0])
        self._draw_kept(loss, log, zoomed)
        if h is None or len(h) == 0:
            self.train_curve.clear_rows()
            self.val_curve.clear_rows()
            self._show_validation(False)
            kept = self.kept.spans(log)
            if kept is not None:
                self.view.follow_run(*kept)
            return
        def columns():  # read from the history when called: an export reads it later
            return (h.train_loss, h.val_loss) if loss else (h.metric, h.val_metric)

        train, val = columns()
        has_val = bool(np.isfinite(val[-1]))
        points = self._points(h, (train, val))
        self.train_curve.show_rows(*points[0], zoomed, lambda: (h.epoch, columns()[0]))
        if has_val:
            self.val_curve.show_rows(*points[1], zoomed, lambda: (h.epoch, columns()[1]))
        else:
            self.val_curve.clear_rows()
        self._show_validation(has_val)
        self._follow(points if has_val else points[:1], log)
        text = f"{'loss' if loss else self._metric_label} {train[-1]:.4g}"
        if has_val:
            text += f" · validation {val[-1]:.4g}"
        self.readout.setText(text)
