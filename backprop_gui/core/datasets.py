"""The built-in data sets: small 2-D problems whose decision boundary a person can see,
plus two regression targets. Every set is drawn from `np.random.default_rng(seed)`, so
the same arguments give the same numbers on every machine, and the 2-D sets stay roughly
inside [-1.5, 1.5] so they train well without standardising.

`noise` is always the standard deviation of Gaussian noise in data units: added to both
coordinates of each point for the classification sets, and to the target for the
regression sets. XOR is the reference example's four points and ignores every argument."""

from __future__ import annotations

import math

import numpy as np

from .data import Dataset
from .errors import DatasetError

KINDS = ("xor", "circles", "moons", "blobs", "spiral", "spiral3", "sine", "plane")
MAX_SAMPLES = 10_000_000
#: the plane's slopes: y = PLANE_SLOPES[0] * x1 + PLANE_SLOPES[1] * x2 + noise
PLANE_SLOPES = (0.8, -0.6)
#: the spread of each blob before noise is added
BLOB_SPREAD = 0.3
XY = ["x1", "x2"]


def make_dataset(kind: str, samples: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """The built-in set `kind` with `samples` points in total (split evenly over classes)."""
    if kind not in KINDS:
        raise DatasetError(f"unknown dataset kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "xor":
        return xor()
    _check(kind, samples, noise, seed)
    rng = np.random.default_rng(seed)
    return _MAKERS[kind](samples, float(noise), rng)


def xor() -> Dataset:
    """The reference example's four points, in its order, bit for bit."""
    X = np.array([[1, 1], [0, 1], [1, 0], [0, 0]], dtype=np.float64)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return Dataset(X, y, list(XY), "y", "binary", ["0", "1"], "xor")


def circles(samples: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Class 0 fills a disc of radius 0.5; class 1 is a ring from radius 0.9 to 1.2."""
    inner, outer = _counts(samples, 2)
    radius = np.concatenate([0.5 * np.sqrt(rng.uniform(0, 1, inner)),
                             rng.uniform(0.9, 1.2, outer)])
    angle = rng.uniform(0, 2 * math.pi, inner + outer)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return _classes(X, _labels([inner, outer]), noise, rng, "circles")


def moons(samples: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Two interleaving half circles of radius 1 (as in scikit-learn), centred on 0."""
    upper, lower = _counts(samples, 2)
    t0, t1 = rng.uniform(0, math.pi, upper), rng.uniform(0, math.pi, lower)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    return _classes(X - [0.5, 0.25], _labels([upper, lower]), noise, rng, "moons")


def blobs(samples: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Two round Gaussian blobs (spread BLOB_SPREAD) centred on (-0.7, -0.7) and (0.7, 0.7);
    noise widens them further."""
    counts = _counts(samples, 2)
    centres = np.repeat([[-0.7, -0.7], [0.7, 0.7]], counts, axis=0)
    X = centres + rng.normal(0, BLOB_SPREAD, centres.shape)
    return _classes(X, _labels(counts), noise, rng, "blobs")


def spiral(samples: int, noise: float, rng: np.random.Generator, classes: int = 2) -> Dataset:
    """`classes` arms winding one full turn out from the centre to radius 1.3, evenly
    rotated against each other, so the classes interleave."""
    counts = _counts(samples, classes)
    labels = _labels(counts)
    t = rng.uniform(0, 1, len(labels))
    angle = 2 * math.pi * (t + labels / classes)
    X = np.column_stack([1.3 * t * np.cos(angle), 1.3 * t * np.sin(angle)])
    name = "spiral" if classes == 2 else f"spiral{classes}"
    return _classes(X, labels, noise, rng, name)


def spiral3(samples: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Three interleaved spiral arms: the multi-class (softmax) example."""
    return spiral(samples, noise, rng, classes=3)


def sine(samples: int, noise: float, rng: np.random.Generator) -> Dataset:
    """y = sin(x) + noise for x uniform in [-pi, pi]: one full period to fit."""
    x = rng.uniform(-math.pi, math.pi, samples)
    y = np.sin(x) + rng.normal(0, 1, samples) * noise
    return Dataset(x.reshape(-1, 1), y, ["x"], "y", "regression", [], "sine")


def plane(samples: int, noise: float, rng: np.random.Generator) -> Dataset:
    """y = 0.8 x1 - 0.6 x2 + noise for (x1, x2) uniform in [-1, 1]^2: the simplest fit."""
    X = rng.uniform(-1, 1, (samples, 2))
    y = X @ np.array(PLANE_SLOPES) + rng.normal(0, 1, samples) * noise
    return Dataset(X, y, list(XY), "y", "regression", [], "plane")


_MAKERS = {"circles": circles, "moons": moons, "blobs": blobs, "spiral": spiral,
           "spiral3": spiral3, "sine": sine, "plane": plane}
_CLASSES = {"circles": 2, "moons": 2, "blobs": 2, "spiral": 2, "spiral3": 3, "sine": 1,
            "plane": 1}


def _check(kind: str, samples: int, noise: float, seed: int) -> None:
    """Arguments come from project files and the GUI: say plainly which one is wrong."""
    low = _CLASSES[kind]
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)):
        raise DatasetError(f"{kind}: samples must be a whole number, not {samples!r}")
    if not low <= samples <= MAX_SAMPLES:
        need = f"one per class ({low})" if low > 1 else "1"
        raise DatasetError(f"{kind}: samples must be between {need} and {MAX_SAMPLES:,}, "
                           f"not {samples}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.floating, np.integer)):
        raise DatasetError(f"{kind}: noise must be a number, not {noise!r}")
    if not math.isfinite(noise) or noise < 0:
        raise DatasetError(f"{kind}: noise must be a finite number >= 0, not {noise}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DatasetError(f"{kind}: seed must be a whole number >= 0, not {seed!r}")


def _counts(samples: int, classes: int) -> list[int]:
    """`samples` split as evenly as possible; the first classes get the remainder."""
    return [samples // classes + (k < samples % classes) for k in range(classes)]


def _labels(counts: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def _classes(X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator,
             name: str) -> Dataset:
    """Add the noise and shuffle, so no file or plot shows the classes in blocks."""
    X = X + rng.normal(0, 1, X.shape) * noise
    order = rng.permutation(len(y))
    k = int(y.max()) + 1
    task = "binary" if k == 2 else "multiclass"
    return Dataset(np.ascontiguousarray(X[order], dtype=np.float64), y[order], list(XY), "y",
                   task, [str(i) for i in range(k)], name)
