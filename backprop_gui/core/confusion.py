"""How well the network's current weights do on the training and the validation data:
for classification the confusion matrix (rows: the true class, columns: the class the
network predicts), for regression R².

Both follow the Trainer to the letter, so that they agree with the accuracy and R² it
records for the same weights: a sample is predicted as class 1 when ŷ > 0.5 (binary) or
as its largest output (multi-class), and R² = 1 − SS_res / SS_tot with the Trainer's
SS_tot. The outputs come from the Trainer's own forward pass (Network.run_forward, in the
network's dtype) on buffers made once, in chunks of rows so that memory stays small."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network, Pass
from .trainer import Trainer

#: rows forwarded at once: a 2-64-64-64-1 pass of this many rows holds ~6 MB
CHUNK_ROWS = 1024


@dataclass(frozen=True)
class ConfusionMatrix:
    """counts[i, j]: the samples of true class i that the network puts in class j."""

    counts: np.ndarray  # (K, K) int64

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def correct(self) -> int:
        return int(np.trace(self.counts))

    @property
    def accuracy(self) -> float:
        """The diagonal's share: the accuracy of the same predictions (nan with no samples)."""
        total = self.total
        return self.correct / total if total else float("nan")

    def row_shares(self) -> np.ndarray:
        """Each count as a share of its row (its true class): what a row's cells shade
        by, so that a small class's mistakes show as clearly as a big one's."""
        rows = self.counts.sum(axis=1, keepdims=True)
        return np.divide(self.counts, rows, out=np.zeros(self.counts.shape), where=rows > 0)


@dataclass(frozen=True)
class Confusion:
    """The confusion matrices of one set of weights."""

    train: ConfusionMatrix
    validation: ConfusionMatrix | None  # None without a validation set


@dataclass(frozen=True)
class RSquared:
    """R² of one set of weights: 1 is a perfect fit, 0 no better than always predicting
    the mean of the targets, below 0 worse than that."""

    train: float
    validation: float | None  # None without a validation set


Scores = Confusion | RSquared


def predicted_classes(y_hat: np.ndarray, task: str) -> np.ndarray:
    """The class each row of outputs predicts: ŷ > 0.5 for binary (a NaN output is not
    > 0.5), the largest output for multi-class; as Trainer._correct counts them."""
    if task == "binary":
        return np.greater(y_hat[:, 0], 0.5).astype(np.intp)
    if task == "multiclass":
        return y_hat.argmax(axis=1)
    raise ValueError(f"a {task} task has no classes")


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> ConfusionMatrix:
    """Count each (true, predicted) pair: row true class, column predicted class."""
    K = n_classes
    pairs = np.asarray(true, np.intp) * K + np.asarray(predicted, np.intp)
    return ConfusionMatrix(np.bincount(pairs, minlength=K * K).reshape(K, K).astype(np.int64))


def total_sum_of_squares(Y: np.ndarray) -> float:
    """SS_tot = Σ (y − ȳ)² over every output, or 1 for a constant target, as the
    Trainer takes it (R² is then 1 − SS_res)."""
    return float(((Y - Y.mean(axis=0)) ** 2).sum()) or 1.0


def r_squared(y_hat: np.ndarray, Y: np.ndarray) -> float:
    """R² = 1 − SS_res / SS_tot, where SS_res = Σ (ŷ − y)²."""
    residual = np.asarray(y_hat - Y).ravel()
    return 1.0 - float(residual.dot(residual)) / total_sum_of_squares(Y)


class Scorer:
    """Scores the network of one Trainer on that Trainer's training and validation data
    (its arrays, never copies), reusing its forward buffers from one call to the next."""

    def __init__(self, trainer: Trainer, chunk_rows: int = CHUNK_ROWS):
        self.network: Network = trainer.network
        self.task = trainer.task
        self.chunk_rows = chunk_rows
        self.n_classes = 2 if self.task == "binary" else self.network.sizes[-1]
        self._train = (trainer.X, trainer.labels, trainer.Y)
        self._validation = None
        if trainer.validation is not None:
            self._validation = (trainer.X_val, trainer.validation.y, trainer.Y_val)
        self._passes: dict[int, Pass] = {}
        self._outputs: dict[int, np.ndarray] = {}  # ŷ, one buffer per data set size

    def score(self, network: Network | None = None) -> Scores:
        """The confusion matrices (classification) or R² (regression) of the weights now,
        or of `network` (the same architecture: a past moment's weights)."""
        net = network or self.network
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            train = self._score(net, *self._train)
            validation = self._score(net, *self._validation) if self._validation else None
        if self.task == "regression":
            return RSquared(train, validation)
        return Confusion(train, validation)

    def _score(self, net: Network, X: np.ndarray, labels: np.ndarray, Y: np.ndarray
               ) -> ConfusionMatrix | float:
        y_hat = self.outputs(X, net)
        if self.task == "regression":
            return r_squared(y_hat, Y)
        return confusion_matrix(labels, predicted_classes(y_hat, self.task), self.n_classes)

    def outputs(self, X: np.ndarray, network: Network | None = None) -> np.ndarray:
        """ŷ = a_L for every row of X, chunk by chunk (by `network`, else the trainer's);
        the array is reused by the next call on as many rows."""
        net, n = network or self.network, len(X)
        if n not in self._outputs:
            self._outputs[n] = np.empty((n, net.sizes[-1]), net.dtype)
        y_hat = self._outputs[n]
        for start in range(0, n, self.chunk_rows):
            stop = min(n, start + self.chunk_rows)
            p = self._pass(stop - start)
            p.a[0][...] = X[start:stop]
            net.run_forward(p)
            y_hat[start:stop] = p.a[net.L]
        return y_hat

    def _pass(self, rows: int) -> Pass:
        if rows not in self._passes:
            self._passes[rows] = self.network.new_pass(rows)
        return self._passes[rows]
