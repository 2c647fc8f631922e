"""Speed and memory of the training engine, against a plain NumPy loop of the same maths.

    python tests/benchmarks/bench_core.py [--quick]

A script, not a test: it prints markdown tables and never fails on a time. The machine is
shared and noisy, so every number is the median of several rounds, and contenders run
interleaved within each round (their order rotating) so that a slow spell hits them all.
A ratio is the median over rounds of (contender speed / baseline speed) in the same round;
above 1 the contender is faster. The baseline (= 1.00) is the textbook loop in this file:
`z1 = X.dot(W1) + b1; a1 = sigmoid(z1) ...`, a new array per operation, the cost computed
every step with np.mean, gradients averaged over the batch, `W -= lr*dW`.

Sections: 1 XOR 2-3-1, 2 a 2,000-sample 2-64-64-64-1 net (with scikit-learn and PyTorch
when they are installed), 3 the headless runner end to end, 4 decision-grid evaluation,
5 peak memory of a million XOR epochs (in a subprocess, so that the number is clean).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # runnable without PYTHONPATH
    sys.path.insert(0, str(ROOT))

from backprop_gui.core.data import Dataset  # noqa: E402
from backprop_gui.core.losses import get_loss  # noqa: E402
from backprop_gui.core.network import Network  # noqa: E402
from backprop_gui.core.optim import SGD  # noqa: E402
from backprop_gui.core.trainer import Trainer  # noqa: E402

XOR_LR = 2.0
BIG_LR = 0.1
BIG_HIDDEN = (64, 64, 64)
BIG_SAMPLES = 2000
NO_LIMIT = 10**9  # max_epochs for trainers that the benchmark stops itself
K = TypeVar("K")  # a contender's key


@dataclass(frozen=True)
class Settings:
    """How much work each section does: --quick trades precision for time."""

    rounds: int
    xor_steps: int
    big_steps: int
    cli_xor_epochs: int
    cli_big_epochs: int
    grid_repeats: int
    memory_epochs: int
    profile_calls: int


FULL = Settings(rounds=7, xor_steps=20_000, big_steps=40, cli_xor_epochs=40_000,
                cli_big_epochs=100, grid_repeats=15, memory_epochs=1_000_000,
                profile_calls=20_000)
QUICK = Settings(rounds=3, xor_steps=4_000, big_steps=8, cli_xor_epochs=8_000,
                 cli_big_epochs=20, grid_repeats=5, memory_epochs=100_000,
                 profile_calls=3_000)


# -- measuring ---------------------------------------------------------------------------


def interleaved(contenders: dict[K, Callable[[], object]], rounds: int) -> dict[K, list[float]]:
    """Seconds per call of each contender, one call each per round, in an order that
    rotates from round to round. Each runs once untimed first (warm caches, first-call
    allocations)."""
    for run in contenders.values():
        run()
    names = list(contenders)
    seconds: dict[K, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            start = time.perf_counter()
            contenders[name]()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def speedup(baseline: list[float], contender: list[float]) -> float:
    """Median over rounds of baseline time / contender time (same work, same round)."""
    return statistics.median(b / c for b, c in zip(baseline, contender, strict=True))


def rate(seconds: list[float], work: int) -> float:
    """Median work per second."""
    return work / statistics.median(seconds)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ratio: float, required: float | None) -> tuple[str, str]:
    """(requirement, ok) cells."""
    if required is None:
        return "—", "—"
    return f"≥ {required:g}×", "yes" if ratio >= required else "**NO**"



def ratio_rows(secs: dict[str, list[float]], n: int, baseline: str,
               labels: dict[str, tuple[str, float | None]]) -> list[list[str]]:
    """Table rows: the plain loop ("plain") first, then each contender's rate and its
    speed-up over the plain loop, with the verdict against its requirement."""
    base = rate(secs["plain"], n)
    rows = [[baseline, fmt_rate(base), fmt_rate(base), "1.00×", "—", "—"]]
    for key, (label, required) in labels.items():
        ratio = speedup(secs["plain"], secs[key])
        rows.append([label, fmt_rate(base), fmt_rate(rate(secs[key], n)), f"{ratio:.2f}×",
                     *verdict(ratio, required)])
    return rows

def fmt_rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


# -- the machine ---------------------------------------------------------------------------


def pin_blas() -> str:
    """One BLAS thread for everything (NumPy, SciPy, PyTorch): two threads on two shared
    cores are slower and noisier than one (shared/PLATFORM.md), and one thread is what
    the program uses next to its GUI thread."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return "threadpoolctl is not installed: BLAS runs with its default thread count"
    threadpool_limits(1)
    pools = ", ".join(sorted({f"{p['internal_api']} {p.get('version') or ''}".strip()
                              for p in threadpool_info()}))
    return f"BLAS pinned to 1 thread with threadpoolctl ({pools})"


def machine_info() -> list[str]:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return [
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- CPU: {cpu}, {os.cpu_count()} cores ({usable} usable by this process)",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, {platform.platform()}",
    ]


# -- the baseline: textbook NumPy -----------------------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def plain_xor(X: np.ndarray, Y: np.ndarray, params: list[np.ndarray], lr: float,
              steps: int) -> float:
    """The seed's loop: 2-3-1 sigmoid, ½-MSE, full batch. Returns the last cost."""
    W1, b1, W2, b2 = params
    n = len(X)
    cost = 0.0
    for _ in range(steps):
        z1 = X.dot(W1) + b1
        a1 = sigmoid(z1)
        z2 = a1.dot(W2) + b2
        a2 = sigmoid(z2)
        cost = np.mean(0.5 * (a2 - Y) ** 2)
        dA2 = (a2 - Y) / n
        dZ2 = dA2 * a2 * (1 - a2)
        dW2 = a1.T.dot(dZ2)
        db2 = np.sum(dZ2, axis=0)
        dA1 = dZ2.dot(W2.T)
        dZ1 = dA1 * a1 * (1 - a1)
        dW1 = X.T.dot(dZ1)
        db1 = np.sum(dZ1, axis=0)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
    return float(cost)


def plain_mlp(X: np.ndarray, Y: np.ndarray, params: list[np.ndarray], lr: float,
              steps: int) -> float:
    """The same textbook style for any depth: tanh hidden layers, a sigmoid output,
    binary cross-entropy (so dZ_L = (a_L − y)/n). params = [W1, b1, W2, b2, ...]."""
    Ws, bs = params[0::2], params[1::2]
    L, n = len(Ws), len(X)
    cost = 0.0
    for _ in range(steps):
        a = [X]
        for l in range(L):
            z = a[l].dot(Ws[l]) + bs[l]
            a.append(np.tanh(z) if l < L - 1 else sigmoid(z))
        out = a[L]
        cost = np.mean(-(Y * np.log(out) + (1 - Y) * np.log(1 - out)))
        dZ = (out - Y) / n
        for l in range(L - 1, -1, -1):
            dW = a[l].T.dot(dZ)
            db = np.sum(dZ, axis=0)
            if l > 0:
                dA = dZ.dot(Ws[l].T)
                dZ = dA * (1 - a[l] ** 2)
            Ws[l] -= lr * dW
            bs[l] -= lr * db
    return float(cost)


# -- workloads -----------------------------------------------------------------------------


def xor_dataset() -> Dataset:
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    return Dataset(X, np.array([0, 1, 1, 0]), ["x1", "x2"], "y", "binary", ["0", "1"], "xor")


def spirals(n: int = BIG_SAMPLES, seed: int = 0) -> Dataset:
    """Two interleaved spirals, n points in all: a problem that needs the deep net."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.25, 3.0 * np.pi, n)
    angle = t + np.pi * y
    X = np.column_stack([t * np.cos(angle), t * np.sin(angle)]) / (3 * np.pi)
    X += rng.normal(0, 0.02, X.shape)
    return Dataset(X, y, ["x1", "x2"], "y", "binary", ["0", "1"], "spirals")


def build_net(sizes: list[int], hidden: str, output: str, dtype: type = np.float64,
              init: str = "xavier") -> Network:
    return Network.build(sizes, [hidden] * (len(sizes) - 2) + [output], init, 0, dtype)


def flat_params(net: Network) -> list[np.ndarray]:
    """[W1, b1, W2, b2, ...] as float64 copies: the baseline starts where the engine does."""
    weights = net.weights()
    return [weights[f"{k}{l}"].astype(np.float64) for l in range(1, net.L + 1) for k in "Wb"]


def make_trainer(net: Network, loss: str, lr: float, data: Dataset) -> Trainer:
    return Trainer(net, get_loss(loss), SGD(net.params, lr), data, max_epochs=NO_LIMIT)


def bare_step(trainer: Trainer) -> Callable[[int], None]:
    """The engine's step without the Trainer around it: forward, backward, update on the
    Trainer's own preallocated pass."""
    net, p, Y, loss, opt = (trainer.network, trainer._full, trainer.Y, trainer.loss,
                            trainer.optimizer)

    def run(steps: int) -> None:
        for _ in range(steps):
            net.run_forward(p)
            net.backward(p, Y, loss)
            opt.update(net.params, p.grads)

    return run


def check_same_maths(plain: Callable, data: Dataset, net: Network, loss: str,
                     lr: float) -> float:
    """Largest parameter difference after 5 steps of the baseline and of the engine: the
    two must be doing the same work for the ratios to mean anything."""
    params = flat_params(net)
    trainer = make_trainer(net, loss, lr, data)
    plain(data.X, data.targets(), params, lr, 5)
    with np.errstate(all="ignore"):
        trainer.train(epochs=5)
    engine = flat_params(trainer.network)
    return max(float(np.abs(a - b).max()) for a, b in zip(params, engine, strict=True))


# -- section 1: XOR ------------------------------------------------------------------------


def section_xor(s: Settings) -> list[str]:
    data = xor_dataset()
    sizes = [2, 3, 1]
    net = build_net(sizes, "sigmoid", "sigmoid", init="uniform")
    diff = check_same_maths(plain_xor, data, build_net(sizes, "sigmoid", "sigmoid",
                                                       init="uniform"), "mse", XOR_LR)
    X, Y, params = data.X, data.targets(), flat_params(net)
    trainer = make_trainer(net, "mse", XOR_LR, data)
    bare = bare_step(make_trainer(build_net(sizes, "sigmoid", "sigmoid", init="uniform"),
                                  "mse", XOR_LR, data))
    n = s.xor_steps
    secs = interleaved({
        "plain": lambda: plain_xor(X, Y, params, XOR_LR, n),
        "trainer": lambda: trainer.train(epochs=n),
        "bare": lambda: bare(n),
    }, s.rounds)
    rows = ratio_rows(secs, n, "plain NumPy loop (baseline)", {
        "trainer": ("engine `Trainer.train` (history, ‖dW‖, accuracy)", 1.25),
        "bare": ("engine bare step (forward, backward, update)", None),
    })
    return [
        f"### 1. XOR 2-3-1 sigmoid, ½-MSE, full batch, float64 ({n:,} steps a round, "
        f"{s.rounds} rounds)",
        "",
        table(["work", "baseline steps/s", "engine steps/s", "ratio", "requirement", "ok"],
              rows),
        "",
        f"Baseline and engine agree to {diff:.1e} after 5 steps. "
        "The requirement aims at 2×.",
        "",
        *profile_xor(s),
    ]


def per_call_us(fn: Callable[[], object], calls: int, rounds: int) -> float:
    """Median over rounds of the microseconds one call of fn takes."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(times)


def profile_xor(s: Settings) -> list[str]:
    """Where an XOR epoch's time goes: each part of Trainer.run_epoch timed alone. XOR is
    bound by the number of NumPy calls, so this is the table to read when it is slow."""
    data = xor_dataset()
    trainer = make_trainer(build_net([2, 3, 1], "sigmoid", "sigmoid", init="uniform"), "mse",
                           XOR_LR, data)
    net, p, Y, loss, opt = (trainer.network, trainer._full, trainer.Y, trainer.loss,
                            trainer.optimizer)
    X, Yp, params = data.X, data.targets(), flat_params(net)
    L, grad_sq = net.L, [0.1] * net.L
    parts: list[tuple[str, Callable[[], object]]] = [
        ("plain loop, one step (baseline)", lambda: plain_xor(X, Yp, params, XOR_LR, 1)),
        ("`Trainer.run_epoch` (all of the below)", trainer.run_epoch),
        ("`net.run_forward`", lambda: net.run_forward(p)),
        ("`net.backward` (loss included)", lambda: net.backward(p, Y, loss)),
        ("`opt.update` (SGD)", lambda: opt.update(net.params, p.grads)),
        ("`net.gradient_sq_norms`", lambda: net.gradient_sq_norms(p.grads, trainer._scratch)),
        ("accuracy (`Trainer._correct`)",
         lambda: trainer._correct(p.a[L], trainer._Y_positive, trainer.labels)),
        ("`history.append`", lambda: trainer.history.append(1, 0.1, np.nan, 1.0, np.nan,
                                                             grad_sq)),
    ]
    calls = s.profile_calls
    with np.errstate(all="ignore"):
        rows = [[label, f"{per_call_us(fn, calls, s.rounds):.1f}"] for label, fn in parts]
    return [
        f"Where an XOR epoch goes (µs a call, median of {s.rounds} × {calls:,} calls):",
        "",
        table(["part", "µs"], rows),
    ]


# -- section 2: the big net ----------------------------------------------------------------


def sklearn_contender(data: Dataset, dtype: type) -> Callable[[int], None] | str:
    """scikit-learn's MLP, one full-batch SGD step per partial_fit; or why not."""
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return "scikit-learn is not installed"
    X, y = data.X.astype(dtype), data.y
    model = MLPClassifier(hidden_layer_sizes=BIG_HIDDEN, activation="tanh", solver="sgd",
                          batch_size=len(X), learning_rate_init=BIG_LR, momentum=0.0,
                          alpha=0.0, shuffle=False, random_state=0)
    model.partial_fit(X, y, classes=np.array([0, 1]))

    def run(steps: int) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(steps):
                model.partial_fit(X, y)

    return run


def torch_contender(data: Dataset, dtype: type) -> Callable[[int], None] | str:
    """PyTorch on the CPU, one thread: nn.Sequential of the same shape, full-batch SGD."""
    try:
        import torch
    except ImportError:
        return "PyTorch is not installed"
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    sizes = [data.n_features, *BIG_HIDDEN]
    layers: list[torch.nn.Module] = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 1)).to(tdtype)
    X = torch.tensor(data.X, dtype=tdtype)
    Y = torch.tensor(data.targets(), dtype=tdtype)
    criterion = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr=BIG_LR)

    def run(steps: int) -> None:
        for _ in range(steps):
            opt.zero_grad()
            loss = criterion(model(X), Y)
            loss.backward()
            opt.step()

    return run


def section_big(s: Settings) -> list[str]:
    data = spirals()
    sizes = [2, *BIG_HIDDEN, 1]
    diff = check_same_maths(plain_mlp, data, build_net(sizes, "tanh", "sigmoid"), "bce", BIG_LR)
    X, Y, params = data.X, data.targets(), flat_params(build_net(sizes, "tanh", "sigmoid"))
    n = s.big_steps
    t64 = make_trainer(build_net(sizes, "tanh", "sigmoid"), "bce", BIG_LR, data)
    t32 = make_trainer(build_net(sizes, "tanh", "sigmoid", np.float32), "bce", BIG_LR, data)
    bare64 = bare_step(make_trainer(build_net(sizes, "tanh", "sigmoid"), "bce", BIG_LR, data))
    contenders: dict[str, Callable[[], object]] = {
        "plain": lambda: plain_mlp(X, Y, params, BIG_LR, n),
        "trainer64": lambda: t64.train(epochs=n),
        "trainer32": lambda: t32.train(epochs=n),
        "bare64": lambda: bare64(n),
    }
    labels = {
        "trainer64": ("engine `Trainer`, float64", 1.1),
        "trainer32": ("engine `Trainer`, float32", 2.2),
        "bare64": ("engine bare step, float64", None),
    }
    notes = []
    for lib, make in (("sklearn", sklearn_contender), ("torch", torch_contender)):
        for dtype, bits in ((np.float64, 64), (np.float32, 32)):
            run = make(data, dtype)
            if isinstance(run, str):
                notes.append(f"{lib} float{bits} skipped: {run}.")
                continue
            key = f"{lib}{bits}"
            contenders[key] = lambda run=run: run(n)
            title = ("scikit-learn `MLPClassifier.partial_fit`" if lib == "sklearn"
                     else "PyTorch CPU `nn.Sequential`")
            labels[key] = (f"{title}, float{bits}", None)
    with np.errstate(all="ignore"):
        secs = interleaved(contenders, s.rounds)
    rows = ratio_rows(secs, n, "plain NumPy loop, float64 (baseline)", labels)
    return [
        f"### 2. {len(X):,} samples, 2-64-64-64-1 tanh + sigmoid output, BCE, full batch "
        f"({n:,} steps a round, {s.rounds} rounds)",
        "",
        table(["work", "baseline steps/s", "contender steps/s", "ratio", "requirement", "ok"],
              rows),
        "",
        f"Baseline and engine agree to {diff:.1e} after 5 steps. The baseline is float64 "
        "throughout; scikit-learn runs with `shuffle=False` (one batch needs no shuffling).",
        *([""] + notes if notes else []),
    ]


# -- section 3: the headless runner ----------------------------------------------------------


def cli_projects(s: Settings) -> dict[str, tuple[dict, int]]:
    """The two runs, as (project file contents, epochs): the shipped XOR project, and the
    big net on 2,000 points of the "circles" data set."""
    xor = json.loads((ROOT / "resources/projects/xor.json").read_text())
    big = {
        "format": 1,
        "name": "circles, 2-64-64-64-1",
        "dataset": {"kind": "circles", "samples": BIG_SAMPLES},
        "network": {"hidden": [{"units": u, "activation": "tanh"} for u in BIG_HIDDEN],
                    "output_activation": "sigmoid", "init": "xavier"},
        "training": {"loss": "bce", "optimizer": "sgd", "learning_rate": BIG_LR,
                     "batch_size": 0, "epochs": 1000, "seed": 0,
                     "validation_fraction": 0.0, "patience": 0},
    }
    return {"XOR 2-3-1 (resources/projects/xor.json)": (xor, s.cli_xor_epochs),
            f"circles, {BIG_SAMPLES:,} samples, 2-64-64-64-1": (big, s.cli_big_epochs)}


def run_cli(cli_main: Callable[[list[str]], int], argv: list[str]) -> tuple[int, str]:
    """Exit status and stderr of one in-process `backprop-gui train`."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli_main(argv)
    return code, err.getvalue().strip()


def section_cli(s: Settings) -> list[str]:
    """`backprop-gui train FILE --quiet` in this process (no interpreter start-up): reading
    the project, making the data, training, evaluating and writing every result file,
    against the plain loop doing the same epochs on the same training set."""
    title = (f"### 3. Headless runner end to end: `cli.main(['train', FILE, '--quiet', "
             f"'--epochs', N, '--out', DIR])` ({s.rounds} rounds)")
    try:
        from backprop_gui import cli
        from backprop_gui.core.config import load_project
        from backprop_gui.core.experiment import Experiment
    except Exception as exc:  # the data-set modules may not exist yet
        return [title, "", f"Skipped: `backprop_gui.cli` does not import yet "
                           f"({type(exc).__name__}: {exc})."]
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for label, (project, epochs) in cli_projects(s).items():
            file = Path(tmp) / f"{len(rows) + len(notes)}.json"
            file.write_text(json.dumps(project))
            argv = ["train", str(file), "--quiet", "--epochs", str(epochs),
                    "--out", str(Path(tmp) / "out")]
            code, err = run_cli(cli.main, argv)
            if code != 0:
                notes.append(f"{label} skipped: exit status {code}: {err}")
                continue
            experiment = Experiment.from_project(load_project(file))
            train = experiment.train_set
            X, Y, params = train.X, train.targets(), flat_params(experiment.network)
            plain = plain_xor if experiment.network.L == 2 else plain_mlp
            lr = project["training"]["learning_rate"]
            with np.errstate(all="ignore"):
                secs = interleaved({
                    "plain": lambda p=plain, X=X, Y=Y, w=params, lr=lr, e=epochs: p(X, Y, w, lr, e),
                    "cli": lambda argv=argv: run_cli(cli.main, argv),
                }, s.rounds)
            ratio = speedup(secs["plain"], secs["cli"])
            rows.append([f"{label}, {epochs:,} epochs",
                         f"{statistics.median(secs['plain']):.3f}",
                         f"{statistics.median(secs['cli']):.3f}", f"{ratio:.2f}×",
                         *verdict(ratio, 0.8)])
    out = [title, ""]
    if rows:
        out += [table(["work", "plain loop s", "`backprop-gui train` s", "ratio",
                       "requirement", "ok"], rows), ""]
    out.append("The runner's time includes reading the project, making the data set, the "
               "final evaluation and writing metrics.json, history.csv and both weight files"
               f"{history_csv_cost(s.cli_xor_epochs)}.")
    return out + [""] + notes if notes else out


def history_csv_cost(rows: int) -> str:
    """How long formatting history.csv takes for an XOR run of `rows` epochs: the one
    part of the runner's time that grows with the run length but is not training."""
    try:
        from backprop_gui.core.export import history_csv
        from backprop_gui.core.history import History
    except ImportError:
        return ""
    history = History(2, [6, 3], "accuracy")
    for epoch in range(1, rows + 1):
        history.append(epoch, 0.1, np.nan, 1.0, np.nan, [0.1, 0.2])
    start = time.perf_counter()
    history_csv(history)
    ms = (time.perf_counter() - start) * 1e3
    return f" (formatting history.csv alone takes {ms:.0f} ms for {len(history):,} rows)"


# -- section 4: decision grid ----------------------------------------------------------------


def section_grid(s: Settings) -> list[str]:
    """net.predict on the grid the GUI colours behind the data, in both precisions."""
    net = build_net([2, *BIG_HIDDEN, 1], "tanh", "sigmoid")
    reference = {100: ("9.7", "3.2"), 200: ("48", "16 (12 in 2,048-row chunks)")}
    contenders = {}
    for side in reference:
        line = np.linspace(-1.5, 1.5, side)
        grid = np.column_stack([g.ravel() for g in np.meshgrid(line, line)])
        for dtype in (np.float64, np.float32):
            contenders[(side, dtype)] = lambda g=grid, d=dtype: net.predict(g, dtype=d)
    secs = interleaved(contenders, s.grid_repeats)
    rows = []
    for side, (ref64, ref32) in reference.items():
        ms64 = statistics.median(secs[(side, np.float64)]) * 1e3
        ms32 = statistics.median(secs[(side, np.float32)]) * 1e3
        rows.append([f"{side}×{side} = {side * side:,} points", f"{ms64:.1f}", f"{ms32:.1f}",
                     f"{ms64 / ms32:.1f}×", f"{ref64} / {ref32}"])
    return [
        f"### 4. Decision grid: `net.predict(grid, dtype=...)`, 2-64-64-64-1 "
        f"(median of {s.grid_repeats})",
        "",
        table(["grid", "float64 ms", "float32 ms", "float32 speed-up",
               "earlier notes, ms (f64 / f32)"], rows),
    ]


# -- section 5: memory ------------------------------------------------------------------------


def peak_rss_mb() -> tuple[float, float]:
    """(VmHWM, ru_maxrss) in MB. VmHWM is the peak of this process image alone; Linux
    carries ru_maxrss over from the parent across fork and exec, so in a child of a big
    process (this one, with PyTorch loaded) it reports the parent's size instead."""
    hwm = float("nan")
    with contextlib.suppress(OSError), open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    return hwm, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def memory_child(epochs: int) -> int:
    """Run in a fresh process: train XOR for `epochs` epochs through the Trainer and print
    the peak resident memory of the process as JSON."""
    pin_blas()
    trainer = make_trainer(build_net([2, 3, 1], "sigmoid", "sigmoid", init="uniform"), "mse",
                           XOR_LR, xor_dataset())
    start = time.perf_counter()
    trainer.train(epochs=epochs)
    seconds = time.perf_counter() - start
    hwm, maxrss = peak_rss_mb()
    print(json.dumps({"epochs": trainer.epoch, "seconds": seconds, "hwm_mb": hwm,
                      "maxrss_mb": maxrss, "history_rows": len(trainer.history)}))
    return 0


def section_memory(s: Settings) -> list[str]:
    """Peak memory after 0 and after many epochs: the difference is what training adds;
    the bounded History must keep it flat whatever the run length."""
    rows = []
    for epochs in (0, s.memory_epochs):
        done = subprocess.run([sys.executable, __file__, "--memory-child", str(epochs)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return ["### 5. Memory", "", f"Failed: {done.stderr.strip()[-500:]}"]
        r = json.loads(done.stdout)
        required = epochs > 0
        rows.append([
            f"XOR through the Trainer, {r['epochs']:,} epochs" if epochs else
            "0 epochs (interpreter, NumPy, engine)",
            f"{r['seconds']:.1f}", f"{r['history_rows']:,}", f"{r['hwm_mb']:.0f}",
            f"{r['maxrss_mb']:.0f}", "< 200 MB" if required else "—",
            ("yes" if r["hwm_mb"] < 200 else "**NO**") if required else "—",
        ])
    note = ("" if s.memory_epochs >= 10**6 else
            f" (--quick: {s.memory_epochs:,} epochs; the requirement is for 10^6)")
    return [
        f"### 5. Peak resident memory of a fresh subprocess{note}",
        "",
        table(["work", "s", "history rows", "peak RSS MB (VmHWM)", "ru_maxrss MB",
               "requirement", "ok"], rows),
        "",
        "The requirement is judged on VmHWM. `ru_maxrss` is printed as asked, but Linux "
        "carries it over from the parent across fork and exec, so here it shows the size of "
        "the benchmark process that started the child (NumPy, scikit-learn and PyTorch "
        "loaded), not the child's own.",
    ]


# -- main ------------------------------------------------------------------------------------


def preload_optional() -> None:
    """Import scikit-learn and PyTorch (when installed) before pinning BLAS, so that the
    thread pools they bring are pinned too."""
    for name in ("sklearn.neural_network", "torch"):
        with contextlib.suppress(ImportError):
            __import__(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds and shorter runs (well under a minute)")
    parser.add_argument("--memory-child", type=int, metavar="EPOCHS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        return memory_child(args.memory_child)
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    preload_optional()
    pinned = pin_blas()
    command = "python tests/benchmarks/bench_core.py" + (" --quick" if args.quick else "")
    print("## Core engine benchmark\n")
    print("\n".join([*machine_info(), f"- {pinned}", f"- command: `{command}`"]))
    print("\nRatios: median over rounds of (baseline time / contender time) in the same "
          "round; > 1 is faster than the plain NumPy loop.\n", flush=True)
    for section in (section_xor, section_big, section_cli, section_grid, section_memory):
        print("\n".join(section(settings)) + "\n", flush=True)
    print(f"Total benchmark time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
