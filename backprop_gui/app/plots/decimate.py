"""Thinning a long history to what a plot can show, keeping every peak.

A history plot that follows a run spans all of it: up to 131,072 rows across a few
hundred pixels. Given to pyqtgraph whole, every frame re-maps (log10), re-bins and
re-checks every row of every curve. Here rows are binned into min/max pairs, about two
points a pixel, which draw the same envelope, spikes included. Bins are powers of two
rows long, so each frame bins only the rows that arrived since the last one (and halves
the bins by pairs when they grow too many). Plain NumPy."""

from __future__ import annotations

import numpy as np


class PeakEnvelope:
    """The min/max envelope of a growing (x, y) history (y: rows, or rows × curves)."""

    def __init__(self, max_points: int = 1024) -> None:
        self.max_points = max_points
        self.reset()

    def reset(self) -> None:
        self.per_bin = 0  # rows in a bin (a power of two); 0: not binning
        self._rows = 0  # rows [0, _rows) are in bins
        self._starts = np.zeros(0)
        self._low = self._high = None
        self._version: object = None

    @property
    def binned_rows(self) -> int:
        """Rows [0, binned_rows) are in bins; the ones after are drawn as they are."""
        return self._rows

    def update(self, x: np.ndarray, y: np.ndarray, version: object = None) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw for rows (x, y): the rows themselves while they are few,
        else each bin's minimum and maximum at its first x, then the rows after the last
        bin as they are (so the latest value is exact). A `version` other than the last
        call's says that earlier rows changed (a new run, or its rows thinned)."""
        n = len(x)
        if n <= self.max_points:
            self.reset()
            return x, y
        if version != self._version or n < self._rows:
            self.reset()
            self._version = version
        if not self.per_bin:
            self.per_bin = 1 << int(np.ceil(np.log2(n / (self.max_points // 2))))
            self._low = self._high = y[:0]
        end = (n - 1) // self.per_bin * self.per_bin  # the last row is never binned
        if end > self._rows:
            block = y[self._rows:end]
            block = block.reshape(-1, self.per_bin, *y.shape[1:])
            self._low = np.concatenate([self._low, np.minimum.reduce(block, axis=1)])
            self._high = np.concatenate([self._high, np.maximum.reduce(block, axis=1)])
            self._starts = np.concatenate([self._starts, x[self._rows:end:self.per_bin]])
            self._rows = end
        while len(self._starts) > self.max_points // 2:
            self._halve()
        pairs = np.stack([self._low, self._high], axis=1).reshape(-1, *y.shape[1:])
        return (np.concatenate([np.repeat(self._starts, 2), x[self._rows:]]),
                np.concatenate([pairs, y[self._rows:]]))

    def _halve(self) -> None:
        """Bins twice as long: merge them by pairs (an odd last one goes back to rows)."""
        pairs = len(self._starts) // 2
        if len(self._starts) % 2:
            self._rows -= self.per_bin
        self._low = np.minimum(self._low[0:2 * pairs:2], self._low[1:2 * pairs:2])
        self._high = np.maximum(self._high[0:2 * pairs:2], self._high[1:2 * pairs:2])
        self._starts = self._starts[0:2 * pairs:2]
        self.per_bin *= 2
