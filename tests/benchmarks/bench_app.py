"""Speed of the desktop trainer: training in the window against training headless, how
often the plots are redrawn, how late the GUI thread's timers fire, and start-up time.

    python tests/benchmarks/bench_app.py [--quick] [--xvfb-note]

A script, not a test: it prints markdown tables and never fails on a time. Two workloads,
each with 1 and with 2 BLAS threads (threadpoolctl's `threadpool_limits(n)` around the
whole measurement, in this one process):

- XOR: the shipped preset (resources/projects/xor.json, 2-3-1, full batch);
- circles: 2,000 points, 2-64-64-64-1 tanh, full batch, SGD lr 0.1, float64 (the same
  project as bench_core.py's section 3).

Their epoch limit is raised to 10^9 so that nothing stops by itself. For each, in rounds
(headless first in even rounds, the window first in odd ones, so a slow spell hits both):

1. headless: `Experiment.from_project(project).trainer.train(seconds=T)`, no Qt;
2. in the window: the real MainWindow, shown (offscreen, or on the X server in $DISPLAY),
   training at full speed with every plot live for T seconds: the worker's steps/s (from
   `trainer.epoch` before and after), the snapshots the window received and the repaints
   of the cost and decision-boundary plots, and the lateness of a 10 ms QTimer in the
   GUI thread;
3. start-up: process start to window shown, in a subprocess, against a bare PySide6 +
   pyqtgraph window measured the same way.

Every number is a median over rounds; a ratio is taken within a round. Offscreen, the
screen is made 1920x1080 (Qt's offscreen plugin defaults to 800x800, which would shrink
the window below its default 1280x760 and flatter the repaint cost).

--xvfb-note also repeats one round of the window measurement (1 BLAS thread) and the
start-up times in a child process under Xvfb (`xvfb-run`), for comparison with a real X
server's painting and start-up.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_core, run as a script
from bench_core import ROOT, cli_projects, fmt_rate, machine_info, table  # noqa: E402

from backprop_gui.core.config import Project, parse_project  # noqa: E402
from backprop_gui.core.experiment import Experiment  # noqa: E402

NO_LIMIT = 10**9  # epoch limit of both workloads: the benchmark stops them itself
BLAS_THREADS = (1, 2)
LAG_INTERVAL_MS = 10
SCREEN = (1920, 1080)  # the offscreen screen

# targets
MIN_RATIO = 0.70  # worker steps/s over headless steps/s
MIN_FPS = 25.0  # snapshots drawn a second
MAX_LAG_P99_MS = 30.0  # 10 ms timer lateness, 99th percentile
MAX_STARTUP_S = 1.5


@dataclass(frozen=True)
class Settings:
    rounds: int
    seconds: float  # T: seconds of training per measurement
    startup_runs: int


FULL = Settings(rounds=3, seconds=4.0, startup_runs=5)
QUICK = Settings(rounds=1, seconds=2.0, startup_runs=1)


# -- the workloads ---------------------------------------------------------------------------


def workloads() -> dict[str, Project]:
    """The XOR preset and the circles net, from bench_core's project definitions, with
    the epoch limit out of the way."""
    out = {}
    for label, (data, _epochs) in cli_projects(FULL_CORE).items():
        data = copy.deepcopy(data)
        data["training"]["epochs"] = NO_LIMIT
        short = "XOR 2-3-1" if label.startswith("XOR") else "circles 2,000 × 2-64-64-64-1"
        out[short] = parse_project(data, f"{short}.json", ROOT)
    return out


class _CoreSettings:  # cli_projects only reads the epoch counts, which are replaced
    cli_xor_epochs = cli_big_epochs = 1


FULL_CORE = _CoreSettings()


# -- the machine -----------------------------------------------------------------------------


def choose_platform(scratch: Path) -> str:
    """Set the Qt platform before any QApplication exists: the X server in $DISPLAY if
    there is one, else offscreen on a 1920x1080 screen. Returns a description."""
    asked = os.environ.get("QT_QPA_PLATFORM", "")
    if asked and asked != "offscreen":
        return f"`QT_QPA_PLATFORM={asked}` (as set by the caller)"
    if not asked and os.environ.get("DISPLAY"):
        return f"xcb on DISPLAY={os.environ['DISPLAY']} (a real or Xvfb X server)"
    config = scratch / "offscreen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "bench", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1],
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    return f"offscreen (`QT_QPA_PLATFORM=offscreen`, screen {SCREEN[0]}x{SCREEN[1]})"


def blas_pools() -> str:
    from threadpoolctl import threadpool_info

    return ", ".join(sorted({f"{p['internal_api']} {p.get('version') or ''}".strip()
                             for p in threadpool_info()}))


def versions() -> str:
    import PySide6
    import pyqtgraph

    return f"PySide6 {PySide6.__version__}, pyqtgraph {pyqtgraph.__version__}"


# -- headless --------------------------------------------------------------------------------


def headless_rate(project: Project, seconds: float) -> float:
    """Steps a second of a fresh experiment's Trainer.train(seconds=...) in this thread."""
    trainer = Experiment.from_project(copy.deepcopy(project)).trainer
    start_epoch, start = trainer.epoch, time.perf_counter()
    trainer.train(seconds=seconds)
    elapsed = time.perf_counter() - start
    return (trainer.epoch - start_epoch) * trainer.batches_per_epoch / elapsed


# -- in the window ---------------------------------------------------------------------------


@dataclass
class WindowRound:
    steps_per_s: float
    snapshots_per_s: float
    cost_paints_per_s: float
    boundary_paints_per_s: float
    handle_ms: list[float]  # MainWindow._on_snapshot, each call
    lateness_ms: list[float]  # 10 ms timer, each tick after the first


