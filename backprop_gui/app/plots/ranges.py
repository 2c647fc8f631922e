"""Axis ranges for the live history plots that move in steps, not every frame.

pyqtgraph's auto-range fits the curves as drawn; with peak downsampling those change
with the view's own range, so the view chases them (hundreds of re-ranges a second, each
re-making both axes' ticks and labels). These plots instead fit the data itself, and in
steps: the epoch axis grows to the next round number, a value axis snaps to a grid of a
quarter of its span and stays put while the data fill enough of it. The axes are then
re-made a few dozen times in a whole run. FollowingViewBox applies these ranges."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg

#: mantissas of the round numbers an epoch axis ends on (at most 25% of it empty)
ROUND = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
#: a value range is kept while the data span at least this share of it
KEEP_SHARE = 0.4
#: room left above and below the snapped value range, as a share of it
MARGIN = 0.03
#: a live epoch axis that has to grow reaches where the run will be this much later (s):
#: a fast run's axis then steps about once a second, not through every round number
#: (each step re-makes the axis and its grid, ~3 ms)
AHEAD_SECONDS = 1.0

Span = tuple[float, float]


def round_up(x: float) -> float:
    """The smallest of 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is >= x (> 0)."""
    if not x > 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for mantissa in ROUND:
        if mantissa * power >= x * (1 - 1e-12):
            return mantissa * power
    return 10 * power


def epoch_span(first: float, last: float) -> Span:
    """The epoch axis: from just before the first recorded epoch (a first steep drop is
    not drawn on the axis line) to a round number past the last."""
    high = max(float(first) + 1, round_up(last))
    return float(first) - MARGIN * (high - first), high


class EpochAxis:
    """The epoch axis of a live plot: `epoch_span`, of an end grown ahead of a fast run.
    A run at 300 epochs a second gets the same round numbers; one at 20,000 epochs a
    second an end it reaches in about a second, instead of ten steps a decade."""

    def __init__(self) -> None:
        #: the run is training: a growing axis reaches ahead of it (off once it stopped)
        self.live = True
        self.reset()

    def reset(self) -> None:
        """A new run, or the rows replaced: start from the data again."""
        self._target: float | None = None  # the epoch the axis is to hold
        self._since = (0.0, 0.0)  # (last epoch, time) when the target was set

    def span(self, first: float, last: float, now: float | None = None) -> Span:
        now = time.perf_counter() if now is None else now
        since_epoch, since_time = self._since
        if (self._target is None or last > epoch_span(first, self._target)[1]
                or last < since_epoch):
            growing = self.live and self._target is not None and since_epoch <= last and now > since_time
            rate = (last - since_epoch) / (now - since_time) if growing else 0.0
            self._target = float(last) + rate * AHEAD_SECONDS
            self._since = (float(last), now)
        return epoch_span(first, self._target)


def value_span(low: float, high: float, current: Span | None) -> Span:
    """A range holding [low, high]: `current` while it holds them and they fill at least
    KEEP_SHARE of it, otherwise [low, high] snapped outwards to a grid of about a
    quarter of their span, with a small margin."""
    if current is not None:
        c_low, c_high = current
        if c_low <= low and high <= c_high and (high - low) >= KEEP_SHARE * (c_high - c_low):
            return current
    span = high - low
    if span <= 0:
        span = max(abs(high) * 0.1, 1e-6)
    step = round_up(span / 4)
    s_low, s_high = math.floor(low / step) * step, math.ceil(high / step) * step
    if s_high - s_low < span:  # rounding put an end inside the data
        s_high += step
    margin = MARGIN * (s_high - s_low)
    return s_low - margin, s_high + margin


def finite_span(values: np.ndarray, log: bool) -> Span | None:
    """Minimum and maximum of the finite values (positive ones only, in log10, for a log
    axis), or None. Given the drawn points: a peak envelope holds the data's extremes."""
    keep = np.isfinite(values) & (values > 0) if log else np.isfinite(values)
    if not keep.any():
        return None
    kept = values[keep]
    low, high = float(kept.min()), float(kept.max())
    return (math.log10(low), math.log10(high)) if log else (low, high)


class FollowingViewBox(pg.ViewBox):
    """A ViewBox whose auto-range (on by default, off once the user pans or zooms, on
    again with the "A" button or View All) fits the bounds the plot gives it with
    `follow()` (or, for a live run, `follow_run()`) instead of the drawn curves' bounds."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.setDefaultPadding(0.0)
        self._follow: list[Span | None] = [None, None]
        self._epochs = EpochAxis()
        self._values: Span | None = None  # the value range follow_run keeps while it can

    def follow_run(self, first: float, last: float, values: Span | None) -> None:
        """Follow a run from epoch `first` to `last` whose values span `values` (view
        coordinates; None: no finite one yet), in steps: `EpochAxis`, `value_span`."""
        if values is not None:
            self._values = value_span(*values, self._values)
        self.follow(self._epochs.span(first, last), self._values)

    def settle_run(self) -> None:
        """The run stopped: the epoch axis ends at the next round number past the data
        again, not where a fast run would have been a second later."""
        self._epochs.live = False
        self._epochs.reset()

    def live_run(self) -> None:
        """The run trains again: a growing epoch axis reaches ahead of it."""
        self._epochs.live = True

    def restart_run(self) -> None:
        """A new run, or other values (a new measure, a log axis): fit from them again."""
        self._epochs.reset()
        self._values = None

    def follow(self, x: Span | None, y: Span | None) -> None:
        """Fit these ranges (view coordinates: log10 on a log axis); None: the curves'."""
        if [x, y] != self._follow:
            self._follow = [x, y]
            # now, not when painting as pyqtgraph would: a range (and the transform that
            # follows it) changed while painting makes the whole plot paint a second time
            self.updateAutoRange()
            self.updateMatrix()

    def follows_x(self) -> bool:
        """True while auto-range is on for x (the whole run is in view), False once the
        user has panned or zoomed."""
        return bool(self.state["autoRange"][0])

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):
        bounds = super().childrenBounds(frac, orthoRange, items) if None in self._follow else [None, None]
        return [list(own) if own is not None else bounds[ax] for ax, own in enumerate(self._follow)]
