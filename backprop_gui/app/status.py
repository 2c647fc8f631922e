"""The status bar: what training is doing now, in numbers (epoch, loss, accuracy or R²,
speed), always in the same place; or, while the timeline looks back, that moment's."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QStatusBar, QWidget

from ..core.experiment import Experiment
from ..core.history import Record
from ..core.moment_view import MomentView
from ..core.snapshot import Snapshot
from .steady_label import SteadyLabel


def _fixed(text: str, tip: str, widest: str) -> SteadyLabel:
    """A label as wide as `widest` whatever it shows: the bar never re-lays out per frame."""
    label = SteadyLabel(widest, text)
    label.setToolTip(tip)
    label.setContentsMargins(8, 0, 8, 0)
    return label


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_label = _fixed("Ready", "What training is doing.", "Ready: press Train (Space)")
        self.epoch_label = _fixed("epoch 0", "Epochs trained so far (passes over the training set).",
                                  "epoch 10,000,000, batch 1,000")
        self.loss_label = _fixed("loss —", "The training loss of the latest epoch (validation in brackets).",
                                 "loss 0.0001234 (0.0001234)")
        self.metric_label = _fixed("accuracy —", "Share of training samples classified right (R² for "
                                   "regression); validation in brackets.", "accuracy 100.0% (100.0%)")
        self.speed_label = _fixed("0 epochs/s", "Training speed, averaged over the last half second.",
                                  "100,000 epochs/s")
        self.addWidget(self.state_label, 1)
        for label in (self.epoch_label, self.loss_label, self.metric_label, self.speed_label):
            self.addPermanentWidget(label)
        self._metric_name = "accuracy"

    def set_experiment(self, experiment: Experiment) -> None:
        self._metric_name = "R²" if experiment.trainer.task == "regression" else "accuracy"
        self.state_label.setText("Ready: press Train (Space)")
        self.epoch_label.setText("epoch 0")
        self.loss_label.setText("loss —")
        self.metric_label.setText(f"{self._metric_name} —")
        self.speed_label.setText("0 epochs/s")

    def show_snapshot(self, snapshot: Snapshot, running: bool) -> None:
        if running:
            state = "Training"
        elif snapshot.stop is not None:
            state = {"diverged": "Diverged", "early_stopping": "Stopped early"}.get(
                snapshot.stop.kind, "Finished")
        else:
            state = "Paused" if snapshot.epoch or snapshot.batch else "Ready: press Train (Space)"
        self.state_label.setText(state)
        batch = f", batch {snapshot.batch}" if snapshot.batch else ""
        self.epoch_label.setText(f"epoch {snapshot.epoch:,}{batch}")
        if snapshot.last is not None:
            self._show_record(snapshot.last)
        rate = snapshot.epochs_per_second if running else 0.0
        self.speed_label.setText(f"{rate:,.0f} epochs/s")

    def show_moment(self, view: MomentView) -> None:
        """A past moment on the timeline: its epoch, losses and scores, as the rest of the
        window shows its weights (the next snapshot brings the present back)."""
        self.state_label.setText("Looking back")
        self.epoch_label.setText(f"epoch {view.epoch:,}")
        if view.record is not None:
            self._show_record(view.record)
        else:  # epoch 0: nothing trained yet
            self.loss_label.setText("loss —")
            self.metric_label.setText(f"{self._metric_name} —")
        self.speed_label.setText("0 epochs/s")

    def _show_record(self, record: Record) -> None:
        self.loss_label.setText("loss " + _pair(record.train_loss, record.val_loss, "{:.4g}"))
        form = "{:.1%}" if self._metric_name == "accuracy" else "{:.3g}"
        self.metric_label.setText(f"{self._metric_name} " + _pair(record.metric, record.val_metric, form))


def _pair(train: float, val: float, form: str) -> str:
    text = form.format(train)
    if not math.isnan(val):
        text += f" ({form.format(val)})"
    return text
