"""Weight initialisation, seeded so that a run can be reproduced exactly.

- uniform: W and b drawn from U(−1, 1), the classic choice of the reference example;
- xavier (Glorot): W ~ U(−r, r), r = √(6 / (fan_in + fan_out)), b = 0; keeps the variance
  of signals steady through sigmoid and tanh layers;
- he: W ~ N(0, 2 / fan_in), b = 0; the same for ReLU, which zeroes half its inputs.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

INITS = ("uniform", "xavier", "he")


def initial_layers(
    sizes: list[int], init: str, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (W_l, b_l) for l = 1..L, W_l shaped (fan_in, fan_out)."""
    rng = np.random.default_rng(seed)
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if init == "uniform":
            W = rng.uniform(-1.0, 1.0, size=(fan_in, fan_out))
            b = rng.uniform(-1.0, 1.0, size=fan_out)
        elif init == "xavier":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            W = rng.uniform(-limit, limit, size=(fan_in, fan_out))
            b = np.zeros(fan_out)
        elif init == "he":
            W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            b = np.zeros(fan_out)
        else:
            raise ValueError(f"unknown initialisation {init!r}; choose one of {INITS}")
        yield W, b
