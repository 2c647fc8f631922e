"""What a run leaves on disk: weights as .npz (W1..WL shaped (fan_in, fan_out), b1..bL
shaped (fan_out,)), the history as CSV (one row per recorded epoch), and the final
metrics as JSON. Plain formats that any tool reads; nothing here is ever pickled."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .history import History


def save_weights(weights: dict[str, np.ndarray], path: Path) -> None:
    np.savez(path, **weights)


def weights_json(weights: dict[str, np.ndarray], sizes: list[int], epoch: int) -> str:
    """The weights for a person to read (or any language to load): the layer sizes, the
    epoch, and W1..WL as lists of rows (fan_in rows of fan_out numbers), b1..bL as lists;
    repr-exact floats, so they read back bit for bit."""
    layers = [{"W": np.asarray(weights[f"W{l}"], float).tolist(),
               "b": np.asarray(weights[f"b{l}"], float).tolist()} for l in range(1, len(sizes))]
    return json.dumps({"layer_sizes": list(sizes), "epoch": int(epoch), "layers": layers}, indent=1) + "\n"


def history_csv(history: History) -> str:
    """epoch, train_loss, val_loss, accuracy (or r2), val_accuracy (or val_r2), then the
    RMS and the L2 norm of dW per layer (grad_rms_1, ..., grad_l2_1, ...)."""
    metric = history.metric_name
    L = history.grad_l2.shape[1]
    header = ["epoch", "train_loss", "val_loss", metric, f"val_{metric}"]
    header += [f"grad_rms_{l}" for l in range(1, L + 1)]
    header += [f"grad_l2_{l}" for l in range(1, L + 1)]
    columns = [history.epoch, history.train_loss, history.val_loss, history.metric,
               history.val_metric, history.grad_rms, history.grad_l2]
    lines = [",".join(header)]
    for epoch, *values in np.column_stack(columns).tolist():
        lines.append(",".join([str(int(epoch)), *map(repr, values)]))
    # repr is the shortest text that reads back exactly; a missing value (NaN: no
    # validation set) becomes an empty cell
    return "\n".join(lines).replace(",nan", ",") + "\n"


def save_history(history: History, path: Path) -> None:
    path.write_text(history_csv(history), encoding="utf-8")


def save_metrics(metrics: dict[str, Any], path: Path) -> None:
    """JSON without NaN (not valid JSON): a missing value is null."""
    clean = {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
             for k, v in metrics.items()}
    path.write_text(json.dumps(clean, indent=2) + "\n", encoding="utf-8")
