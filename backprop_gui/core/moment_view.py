"""What the window shows of a past moment of the run: that moment's weights, its
gradient sizes, losses and scores as the history has them, and the decision boundary of
those weights (evaluated here, in the training thread, on a scratch network: the
trainer's own is not touched)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .boundary import BoundaryCurve, BoundaryGrid, BoundaryImage
from .confusion import Scorer, Scores
from .gradient_health import DIAGNOSIS_ROWS, GradientDiagnosis, UnitHealth, diagnose, unit_health
from .history import Record
from .network import Network
from .timeline import Moment
from .trainer import Trainer


@dataclass(frozen=True)
class MomentView:
    epoch: int
    params: np.ndarray  # flat, as the Network stores them (for a rewind)
    weights: list[np.ndarray]  # W_1..W_L
    biases: list[np.ndarray]
    grad_rms: np.ndarray  # per layer, that epoch
    grad_l2: np.ndarray
    boundary: BoundaryImage | BoundaryCurve
    health: UnitHealth  # of those weights, on the training data
    diagnosis: GradientDiagnosis  # of the history up to that epoch
    scores: Scores  # confusion matrices or R² of those weights
    record: Record | None  # the history's record of that epoch (None: epoch 0)


def view_moment(moment: Moment, trainer: Trainer, grid: BoundaryGrid, scorer: Scorer,
                unit: tuple[int, int] | None = None) -> MomentView:
    """The moment on a copy of the trainer's network (read, never changed)."""
    network, history = trainer.network, trainer.history
    past = Network(network.sizes, network.activation_names, network.dtype)
    past.params[...] = moment.params
    sq = np.asarray(moment.grad_sq, float)
    fans = np.array([i * o for i, o in zip(network.sizes[:-1], network.sizes[1:])], float)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        boundary = grid.evaluate(past, unit)
        health = unit_health(past, trainer.X)
    scores = scorer.score(past)
    rows = int(np.searchsorted(history.epoch, moment.epoch, side="right"))
    recent = slice(max(0, rows - DIAGNOSIS_ROWS), rows)
    diagnosis = diagnose(history.grad_measure(history.grad_sq[recent], "rms"),
                         health.saturated, health.dead, activations=network.activation_names,
                         epoch=history.epoch[recent],
                         loss=(history.train_loss[0], history.train_loss[rows - 1]) if rows else None)
    return MomentView(moment.epoch, moment.params,
                      [W.copy() for W in past.W[1:]], [b.copy() for b in past.b[1:]],
                      np.sqrt(sq / fans) if sq.size else np.full(len(fans), np.nan),
                      np.sqrt(sq) if sq.size else np.full(len(fans), np.nan), boundary,
                      health, diagnosis, scores, moment.record)
