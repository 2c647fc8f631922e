"""Derived inputs for 2-D data, as the web playgrounds offer them: x1, x2, x1², x2², x1·x2,
sin x1, sin x2. The network sees the ticked ones instead of the raw pair, so a student can
watch circles become separable by a line once x1² and x2² are inputs (x1² + x2² = r² is
linear in them).

The expansion is plain maths on the raw (n, 2) matrix, done before the split and the
standardising; the points and the decision boundary stay on the raw x1/x2 plane."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: key (as written in project files: ASCII) -> (display template, the column from X)
_DERIVED: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "x1": ("{a}", lambda X: X[:, 0]),
    "x2": ("{b}", lambda X: X[:, 1]),
    "x1^2": ("{a}²", lambda X: X[:, 0] ** 2),
    "x2^2": ("{b}²", lambda X: X[:, 1] ** 2),
    "x1*x2": ("{a}·{b}", lambda X: X[:, 0] * X[:, 1]),
    "sin(x1)": ("sin {a}", lambda X: np.sin(X[:, 0])),
    "sin(x2)": ("sin {b}", lambda X: np.sin(X[:, 1])),
}
#: every derived input, in the order the panel shows them
INPUT_KEYS: tuple[str, ...] = tuple(_DERIVED)
#: the data's own two features: the same network as no expansion at all
RAW_INPUTS: tuple[str, ...] = ("x1", "x2")
#: what each input helps a network see, for tooltips and documentation
INPUT_HINTS: dict[str, str] = {
    "x1": "the first coordinate, as it is",
    "x2": "the second coordinate, as it is",
    "x1^2": "the first coordinate squared: with x2² a circle becomes a straight line",
    "x2^2": "the second coordinate squared: with x1² a circle becomes a straight line",
    "x1*x2": "the product of the coordinates: positive in two opposite quadrants (XOR)",
    "sin(x1)": "the sine of the first coordinate: waves along x1",
    "sin(x2)": "the sine of the second coordinate: waves along x2",
}


def input_names(inputs: Sequence[str], base: Sequence[str] = ("x1", "x2")) -> list[str]:
    """Display names of `inputs` for data whose two features are called `base`
    (x1², sin x2; petal_length² for a CSV file's columns)."""
    a, b = base
    return [_DERIVED[key][0].format(a=a, b=b) for key in inputs]


def expand(X: np.ndarray, inputs: Sequence[str]) -> np.ndarray:
    """The (n, len(inputs)) matrix of the derived inputs of the raw (n, 2) matrix X, one
    column per key in the given order, in X's dtype."""
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"derived inputs need (n, 2) data, not {X.shape}")
    unknown = [key for key in inputs if key not in _DERIVED]
    if unknown or not inputs:
        raise ValueError(f"inputs must be a non-empty list of {', '.join(INPUT_KEYS)}; "
                         f"not {list(inputs)}")
    out = np.empty((len(X), len(inputs)), dtype=X.dtype)
    for column, key in enumerate(inputs):
        out[:, column] = _DERIVED[key][1](X)
    return out


def is_raw(inputs: Sequence[str] | None) -> bool:
    """True when `inputs` give the network just the data's own x1, x2 (in that order)."""
    return inputs is None or tuple(inputs) == RAW_INPUTS
