"""The Dataset every part of the program trains on, and what is done to one before
training: a seeded (stratified) train/validation split and standardising with statistics
from the training part only."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .errors import DatasetError

TASKS = ("binary", "multiclass", "regression")


@dataclass
class Dataset:
    """Samples as rows. `y` holds class indices (int) for classification and values
    (float) for regression; `class_names[k]` names class k."""

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    target_name: str = "y"
    task: str = "binary"
    class_names: list[str] = field(default_factory=list)
    name: str = "data"

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, not {self.task!r}")
        if self.X.ndim != 2 or self.y.ndim != 1 or len(self.X) != len(self.y):
            raise ValueError(f"X must be (n, d) and y (n,): got {self.X.shape}, {self.y.shape}")

    @property
    def n_samples(self) -> int:
        return len(self.X)

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    @property
    def is_classification(self) -> bool:
        return self.task != "regression"

    @property
    def n_outputs(self) -> int:
        """Units of the output layer: one per class for multi-class, else one."""
        return len(self.class_names) if self.task == "multiclass" else 1

    def targets(self, dtype: type = np.float64) -> np.ndarray:
        """`y` as the network's target matrix, one row per sample: 0/1 for binary,
        one-hot for multi-class, the value for regression."""
        if self.task == "multiclass":
            return np.eye(len(self.class_names), dtype=dtype)[self.y]
        return self.y.astype(dtype).reshape(-1, 1)

    def subset(self, rows: np.ndarray) -> Dataset:
        return replace(self, X=self.X[rows], y=self.y[rows])


def split(dataset: Dataset, validation_fraction: float, seed: int) -> tuple[Dataset, Dataset | None]:
    """Hold out `validation_fraction` of the samples, drawn with `seed`. For
    classification each class is split in that proportion, so both parts see every class."""
    if validation_fraction <= 0:
        return dataset, None
    rng = np.random.default_rng(seed)
    groups = (
        [np.flatnonzero(dataset.y == k) for k in range(len(dataset.class_names))]
        if dataset.is_classification
        else [np.arange(dataset.n_samples)]
    )
    held_out = []
    for rows in groups:
        count = int(round(validation_fraction * len(rows)))
        held_out.append(rng.permutation(rows)[:count])
    val_rows = np.sort(np.concatenate(held_out))
    if len(val_rows) == 0 or len(val_rows) == dataset.n_samples:
        raise DatasetError(
            f"a validation fraction of {validation_fraction:g} leaves "
            f"{dataset.n_samples - len(val_rows)} of {dataset.n_samples} samples for training "
            f"and {len(val_rows)} for validation; both need at least one"
        )
    train_rows = np.setdiff1d(np.arange(dataset.n_samples), val_rows)
    return dataset.subset(train_rows), dataset.subset(val_rows)


@dataclass(frozen=True)
class Standardizer:
    """x' = (x - mean) / std per feature. A constant feature keeps std 1 (it becomes 0),
    so nothing is ever divided by zero."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, X: np.ndarray) -> Standardizer:
        std = X.std(axis=0)
        return cls(mean=X.mean(axis=0), std=np.where(std > 0, std, 1.0))

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean) / self.std

    def invert(self, X: np.ndarray) -> np.ndarray:
        """Back to the data's own units (to draw standardised points where they were)."""
        return X * self.std + self.mean
