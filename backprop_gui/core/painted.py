"""Data a student paints on the decision-boundary plot: points (x1, x2), each with a class
(or, for regression, a target value). A project keeps them as a list of [x1, x2, t]
(`dataset.points`), so a painted set saves and opens like any other.

Classes are whole numbers 0..MAX_CLASSES-1 and always numbered without gaps (erasing
every point of class 1 of three makes class 2 the new class 1), so a class keeps its
colour in every plot."""

from __future__ import annotations

import math

import numpy as np

from .data import Dataset
from .errors import DatasetError

MAX_POINTS = 10_000
MAX_CLASSES = 8  # one colour each (app/style.py CLASS_COLORS)
#: painted coordinates and targets stay within this size: they are drawn by hand
LIMIT = 1e6


def points_problem(points: object, task: str) -> str | None:
    """What is wrong with a painted point list, in words (None: nothing)."""
    if not isinstance(points, list) or not 2 <= len(points) <= MAX_POINTS:
        return f"must be a list of 2 to {MAX_POINTS:,} points [x1, x2, {_t(task)}]"
    for i, point in enumerate(points):
        if (not isinstance(point, list) or len(point) != 3
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           and math.isfinite(v) and abs(v) <= LIMIT for v in point)):
            return f"point {i} must be [x1, x2, {_t(task)}], three finite numbers, not {point!r:.40}"
        if task == "classification" and not (float(point[2]).is_integer()
                                             and 0 <= point[2] < MAX_CLASSES):
            return f"point {i}: the class must be a whole number from 0 to {MAX_CLASSES - 1}"
    if task == "classification" and len({int(p[2]) for p in points}) < 2:
        return "needs points of at least two classes"
    return None


def painted_dataset(points: list[list[float]] | np.ndarray, task: str = "classification") -> Dataset:
    """The Dataset of painted points (rows [x1, x2, t]); classes renumbered without gaps."""
    rows = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    problem = points_problem(rows.tolist(), task)
    if problem is not None:
        raise DatasetError(f"painted data: {problem}")
    X = np.ascontiguousarray(rows[:, :2])
    if task == "regression":
        return Dataset(X, rows[:, 2].copy(), ["x1", "x2"], "y", "regression", [], "painted")
    _, y = np.unique(rows[:, 2].astype(np.int64), return_inverse=True)
    k = int(y.max()) + 1
    return Dataset(X, y.astype(np.int64), ["x1", "x2"], "y", "binary" if k == 2 else "multiclass",
                   [str(i) for i in range(k)], "painted")


def dataset_points(dataset: Dataset) -> list[list[float]]:
    """A dataset's points as a painted list (its first two features and the target), the
    start of painting on a built-in set or a file."""
    rows = np.column_stack([dataset.X[:, :2], dataset.y.astype(np.float64)])
    return rows.tolist()


def _t(task: str) -> str:
    return "value" if task == "regression" else "class"
