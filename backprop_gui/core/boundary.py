"""What the decision-boundary plot shows: the network's output over a grid that covers
the data, in the data's own units.

With two input features the grid is an image of RESOLUTION × RESOLUTION cells; with one,
a curve of CURVE_POINTS points; with more, the user picks the two features on the axes
and the others are held at their mean (the plot says so). The grid is fixed for one
experiment, so each evaluation is a single `predict` on prepared inputs, in float32:
it is for display, and float32 is three times faster on a big net (PLATFORM.md).

With derived inputs (x1², sin x2, ...) the grid stays on the raw x1/x2 plane, where the
points are; each grid point goes through the same expansion, then the standardiser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .data import Dataset, Standardizer
from .features import expand

if TYPE_CHECKING:
    from .experiment import Experiment
from .network import Network
from .unit_maps import unit_values

RESOLUTION = 100
CURVE_POINTS = 300
#: the grid reaches this share of the data's span beyond it on each side
MARGIN = 0.15


@dataclass(frozen=True)
class BoundaryImage:
    """values[i, j] is the output at x = x_centres[j], y = y_centres[i]: P(class 1) for
    binary, ŷ for regression, (..., K) class probabilities for multi-class."""

    axes: tuple[int, int]
    x_range: tuple[float, float]  # the outer edges of the grid's first and last cells
    y_range: tuple[float, float]
    values: np.ndarray
    #: (layer, unit) when the values are one neuron's activation, not the output
    unit: tuple[int, int] | None = None


@dataclass(frozen=True)
class BoundaryCurve:
    """The output y (or (n, K) probabilities) along x, for one input feature."""

    x: np.ndarray
    y: np.ndarray
    unit: tuple[int, int] | None = None  # as BoundaryImage.unit


class BoundaryGrid:
    """The inputs of the grid for one dataset, ready to evaluate any network on."""

    def __init__(self, dataset: Dataset, standardizer: Standardizer | None,
                 axes: tuple[int, int] = (0, 1), resolution: int = RESOLUTION,
                 inputs: list[str] | None = None):
        """`dataset` in its own features (the raw 2-D data when there are derived
        `inputs`); `standardizer` of the network's inputs, as the experiment's."""
        self.dataset = dataset
        self.standardizer = standardizer
        self.derived_inputs = inputs
        d = dataset.n_features
        self.axes = (0, 0) if d == 1 else _checked_axes(axes, d)
        self.held = [i for i in range(d) if i not in self.axes]
        self.mean = dataset.X.mean(axis=0)
        if d == 1:
            lo, hi = _padded_range(dataset.X[:, 0])
            self.x = np.linspace(lo, hi, CURVE_POINTS)
            inputs = self.x[:, None]
        else:
            i, j = self.axes
            self.x_range = _padded_range(dataset.X[:, i])
            self.y_range = _padded_range(dataset.X[:, j])
            xs, ys = (_cell_centres(r, resolution) for r in (self.x_range, self.y_range))
            inputs = np.tile(self.mean, (resolution * resolution, 1))
            inputs[:, i] = np.tile(xs, resolution)
            inputs[:, j] = np.repeat(ys, resolution)
            self.shape = (resolution, resolution)
        if self.derived_inputs is not None:
            inputs = expand(inputs, self.derived_inputs)
        if standardizer is not None:
            inputs = standardizer(inputs)
        self.inputs = np.ascontiguousarray(inputs, np.float32)

    @classmethod
    def of(cls, experiment: Experiment, axes: tuple[int, int] = (0, 1),
           resolution: int = RESOLUTION) -> BoundaryGrid:
        """The grid of an Experiment: over its raw data, through its inputs and standardiser."""
        return cls(experiment.dataset, experiment.standardizer, axes, resolution,
                   experiment.inputs)

    @property
    def held_note(self) -> str:
        """What the plot must say about the features it does not show."""
        if not self.held:
            return ""
        names = self.dataset.feature_names
        held = ", ".join(f"{names[k]} = {self.mean[k]:.3g}" for k in self.held)
        return f"other features held at their mean: {held}"

    def evaluate(self, network: Network, unit: tuple[int, int] | None = None
                 ) -> BoundaryImage | BoundaryCurve:
        """The network's output at each grid point, or with `unit` (layer, index) the
        activation of that one neuron (what it computes over the plane)."""
        if unit is not None:
            weights, biases = network.W[1:], network.b[1:]
            out = unit_values(weights, biases, network.activation_names, self.inputs, *unit)
        else:
            with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
                out = network.predict(self.inputs, dtype=np.float32)
            if self.dataset.task != "multiclass":
                out = out[:, 0]
        if self.dataset.n_features == 1:
            return BoundaryCurve(self.x, out, unit)
        return BoundaryImage(self.axes, self.x_range, self.y_range,
                             out.reshape(*self.shape, *out.shape[1:]), unit)


def _checked_axes(axes: tuple[int, int], d: int) -> tuple[int, int]:
    i, j = axes
    if not (0 <= i < d and 0 <= j < d and i != j):
        raise ValueError(f"axes {axes} must be two different features of {d}")
    return int(i), int(j)


def _padded_range(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    pad = MARGIN * (hi - lo) if hi > lo else max(1.0, abs(lo))
    return lo - pad, hi + pad


def _cell_centres(edges: tuple[float, float], n: int) -> np.ndarray:
    lo, hi = edges
    step = (hi - lo) / n
    return lo + step * (np.arange(n) + 0.5)
