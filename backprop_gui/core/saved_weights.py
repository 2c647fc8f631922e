"""Trained weights kept beside a project file: `NAME.weights.npz` next to `NAME.json`,
holding W1..WL (fan_in, fan_out), b1..bL (fan_out,) and `epoch`, the epochs they were
trained for. The project stays readable JSON; the weights are NumPy's plain format.

Weights files come from other people, like projects: they are read without pickle, and
anything that does not fit the project's network is refused with the file and the key,
before anything is replaced."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from .atomic_file import atomic_file
from .errors import ConfigError

#: a weights file bigger than this is refused (a 1024-wide, 32-layer net is ~270 MB)
MAX_BYTES = 512 * 2**20


def weights_path(project_path: str | os.PathLike) -> Path:
    """Where a project's trained weights are kept: beside it, NAME.weights.npz."""
    path = Path(project_path)
    return path.with_name(f"{path.stem}.weights.npz")


def save_trained(path: str | os.PathLike, weights: dict[str, np.ndarray], epoch: int) -> None:
    """Write atomically (a temporary file, then a rename): never half a weights file."""
    with atomic_file(Path(path), binary=True) as f:
        np.savez(f, epoch=np.int64(epoch), **weights)


def load_trained(path: str | os.PathLike, sizes: list[int]) -> tuple[dict[str, np.ndarray], int]:
    """The weights in `path` for a network of layer `sizes`, and their epoch; ConfigError
    (file and key) if they are not exactly such a network's, finite numbers."""
    path = Path(path)
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"{name}: too big for a weights file (the limit is {MAX_BYTES // 2**20} MB)")
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: np.array(data[key]) for key in data.files}
    except ConfigError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ConfigError(f"{name}: not a weights file NumPy can read ({type(exc).__name__}: "
                          f"{str(exc)[:80]})") from None
    L = len(sizes) - 1
    expected = {f"W{l}": (sizes[l - 1], sizes[l]) for l in range(1, L + 1)}
    expected |= {f"b{l}": (sizes[l],) for l in range(1, L + 1)}
    unknown = sorted(set(arrays) - set(expected) - {"epoch"})
    if unknown:
        raise ConfigError(f"{name}: {unknown[0]}: not a weight of this {'-'.join(map(str, sizes))} "
                          "network (it was saved for another one)")
    weights = {}
    for key, shape in expected.items():
        value = arrays.get(key)
        if value is None:
            raise ConfigError(f"{name}: {key}: missing; the file holds {', '.join(sorted(arrays))}")
        if value.shape != shape or value.dtype.kind not in "fi":
            raise ConfigError(f"{name}: {key}: must be {shape} numbers for this network, not "
                              f"{value.shape} {value.dtype}")
        if not np.isfinite(value).all():
            raise ConfigError(f"{name}: {key}: holds inf or NaN")
        weights[key] = value.astype(np.float64)
    epoch = arrays.get("epoch", np.int64(0))
    if epoch.shape != () or epoch.dtype.kind not in "iu" or int(epoch) < 0:
        raise ConfigError(f"{name}: epoch: must be a whole number >= 0")
    return weights, int(epoch)
