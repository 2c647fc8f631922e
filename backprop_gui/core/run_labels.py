"""What tells kept runs apart: each run's settings in a few short words ("lr 0.1",
"relu", "2-8-8-1", "adam"), and a label per run made of just the settings that differ
between the runs being compared, so a lab on learning rates reads "lr 0.1" against
"lr 3", and one on activations "sigmoid" against "relu"."""

from __future__ import annotations

from .config import Project


def run_settings(project: Project, sizes: list[int]) -> dict[str, str]:
    """The settings a student changes between runs, each as it would be written on a plot."""
    n, t, d = project.network, project.training, project.dataset
    activations = sorted({layer.activation for layer in n.hidden})
    return {
        "data": d.kind if d.kind != "csv" else (d.path or "csv").rsplit("/", 1)[-1],
        "inputs": ", ".join(d.inputs) if d.inputs else "x1, x2",
        "network": "-".join(map(str, sizes)),
        "activation": "/".join(activations) if activations else "none",
        "init": n.init,
        "optimizer": t.optimizer,
        "lr": f"lr {t.learning_rate:g}",
        "batch": "full batch" if t.batch_size == 0 else f"batch {t.batch_size}",
        "l1": f"L1 {t.l1:g}",
        "l2": f"L2 {t.l2:g}",
        "seed": f"seed {t.seed}",
        "patience": f"patience {t.patience}" if t.patience else "no early stopping",
    }


def run_labels(runs: list[dict[str, str]], numbers: list[int] | None = None) -> list[str]:
    """One label per run: the settings whose values are not the same in every run, in a
    fixed order; "run 1", "run 2"... (by `numbers`, default 1, 2, ...) where the runs
    differ in nothing shown."""
    if not runs:
        return []
    numbers = numbers if numbers is not None else list(range(1, len(runs) + 1))
    keys = [key for key in runs[0] if len({run.get(key) for run in runs}) > 1]
    return [", ".join(run.get(key, "?") for key in keys) or f"run {n}" for run, n in zip(runs, numbers)]
