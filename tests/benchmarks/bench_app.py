"""Speed of the desktop trainer: training in the window against training headless, how
often the plots are redrawn, how late the GUI thread's timers fire, and start-up time.

    python tests/benchmarks/bench_app.py [--quick] [--xvfb-note]

A script, not a test: it prints markdown tables and never fails on a time. Two workloads,
each with 1 and with 2 BLAS threads (threadpoolctl's `threadpool_limits(n)` around the
whole measurement, in this one process):

- XOR: the shipped preset (resources/projects/xor.json, 2-3-1, full batch);
- circles: 2,000 points, 2-64-64-64-1 tanh, full batch, SGD lr 0.1, float64 (the same
  project as bench_core.py's section 3).

Their epoch limit is raised to 10^9 so that nothing stops by itself. For each, in rounds,
headless for T/2, in the window for T, headless again for T/2 (the shared machine's speed
drifts by up to 2x within a minute: the mean of the two headless halves brackets the
window round, so a drift hits both sides of the ratio alike):

1. headless: `Experiment.from_project(project).trainer.train(seconds=T/2)`, no Qt;
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
import importlib.util
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
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_core, run as a script
from bench_core import ROOT, cli_projects, fmt_rate, machine_info, table  # noqa: E402

from backprop_gui.app.style import configure_pyqtgraph  # noqa: E402
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
    import pyqtgraph
    import PySide6

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


class PaintCounter(QObject):
    """Counts the paint events of the widget it filters, while `on`."""

    def __init__(self) -> None:
        super().__init__()
        self.on = False
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.on and event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class LagProbe(QObject):
    """A 10 ms precise QTimer in the GUI thread that records, at each tick, how much more
    than 10 ms has passed since the previous one (ms)."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(LAG_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.late: list[float] = []
        self._last: float | None = None

    def start(self) -> None:
        self.late, self._last = [], None
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.late.append((now - self._last) * 1e3 - LAG_INTERVAL_MS)
        self._last = now


def run_loop(seconds: float) -> None:
    """Run the Qt event loop for `seconds`."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def wait_signal(signal, trigger: Callable[[], object], accept: Callable[..., bool] = lambda *a: True,
                timeout: float = 30.0) -> bool:
    """Arm a wait for `signal` (with arguments that `accept` takes), call `trigger`, and
    run the event loop until the signal came or `timeout` seconds passed."""
    loop = QEventLoop()
    got: list[tuple] = []

    def slot(*args) -> None:
        if not got and accept(*args):
            got.append(args)
            loop.quit()

    signal.connect(slot)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(round(timeout * 1000))
    try:
        trigger()
        if not got:
            loop.exec()
    finally:
        timer.stop()
        signal.disconnect(slot)
    return bool(got)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Run the event loop until `condition()` holds (looked at every 5 ms) or timeout."""
    if condition():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(5)
    loop.exec()
    poll.stop()
    return condition()


class WindowBench:
    """The QApplication and one MainWindow for the whole run (settings in a scratch ini
    file, full speed), with the probes attached: paint counters on the cost and
    decision-boundary plots' viewports, a counter and a stopwatch around the window's
    snapshot handler, and the 10 ms lag timer."""

    def __init__(self, scratch: Path) -> None:
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        configure_pyqtgraph()
        from backprop_gui.app.main_window import MainWindow  # after the plot options

        settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
        self.window = window = MainWindow(settings)
        window.actions.speed.setCurrentIndex(0)  # full speed
        self.session = window.session
        self.cost_paints, self.boundary_paints = PaintCounter(), PaintCounter()
        window.cost.plot.viewport().installEventFilter(self.cost_paints)
        window.boundary.plot.viewport().installEventFilter(self.boundary_paints)
        self.lag = LagProbe()
        self.measuring = False
        self.snapshots = 0
        self.handle_ms: list[float] = []
        # the same handler, timed: received in the GUI thread, as the window receives it
        self.session.sigSnapshot.disconnect(window._on_snapshot)
        self.session.sigSnapshot.connect(self._on_snapshot)
        window.show()
        if not wait_until(lambda: window.windowHandle() is not None
                          and window.windowHandle().isExposed()):
            raise RuntimeError("the window was never exposed")
        self.platform = QGuiApplication.platformName()

    def _on_snapshot(self, snapshot) -> None:
        start = time.perf_counter()
        self.window._on_snapshot(snapshot)
        if self.measuring:
            self.handle_ms.append((time.perf_counter() - start) * 1e3)
            self.snapshots += 1

    def describe(self) -> str:
        w = self.window
        return (f"window {w.width()}x{w.height()}; cost plot {w.cost.plot.width()}x"
                f"{w.cost.plot.height()}, boundary plot {w.boundary.plot.width()}x"
                f"{w.boundary.plot.height()}")

    def _measuring(self, on: bool) -> None:
        self.measuring = self.cost_paints.on = self.boundary_paints.on = on

    def round(self, project: Project, seconds: float) -> WindowRound:
        """A fresh experiment of `project` trained at full speed for `seconds`."""
        window, session = self.window, self.session
        if not wait_signal(session.sigSnapshot,
                           lambda: window.load_project(copy.deepcopy(project))):
            raise RuntimeError("no snapshot after loading the project")
        run_loop(0.1)  # the first snapshot drawn, the plots settled
        trainer = session.experiment.trainer
        self.snapshots, self.handle_ms = 0, []
        self.cost_paints.count = self.boundary_paints.count = 0
        if not wait_signal(session.sigRunning, session.train, accept=bool):
            raise RuntimeError("training did not start")
        start_epoch, start = trainer.epoch, time.perf_counter()
        self._measuring(True)
        self.lag.start()
        run_loop(seconds)
        end_epoch, end = trainer.epoch, time.perf_counter()
        self._measuring(False)
        self.lag.stop()
        if not wait_signal(session.sigRunning, session.pause, accept=lambda r: not r):
            raise RuntimeError("training did not pause")
        if trainer.stop_reason is not None:
            raise RuntimeError(f"training stopped by itself: {trainer.stop_reason}")
        elapsed = end - start
        return WindowRound(
            steps_per_s=(end_epoch - start_epoch) * trainer.batches_per_epoch / elapsed,
            snapshots_per_s=self.snapshots / elapsed,
            cost_paints_per_s=self.cost_paints.count / elapsed,
            boundary_paints_per_s=self.boundary_paints.count / elapsed,
            handle_ms=self.handle_ms,
            lateness_ms=self.lag.late,
        )

    def close(self) -> None:
        self.window.document.discard()
        self.window.close()


Results = dict[str, dict[int, list[tuple[float, WindowRound]]]]  # workload, BLAS threads


def measure_training(bench: WindowBench, projects: dict[str, Project], s: Settings,
                     threads: tuple[int, ...]) -> Results:
    """(headless steps/s, window round) pairs: per BLAS setting, per workload, per round;
    the headless rate is the mean of a half round just before the window's and one just
    after."""
    from threadpoolctl import threadpool_limits

    results: Results = {label: {} for label in projects}
    for n in threads:
        with threadpool_limits(n):
            for label, project in projects.items():
                pairs = results[label][n] = []
                for _ in range(s.rounds):
                    before = headless_rate(project, s.seconds / 2)
                    window = bench.round(project, s.seconds)
                    after = headless_rate(project, s.seconds / 2)
                    pairs.append(((before + after) / 2, window))
                print(f"  measured {label}, {n} BLAS thread(s)", file=sys.stderr, flush=True)
    return results


# -- start-up --------------------------------------------------------------------------------

#: the program as `backprop-gui` starts it (the XOR preset); prints the time when shown
APP_CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication
from backprop_gui.app import launch

def shown(window):
    print(time.perf_counter(), flush=True)
    window.document.discard()
    window.close()
    QApplication.instance().quit()

sys.exit(launch.run(argv=sys.argv[:1], on_shown=shown))
"""

#: the floor: PySide6 + pyqtgraph, one plot in a main window, shown; then `shown()`, which
#: the script that uses it defines, at the first event (bench_frozen.py freezes it too)
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg

app = QApplication(sys.argv[:1])
window = QMainWindow()
plot = pg.PlotWidget()
plot.plot([0, 1, 2, 3], [0, 1, 0, 1])
window.setCentralWidget(plot)
window.resize(1280, 760)
window.show()
QTimer.singleShot(0, shown)
sys.exit(app.exec())
"""
BARE_CHILD = """
import time

def shown():
    print(time.perf_counter(), flush=True)
    app.quit()
""" + BARE_WINDOW

STARTUP_CHILDREN = {"bare PySide6 + pyqtgraph window": BARE_CHILD,
                    "backprop-gui (`launch.run`, XOR preset)": APP_CHILD}


def startup_once(code: str, env: dict[str, str]) -> float:
    """Seconds from just before the child is launched to the moment its window is shown.
    Both ends read time.perf_counter(), which on Linux is CLOCK_MONOTONIC, one clock for
    every process: the child prints its reading, the parent subtracts its own."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"start-up child failed ({done.returncode}): {done.stderr[-800:]}")
    return float(done.stdout.split()[0]) - start


def measure_startup(runs: int, scratch: Path) -> dict[str, list[float]]:
    """Each child `runs` times, alternating, after one untimed run of each (warm file
    cache). The children see this process's Qt platform, and a scratch XDG_CONFIG_HOME so
    that the program's saved layout never touches the user's."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(scratch / "config"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    for code in STARTUP_CHILDREN.values():
        startup_once(code, env)
    seconds: dict[str, list[float]] = {name: [] for name in STARTUP_CHILDREN}
    names = list(STARTUP_CHILDREN)
    for r in range(runs):
        for name in names[r % 2:] + names[:r % 2]:
            seconds[name].append(startup_once(STARTUP_CHILDREN[name], env))
    return seconds


# -- tables ----------------------------------------------------------------------------------


def ok(passed: bool) -> str:
    return "yes" if passed else "**NO**"


def med(values: list[float]) -> float:
    return statistics.median(values)


def training_table(results: Results) -> tuple[str, bool]:
    rows, passed = [], True
    for label, by_threads in results.items():
        for n, pairs in by_threads.items():
            ratio = med([w.steps_per_s / h for h, w in pairs])
            passed &= ratio >= MIN_RATIO
            rows.append([label, str(n), fmt_rate(med([h for h, _ in pairs])),
                         fmt_rate(med([w.steps_per_s for _, w in pairs])), f"{ratio:.2f}×",
                         f"≥ {MIN_RATIO:.2f}×", ok(ratio >= MIN_RATIO)])
    return table(["workload", "BLAS threads", "headless steps/s", "in-window worker steps/s",
                  "worker / headless", "target", "ok"], rows), passed


def drawing_table(results: Results) -> tuple[str, bool]:
    rows, passed = [], True
    for label, by_threads in results.items():
        for n, pairs in by_threads.items():
            rounds = [w for _, w in pairs]
            snaps = med([w.snapshots_per_s for w in rounds])
            cost = med([w.cost_paints_per_s for w in rounds])
            boundary = med([w.boundary_paints_per_s for w in rounds])
            handle = [ms for w in rounds for ms in w.handle_ms]
            drawn = min(snaps, cost)
            passed &= drawn >= MIN_FPS
            rows.append([label, str(n), f"{snaps:.1f}", f"{cost:.1f}", f"{boundary:.1f}",
                         f"{np.percentile(handle, 50):.1f} / {np.percentile(handle, 90):.1f}"
                         if handle else "—",
                         f"≥ {MIN_FPS:g}", ok(drawn >= MIN_FPS)])
    return table(["workload", "BLAS threads", "snapshots received /s", "cost plot repaints /s",
                  "boundary plot repaints /s", "`_on_snapshot` ms, p50 / p90", "target (fps)",
                  "ok"], rows), passed


def lag_table(results: Results) -> tuple[str, bool]:
    rows, passed = [], True
    for label, by_threads in results.items():
        for n, pairs in by_threads.items():
            late = [w.lateness_ms for _, w in pairs]
            p50 = med([float(np.percentile(x, 50)) for x in late])
            p99 = med([float(np.percentile(x, 99)) for x in late])
            worst = med([max(x) for x in late])
            passed &= p99 < MAX_LAG_P99_MS
            rows.append([label, str(n), f"{med([len(x) for x in late]):.0f}", f"{p50:.1f}",
                         f"{p99:.1f}", f"{worst:.1f}", f"p99 < {MAX_LAG_P99_MS:g} ms",
                         ok(p99 < MAX_LAG_P99_MS)])
    return table(["workload", "BLAS threads", "ticks a round", "p50 ms late", "p99 ms late",
                  "max ms late", "target", "ok"], rows), passed


def startup_table(seconds: dict[str, list[float]]) -> tuple[str, bool]:
    bare_name, app_name = list(STARTUP_CHILDREN)
    bare = med(seconds[bare_name])
    rows, passed = [], True
    for name, values in seconds.items():
        m = med(values)
        is_app = name == app_name
        if is_app:
            passed = m < MAX_STARTUP_S
        rows.append([name, f"{m:.2f}", f"{min(values):.2f}–{max(values):.2f}", str(len(values)),
                     f"{m / bare:.2f}×", f"< {MAX_STARTUP_S:g} s" if is_app else "—",
                     ok(m < MAX_STARTUP_S) if is_app else "—"])
    return table(["program", "median s", "range s", "runs", "vs bare window", "target", "ok"],
                 rows), passed


# -- under Xvfb ------------------------------------------------------------------------------


def xvfb_child(seconds: float, runs: int) -> int:
    """Run under an X server ($DISPLAY): one window round of each workload (1 BLAS
    thread) and the start-up times; print them as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        choose_platform(scratch)
        bench = WindowBench(scratch)
        results = measure_training(bench, workloads(), Settings(1, seconds, runs), (1,))
        platform_name, size = bench.platform, bench.describe()
        bench.close()
        startup = measure_startup(runs, scratch)
    print(json.dumps({
        "platform": platform_name, "size": size, "startup": startup,
        "training": {label: [[h, asdict(w)] for h, w in by[1]] for label, by in results.items()},
    }))
    return 0


def xvfb_note(s: Settings) -> list[str]:
    title = "### 5. Note: the same under Xvfb (a real X server, `xcb`), 1 BLAS thread, 1 round"
    runner = shutil.which("xvfb-run")
    if runner is None:
        return [title, "", "Skipped: `xvfb-run` is not installed (Debian: `apt-get install "
                           "xvfb xauth`, plus the xcb libraries listed in shared/PLATFORM.md)."]
    command = [runner, "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24", sys.executable,
               __file__, "--xvfb-child", str(s.seconds), str(max(1, min(3, s.startup_runs)))]
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    if done.returncode != 0:
        return [title, "", f"Failed ({done.returncode}): {done.stderr.strip()[-800:]}"]
    r = json.loads(done.stdout.strip().splitlines()[-1])
    rows = []
    for label, pairs in r["training"].items():
        h, w = pairs[0]
        late = w["lateness_ms"]
        rows.append([label, f"{w['steps_per_s'] / h:.2f}×", f"{w['snapshots_per_s']:.1f}",
                     f"{w['cost_paints_per_s']:.1f}", f"{w['boundary_paints_per_s']:.1f}",
                     f"{np.percentile(late, 99):.1f}", f"{max(late):.1f}"])
    startup = ", ".join(f"{name} {med(values):.2f} s" for name, values in r["startup"].items())
    return [
        title, "",
        table(["workload", "worker / headless", "snapshots /s", "cost repaints /s",
               "boundary repaints /s", "lag p99 ms", "lag max ms"], rows), "",
        f"Platform `{r['platform']}`, {r['size']}. Start-up (median of "
        f"{len(next(iter(r['startup'].values())))}): {startup}.",
    ]


# -- main ------------------------------------------------------------------------------------


def cpu_ticks() -> tuple[int, int] | None:
    """(all, stolen) CPU ticks since boot from /proc/stat (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(f) for f in fields]
    return sum(ticks[:8]), ticks[7] if len(ticks) > 7 else 0


def steal_note(before: tuple[int, int] | None) -> str:
    """What share of the machine's CPU time the hypervisor took during the run: a shared
    virtual machine's numbers swing with it."""
    after = cpu_ticks()
    if before is None or after is None or after[0] <= before[0]:
        return "CPU time stolen by the hypervisor: not known on this system."
    share = (after[1] - before[1]) / (after[0] - before[0])
    return f"CPU time stolen by the hypervisor during the run: {share:.0%} of all CPU time."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round of 2 s (about 30 s)")
    parser.add_argument("--xvfb-note", action="store_true",
                        help="also repeat one round and the start-up times under xvfb-run")
    parser.add_argument("--xvfb-child", nargs=2, metavar=("SECONDS", "RUNS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if importlib.util.find_spec("threadpoolctl") is None:  # it sets 1 and 2 BLAS threads
        print('bench_app.py needs threadpoolctl: .venv/bin/pip install ".[bench]"', file=sys.stderr)
        return 2
    if args.xvfb_child:
        return xvfb_child(float(args.xvfb_child[0]), int(args.xvfb_child[1]))
    s = QUICK if args.quick else FULL
    started, ticks = time.perf_counter(), cpu_ticks()
    command = "python tests/benchmarks/bench_app.py" + (" --quick" if args.quick else "") + (
        " --xvfb-note" if args.xvfb_note else "")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        platform_note = choose_platform(scratch)
        bench = WindowBench(scratch)
        print("## Desktop trainer benchmark\n")
        print("\n".join([
            *machine_info(), f"- {versions()}",
            f"- BLAS: {blas_pools()}; 1 and 2 threads with `threadpool_limits(n)`",
            f"- Qt platform: {platform_note}; {bench.describe()}",
            f"- {s.rounds} round(s) of {s.seconds:g} s per measurement; medians over rounds",
            f"- command: `{command}`",
        ]) + "\n", flush=True)
        results = measure_training(bench, workloads(), s, BLAS_THREADS)
        bench.close()
        verdicts = {}
        for number, (title, make) in enumerate((
            ("Training speed: worker in the shown window vs headless `Trainer.train`",
             training_table),
            ("Drawing: snapshots and repaints a second while training at full speed",
             drawing_table),
            (f"GUI event-loop lag: lateness of a {LAG_INTERVAL_MS} ms QTimer while training",
             lag_table),
        ), start=1):
            text, verdicts[number] = make(results)
            print(f"### {number}. {title}\n\n{text}\n", flush=True)
        startup = measure_startup(s.startup_runs, scratch)
        text, verdicts[4] = startup_table(startup)
        print("### 4. Start-up: process start to window shown "
              f"(median of {s.startup_runs})\n\n{text}\n")
        print("Measured as the child's `time.perf_counter()` in `on_shown` (QTimer.singleShot(0) "
              "after `show()`) minus the parent's just before `subprocess.run`: one "
              "CLOCK_MONOTONIC clock for both, so it includes interpreter start and every "
              "import. One untimed run of each first (warm file cache).\n", flush=True)
        if args.xvfb_note:
            print("\n".join(xvfb_note(s)) + "\n")
    names = {1: "training ratio", 2: "drawing fps", 3: "event-loop lag", 4: "start-up"}
    print("Targets: " + ", ".join(f"{names[k]} {'met' if v else 'MISSED'}"
                                  for k, v in verdicts.items()) + ".")
    print(steal_note(ticks))
    print(f"Total benchmark time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
