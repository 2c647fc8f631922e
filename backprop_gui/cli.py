"""The command line: `backprop-gui [FILE]` opens the desktop program (with the project
FILE, or the XOR preset), `backprop-gui train FILE` trains headless and writes the results,
`backprop-gui export FILE --script OUT.py [--torch OUT.py]` writes the project as a script
that trains it with NumPy alone (or PyTorch), `backprop-gui lab check LAB` trains a lab's
reference solution headless and says which goals it meets (`lab list`: the built-in labs).

`backprop-gui --self-test [--screenshot PNG]` trains XOR in the real window, offscreen,
and says whether this copy of the program works (the frozen executable's check).
`backprop-gui --install-desktop` lets the desktop open project and lab files with this
copy of the program by double-click, for this user (`--uninstall-desktop` takes it back).

Exit status: 0 trained (whatever stopped it: see metrics.json's stop_reason), 1 the
project or its data is wrong (one line on stderr says where), 2 the command line is
wrong, 70 a bug in backprop-gui, 130 interrupted by Ctrl+C, 143 by SIGTERM (`kill`,
`timeout`): training stops at the end of a slice of steps and the results so far are
still written.
The self-test: 0 passed (100% accuracy), 1 failed, 70 a bug. --install-desktop and
--uninstall-desktop: 0 done (a desktop tool that is missing is only mentioned), 1 a file
could not be written (one line on stderr)."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from . import __version__
from .cli_export import add_export_command
from .cli_lab import add_lab_commands
from .core.config import load_project
from .core.errors import ProjectError
from .core.experiment import Experiment
from .core.export import save_history, save_metrics, save_weights
from .stop_signals import StopRequests

EXIT_USER_ERROR, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 1, 2, 70, 130
PROGRESS_AFTER = 1.0  # seconds: shorter runs print no progress
PROGRESS_EVERY = 0.5


COMMANDS = ("train", "export", "lab")
#: the Debian packages of the system libraries the standalone executable does not carry
#: (the README's "On another Linux" lists the same; a bare Debian 12 needs no more)
FROZEN_NEEDS = "libgl1 libegl1 libxcb1 fontconfig-config fonts-dejavu-core"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return _window(argv[0] if argv else None)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test and args.command is not None:
        parser.error("--self-test takes no command")
    if args.screenshot is not None and not args.self_test:
        parser.error("--screenshot needs --self-test")
    desktop = args.install_desktop or args.uninstall_desktop
    if desktop and args.command is not None:
        parser.error("--install-desktop and --uninstall-desktop take no command")
    if args.self_test:
        return _self_test(args.screenshot)
    if desktop:
        args.run = _desktop
    elif args.command is None:
        return _window(None)
    gc.enable()  # headless: the usual collector (the start may have turned it off)
    try:
        return args.run(args)
    except ProjectError as exc:
        print(f"backprop-gui: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except MemoryError:
        print("backprop-gui: out of memory: use fewer samples or a smaller network",
              file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:  # Ctrl+C while a file loads or a script is written
        print("backprop-gui: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("BACKPROP_GUI_DEBUG"):
            raise
        print(f"backprop-gui: internal error: {type(exc).__name__}: {exc} "
              "(please report it; BACKPROP_GUI_DEBUG=1 shows the details)", file=sys.stderr)
        return EXIT_BUG


def _window(project_file: str | None) -> int:
    """Open the desktop program; Qt is imported only here, so the headless runner never
    needs a display or Qt's libraries. No cycle collections while it starts: the imports
    and the window's construction allocate a great deal, and the collector's passes over
    it cost some 70 ms of a frozen build's start (0.15 s from source); the window then
    collects on its own timer (app/gc_in_gui_thread.py). The entry points turn the
    collector off before importing this module; the headless commands turn it back on."""
    gc.disable()
    if no_display():
        print("backprop-gui: no display to open the window on (DISPLAY and WAYLAND_DISPLAY "
              "are unset): run it on a desktop, or without a screen try `backprop-gui "
              "--self-test --screenshot shot.png` or `backprop-gui train FILE` (or set "
              "QT_QPA_PLATFORM=offscreen)", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        from .app.launch import run
        from .app.x11_check import x11_problem
    except ImportError as exc:
        return _no_desktop(exc)
    problem = x11_problem()
    if problem is not None:
        return _cannot_start(problem)
    return run(project_file)


def no_display(env: dict[str, str] | None = None) -> bool:
    """Linux without an X or Wayland display and no Qt platform chosen: Qt would abort
    (core dump, exit 134) with a message about plugins that helps nobody."""
    env = os.environ if env is None else env
    return (sys.platform.startswith("linux") and not env.get("QT_QPA_PLATFORM")
            and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"))


def _self_test(screenshot: Path | None) -> int:
    """Train XOR in the real window offscreen (see app/self_test.py)."""
    gc.disable()  # a quiet start, as _window's
    try:
        from .app.self_test import run_self_test
    except ImportError as exc:
        return _no_desktop(exc, "self-test FAILED: ")
    return run_self_test(screenshot)


def _desktop(args: argparse.Namespace) -> int:
    """--install-desktop / --uninstall-desktop (see desktop_install.py: no Qt)."""
    from .desktop_install import main as install_desktop

    return install_desktop(uninstall=args.uninstall_desktop)


def _no_desktop(exc: ImportError, prefix: str = "") -> int:
    """Qt could not load: say so in one line (the imports above stay static, for
    PyInstaller to find)."""
    return _cannot_start(no_desktop_hint(exc), prefix)


def _cannot_start(why: str, prefix: str = "") -> int:
    print(f"backprop-gui: {prefix}the desktop window cannot start: {why}", file=sys.stderr)
    return EXIT_USER_ERROR


def no_desktop_hint(exc: ImportError, frozen: bool | None = None) -> str:
    """Why: the toolkit is not installed for this Python (the wrong interpreter, most
    often), or a system library it needs is missing: for the standalone executable, one of
    the few it leaves to the system (the README's "On another Linux" names them)."""
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in ("PySide6", "pyqtgraph"):
        return (f"{exc.name} is not installed for this Python ({sys.executable}): use the "
                "program's own environment (e.g. .venv/bin/backprop-gui) or pip install it there")
    if frozen if frozen is not None else getattr(sys, "frozen", False):
        return (f"{exc} (this program needs a few system libraries; on Debian or Ubuntu: "
                f"sudo apt-get install -y --no-install-recommends {FROZEN_NEEDS})")
    return (f"{exc} (on a headless Linux machine, install the Qt libraries the README "
            "lists)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-gui",
        usage="backprop-gui [FILE] | backprop-gui train FILE [options] | "
              "backprop-gui export FILE --script OUT.py | backprop-gui lab check LAB | "
              "backprop-gui --self-test [--screenshot PNG] | backprop-gui --install-desktop",
        description="Watch backpropagation train a neural network. Without a command, "
                    "opens the desktop program (with the project FILE, or the XOR preset).")
    parser.add_argument("--version", action="version", version=f"backprop-gui {__version__}")
    alone = parser.add_mutually_exclusive_group()
    alone.add_argument("--self-test", action="store_true",
                       help="train XOR in the window (offscreen unless QT_QPA_PLATFORM is set), "
                            "save a screenshot, exit 0 only if it reached 100%% accuracy")
    alone.add_argument("--install-desktop", action="store_true",
                       help="let the desktop open project and lab files with this program by "
                            "double-click, for this user (Linux: a menu entry, a file type and "
                            "the icon in ~/.local/share; Windows: \"Open with\" in the registry)")
    alone.add_argument("--uninstall-desktop", action="store_true",
                       help="remove what --install-desktop wrote")
    parser.add_argument("--screenshot", metavar="PNG", type=Path,
                        help="with --self-test: where to save the screenshot (default: the "
                             "temporary folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    train = commands.add_parser(
        "train", prog="backprop-gui train",
        help="train a project file headless and write the results",
        description="Train the network a project file describes, without a window.")
    train.add_argument("file", metavar="FILE", help="a project or lab file (.json)")
    train.add_argument("--epochs", type=_whole_number(1, 10**9), help="override training.epochs")
    train.add_argument("--seed", type=_whole_number(0, 2**32 - 1), help="override training.seed "
                       "(initial weights, validation split, shuffling)")
    train.add_argument("--out", metavar="DIR", type=Path,
                       help="write metrics.json, history.csv, weights.npz and "
                            "initial_weights.npz here (created if missing)")
    train.add_argument("--quiet", action="store_true", help="no progress, no summary")
    train.set_defaults(run=_train)
    add_export_command(commands)
    add_lab_commands(commands)
    return parser


def _whole_number(low: int, high: int):
    """An argparse type: a whole number from low to high, with a message that says so."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}")
        return value

    return parse


def _train(args: argparse.Namespace) -> int:
    project = load_project(args.file)
    if args.epochs is not None:
        project.training.epochs = args.epochs
    if args.seed is not None:
        project.training.seed = args.seed
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise ProjectError(f"--out {args.out}: exists and is not a folder")
    experiment = Experiment.from_project(project)
    initial_weights = experiment.network.weights()
    trainer = experiment.trainer
    progress = None if args.quiet else _Progress(sys.stderr, project.training.epochs)
    start = time.perf_counter()
    with StopRequests() as stop:
        try:
            while not trainer.done and stop.signal is None:
                trainer.train(seconds=PROGRESS_EVERY)
                if progress:
                    progress.show(trainer, time.perf_counter() - start)
        except KeyboardInterrupt:  # a second Ctrl+C, or one outside the main thread
            stop.signal = stop.signal or signal.SIGINT
    interrupted = stop.signal is not None
    seconds = time.perf_counter() - start
    if progress:
        progress.close()
    metrics = run_metrics(experiment, seconds, stop.signal)
    if args.out is not None:
        write_results(args.out, experiment, initial_weights, metrics)
    if not args.quiet:
        print(summary(experiment, metrics, args.out))
    return stop.exit_status if interrupted else 0


def run_metrics(experiment: Experiment, seconds: float, interrupted_by: int | None = None) -> dict:
    """Final numbers of a run, from its final weights (`interrupted_by`: the signal that
    stopped it early, if one did)."""
    trainer, project = experiment.trainer, experiment.project
    metric = trainer.history.metric_name
    train_loss, train_metric = trainer.evaluate(experiment.train_set)
    val_loss = val_metric = float("nan")
    if experiment.validation_set is not None:
        val_loss, val_metric = trainer.evaluate(experiment.validation_set)
    reason = trainer.stop_reason
    if interrupted_by is not None:
        by = "" if interrupted_by == signal.SIGINT else f" by {signal.Signals(interrupted_by).name}"
        kind, message = "interrupted", f"interrupted{by} at epoch {trainer.epoch:,}"
    else:
        kind, message = (reason.kind, reason.message) if reason else ("", "")
    metrics = {
        "train_loss": train_loss, "val_loss": val_loss,
        metric: train_metric, f"val_{metric}": val_metric,
        "epochs": trainer.epoch, "stop_reason": kind, "stop_message": message,
        "seconds": round(seconds, 4),
        "epochs_per_second": round(trainer.epoch / seconds, 1) if seconds > 0 else None,
        "task": experiment.dataset.task,
        "class_names": experiment.dataset.class_names,
        "feature_names": experiment.dataset.feature_names,
        "inputs": experiment.input_names,  # the network's inputs (derived ones included)
        "layer_sizes": experiment.network.sizes,
        "activations": experiment.network.activation_names,
        "loss": trainer.loss.name,
        "training": asdict(project.training),
    }
    if experiment.standardizer is not None:  # per network input
        metrics["standardization"] = {"mean": experiment.standardizer.mean.tolist(),
                                      "std": experiment.standardizer.std.tolist()}
    return metrics


def write_results(out: Path, experiment: Experiment, initial_weights: dict, metrics: dict) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        save_metrics(metrics, out / "metrics.json")
        save_history(experiment.trainer.history, out / "history.csv")
        save_weights(experiment.network.weights(), out / "weights.npz")
        save_weights(initial_weights, out / "initial_weights.npz")
    except OSError as exc:
        raise ProjectError(f"--out {out}: cannot write the results "
                           f"({exc.strerror or exc})") from None


def summary(experiment: Experiment, metrics: dict, out: Path | None) -> str:
    net, trainer = experiment.network, experiment.trainer
    name = experiment.project.name or experiment.project.file
    shape = "-".join(str(s) for s in net.sizes)
    lines = [f"{name}: {shape} network ({', '.join(net.activation_names)}), "
             f"{trainer.loss.name} loss, {experiment.project.training.optimizer} "
             f"lr {trainer.optimizer.lr:g}"]
    rate = metrics["epochs_per_second"]
    lines.append(f"{metrics['epochs']:,} epochs in {metrics['seconds']:.2f} s"
                 + (f" ({rate:,.0f} epochs/s)" if rate else "")
                 + f": {metrics['stop_message']}")
    metric = trainer.history.metric_name
    lines.append("train:      " + _scores(metrics["train_loss"], metric, metrics[metric]))
    if experiment.validation_set is not None:
        lines.append("validation: " + _scores(metrics["val_loss"], metric,
                                              metrics[f"val_{metric}"]))
    if out is not None:
        lines.append(f"wrote metrics.json, history.csv, weights.npz, initial_weights.npz to {out}")
    return "\n".join(lines)


def _scores(loss: float, metric: str, value: float) -> str:
    shown = f"{100 * value:.1f}%" if metric == "accuracy" else f"{value:.4f}"
    return f"loss {loss:.6g}, {'accuracy' if metric == 'accuracy' else 'R²'} {shown}"


class _Progress:
    """One line of progress on stderr for runs longer than a moment: rewritten in place
    on a terminal, otherwise a first line after a moment (a log shows the run began),
    then one every few seconds."""

    def __init__(self, stream: TextIO, total: int):
        self.stream, self.total = stream, total
        self.tty = stream.isatty()
        self.last_shown = 0.0
        self.shown = False

    def show(self, trainer, elapsed: float) -> None:
        every = PROGRESS_EVERY if self.tty else 5.0
        if (elapsed < PROGRESS_AFTER or (self.shown and elapsed - self.last_shown < every)
                or trainer.done):
            return
        self.last_shown = elapsed
        last = trainer.history.last
        if last is None:
            return
        text = (f"epoch {trainer.epoch:,}/{self.total:,} ({100 * trainer.epoch / self.total:.0f}%)"
                f"  loss {last.train_loss:.4g}  {trainer.epoch / elapsed:,.0f} epochs/s")
        self.stream.write(f"\r{text}\033[K" if self.tty else text + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()
