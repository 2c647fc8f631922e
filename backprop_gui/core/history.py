"""What training records per epoch, in memory that stays bounded on any run length.

Rows live in preallocated arrays of `capacity` rows. When they are full, every other
row is dropped and from then on only every 2nd epoch is recorded; when full again, every
4th, and so on (the first epoch is always kept, and so is the latest in `last`). A run
of a million epochs therefore keeps between capacity/2 and capacity evenly spaced rows:
enough for any plot, and a few MB whatever the run length."""

from __future__ import annotations

from dataclasses import astuple, dataclass

import numpy as np

DEFAULT_CAPACITY = 2**17


@dataclass(frozen=True)
class Record:
    epoch: int
    train_loss: float
    val_loss: float  # nan without a validation set
    metric: float  # accuracy for classification, R² for regression
    val_metric: float
    grad_sq: list[float]  # Σ dW_l² per layer, averaged over the epoch's batches


class History:
    def __init__(self, n_layers: int, weights_per_layer: list[int], metric_name: str,
                 capacity: int = DEFAULT_CAPACITY):
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number >= 4")
        self.metric_name = metric_name
        self.capacity = capacity
        self.stride = 1  # only epochs divisible by it are recorded (after the first)
        self.count = 0
        self.compactions = 0  # grows each time rows were dropped: a view must redraw
        self._last: tuple | None = None
        self._weights_per_layer = np.asarray(weights_per_layer, float)
        self._epoch = np.zeros(capacity, np.int64)
        self._train_loss = np.full(capacity, np.nan)
        self._val_loss = np.full(capacity, np.nan)
        self._metric = np.full(capacity, np.nan)
        self._val_metric = np.full(capacity, np.nan)
        self._grad_sq = np.zeros((capacity, n_layers))

    def empty_like(self) -> History:
        """An empty History of the same layers and capacity: a mirror for receive()."""
        return History(self._grad_sq.shape[1], self._weights_per_layer.astype(int).tolist(),
                       self.metric_name, self.capacity)

    def frozen_copy(self, last: Record | None = None) -> History:
        """A copy of the rows so far, in arrays just big enough for them: a kept run's,
        drawn beside later runs and never appended to. `last`: the latest epoch's record,
        for a mirror (receive() copies rows, and a thinned history may lack that epoch)."""
        copy = History(self._grad_sq.shape[1], self._weights_per_layer.astype(int).tolist(),
                       self.metric_name, max(4, self.count + self.count % 2))
        copy.receive(self.rows_since(0))
        copy.stride = self.stride
        copy._last = astuple(last) if last is not None else self._last
        return copy

    @property
    def last(self) -> Record | None:
        """The latest epoch's record, kept even when the stride skips it."""
        return Record(*self._last) if self._last else None

    def append(self, epoch: int, train_loss: float, val_loss: float, metric: float,
               val_metric: float, grad_sq: list[float]) -> None:
        self._last = (epoch, train_loss, val_loss, metric, val_metric, grad_sq)
        if self.count and epoch % self.stride:
            return
        if self.count == self.capacity:
            self._compact()
            if epoch % self.stride:
                return
        i = self.count
        self._epoch[i] = epoch
        self._train_loss[i] = train_loss
        self._val_loss[i] = val_loss
        self._metric[i] = metric
        self._val_metric[i] = val_metric
        self._grad_sq[i] = grad_sq
        self.count = i + 1

    def _compact(self) -> None:
        """Keep the first row and the rows whose epoch is a multiple of 2·stride."""
        self.stride *= 2
        keep = self._epoch[: self.count] % self.stride == 0
        keep[0] = True
        n = int(keep.sum())
        self._epoch[:n] = self._epoch[: self.count][keep]
        for column in (self._train_loss, self._val_loss, self._metric, self._val_metric):
            column[:n] = column[: self.count][keep]
        self._grad_sq[:n] = self._grad_sq[: self.count][keep]
        self.count = n
        self.compactions += 1

    def truncate(self, epoch: int) -> None:
        """Forget the rows after `epoch` (the run went back there); mirrors resend."""
        n = int(np.searchsorted(self._epoch[: self.count], epoch, side="right"))
        if n == self.count and (self._last is None or self._last[0] <= epoch):
            return
        self.count = n
        self._last = None
        if n:
            i = n - 1
            self._last = (int(self._epoch[i]), float(self._train_loss[i]), float(self._val_loss[i]),
                          float(self._metric[i]), float(self._val_metric[i]),
                          self._grad_sq[i].tolist())
        self.compactions += 1

    # -- the recorded columns (views, valid until the next append) ------------------------

    @property
    def epoch(self) -> np.ndarray:
        return self._epoch[: self.count]

    @property
    def train_loss(self) -> np.ndarray:
        return self._train_loss[: self.count]

    @property
    def val_loss(self) -> np.ndarray:
        return self._val_loss[: self.count]

    @property
    def metric(self) -> np.ndarray:
        return self._metric[: self.count]

    @property
    def val_metric(self) -> np.ndarray:
        return self._val_metric[: self.count]

    @property
    def grad_sq(self) -> np.ndarray:
        """Σ dW_l² per recorded epoch (rows) and layer (columns): what the two measures
        below are made of."""
        return self._grad_sq[: self.count]

    @property
    def grad_l2(self) -> np.ndarray:
        """‖dW_l‖ per recorded epoch (rows) and layer (columns)."""
        return self.grad_measure(self.grad_sq, "l2")

    @property
    def grad_rms(self) -> np.ndarray:
        """RMS of dW_l's entries, ‖dW_l‖ / √(fan_in·fan_out): comparable across layers
        of different sizes, which is what vanishing and exploding are about."""
        return self.grad_measure(self.grad_sq, "rms")

    def grad_measure(self, grad_sq: np.ndarray, measure: str) -> np.ndarray:
        """Rows of Σ dW_l² (any selection of them) as "l2" norms or "rms" values. Both
        grow with Σ dW², so a row's minimum or maximum stays one after this."""
        return np.sqrt(grad_sq if measure == "l2" else grad_sq / self._weights_per_layer)

    def __len__(self) -> int:
        return self.count

    # -- copying rows to another thread's mirror ------------------------------------------

    def rows_since(self, start: int) -> HistoryRows:
        """Copies of the rows from `start` on, to hand to another thread. A mirror that
        received rows before a compaction must ask from 0 (see `compactions`)."""
        stop = self.count
        return HistoryRows(
            start,
            self._epoch[start:stop].copy(),
            self._train_loss[start:stop].copy(),
            self._val_loss[start:stop].copy(),
            self._metric[start:stop].copy(),
            self._val_metric[start:stop].copy(),
            self._grad_sq[start:stop].copy(),
        )

    def receive(self, rows: HistoryRows) -> None:
        """Write rows made by another History's rows_since: a mirror of it (same layers
        and capacity), for the thread that draws."""
        start, stop = rows.start, rows.start + len(rows.epoch)
        if start > self.count or stop > self.capacity:
            raise ValueError(f"rows {start}..{stop} do not follow the {self.count} held")
        self._epoch[start:stop] = rows.epoch
        self._train_loss[start:stop] = rows.train_loss
        self._val_loss[start:stop] = rows.val_loss
        self._metric[start:stop] = rows.metric
        self._val_metric[start:stop] = rows.val_metric
        self._grad_sq[start:stop] = rows.grad_sq
        self.count = stop


@dataclass(frozen=True)
class HistoryRows:
    """A block of consecutive history rows, starting at row `start`."""

    start: int
    epoch: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    metric: np.ndarray
    val_metric: np.ndarray
    grad_sq: np.ndarray  # (rows, layers)
