"""The run's timeline: the weights at moments of the run, to scrub back to.

The training thread records a moment after an epoch when it is due (a copy of the flat
parameters and that epoch's history record: losses, scores, gradient sizes; asking costs
a subtraction). Memory stays
within a budget the way the history's does: when the moments outgrow it (or number more
than a slider can show), every other one is dropped (the first and the latest are kept)
and from then on a moment comes at least twice as many epochs after the one before. A
long run therefore keeps evenly spread moments over all of it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from .history import Record

#: the timeline's memory budget (bytes)
BUDGET_BYTES = 50 * 2**20
#: and at most this many moments (a slider has no more positions to show)
MAX_MOMENTS = 2000


@dataclass(frozen=True)
class Moment:
    epoch: int
    params: np.ndarray  # the network's flat parameters at the end of that epoch (a copy)
    record: Record | None  # the history's record of that epoch; None before the first

    @property
    def grad_sq(self) -> list[float]:
        """Σ dW_l² per layer in that epoch."""
        return self.record.grad_sq if self.record is not None else []

    @property
    def nbytes(self) -> int:
        return int(self.params.nbytes)


class Timeline:
    def __init__(self, budget_bytes: int = BUDGET_BYTES, max_moments: int = MAX_MOMENTS):
        self.budget, self.max_moments = budget_bytes, max(max_moments, 3)
        self.moments: list[Moment] = []
        self.min_gap = 1  # epochs between two moments, at least
        self.nbytes = 0
        self.version = 0  # grows with every change: a view of the epochs redraws

    def __len__(self) -> int:
        return len(self.moments)

    @property
    def epochs(self) -> list[int]:
        return [m.epoch for m in self.moments]

    def clear(self) -> None:
        self.moments, self.min_gap, self.nbytes = [], 1, 0
        self.version += 1

    def due(self, epoch: int) -> bool:
        """Would a moment at `epoch` be kept? (cheap: asked after every epoch)"""
        return not self.moments or epoch - self.moments[-1].epoch >= self.min_gap

    def record(self, epoch: int, params: np.ndarray, record: Record | None) -> bool:
        """Keep the weights at the end of `epoch` (copied), with that epoch's record, if
        they are due; True if kept."""
        if self.moments and epoch < self.moments[-1].epoch:  # a rewind: the future is gone
            self.truncate(epoch)
        if not self.due(epoch):
            return False
        moment = Moment(epoch, params.copy(), record)
        self.moments.append(moment)
        self.nbytes += moment.nbytes
        while len(self.moments) > 2 and (self.nbytes > self.budget
                                         or len(self.moments) > self.max_moments):
            self._thin()
        self.version += 1
        return True

    def at(self, epoch: int) -> Moment | None:
        """The latest moment at or before `epoch` (the first one if it is earlier)."""
        if not self.moments:
            return None
        i = bisect.bisect_right(self.epochs, epoch) - 1
        return self.moments[max(i, 0)]

    def truncate(self, epoch: int) -> None:
        """Forget the moments after `epoch` (the run went back there)."""
        self.moments = [m for m in self.moments if m.epoch <= epoch]
        self.nbytes = sum(m.nbytes for m in self.moments)
        self.version += 1

    def _thin(self) -> None:
        """Drop every other moment between the first and the latest; double the gap."""
        kept = self.moments[:-1:2]
        if kept[-1] is not self.moments[-1]:
            kept.append(self.moments[-1])
        self.moments = kept
        self.min_gap *= 2
        self.nbytes = sum(m.nbytes for m in self.moments)
