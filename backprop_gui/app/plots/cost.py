"""The cost curve: training and validation loss (or accuracy, R²) against epoch.

Curves are made once and fed with setData; peak downsampling and clip-to-view keep a
history of 10^6 epochs (thinned to at most 131,072 rows by the core History) smooth."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from ..style import TRAIN_COLOR, VALIDATION_COLOR, lay_out_plot, style_plot

LOSS_LABELS = {"mse": "½-MSE loss", "bce": "cross-entropy loss", "cross_entropy": "cross-entropy loss"}
METRIC_LABELS = {"accuracy": "accuracy", "r2": "R²"}


class CostPlot(QWidget):
    """Loss or metric curves, with a log-scale toggle, a legend, and auto-range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        style_plot(self.plot, "epoch", "loss")
        self.legend = item.addLegend(offset=(-10, 10))
        self.train_curve = item.plot(name="training", pen=pg.mkPen(TRAIN_COLOR, width=2))
        self.val_curve = item.plot(
            name="validation", pen=pg.mkPen(VALIDATION_COLOR, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        for curve in (self.train_curve, self.val_curve):
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
        self.show_what = QComboBox()
        self.show_what.addItems(["Loss", "Accuracy"])
        self.show_what.setToolTip("Plot the loss the network minimises, or how often it is right "
                                  "(R² for regression).")
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip("A logarithmic loss axis shows slow late progress that a linear "
                                  "axis flattens.")
        self.log_scale.setChecked(True)
        self.readout = QLabel()
        self.readout.setObjectName("readout")
        lay_out_plot(self, [self.show_what, self.log_scale], [self.readout], self.plot)
        self.show_what.currentIndexChanged.connect(self._redraw)
        self.log_scale.toggled.connect(self._apply_log)
        self._loss_label, self._metric_label = "loss", "accuracy"
        self._history = None
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

    def clear(self) -> None:
        self._history = None
        self.train_curve.setData([], [])
        self.val_curve.setData([], [])
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
        self.plot.getPlotItem().setLogMode(y=on and self._showing_loss())
        self._redraw()

    def _redraw(self) -> None:
        h = self._history
        item = self.plot.getPlotItem()
        loss = self._showing_loss()
        self.log_scale.setEnabled(loss)
        item.setLogMode(y=loss and self.log_scale.isChecked())
        item.setLabel("left", self._loss_label if loss else self._metric_label)
        if h is None or len(h) == 0:
            self.train_curve.setData([], [])
            self.val_curve.setData([], [])
            return
        train, val = (h.train_loss, h.val_loss) if loss else (h.metric, h.val_metric)
        epoch = h.epoch
        self.train_curve.setData(epoch, train)
        has_val = bool(np.isfinite(val[-1]))
        self.val_curve.setData(epoch if has_val else [], val if has_val else [])
        self._show_validation(has_val)
        text = f"{'loss' if loss else self._metric_label} {train[-1]:.4g}"
        if has_val:
            text += f" · validation {val[-1]:.4g}"
        self.readout.setText(text)
