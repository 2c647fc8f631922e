"""The run's timeline: what the window showed at moments of the run, to scrub back to.

The window records a moment from each snapshot it draws (the weights, the gradient sizes
and the decision boundary it already holds: copies the snapshot owns, so recording costs
no maths and nothing in the training thread). Memory stays within a budget the same way
the history's does: when the moments outgrow it, every other one is dropped (the first
and the latest are kept) and from then on a moment comes at least twice as many epochs
after the one before. A long run therefore keeps evenly spread moments over all of it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from .snapshot import Snapshot

#: the timeline's memory budget (bytes)
BUDGET_BYTES = 50 * 2**20


@dataclass(frozen=True)
class Moment:
    epoch: int
    weights: list[np.ndarray]  # W_1..W_L
    biases: list[np.ndarray]
    grad_rms: np.ndarray  # per layer
    grad_l2: np.ndarray
    boundary: object | None  # the decision boundary (or curve) shown then, shared between moments
    health: object | None  # the unit health shown then
    diagnosis: object
    nbytes: int = field(default=0)

    @classmethod
    def of(cls, snapshot: Snapshot, boundary, health) -> Moment:
        """The moment a snapshot shows, with the boundary and health the window holds then
        (a snapshot carries them only when they were remade)."""
        own = sum(a.nbytes for a in (*snapshot.weights, *snapshot.biases))
        return cls(snapshot.epoch, snapshot.weights, snapshot.biases, snapshot.grad_rms,
                   snapshot.grad_l2, boundary, health, snapshot.diagnosis, own)

    @property
    def params(self) -> np.ndarray:
        """The flat parameters as the Network stores them: per layer W_l, then b_l as its last row."""
        return np.concatenate([np.vstack([W, b[None, :]]).ravel()
                               for W, b in zip(self.weights, self.biases)])


def _boundary_bytes(boundary) -> int:
    """An image's values, or a curve's two arrays."""
    arrays = [getattr(boundary, name, None) for name in ("values", "x", "y")]
    return sum(int(a.nbytes) for a in arrays if isinstance(a, np.ndarray))


class Timeline:
    def __init__(self, budget_bytes: int = BUDGET_BYTES):
        self.budget = budget_bytes
        self.moments: list[Moment] = []
        self.min_gap = 1  # epochs between two moments, at least
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self.moments)

    @property
    def epochs(self) -> list[int]:
        return [m.epoch for m in self.moments]

    def clear(self) -> None:
        self.moments, self.min_gap, self.nbytes = [], 1, 0

    def record(self, moment: Moment) -> bool:
        """Keep this moment if it is far enough from the last one (or replaces it: the
        same epoch, say after an edit); True if kept."""
        last = self.moments[-1] if self.moments else None
        if last is not None and moment.epoch < last.epoch:  # a rewind: the future is gone
            self.truncate(moment.epoch)
            last = self.moments[-1] if self.moments else None
        if last is not None and moment.epoch == last.epoch:
            self.moments[-1] = moment
            self._count()
        elif last is not None and moment.epoch - last.epoch < self.min_gap:
            return False
        else:
            self.moments.append(moment)
            self.nbytes += moment.nbytes + self._new_boundary_bytes(len(self.moments) - 1)
        while self.nbytes > self.budget and len(self.moments) > 2:
            self._thin()
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
        self._count()

    def _thin(self) -> None:
        """Drop every other moment between the first and the latest; double the gap."""
        kept = self.moments[:-1:2]
        if kept[-1] is not self.moments[-1]:
            kept.append(self.moments[-1])
        self.moments = kept
        self.min_gap *= 2
        self._count()

    def _new_boundary_bytes(self, i: int) -> int:
        """The bytes of moment i's boundary unless the moment before shares it."""
        b = self.moments[i].boundary
        if b is None or (i > 0 and self.moments[i - 1].boundary is b):
            return 0
        return _boundary_bytes(b)

    def _count(self) -> None:
        """Bytes held: every moment's weights, and each boundary once (moments share
        the one shown until the next was made)."""
        self.nbytes = sum(m.nbytes + self._new_boundary_bytes(i) for i, m in enumerate(self.moments))
