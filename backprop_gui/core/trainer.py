"""The Trainer: epochs of batches of backpropagation steps, the history they leave, and
why training stopped (epoch limit, early stopping, or divergence).

A step is: forward, loss, backward, penalties, a check that nothing overflowed, update.
If the loss or any gradient is NaN or infinite, the update is not applied: the weights
stay the last finite ones, and the stop reason says where it overflowed."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass

import numpy as np

from .data import Dataset
from .history import History
from .losses import Loss
from .network import Network, Pass
from .optim import Optimizer


@dataclass(frozen=True)
class StopReason:
    kind: str  # "epochs", "early_stopping" or "diverged"
    message: str


class Trainer:
    def __init__(
        self,
        network: Network,
        loss: Loss,
        optimizer: Optimizer,
        train: Dataset,
        validation: Dataset | None = None,
        *,
        batch_size: int = 0,
        max_epochs: int = 1000,
        seed: int = 0,
        patience: int = 0,
        l1: float = 0.0,
        l2: float = 0.0,
        history_capacity: int | None = None,
    ):
        self.network, self.loss, self.optimizer = network, loss, optimizer
        self.task = train.task
        dtype = network.dtype
        self.X = np.ascontiguousarray(train.X, dtype)
        self.Y = np.asfortranarray(train.targets(dtype))  # laid out like the network's ŷ
        self.labels = train.y
        self._Y_positive = self.Y > 0.5
        self.validation = validation
        if validation is not None:
            self.X_val = np.ascontiguousarray(validation.X, dtype)
            self.Y_val = validation.targets(dtype)
        n = len(self.X)
        self.batch_size = n if batch_size <= 0 or batch_size >= n else batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.set_penalties(l1, l2)
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        #: mini-batches done in the current epoch (run_batch steps through an epoch)
        self.batch = 0
        self.batches_per_epoch = -(-n // self.batch_size)
        self._order: np.ndarray | None = None  # the current epoch's shuffle of the rows
        self.stop_reason: StopReason | None = None
        L = network.L
        weights_per_layer = [i * o for i, o in zip(network.sizes[:-1], network.sizes[1:])]
        metric_name = "r2" if self.task == "regression" else "accuracy"
        self.history = (
            History(L, weights_per_layer, metric_name, history_capacity)
            if history_capacity
            else History(L, weights_per_layer, metric_name)
        )
        self._passes: dict[int, Pass] = {}
        #: the pass of the latest gradient step (None before the first): its dW, db
        self.last_pass: Pass | None = None
        self._scratch = np.zeros_like(network.params)
        # R² = 1 − SS_res/SS_tot, where SS_res = 2·n·L for the ½-MSE loss
        self._ss_tot = float(((self.Y - self.Y.mean(axis=0)) ** 2).sum()) or 1.0
        self._ss_tot_val = (
            float(((self.Y_val - self.Y_val.mean(axis=0)) ** 2).sum()) or 1.0
            if validation is not None else 1.0
        )
        self.best_val_loss = math.inf
        self.best_epoch = 0
        self._best_params: np.ndarray | None = None
        self._full = self._pass(n)
        self._full.a[0][...] = self.X

    @property
    def done(self) -> bool:
        return self.stop_reason is not None

    def _pass(self, n: int) -> Pass:
        if n not in self._passes:
            self._passes[n] = self.network.new_pass(n)
        return self._passes[n]

    # -- running ----------------------------------------------------------------------

    def train(self, epochs: int | None = None, seconds: float | None = None) -> int:
        """Run epochs until `epochs` more have run, `seconds` have passed, or training
        stops (see stop_reason). Returns how many epochs ran."""
        start_epoch, deadline = self.epoch, None
        if seconds is not None:
            deadline = time.perf_counter() + seconds
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            while not self.done:
                if epochs is not None and self.epoch - start_epoch >= epochs:
                    break
                self.run_epoch()
                if deadline is not None and time.perf_counter() >= deadline:
                    break
        return self.epoch - start_epoch

    def run_epoch(self) -> None:
        """One pass over the training set (or the rest of it, after run_batch), then
        validation, history and stop checks."""
        if self.done:
            return
        n = len(self.X)
        if self.batch_size == n:  # full batch: one step, no shuffling, buffers loaded once
            p = self._full
            loss_sum, grad_sq = self.step(p, self.Y)
            if self.done:
                return
            self._end_epoch(loss_sum * n,
                            self._correct(p.a[self.network.L], self._Y_positive, self.labels), grad_sq)
            return
        while not self.run_batch() and not self.done:
            pass

    def run_batch(self) -> bool:
        """One gradient step on the next mini-batch of the epoch; True when that step
        completed the epoch (with full batch, every step does)."""
        if self.done:
            return False
        if self.batch_size == len(self.X):
            self.run_epoch()
            return not self.done
        if self._order is None:  # a new epoch: a new shuffle
            self._order = self.rng.permutation(len(self.X))
            self._loss_sum, self._correct_sum = 0.0, 0
            self._grad_sq_sum = np.zeros(self.network.L)
        rows = self.next_batch_rows()
        p = self._pass(len(rows))
        p.a[0][...] = self.X[rows]
        Y, labels = self.Y[rows], self.labels[rows]
        loss, sq = self.step(p, Y)
        if self.done:
            return False
        self._loss_sum += loss * p.n
        self._correct_sum += self._correct(p.a[self.network.L], Y, labels)
        self._grad_sq_sum += sq
        self.batch += 1
        if self.batch < self.batches_per_epoch:
            return False
        self._order = None
        self._end_epoch(self._loss_sum, self._correct_sum,
                        (self._grad_sq_sum / self.batches_per_epoch).tolist())
        return True

    def _end_epoch(self, loss_sum: float, correct: float, grad_sq: list[float]) -> None:
        n = len(self.X)
        self.epoch += 1
        self.batch = 0
        train_loss = loss_sum / n
        if self.task == "regression":
            metric = 1.0 - 2.0 * loss_sum / self._ss_tot
        else:
            metric = correct / n
        val_loss = val_metric = math.nan
        if self.validation is not None:
            val_loss, val_metric = self._evaluate(self.X_val, self.Y_val, self.validation.y,
                                                  self._ss_tot_val)
        self.history.append(self.epoch, train_loss, val_loss, metric, val_metric, grad_sq)
        if self.validation is not None and self.patience > 0:
            self._early_stopping(val_loss)
        if not self.done and self.epoch >= self.max_epochs:
            self.stop_reason = StopReason("epochs", f"reached the limit of {self.max_epochs:,} epochs")

    def set_penalties(self, l1: float, l2: float) -> None:
        """L1 and L2 rates; they apply from the next step."""
        self.l1, self.l2 = l1, l2
        self._penalised = bool(l1 or l2)

    def resume(self) -> bool:
        """Clear a stop that no longer holds, so training can go on: a divergence (to
        retry, say with a lower learning rate, from the last finite weights) or an
        epoch limit that has since been raised. Returns whether training can go on."""
        reason = self.stop_reason
        if reason is not None and (reason.kind == "diverged"
                                   or (reason.kind == "epochs" and self.epoch < self.max_epochs)):
            self.stop_reason = None
        return not self.done

    def rewind(self, epoch: int, params: np.ndarray) -> None:
        """Go back to the end of `epoch` with these weights (recorded then): the history
        after it is forgotten, the stop cleared, and the optimiser and early stopping
        start afresh (their memory of the later epochs is gone with them)."""
        if not 0 <= epoch <= self.epoch:
            raise ValueError(f"epoch {epoch} is not in this run (0..{self.epoch})")
        self.network.params[...] = params
        self.epoch, self.batch, self._order = epoch, 0, None
        self.history.truncate(epoch)
        self.optimizer.forget()
        self.stop_reason = None
        self.best_val_loss, self.best_epoch, self._best_params = math.inf, epoch, None
        self.last_pass = None

    def next_batch_rows(self) -> np.ndarray:
        """The rows of X the next step trains on, without disturbing anything: at the
        start of an epoch, the shuffle a copy of the random generator would draw."""
        n, B = len(self.X), self.batch_size
        if self.batch_size == n:
            return np.arange(n)
        order = self._order if self._order is not None else copy.deepcopy(self.rng).permutation(n)
        return order[self.batch * B:(self.batch + 1) * B]

    def step(self, p: Pass, Y: np.ndarray) -> tuple[float, list[float]]:
        """One gradient step on the batch in p: returns the loss before the step and
        Σ dW_l² per layer. Stops training instead if anything overflowed."""
        net = self.network
        net.run_forward(p)
        loss = net.backward(p, Y, self.loss)
        self.last_pass = p  # its dW: the gradient of the latest step, for display
        if self._penalised:
            self.add_penalties(p.grads)
        sq = net.gradient_sq_norms(p.grads, self._scratch)
        if not math.isfinite(loss + sum(sq)):
            self._diverged(loss, sq)
        else:
            self.optimizer.update(net.params, p.grads)
        return loss, sq

    def add_penalties(self, grads: np.ndarray) -> None:
        """L2 adds λ₂·W to dW (from ½λ₂‖W‖²); L1 adds λ₁·sign(W) (from λ₁‖W‖₁). Biases
        are not penalised."""
        params, mask, scratch = self.network.params, self.network.weight_mask, self._scratch
        if self.l2:
            np.multiply(params, self.l2, out=scratch)
            scratch *= mask
            grads += scratch
        if self.l1:
            np.sign(params, out=scratch)
            scratch *= self.l1
            scratch *= mask
            grads += scratch

    def _correct(self, y_hat: np.ndarray, Y: np.ndarray, labels: np.ndarray) -> int:
        """How many samples are classified right (ŷ > 0.5, or the largest output)."""
        if self.task == "binary":  # Y may be given as its 0/1 targets or as Y > 0.5
            return np.count_nonzero(np.greater(y_hat, 0.5) == (Y if Y.dtype == bool else Y > 0.5))
        if self.task == "multiclass":
            return int(np.count_nonzero(y_hat.argmax(axis=1) == labels))
        return 0

    def _evaluate(self, X, Y, labels, ss_tot) -> tuple[float, float]:
        """Loss and metric of the current weights on (X, Y), without training."""
        net = self.network
        p = self._pass_for_eval(len(X))
        p.a[0][...] = X
        net.run_forward(p)
        loss = self.loss.gradient(p.a[net.L], p.z[net.L], Y, out=p.dA[net.L])
        if self.task == "regression":
            return loss, 1.0 - 2.0 * loss * len(X) / ss_tot
        return loss, self._correct(p.a[net.L], Y, labels) / len(X)

    def _pass_for_eval(self, n: int) -> Pass:
        key = -n  # its own buffers, apart from the training batches'
        if key not in self._passes:
            self._passes[key] = self.network.new_pass(n)
        return self._passes[key]

    def evaluate(self, dataset: Dataset) -> tuple[float, float]:
        """(loss, accuracy or R²) of the current weights on any dataset of this task."""
        dtype = self.network.dtype
        Y = dataset.targets(dtype)
        ss_tot = float(((Y - Y.mean(axis=0)) ** 2).sum()) or 1.0
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            return self._evaluate(np.asarray(dataset.X, dtype), Y, dataset.y, ss_tot)

    # -- stopping ---------------------------------------------------------------------

    def _early_stopping(self, val_loss: float) -> None:
        """Stop when the validation loss has not improved for `patience` epochs, and go
        back to the weights of its best epoch."""
        if val_loss < self.best_val_loss:
            self.best_val_loss, self.best_epoch = val_loss, self.epoch
            if self._best_params is None:
                self._best_params = self.network.params.copy()
            else:
                np.copyto(self._best_params, self.network.params)
        elif self.epoch - self.best_epoch >= self.patience:
            self.network.params[...] = self._best_params
            self.stop_reason = StopReason(
                "early_stopping",
                f"early stopping at epoch {self.epoch}: the validation loss has not improved "
                f"for {self.patience} epochs; weights restored from epoch {self.best_epoch} "
                f"(validation loss {self.best_val_loss:.4g})",
            )

    def _diverged(self, loss: float, sq: np.ndarray) -> None:
        epoch = self.epoch + 1
        if not math.isfinite(loss):
            what = f"the loss became {loss} (the outputs overflowed)"
        else:
            bad = [str(l) for l in range(1, len(sq) + 1) if not math.isfinite(sq[l - 1])]
            if not bad:  # Σ of squares overflowed though each layer's is finite
                bad = [str(int(np.argmax(sq)) + 1)]
            layers = f"layer {bad[0]}" if len(bad) == 1 else f"layers {', '.join(bad)}"
            what = f"{layers} gradients overflowed"
        self.stop_reason = StopReason(
            "diverged",
            f"diverged at epoch {epoch}: {what}; lower the learning rate "
            f"(now {self.optimizer.lr:g}). The weights are the last finite ones.",
        )
