"""Snapshots: what the window draws of a training run, as plain NumPy arrays and numbers.

The thread that trains makes them (at most ~30 a second); the thread that draws only
reads them. A snapshot owns copies of everything it carries, so the trainer can go on
changing its own arrays the moment it is sent.

The expensive parts (the decision-boundary grid, the unit health, the confusion matrices
or R²) are remade only as often as a time budget allows, so that a big network spends
most of its time training."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .boundary import BoundaryCurve, BoundaryGrid, BoundaryImage
from .confusion import Scorer, Scores
from .experiment import Experiment
from .gradient_health import DIAGNOSIS_ROWS, GradientDiagnosis, UnitHealth, diagnose, unit_health
from .history import HistoryRows, Record
from .moment_view import MomentView, view_moment
from .timeline import Timeline
from .trainer import StopReason

#: the share of training time the display's extras (grid, unit health, scores) may take
DISPLAY_BUDGET = 0.10
#: and never more often than this many times a second
MAX_EXTRAS_PER_SECOND = 30


@dataclass(frozen=True)
class Snapshot:
    generation: int  # which experiment this came from: later ones replace earlier
    epoch: int
    batch: int  # mini-batches done in the current epoch
    rows: HistoryRows  # history rows the receiver lacks (start 0: replace all)
    last: Record | None  # the latest epoch, even when the history thinned it out
    weights: list[np.ndarray]  # W_1..W_L, each (fan_in, fan_out)
    biases: list[np.ndarray]
    boundary: BoundaryImage | BoundaryCurve | None  # None: unchanged since the last one
    health: UnitHealth | None  # None: unchanged since the last one
    gradients: list[np.ndarray]  # dW_1..dW_L of the latest step (empty before any)
    grad_rms: np.ndarray  # RMS of each layer's dW at the latest epoch (nan before any)
    grad_l2: np.ndarray  # its L2 norm
    diagnosis: GradientDiagnosis
    stop: StopReason | None
    learning_rate: float
    epochs_per_second: float
    #: confusion matrices (classification) or R² (regression) of the weights above, on the
    #: training and validation data; None: unchanged since the last one
    scores: Scores | None = None
    #: the epochs of the run's timeline (moments to scrub back to); None: unchanged
    timeline: tuple[int, ...] | None = None


class SnapshotMaker:
    """Makes the snapshots of one experiment, each carrying only what is new."""

    def __init__(self, experiment: Experiment, generation: int, axes: tuple[int, int] = (0, 1)):
        self.experiment = experiment
        self.generation = generation
        self.grid = BoundaryGrid.of(experiment, axes)
        self.unit: tuple[int, int] | None = None  # the neuron the boundary plot shows, if any
        self.scorer = Scorer(experiment.trainer)
        self._sent_rows = 0
        self._compactions = 0
        self._health: UnitHealth | None = None
        self._extras_cost = 0.0  # seconds the last grid + health + scores took
        self._extras_at = -np.inf
        self._rate_epoch = experiment.trainer.epoch
        self._rate_time = time.perf_counter()
        self._rate = 0.0
        self.timeline = Timeline()
        self._timeline_sent = -1  # the timeline version the last snapshot carried
        self.note_epoch()

    def note_epoch(self) -> None:
        """After a step: keep the weights in the timeline when a moment is due (cheap to
        ask; a copy of the parameters when it is)."""
        trainer = self.experiment.trainer
        if trainer.batch == 0 and self.timeline.due(trainer.epoch):
            last = trainer.history.last
            self.timeline.record(trainer.epoch, trainer.network.params, last)

    def view_moment(self, epoch: int) -> MomentView | None:
        """The recorded moment at or before `epoch`, with its decision boundary."""
        moment = self.timeline.at(epoch)
        if moment is None:
            return None
        return view_moment(moment, self.experiment.trainer, self.grid, self.scorer, self.unit)

    def set_unit(self, unit: tuple[int, int] | None) -> None:
        """Show one neuron's activation on the boundary plot instead of the output (None:
        the output again); the next snapshot carries it."""
        sizes = self.experiment.network.sizes
        exists = unit is not None and 1 <= unit[0] < len(sizes) and 0 <= unit[1] < sizes[unit[0]]
        self.unit = unit if exists else None
        self._extras_at = -np.inf

    def set_axes(self, axes: tuple[int, int]) -> None:
        """Show two other features on the boundary plot (with more than two)."""
        e = self.experiment
        self.grid = BoundaryGrid.of(e, axes)
        self._extras_at = -np.inf

    def resend_history(self) -> None:
        """The receiver lost its rows (or never had them): the next snapshot sends all
        (and the timeline's epochs)."""
        self._sent_rows = 0
        self._timeline_sent = -1

    def make(self, force_extras: bool = False) -> Snapshot:
        """A snapshot of the trainer now; the grid, unit health and scores are remade
        when `force_extras` or when the time budget allows."""
        trainer = self.experiment.trainer
        network = trainer.network
        history = trainer.history
        if history.compactions != self._compactions:  # rows were thinned: resend all
            self._compactions = history.compactions
            self._sent_rows = 0
        rows = history.rows_since(self._sent_rows)
        self._sent_rows = history.count
        now = time.perf_counter()
        boundary = health = scores = None
        wait = max(1.0 / MAX_EXTRAS_PER_SECOND, self._extras_cost / DISPLAY_BUDGET)
        if force_extras or now - self._extras_at >= wait:
            boundary = self.grid.evaluate(network, self.unit)
            self._health = health = unit_health(network, trainer.X)
            scores = self.scorer.score()
            self._extras_at = time.perf_counter()
            self._extras_cost = self._extras_at - now
        grad_rms, grad_l2 = self._current_gradients()
        return Snapshot(
            generation=self.generation,
            epoch=trainer.epoch,
            batch=trainer.batch,
            rows=rows,
            last=history.last,
            weights=[W.copy() for W in network.W[1:]],
            biases=[b.copy() for b in network.b[1:]],
            boundary=boundary,
            health=health,
            gradients=self._latest_gradients(),
            grad_rms=grad_rms,
            grad_l2=grad_l2,
            diagnosis=self._diagnosis(),
            stop=trainer.stop_reason,
            learning_rate=trainer.optimizer.lr,
            epochs_per_second=self._epochs_per_second(now),
            scores=scores,
            timeline=self._timeline_epochs(),
        )

    def _timeline_epochs(self) -> tuple[int, ...] | None:
        if self.timeline.version == self._timeline_sent:
            return None
        self._timeline_sent = self.timeline.version
        return tuple(self.timeline.epochs)

    def _diagnosis(self) -> GradientDiagnosis:
        trainer = self.experiment.trainer
        history = trainer.history
        health = self._health
        recent = history.grad_measure(history.grad_sq[-DIAGNOSIS_ROWS:], "rms")  # not every row's
        return diagnose(recent,
                        health.saturated if health else None, health.dead if health else None,
                        activations=trainer.network.activation_names,
                        epoch=history.epoch[-DIAGNOSIS_ROWS:],
                        loss=(history.train_loss[0], history.last.train_loss) if len(history) else None)

    def _latest_gradients(self) -> list[np.ndarray]:
        """dW of each layer at the latest step, as copies (the trainer reuses its buffers)."""
        trainer = self.experiment.trainer
        p = trainer.last_pass
        if p is None or p.dW[1].shape != trainer.network.W[1].shape:
            return []
        return [dW.copy() for dW in p.dW[1:]]

    def _current_gradients(self) -> tuple[np.ndarray, np.ndarray]:
        """RMS and L2 norm of each layer's dW at the latest epoch (which a thinned
        history may not have kept as a row)."""
        last = self.experiment.trainer.history.last
        sizes = self.experiment.network.sizes
        if last is None:
            return np.full(len(sizes) - 1, np.nan), np.full(len(sizes) - 1, np.nan)
        sq = np.asarray(last.grad_sq, float)
        weights = np.array([i * o for i, o in zip(sizes[:-1], sizes[1:])], float)
        return np.sqrt(sq / weights), np.sqrt(sq)

    def _epochs_per_second(self, now: float) -> float:
        """Epochs a second, averaged over at least half a second so it reads steadily."""
        epoch = self.experiment.trainer.epoch
        elapsed = now - self._rate_time
        if epoch < self._rate_epoch:  # not expected, but never a negative speed
            self._rate_epoch = epoch
        if elapsed >= 0.5:
            self._rate = (epoch - self._rate_epoch) / elapsed
            self._rate_epoch, self._rate_time = epoch, now
        return self._rate

    def pause_rate(self) -> None:
        """Training stopped: the speed is 0 until it runs again."""
        self._rate = 0.0
        self._rate_epoch = self.experiment.trainer.epoch
        self._rate_time = time.perf_counter()
